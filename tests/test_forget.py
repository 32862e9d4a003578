"""``shoprec forget``: a customer erased from every table, from the file's bytes, and from re-imports."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from shop_fixtures import run_cli as run
from shoprec.core.store import erasure as forgetting
from shoprec.core.store import reimport
from shoprec.core.store.workspace import Workspace

NAMES = ["Zoltan Quackenbush", "Ada Lovelace", "Grace Hopper", "Linus Pauling", "Marie Curie"]


def write_events(path: Path, n_customers: int = 30, extra: str = "") -> Path:
    rows = ["customer_id,email,product_id,title,timestamp,event_type,order_id"]
    for c in range(n_customers):
        email = f"{NAMES[c % 5].split()[0].lower()}{c}@mail.example"
        for j in range(5):
            item = (c * 7 + j * 3) % 17 + 1
            rows.append(f"CUST{c:04d},{email},P{item:03d},Product {item},2025-0{1 + j}-1{j % 9} 10:00:00,"
                        f"purchase,O{c}-{j}")
    rows.append("CUST0005,zoltan5@mail.example")  # a broken line naming the customer: a reject
    path.write_text("\n".join(rows) + "\n" + extra, encoding="utf-8")
    return path


@pytest.fixture
def shop(tmp_path):
    """A workspace with 30 customers (names added as a customers export would), a trained run
    with stored lists, and the export file it came from."""
    ws_path = tmp_path / "shop.shoprec"
    events = write_events(tmp_path / "orders.csv")
    assert run(ws_path, "import", str(events)).exit_code == 0
    with Workspace(ws_path) as ws, ws.atomic() as conn:
        for c in range(30):
            conn.execute("UPDATE customers SET name = ? WHERE external_id = ?",
                         (f"{NAMES[c % 5]} Number{c}", f"CUST{c:04d}"))
    res = run(ws_path, "train", "--strategy", "popularity", "--threshold", "0")
    assert res.exit_code == 0, res.output
    return ws_path, events


def file_bytes(ws_path: Path) -> bytes:
    data = ws_path.read_bytes()
    for suffix in ("-wal", "-journal"):
        side = ws_path.with_name(ws_path.name + suffix)
        if side.exists():
            data += side.read_bytes()
    return data


def test_forget_leaves_no_byte_of_the_customer_in_the_file_or_its_wal(shop):
    ws_path, _ = shop
    secrets = [b"CUST0005", b"zoltan5@mail.example", b"Zoltan Quackenbush Number5"]
    assert all(s in file_bytes(ws_path) for s in secrets)
    # keep a second connection open, as the desktop app would, while the CLI forgets
    other = Workspace(ws_path)
    res = run(ws_path, "forget", "--customer", "CUST0005", "--yes")
    assert res.exit_code == 0, res.output
    assert "Erased 1 customer(s): 5 events" in res.output
    assert "Your own export files (CSV) are not changed" in res.output
    data = file_bytes(ws_path)
    for s in secrets:
        assert s not in data, s
    assert other.count("customers") == 29
    other.close()
    # the backup made first still holds them, and the message says so
    backup = next((ws_path.parent / "shop.shoprec.backups").glob("before-forget-*.shoprec"))
    assert b"CUST0005" in backup.read_bytes()
    assert "still holds these customers" in res.output


def test_forget_by_email_and_from_a_file_and_info_lists_exports_drop_them(shop, tmp_path):
    ws_path, _ = shop
    ids = tmp_path / "erase.txt"
    ids.write_text("# requests of this week\nCUST0003\n\nGRACE2@mail.example\n", encoding="utf-8")
    res = run(ws_path, "forget", "--file", str(ids), "--customer", "linus3@mail.example", "--yes",
              "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["customers"] == 2 and out["rows"]["events"] == 10
    assert out["runs_marked"] == [1]
    info = json.loads(run(ws_path, "info", "--json").stdout)
    assert info["customers"] == 28 and info["events"] == 140
    csv_out = tmp_path / "lists.csv"
    res = run(ws_path, "export", "--exporter", "csv", "--out", str(csv_out))
    assert res.exit_code == 0, res.output
    text = csv_out.read_text(encoding="utf-8")
    assert "CUST0004" in text
    assert "CUST0003" not in text and "grace2@mail.example" not in text
    # the old run is marked; recommending from it says why and what to do
    res = run(ws_path, "recommend", "--strategy", "popularity", "--customer", "CUST0004")
    assert res.exit_code == 1
    assert "trained before 2 customer(s) were erased" in res.output
    assert "shoprec train --strategy popularity" in res.output
    assert "Traceback" not in res.output


def test_a_table_added_later_with_a_customer_id_is_covered(shop):
    ws_path, _ = shop
    with Workspace(ws_path) as ws, ws.atomic() as conn:
        conn.execute("CREATE TABLE loyalty_members (campaign TEXT, customer_id INTEGER "
                     "REFERENCES customers(id))")
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, who INTEGER REFERENCES customers(id), "
                     "text TEXT)")
        key = conn.execute("SELECT id FROM customers WHERE external_id = 'CUST0011'").fetchone()[0]
        conn.execute("INSERT INTO loyalty_members VALUES ('spring', ?)", (key,))
        conn.execute("INSERT INTO notes (who, text) VALUES (?, 'likes mugs')", (key,))
        plan = forgetting.plan(ws, ["CUST0011"])
    assert plan.rows["loyalty_members"] == 1 and plan.rows["notes"] == 1
    assert "1 loyalty_members row(s)" in plan.describe()
    with Workspace(ws_path) as ws:
        forgetting.forget(ws, ["CUST0011"], backup=False)
        assert ws.count("loyalty_members") == 0 and ws.count("notes") == 0
        assert ws.conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_reimporting_an_old_export_keeps_them_out_until_the_owner_allows_it(shop):
    ws_path, events = shop
    assert run(ws_path, "forget", "--customer", "zoltan5@mail.example", "--yes").exit_code == 0
    res = run(ws_path, "import", str(events))
    assert res.exit_code == 0, res.output
    assert "1 customer(s) erased earlier were kept out" in res.output
    assert b"CUST0005" not in file_bytes(ws_path)  # the reject line naming them is blanked too
    with Workspace(ws_path) as ws:
        assert ws.count("customers", "external_id = 'CUST0005'") == 0
        # the accounting still adds up: the rows moved from imported to rejected, with a reason
        read, imported, dups, rejected = ws.conn.execute(
            "SELECT rows_read, imported, duplicates, rejected FROM imports ORDER BY id DESC").fetchone()
        assert read == imported + dups + rejected and rejected == 6
        assert ws.count("rejects", "reason = ?", (reimport.KEPT_OUT_REASON,)) == 5
    assert run(ws_path, "check").exit_code == 0
    # undo by the id (the e-mail was asked for: both were remembered together)
    res = run(ws_path, "forget", "--allow-again", "--customer", "CUST0005")
    assert "2 remembered" in res.output
    run(ws_path, "import", str(events))
    with Workspace(ws_path) as ws:
        assert ws.count("customers", "external_id = 'CUST0005'") == 1


def test_the_audit_log_holds_no_personal_data(shop):
    ws_path, _ = shop
    run(ws_path, "forget", "--customer", "CUST0001", "--customer", "unknown@x.example", "--yes")
    res = run(ws_path, "forget", "--log", "--json")
    (entry,) = json.loads(res.stdout)
    assert entry["customers"] == 1 and entry["identifiers"] == 2 and entry["command"] == "shoprec forget"
    conn = sqlite3.connect(ws_path)
    dump = "\n".join(conn.iterdump())
    conn.close()
    for s in ("CUST0001", "ada1@mail.example", "unknown@x.example", "Ada Lovelace Number1"):
        assert f"'{s}'" not in dump and f"{s}," not in dump
    assert "'CUST0002'" in dump  # (the dump does show the others)


def test_dry_run_changes_nothing_and_unknown_only_is_said(shop):
    ws_path, _ = shop
    before = ws_path.read_bytes()
    res = run(ws_path, "forget", "--customer", "CUST0002", "--dry-run")
    assert "Would remove 1 customer(s), 5 events row(s)" in res.output
    assert ws_path.read_bytes() == before
    res = run(ws_path, "forget", "--customer", "nobody@nowhere.example", "--yes")
    assert res.exit_code == 0
    assert "Erased 0 customer(s)" in res.output and "1 id(s)/e-mail(s) were not in the workspace" in res.output
    assert run(ws_path, "forget").exit_code == 2  # nothing named: usage error
