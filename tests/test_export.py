"""Exporters: each file is read back the way its shop platform or tool would read it."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from shoprec.core.cli import cli
from shoprec.core.contracts.exporters import ExportError, safe_cell
from shoprec.core.shop.exporting import export, exporters
from shoprec.core.store.workspace import Workspace
from shoprec.plugins.exporters.shopify import COMPLEMENTARY, RELATED

# product handle -> its variant SKUs
CATALOG = {
    "espresso-blend": ["COF-001-250", "COF-001-1KG"],
    "french-press": ["BRW-002"],
    "paper-filters": ["BRW-003"],
    "cast-iron-skillet": ["CKW-004-24", "CKW-004-28"],
    "wooden-spoon-set": ["UTN-005"],
    "scented-candle": ["CND-006"],
}
TITLES = {
    "espresso-blend": "Espresso Blend",
    "french-press": "French Press",
    "paper-filters": "Paper Filters",
    "cast-iron-skillet": "Cast Iron Skillet",
    "wooden-spoon-set": "Wooden Spoon Set",
    "scented-candle": "=HYPERLINK(\"http://evil.example\",\"Scented Candle\")",
}
PRICES = {"espresso-blend": 12.9, "french-press": 34.0, "paper-filters": 4.5,
          "cast-iron-skillet": 59.0, "wooden-spoon-set": 14.0, "scented-candle": 19.0}


def _fill(ws: Workspace) -> None:
    """A small shop: coffee people buy beans + press (+ filters), cooks buy skillet + spoons."""
    conn = ws.conn
    with ws.atomic():
        for handle, skus in CATALOG.items():
            for k, sku in enumerate(skus):
                # variants are named "Product - Option", as Shopify order lines name them
                title = TITLES[handle] + (f" - {sku.rsplit('-', 1)[1]}" if len(skus) > 1 else "")
                conn.execute(
                    "INSERT INTO items (external_id, sku, title, price, currency, variant_of, "
                    "category) VALUES (?, ?, ?, ?, 'EUR', ?, 'Shop > Things')",
                    (sku, sku, title, PRICES[handle] * (1 + k), handle),
                )
        # a Shopify image row imports as the bare product: handle as id, no SKU
        conn.execute("INSERT INTO items (external_id, title, variant_of) "
                     "VALUES ('espresso-blend', 'Espresso Blend', NULL)")
        customers = [
            ("anna@example.com", "anna@example.com", "Anna Weber"),
            ("00042", "ben@example.org", "Ben Koch"),
            ("C-7", None, "Clara"),
            ("-dan", "@dan@example.net", "Dan"),
        ]
        for ext, email, name in customers:
            conn.execute("INSERT INTO customers (external_id, email, name) VALUES (?, ?, ?)",
                         (ext, email, name))
        item = {r[0]: r[1] for r in conn.execute("SELECT external_id, id FROM items")}
        orders = [
            ["COF-001-250", "BRW-002"], ["COF-001-1KG", "BRW-002", "BRW-003"],
            ["COF-001-250", "BRW-002"], ["COF-001-250", "BRW-003"],
            ["CKW-004-24", "UTN-005"], ["CKW-004-28", "UTN-005"], ["CKW-004-24", "UTN-005"],
            ["CND-006"], ["CND-006", "COF-001-250"],
        ]
        for n, lines in enumerate(orders):
            for sku in lines:
                conn.execute(
                    "INSERT INTO events (customer_id, item_id, type, ts, order_id) "
                    "VALUES (?, ?, 'purchase', ?, ?)",
                    (1 + n % 4, item[sku], 1_700_000_000 + n * 3600, f"#{1001 + n}"),
                )
        # a refunded order must not count as bought together
        for sku in ("CND-006", "UTN-005"):
            conn.execute(
                "INSERT INTO events (customer_id, item_id, type, ts, order_id) "
                "VALUES (1, ?, 'refund', 1700100000, '#2000')", (item[sku],))
        conn.execute("INSERT INTO runs (strategy, created_at, params, calibration) VALUES "
                     "('popularity', 1700000000, '{}', '{\"event\": \"buys within 30 days\"}')")
        conn.execute("INSERT INTO runs (strategy, created_at) VALUES ('transformer', 1700000500)")
        lists = {
            1: [("CKW-004-24", 0.81, "because you bought Espresso Blend"),
                ("CND-006", 0.55, "=1+1")],
            2: [("BRW-003", 0.71, "because you bought French Press"),
                ("UTN-005", 0.52, "popular this month")],
            3: [("COF-001-250", 0.66, "")],
            4: [("BRW-002", 0.6, "+cmd")],
        }
        for run in (1, 2):
            for cust, recs in lists.items():
                for rank, (sku, score, reason) in enumerate(recs, start=1):
                    conn.execute(
                        "INSERT INTO run_lists (run_id, customer_id, rank, item_id, score, reason)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        (run, cust, rank, item[sku], score - 0.1 * (run - 1), reason),
                    )


@pytest.fixture
def shop(ws_file: Workspace) -> Workspace:
    _fill(ws_file)
    return ws_file


def _read_csv(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with open(path, newline="", encoding=encoding) as fh:
        return list(csv.DictReader(fh))


def test_every_builtin_exporter_is_registered_lists_first():
    names = list(exporters())
    assert names[:8] == ["csv", "xlsx", "json", "email-feed", "shopify-products",
                         "woocommerce-products", "magento-catalog", "bought-together"]


def test_safe_cell_neutralises_formula_starts_only():
    assert safe_cell("=SUM(A1)") == "'=SUM(A1)"
    for start in "+-@\t\r":
        assert safe_cell(start + "x") == "'" + start + "x"
    assert safe_cell("Espresso = good") == "Espresso = good"
    assert safe_cell(-3.5) == -3.5


def test_lists_csv_one_row_per_recommendation_newest_run(shop, tmp_path):
    out = tmp_path / "lists.csv"
    result = export(shop, "csv", out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel needs the BOM for UTF-8
    rows = _read_csv(out, "utf-8-sig")
    assert list(rows[0]) == ["customer_id", "email", "rank", "item_id", "sku", "title", "score",
                             "reason"]
    assert result.run_id == 2 and result.rows == len(rows) == 6
    anna = [r for r in rows if r["customer_id"] == "anna@example.com"]
    assert [r["rank"] for r in anna] == ["1", "2"]
    assert anna[0]["sku"] == "CKW-004-24" and anna[0]["title"] == "Cast Iron Skillet - 24"
    assert anna[0]["score"] == "0.710000"
    assert anna[0]["reason"] == "because you bought Espresso Blend"
    ben = [r for r in rows if r["customer_id"] == "00042"]  # leading zeros kept
    assert ben[0]["email"] == "ben@example.org"
    assert [r["email"] for r in rows if r["customer_id"] == "C-7"] == [""]
    # formula-looking cells are neutralised, the rest untouched
    assert anna[1]["title"].startswith("'=HYPERLINK")
    assert anna[1]["reason"] == "'=1+1"
    dan = [r for r in rows if r["email"].endswith("dan@example.net")][0]
    assert dan["customer_id"] == "'-dan" and dan["email"] == "'@dan@example.net"
    assert dan["reason"] == "'+cmd"


def test_lists_by_run_or_strategy_and_top(shop, tmp_path):
    out = tmp_path / "p.csv"
    result = export(shop, "csv", out, strategy="popularity", top=1)
    rows = _read_csv(out, "utf-8-sig")
    assert result.run_id == 1 and len(rows) == 4
    assert float(rows[0]["score"]) == pytest.approx(0.81)
    export(shop, "csv", out, run_id=2)
    assert float(_read_csv(out, "utf-8-sig")[0]["score"]) == pytest.approx(0.71)
    with pytest.raises(ExportError, match="no run 9"):
        export(shop, "csv", out, run_id=9)
    with pytest.raises(ExportError, match="no run of strategy 'ease'"):
        export(shop, "csv", out, strategy="ease")


def test_lists_xlsx_text_never_becomes_a_formula(shop, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "lists.xlsx"
    export(shop, "xlsx", out)
    wb = load_workbook(out)
    sheet = wb["Recommendations"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("customer_id", "email", "rank", "item_id", "sku", "title", "score", "reason")
    assert rows[1][:5] == ("anna@example.com", "anna@example.com", 1, "CKW-004-24", "CKW-004-24")
    assert rows[1][6] == pytest.approx(0.71)
    title_cell = sheet.cell(row=3, column=6)
    assert title_cell.value.startswith("=HYPERLINK") and title_cell.data_type == "s"
    assert sheet.cell(row=3, column=8).data_type == "s"  # reason "=1+1" stays text
    assert wb["Run"]["B1"].value == "transformer"


def test_lists_json(shop, tmp_path):
    out = tmp_path / "lists.json"
    export(shop, "json", out, run_id=1)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["run"]["strategy"] == "popularity"
    assert doc["run"]["calibration"]["event"] == "buys within 30 days"
    first = doc["customers"][0]
    assert first["customer_id"] == "anna@example.com"
    assert [i["sku"] for i in first["items"]] == ["CKW-004-24", "CND-006"]
    assert first["items"][0]["score"] == pytest.approx(0.81)
    assert doc["customers"][2]["email"] is None


def test_shopify_products_fills_metafields_by_handle(shop, tmp_path):
    out = tmp_path / "shopify.csv"
    export(shop, "shopify-products", out)
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    rows = _read_csv(out)
    assert list(rows[0]) == ["Handle", "Title", RELATED, COMPLEMENTARY]
    by_handle = {r["Handle"]: r for r in rows}
    handles = set(CATALOG)
    assert set(by_handle) <= handles
    press = by_handle["french-press"]
    complementary = press[COMPLEMENTARY].split(", ")
    assert complementary[0] in {"espresso-blend", "paper-filters"}
    assert "espresso-blend" in complementary
    skillet = by_handle["cast-iron-skillet"]
    assert skillet[COMPLEMENTARY] == "wooden-spoon-set"  # both variants roll up to the product
    for r in rows:
        for col in (RELATED, COMPLEMENTARY):
            refs = [h for h in r[col].split(", ") if h]
            assert r["Handle"] not in refs  # never a product to itself
            assert set(refs) <= handles
            assert len(refs) == len(set(refs))
    # the refunded order (candle + spoons) does not make them complementary
    assert "scented-candle" not in by_handle["wooden-spoon-set"][COMPLEMENTARY]
    assert by_handle["scented-candle"]["Title"].startswith("'=")
    # the product's own title, never a variant's: the import would rename the product
    assert by_handle["espresso-blend"]["Title"] == "Espresso Blend"
    assert by_handle["cast-iron-skillet"]["Title"] == "Cast Iron Skillet"


def test_woocommerce_products_upsells_and_cross_sells_by_sku(shop, tmp_path):
    out = tmp_path / "woo.csv"
    export(shop, "woocommerce-products", out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = {r["SKU"]: r for r in _read_csv(out, "utf-8-sig")}
    all_skus = {s for skus in CATALOG.values() for s in skus}
    assert set(rows) <= all_skus
    assert rows["CKW-004-24"]["Cross-sells"] == "UTN-005"
    # Shopify-style data: the bare product row has no SKU, so its first variant stands for it
    assert "espresso-blend" not in rows and rows["COF-001-250"]["Name"] == "Espresso Blend"
    assert "COF-001-250" in rows["BRW-002"]["Cross-sells"].split(", ")
    for r in rows.values():
        for col in ("Upsells", "Cross-sells"):
            skus = [s for s in r[col].split(", ") if s]
            assert set(skus) <= all_skus and r["SKU"] not in skus


def test_magento_catalog_positions_match_skus(shop, tmp_path):
    out = tmp_path / "magento.csv"
    export(shop, "magento-catalog", out)
    rows = _read_csv(out)
    assert list(rows[0])[:2] == ["sku", "related_skus"]
    for r in rows:
        for kind in ("related", "crosssell", "upsell"):
            skus = [s for s in r[f"{kind}_skus"].split(",") if s]
            positions = [p for p in r[f"{kind}_position"].split(",") if p]
            assert positions == [str(i) for i in range(1, len(skus) + 1)]
            assert r["sku"] not in skus
    skillet = next(r for r in rows if r["sku"] == "CKW-004-24")
    assert skillet["crosssell_skus"] == "UTN-005"


def test_bought_together_statistics(shop, tmp_path):
    out = tmp_path / "fbt.csv"
    export(shop, "bought-together", out)
    rows = _read_csv(out, "utf-8-sig")
    rule = next(r for r in rows if r["sku"] == "CKW-004-24" and r["together_sku"] == "UTN-005")
    # 9 orders; skillet 24 cm in 2, spoons in 3, both in 2
    assert rule["orders_together"] == "2"
    assert float(rule["support"]) == pytest.approx(2 / 9, abs=1e-6)
    assert float(rule["confidence"]) == pytest.approx(1.0, abs=1e-4)
    assert float(rule["lift"]) == pytest.approx(1.0 / (3 / 9), abs=1e-3)
    reverse = next(r for r in rows if r["sku"] == "UTN-005" and r["together_sku"] == "CKW-004-24")
    assert float(reverse["confidence"]) == pytest.approx(2 / 3, abs=1e-4)
    # pairs seen in a single order are noise, and variants of one product are never paired
    assert not any(r["sku"] == "CND-006" for r in rows)
    assert not any(r["sku"].startswith("COF-001") and r["together_sku"].startswith("COF-001")
                   for r in rows)


def test_email_feed_one_row_per_mailable_customer(shop, tmp_path):
    out = tmp_path / "feed.csv"
    export(shop, "email-feed", out, shop_url="https://shop.example/")
    rows = _read_csv(out)
    header = list(rows[0])
    assert header[:4] == ["email", "customer_id", "first_name", "recommendation_count"]
    assert "item_5_title" in header and "item_1_url" in header
    assert [r["customer_id"] for r in rows] == ["anna@example.com", "00042", "'-dan"]
    ben = rows[1]
    assert ben["email"] == "ben@example.org" and ben["first_name"] == "Ben"
    assert ben["item_1_title"] == "Paper Filters" and ben["item_1_sku"] == "BRW-003"
    assert ben["item_1_url"] == "https://shop.example/products/paper-filters"
    assert ben["item_1_price"] == "4.50"
    assert ben["recommendation_count"] == "2" and ben["item_3_title"] == ""


def test_list_exports_need_a_run_but_product_feeds_do_not(ws_file, tmp_path):
    ws_file.conn.execute("INSERT INTO items (external_id, title) VALUES ('A', 'Apple')")
    with pytest.raises(ExportError, match="no recommendation run"):
        export(ws_file, "csv", tmp_path / "x.csv")
    assert not (tmp_path / "x.csv").exists()
    result = export(ws_file, "bought-together", tmp_path / "fbt.csv")
    assert result.rows == 0 and (tmp_path / "fbt.csv").exists()
    with pytest.raises(ExportError, match="unknown exporter 'nope'"):
        export(ws_file, "nope", tmp_path / "y.csv")


def test_failed_export_leaves_no_file(shop, tmp_path):
    from shoprec.core.contracts.exporters import ExporterSpec

    def boom(data, path):
        path.write_text("half")
        raise RuntimeError("disk full")

    spec = ExporterSpec(name="boom", title="b", description="", extension="csv", write=boom)
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "out.csv"
    target.write_text("previous export")
    with pytest.raises(ExportError, match="exporter boom failed: RuntimeError: disk full"):
        export(shop, spec, target)
    assert target.read_text() == "previous export"
    assert list(folder.iterdir()) == [target]


def test_cli_export(shop, tmp_path):
    path = shop.path
    shop.close()
    runner = CliRunner()
    out = tmp_path / "cli.csv"
    res = runner.invoke(cli, ["--workspace", str(path), "export", "--exporter", "csv", "--out",
                              str(out), "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.output)
    assert summary["rows"] == 6 and summary["run_id"] == 2 and summary["customers"] == 4
    res = runner.invoke(cli, ["--workspace", str(path), "export", "--exporter", "shopify-products",
                              "--out", str(tmp_path / "s.csv")])
    assert res.exit_code == 0 and "Wrote" in res.output
    res = runner.invoke(cli, ["--workspace", str(path), "export", "--exporter", "nope"])
    assert res.exit_code != 0 and "unknown exporter 'nope'" in res.output
    res = runner.invoke(cli, ["--workspace", str(path), "export", "--list"])
    assert "woocommerce-products" in res.output
    res = runner.invoke(cli, ["--workspace", str(path), "export", "--exporter", "csv",
                              "--strategy", "ease"])
    assert res.exit_code == 1 and "no run of strategy 'ease'" in res.output
    assert len(res.output.strip().splitlines()) == 1
