"""Importing the real exports in ../shared/data (skipped when absent)."""

from __future__ import annotations

import pytest
from conftest import shared_data
from shoprec.core.importing import import_file

pytestmark = pytest.mark.realdata


def _identity(s) -> None:
    assert s.rows_read == s.imported + s.anonymous + s.duplicates + s.rejected


def test_shopify_orders_export_line_items_and_refunds(ws):
    path = shared_data("shopify-orders-export-scrubbed", "alphapaw_orders_export_1.scrubbed.csv")
    s = import_file(ws, path)
    assert s.format == "shopify_orders" and s.rows_read == 5121 and s.rejected == 0
    assert s.imported == 5121  # an order listing one SKU on two lines keeps both lines
    _identity(s)
    # Order-level e-mail only on the first line item: every line still has its customer.
    orders, customers = ws.conn.execute(
        "SELECT COUNT(DISTINCT order_id), COUNT(DISTINCT customer_id) FROM events"
    ).fetchone()
    assert orders == 3885
    assert ws.conn.execute(
        "SELECT COUNT(DISTINCT customer_id) FROM events GROUP BY order_id ORDER BY 1 DESC LIMIT 1"
    ).fetchone()[0] == 1
    # Cancelled / refunded orders are refunds, not purchases.
    assert ws.count("events", "type = 'refund'") > 0
    again = import_file(ws, path)
    assert (again.imported, again.duplicates) == (0, 5121)


def test_taobao_head_with_truncated_last_line(ws):
    s = import_file(ws, shared_data("taobao-userbehavior-head", "UserBehavior.csv"))
    assert s.format == "taobao" and (s.rows_read, s.imported, s.rejected) == (84476, 84475, 1)
    line, raw, reason = ws.conn.execute("SELECT line, raw, reason FROM rejects").fetchone()
    assert line == 84476 and raw == "100370,1968385,1875258,pv" and "truncated" in reason
    by_type = ws.info()["events_by_type"]
    # README counts minus exact duplicates of the same user, item, type and second.
    assert by_type["cart"] <= 4497 and by_type["purchase"] <= 1750
    assert sum(by_type.values()) == 84475


@pytest.mark.parametrize(
    ("parts", "rows", "users"),
    [(("ml-latest-small", "ratings.csv"), 100836, 610), (("ml-100k", "u.data"), 100000, 943)],
)
def test_movielens_ratings(ws, parts, rows, users):
    s = import_file(ws, shared_data(*parts))
    assert s.format == "movielens" and s.imported == rows and s.rejected == 0
    assert ws.count("customers") == users
    assert ws.info()["events_by_type"] == {"rating": rows}
    lo, hi = ws.conn.execute("SELECT MIN(value), MAX(value) FROM events").fetchone()
    assert lo >= 0.5 and hi == 5.0


def test_movielens_u_item_latin1_catalog(ws):
    s = import_file(ws, shared_data("ml-100k", "u.item"))
    assert (s.format, s.encoding, s.delimiter, s.imported, s.rejected) == (
        "movielens_u_item", "cp1252", "|", 1682, 0)
    titles = dict(ws.conn.execute("SELECT external_id, title FROM items"))
    assert titles["1"] == "Toy Story (1995)"
    assert any("é" in t for t in titles.values())  # latin-1 accents decoded, not mangled
