"""Order lines without a customer (guest invoices) are kept as baskets and used: stored apart,
counted apart, deduplicated, exposed by the Dataset, learnt from by bought-together and item-kNN,
never turned into customers or lists."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
from shoprec.core.data.baskets import build_baskets
from shoprec.core.data.dataset import Dataset
from shoprec.core.importing import import_file
from shoprec.plugins.strategies.bought_together import BoughtTogether
from shoprec.plugins.strategies.itemknn import ItemKNN, ItemKNNParams

HEAD = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"


def _invoices(tmp_path: Path, lines: list[str], name: str = "retail.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def _shop(tmp_path: Path) -> Path:
    # Customers 1-3 only ever bought the mug (M) with tea (T), or the mug alone; guests bought the
    # mug with a coaster (C) three times. Only the guests know that mugs go with coasters.
    return _invoices(tmp_path, [
        "1001,M,MUG,1,12/1/2010 8:00,2.50,17850,United Kingdom",
        "1001,T,TEA,2,12/1/2010 8:00,1.50,17850,United Kingdom",
        "1002,M,MUG,1,12/1/2010 9:00,2.50,17851,United Kingdom",
        "1002,T,TEA,1,12/1/2010 9:00,1.50,17851,United Kingdom",
        "1003,M,MUG,1,12/2/2010 9:00,2.50,17852,United Kingdom",
        "2001,M,MUG,1,12/3/2010 9:00,2.50,,United Kingdom",
        "2001,C,COASTER,4,12/3/2010 9:00,0.85,,United Kingdom",
        "2002,M,MUG,2,12/4/2010 9:00,2.50,,United Kingdom",
        "2002,C,COASTER,4,12/4/2010 9:00,0.85,,United Kingdom",
        "2003,C,COASTER,1,12/5/2010 9:00,0.85,,United Kingdom",
        "2003,M,MUG,1,12/5/2010 9:00,2.50,,United Kingdom",
        "2003,T,TEA,1,12/5/2010 9:00,1.50,,United Kingdom",
        ",X,NO ORDER AND NO CUSTOMER,1,12/5/2010 9:00,1.00,,United Kingdom",
    ])


def test_guest_lines_are_stored_counted_apart_and_deduplicated(ws, tmp_path):
    path = _shop(tmp_path)
    s = import_file(ws, path)
    assert (s.rows_read, s.imported, s.anonymous, s.duplicates, s.rejected) == (13, 5, 7, 0, 1)
    assert ws.conn.execute("SELECT reason FROM rejects").fetchall() == [("missing customer",)]
    assert ws.count("customers") == 3  # no customer for guests, not even an empty one
    assert ws.count("anonymous_lines") == 7
    assert ws.conn.execute("SELECT imported, anonymous, rejected FROM imports").fetchone() == (5, 7, 1)
    again = import_file(ws, path)
    assert (again.imported, again.anonymous, again.duplicates, again.rejected) == (0, 0, 12, 1)
    assert ws.count("anonymous_lines") == 7
    info = ws.info()
    assert (info["anonymous_lines"], info["anonymous_orders"], info["rejects"]) == (7, 3, 1)


def test_the_dataset_exposes_guest_baskets_but_no_guest_customers(ws, tmp_path):
    import_file(ws, _shop(tmp_path))
    ds = Dataset.from_workspace(ws)
    assert sorted(ds.user_ids) == ["17850", "17851", "17852"]
    assert ds.n_guest_baskets == 3
    baskets = {}
    for b, i in zip(ds.guest_baskets.tolist(), ds.guest_items.tolist(), strict=True):
        baskets.setdefault(b, set()).add(str(ds.item_ids[i]))
    assert sorted(map(sorted, baskets.values())) == [["C", "M"], ["C", "M"], ["C", "M", "T"]]
    assert ds.guest_matrix().shape == (3, ds.n_items)
    # customers' orders plus guests' orders
    assert build_baskets(ds).n == 6 and build_baskets(ds, guests=False).n == 3


def test_bought_together_and_itemknn_learn_from_guest_baskets(ws, tmp_path):
    import_file(ws, _shop(tmp_path))
    ds = Dataset.from_workspace(ws)
    alone = replace(ds, guest_items=None, guest_baskets=None, guest_times=None)
    coaster = int(ds.item_index(["C"])[0])
    mug = int(ds.item_index(["M"])[0])
    buyer = int(ds.user_index(["17852"])[0])  # bought the mug alone

    with_guests, without = BoughtTogether(), BoughtTogether()
    with_guests.fit(ds)
    without.fit(alone)
    assert coaster in [j for j, _ in with_guests.similar_items(mug)]
    assert coaster not in [j for j, _ in without.similar_items(mug)]
    assert with_guests.logits(np.array([buyer]))[0, coaster] > without.logits(np.array([buyer]))[0, coaster]

    knn, knn_alone = ItemKNN(ItemKNNParams(neighbours=5, shrink=0.0)), ItemKNN(ItemKNNParams(neighbours=5, shrink=0.0))
    knn.fit(ds)
    knn_alone.fit(alone)
    assert dict(knn.similar_items(mug)).get(coaster, 0) > 0
    assert dict(knn_alone.similar_items(mug)).get(coaster, 0) == 0
    assert knn.logits(np.array([buyer])).shape == (1, ds.n_items)  # lists: customers only


def test_a_dataset_cut_in_time_drops_later_guest_baskets(ws, tmp_path):
    import_file(ws, _shop(tmp_path))
    ds = Dataset.from_workspace(ws)
    early = ds.with_events(ds.times <= ds.times.min())  # 1 Dec only
    assert early.n_guest_baskets == 0
    fewer_items = replace(ds, item_ids=ds.item_ids[:1], catalog=ds.catalog.take(np.arange(1)),
                          users=ds.users[ds.items < 1], items=ds.items[ds.items < 1],
                          types=ds.types[ds.items < 1], times=ds.times[ds.items < 1],
                          quantities=ds.quantities[ds.items < 1], values=ds.values[ds.items < 1],
                          orders=ds.orders[ds.items < 1])
    assert set(fewer_items.guest_items.tolist()) <= {0}


def test_a_workspace_without_the_guest_table_reads_as_having_no_guests(ws, tmp_path):
    import_file(ws, _shop(tmp_path))
    ws.conn.execute("DROP TABLE anonymous_lines")  # (as a workspace opened read-only before its upgrade)
    ds = Dataset.from_workspace(ws)
    assert (ds.n_users, ds.n_guest_baskets) == (3, 0)
    assert (ws.info()["anonymous_lines"], ws.info()["anonymous_orders"]) == (0, 0)
