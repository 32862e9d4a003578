import sqlite3

import pytest
from shoprec.core.store.workspace import SCHEMA_VERSION, SchemaTooNew, Workspace, WorkspaceError


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
    from shoprec.core.store.workspace import default_workspace_path

    monkeypatch.setenv("SHOPREC_WORKSPACE", str(tmp_path / "x.shoprec"))
    assert default_workspace_path() == tmp_path / "x.shoprec"
    monkeypatch.delenv("SHOPREC_WORKSPACE")
    assert default_workspace_path().name == "shop.shoprec"


def test_a_version_2_workspace_keeps_its_events_when_they_become_keyed_by_identity(tmp_path):
    from shoprec.core.store.workspace import MIGRATIONS

    path = tmp_path / "old.shoprec"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)")
    for version, migration in enumerate(MIGRATIONS[:2], start=1):
        migration(conn)
        conn.execute("INSERT INTO schema_migrations VALUES (?, 0)", (version,))
    conn.execute("INSERT INTO customers (id, external_id) VALUES (1, 'c1'), (2, 'c2')")
    conn.execute("INSERT INTO items (id, external_id) VALUES (1, 'i1'), (2, 'i2')")
    conn.execute("INSERT INTO imports (id, file_name) VALUES (1, 'orders.csv')")
    old = [(2, 1, "purchase", 2.0, 9.5, 200, "A1", 0, 1), (1, 2, "view", 1.0, None, 300, "", 0, 1),
           (1, 1, "view", 1.0, None, 100, "", 0, 1)]
    conn.executemany("INSERT INTO events (customer_id, item_id, type, quantity, value, ts, order_id, "
                     "line_no, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", old)
    conn.close()

    ws = Workspace(path)
    assert ws.schema_version == SCHEMA_VERSION
    rows = ws.conn.execute("SELECT customer_id, item_id, type, quantity, value, ts, order_id, line_no, "
                           "import_id FROM events").fetchall()
    assert rows == sorted(old, key=lambda r: (r[0], r[5]))  # every event, in customer-time order
    with pytest.raises(sqlite3.OperationalError, match="rowid"):
        ws.conn.execute("SELECT rowid FROM events")
    # the table itself refuses a second copy of an event; a second order line is a new event
    insert = ("INSERT OR IGNORE INTO events (customer_id, item_id, type, ts, order_id, line_no) "
              "VALUES (2, 1, 'purchase', 200, 'A1', ?)")
    assert ws.conn.execute(insert, (0,)).rowcount == 0
    assert ws.conn.execute(insert, (1,)).rowcount == 1
    ws.close()
