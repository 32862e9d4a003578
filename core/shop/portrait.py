"""A customer's portrait for the desktop and ``shoprec portrait``: who they are, from their data.

From the history: top categories and brands (vendors), price band against the shop's own price
quantiles, and a recency / frequency / monetary (RFM) segment scored against all customers.
From the profile, when a fitted strategy is given: the nearest items (highest <p_u, p_i>, items
already owned left out).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from ..contracts.strategy import Strategy
from ..data.dataset import TYPE_CODE, Dataset

#: How much each event type says about taste, for the category/brand tallies.
TYPE_WEIGHT = {"view": 1.0, "fav": 2.0, "cart": 2.0, "rating": 3.0, "purchase": 4.0, "refund": 0.0}
PRICE_BANDS = ("budget", "mid-range", "premium")


@dataclass(frozen=True, kw_only=True)
class Portrait:
    customer_id: str
    events: int
    purchases: int
    top_categories: list[tuple[str, float]] = field(default_factory=list)
    top_brands: list[tuple[str, float]] = field(default_factory=list)
    price_band: str = "unknown"
    median_price: float | None = None
    recency_days: float | None = None
    frequency: int = 0  # orders (or purchase events when the data has no orders)
    monetary: float = 0.0
    rfm: str = ""  # scores 1-5, e.g. "545"
    segment: str = "no history"
    nearest_items: list[tuple[str, str, float]] = field(default_factory=list)  # id, title, logit

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _quintile(value: float, population: np.ndarray, higher_is_better: bool = True) -> int:
    """1-5 score of ``value`` within ``population`` (5 = best)."""
    if len(population) == 0:
        return 3
    share = float((population < value).mean() + 0.5 * (population == value).mean())
    if not higher_is_better:
        share = 1.0 - share
    return int(min(5, max(1, 1 + int(share * 5))))


def _segment(r: int, f: int, m: int) -> str:
    """Common RFM segment names (r, f, m scores 1-5)."""
    if r >= 4 and f >= 4:
        return "champion"
    if f >= 4:
        return "loyal" if r >= 3 else "at risk"
    if r >= 4 and f <= 2:
        return "new" if f == 1 else "promising"
    if r <= 2 and f <= 2:
        return "hibernating" if m <= 2 else "can't lose"
    return "needs attention"


def _rfm_table(ds: Dataset) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per customer: days since last event, purchase frequency, money spent (0 when unknown)."""
    now = ds.times.max() if ds.n_events else 0
    latest = np.full(ds.n_users, -np.inf)
    np.maximum.at(latest, ds.users, ds.times.astype(np.float64))
    last = np.where(np.isfinite(latest), (now - latest) / 86400.0, np.nan)
    bought = ds.types == TYPE_CODE["purchase"]
    with_order = bought & (ds.orders >= 0)
    freq = np.bincount(ds.users[bought & (ds.orders < 0)], minlength=ds.n_users).astype(float)
    if with_order.any():
        pairs = np.unique(np.stack([ds.users[with_order], ds.orders[with_order]]), axis=1)
        freq += np.bincount(pairs[0], minlength=ds.n_users)
    value = np.where(np.isfinite(ds.values), ds.values, 0.0)
    if not np.isfinite(ds.values[bought]).any():  # no order values: price × quantity
        price = np.nan_to_num(ds.catalog.price[ds.items], nan=0.0)
        value = price * ds.quantities
    money = np.bincount(ds.users[bought], weights=value[bought], minlength=ds.n_users)
    return last, freq, money


def customer_portrait(
    ds: Dataset, user: int, strategy: Strategy | None = None, n: int = 5
) -> Portrait:
    """The portrait of customer index ``user``; ``strategy`` (fitted) adds the nearest items."""
    if not 0 <= user < ds.n_users:
        raise ValueError(f"customer index {user} is out of range (0..{ds.n_users - 1})")
    lo, hi = ds.indptr[user], ds.indptr[user + 1]
    items, types = ds.items[lo:hi], ds.types[lo:hi]
    weights = np.array([TYPE_WEIGHT.get(_type_name(t), 1.0) for t in types])
    cats: Counter[str] = Counter()
    brands: Counter[str] = Counter()
    for item, w in zip(items, weights, strict=True):
        cat = str(ds.catalog.category[item] or "")
        if cat:
            cats[cat.split(">")[-1].strip() if ">" in cat else cat] += w
        vendor = str(ds.catalog.vendor[item] or "")
        if vendor:
            brands[vendor] += w
    total_c, total_b = sum(cats.values()) or 1.0, sum(brands.values()) or 1.0
    prices = ds.catalog.price[items[types != TYPE_CODE["refund"]]]
    prices = prices[np.isfinite(prices)]
    band, median = "unknown", None
    shop_prices = ds.catalog.price[np.isfinite(ds.catalog.price)]
    if len(prices) and len(shop_prices) >= 3:
        median = float(np.median(prices))
        q1, q2 = np.quantile(shop_prices, [1 / 3, 2 / 3])
        band = PRICE_BANDS[0] if median <= q1 else PRICE_BANDS[1] if median <= q2 else PRICE_BANDS[2]
    last, freq, money = _rfm_table(ds)
    active = np.isfinite(last)
    purchases = int((types == TYPE_CODE["purchase"]).sum())
    if hi > lo:
        r = _quintile(last[user], last[active], higher_is_better=False)
        f = _quintile(freq[user], freq[active])
        m = _quintile(money[user], money[active])
        rfm, segment = f"{r}{f}{m}", _segment(r, f, m)
    else:
        rfm, segment = "", "no history"
    nearest: list[tuple[str, str, float]] = []
    if strategy is not None and ds.n_items:
        scores = strategy.logits(np.array([user]))[0].astype(np.float64)
        scores[np.unique(items)] = -np.inf
        for j in np.argsort(-scores, kind="stable")[:n]:
            if np.isfinite(scores[j]):
                nearest.append((str(ds.item_ids[j]), str(ds.catalog.title[j] or ""),
                                float(scores[j])))
    return Portrait(
        customer_id=str(ds.user_ids[user]),
        events=int(hi - lo),
        purchases=purchases,
        top_categories=[(c, round(w / total_c, 3)) for c, w in cats.most_common(n)],
        top_brands=[(b, round(w / total_b, 3)) for b, w in brands.most_common(n)],
        price_band=band,
        median_price=median,
        recency_days=None if not np.isfinite(last[user]) else round(float(last[user]), 1),
        frequency=int(freq[user]),
        monetary=round(float(money[user]), 2),
        rfm=rfm,
        segment=segment,
        nearest_items=nearest,
    )


def _type_name(code: int) -> str:
    for name, c in TYPE_CODE.items():
        if c == code:
            return name
    return "view"
