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
                 cap: int = 300_000) -> None:
        self.conn = conn
        self.table = table
        self.extra = extra  # columns filled for newly created rows (e.g. items.title)
        self.cap = cap
        self.cache: dict[str, int] = {}
        self.created = 0

    def ids(self, keys: pd.Series, extra: dict[str, pd.Series] | None = None) -> np.ndarray:
        uniq = pd.unique(keys.to_numpy(dtype=object))
        missing = [k for k in uniq if k not in self.cache]
        if missing:
            if len(self.cache) + len(missing) > self.cap:
                self.cache.clear()
            self._load(missing)
            new = [k for k in missing if k not in self.cache]
            if new:
                self._create(new, keys, extra or {})
                self._load(new)
        return keys.map(self.cache).to_numpy(dtype=np.int64)

    def _load(self, keys: list[str]) -> None:
        for i in range(0, len(keys), _BATCH):
            part = keys[i : i + _BATCH]
            marks = ",".join("?" * len(part))
            self.cache.update(
                self.conn.execute(
                    f"SELECT external_id, id FROM {self.table} WHERE external_id IN ({marks})", part
                )
            )

    def _create(self, new: list[str], keys: pd.Series, extra: dict[str, pd.Series]) -> None:
        cols = [c for c in self.extra if c in extra]
        firsts = {}
        if cols:
            frame = pd.DataFrame({"k": keys, **{c: extra[c] for c in cols}})
            frame = frame[frame["k"].isin(new)].drop_duplicates("k").set_index("k")
            firsts = {c: frame[c].replace("", None).to_dict() for c in cols}
        rows = [(k, *(firsts[c].get(k) for c in cols)) for k in new]
        names = ", ".join(["external_id", *cols])
        marks = ", ".join("?" * (1 + len(cols)))
        self.conn.executemany(f"INSERT INTO {self.table} ({names}) VALUES ({marks})", rows)
        self.created += len(new)
