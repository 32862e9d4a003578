"""How fast Python can put 1M event rows into SQLite: the floor under ShopRec's importer.

Inserts the same 1,000,000 synthetic rows (5 bound parameters each, 50,000-row chunks sorted by
index key, one transaction, WAL, 96 MB page cache) four ways: one row per ``INSERT`` statement or
``--group`` rows per statement, each with and without the ``events`` unique identity index.

Usage: ``python bench/insert_variants.py [--rows N] [--group G]``
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from pathlib import Path

import numpy as np

SCHEMA = ("CREATE TABLE events (id INTEGER PRIMARY KEY, customer_id INT, item_id INT, type TEXT, "
          "quantity REAL, ts INT, order_id TEXT, line_no INT, import_id INT)")
INDEX = "CREATE UNIQUE INDEX identity ON events (customer_id, ts, item_id, type, order_id, line_no)"
ONE = "(?, ?, ?, ?, ?, '', 0, 1)"
SQL = ("INSERT OR IGNORE INTO events (customer_id, item_id, type, quantity, ts, order_id, line_no, "
       "import_id) VALUES ")


def run(path: Path, columns: list[np.ndarray], group: int, index: bool, chunk: int = 50_000) -> float:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA cache_size=-98304")
    conn.execute(SCHEMA)
    if index:
        conn.execute(INDEX)
    n = len(columns[0])
    t0 = time.process_time()
    conn.execute("BEGIN")
    inserted = 0
    for lo in range(0, n, chunk):
        part = [c[lo : lo + chunk] for c in columns]
        order = np.lexsort((part[4], part[0]))
        table = np.empty((len(order), 5), dtype=object)
        for j, col in enumerate(part):
            table[:, j] = col[order].tolist()
        whole = len(order) // group * group
        if whole:
            inserted += conn.executemany(SQL + ", ".join([ONE] * group),
                                         table[:whole].reshape(-1, 5 * group).tolist()).rowcount
        if whole < len(order):
            inserted += conn.executemany(SQL + ONE, table[whole:].tolist()).rowcount
    conn.commit()
    seconds = time.process_time() - t0
    conn.close()
    assert inserted == n
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--group", type=int, default=64)
    args = ap.parse_args()
    n = args.rows
    rng = np.random.default_rng(0)
    cust = rng.integers(1, n // 20, n)
    ts = rng.choice(np.arange(1_767_225_600, 1_767_225_600 + 180 * 86400), n, replace=False)
    columns = [cust, rng.integers(1, n // 50, n), rng.choice(["view", "cart", "fav", "purchase"], n),
               rng.integers(1, 4, n).astype(float), ts]
    print(f"{n:,} rows, CPU seconds of the insert (building row tuples included)")
    with tempfile.TemporaryDirectory() as tmp:
        for index in (False, True):
            for group in (1, args.group):
                s = run(Path(tmp) / f"g{group}i{int(index)}.db", columns, group, index)
                print(f"  {'with' if index else 'without'} identity index, {group:>3} rows a statement: {s:.2f} s")


if __name__ == "__main__":
    main()
