"""The importer's promises: accounting, duplicates, rejects, atomicity, cancel, progress, bad files,
streaming across chunk boundaries, and user mappings."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
from shoprec.core.contracts.progress import Cancelled, CancelToken
from shoprec.core.importing import ImportFailed, import_file, run
from shoprec.core.store.workspace import Workspace

FIXTURES = Path(__file__).parent / "fixtures"


def snapshot(ws) -> dict[str, int]:
    return {t: ws.count(t) for t in ("customers", "items", "events", "imports", "rejects")}


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# -- accounting, duplicates, rejects -----------------------------------------------------------

def test_overlapping_exports_add_nothing_twice(ws, tmp_path):
    head = "customer,sku,event,quantity,datetime\n"
    a = write(tmp_path, "jan.csv", head + "c1,s1,view,1,2026-01-01 10:00\nc1,s2,cart,1,2026-01-02 10:00\n"
              "c2,s1,purchase,2,2026-01-03 10:00\n")
    b = write(tmp_path, "jan-feb.csv", head + "c1,s2,cart,1,2026-01-02 10:00\nc2,s1,purchase,2,2026-01-03 10:00\n"
              "c3,s3,view,1,2026-02-01 10:00\n")
    first, second = import_file(ws, a), import_file(ws, b)
    assert (first.imported, first.duplicates) == (3, 0)
    assert (second.rows_read, second.imported, second.duplicates, second.rejected) == (3, 1, 2, 0)
    assert ws.count("events") == 4
    row = ws.conn.execute(
        "SELECT file_name, rows_read, imported, duplicates, rejected, format, encoding, delimiter, sha256 "
        "FROM imports WHERE id = ?", (second.import_id,)).fetchone()
    assert row[:8] == ("jan-feb.csv", 3, 1, 2, 0, "events", "utf-8", ",")
    assert len(row[8]) == 64


def test_many_rows_with_repeats_are_counted_exactly_across_statement_groups(ws, tmp_path):
    # More rows than one multi-row INSERT holds, with repeats inside the file and inside groups,
    # and a tail that does not fill a whole group.
    from shoprec.core.importing import events as ev_mod

    head = "customer,sku,event,quantity,datetime\n"
    rows = [f"c{i % 37},s{i % 11},view,1,2026-01-{1 + i % 28:02d} 10:{i % 60:02d}" for i in range(300)]
    rows += rows[:45]  # 45 repeats
    path = write(tmp_path, "many.csv", head + "\n".join(rows) + "\n")
    distinct = len(set(rows))
    summary = import_file(ws, path)
    assert summary.rows_read == len(rows) > 2 * ev_mod.ROWS_PER_STATEMENT
    assert (summary.imported, summary.duplicates) == (distinct, len(rows) - distinct)
    assert ws.count("events") == distinct
    again = import_file(ws, path)
    assert (again.imported, again.duplicates) == (0, len(rows))


def test_rejects_keep_line_number_raw_text_and_reason(ws, tmp_path):
    path = write(tmp_path, "log.csv", "user,item,event,qty,time\n"
                 "u1,i1,view,1,2026-01-01\n"
                 ",i1,view,1,2026-01-01\n"
                 "u2,i2,view,lots,2026-01-01\n"
                 "u3,i3,levitate,1,2026-01-01\n"
                 "u4,i4,view,1,31/31/2026\n"
                 "u5,,view,1,2026-01-01\n"
                 "u6,i6,view,1,2026-01-01,extra\n")
    s = import_file(ws, path)
    assert (s.rows_read, s.imported, s.rejected) == (7, 1, 6)
    got = ws.conn.execute("SELECT line, raw, reason FROM rejects ORDER BY line").fetchall()
    assert got == [
        (3, ",i1,view,1,2026-01-01", "missing customer"),
        (4, "u2,i2,view,lots,2026-01-01", "non-numeric quantity 'lots'"),
        (5, "u3,i3,levitate,1,2026-01-01", "unknown event type 'levitate'"),
        (6, "u4,i4,view,1,31/31/2026", "unparseable date '31/31/2026'"),
        (7, "u5,,view,1,2026-01-01", "missing product id"),
        (8, "u6,i6,view,1,2026-01-01,extra", "6 fields, expected 5"),
    ]


def test_summary_as_dict_and_one_line_str(ws):
    s = import_file(ws, FIXTURES / "events_pipe.txt")
    d = s.as_dict()
    assert set(d) == {"file", "import_id", "format", "encoding", "delimiter", "rows_read", "imported",
                      "duplicates", "rejected", "seconds", "anonymous"}
    assert d["rows_read"] == d["imported"] + d["duplicates"] + d["rejected"] == 7
    assert "\n" not in str(s) and "7 rows read = 4 imported + 0 duplicates + 3 rejected" in str(s)


def test_import_time_includes_the_commit_and_is_stored(ws, monkeypatch):
    # The commit (for a large file: writing out cached pages, checkpointing the WAL) is part of
    # the import's time; the stored time is the one the summary reports.
    real_atomic = ws.atomic

    @contextlib.contextmanager
    def slow_commit():
        with real_atomic() as conn:
            yield conn
        time.sleep(0.3)  # stands for a commit that takes a while

    monkeypatch.setattr(ws, "atomic", slow_commit)
    s = import_file(ws, FIXTURES / "events_pipe.txt")
    assert s.seconds >= 0.3
    stored = ws.conn.execute("SELECT seconds FROM imports WHERE id = ?", (s.import_id,)).fetchone()[0]
    assert stored == pytest.approx(s.seconds, abs=1e-3)


def test_an_import_that_committed_is_not_reported_failed_when_its_time_cannot_be_stored(ws):
    class BusyForTheTime:
        """The workspace connection, except that storing the import's time finds it locked."""

        def __init__(self, conn):
            self._conn = conn

        def execute(self, sql, *args):
            if sql.startswith("UPDATE imports SET seconds"):
                raise sqlite3.OperationalError("database is locked")
            return self._conn.execute(sql, *args)

        def __getattr__(self, name):
            return getattr(self._conn, name)

    real = ws.conn
    ws.conn = BusyForTheTime(real)
    try:
        s = import_file(ws, FIXTURES / "events_pipe.txt")
    finally:
        ws.conn = real
    assert s.imported == 4
    assert ws.count("events") == 4


# -- mapping and format overrides ---------------------------------------------------------------

def test_user_mapping_by_column_name_is_used_and_stored(ws, tmp_path):
    path = write(tmp_path, "export.csv", "Customer Email,Article,Wann,Notes\n"
                 "a@example.com,P1,2026-03-01 09:00,x\nb@example.com,P2,2026-03-02 09:00,y\n")
    with pytest.raises(ImportFailed, match="unknown layout"):
        import_file(ws, path)
    s = import_file(ws, path, mapping={"Customer Email": "customer", "Article": "item", "Wann": "time"})
    assert (s.format, s.imported) == ("events", 2)
    stored = json.loads(ws.conn.execute("SELECT mapping FROM imports").fetchone()[0])
    assert stored == {"Customer Email": "customer", "Article": "item", "Wann": "time"}
    assert ws.conn.execute("SELECT external_id FROM customers ORDER BY id").fetchall() == [
        ("a@example.com",), ("b@example.com",)]


def test_mapping_overrides_a_detected_column(ws, tmp_path):
    path = write(tmp_path, "log.csv", "user_id,item_id,category,behavior,timestamp\n1,10,7,pv,1700000000\n")
    import_file(ws, path, mapping={"category": "item"})  # the shop wants categories as items
    assert ws.conn.execute("SELECT external_id FROM items").fetchall() == [("7",)]


def test_headerless_file_with_column_numbers(ws):
    s = import_file(ws, FIXTURES / "headerless_events.csv",
                    mapping={"1": "customer", "2": "item", "3": "type", "4": "time"})
    assert (s.rows_read, s.imported) == (2, 2)  # no header: the first line is data
    assert ws.info()["events_by_type"] == {"view": 1, "purchase": 1}


def test_bad_mappings_and_formats_are_one_line_errors(ws, tmp_path):
    path = FIXTURES / "events_tab.tsv"
    with pytest.raises(ImportFailed, match="unknown field 'colour'"):
        import_file(ws, path, mapping={"customer": "colour"})
    with pytest.raises(ImportFailed, match="no column 'Nope'"):
        import_file(ws, path, mapping={"Nope": "customer"})
    with pytest.raises(ImportFailed, match="unknown format 'excel'"):
        import_file(ws, path, format="excel")
    with pytest.raises(ImportFailed, match="not a Shopify orders export file"):
        import_file(ws, path, format="shopify_orders")
    assert snapshot(ws)["imports"] == 0


# -- bad files ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("name", "problem"),
    [("empty.csv", "the file is empty"), ("picture.csv", "PNG image"),
     ("binary.csv", "binary content"), ("unknown_layout.csv", "unknown layout"),
     ("no_such_file.csv", "no such file")],
)
def test_bad_files_fail_with_one_line_naming_the_file(ws, name, problem):
    with pytest.raises(ImportFailed) as info:
        import_file(ws, FIXTURES / name)
    message = str(info.value)
    assert name in message and problem in message and "\n" not in message
    assert snapshot(ws) == dict.fromkeys(snapshot(ws), 0)


def test_a_10mb_field_is_refused_and_nothing_is_written(ws, tmp_path):
    path = tmp_path / "huge.csv"
    with open(path, "w") as fh:
        fh.write("customer,item,event,time\n")
        for i in range(50):
            fh.write(f"c{i},i{i},view,2026-01-01\n")
        fh.write('c,i,"' + "x" * 10_000_000 + '",2026-01-01\n')
    with pytest.raises(ImportFailed) as info:
        import_file(ws, path)
    assert "huge.csv" in str(info.value) and "line 52" in str(info.value)
    assert "longer than 128 KiB" in str(info.value)
    assert snapshot(ws)["events"] == 0 and snapshot(ws)["imports"] == 0


def test_a_binary_blob_after_good_rows_fails_whole(ws, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"customer,item,event,time\n" + b"c,i,view,2026-01-01\n" * 10 + b"\xff" * 2_000_000)
    with pytest.raises(ImportFailed, match="mixed.csv"):
        import_file(ws, path)
    assert snapshot(ws)["events"] == 0


def test_truncated_last_line_is_a_reject_not_a_failure(ws):
    s = import_file(ws, FIXTURES / "truncated_last_line.csv")
    assert (s.imported, s.rejected) == (2, 1)
    assert ws.conn.execute("SELECT line, raw FROM rejects").fetchone() == (4, "3,30,vi")


# -- atomicity, cancel, kill, progress --------------------------------------------------------------

def test_cancel_mid_way_leaves_the_workspace_as_it_was(ws, tmp_path, monkeypatch):
    monkeypatch.setattr(run, "CHUNK_ROWS", 10)
    import_file(ws, FIXTURES / "events_pipe.txt")
    before = snapshot(ws)
    path = write(tmp_path, "big.csv", "customer,item,event,time\n" + "".join(
        f"c{i},i{i % 7},view,2026-01-01 00:{i % 60:02d}\n" for i in range(200)))
    token = CancelToken()
    seen = []

    def progress(update):
        seen.append(update.done)
        if len(seen) == 3:  # after a couple of chunks were written inside the transaction
            token.cancel()

    with pytest.raises(Cancelled):
        import_file(ws, path, progress=progress, cancel=token)
    assert snapshot(ws) == before
    s = import_file(ws, path)  # and the workspace is still usable
    assert s.imported == 200


def test_a_killed_import_leaves_the_workspace_file_as_it_was(tmp_path):
    ws_path = tmp_path / "shop.shoprec"
    with Workspace(ws_path) as ws:
        import_file(ws, FIXTURES / "events_pipe.txt")
        before = snapshot(ws)
    big = write(tmp_path, "big.csv", "customer,item,event,time\n" + "".join(
        f"c{i},i{i},view,2026-01-01\n" for i in range(300)))
    script = textwrap.dedent(f"""
        import os, signal
        from shoprec.core.importing import import_file, run
        from shoprec.core.store.workspace import Workspace
        run.CHUNK_ROWS = 50
        calls = []
        def progress(update):
            calls.append(update)
            if len(calls) == 4:
                os.kill(os.getpid(), signal.SIGKILL)   # power cut in the middle of the import
        import_file(Workspace({str(ws_path)!r}), {str(big)!r}, progress=progress)
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == -9, proc.stderr
    with Workspace(ws_path) as ws:
        assert snapshot(ws) == before
        assert import_file(ws, big).imported == 300


def test_progress_reports_bytes_read_up_to_the_file_size(ws, tmp_path, monkeypatch):
    monkeypatch.setattr(run, "CHUNK_ROWS", 25)
    path = write(tmp_path, "p.csv", "customer,item,event,time\n" + "".join(
        f"c{i},i{i},view,2026-01-01\n" for i in range(100)))
    updates = []
    import_file(ws, path, progress=updates.append)
    done = [u.done for u in updates]
    assert done == sorted(done) and done[-1] == path.stat().st_size
    assert all(u.total == path.stat().st_size for u in updates)
    assert updates[-1].metrics["imported"] == 100


# -- streaming across chunk boundaries -----------------------------------------------------------

def test_chunk_boundaries_keep_multiline_records_orders_and_line_numbers(ws, monkeypatch):
    monkeypatch.setattr(run, "CHUNK_ROWS", 1)  # every record is its own chunk
    s = import_file(ws, FIXTURES / "shopify_orders.csv")
    assert (s.imported, s.anonymous, s.rejected) == (5, 1, 0)
    lines = ws.conn.execute(
        "SELECT c.external_id, e.line_no FROM events e JOIN customers c ON c.id = e.customer_id "
        "WHERE e.order_id = '#1001' ORDER BY e.line_no").fetchall()
    assert lines == [("ann@example.com", 0), ("ann@example.com", 1), ("ann@example.com", 2)]
    # the POS order without a customer, whose note spans lines 7-8: one anonymous basket line
    assert ws.conn.execute("SELECT order_id, line_no FROM anonymous_lines").fetchall() == [("#1003", 0)]
    ws2 = Workspace.memory()
    s = import_file(ws2, FIXTURES / "quoted_multiline.csv")
    assert ws2.conn.execute("SELECT line, reason FROM rejects").fetchall() == [
        (5, "unparseable date 'yesterday'")]
    assert ws2.conn.execute("SELECT title FROM items WHERE external_id = 'i2'").fetchone() == (
        'Comma, and "quotes"',)
    assert ws2.conn.execute("SELECT title FROM items WHERE external_id = 'i1'").fetchone() == (
        "A title\nover two lines",)


def test_catalog_then_orders_share_items(ws):
    import_file(ws, FIXTURES / "shopify_products.csv")
    import_file(ws, FIXTURES / "shopify_orders.csv")
    # Orders reference the products by SKU: no duplicate items, catalog data kept.
    assert ws.conn.execute("SELECT title, price FROM items WHERE external_id = 'TEE-S'").fetchone() == (
        "Classic Tee - S", 19.9)
    assert ws.count("items") == 5  # (the "Sticker" of a POS order without customer: an anonymous line)


def test_events_are_ordered_by_customer_then_time_however_the_values_spread():
    from shoprec.core.importing.events import _key_order

    rng = np.random.default_rng(5)
    cust = rng.integers(1, 50, 500)
    for ts in (rng.integers(-10**6, 10**6, 500), rng.integers(-2**62, 2**62, 500)):  # narrow, wide span
        order = _key_order(cust, ts)
        assert (order == np.lexsort((ts, cust))).all()
