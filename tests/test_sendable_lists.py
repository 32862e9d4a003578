"""Lists a shop owner can send: full by default, real products only, variants merged, real handles."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from shoprec.core import engine
from shoprec.core.cli import cli
from shoprec.core.contracts.exporters import ExportError
from shoprec.core.data.dataset import Dataset
from shoprec.core.data.merchandise import (
    OWNER_ALLOWED,
    OWNER_EXCLUDED,
    list_non_products,
    name_reason,
    non_products,
    set_owner_choice,
)
from shoprec.core.data.products import product_keys, title_stem
from shoprec.core.importing import import_file
from shoprec.core.shop.exporting import export
from shoprec.core.store.workspace import Workspace

DAY = 86_400
T0 = 1_700_000_000


@pytest.mark.parametrize("title", [
    "POSTAGE", "DOTCOM POSTAGE", "Manual", "Gift Voucher - R 500.00", "CARRIAGE", "Discount",
    "Bank Charges", "AMAZON FEE", "Adjust bad debt", "SAMPLES", "Next Day Delivery",
    "Express Shipping (2-3 days)", "Shopname Gift Voucher £40.00", "Tip", "Versandkosten",
    "运费", "补运费差价", "顺丰运费 10元", "礼品卡 100元",
])
def test_fees_postage_and_vouchers_are_named_as_such(title):
    assert name_reason(title)


@pytest.mark.parametrize("title", [
    "Gift card holder", "Postage stamp necklace", "茉莉花茶 样品装", "Shipping Container Toy",
    "White Hoodie - S", "Sample box", "PACK OF 72 RETROSPOT CAKE CASES", "Screen protection film",
    "Car Seat Muslin Blanket", "Discount Stickers Album",
])
def test_products_that_mention_such_words_stay_products(title):
    assert name_reason(title) == ""


@pytest.mark.parametrize("title, stem", [
    ("PawProof Throw Blanket - Beige / Medium (48\"L x 58\"W)", "PawProof Throw Blanket"),
    ("Hoodie (XL)", "Hoodie"), ("Hoodie, S", "Hoodie"), ("Hoodie Black XL", "Hoodie"),
    ("Coffee 250g", "Coffee"), ("T恤 白色 L码", "T恤"), ("茉莉花茶 100克", "茉莉花茶"),
    ("Magic Pee Pads XL", "Magic Pee Pads"), ("Tea tin", ""), ("Black Forest Cake", ""),
])
def test_a_title_loses_its_option_part(title, stem):
    assert title_stem(title) == stem


def test_variants_share_a_product_only_when_several_items_share_the_stem():
    keys = product_keys(
        ["a", "b", "c", "d", "e"],
        ["Hoodie - S", "Hoodie - XL", "Ice Tray - Single", "Mug", "Mug (large)"],
        ["", "", "", "", "M"],
    )
    assert keys[0] == keys[1]  # two sizes of one hoodie
    assert len({keys[2], keys[3]}) == 2 and keys[2] != keys[0]  # a lone stem stays itself
    assert keys[4] == "p:M"  # a parent named by the catalogue wins


# -- a small invoice-style shop: products, a postage line on most orders, vouchers, a manual line


def _shop(ws: Workspace) -> Workspace:
    rng = np.random.default_rng(3)
    items = [
        ("H-S", "Hoodie - S", 40.0), ("H-M", "Hoodie - M", 40.0), ("H-XL", "Hoodie - XL", 40.0),
        ("CUP", "Enamel cup", 12.0), ("BAG", "Tote bag", 15.0), ("CAP", "Cap", 20.0),
        ("TEA", "Green tea", 8.0), ("POT", "Teapot", 30.0), ("POST", "POSTAGE", 18.0),
        ("M", "Manual", 5.0), ("GV", "Gift Voucher - R 500.00", 500.0), ("FREE", "Sticker", None),
        ("PIN", "Enamel pin", 6.0),
    ]
    with ws.atomic() as conn:
        conn.executemany("INSERT INTO items (external_id, sku, title) VALUES (?, ?, ?)",
                         [(i, i, t) for i, t, _ in items])
        key = {r[1]: r[0] for r in conn.execute("SELECT id, external_id FROM items")}
        price = {i: p for i, _, p in items}
        order = 0
        for c in range(60):
            cust = conn.execute("INSERT INTO customers (external_id, email) VALUES (?, ?)",
                                (f"K{c}", f"k{c}@example.com")).lastrowid
            clothes = c % 2 == 0
            for j in range(4):
                order += 1
                pool = ["H-S", "CUP", "BAG", "CAP", "PIN"] if clothes else ["TEA", "POT", "CUP", "PIN"]
                lines = list(rng.choice(pool, size=int(rng.integers(1, 3)), replace=False))
                if clothes and j == 1:
                    lines.append("H-XL")  # the same hoodie in another size
                if j == 0 and c % 7 == 0:
                    lines.append("M")
                if j == 2 and c % 9 == 0:
                    lines.append("GV")
                if rng.random() < 0.3:
                    lines.append("FREE")
                lines.append("POST")  # postage on every order, never on its own
                for n, it in enumerate(lines):
                    value = 0.0 if it == "FREE" else price[it]
                    conn.execute(
                        "INSERT INTO events (customer_id, item_id, type, ts, order_id, line_no, value) "
                        "VALUES (?, ?, 'purchase', ?, ?, ?, ?)",
                        (cust, key[it], T0 + (order % 200) * DAY + c, f"#{order}", n, value),
                    )
    return ws


@pytest.fixture
def gift_shop(tmp_path):
    ws = Workspace(tmp_path / "gift.shoprec")
    yield _shop(ws)
    ws.close()


def test_non_products_are_found_with_a_reason(gift_shop):
    ds = Dataset.from_workspace(gift_shop)
    found = {n.item_id: n for n in list_non_products(ds)}
    assert {"POST", "M", "GV", "FREE"} <= set(found)
    assert "price 0" in found["FREE"].reason
    assert found["POST"].source == "detected"
    assert not {"H-S", "H-M", "H-XL", "CUP", "BAG", "CAP", "TEA", "POT", "PIN"} & set(found)


def test_the_owner_keeps_an_item_out_or_lets_it_back_in(gift_shop):
    set_owner_choice(gift_shop, ["PIN"], OWNER_EXCLUDED)
    set_owner_choice(gift_shop, ["FREE"], OWNER_ALLOWED)
    mask, reasons = non_products(ds := Dataset.from_workspace(gift_shop))
    index = {str(i): k for k, i in enumerate(ds.item_ids)}
    assert mask[index["PIN"]] and "by you" in reasons[index["PIN"]]
    assert not mask[index["FREE"]]
    set_owner_choice(gift_shop, ["PIN", "FREE"], None)  # back to detection
    mask, _ = non_products(Dataset.from_workspace(gift_shop))
    assert not mask[index["PIN"]] and mask[index["FREE"]]
    with pytest.raises(ValueError, match="no item 'NOPE'"):
        set_owner_choice(gift_shop, ["NOPE"], OWNER_EXCLUDED)


@pytest.mark.parametrize("strategy", ["popularity", "ease", "itemknn"])
def test_default_lists_are_full_real_products_other_sizes_never_shown(gift_shop, strategy):
    result = engine.train(gift_shop, strategy, settings=engine.ListSettings(top_n=3))
    summary = result.metrics["lists"]
    assert summary["full_lists"] == summary["customers"] == 60
    rows = gift_shop.conn.execute(
        "SELECT c.external_id, i.external_id, l.reason FROM run_lists l "
        "JOIN items i ON i.id = l.item_id JOIN customers c ON c.id = l.customer_id "
        "WHERE l.run_id = ?", (result.run_id,)).fetchall()
    listed = {item for _, item, _ in rows}
    assert not listed & {"POST", "M", "GV", "FREE"}
    # customers who bought the hoodie in S or XL never get it in M
    bought_hoodie = {c for (c,) in gift_shop.conn.execute(
        "SELECT DISTINCT c.external_id FROM events e JOIN customers c ON c.id = e.customer_id "
        "JOIN items i ON i.id = e.item_id WHERE i.external_id IN ('H-S', 'H-XL')")}
    assert bought_hoodie
    assert not [c for c, item, _ in rows if c in bought_hoodie and item == "H-M"]
    for _, _, reason in rows:  # a fee is never a reason
        assert "POSTAGE" not in reason and "Manual" not in reason


def test_theta_is_an_opt_in_filter_and_an_empty_export_says_why(gift_shop, tmp_path):
    run = engine.train(gift_shop, "popularity", settings=engine.ListSettings(threshold=0.99)).run_id
    assert engine.ListSettings().threshold == 0.0
    with pytest.raises(ExportError, match="no item in run .* is at least 0.99 likely .*--threshold 0 --save"):
        export(gift_shop, "csv", tmp_path / "empty.csv", run_id=run)
    assert not (tmp_path / "empty.csv").exists()
    engine.recommend(gift_shop, run, save=True)  # θ off: every list full again
    result = export(gift_shop, "csv", tmp_path / "full.csv", run_id=run)
    assert result.customers_with_items == 60 and result.threshold == 0.0
    strict = export(gift_shop, "json", tmp_path / "strict.json", run_id=run, threshold=0.05)
    scores = [r.score for cl in engine.recommend(gift_shop, run) for r in cl.items]
    assert strict.rows == sum(s >= 0.05 for s in scores) and strict.threshold == 0.05


# -- Shopify: a real-format orders export without a products export


ORDERS_HEADER = ["Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Currency",
                 "Created at", "Lineitem quantity", "Lineitem name", "Lineitem price",
                 "Lineitem sku", "Lineitem requires shipping", "Vendor"]


def _orders_csv(path: Path) -> Path:
    rows = []
    names = [("Hoodie - S", "HD-S"), ("Hoodie - XL", "HD-XL"), ("Hoodie - M", "HD-M"),
             ("Beanie", "BN-1"), ("Scarf", "SC-1"), ("Tip", "")]
    n = 1000
    for c in range(30):
        for j in range(2):
            n += 1
            lines = [names[(c + j) % 5], names[3 + (c % 2)]] + ([names[5]] if c % 4 == 0 else [])
            for k, (title, sku) in enumerate(lines):
                first = k == 0
                rows.append([f"#{n}", f"c{c}@example.com" if first else "", "paid" if first else "",
                             "", "", "EUR" if first else "", f"2025-0{1 + j}-1{c % 10} 10:00:00 +0100",
                             "1", title, "5.00" if title == "Tip" else "30.00", sku, "true", "Acme"])
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(ORDERS_HEADER)
        w.writerows(rows)
    return path


def test_shopify_file_needs_real_handles(tmp_path):
    ws = Workspace(tmp_path / "s.shoprec")
    import_file(ws, _orders_csv(tmp_path / "orders_export.csv"))
    with pytest.raises(ExportError, match="real handles.*products_export.csv"):
        export(ws, "shopify-products", tmp_path / "shopify.csv")
    assert not (tmp_path / "shopify.csv").exists()
    ws.close()


def test_cli_exclude_lists_and_changes_what_is_kept_out(gift_shop):
    path = gift_shop.path
    gift_shop.close()
    runner = CliRunner()
    out = runner.invoke(cli, ["--workspace", str(path), "exclude", "--list"])
    assert out.exit_code == 0, out.output
    assert "POSTAGE" in out.output and "never bought on its own" in out.output or "postage" in out.output
    out = runner.invoke(cli, ["--workspace", str(path), "exclude", "PIN"])
    assert out.exit_code == 0 and "1 item" in out.output
    out = runner.invoke(cli, ["--workspace", str(path), "exclude", "--allow", "FREE"])
    assert out.exit_code == 0
    out = runner.invoke(cli, ["--workspace", str(path), "exclude", "--list"])
    assert "Enamel pin" in out.output and "kept out of lists by you" in out.output
    assert "Sticker" in out.output and "let back in" in out.output
    out = runner.invoke(cli, ["--workspace", str(path), "exclude", "NOPE"])
    assert out.exit_code == 1 and "no item 'NOPE'" in out.output
    out = runner.invoke(cli, ["--workspace", str(path), "info"])
    assert "not recommended" in out.output


def test_reasons_are_true_for_the_customer_and_said_in_chinese(gift_shop, tmp_path):
    run = engine.train(gift_shop, "itemknn").run_id
    ds = Dataset.from_workspace(gift_shop)
    lists = engine.recommend(gift_shop, run)
    seen_reason = 0
    for cl in lists:
        lo, hi = ds.indptr[cl.user], ds.indptr[cl.user + 1]
        history = set(ds.items[lo:hi].tolist())
        for r in cl.items:
            assert r.reason_code
            if r.reason_code.startswith("because_"):
                seen_reason += 1
                assert r.reason_item in history and r.reason_item != r.item
                assert ds.catalog.title[r.reason_item] in r.reason
            elif r.reason_code.startswith("again_"):
                assert r.item in history
            else:
                assert r.reason == "popular in the shop right now"
            assert "returned" not in r.reason and "chose it before" not in r.reason
    assert seen_reason
    out = export(gift_shop, "csv", tmp_path / "zh.csv", run_id=run, language="zh_CN")
    text = (tmp_path / "zh.csv").read_text(encoding="utf-8-sig")
    assert out.rows and ("因为您" in text or "本店近期热销" in text)
    with pytest.raises(ExportError, match="unknown language"):
        export(gift_shop, "csv", tmp_path / "x.csv", run_id=run, language="fr")


def test_a_customer_whose_scores_tie_gets_best_sellers_said_as_such(tmp_path):
    ws = Workspace(tmp_path / "t.shoprec")
    with ws.atomic() as conn:
        conn.executemany("INSERT INTO items (external_id, title) VALUES (?, ?)",
                         [(f"I{k}", f"Item {k}") for k in range(8)])
        for c in range(12):
            cust = conn.execute("INSERT INTO customers (external_id) VALUES (?)", (f"C{c}",)).lastrowid
            # items 5-7 sell best; the first imported items sell least
            for k in ([5, 6, 7] if c < 10 else [0]):
                conn.execute("INSERT INTO events (customer_id, item_id, type, ts) VALUES (?, ?, 'purchase', ?)",
                             (cust, k + 1, T0 + c))
    run = engine.train(ws, "popularity", settings=engine.ListSettings(top_n=3)).run_id
    lists = {cl.customer_id: cl for cl in engine.recommend(ws, run, top_n=3)}
    assert all(r.reason_code in ("popular", "again_purchase") or r.reason_code.startswith("because")
               for cl in lists.values() for r in cl.items)
    assert [r.item_id for r in lists["C11"].items][:3] == ["I5", "I6", "I7"]
    ws.close()
