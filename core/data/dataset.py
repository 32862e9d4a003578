"""Interactions in index space, the one input every strategy and evaluation reads.

A :class:`Dataset` holds dense indices: users ``0..n_users-1`` and items ``0..n_items-1``, with
the shop's own ids in ``user_ids`` / ``item_ids`` and workspace keys in ``user_keys`` /
``item_keys``. Events are sorted by user, then time (stable), so each user's chronological
history is a contiguous slice ``indptr[u]:indptr[u+1]``.

Shapes (E events, U users, I items): ``users``, ``items``, ``types``, ``times``, ``quantities``,
``values``, ``orders`` are all length E; ``indptr`` is length U + 1; catalog arrays are length I.
Purchases without a customer (guest checkouts) are not events of any user: ``guest_items``,
``guest_baskets`` and ``guest_times`` (length G) hold them as baskets for basket strategies.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
import scipy.sparse as sp

from ..store.workspace import EVENT_TYPES, Workspace

TYPE_CODE = {name: code for code, name in enumerate(EVENT_TYPES)}
POSITIVE_TYPES: tuple[str, ...] = tuple(t for t in EVENT_TYPES if t != "refund")
#: Past-tense verbs for reasons ("because you bought X"), by event type code.
EVENT_VERBS: dict[int, str] = {
    TYPE_CODE["view"]: "viewed",
    TYPE_CODE["cart"]: "added to your cart",
    TYPE_CODE["fav"]: "saved",
    TYPE_CODE["purchase"]: "bought",
    TYPE_CODE["rating"]: "rated",
    TYPE_CODE["refund"]: "returned",
}


def type_codes(types: Iterable[str] | None) -> np.ndarray:
    """Codes of the named event types; None means every positive type (all but refunds)."""
    names = POSITIVE_TYPES if types is None else tuple(types)
    unknown = [t for t in names if t not in TYPE_CODE]
    if unknown:
        raise ValueError(f"unknown event type(s) {unknown}; known: {', '.join(EVENT_TYPES)}")
    return np.array([TYPE_CODE[t] for t in names], dtype=np.int8)


@dataclass
class Catalog:
    """Item attributes aligned with item indices (length I each); text is '' when unknown."""

    title: np.ndarray
    description: np.ndarray
    category: np.ndarray
    vendor: np.ndarray
    price: np.ndarray  # float64, NaN unknown
    stock: np.ndarray  # float64, NaN unknown
    published: np.ndarray  # int8: 1 yes, 0 no, -1 unknown
    variant_of: np.ndarray  # str, '' when the item is not a variant
    gift_card: np.ndarray | None = None  # bool: a products export says it is a gift card
    owner_choice: np.ndarray | None = None  # int8: 0 owner keeps it out, 1 lets it in, -1 no choice

    def __post_init__(self) -> None:
        n = len(self.title)
        if self.gift_card is None:
            self.gift_card = np.zeros(n, dtype=bool)
        if self.owner_choice is None:
            self.owner_choice = np.full(n, -1, dtype=np.int8)

    @classmethod
    def empty(cls, n: int) -> Catalog:
        text = np.full(n, "", dtype=object)
        return cls(
            title=text.copy(),
            description=text.copy(),
            category=text.copy(),
            vendor=text.copy(),
            price=np.full(n, np.nan),
            stock=np.full(n, np.nan),
            published=np.full(n, -1, dtype=np.int8),
            variant_of=text.copy(),
        )

    def take(self, index: np.ndarray) -> Catalog:
        return Catalog(**{k: getattr(self, k)[index] for k in self.__dataclass_fields__})

    def text(self, i: int) -> str:
        """One line describing item ``i`` for text encoders: title, category, vendor, description."""
        parts = [self.title[i], self.category[i], self.vendor[i], self.description[i]]
        return " | ".join(str(p) for p in parts if p)


@dataclass
class Dataset:
    """Events in index space; see the module docstring for shapes."""

    user_ids: np.ndarray
    item_ids: np.ndarray
    users: np.ndarray
    items: np.ndarray
    types: np.ndarray
    times: np.ndarray
    quantities: np.ndarray
    values: np.ndarray
    orders: np.ndarray  # int64 order index per event, -1 when not part of an order
    catalog: Catalog = field(default=None)  # type: ignore[assignment]
    user_keys: np.ndarray | None = None
    item_keys: np.ndarray | None = None
    #: The workspace file this came from (None in memory): lets strategies reuse cached item
    #: text vectors (core.text) through a connection of their own thread.
    workspace_path: str | None = None
    #: Purchases without a customer (guest checkouts, ``anonymous_lines``): item index and
    #: basket number (0..B-1) of each line, both length G. Baskets only: no user, no history,
    #: no list; bought-together and item similarity learn from them.
    guest_items: np.ndarray | None = None
    guest_baskets: np.ndarray | None = None
    guest_times: np.ndarray | None = None  # unix seconds of each guest line (length G)

    def __post_init__(self) -> None:
        self.users = np.asarray(self.users, dtype=np.int32)
        self.items = np.asarray(self.items, dtype=np.int32)
        self.types = np.asarray(self.types, dtype=np.int8)
        self.times = np.asarray(self.times, dtype=np.int64)
        self.quantities = np.asarray(self.quantities, dtype=np.float32)
        self.values = np.asarray(self.values, dtype=np.float32)
        self.orders = np.asarray(self.orders, dtype=np.int64)
        if self.catalog is None:
            self.catalog = Catalog.empty(self.n_items)
        g_items = np.asarray(self.guest_items if self.guest_items is not None else [], dtype=np.int32)
        g_baskets = np.asarray(self.guest_baskets if self.guest_baskets is not None else [], dtype=np.int64)
        g_times = np.asarray(self.guest_times if self.guest_times is not None else np.zeros(len(g_items)),
                             dtype=np.int64)
        if not len(g_items) == len(g_baskets) == len(g_times):
            raise ValueError("Dataset.guest_items, guest_baskets and guest_times differ in length")
        inside = (g_items >= 0) & (g_items < self.n_items)  # (a dataset over fewer items keeps theirs)
        if not inside.all():
            g_items, g_baskets, g_times = g_items[inside], _renumber(g_baskets[inside]), g_times[inside]
        self.guest_items, self.guest_baskets, self.guest_times = g_items, g_baskets, g_times
        n = len(self.users)
        for name in ("items", "types", "times", "quantities", "values", "orders"):
            if len(getattr(self, name)) != n:
                raise ValueError(f"Dataset.{name} has {len(getattr(self, name))} rows, expected {n}")
        if n and (self.users.min() < 0 or self.users.max() >= self.n_users):
            raise ValueError("Dataset.users out of range")
        if n and (self.items.min() < 0 or self.items.max() >= self.n_items):
            raise ValueError("Dataset.items out of range")
        order = np.lexsort((self.times, self.users))  # stable: by user, then time
        if n and not np.all(order == np.arange(n)):
            for name in ("users", "items", "types", "times", "quantities", "values", "orders"):
                setattr(self, name, getattr(self, name)[order])

    # -- sizes and slices --------------------------------------------------------------------
    @property
    def n_users(self) -> int:
        return len(self.user_ids)

    @property
    def n_items(self) -> int:
        return len(self.item_ids)

    @property
    def n_events(self) -> int:
        return len(self.users)

    @cached_property
    def indptr(self) -> np.ndarray:
        counts = np.bincount(self.users, minlength=self.n_users)
        return np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)

    def history(self, u: int, types: Iterable[str] | None = None) -> np.ndarray:
        """Items of user ``u`` in time order (optionally only some event types)."""
        lo, hi = self.indptr[u], self.indptr[u + 1]
        items = self.items[lo:hi]
        if types is None:
            keep = self.types[lo:hi] != TYPE_CODE["refund"]
        else:
            keep = np.isin(self.types[lo:hi], type_codes(types))
        return items[keep]

    def sequences(self, types: Iterable[str] | None = None) -> list[np.ndarray]:
        """Every user's chronological item sequence (positive types unless ``types`` given)."""
        keep = np.isin(self.types, type_codes(types))
        users, items = self.users[keep], self.items[keep]
        bounds = np.searchsorted(users, np.arange(self.n_users + 1))
        return [items[bounds[u] : bounds[u + 1]] for u in range(self.n_users)]

    def matrix(
        self, types: Iterable[str] | None = None, *, binary: bool = True, dtype=np.float32
    ) -> sp.csr_matrix:
        """Users × items sparse matrix of interactions (1 where any, or event counts)."""
        keep = np.isin(self.types, type_codes(types))
        data = np.ones(int(keep.sum()), dtype=dtype)
        m = sp.csr_matrix(
            (data, (self.users[keep], self.items[keep])), shape=(self.n_users, self.n_items)
        )
        m.sum_duplicates()
        if binary:
            m.data[:] = 1
        return m

    @property
    def n_guest_baskets(self) -> int:
        return int(self.guest_baskets.max()) + 1 if len(self.guest_baskets) else 0

    def guest_matrix(self) -> sp.csr_matrix:
        """Guest baskets × items, 1 where the basket holds the item (0 rows without guests)."""
        m = sp.csr_matrix(
            (np.ones(len(self.guest_items), dtype=np.float32), (self.guest_baskets, self.guest_items)),
            shape=(self.n_guest_baskets, self.n_items),
        )
        m.sum_duplicates()
        m.data[:] = 1.0
        return m

    def item_counts(self, types: Iterable[str] | None = None) -> np.ndarray:
        keep = np.isin(self.types, type_codes(types))
        return np.bincount(self.items[keep], minlength=self.n_items)

    def user_index(self, shop_ids: Sequence[str]) -> np.ndarray:
        """Indices of the given shop customer ids (-1 where unknown)."""
        lookup = self._user_lookup
        return np.array([lookup.get(str(s), -1) for s in shop_ids], dtype=np.int64)

    def item_index(self, shop_ids: Sequence[str]) -> np.ndarray:
        lookup = self._item_lookup
        return np.array([lookup.get(str(s), -1) for s in shop_ids], dtype=np.int64)

    @cached_property
    def _user_lookup(self) -> dict[str, int]:
        return {str(s): i for i, s in enumerate(self.user_ids)}

    @cached_property
    def _item_lookup(self) -> dict[str, int]:
        return {str(s): i for i, s in enumerate(self.item_ids)}

    def with_events(self, keep: np.ndarray) -> Dataset:
        """The same users, items and catalog with only the events where ``keep`` is True."""
        fresh = replace(
            self,
            users=self.users[keep],
            items=self.items[keep],
            types=self.types[keep],
            times=self.times[keep],
            quantities=self.quantities[keep],
            values=self.values[keep],
            orders=self.orders[keep],
            **self._guests_until(self.times[keep].max() if keep.any() and not keep.all() else None),
        )
        fresh.__dict__.pop("indptr", None)
        return fresh

    def _guests_until(self, t_max: int | None) -> dict[str, np.ndarray]:
        """Guest lines no later than ``t_max`` (all when None): a dataset cut at a moment for
        evaluation must not learn from guests' later baskets either."""
        if t_max is None or not len(self.guest_items):
            return {}
        keep = self.guest_times <= t_max
        return {"guest_items": self.guest_items[keep], "guest_baskets": _renumber(self.guest_baskets[keep]),
                "guest_times": self.guest_times[keep]}

    # -- construction ------------------------------------------------------------------------
    @classmethod
    def from_sequences(
        cls,
        sequences: Sequence[Sequence[int]],
        *,
        n_items: int | None = None,
        user_ids: Sequence[str] | None = None,
        item_ids: Sequence[str] | None = None,
        event_type: str = "purchase",
    ) -> Dataset:
        """Build from per-user item index sequences (timestamps = positions); for benches/tests."""
        lengths = np.array([len(s) for s in sequences], dtype=np.int64)
        items = (
            np.concatenate([np.asarray(s, dtype=np.int64) for s in sequences])
            if len(sequences) and lengths.sum()
            else np.zeros(0, dtype=np.int64)
        )
        if n_items is None:
            n_items = int(items.max()) + 1 if len(items) else 0
        users = np.repeat(np.arange(len(sequences)), lengths)
        times = np.concatenate([np.arange(n) for n in lengths]) if len(lengths) else np.zeros(0)
        e = len(items)
        return cls(
            user_ids=np.array(
                [str(u) for u in (user_ids if user_ids is not None else range(len(sequences)))],
                dtype=object,
            ),
            item_ids=np.array(
                [str(i) for i in (item_ids if item_ids is not None else range(n_items))],
                dtype=object,
            ),
            users=users,
            items=items,
            types=np.full(e, TYPE_CODE[event_type]),
            times=times,
            quantities=np.ones(e),
            values=np.full(e, np.nan),
            orders=np.full(e, -1),
        )

    @classmethod
    def from_workspace(cls, ws: Workspace, *, include_idle_customers: bool = True) -> Dataset:
        """Every customer, item and event of the workspace (refunds included, typed as such)."""
        conn = ws.conn
        cust = conn.execute(
            "SELECT id, external_id FROM customers ORDER BY id"
        ).fetchall()
        if not include_idle_customers:
            active = {r[0] for r in conn.execute("SELECT DISTINCT customer_id FROM events")}
            cust = [c for c in cust if c[0] in active]
        item_rows = conn.execute(
            "SELECT i.id, i.external_id, i.title, i.description, i.category, i.vendor, i.price, "
            "i.stock, i.published, i.variant_of, "
            "CASE WHEN json_valid(i.attrs) THEN json_extract(i.attrs, '$.gift_card') END, "
            "c.recommend FROM items i LEFT JOIN item_choices c ON c.item_id = i.id ORDER BY i.id"
        ).fetchall()
        user_keys = np.array([c[0] for c in cust], dtype=np.int64)
        item_keys = np.array([r[0] for r in item_rows], dtype=np.int64)

        import pandas as pd

        # (the table's own key order, so SQLite reads it without sorting; events of one moment
        # come order by order, each order's lines in their order)
        ev = pd.read_sql_query(
            "SELECT customer_id, item_id, ts, quantity, value, type, order_id FROM events "
            "ORDER BY customer_id, ts, order_id, line_no", conn
        )
        type_arr = ev["type"].map(TYPE_CODE).fillna(TYPE_CODE["view"]).to_numpy(np.int8)
        order_codes, _ = pd.factorize(ev["order_id"].replace("", None), use_na_sentinel=True)
        cust_keys = ev["customer_id"].to_numpy(np.int64)
        item_ev_keys = ev["item_id"].to_numpy(np.int64)
        u_pos = np.searchsorted(user_keys, cust_keys)
        i_pos = np.searchsorted(item_keys, item_ev_keys)
        ok = (u_pos < len(user_keys)) & (i_pos < len(item_keys))
        ok[ok] &= user_keys[u_pos[ok]] == cust_keys[ok]
        ok[ok] &= item_keys[i_pos[ok]] == item_ev_keys[ok]

        guests = pd.read_sql_query(
            "SELECT order_id, item_id, ts FROM anonymous_lines WHERE type = 'purchase' "
            "ORDER BY order_id, ts, line_no" if ws.has_table("anonymous_lines")
            else "SELECT '' AS order_id, 0 AS item_id, 0 AS ts WHERE 0",  # (not upgraded yet)
            conn,
        )
        g_keys = guests["item_id"].to_numpy(np.int64)
        g_pos = np.searchsorted(item_keys, g_keys)
        g_ok = g_pos < len(item_keys)
        g_ok[g_ok] &= item_keys[g_pos[g_ok]] == g_keys[g_ok]
        guest_baskets, _ = pd.factorize(guests["order_id"].to_numpy(dtype=object)[g_ok])

        def col(k: int, fill=""):
            return np.array([fill if r[k] is None else r[k] for r in item_rows], dtype=object)

        catalog = Catalog(
            title=col(2),
            description=col(3),
            category=col(4),
            vendor=col(5),
            price=np.array([np.nan if r[6] is None else r[6] for r in item_rows], dtype=float),
            stock=np.array([np.nan if r[7] is None else r[7] for r in item_rows], dtype=float),
            published=np.array([-1 if r[8] is None else int(r[8]) for r in item_rows], np.int8),
            variant_of=col(9),
            gift_card=np.array([r[10] in (1, "1", "true", "TRUE", "yes") for r in item_rows], dtype=bool),
            owner_choice=np.array([-1 if r[11] is None else int(r[11]) for r in item_rows], np.int8),
        )
        return cls(
            user_ids=np.array([c[1] for c in cust], dtype=object),
            item_ids=np.array([r[1] for r in item_rows], dtype=object),
            users=u_pos[ok],
            items=i_pos[ok],
            types=type_arr[ok],
            times=ev["ts"].to_numpy(np.int64)[ok],
            quantities=ev["quantity"].to_numpy(np.float64)[ok],
            values=ev["value"].to_numpy(np.float64, na_value=np.nan)[ok],
            orders=order_codes[ok],
            catalog=catalog,
            user_keys=user_keys,
            item_keys=item_keys,
            workspace_path=str(ws.path) if ws.path is not None else None,
            guest_items=g_pos[g_ok],
            guest_baskets=guest_baskets,
            guest_times=guests["ts"].to_numpy(np.int64)[g_ok],
        )


def _renumber(codes: np.ndarray) -> np.ndarray:
    """Basket numbers 0..B-1 in order of first appearance (after some lines were dropped)."""
    _, first, inverse = np.unique(codes, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return rank[inverse.ravel()]


def split_last(ds: Dataset, types: Iterable[str] | None = None) -> tuple[Dataset, np.ndarray]:
    """Hold out each user's last event (of ``types``): returns (rest, target item per user or -1).

    Users with fewer than two such events keep their history and get target -1.
    """
    codes = type_codes(types)
    eligible = np.isin(ds.types, codes)
    idx = np.flatnonzero(eligible)
    users = ds.users[idx]
    counts = np.bincount(users, minlength=ds.n_users)
    last = np.full(ds.n_users, -1, dtype=np.int64)
    # events are sorted by user/time, so the last eligible index per user wins
    last[users] = idx
    targets = np.full(ds.n_users, -1, dtype=np.int64)
    has = (counts >= 2) & (last >= 0)
    targets[has] = ds.items[last[has]]
    keep = np.ones(ds.n_events, dtype=bool)
    keep[last[has]] = False
    return ds.with_events(keep), targets
