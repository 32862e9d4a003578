"""Shop ids (text) to workspace surrogate keys, creating customers and items on first sight.

A bounded cache keeps the hot path to one dict lookup per distinct id per chunk; misses go to
SQL in batches, so memory stays bounded however many distinct ids a file has.
"""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd

_BATCH = 500  # SQLite's default limit on host parameters is 999


class Interner:
    """``ids(keys)`` -> integer keys of ``table`` (customers or items), inserting new ones."""

    def __init__(self, conn: sqlite3.Connection, table: str, extra: tuple[str, ...] = (),
                 cap: int = 200_000) -> None:
        self.conn = conn
        self.table = table
        self.extra = extra  # columns filled for newly created rows (e.g. items.title)
        self.cap = cap
        self.cache: dict[str, int] = {}
        self.created = 0
        self._was_empty: bool | None = None  # the table had no rows before this import
        if conn is not None:
            self.holds_only(0)

    def holds_only(self, n_ids: int) -> bool:
        """Whether ``n_ids`` distinct ids, all found or created by this interner, must be every
        row of the table: true when the table was empty before and exactly that many were
        created. A caller holding those ids then knows any other key is not in the table."""
        if self._was_empty is None:
            self._was_empty = self.conn.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {self.table})").fetchone()[0] == 1
        return bool(self._was_empty) and self.created == n_ids

    def ids(self, keys: np.ndarray, extra: dict[str, np.ndarray] | None = None,
            remember: bool = True, unseen: bool = False) -> np.ndarray:
        """The ids of ``keys``. ``remember=False`` leaves the cache as it was: for a caller
        that keeps the ids itself (the code book of :mod:`.parser_process` resolves each id text once).
        ``unseen=True``: the caller knows no key is in the table yet (see :meth:`holds_only`),
        so none is looked up."""
        if not remember:
            kept, self.cache = self.cache, {}
            try:
                return self.ids(keys, extra, unseen=unseen)
            finally:
                self.cache = kept
        # One dict lookup per distinct id of the chunk, not per row: factorize is vectorised.
        codes, uniques = pd.factorize(keys)
        uniq = uniques.tolist()
        cache = self.cache
        try:  # the common case once a file is under way: every id already known
            known = np.fromiter(map(cache.__getitem__, uniq), dtype=np.int64, count=len(uniq))
            return known[codes]
        except KeyError:
            pass
        missing = [k for k in uniq if k not in cache]
        if len(cache) + len(missing) > self.cap:
            # Full: keep the newer half (a dict remembers insertion order) rather than nothing,
            # so a file with more distinct ids than the cap still finds most of them here.
            newer = list(cache.items())[len(cache) // 2:]
            cache.clear()
            cache.update(newer)
            missing = [k for k in uniq if k not in cache]
        if unseen:
            new = missing
        else:
            self._load(missing)
            new = [k for k in missing if k not in cache]
        if new:
            self._create(new, keys, extra or {})
        known = np.fromiter(map(cache.__getitem__, uniq), dtype=np.int64, count=len(uniq))
        return known[codes]

    def _load(self, keys: list[str]) -> None:
        for i in range(0, len(keys), _BATCH):
            part = keys[i : i + _BATCH]
            marks = ",".join("?" * len(part))
            self.cache.update(
                self.conn.execute(
                    f"SELECT external_id, id FROM {self.table} WHERE external_id IN ({marks})", part
                )
            )

    def _create(self, new: list[str], keys: np.ndarray, extra: dict[str, np.ndarray]) -> None:
        cols = [c for c in self.extra if c in extra]
        firsts: dict[str, dict] = {}
        for c in cols:  # the first non-empty value seen for each new id (e.g. its title)
            col = extra[c]
            given = col != ""
            if given.any():
                frame = pd.DataFrame({"k": keys[given], "v": col[given]}).drop_duplicates("k")
                firsts[c] = dict(zip(frame["k"].tolist(), frame["v"].tolist(), strict=True))
        cols = [c for c in cols if c in firsts]
        rows = [(k, *(firsts[c].get(k) for c in cols)) for k in new]
        names = ", ".join(["external_id", *cols])
        marks = ", ".join("?" * (1 + len(cols)))
        # SQLite gives a new row of an INTEGER PRIMARY KEY table max(id) + 1, and nothing else
        # writes inside our transaction: the new ids are the next consecutive numbers.
        top = self.conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {self.table}").fetchone()[0]
        self.conn.executemany(f"INSERT INTO {self.table} ({names}) VALUES ({marks})", rows)
        self.cache.update(zip(new, range(top + 1, top + 1 + len(new)), strict=True))
        self.created += len(new)
