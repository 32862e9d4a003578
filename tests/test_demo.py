"""The demo shop: deterministic, in the real export layouts, with tastes worth learning."""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from shoprec.core import demo
from shoprec.core.demo import DEPARTMENTS, generate_demo_shop
from shoprec.core.demo.catalog import (
    CUSTOMER_COLUMNS,
    PRODUCT_COLUMNS,
    berlin_offset_hours,
    shopify_time,
)
from shoprec.core.demo.orders import ORDER_COLUMNS

SHOPIFY_DATE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0[12]00$")
ORDER_LEVEL = ("Financial Status", "Paid at", "Currency", "Subtotal", "Total", "Billing Name",
               "Shipping Zip", "Id")


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        return header, [dict(zip(header, row, strict=True)) for row in reader]


@pytest.fixture(scope="module")
def small_shop(tmp_path_factory) -> demo.DemoShop:
    return generate_demo_shop(tmp_path_factory.mktemp("shop"), seed=7, n_products=84,
                              n_customers=300)


def test_same_seed_same_bytes_other_seed_other_shop(tmp_path):
    a = generate_demo_shop(tmp_path / "a", seed=3, n_products=42, n_customers=60)
    b = generate_demo_shop(tmp_path / "b", seed=3, n_products=42, n_customers=60)
    c = generate_demo_shop(tmp_path / "c", seed=4, n_products=42, n_customers=60)
    for fa, fb, fc in zip(a.files, b.files, c.files, strict=True):
        assert fa.read_bytes() == fb.read_bytes(), fa.name
        assert fa.read_bytes() != fc.read_bytes(), fa.name


def test_products_export_layout(small_shop):
    header, rows = _read(small_shop.folder / demo.PRODUCTS_FILE)
    assert tuple(header) == PRODUCT_COLUMNS
    by_handle = defaultdict(list)
    for r in rows:
        by_handle[r["Handle"]].append(r)
    assert len(by_handle) == small_shop.products
    skus = [r["Variant SKU"] for r in rows if r["Variant SKU"]]
    assert len(skus) == len(set(skus)) == small_shop.variants
    for handle, group in by_handle.items():
        first, rest = group[0], group[1:]
        assert first["Title"] and first["Vendor"] and " > " in first["Product Category"]
        assert first["Status"] in {"active", "draft", "archived"}
        # product-level fields only on the product's first row, as Shopify writes them
        assert all(r["Title"] == "" and r["Vendor"] == "" for r in rest)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", handle)
        image_rows = [r for r in group if not r["Variant SKU"]]
        assert image_rows and all(r["Image Src"].endswith(".jpg") for r in image_rows)
    prices = [float(r["Variant Price"]) for r in rows if r["Variant SKU"]]
    assert min(prices) > 0 and max(prices) < 1000
    assert any(r["Variant Inventory Qty"] == "0" for r in rows if r["Variant SKU"])
    barcodes = [r["Variant Barcode"] for r in rows if r["Variant SKU"]]
    assert all(len(b) == 13 and b.isdigit() for b in barcodes)


def test_orders_export_layout(small_shop):
    header, rows = _read(small_shop.folder / demo.ORDERS_FILE)
    assert tuple(header) == ORDER_COLUMNS and len(header) == 79  # the 2023+ generation
    _, products = _read(small_shop.folder / demo.PRODUCTS_FILE)
    known_skus = {r["Variant SKU"] for r in products if r["Variant SKU"]}
    _, customers = _read(small_shop.folder / demo.CUSTOMERS_FILE)
    emails = {c["Email"] for c in customers}
    orders = defaultdict(list)
    for r in rows:
        orders[r["Name"]].append(r)
    assert len(orders) == small_shop.orders and len(rows) == small_shop.line_items
    cancelled = 0
    for name, lines in orders.items():
        first, rest = lines[0], lines[1:]
        assert re.fullmatch(r"#\d{4,}", name)
        assert all(first[f] for f in ORDER_LEVEL), name
        for r in rest:  # continuation rows: order-level fields blank
            assert all(r[f] == "" for f in ORDER_LEVEL), name
            assert r["Email"] == first["Email"] and r["Created at"] == first["Created at"]
        for r in lines:
            assert SHOPIFY_DATE.match(r["Created at"])
            assert r["Lineitem sku"] in known_skus
            assert int(r["Lineitem quantity"]) >= 1
        assert first["Email"] in emails
        subtotal = sum(float(r["Lineitem price"]) * int(r["Lineitem quantity"]) for r in lines)
        total = float(first["Subtotal"]) + float(first["Shipping"])
        assert float(first["Subtotal"]) + float(first["Discount Amount"]) == pytest.approx(subtotal, abs=0.02)
        assert float(first["Total"]) == pytest.approx(total, abs=0.01)
        if first["Cancelled at"]:
            cancelled += 1
            assert SHOPIFY_DATE.match(first["Cancelled at"])
            assert first["Financial Status"] == "refunded"
    assert cancelled == small_shop.cancelled_orders > 0
    zips = [r["Billing Zip"] for r in rows if r["Billing Zip"]]
    assert any(z.startswith("'0") for z in zips)  # Shopify's Excel guard on leading zeros
    assert any("\n" in r["Notes"] for r in rows)  # multi-line quoted notes occur


def test_customers_and_events(small_shop):
    header, customers = _read(small_shop.folder / demo.CUSTOMERS_FILE)
    assert tuple(header) == CUSTOMER_COLUMNS
    emails = [c["Email"] for c in customers]
    assert len(emails) == len(set(emails)) == small_shop.customers
    _, orders = _read(small_shop.folder / demo.ORDERS_FILE)
    counts = Counter(r["Email"] for r in orders if r["Subtotal"] and not r["Cancelled at"])
    for c in customers:
        assert int(c["Total Orders"]) == counts.get(c["Email"], 0)
    header, events = _read(small_shop.folder / demo.EVENTS_FILE)
    assert len(events) == small_shop.events
    assert {e["event_type"] for e in events} == {"view", "add_to_cart"}
    assert {e["customer_id"] for e in events} <= set(emails)  # known by e-mail
    import datetime as dt

    times = [dt.datetime.fromisoformat(e["event_time"]) for e in events]
    assert times == sorted(times)  # in time order across the October clock change


def test_berlin_offsets_follow_summer_time():
    import datetime as dt

    utc = dt.timezone.utc
    assert berlin_offset_hours(dt.datetime(2025, 7, 1, tzinfo=utc)) == 2
    assert berlin_offset_hours(dt.datetime(2025, 12, 1, tzinfo=utc)) == 1
    # the switch back: last Sunday of October 2025 is the 26th, 01:00 UTC
    assert berlin_offset_hours(dt.datetime(2025, 10, 26, 0, 59, tzinfo=utc)) == 2
    assert berlin_offset_hours(dt.datetime(2025, 10, 26, 1, 0, tzinfo=utc)) == 1
    ts = dt.datetime(2025, 10, 7, 7, 50, 26, tzinfo=utc).timestamp()
    assert shopify_time(ts) == "2025-10-07 09:50:26 +0200"


def test_customers_have_lasting_tastes_and_staples(small_shop):
    """A customer's purchases concentrate on few departments; consumables are re-ordered."""
    _, products = _read(small_shop.folder / demo.PRODUCTS_FILE)
    dept_of = {r["Variant SKU"]: r["Variant SKU"].split("-")[0] for r in products if r["Variant SKU"]}
    _, orders = _read(small_shop.folder / demo.ORDERS_FILE)
    bought = defaultdict(list)
    repeat = defaultdict(set)
    for r in orders:
        bought[r["Email"]].append(dept_of[r["Lineitem sku"]])
        repeat[(r["Email"], r["Lineitem sku"])].add(r["Name"])
    shares = []
    for depts in bought.values():
        if len(depts) >= 8:
            top3 = sum(n for _, n in Counter(depts).most_common(3))
            shares.append(top3 / len(depts))
    assert shares and sum(shares) / len(shares) > 0.6  # uniform over 21 departments: ~0.2
    consumable = {d.code for d in DEPARTMENTS if d.consumable}
    reorders = [k for k, names in repeat.items() if len(names) >= 3]
    assert reorders and all(dept_of[sku] in consumable for _, sku in reorders)


def test_demo_shop_imports_without_a_single_reject(small_shop, ws_file):
    from shoprec.core.importing import import_file

    formats = []
    for path in small_shop.files:
        s = import_file(ws_file, path)
        formats.append(s.format)
        assert s.rejected == 0, str(s)
        assert s.rows_read == s.imported + s.duplicates
        if path.name != demo.PRODUCTS_FILE:  # (image rows may count as repeats of a product)
            assert s.duplicates == 0, str(s)
    assert formats == ["shopify_products", "shopify_customers", "shopify_orders", "events"]
    _, products = _read(small_shop.folder / demo.PRODUCTS_FILE)
    skus = {r["Variant SKU"] for r in products if r["Variant SKU"]}
    known = {row[0] for row in ws_file.conn.execute("SELECT sku FROM items WHERE sku IS NOT NULL")}
    assert skus <= known  # every variant is an item the orders and the log can point at
    info = ws_file.info()
    assert info["customers"] == small_shop.customers
    assert info["events_by_type"]["purchase"] > 0 and info["events_by_type"]["refund"] > 0
    assert info["events_by_type"]["view"] > info["events_by_type"]["cart"] > 0
    # the browsing log and the orders point at the same customers and items
    linked = ws_file.conn.execute(
        "SELECT COUNT(DISTINCT customer_id) FROM events WHERE type = 'view' AND customer_id IN "
        "(SELECT customer_id FROM events WHERE type = 'purchase')").fetchone()[0]
    assert linked > small_shop.customers // 3


def test_sizes_are_checked(tmp_path):
    with pytest.raises(ValueError, match="n_products"):
        generate_demo_shop(tmp_path, n_products=3)
