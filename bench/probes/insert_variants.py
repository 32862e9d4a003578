"""How fast Python can put event rows into SQLite: the floor under ShopRec's importer.

Inserts the same synthetic rows (5 bound parameters each, 64 rows a statement, sorted by key in
``--batch``-row batches, one transaction, WAL, 32 MB page cache as the parallel import uses) into
three schemas of the ``events`` table:

- ``rowid + unique index``: a rowid table plus the identity index (ShopRec's schema up to v2),
- ``WITHOUT ROWID``: the table keyed by the identity itself (schema v3, as shipped),
- ``no index``: a rowid table without any index, which cannot find duplicates (the floor).

Each with the event type as text (as shipped) and as an integer code. Times are wall seconds of
the inserts (building the rows to bind included) and of the commit.

Usage: ``python bench/insert_variants.py [--rows N] [--batch B]``
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from pathlib import Path

import numpy as np

COLUMNS = ("customer_id INTEGER NOT NULL, item_id INTEGER NOT NULL, type {type} NOT NULL, "
           "quantity REAL NOT NULL DEFAULT 1, value REAL, ts INTEGER NOT NULL, "
           "order_id TEXT NOT NULL DEFAULT '', line_no INTEGER NOT NULL DEFAULT 0, import_id INTEGER")
OLD_KEY = "customer_id, ts, item_id, type, order_id, line_no"
KEY = "customer_id, ts, order_id, line_no, item_id, type"
SCHEMAS = {
    "rowid + unique index": ["CREATE TABLE events (id INTEGER PRIMARY KEY, {columns})",
                             f"CREATE UNIQUE INDEX identity ON events ({OLD_KEY})"],
    "WITHOUT ROWID": [f"CREATE TABLE events ({{columns}}, PRIMARY KEY ({KEY})) WITHOUT ROWID"],
    "no index": ["CREATE TABLE events (id INTEGER PRIMARY KEY, {columns})"],
}
ONE = "(?, ?, ?, ?, ?, '', 0, 1)"
SQL = ("INSERT OR IGNORE INTO events (customer_id, item_id, type, quantity, ts, order_id, line_no, "
       "import_id) VALUES ")
GROUP = 64
SLICE = 50_000


def run(path: Path, columns: list[np.ndarray], schema: str, type_sql: str, batch: int) -> tuple[float, float]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA cache_size=-32768")
    for statement in SCHEMAS[schema]:
        conn.execute(statement.format(columns=COLUMNS.format(type=type_sql)))
    n, width = len(columns[0]), len(columns)
    t0 = time.perf_counter()
    conn.execute("BEGIN")
    inserted = 0
    for lo in range(0, n, batch):
        part = [c[lo : lo + batch] for c in columns]
        order = np.lexsort((part[4], part[0]))
        for s in range(0, len(order), SLICE):
            rows = order[s : s + SLICE]
            flat: list[object] = [None] * (len(rows) * width)
            for j, col in enumerate(part):
                flat[j::width] = col[rows].tolist()
            whole = len(rows) // GROUP * GROUP
            step = width * GROUP
            inserted += conn.executemany(SQL + ", ".join([ONE] * GROUP),
                                         [flat[i : i + step] for i in range(0, whole * width, step)]).rowcount
            if whole < len(rows):
                inserted += conn.executemany(
                    SQL + ONE, [flat[i : i + width] for i in range(whole * width, len(flat), width)]).rowcount
    t1 = time.perf_counter()
    conn.execute("COMMIT")
    t2 = time.perf_counter()
    conn.close()
    assert inserted == n
    return t1 - t0, t2 - t1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--batch", type=int, default=200_000, help="rows sorted together (the importer's BATCH_ROWS)")
    args = ap.parse_args()
    n = args.rows
    rng = np.random.default_rng(0)
    cust = rng.integers(1, n // 20, n)
    ts = rng.choice(np.arange(1_767_225_600, 1_767_225_600 + 180 * 86400), n, replace=False)
    kinds = rng.integers(0, 4, n)
    names = np.array(["view", "cart", "fav", "purchase"], dtype=object)
    common = [cust, rng.integers(1, n // 50, n)]
    rest = [rng.integers(1, 4, n).astype(float), ts]
    print(f"{n:,} rows, sorted in batches of {args.batch:,}: insert s + commit s")
    with tempfile.TemporaryDirectory() as tmp:
        for schema in SCHEMAS:
            for type_sql, types in (("TEXT", names[kinds]), ("INTEGER", kinds + 1)):
                path = Path(tmp) / f"{len(list(Path(tmp).iterdir()))}.db"
                insert, commit = run(path, [*common, types, *rest], schema, type_sql, args.batch)
                print(f"  {schema:22s} type {type_sql:7s}: {insert:5.2f} + {commit:4.2f} = {insert + commit:5.2f} s"
                      f"   ({path.stat().st_size / 1e6:.0f} MB)")


if __name__ == "__main__":
    main()
