"""Which items a customer's list may show: seen items, repeat purchases, catalogue rules, variants.

- **Seen** items are removed, at the level of a product: a customer who bought one size of a shirt
  has seen every size (variants share ``items.variant_of``, or a title stem: core.products).
- **Repeat-purchase** items (consumables: coffee, filters, food) are detected from the history:
  enough of their buyers bought them again on a later occasion. They stay recommendable after a
  purchase.
- **Catalogue rules**: out of stock, unpublished, category include / exclude (a category path and
  everything under it), a price band. Unknown stock or publication never excludes; an unknown
  price is excluded once a price band is set (the rule cannot vouch for it).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..data.dataset import TYPE_CODE, Catalog, Dataset
from ..data.products import product_keys

SEEN_TYPES_STRICT = tuple(TYPE_CODE)  # every event, refunds included
SEEN_TYPES_BOUGHT = ("purchase", "rating", "refund")


@dataclass(frozen=True, kw_only=True)
class ListRules:
    """Business rules applied to every list (the defaults suit most shops)."""

    exclude_seen: bool = True
    keep_viewed: bool = False  # True: items only viewed/carted/favourited may come back
    allow_repeat: bool = True  # repeat-purchase items stay recommendable after a purchase
    in_stock_only: bool = True
    published_only: bool = True
    include_categories: tuple[str, ...] = ()
    exclude_categories: tuple[str, ...] = ()
    min_price: float | None = None
    max_price: float | None = None
    collapse_variants: bool = True
    max_per_category: int = 0  # 0: no cap
    exclude_non_products: bool = True  # postage, fees, vouchers... (core.merchandise)

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["include_categories"] = list(self.include_categories)
        out["exclude_categories"] = list(self.exclude_categories)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> ListRules:
        data = dict(data or {})
        names = {f.name for f in fields(cls)}
        unknown = set(data) - names
        if unknown:
            raise ValueError(f"unknown list rule(s) {sorted(unknown)}; known: {sorted(names)}")
        for key in ("include_categories", "exclude_categories"):
            if key in data:
                value = data[key]
                data[key] = tuple([value] if isinstance(value, str) else value or ())
        return cls(**data)


def _under(category: np.ndarray, prefixes: tuple[str, ...]) -> np.ndarray:
    """Items whose category path equals or lies under one of ``prefixes`` (case-insensitive)."""
    cats = np.array([str(c).strip().lower() for c in category], dtype=object)
    hit = np.zeros(len(cats), dtype=bool)
    for prefix in prefixes:
        p = prefix.strip().lower()
        if not p:
            continue
        hit |= np.array([c == p or c.startswith(p + " >") or c.startswith(p + ">") for c in cats])
    return hit


def catalog_allowed(catalog: Catalog, rules: ListRules) -> np.ndarray:
    """Boolean mask over items that the catalogue rules allow."""
    n = len(catalog.title)
    ok = np.ones(n, dtype=bool)
    if rules.in_stock_only:
        ok &= ~(catalog.stock <= 0)  # NaN (unknown) stays allowed
    if rules.published_only:
        ok &= catalog.published != 0
    if rules.include_categories:
        ok &= _under(catalog.category, rules.include_categories)
    if rules.exclude_categories:
        ok &= ~_under(catalog.category, rules.exclude_categories)
    if rules.min_price is not None:
        ok &= catalog.price >= rules.min_price  # NaN compares False: excluded
    if rules.max_price is not None:
        ok &= catalog.price <= rules.max_price
    return ok


def repeat_items(
    ds: Dataset, *, min_buyers: int = 3, min_repeaters: int = 2, min_rate: float = 0.2
) -> np.ndarray:
    """Items bought again on a later occasion by at least ``min_rate`` of their buyers."""
    out = np.zeros(ds.n_items, dtype=bool)
    keep = ds.types == TYPE_CODE["purchase"]
    if not keep.any():
        return out
    # distinct purchase occasions per (customer, item): same moment = one occasion
    triples = np.unique(
        np.stack([ds.users[keep].astype(np.int64), ds.items[keep].astype(np.int64), ds.times[keep]]),
        axis=1,
    )
    pairs, occasions = np.unique(triples[:2], axis=1, return_counts=True)
    buyers = np.bincount(pairs[1], minlength=ds.n_items)
    repeaters = np.bincount(pairs[1][occasions >= 2], minlength=ds.n_items)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(buyers > 0, repeaters / np.maximum(buyers, 1), 0.0)
    out[(buyers >= min_buyers) & (repeaters >= min_repeaters) & (rate >= min_rate)] = True
    return out


def variant_groups(ds: Dataset) -> np.ndarray:
    """A product group per item (int index per item): variants of one product share a group,
    whether the catalogue names their parent or only their titles tell (core.products)."""
    if ds.n_items == 0:
        return np.zeros(0, dtype=np.int64)
    keys = product_keys(
        [str(i) for i in ds.item_ids],
        [str(t or "") for t in ds.catalog.title],
        [str(p or "") for p in ds.catalog.variant_of],
    )
    _, groups = np.unique(keys, return_inverse=True)
    return groups.astype(np.int64)


class SeenFilter:
    """Per customer, the items a list must not show because they were seen (variant-aware)."""

    def __init__(self, ds: Dataset, rules: ListRules, repeat: np.ndarray | None = None):
        self.rules = rules
        self.n_items = ds.n_items
        self.groups = variant_groups(ds) if rules.collapse_variants else np.arange(ds.n_items)
        n_groups = int(self.groups.max()) + 1 if len(self.groups) else 0
        types = SEEN_TYPES_BOUGHT if rules.keep_viewed else SEEN_TYPES_STRICT
        keep = np.isin(ds.types, [TYPE_CODE[t] for t in types])
        self.user_groups = sp.csr_matrix(
            (
                np.ones(int(keep.sum()), dtype=np.float32),
                (ds.users[keep], self.groups[ds.items[keep]]),
            ),
            shape=(ds.n_users, n_groups),
        )
        self.repeat = (
            (repeat if repeat is not None else repeat_items(ds))
            if rules.allow_repeat
            else np.zeros(ds.n_items, dtype=bool)
        )
        if self.repeat.any() and len(self.groups):
            # A product bought again and again is repeatable in every size: a customer who
            # reorders the 250 g bag may be shown the 1 kg one.
            again = np.zeros(int(self.groups.max()) + 1, dtype=bool)
            again[self.groups[self.repeat]] = True
            self.repeat = again[self.groups]

    def excluded(self, users: np.ndarray) -> np.ndarray:
        """Boolean (len(users), n_items): True where the item was seen and is not a repeat item."""
        if not self.rules.exclude_seen or self.n_items == 0:
            return np.zeros((len(users), self.n_items), dtype=bool)
        seen = self.user_groups[np.asarray(users)].toarray()[:, self.groups] > 0
        seen[:, self.repeat] = False
        return seen
