"""Property: whatever bytes arrive, the importer never crashes and never miscounts.

Random tables (known headers or not, any delimiter, quotes, line breaks, odd cells, several
encodings) and byte-level mutations of the real-looking fixtures either import with
rows read = imported + duplicates + rejected (and the workspace agrees), or fail with one
:class:`ImportFailed` line naming the file, leaving the workspace untouched.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shoprec.core.importing import ImportFailed, import_file
from shoprec.core.registry import builtin_modules, get_plugin_manager
from shoprec.core.store.workspace import Workspace

FIXTURES = Path(__file__).parent / "fixtures"
PM = get_plugin_manager(builtins=builtin_modules("formats"), entry_points=False, paths=())

HEADERS = [
    ["customer", "sku", "event", "quantity", "datetime"],
    ["用户ID", "商品ID", "商品名称", "行为类型", "时间", "数量"],
    ["userId", "movieId", "rating", "timestamp"],
    ["Name", "Email", "Financial Status", "Created at", "Lineitem quantity", "Lineitem name",
     "Lineitem price", "Lineitem sku", "Cancelled at"],
    ["Handle", "Title", "Body (HTML)", "Variant SKU", "Variant Price", "Option1 Value"],
    ["Date", "Order #", "Status", "Customer", "Customer type", "Product(s)", "Net sales"],
    None,  # no header at all
]
CELLS = st.one_of(
    st.sampled_from(["", "view", "buy", "pv", "cart", "purchase", "refunded", "1", "-2", "3.5",
                     "1,5", "$8.00", "x", "2026-01-02 10:00:00", "13/45/26", "1511544070",
                     "2× Blue mug, 1× Tea", "'0042", "17850.0", "1.2E+12", "绿茶", "Crème"]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
    st.text(alphabet='ab,;|\t"\n\r: 1', max_size=8),
)
ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "cp1252", "utf-16"]
FIXTURE_NAMES = sorted(p.name for p in FIXTURES.iterdir() if p.stat().st_size < 5000)


def _table(draw) -> tuple[bytes, str]:
    header = draw(st.sampled_from(HEADERS))
    width = len(header) if header else draw(st.integers(1, 6))
    delim = draw(st.sampled_from([",", ";", "\t", "|", "::"]))
    rows = draw(st.lists(st.lists(CELLS, min_size=max(1, width - 1), max_size=width + 1),
                         min_size=0, max_size=12))
    lines = []
    for row in ([header] if header else []) + rows:
        cells = []
        for cell in row:
            if any(ch in cell for ch in (delim, '"', "\n", "\r")) and delim != "::":
                cell = '"' + cell.replace('"', '""') + '"'
            cells.append(cell)
        lines.append(delim.join(cells))
    text = "\n".join(lines) + draw(st.sampled_from(["\n", "", "\r\n"]))
    encoding = draw(st.sampled_from(ENCODINGS))
    return text.encode(encoding, errors="replace"), encoding


@st.composite
def random_tables(draw) -> bytes:
    return _table(draw)[0]


@st.composite
def mutated_fixtures(draw) -> bytes:
    data = bytearray((FIXTURES / draw(st.sampled_from(FIXTURE_NAMES))).read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["delete", "insert", "duplicate", "truncate", "flip"]))
        if not data:
            break
        i = draw(st.integers(0, len(data) - 1))
        j = min(len(data), i + draw(st.integers(1, 40)))
        if kind == "delete":
            del data[i:j]
        elif kind == "insert":
            data[i:i] = draw(st.binary(min_size=1, max_size=20))
        elif kind == "duplicate":
            data[i:i] = data[i:j]
        elif kind == "truncate":
            del data[i:]
        else:
            data[i] ^= draw(st.integers(1, 255))
    return bytes(data)


def _check(data: bytes, twice: bool = False) -> None:
    ws = Workspace.memory()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input.csv"
        path.write_bytes(data)
        for _ in range(2 if twice else 1):
            before = {t: ws.count(t) for t in ("events", "imports", "rejects", "customers", "items")}
            try:
                s = import_file(ws, path, pm=PM)
            except ImportFailed as exc:
                message = str(exc)
                assert "\n" not in message and "input.csv" in message
                assert "unexpected error" not in message, message
                after = {t: ws.count(t) for t in before}
                assert after == before  # nothing half-written
                continue
            assert s.rows_read == s.imported + s.anonymous + s.duplicates + s.rejected
            assert ws.count("rejects", "import_id = ?", (s.import_id,)) == s.rejected
            row = ws.conn.execute(
                "SELECT rows_read, imported, duplicates, rejected FROM imports WHERE id = ?",
                (s.import_id,)).fetchone()
            assert row == (s.rows_read, s.imported, s.duplicates, s.rejected)
            assert ws.conn.execute("PRAGMA foreign_key_check").fetchall() == []
            assert ws.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
            added = ws.count("events") - before["events"]
            if s.format in ("events", "taobao", "movielens", "shopify_orders"):
                assert added == s.imported  # one event per imported row in these layouts
    ws.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_tables())
def test_random_tables_never_crash_and_always_add_up(data):
    _check(data, twice=True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_fixtures())
def test_mutated_exports_never_crash_and_always_add_up(data):
    _check(data)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.text(alphabet="ab ,;\t|é1", max_size=5), min_size=1, max_size=4),
                min_size=1, max_size=8),
       st.sampled_from([",", ";", "\t", "|"]), st.sampled_from(["\n", "\r\n"]), st.integers(1, 4),
       st.booleans(), st.booleans())
def test_reader_records_match_the_csv_module(rows, delim, newline, chunk_rows, same_width, last_newline):
    """The reader's quote-free shortcuts (the whole chunk split at once when every line has
    the same number of fields, else line by line) and its csv-module path give exactly the
    records Python's csv module reads, with their line numbers; and a chunk that says its
    fields need no stripping has none with a blank at either end."""
    import csv
    import io

    from shoprec.core.importing.reader import RecordReader
    from shoprec.core.importing.sniff import Sniffed

    if same_width:  # (mostly: a cell may still hold the delimiter)
        rows = [(r + [""] * len(rows[0]))[: len(rows[0])] for r in rows]
    text = newline.join(delim.join(r) for r in rows) + (newline if last_newline else "")
    expected = [(i + 1, r) for i, r in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delim)) if r]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.csv"
        path.write_bytes(text.encode("utf-8"))
        reader = RecordReader(path, Sniffed("utf-8", delim, False, [], len(text)), chunk_rows=chunk_rows)
        got = []
        for chunk in reader.chunks(skip_header=False):
            for k, rec in enumerate(chunk.records()):
                got.append((int(chunk.first_line[k]), rec))
                assert chunk.raw(k) == text.split(newline)[int(chunk.first_line[k]) - 1]
                if not chunk.padded:
                    assert all(f == f.strip() for f in rec), rec
    assert got == expected


@pytest.mark.parametrize("lines, columns", [
    (["a,b,c\n", "d,e,f\n"], [["a", "d"], ["b", "e"], ["c", "f"]]),
    (["a,b\r\n", "c,d"], [["a", "c"], ["b", "d"]]),  # CRLF, and a last line without a break
    (["x,1\n"], [["x"], ["1"]]),
])
def test_aligned_lines_are_split_in_one_go(lines, columns):
    from shoprec.core.importing.reader import _split_aligned

    assert _split_aligned(lines, ",") == (columns, False)


@pytest.mark.parametrize("lines", [
    ["a,b,c\n", "d,e\n", "f,g,h,i\n"],  # ragged, with the same number of delimiters in all
    ["a,b\n", "\n", "c,d\n"],  # a blank line
    ["a,b\rc,d\n"],  # a lone carriage return
    ["a\n", "b\n"],  # one column
    ["a,b,c,d\n", "e\n", "f,g\n"],  # a line with two delimiters too many, one with none
])
def test_lines_that_are_not_aligned_are_left_to_the_line_by_line_path(lines):
    from shoprec.core.importing.reader import _split_aligned

    assert _split_aligned(lines, ",") is None


def test_blanks_at_field_edges_are_found_at_line_breaks_too():
    from shoprec.core.importing.reader import blanks_at_field_edges

    assert not blanks_at_field_edges("a,b c\nd,e", ",", lines=True)
    assert blanks_at_field_edges("a,b \nd,e", ",", lines=True)
    assert blanks_at_field_edges("a,b\n d,e", ",", lines=True)
    assert blanks_at_field_edges("a, b\nd,e", ",", lines=True)
    assert blanks_at_field_edges(" a,b", ",")
    assert not blanks_at_field_edges("a\tb", "\t")  # the delimiter is no blank
    assert blanks_at_field_edges("a,b\xa0", ",")  # not ASCII: strip to be safe
