"""Association rules from baskets: which items are bought together (support, confidence, lift).

A basket is an order when the data has order numbers; otherwise one customer's events within a
time window (a day by default). Baskets longer than ``max_basket`` are cut into consecutive
pieces, which bounds the work at ``line items × max_basket`` pairs: co-occurrences come from one
sparse product Bᵀ·B (baskets × items), never a Python loop over pairs, so a million line items
take seconds.

For a rule i → j over N baskets: support = n_ij / N, confidence = n_ij / n_i,
lift = confidence / (n_j / N) (above 1: bought together more often than chance).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .dataset import TYPE_CODE, Dataset, type_codes

RULE_COLUMNS = ("item", "other", "item_id", "other_id", "count", "support", "confidence", "lift")


@dataclass(frozen=True)
class Baskets:
    """Baskets × items, 1 where the basket holds the item; ``n`` baskets in all."""

    matrix: sp.csr_matrix
    item_counts: np.ndarray  # baskets holding each item

    @property
    def n(self) -> int:
        return self.matrix.shape[0]


def basket_event_types(dataset: Dataset) -> tuple[str, ...] | None:
    """Purchases when the data has any, otherwise every positive event type (None)."""
    if np.any(dataset.types == TYPE_CODE["purchase"]):
        return ("purchase",)
    return None


def build_baskets(
    dataset: Dataset,
    *,
    types: Iterable[str] | None = None,
    window_seconds: int = 86_400,
    max_basket: int = 50,
    guests: bool = True,
) -> Baskets:
    """Group ``dataset``'s events (of ``types``; default see :func:`basket_event_types`) into
    baskets; with ``guests``, purchases without a customer (``Dataset.guest_items``) add their
    orders as baskets too when purchases are counted."""
    if types is None:
        types = basket_event_types(dataset)
    types = tuple(types) if types is not None else None
    keep = np.isin(dataset.types, type_codes(types))
    users, items = dataset.users[keep].astype(np.int64), dataset.items[keep].astype(np.int64)
    times, orders = dataset.times[keep], dataset.orders[keep]
    parts = []
    if len(items):
        # orders are their own baskets; events outside an order group by customer and time window
        window = np.floor_divide(times, max(int(window_seconds), 1))
        window = window - window.min()
        key = np.where(orders >= 0, orders, -1 - (users * (window.max() + 1) + window))
        codes, _ = pd.factorize(key)
        order = np.argsort(codes, kind="stable")  # events are already in user/time order
        parts.append(_pieces(codes[order], items[order], max_basket, dataset.n_items))
    if guests and len(dataset.guest_items) and (types is None or "purchase" in types):
        order = np.argsort(dataset.guest_baskets, kind="stable")
        parts.append(_pieces(dataset.guest_baskets[order], dataset.guest_items[order].astype(np.int64),
                             max_basket, dataset.n_items))
    if not parts:
        return Baskets(sp.csr_matrix((0, dataset.n_items), dtype=np.float32),
                       np.zeros(dataset.n_items, dtype=np.int64))
    m = sp.vstack(parts).tocsr() if len(parts) > 1 else parts[0]
    counts = np.diff(m.tocsc().indptr).astype(np.int64)
    return Baskets(m, counts)


def _pieces(codes: np.ndarray, items: np.ndarray, max_basket: int, n_items: int) -> sp.csr_matrix:
    """Baskets × items from lines sorted by basket code, long baskets cut into pieces."""
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    position = np.arange(len(codes)) - np.repeat(starts, np.diff(np.r_[starts, len(codes)]))
    piece = codes.astype(np.int64) * (len(codes) // max(max_basket, 1) + 2) + position // max_basket
    rows, _ = pd.factorize(piece)
    m = sp.csr_matrix(
        (np.ones(len(items), dtype=np.float32), (rows, items)),
        shape=(int(rows.max()) + 1, n_items),
    )
    m.sum_duplicates()
    m.data[:] = 1.0
    return m


def rules_matrix(
    baskets: Baskets,
    *,
    min_count: int = 2,
    min_support: float = 0.0,
    min_confidence: float = 0.0,
    min_lift: float = 1.0,
    max_per_item: int = 20,
) -> pd.DataFrame:
    """Rules i → j above the thresholds, at most ``max_per_item`` per i by confidence (then lift)."""
    co = (baskets.matrix.T @ baskets.matrix).tocoo()
    off = co.row != co.col
    i, j, n_ij = co.row[off].astype(np.int64), co.col[off].astype(np.int64), co.data[off]
    n = max(baskets.n, 1)
    n_i = baskets.item_counts[i].astype(np.float64)
    n_j = baskets.item_counts[j].astype(np.float64)
    support = n_ij / n
    confidence = n_ij / np.maximum(n_i, 1)
    lift = confidence / np.maximum(n_j / n, 1e-12)
    ok = (
        (n_ij >= min_count)
        & (support >= min_support)
        & (confidence >= min_confidence)
        & (lift >= min_lift)
    )
    i, j, n_ij, support, confidence, lift = (a[ok] for a in (i, j, n_ij, support, confidence, lift))
    order = np.lexsort((-lift, -confidence, i))
    i, j, n_ij, support, confidence, lift = (a[order] for a in (i, j, n_ij, support, confidence, lift))
    starts = np.flatnonzero(np.r_[True, i[1:] != i[:-1]]) if len(i) else np.zeros(0, dtype=np.int64)
    rank = np.arange(len(i)) - np.repeat(starts, np.diff(np.r_[starts, len(i)]))
    top = rank < max_per_item
    return pd.DataFrame(
        {
            "item": i[top],
            "other": j[top],
            "count": n_ij[top].astype(np.int64),
            "support": support[top],
            "confidence": confidence[top],
            "lift": lift[top],
        }
    )


def frequently_bought_together(
    dataset: Dataset,
    min_support: float = 0.0,
    min_confidence: float = 0.05,
    min_lift: float = 1.0,
    max_per_item: int = 10,
    *,
    min_count: int = 2,
    types: Iterable[str] | None = None,
    window_seconds: int = 86_400,
    max_basket: int = 50,
) -> pd.DataFrame:
    """The item-to-item "frequently bought together" table, best rules of each item first.

    Columns: ``item``, ``other`` (dataset indices), ``item_id``, ``other_id`` (the shop's ids),
    ``count`` (baskets holding both), ``support``, ``confidence`` (of item → other), ``lift``.
    """
    baskets = build_baskets(dataset, types=types, window_seconds=window_seconds, max_basket=max_basket)
    rules = rules_matrix(
        baskets,
        min_count=min_count,
        min_support=min_support,
        min_confidence=min_confidence,
        min_lift=min_lift,
        max_per_item=max_per_item,
    )
    ids = np.asarray(dataset.item_ids, dtype=object)
    rules.insert(2, "item_id", ids[rules["item"].to_numpy()] if len(rules) else [])
    rules.insert(3, "other_id", ids[rules["other"].to_numpy()] if len(rules) else [])
    return rules[list(RULE_COLUMNS)].reset_index(drop=True)
