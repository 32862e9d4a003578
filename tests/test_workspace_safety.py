"""Backups, restores, ``check``, read-only readers, hostile and mistaken workspace files."""

from __future__ import annotations

import json
import os
import sqlite3
import struct

import pytest
from shop_fixtures import run_cli as run
from shoprec.core.store.workspace import HostileSchema, Workspace, WorkspaceError, WorkspaceNotFound
from test_forget import write_events


@pytest.fixture
def shop(tmp_path):
    ws_path = tmp_path / "shop.shoprec"
    assert run(ws_path, "import", str(write_events(tmp_path / "orders.csv"))).exit_code == 0
    res = run(ws_path, "train", "--strategy", "popularity", "--threshold", "0")
    assert res.exit_code == 0, res.output
    return ws_path


def one_error_line(res) -> str:
    assert res.exit_code != 0
    assert "Traceback" not in res.output
    lines = [line for line in res.output.splitlines() if line.strip()]
    assert len(lines) == 1, res.output
    return lines[0]


# -- backup / restore ---------------------------------------------------------------------------


def test_backup_while_open_then_restore_brings_the_data_back(shop, tmp_path):
    other = Workspace(shop)  # the desktop app holding it open
    target = tmp_path / "copies" / "monday.shoprec"
    res = run(shop, "backup", str(target))
    assert res.exit_code == 0, res.output
    assert "Backed up" in res.output
    other.close()
    with Workspace(target, readonly=True) as copy:
        assert copy.count("customers") == 30 and copy.count("runs") == 1
    with Workspace(shop) as ws, ws.atomic() as conn:
        conn.execute("DELETE FROM run_lists")
    res = run(shop, "restore", str(target), "--yes")
    assert res.exit_code == 0, res.output
    with Workspace(shop) as ws:
        assert ws.count("run_lists") > 0
    assert list((tmp_path / "shop.shoprec.backups").glob("before-restore-*.shoprec"))


def test_restore_keeps_customers_erased_since_the_backup_erased(shop, tmp_path):
    target = tmp_path / "old.shoprec"
    run(shop, "backup", str(target))
    assert run(shop, "forget", "--customer", "CUST0004", "--yes").exit_code == 0
    res = run(shop, "restore", str(target), "--yes")
    assert res.exit_code == 0, res.output
    assert "1 customer(s) erased since that backup stay erased" in res.output
    assert b"CUST0004" not in shop.read_bytes()
    with Workspace(shop) as ws:
        assert ws.count("customers") == 29


def test_restore_refuses_something_that_is_not_a_workspace(shop, tmp_path):
    junk = tmp_path / "notes.shoprec"
    junk.write_bytes(b"SQLite format 3\x00" + os.urandom(4000))
    before = shop.read_bytes()
    line = one_error_line(run(shop, "restore", str(junk), "--yes"))
    assert line.startswith(f"Error: {junk}:")
    assert shop.read_bytes() == before


# -- check ----------------------------------------------------------------------------------------


def test_check_says_ok_then_finds_and_repairs_an_orphan_model(shop):
    res = run(shop, "check")
    assert res.exit_code == 0 and res.output.startswith("ok: 30 customers, 150 events, 1 models")
    with Workspace(shop) as ws, ws.atomic() as conn:  # what a kill inside an old train left
        conn.execute("INSERT INTO models (strategy, created_at, state) SELECT strategy, created_at, "
                     "state FROM models")
    res = run(shop, "check")
    assert res.exit_code == 1
    assert res.output.strip() == ("1 problem(s): 1 model(s) no run uses, left by an interrupted training "
                                  "(`shoprec check --repair` removes them)")
    res = run(shop, "check", "--repair")
    assert res.exit_code == 0 and "repaired: removed 1 model(s) no run uses" in res.output


@pytest.mark.parametrize("blob, why", [
    (b"\x80\x04\x95pickle", "not safetensors"),
    (struct.pack("<Q", 10**12) + b"{}", "header size out of range"),
    (os.urandom(64), "not safetensors"),
])
def test_check_names_an_unreadable_model(shop, blob, why):
    with Workspace(shop) as ws, ws.atomic() as conn:
        conn.execute("UPDATE models SET state = ?", (blob,))
    res = run(shop, "check", "--json")
    report = json.loads(res.stdout)
    assert not report["ok"] and why in report["problems"][0] and report["problems"][0].startswith("model 1")
    # and recommending from it is one line too
    line = one_error_line(run(shop, "recommend", "--strategy", "popularity", "--customer", "CUST0001"))
    assert line.startswith("Error:")


def test_check_finds_nan_weights(shop):
    import numpy as np
    from safetensors.numpy import save

    with Workspace(shop) as ws, ws.atomic() as conn:
        conn.execute("UPDATE models SET state = ?", (save({"w": np.array([1.0, np.nan], np.float32)}),))
    report = json.loads(run(shop, "check", "--json").stdout)
    assert report["problems"] == ["model 1: tensor 'w' holds NaN or infinite numbers"]


def test_check_catches_broken_accounting(shop):
    with Workspace(shop) as ws, ws.atomic() as conn:
        conn.execute("UPDATE imports SET imported = imported - 3")
    res = run(shop, "check")
    assert "orders.csv): 151 rows read but 147 + 0 + 1 accounted for" in res.output


# -- readers never write ----------------------------------------------------------------------


def test_readers_open_read_only_and_work_on_a_read_only_file(shop, tmp_path):
    shop.chmod(0o444)
    shop.parent.chmod(0o555)
    try:
        if os.access(shop, os.W_OK):
            pytest.skip("running as a user who can write anything")
        res = run(shop, "info", "--json")
        assert res.exit_code == 0, res.output
        assert json.loads(res.stdout)["customers"] == 30
        assert run(shop, "rejects").exit_code == 0
        res = run(shop, "export", "--exporter", "csv", "--out", str(tmp_path / "out" / "l.csv"))
        assert res.exit_code == 0, res.output
        line = one_error_line(run(shop, "forget", "--customer", "CUST0001", "--yes", "--no-backup"))
        assert "read-only" in line
    finally:
        shop.parent.chmod(0o755)
        shop.chmod(0o644)


def test_reading_commands_change_no_byte_and_do_not_switch_journal(shop, tmp_path):
    # a workspace someone copied in DELETE mode: reading it must not switch it to WAL
    conn = sqlite3.connect(shop)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    before = shop.read_bytes()
    for args in (["info"], ["rejects"], ["recommend", "--strategy", "popularity", "--customer", "CUST0001"],
                 ["export", "--exporter", "json", "--out", str(tmp_path / "l.json")], ["plugins"]):
        res = run(shop, *args)
        assert res.exit_code == 0, (args, res.output)
    assert shop.read_bytes() == before
    assert not shop.with_name("shop.shoprec-wal").exists()


def test_a_missing_workspace_is_an_error_for_readers_and_only_import_creates(tmp_path):
    ws_path = tmp_path / "typo.shoprec"
    for args in (["info"], ["rejects"], ["export", "--exporter", "csv"], ["train", "--strategy", "popularity"],
                 ["check"], ["forget", "--customer", "x", "--yes"]):
        line = one_error_line(run(ws_path, *args))
        assert "no workspace there" in line, args
        assert not ws_path.exists()
    res = run(ws_path, "import", str(write_events(tmp_path / "o.csv", 3)))
    assert res.exit_code == 0 and f"Created a new workspace: {ws_path}" in res.output


def test_another_programs_database_is_refused_before_anything_changes(tmp_path):
    other = tmp_path / "accounts.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE ledger (id INTEGER PRIMARY KEY, amount REAL)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    for args in (["info"], ["import", str(write_events(tmp_path / "o.csv", 3))], ["check"]):
        line = one_error_line(run(other, *args)) if args[0] != "import" else run(other, *args).output
        assert "not a ShopRec workspace (a database of another program, with tables ledger)" in line
    assert other.read_bytes() == before
    assert not other.with_name("accounts.db-wal").exists()


def test_a_foreign_trigger_is_refused_and_check_repair_removes_it(shop, tmp_path):
    conn = sqlite3.connect(shop)
    conn.execute("CREATE TRIGGER eat AFTER INSERT ON events BEGIN DELETE FROM events "
                 "WHERE rowid = new.rowid; END")
    conn.commit()
    conn.close()
    with pytest.raises(HostileSchema, match="has a trigger 'eat' on events that ShopRec did not create"):
        Workspace(shop)
    line = one_error_line(run(shop, "import", str(write_events(tmp_path / "more.csv", 3))))
    assert "`shoprec check --repair` removes it" in line
    assert "trigger 'eat' on events was not made by ShopRec" in run(shop, "check").output
    res = run(shop, "check", "--repair")
    assert res.exit_code == 0 and "removed trigger eat on events" in res.output
    Workspace(shop).close()


@pytest.mark.parametrize("damage", ["header", "pages", "migrations", "garbage"])
def test_damaged_workspaces_give_one_line(shop, damage):
    data = bytearray(shop.read_bytes())
    if damage == "header":
        data[16:24] = b"\xff" * 8
    elif damage == "pages":
        for off in range(4096 * 2, len(data), 4096):
            data[off:off + 200] = os.urandom(200)
    elif damage == "garbage":
        data = bytearray(os.urandom(len(data)))
    if damage == "migrations":
        conn = sqlite3.connect(shop)
        conn.execute("DROP TABLE schema_migrations")
        conn.commit()
        conn.close()
    else:
        shop.write_bytes(bytes(data))
    for args in (["info"], ["recommend", "--strategy", "popularity", "--customer", "CUST0001"], ["check"]):
        res = run(shop, *args)
        assert res.exit_code != 0, (damage, args)
        if args[0] == "check" and res.output.count("problem"):
            continue  # check reports the damage as its finding
        one_error_line(res)


def test_workspace_open_errors_are_workspace_errors(tmp_path):
    with pytest.raises(WorkspaceNotFound):
        Workspace(tmp_path / "nope.shoprec", create=False)
    with pytest.raises(WorkspaceNotFound):
        Workspace(tmp_path / "nope.shoprec", readonly=True)
    assert issubclass(HostileSchema, WorkspaceError)


def test_a_read_only_workspace_refuses_writes_with_one_line(shop):
    with Workspace(shop, readonly=True) as ws:
        assert ws.count("customers") == 30
        with pytest.raises(WorkspaceError, match="opened read-only"):
            with ws.atomic():
                pass


def test_an_upgrade_is_preceded_by_an_automatic_backup(tmp_path):
    from shoprec.core.store.workspace import MIGRATIONS, SCHEMA_VERSION

    path = tmp_path / "old.shoprec"  # a workspace written by the previous version
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)")
    for version, migration in enumerate(MIGRATIONS[:-1], start=1):
        migration(conn)
        conn.execute("INSERT INTO schema_migrations VALUES (?, 0)", (version,))
    conn.execute("INSERT INTO customers (external_id) VALUES ('kept')")
    conn.close()
    with Workspace(path) as ws:
        assert ws.schema_version == SCHEMA_VERSION and ws.count("customers") == 1
    (backup,) = (tmp_path / "old.shoprec.backups").glob(f"before-upgrade-v{SCHEMA_VERSION - 1}-*.shoprec")
    old = sqlite3.connect(backup)
    assert old.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] == SCHEMA_VERSION - 1
    assert old.execute("SELECT external_id FROM customers").fetchone()[0] == "kept"
    old.close()


def test_an_import_that_fills_the_disk_says_so_in_one_line_and_changes_nothing(tmp_path):
    """SQLite's page limit stands in for a full disk: the same "database or disk is full"."""
    from shoprec.core.importing import ImportFailed, import_file

    big = tmp_path / "events.csv"
    with open(big, "w", encoding="utf-8") as fh:
        fh.write("customer_id,item_id,event_type,timestamp\n")
        for r in range(60_000):
            fh.write(f"C{r % 5000},I{r % 3000},view,{1_700_000_000 + r}\n")
    ws = Workspace(tmp_path / "w.shoprec")
    before = ws.info()
    pages = ws.conn.execute("PRAGMA page_count").fetchone()[0]
    ws.conn.execute(f"PRAGMA max_page_count = {pages + 20}")
    with pytest.raises(ImportFailed) as failed:
        import_file(ws, big)
    message = str(failed.value)
    assert "the disk is full" in message and "\n" not in message and str(big) in message
    after = ws.info()
    assert (after["events"], after["imports"], after["customers"]) == (
        before["events"], before["imports"], before["customers"])
    ws.close()
