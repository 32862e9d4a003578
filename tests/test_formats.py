"""Every built-in format, read from a hand-written fixture, lands in the workspace as a shop owner
would expect: right customers, items, event types, quantities, values and dates."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from shoprec.core.importing import ImportFailed, import_file, known_formats

FIXTURES = Path(__file__).parent / "fixtures"


def ts(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=timezone.utc).timestamp())


def events(ws) -> list[tuple]:
    return ws.conn.execute(
        "SELECT c.external_id, i.external_id, e.type, e.quantity, e.value, e.ts, e.order_id "
        "FROM events e JOIN customers c ON c.id = e.customer_id JOIN items i ON i.id = e.item_id "
        "ORDER BY e.ts, e.order_id, e.line_no, c.external_id"
    ).fetchall()


def items(ws) -> dict[str, dict]:
    cur = ws.conn.execute(
        "SELECT external_id, sku, title, description, category, price, stock, published, vendor, "
        "variant_of, url FROM items ORDER BY id"
    )
    names = [d[0] for d in cur.description]
    return {row[0]: dict(zip(names, row, strict=True)) for row in cur}


def imp(ws, name: str, **kw):
    s = import_file(ws, FIXTURES / name, **kw)
    assert s.rows_read == s.imported + s.anonymous + s.duplicates + s.rejected
    return s


def rejects(ws) -> list[tuple[int, str]]:
    return ws.conn.execute("SELECT line, reason FROM rejects ORDER BY line").fetchall()


def anonymous(ws) -> list[tuple[str, str]]:
    return ws.conn.execute("SELECT order_id, type FROM anonymous_lines ORDER BY order_id, line_no").fetchall()


def test_every_builtin_format_has_a_fixture_tested_here():
    tested = {
        "shopify_orders", "shopify_products", "shopify_customers", "woocommerce_products",
        "woocommerce_order_items", "woocommerce_analytics_orders", "square_item_sales",
        "etsy_sold_order_items", "prestashop_orders", "prestashop_order_details",
        "magento_catalog", "movielens", "movielens_movies", "movielens_u_item", "taobao", "events",
        "sequences", "pairs",
    }
    assert {s.name for s in known_formats()} == tested


def test_shopify_products_variants_and_image_rows(ws):
    s = imp(ws, "shopify_products.csv")
    assert s.format == "shopify_products"
    assert (s.imported, s.duplicates, s.rejected) == (5, 0, 0)
    it = items(ws)
    # The extra image row adds its picture to the product's first variant.
    attrs = ws.conn.execute("SELECT attrs FROM items WHERE external_id = 'TEE-S'").fetchone()[0]
    assert json.loads(attrs) == {"images": ["https://cdn.example.com/tee-back.jpg"]}
    assert set(it) == {"TEE-S", "TEE-M", "0042", "secret-box"}  # SKU "0042" keeps its zeros
    assert it["TEE-M"]["title"] == "Classic Tee - M"  # named like Shopify order line items
    assert it["TEE-M"]["variant_of"] == "classic-tee"
    assert it["TEE-M"]["category"] == "Apparel & Accessories > Clothing > Shirts"  # from the first row
    assert it["TEE-S"]["description"] == "<p>Soft cotton tee.</p>\n<p>Two lines of HTML.</p>"
    assert (it["TEE-S"]["price"], it["TEE-S"]["stock"], it["TEE-S"]["vendor"]) == (19.9, 12, "Acme")
    assert it["secret-box"]["published"] == 0 and it["0042"]["published"] == 1
    again = imp(ws, "shopify_products.csv")
    assert (again.imported, again.duplicates) == (0, 5)


def test_shopify_customers(ws):
    s = imp(ws, "shopify_customers.csv")
    assert (s.format, s.imported, s.rejected) == ("shopify_customers", 2, 1)
    rows = ws.conn.execute("SELECT external_id, email, name FROM customers ORDER BY id").fetchall()
    assert rows == [("ada@example.com", "ada@example.com", "Ada Lovelace"),
                    ("grace@example.com", "grace@example.com", "Grace Hopper")]
    assert rejects(ws) == [(4, "missing customer")]


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter"),
    [("woocommerce_products_en.csv", "utf-8 (BOM)", ","),
     ("woocommerce_products_fr.csv", "utf-8 (BOM)", ","),
     ("woocommerce_products_de.csv", "cp1252", ";")],
)
def test_woocommerce_products_in_english_french_and_german(ws, name, encoding, delimiter):
    s = imp(ws, name)
    assert (s.format, s.encoding, s.delimiter, s.rejected) == ("woocommerce_products", encoding, delimiter, 0)
    it = items(ws)
    if name.endswith("_en.csv"):
        assert it["HOODIE-BLUE"]["variant_of"] == "HOODIE"  # "id:101" resolved to the parent's SKU
        assert it["HOODIE"]["category"] == "Clothing > Hoodies"
        assert "=CMD" in it  # WooCommerce's formula guard apostrophe removed
        assert it["104"]["published"] == 0 and it["104"]["title"] == "No SKU Poster"
    elif name.endswith("_fr.csv"):
        assert it["CAFE-250"]["price"] == 8.5  # "8,50"
        assert it["CAFE-250"]["title"] == "Café moulu 250 g"
        assert it["CAFE-250"]["category"] == "Épicerie > Café"
    else:
        assert it["BROT-1"]["price"] == 3.49 and it["BREZEL"]["price"] == 0.89
        assert it["BROT-1"]["category"] == "Bäckerei > Brot" and it["BROT-1"]["stock"] == 20


def test_woocommerce_line_items_fill_order_fields_and_refunds(ws):
    s = imp(ws, "woocommerce_order_items.csv")
    assert (s.format, s.imported, s.rejected) == ("woocommerce_order_items", 3, 1)
    assert events(ws) == [
        ("ann@example.com", "MUG-1", "purchase", 2.0, 12.0, ts("2026-03-01 10:15:00"), "5001"),
        ("ann@example.com", "TEA-2", "purchase", 1.0, 4.5, ts("2026-03-01 10:15:00"), "5001"),
        ("bob@example.com", "MUG-1", "refund", 1.0, 6.0, ts("2026-03-02 16:40:00"), "5002"),
    ]
    assert rejects(ws) == [(5, "non-numeric quantity 'three'")]


def test_woocommerce_analytics_baskets(ws):
    s = imp(ws, "woocommerce_analytics_orders.csv")
    assert s.format == "woocommerce_analytics_orders"
    assert (s.rows_read, s.imported, s.rejected) == (4, 3, 1)  # counted per order row
    got = [(c, i, t, q) for c, i, t, q, *_ in events(ws)]
    assert got == [
        ("Ann Smith", "Blue mug", "purchase", 2.0), ("Ann Smith", "Green tea", "purchase", 1.0),
        ("Bob Jones", "Blue mug", "refund", 1.0),
        ("Ann Smith", "Teapot, large", "purchase", 1.0), ("Ann Smith", "Blue mug", "purchase", 1.0),
    ]
    assert rejects(ws) == [(4, "order status 'Failed' is not a sale")]
    assert imp(ws, "woocommerce_analytics_orders.csv").duplicates == 3


def test_square_item_sales_money_dates_and_refunds(ws):
    s = imp(ws, "square_item_sales.csv")
    assert (s.format, s.imported, s.anonymous, s.rejected) == ("square_item_sales", 3, 1, 0)
    assert events(ws) == [
        ("CUST-01", "LAT-R", "purchase", 1.0, 4.5, ts("2026-07-18 09:12:44"), "T1"),
        ("CUST-01", "CRO", "purchase", 2.0, 7.0, ts("2026-07-18 09:12:44"), "T1"),
        ("CUST-01", "LAT-R", "refund", 1.0, 4.5, ts("2026-07-19 14:03:10"), "T2"),  # MM/DD/YYYY, Qty -1.0
    ]
    assert rejects(ws) == []
    assert anonymous(ws) == [("T3", "purchase")]  # an anonymous walk-in sale: a basket, no customer


def test_etsy_sold_order_items(ws):
    s = imp(ws, "EtsySoldOrderItems2026.csv")
    assert (s.format, s.imported, s.rejected) == ("etsy_sold_order_items", 2, 1)
    assert events(ws) == [
        ("craftfan", "RING-7", "purchase", 1.0, 25.0, ts("2026-09-03 00:00:00"), "300001"),
        ("craftfan", "1234567891", "purchase", 2.0, 30.0, ts("2026-09-04 00:00:00"), "300002"),
    ]
    assert rejects(ws) == [(4, "unparseable date '13/45/26'")]


def test_prestashop_orders_list_gives_customers(ws):
    s = imp(ws, "prestashop_orders.csv")
    assert (s.format, s.delimiter, s.imported, s.duplicates) == ("prestashop_orders", ";", 2, 1)
    names = [r[0] for r in ws.conn.execute("SELECT name FROM customers ORDER BY id")]
    assert names == ["J. DOE", "M. MÜLLER"]


def test_prestashop_order_details_latin_encoding_day_first(ws):
    s = imp(ws, "prestashop_order_details.csv")
    assert (s.format, s.encoding, s.imported) == ("prestashop_order_details", "cp1252", 3)
    ev = events(ws)
    assert ev[0][:5] == ("J. DOE", "PULL-01", "purchase", 2.0, 61.8)
    assert ev[0][5] == ts("2026-05-02 10:11:00")  # 02/05/2026 is 2 May in a French shop
    assert ev[2][:3] == ("M. MÜLLER", "PULL-01", "refund")  # "Remboursé"
    assert items(ws)["ECH-02"]["title"] == "Écharpe"


def test_magento_catalog(ws):
    s = imp(ws, "magento_catalog.csv")
    assert (s.format, s.imported) == ("magento_catalog", 2)
    it = items(ws)
    assert it["24-MB01"]["category"] == "Gear > Bags" and it["24-MB01"]["price"] == 34.0
    assert it["24-MB01"]["published"] == 1 and it["24-MB02"]["published"] == 0
    assert it["24-MB02"]["stock"] == 0


@pytest.mark.parametrize(("name", "delimiter"), [("ratings.dat", "::"), ("u_data_sample.tsv", "\t")])
def test_movielens_headerless_layouts(ws, name, delimiter):
    s = imp(ws, name)
    assert (s.format, s.delimiter, s.rejected) == ("movielens", delimiter, 0)
    got = {(e[0], e[1]): (e[2], e[4], e[5]) for e in events(ws)}
    expected = {("1", "1193"): ("rating", 5.0, 978300760), ("196", "242"): ("rating", 3.0, 881250949)}
    assert any(got.get(key) == want for key, want in expected.items())
    assert len(got) == s.imported


@pytest.mark.parametrize(("name", "encoding"), [("events_zh_gb18030.csv", "gb18030"),
                                                ("events_zh_utf8_bom.csv", "utf-8 (BOM)")])
def test_chinese_event_log(ws, name, encoding):
    s = imp(ws, name)
    assert (s.format, s.encoding, s.imported, s.rejected) == ("events", encoding, 4, 2)
    assert [e[2] for e in events(ws)] == ["view", "cart", "purchase", "fav"]
    assert events(ws)[2][3] == 2.0
    assert items(ws)["SP-001"]["title"] == "绿茶 250克"
    assert ws.conn.execute("SELECT ts FROM events ORDER BY ts DESC").fetchone()[0] == ts("2026-01-06 08:00:00")
    assert rejects(ws) == [(6, "unknown event type '飞行'"), (7, "non-numeric quantity '两'")]


def test_generic_log_ids_stay_text_and_dates_in_any_shape(ws):
    s = imp(ws, "events_pipe.txt")
    assert (s.delimiter, s.imported, s.rejected) == ("|", 4, 3)
    ev = {e[2]: e for e in events(ws) if e[0] == "0042"}
    assert ev["view"][:2] == ("0042", "000123")  # leading zeros kept
    assert ev["cart"][2:] == ("cart", 1.0, None, ts("2026-02-01 09:01:00"), "")  # +01:00 to UTC
    big = [e for e in events(ws) if e[0] != "0042"]
    assert big == [("123456789012345", "9007199254740993", "purchase", 3.0, None, 1769940000, "")]
    # ... long ids never become floats; 1769940000000 was unix milliseconds
    assert rejects(ws) == [(6, "missing customer"), (7, "unknown event type 'teleport'"),
                           (8, "unparseable date 'not a date'")]


def test_online_retail_returns_and_customer_ids(ws):
    imp(ws, "online_retail.csv")
    ev = events(ws)
    assert [e[0] for e in ev] == ["17850"] * 3  # never "17850.0"
    assert ev[2][2:4] == ("refund", 1.0) and ev[2][6] == "C536379"
    assert ev[0][5] == ts("2010-12-01 08:26:00")
    assert rejects(ws) == []
    assert anonymous(ws) == [("536380", "purchase")]  # a guest invoice without CustomerID


def test_cp1252_semicolon_decimal_comma(ws):
    s = imp(ws, "events_cp1252_semicolon.csv")
    assert (s.encoding, s.delimiter, s.imported) == ("cp1252", ";", 2)
    ev = events(ws)
    assert ev[0][:5] == ("Müller", "A-1", "purchase", 1.0, 12.5)
    assert ev[0][5] == ts("2026-02-03 14:30:00")  # 03.02.2026 is 3 February
    assert ev[1][0] == "Jørgensen"
    assert items(ws)["A-1"]["title"] == "Crème brûlée Förmchen"


def test_decimal_comma_quantities_and_thousands(ws):
    imp(ws, "decimal_comma_events.csv")
    ev = events(ws)
    assert ev[0][3:5] == (1.5, pytest.approx(4.485))
    assert ev[1][3:5] == (2.0, 2469.0)  # 2 x "1.234,50"


def test_utf16_tab_and_crlf(ws):
    s = imp(ws, "utf16_events.txt")
    assert (s.encoding, s.delimiter, s.imported) == ("utf-16 (BOM)", "\t", 1)
    assert events(ws)[0][:3] == ("w1", "x1", "view")
    s = imp(ws, "events_tab.tsv")
    assert (s.delimiter, s.imported) == ("\t", 2)


def test_shopify_orders_fixture_first_row_fields_cancellations_and_pos(ws):
    s = imp(ws, "shopify_orders.csv")
    assert (s.format, s.imported, s.anonymous, s.rejected) == ("shopify_orders", 5, 1, 0)
    ev = events(ws)
    # E-mail and date only on the first line item of #1001: all three lines are Ann's.
    assert [e[:4] for e in ev[:3]] == [
        ("ann@example.com", "TEE-S", "purchase", 2.0), ("ann@example.com", "0042", "purchase", 1.0),
        ("ann@example.com", "TEE-S", "purchase", 1.0),  # the same SKU twice in one order: kept
    ]
    assert ev[0][5] == ts("2025-10-07 07:50:26")  # +0200 to UTC
    assert ev[3][:3] == ("bob@example.com", "0042", "refund")  # Cancelled at / refunded
    assert rejects(ws) == []
    assert anonymous(ws) == [("#1003", "purchase")]  # the POS order without e-mail: a basket, no customer
    assert items(ws)["TEE-S"]["title"] == "Classic Tee - S"


def test_movielens_movies_catalog(ws):
    s = imp(ws, "movies.csv")
    assert (s.format, s.imported) == ("movielens_movies", 2)
    assert items(ws)["2"]["title"] == "American President, The (1995)"


def test_taobao_headerless_log_sample(ws):
    s = imp(ws, "UserBehavior_sample.csv")
    assert (s.format, s.imported, s.rejected) == ("taobao", 4, 1)
    assert [e[2] for e in events(ws)] == ["view", "cart", "purchase", "fav"]
    assert rejects(ws) == [(5, "unknown event type 'zap'")]


def test_movielens_u_item_headerless_latin1(ws):
    s = imp(ws, "u_item_sample.txt")
    assert (s.format, s.encoding, s.delimiter, s.imported) == ("movielens_u_item", "cp1252", "|", 2)
    assert items(ws)["2"]["title"] == "Crème (1995)"


def _lines(ws) -> dict[str, list[str]]:
    """Each customer's items in time order."""
    out: dict[str, list[str]] = {}
    for customer, item, *_ in events(ws):
        out.setdefault(customer, []).append(item)
    return out


def test_item_sequences_one_customer_per_line(ws):
    s = imp(ws, "sequences_input.txt")
    assert (s.format, s.rows_read, s.imported, s.rejected) == ("sequences", 5, 5, 0)
    assert _lines(ws) == {"1": ["3", "1", "2"], "2": ["2", "5"], "3": ["7", "7", "1", "4"],
                          "4": ["9"], "5": ["10", "3"]}
    times = [e[5] for e in events(ws) if e[0] == "3"]
    assert times == [ts("2000-01-01") + 86_400 * k for k in range(4)]  # a day apart, in order
    assert {e[2] for e in events(ws)} == {"purchase"}
    again = imp(ws, "sequences_input.txt")
    assert (again.imported, again.duplicates) == (0, 5)


def test_item_sequences_keep_their_line_numbers_across_chunks(ws, monkeypatch):
    from shoprec.core.importing import run

    monkeypatch.setattr(run, "CHUNK_ROWS", 2)
    s = imp(ws, "sequences_input.txt")
    assert s.imported == 5
    assert _lines(ws)["5"] == ["10", "3"] and _lines(ws)["3"] == ["7", "7", "1", "4"]


def test_one_id_per_line_is_not_read_as_sequences(ws, tmp_path):
    path = tmp_path / "skus.txt"
    path.write_text("1001\n1002\n1003\n1004\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="unknown layout"):
        import_file(ws, path)


def test_a_blank_line_among_sequences_is_a_reject_and_keeps_the_numbering(ws, tmp_path):
    path = tmp_path / "input.txt"
    path.write_text("3 1 2\n2 5\n   \n7 7 1 4\n10 3\n", encoding="utf-8")
    s = import_file(ws, path)
    assert (s.format, s.rows_read, s.imported, s.rejected) == ("sequences", 5, 4, 1)
    assert rejects(ws) == [(3, "missing product id")]
    assert _lines(ws)["4"] == ["7", "7", "1", "4"]


def test_customer_item_pairs_are_events_not_two_item_sequences(ws, tmp_path):
    """The SASRec Video.txt layout, ``user item`` a line grouped by user, was read as item
    sequences: every line a customer of two items (287,107 'customers' for 31,013)."""
    path = tmp_path / "Video.txt"
    path.write_text("1 7\n1 3\n1 9\n2 3\n2 4\n3 7\n3 1\n3 3\n", encoding="utf-8")
    s = import_file(ws, path)
    assert (s.format, s.rows_read, s.imported, s.rejected) == ("pairs", 8, 8, 0)
    assert _lines(ws) == {"1": ["7", "3", "9"], "2": ["3", "4"], "3": ["7", "1", "3"]}
    again = import_file(ws, path)
    assert (again.imported, again.duplicates) == (0, 8)


def test_real_video_pairs_give_its_published_customer_count(ws, tmp_path):
    from conftest import shared_data

    full = shared_data("amazon-video-sasrec", "Video.txt")
    head = tmp_path / "Video_head.txt"
    lines = full.read_text(encoding="utf-8").splitlines()[:5000]
    head.write_text("\n".join(lines) + "\n", encoding="utf-8")
    s = import_file(ws, head)
    assert s.format == "pairs" and s.imported == 5000
    assert ws.count("customers") == len({line.split()[0] for line in lines})
