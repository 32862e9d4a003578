import sqlite3

import pytest
from shoprec.core.workspace import SCHEMA_VERSION, SchemaTooNew, Workspace, WorkspaceError


def test_new_workspace_is_migrated_and_in_wal_mode(tmp_path):
    path = tmp_path / "shop.shoprec"
    ws = Workspace(path)
    assert ws.schema_version == SCHEMA_VERSION
    assert ws.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    for table in ("customers", "items", "events", "imports", "rejects", "runs", "models"):
        assert table in ws.db.table_names()
    ws.close()
    # reopening does not re-run migrations
    again = Workspace(path)
    assert again.count("schema_migrations") == SCHEMA_VERSION
    again.close()


def test_atomic_rolls_back_everything_including_nested(ws):
    with pytest.raises(RuntimeError):
        with ws.atomic():
            ws.conn.execute("INSERT INTO customers (external_id) VALUES ('a')")
            with ws.atomic():
                ws.conn.execute("INSERT INTO customers (external_id) VALUES ('b')")
            raise RuntimeError("boom")
    assert ws.count("customers") == 0


def test_nested_failure_rolls_back_only_the_savepoint(ws):
    with ws.atomic():
        ws.conn.execute("INSERT INTO customers (external_id) VALUES ('a')")
        with pytest.raises(sqlite3.IntegrityError):
            with ws.atomic():
                ws.conn.execute("INSERT INTO customers (external_id) VALUES ('b')")
                ws.conn.execute("INSERT INTO customers (external_id) VALUES ('a')")
    assert [r[0] for r in ws.conn.execute("SELECT external_id FROM customers")] == ["a"]


def test_ids_are_kept_as_text_exactly(ws):
    with ws.atomic():
        ws.conn.execute("INSERT INTO customers (external_id) VALUES ('00017850')")
        ws.conn.execute("INSERT INTO items (external_id) VALUES ('1234567890123456789')")
    assert ws.conn.execute("SELECT external_id FROM customers").fetchone()[0] == "00017850"
    assert ws.conn.execute("SELECT external_id FROM items").fetchone()[0] == "1234567890123456789"


def test_not_a_workspace_gives_a_clear_error(tmp_path):
    bogus = tmp_path / "photo.shoprec"
    bogus.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    with pytest.raises(WorkspaceError, match="photo.shoprec: not a ShopRec workspace"):
        Workspace(bogus)


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "future.shoprec"
    Workspace(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_migrations VALUES (999, 0)")
    conn.commit()
    conn.close()
    with pytest.raises(SchemaTooNew):
        Workspace(path)


def test_settings_roundtrip(ws):
    assert ws.get_setting("theta", "0.5") == "0.5"
    ws.set_setting("theta", "0.7")
    ws.set_setting("theta", "0.6")
    assert ws.get_setting("theta") == "0.6"


def test_default_workspace_follows_environment(monkeypatch, tmp_path):
    from shoprec.core.workspace import default_workspace_path

    monkeypatch.setenv("SHOPREC_WORKSPACE", str(tmp_path / "x.shoprec"))
    assert default_workspace_path() == tmp_path / "x.shoprec"
    monkeypatch.delenv("SHOPREC_WORKSPACE")
    assert default_workspace_path().name == "shop.shoprec"
