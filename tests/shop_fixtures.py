"""A small shop workspace for engine, scoring and evaluation tests (written straight to SQLite).

Two taste groups (coffee and tea drinkers) over 16 items with categories, prices, stock,
a variant family and a consumable that customers re-buy; 40 customers with purchases and views
spread over 120 days, plus one customer who never did anything.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from click.testing import CliRunner
from shoprec.core.store.workspace import Workspace


def run_cli(ws_path: Path, *args: str):
    """``shoprec --workspace WS_PATH ARGS...`` in-process; the click result."""
    from shoprec.core.cli import cli

    return CliRunner().invoke(cli, ["--workspace", str(ws_path), *args])

DAY = 86_400
T0 = 1_700_000_000

ITEMS = [
    # external_id, title, category, price, stock, published, variant_of
    ("C01", "Espresso beans", "Coffee > Beans", 12.0, 10, 1, None),
    ("C02", "Filter coffee", "Coffee > Beans", 9.0, 10, 1, None),
    ("C03", "Moka pot", "Coffee > Gear", 35.0, 5, 1, None),
    ("C04", "Milk frother", "Coffee > Gear", 25.0, 5, 1, None),
    ("C05", "Coffee grinder", "Coffee > Gear", 60.0, 0, 1, None),  # out of stock
    ("C06", "Coffee filters", "Coffee > Supplies", 3.0, 100, 1, None),  # consumable
    ("C07", "Barista course", "Coffee > Gifts", 90.0, None, 0, None),  # unpublished
    ("T01", "Green tea", "Tea > Leaves", 8.0, 10, 1, None),
    ("T02", "Black tea", "Tea > Leaves", 7.0, 10, 1, None),
    ("T03", "Teapot", "Tea > Gear", 30.0, 5, 1, None),
    ("T04", "Tea infuser", "Tea > Gear", 6.0, 5, 1, None),
    ("T05", "Honey", "Tea > Extras", 5.0, 5, 1, None),
    ("M01", "Mug", "Kitchen", 10.0, 10, 1, None),
    ("M01-S", "Mug (small)", "Kitchen", 9.0, 10, 1, "M01"),
    ("M01-L", "Mug (large)", "Kitchen", 11.0, 10, 1, "M01"),
    ("G01", "Gift card", "Gift cards", None, None, None, None),
]


def build_shop(ws: Workspace, n_customers: int = 40, seed: int = 7) -> Workspace:
    rng = np.random.default_rng(seed)
    with ws.atomic() as conn:
        conn.executemany(
            "INSERT INTO items (external_id, title, category, price, stock, published, variant_of) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            ITEMS,
        )
        keys = {row[1]: row[0] for row in conn.execute("SELECT id, external_id FROM items")}
        coffee = ["C01", "C02", "C03", "C04", "C05", "C06", "M01-S"]
        tea = ["T01", "T02", "T03", "T04", "T05", "M01-L"]
        for c in range(n_customers):
            cust = conn.execute(
                "INSERT INTO customers (external_id, email) VALUES (?, ?)",
                (f"K{c:03d}", f"k{c}@example.com"),
            ).lastrowid
            pool = coffee if c % 2 == 0 else tea
            n = 3 + c % 5
            t = T0 + int(rng.integers(0, 30)) * DAY
            for j in range(n):
                item = pool[int(rng.integers(0, len(pool)))] if j else pool[c % 3]
                kind = "purchase" if rng.random() < 0.7 else "view"
                conn.execute(
                    "INSERT OR IGNORE INTO events (customer_id, item_id, type, ts, order_id) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (cust, keys[item], kind, t, f"O{c}-{j}" if kind == "purchase" else ""),
                )
                t += int(rng.integers(1, 10)) * DAY
            if c % 2 == 0:  # coffee drinkers re-buy filters
                for r in range(2):
                    conn.execute(
                        "INSERT INTO events (customer_id, item_id, type, ts, order_id) "
                        "VALUES (?, ?, 'purchase', ?, ?)",
                        (cust, keys["C06"], t + r * 20 * DAY, f"F{c}-{r}"),
                    )
        conn.execute("INSERT INTO customers (external_id, email) VALUES ('NEW', 'new@example.com')")
    return ws


def two_taste_groups(n_users: int, group_items: int, per_customer: int, seed: int) -> list[list[int]]:
    """Histories of two taste groups: the first half of the customers buy ``per_customer`` random
    items among items ``0 .. group_items - 1``, the second half among the next ``group_items``."""
    rng = np.random.default_rng(seed)
    return [list((0 if u < n_users // 2 else group_items) + rng.choice(group_items, size=per_customer,
                                                                       replace=False))
            for u in range(n_users)]


def cycling_taste_groups(n_users: int, min_length: int, spread: int) -> list[list[int]]:
    """Two taste groups (items 0-3 and 4-7) whose customers walk through their four items in a
    fixed cycle, customer u for ``min_length + u % spread`` steps."""
    return [[(0 if u < n_users // 2 else 4) + (u + k) % 4 for k in range(min_length + u % spread)]
            for u in range(n_users)]
