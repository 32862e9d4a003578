"""Prices, vendors and "is this a product?" signals read from order lines.

Without a products export, an item's price and vendor come from its order lines (the latest
non-zero unit price); a products export imported later wins, one imported earlier is never
overwritten. ``items.attrs`` keeps ``requires_shipping``, ``gift_card``, ``lines`` and
``zero_price_lines`` for the non-merchandise detector.
"""

from __future__ import annotations

import json
from pathlib import Path

from shoprec.core.importing import import_file

ORDERS_HEAD = ("Name,Email,Financial Status,Created at,Lineitem quantity,Lineitem name,Lineitem price,"
               "Lineitem sku,Lineitem requires shipping,Vendor\n")
PRODUCTS_HEAD = ("Handle,Title,Body (HTML),Vendor,Type,Published,Option1 Name,Option1 Value,Variant SKU,"
                 "Variant Price,Variant Requires Shipping,Gift Card,Status\n")


def _write(tmp_path: Path, name: str, head: str, rows: list[str]) -> Path:
    path = tmp_path / name
    path.write_text(head + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _orders(tmp_path: Path, name: str = "orders_export.csv", mug_price: str = "12.00",
            day: str = "2025-10-09") -> Path:
    return _write(tmp_path, name, ORDERS_HEAD, [
        "#1001,ann@example.com,paid,2025-10-07 09:50:26 +0200,1,Ceramic Mug,10.00,MUG,true,Acme Pottery",
        "#1001,ann@example.com,paid,2025-10-07 09:50:26 +0200,1,Shipping protection,0.00,PROTECT,false,Route",
        "#1001,ann@example.com,paid,2025-10-07 09:50:26 +0200,1,Gift Card €50,50.00,GIFT50,false,Acme Pottery",
        f"#1002,bob@example.com,paid,{day} 10:00:00 +0200,2,Ceramic Mug,{mug_price},MUG,true,Acme Pottery",
        f"#1002,bob@example.com,paid,{day} 10:00:00 +0200,1,Shipping protection,0.00,PROTECT,false,Route",
        f"#1003,cy@example.com,paid,{day} 11:00:00 +0200,1,Ceramic Mug,0.00,MUG,true,Acme Pottery",
    ])


def _products(tmp_path: Path) -> Path:
    return _write(tmp_path, "products_export.csv", PRODUCTS_HEAD, [
        "mug,Ceramic Mug,<p>Mug</p>,Acme,Kitchen,true,Title,Default Title,MUG,14.50,true,false,active",
        "gift-card,Gift Card,<p>Card</p>,Acme,Gift,true,Denomination,€50,GIFT50,50.00,false,true,active",
    ])


def _item(ws, sku: str) -> tuple[float | None, str | None, dict]:
    price, vendor, attrs = ws.conn.execute(
        "SELECT price, vendor, attrs FROM items WHERE external_id = ?", (sku,)).fetchone()
    return price, vendor, json.loads(attrs or "{}")


def test_without_a_products_export_prices_and_vendors_come_from_order_lines(ws, tmp_path):
    import_file(ws, _orders(tmp_path))
    price, vendor, attrs = _item(ws, "MUG")
    assert (price, vendor) == (12.0, "Acme Pottery")  # the latest non-zero unit price, not 10 or 0
    assert attrs["price_from_orders_at"] > 0 and attrs["vendor_from_orders_at"] > 0  # (taken from orders)
    assert attrs["requires_shipping"] is True
    assert (attrs["lines"], attrs["zero_price_lines"]) == (3, 1)
    price, vendor, attrs = _item(ws, "PROTECT")
    assert (price, vendor) == (None, "Route")  # only ever sold at 0: no price to give
    assert attrs["requires_shipping"] is False
    assert (attrs["lines"], attrs["zero_price_lines"]) == (2, 2)
    assert _item(ws, "GIFT50")[2]["requires_shipping"] is False


def test_reimporting_does_not_count_lines_twice(ws, tmp_path):
    path = _orders(tmp_path)
    import_file(ws, path)
    import_file(ws, path)
    assert (_item(ws, "MUG")[2]["lines"], _item(ws, "PROTECT")[2]["zero_price_lines"]) == (3, 2)


def test_a_later_products_export_wins(ws, tmp_path):
    import_file(ws, _orders(tmp_path))
    s = import_file(ws, _products(tmp_path))
    assert s.imported == 2
    price, vendor, attrs = _item(ws, "MUG")
    assert (price, vendor) == (14.5, "Acme")
    assert "price_from_orders_at" not in attrs and "vendor_from_orders_at" not in attrs
    assert attrs["requires_shipping"] is True and attrs["gift_card"] is False
    assert attrs["lines"] == 3  # (what orders said about the lines stays)
    _, _, gift = _item(ws, "GIFT50")
    assert (gift["gift_card"], gift["requires_shipping"]) == (True, False)
    # ...and stays the winner when orders come again
    import_file(ws, _orders(tmp_path, "orders_2.csv", mug_price="11.00", day="2025-11-01"))
    assert _item(ws, "MUG")[:2] == (14.5, "Acme")


def test_an_earlier_products_export_is_never_overwritten_by_orders(ws, tmp_path):
    import_file(ws, _products(tmp_path))
    import_file(ws, _orders(tmp_path))
    price, vendor, attrs = _item(ws, "MUG")
    assert (price, vendor) == (14.5, "Acme")
    assert not any(k.endswith("_from_orders_at") for k in attrs) and attrs["lines"] == 3


def test_an_older_orders_file_imported_later_does_not_set_an_old_price(ws, tmp_path):
    import_file(ws, _orders(tmp_path, "new.csv", mug_price="13.00", day="2025-12-01"))
    import_file(ws, _orders(tmp_path, "old.csv", mug_price="9.00", day="2025-10-08"))
    assert _item(ws, "MUG")[0] == 13.0
    import_file(ws, _orders(tmp_path, "newer.csv", mug_price="15.00", day="2026-01-05"))
    assert _item(ws, "MUG")[0] == 15.0


def test_line_totals_give_a_unit_price_and_guest_lines_count_too(ws, tmp_path):
    path = _write(tmp_path, "sales.csv", "order,customer,sku,quantity,total,date\n", [
        "o1,c1,TEA,2,7.00,2026-01-02",
        "o2,,TEA,1,3.80,2026-01-05",  # a guest's line: its price is the latest
        "o3,c2,TEA,3,0,2026-01-04",
    ])
    s = import_file(ws, path)
    assert (s.imported, s.anonymous) == (2, 1)
    price, _, attrs = _item(ws, "TEA")
    assert price == 3.8 and (attrs["lines"], attrs["zero_price_lines"]) == (3, 1)


FIXTURES = Path(__file__).parent / "fixtures"


def test_every_order_format_with_prices_fills_them(ws):
    # Square gives line totals (2 croissants for $7.00: $3.50 each), the others unit prices.
    expected = {
        "square_item_sales.csv": {"LAT-R": 4.5, "CRO": 3.5, "ESP": 3.0},
        "woocommerce_order_items.csv": {"MUG-1": 6.0, "TEA-2": 4.5},
        "EtsySoldOrderItems2026.csv": {"RING-7": 25.0, "1234567891": 15.0},
        "prestashop_order_details.csv": {"PULL-01": 30.9, "ECH-02": 15.0},
    }
    for name, prices in expected.items():
        import_file(ws, FIXTURES / name)
        got = dict(ws.conn.execute(
            f"SELECT external_id, price FROM items WHERE external_id IN ({','.join('?' * len(prices))})",
            list(prices)))
        assert got == prices, name


def test_lines_add_up_over_files_with_and_without_prices_and_never_twice(ws, tmp_path):
    no_prices = _write(tmp_path, "log.csv", "customer,sku,event,date\n", [
        "c1,MUG,purchase,2025-09-01", "c2,MUG,purchase,2025-09-02", "c2,MUG,view,2025-09-02"])
    import_file(ws, no_prices)
    assert (_item(ws, "MUG")[2]["lines"], _item(ws, "MUG")[2]["zero_price_lines"]) == (2, 0)
    import_file(ws, _orders(tmp_path))  # 3 more mug lines, one at 0.00
    assert (_item(ws, "MUG")[2]["lines"], _item(ws, "MUG")[2]["zero_price_lines"]) == (5, 1)
    import_file(ws, _orders(tmp_path))  # all duplicates: counted afresh, the same
    import_file(ws, no_prices)
    assert (_item(ws, "MUG")[2]["lines"], _item(ws, "MUG")[2]["zero_price_lines"]) == (5, 1)


def test_a_workspace_from_before_counts_its_lines_when_it_is_upgraded(tmp_path):
    import sqlite3

    from shoprec.core.store import workspace as wsmod

    path = tmp_path / "old.shoprec"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)")
    for version, migrate in enumerate(wsmod.MIGRATIONS[:3], start=1):
        migrate(conn)
        conn.execute("INSERT INTO schema_migrations VALUES (?, 0)", (version,))
    conn.execute("INSERT INTO customers (id, external_id) VALUES (1, 'c1')")
    conn.execute("INSERT INTO items (id, external_id) VALUES (1, 'MUG'), (2, 'TEA')")
    conn.executemany("INSERT INTO events (customer_id, item_id, type, ts, value, line_no) VALUES (1, ?, ?, ?, ?, 0)",
                     [(1, "purchase", 1, 5.0), (1, "purchase", 2, 0.0), (1, "view", 3, None), (2, "view", 4, None)])
    conn.close()
    with wsmod.Workspace(path) as upgraded:
        attrs = dict(upgraded.conn.execute("SELECT external_id, attrs FROM items"))
    assert json.loads(attrs["MUG"]) == {"lines": 2, "zero_price_lines": 1}
    assert attrs["TEA"] is None
