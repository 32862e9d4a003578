"""Bought together: association rules from orders and the lists built from them."""

from __future__ import annotations

import numpy as np
import pytest
from shoprec.core.data.baskets import build_baskets, frequently_bought_together
from shoprec.core.data.dataset import TYPE_CODE, Dataset
from shoprec.plugins.strategies.bought_together import BoughtTogether, BoughtTogetherParams


def _orders(baskets: list[list[int]], n_items: int, users: list[int] | None = None) -> Dataset:
    """One event per line item; basket k is order k of customer users[k] (default: k)."""
    users = users or list(range(len(baskets)))
    u = np.repeat(users, [len(b) for b in baskets])
    o = np.repeat(np.arange(len(baskets)), [len(b) for b in baskets])
    items = np.concatenate([np.asarray(b) for b in baskets])
    e = len(items)
    return Dataset(
        user_ids=np.array([f"c{i}" for i in range(max(users) + 1)], dtype=object),
        item_ids=np.array([f"sku{i}" for i in range(n_items)], dtype=object),
        users=u, items=items, types=np.full(e, TYPE_CODE["purchase"]),
        times=o * 1000, quantities=np.ones(e), values=np.full(e, np.nan), orders=o,
    )


@pytest.fixture
def shop() -> Dataset:
    # 10 orders: leash (0) + collar (1) together 4 times, leash alone twice, treats (2) 4 times
    baskets = [[0, 1]] * 4 + [[0]] * 2 + [[2]] * 3 + [[2, 3]]
    return _orders(baskets, n_items=4)


def test_support_confidence_and_lift_are_the_textbook_numbers(shop):
    rules = frequently_bought_together(shop, min_confidence=0.0, min_count=1)
    row = rules[(rules["item"] == 0) & (rules["other"] == 1)].iloc[0]
    assert row["count"] == 4
    assert row["support"] == pytest.approx(4 / 10)
    assert row["confidence"] == pytest.approx(4 / 6)
    assert row["lift"] == pytest.approx((4 / 6) / (4 / 10))
    assert (row["item_id"], row["other_id"]) == ("sku0", "sku1")
    back = rules[(rules["item"] == 1) & (rules["other"] == 0)].iloc[0]
    assert back["confidence"] == pytest.approx(1.0)


def test_thresholds_and_the_cap_limit_the_rules(shop):
    assert frequently_bought_together(shop, min_count=5).empty
    rules = frequently_bought_together(shop, min_confidence=0.9, min_count=1)
    assert set(zip(rules["item"], rules["other"], strict=True)) == {(1, 0), (3, 2)}
    capped = frequently_bought_together(shop, min_confidence=0.0, min_count=1, max_per_item=1, min_lift=0)
    assert capped.groupby("item").size().max() == 1


def test_without_order_numbers_a_customers_day_is_one_basket():
    day = 86_400
    ds = Dataset(
        user_ids=np.array(["a", "b"], dtype=object),
        item_ids=np.array(["x", "y", "z"], dtype=object),
        users=[0, 0, 0, 1, 1], items=[0, 1, 2, 0, 1],
        types=np.full(5, TYPE_CODE["purchase"]),
        times=[0, 60, 3 * day, 10, 20], quantities=np.ones(5), values=np.full(5, np.nan),
        orders=np.full(5, -1),
    )
    baskets = build_baskets(ds)
    assert baskets.n == 3  # a's first day, a's later day, b's day
    assert baskets.item_counts.tolist() == [2, 2, 1]


def test_long_baskets_are_cut_into_pieces():
    ds = _orders([list(range(10))], n_items=10)
    assert build_baskets(ds, max_basket=4).n == 3


def test_a_customer_gets_what_goes_with_their_recent_purchase(shop):
    model = BoughtTogether(BoughtTogetherParams(min_confidence=0.1))
    model.fit(shop)
    scores = model.logits(np.array([4]))[0]  # customer 4 bought a leash
    assert np.argmax(np.where(np.arange(4) == 0, -np.inf, scores)) == 1
    reasons = model.explain(4, 1)
    assert reasons and reasons[0].item == 0 and reasons[0].text == "because you bought sku0"
    assert model.similar_items(0, 3)[0][0] == 1


def test_recent_purchases_count_more(shop):
    ds = _orders([[0, 1]] * 4 + [[2, 3]] * 4 + [[0], [2]], n_items=4, users=[0] * 8 + [9, 9])
    model = BoughtTogether()
    model.fit(ds)
    scores = model.logits(np.array([9]))[0]  # customer 9 bought 0 earlier, then 2
    assert scores[3] > scores[1] > 0


def test_unknown_customers_get_finite_popularity_ordered_scores(shop):
    model = BoughtTogether()
    model.fit(shop)
    out = model.logits(np.array([-1, 99]))
    assert np.isfinite(out).all() and out[0].argmax() in (0, 2)


def test_saved_rules_give_identical_lists(shop):
    model = BoughtTogether()
    model.fit(shop)
    clone = BoughtTogether()
    clone.load_bytes(model.to_bytes())
    clone.dataset = shop
    assert np.array_equal(clone.logits(np.arange(10)), model.logits(np.arange(10)))


def test_many_line_items_mine_in_one_sparse_pass():
    """200k line items in 50k orders: rules come out, each order's pairs counted once."""
    rng = np.random.default_rng(0)
    sizes = rng.integers(1, 8, size=50_000)
    items = rng.integers(0, 2000, size=sizes.sum())
    items[np.cumsum(sizes)[:-1] - 1] = 7  # item 7 ends most orders
    baskets = np.split(items, np.cumsum(sizes)[:-1])
    ds = _orders([list(b) for b in baskets], n_items=2000)
    rules = frequently_bought_together(ds, min_confidence=0.0, min_lift=0.0, max_per_item=5)
    assert rules.groupby("item").size().max() <= 5
    best = rules[rules["item"] != 7].groupby("item")["other"].first()
    assert (best == 7).mean() > 0.95  # "goes with almost everything" is each item's top rule


@pytest.mark.parametrize("seqs,n_items", [([], 0), ([[]], 0), ([[0, 1, 2]], 3)])
def test_empty_or_ruleless_data_still_scores_and_saves(seqs, n_items):
    ds = Dataset.from_sequences(seqs, n_items=n_items)
    model = BoughtTogether()
    model.fit(ds)
    out = model.logits(np.arange(ds.n_users))
    clone = BoughtTogether()
    clone.load_bytes(model.to_bytes())
    clone.dataset = ds
    assert np.isfinite(out).all() and np.array_equal(clone.logits(np.arange(ds.n_users)), out)
