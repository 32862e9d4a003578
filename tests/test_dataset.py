import numpy as np
import pytest
from shoprec.core.data.dataset import Dataset, split_last


def test_from_sequences_keeps_order_and_shapes(tiny_dataset):
    ds = tiny_dataset
    assert ds.n_users == 12 and ds.n_items == 8
    assert list(ds.history(0)) == [0, 1, 2]
    assert ds.indptr[-1] == ds.n_events
    m = ds.matrix()
    assert m.shape == (12, 8)
    assert m[0].toarray().ravel().tolist() == [1, 1, 1, 0, 0, 0, 0, 0]


def test_split_last_holds_out_each_users_final_item(tiny_dataset):
    rest, targets = split_last(tiny_dataset)
    assert targets[0] == 2
    assert list(rest.history(0)) == [0, 1]
    assert rest.n_events == tiny_dataset.n_events - 12


def test_single_event_users_keep_their_event():
    ds = Dataset.from_sequences([[1], [0, 2]], n_items=3)
    rest, targets = split_last(ds)
    assert targets.tolist() == [-1, 2]
    assert list(rest.history(0)) == [1]


def test_events_are_sorted_by_user_then_time():
    ds = Dataset(
        user_ids=np.array(["a", "b"], dtype=object),
        item_ids=np.array(["x", "y", "z"], dtype=object),
        users=[1, 0, 1, 0],
        items=[2, 1, 0, 0],
        types=[3, 3, 3, 3],
        times=[20, 5, 10, 1],
        quantities=[1, 1, 1, 1],
        values=[np.nan] * 4,
        orders=[-1] * 4,
    )
    assert list(ds.history(0)) == [0, 1]
    assert list(ds.history(1)) == [0, 2]


def test_out_of_range_indices_are_refused():
    with pytest.raises(ValueError, match="items out of range"):
        Dataset.from_sequences([[0, 5]], n_items=3)


def test_from_workspace_roundtrip(ws):
    with ws.atomic():
        ws.conn.execute("INSERT INTO customers (id, external_id) VALUES (10, 'c1'), (11, 'c2')")
        ws.conn.execute(
            "INSERT INTO items (id, external_id, title, price) VALUES (5, 'sku-a', 'Mug', 9.5), (6, 'sku-b', 'Tea', NULL)"
        )
        ws.conn.execute(
            "INSERT INTO events (customer_id, item_id, type, ts, order_id) VALUES "
            "(10, 6, 'purchase', 200, '#2'), (10, 5, 'view', 100, ''), (11, 5, 'refund', 50, '#1')"
        )
    ds = Dataset.from_workspace(ws)
    assert ds.user_ids.tolist() == ["c1", "c2"]
    assert ds.item_ids.tolist() == ["sku-a", "sku-b"]
    assert list(ds.history(0)) == [0, 1]
    assert list(ds.history(1)) == []  # refunds are not interest
    assert ds.catalog.title.tolist() == ["Mug", "Tea"]
    assert np.isnan(ds.catalog.price[1])
    assert ds.orders[ds.users == 0].tolist() == [-1, 0] or ds.orders[ds.users == 0][0] == -1


def test_lines_of_one_order_at_one_moment_keep_their_order(ws):
    # The events table is keyed (customer, time, order, line, item, type): a history lists an
    # order's lines as the order does, not by which item the workspace happened to see first.
    with ws.atomic():
        ws.conn.execute("INSERT INTO customers (id, external_id) VALUES (1, 'c1')")
        ws.conn.execute("INSERT INTO items (id, external_id) VALUES (1, 'a'), (2, 'b'), (3, 'c')")
        ws.conn.execute(
            "INSERT INTO events (customer_id, item_id, type, ts, order_id, line_no) VALUES "
            "(1, 1, 'purchase', 300, '#7', 2), (1, 3, 'purchase', 300, '#7', 0), "
            "(1, 2, 'purchase', 300, '#7', 1), (1, 2, 'view', 100, '', 0)"
        )
    ds = Dataset.from_workspace(ws)
    assert [ds.item_ids[i] for i in ds.history(0)] == ["b", "c", "b", "a"]
