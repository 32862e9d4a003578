"""The parser process (core/importing/parser_process.py): the same workspace as a one-process import, for
every handover point, and the same promises on failure, cancel and a dying parser."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from shoprec.core.contracts.progress import Cancelled, CancelToken
from shoprec.core.importing import ImportFailed, import_file, run
from shoprec.core.importing import parser_process as worker
from shoprec.core.store.workspace import Workspace

FIXTURES = Path(__file__).parent / "fixtures"


def dump(ws: Workspace) -> dict[str, list]:
    """Everything an import writes, by the shop's ids (surrogate keys may differ in order)."""
    q = ws.conn.execute
    return {
        "events": sorted(q(
            "SELECT c.external_id, i.external_id, e.type, e.quantity, e.value, e.ts, e.order_id, e.line_no "
            "FROM events e JOIN customers c ON c.id = e.customer_id JOIN items i ON i.id = e.item_id"
        ).fetchall(), key=repr),
        "customers": sorted(q("SELECT external_id, email FROM customers").fetchall(), key=repr),
        "items": sorted(q("SELECT external_id, title, sku, price, vendor, attrs FROM items").fetchall(), key=repr),
        "rejects": q("SELECT line, raw, reason FROM rejects ORDER BY line").fetchall(),
        "anonymous": sorted(q(
            "SELECT a.order_id, a.ts, a.line_no, i.external_id, a.type, a.quantity, a.value "
            "FROM anonymous_lines a JOIN items i ON i.id = a.item_id").fetchall(), key=repr),
        "imports": q("SELECT format, encoding, delimiter, sha256, rows_read, imported, anonymous, duplicates, "
                     "rejected FROM imports ORDER BY id").fetchall(),
    }


@pytest.fixture
def parallel(monkeypatch):
    """Every events file gets a parser process; returns how many chunks it parsed per import."""
    monkeypatch.setattr(worker, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.delenv("SHOPREC_IMPORT_PROCESSES", raising=False)
    parsed_by_child: list[int] = []
    write = run._write_events

    def spy(parsed, *args, **kwargs):
        parsed_by_child.append(parsed.by_parser)
        return write(parsed, *args, **kwargs)

    monkeypatch.setattr(run, "_write_events", spy)
    return parsed_by_child


def generated(tmp_path: Path) -> Path:
    """Rejects, in-file duplicates, refunds, several customers and items per chunk."""
    rows = []
    for i in range(90):
        rows.append(f"c{i % 13},s{i % 7},{('view', 'cart', 'purchase')[i % 3]},{1 + i % 2},"
                    f"2026-01-{1 + i % 28:02d} 1{i % 10}:00")
    rows[10] = ",s1,view,1,2026-01-02 10:00"  # missing customer
    rows[33] = "c1,s1,view,x,2026-01-02 10:00"  # non-numeric quantity
    rows[57] = "c2,s2,view,1,yesterday"  # unparseable date
    rows[70] = "c3,s3,purchase,-1,2026-01-03 10:00"  # refund
    rows += rows[20:30]  # duplicates
    path = tmp_path / "gen.csv"
    path.write_text("customer,sku,event,quantity,datetime\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


CASES = ["generated", "shopify_orders.csv", "quoted_multiline.csv", "woocommerce_analytics_orders.csv",
         "events_cp1252_semicolon.csv", "online_retail.csv"]


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("handoff", [0, 1])
def test_parser_process_writes_exactly_what_one_process_writes(name, handoff, tmp_path, monkeypatch, parallel):
    path = generated(tmp_path) if name == "generated" else FIXTURES / name
    monkeypatch.setattr(run, "CHUNK_ROWS", 1 if name != "generated" else 7)  # orders across chunks
    alone = Workspace.memory()
    with monkeypatch.context() as m:
        m.setenv("SHOPREC_IMPORT_PROCESSES", "1")
        import_file(alone, path)
        import_file(alone, path)  # (all duplicates the second time)
    assert not any(parallel)
    monkeypatch.setattr(worker, "HANDOFF_AT", handoff)
    shared = Workspace.memory()
    import_file(shared, path)
    import_file(shared, path)
    assert sum(parallel) > 0, "the parser process parsed nothing"
    assert dump(shared) == dump(alone)


@pytest.mark.parametrize("name", ["generated", "woocommerce_analytics_orders.csv", "shopify_orders.csv"])
def test_writing_events_in_batches_changes_nothing_but_speed(name, tmp_path, monkeypatch):
    """Plain events wait in batches sorted by key (events.BATCH_ROWS); records that expand to
    several events (packed baskets) are written at once, after the batch before them. Batches of
    one chunk, of a few chunks and of the whole file store and count exactly the same, with
    duplicates inside a batch, across batches and across imports."""
    from shoprec.core.importing import events

    path = generated(tmp_path) if name == "generated" else FIXTURES / name
    monkeypatch.setenv("SHOPREC_IMPORT_PROCESSES", "1")
    monkeypatch.setattr(run, "CHUNK_ROWS", 3)
    dumps = []
    for batch_rows in (1, 4, 10**6):
        monkeypatch.setattr(events, "BATCH_ROWS", batch_rows)
        w = Workspace.memory()
        first, again = import_file(w, path), import_file(w, path)
        assert again.imported == 0 and again.duplicates == first.imported + first.anonymous + first.duplicates
        dumps.append(dump(w))
    assert dumps[0] == dumps[1] == dumps[2]
    assert dumps[0]["events"]


def test_progress_and_accounting_hold_with_the_parser(ws, tmp_path, monkeypatch, parallel):
    monkeypatch.setattr(run, "CHUNK_ROWS", 10)
    monkeypatch.setattr(worker, "HANDOFF_AT", 1)
    path = generated(tmp_path)
    updates = []
    s = import_file(ws, path, progress=updates.append)
    assert s.rows_read == 100 == s.imported + s.anonymous + s.duplicates + s.rejected
    assert (s.duplicates, s.rejected) == (10, 3)
    done = [u.done for u in updates]
    assert done == sorted(done) and done[-1] == path.stat().st_size
    assert parallel == [False] + [True] * 10  # chunk 0 here (header + 9 rows), the rest there


def test_a_file_the_parser_cannot_read_fails_whole_with_one_line(ws, tmp_path, monkeypatch, parallel):
    monkeypatch.setattr(run, "CHUNK_ROWS", 5)
    monkeypatch.setattr(worker, "HANDOFF_AT", 1)
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"customer,item,event,time\n" + b"c,i,view,2026-01-01\n" * 30 + b"\xff\xfe\x00" * 700_000)
    with pytest.raises(ImportFailed, match="mixed.csv") as info:
        import_file(ws, path)
    assert "\n" not in str(info.value)
    assert ws.count("events") == 0 and ws.count("imports") == 0


def test_cancel_with_the_parser_running_leaves_the_workspace_and_no_process(ws, tmp_path, monkeypatch, parallel):
    monkeypatch.setattr(run, "CHUNK_ROWS", 10)
    monkeypatch.setattr(worker, "HANDOFF_AT", 1)
    processes = []
    start = worker.ParserProcess.__init__

    def remember(self, *args, **kwargs):
        start(self, *args, **kwargs)
        processes.append(self._proc)

    monkeypatch.setattr(worker.ParserProcess, "__init__", remember)
    token = CancelToken()
    seen = []

    def progress(update):
        seen.append(update)
        if len(seen) == 4:  # the parser's second chunk is written
            token.cancel()

    with pytest.raises(Cancelled):
        import_file(ws, generated(tmp_path), progress=progress, cancel=token)
    assert ws.count("events") == 0 and ws.count("imports") == 0
    assert processes and processes[0].poll() is not None  # stopped, not left running


def test_a_parser_that_dies_is_a_one_line_error_and_nothing_is_written(ws, tmp_path, monkeypatch, parallel):
    monkeypatch.setattr(run, "CHUNK_ROWS", 10)
    monkeypatch.setattr(worker, "HANDOFF_AT", 1)
    hand_over = worker.ParserProcess.hand_over

    def and_die(self, *args):
        handed = hand_over(self, *args)
        self._proc.kill()
        return handed

    monkeypatch.setattr(worker.ParserProcess, "hand_over", and_die)
    with pytest.raises(ImportFailed, match="parser process stopped unexpectedly"):
        import_file(ws, generated(tmp_path))
    assert ws.count("events") == 0 and ws.count("imports") == 0


def test_state_that_json_would_change_keeps_the_import_in_one_process(ws, tmp_path, monkeypatch, parallel):
    monkeypatch.setattr(run, "CHUNK_ROWS", 10)
    monkeypatch.setattr(worker, "HANDOFF_AT", 1)
    carried = run.EventWriter.carried
    monkeypatch.setattr(run.EventWriter, "carried", lambda self: {**carried(self), "odd": (1, 2)})
    s = import_file(ws, generated(tmp_path))
    assert s.rows_read == 100 and not any(parallel)  # a tuple would come back a list: not sent


def test_messages_carry_numbers_as_arrays_and_refuse_objects():
    import io

    buf = io.BytesIO()
    worker.write_message(buf, {"kind": "x", "n": np.int64(3), "texts": ["é", ""]},
                         {"a": np.arange(5, dtype=np.int32), "b": np.array([[1.5, np.nan]])})
    buf.seek(0)
    head, arrays = worker.read_message(buf)
    assert head == {"kind": "x", "n": 3, "texts": ["é", ""]}
    assert arrays["a"].dtype == np.int32 and arrays["a"].tolist() == [0, 1, 2, 3, 4]
    assert arrays["b"].shape == (1, 2) and np.isnan(arrays["b"][0, 1])
    with pytest.raises(TypeError, match="Python objects"):
        worker.write_message(io.BytesIO(), {}, {"o": np.array(["x"], dtype=object)})
    with pytest.raises(EOFError):
        worker.read_message(io.BytesIO(b"\x05\x00"))


def test_small_files_and_the_switch_keep_one_process(monkeypatch):
    monkeypatch.delenv("SHOPREC_IMPORT_PROCESSES", raising=False)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert not worker.parallel_enabled(1_000_000)
    assert worker.parallel_enabled(worker.PARALLEL_MIN_BYTES)
    monkeypatch.setenv("SHOPREC_IMPORT_PROCESSES", "1")
    assert not worker.parallel_enabled(10 * worker.PARALLEL_MIN_BYTES)
    monkeypatch.delenv("SHOPREC_IMPORT_PROCESSES")
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    assert not worker.parallel_enabled(10 * worker.PARALLEL_MIN_BYTES)


# -- id codes: exact whatever the hashes do ----------------------------------------------------------

def _round_trip(chunks: list[np.ndarray], coder: worker.IdCodes) -> list[list[int]]:
    """Workspace ids through IdCodes -> CodeBook, with an interner that numbers texts in turn."""
    book, table = worker.CodeBook(), {}

    def intern(texts, rows):
        return np.array([table.setdefault(t, len(table) + 1) for t in texts.tolist()], dtype=np.int64)

    return [book.resolve(*coder.encode(c), intern).tolist() for c in chunks], table


@pytest.mark.parametrize("collide", ["none", "all", "two"])
@pytest.mark.parametrize("cap", [1000, 12])
def test_id_codes_give_each_text_one_id_even_with_colliding_hashes(collide, cap, monkeypatch):
    rng = np.random.default_rng(3)
    pool = np.array([f"C{i:05d}" for i in range(40)] + ["", "0042", "42"], dtype=object)
    chunks = [pool[rng.integers(0, len(pool), 9)] for _ in range(12)]
    if collide == "all":  # every text hashes alike: the coder must notice and match texts instead
        monkeypatch.setattr(worker, "_hash", lambda text: 7)
    elif collide == "two":  # two texts, first seen chunks apart, share a hash
        first_seen = list(dict.fromkeys(t for c in chunks for t in c.tolist()))
        a, b = first_seen[0], first_seen[-1]
        monkeypatch.setattr(worker, "_hash", lambda text: 7 if text in (a, b) else hash(text))
    coder = worker.IdCodes(cap=cap)
    ids, table = _round_trip(chunks, coder)
    if cap == 1000 or collide == "all":  # (with cap 12 the codes may restart before "b" comes)
        assert coder.by_dict == (collide != "none")
    for chunk, got in zip(chunks, ids, strict=True):
        assert got == [table[t] for t in chunk.tolist()]


@pytest.mark.realdata
@pytest.mark.parametrize(("parts", "chunk_rows"), [
    (("shopify-orders-export-scrubbed", "alphapaw_orders_export_1.scrubbed.csv"), 400),
    (("taobao-userbehavior-head", "UserBehavior.csv"), 20_000),
])
def test_real_exports_import_the_same_with_the_parser(parts, chunk_rows, monkeypatch, parallel):
    from conftest import shared_data

    path = shared_data(*parts)
    monkeypatch.setattr(run, "CHUNK_ROWS", chunk_rows)
    alone = Workspace.memory()
    with monkeypatch.context() as m:
        m.setenv("SHOPREC_IMPORT_PROCESSES", "1")
        import_file(alone, path)
    monkeypatch.setattr(worker, "HANDOFF_AT", 1)
    shared = Workspace.memory()
    import_file(shared, path)
    assert sum(parallel) > 0
    assert dump(shared) == dump(alone)


def test_the_parser_process_reads_a_file_that_changes_encoding_the_same(tmp_path, monkeypatch, parallel):
    path = tmp_path / "glued.csv"
    path.write_bytes(b"customer,sku,product name,date\n"
                     + "".join(f"c{i},U{i},Café {i},2026-01-02\n" for i in range(30)).encode()
                     + "w1,W1,Crème,2026-01-03\n".encode("cp1252") + "z1,Z1,绿茶,2026-01-03\n".encode("gbk")
                     + b"n1,N1,bad \x81\x8d\xff,2026-01-03\n" + b"n2,N\x002,x,2026-01-03\n")
    monkeypatch.setattr(run, "CHUNK_ROWS", 4)
    alone = Workspace.memory()
    with monkeypatch.context() as m:
        m.setenv("SHOPREC_IMPORT_PROCESSES", "1")
        first = import_file(alone, path)
    monkeypatch.setattr(worker, "HANDOFF_AT", 1)
    both = Workspace.memory()
    second = import_file(both, path)
    assert any(parallel)
    assert dump(both) == dump(alone)
    assert first.encoding == second.encoding == "utf-8 + cp1252 (1 line) + gb18030 (1 line)"
    assert (second.imported, second.rejected) == (32, 2)
