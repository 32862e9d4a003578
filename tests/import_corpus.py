"""A corpus of broken and hostile input files for the importer, and the one contract every try
must keep: rows accounted for (rows read = imported + anonymous + duplicates + rejected, the
workspace agreeing) or one :class:`ImportFailed` line naming the file, with nothing written.

Used by ``tests/test_import_fuzz.py`` and ``bench/import_fuzz.py`` (which prints the outcomes).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from shoprec.core.importing import ImportFailed, import_file
from shoprec.core.store.workspace import Workspace

HEAD = "customer,sku,product name,quantity,price,date\n"
GOOD = "".join(f"c{i % 7},S{i % 11},Product {i},{1 + i % 3},{2 + i % 5}.50,2026-01-{1 + i % 28:02d} 10:00\n"
               for i in range(40))


def _xlsx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    return buf.getvalue()


def _corpus() -> dict[str, Callable[[Path], Path]]:
    def text(name: str, data: str | bytes) -> Callable[[Path], Path]:
        def make(folder: Path) -> Path:
            path = folder / name
            path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
            return path
        return make

    def folder_itself(folder: Path) -> Path:
        path = folder / "a_folder.csv"
        path.mkdir(exist_ok=True)
        return path

    whole = (HEAD + GOOD).encode()
    return {
        "truncated mid-row": text("truncated.csv", whole[: len(whole) - 17]),
        "truncated mid-character": text("trunc_char.csv", (HEAD + GOOD + "c1,S1,绿茶").encode()[:-1]),
        "truncated inside a quoted field": text("trunc_quote.csv", HEAD + GOOD + 'c1,S1,"Unclosed quote'),
        "NUL bytes at the start": text("nul_start.csv", b"\x00\x00" + whole),
        "NUL bytes throughout": text("nul_all.csv", whole.replace(b",", b",\x00")),
        "NUL byte after 256 KB": text("nul_late.csv", HEAD + GOOD * 200 + "c\x00x,S1,P,1,2.5,2026-01-02\n"),
        "10,000 columns": text("wide.csv", ",".join(f"col{i}" for i in range(10_000)) + "\n"
                               + ",".join("1" for _ in range(10_000)) + "\n"),
        "10,000 columns with a known header": text("wide_known.csv", HEAD.strip() + ","
                                                   + ",".join(f"x{i}" for i in range(10_000)) + "\n"
                                                   + "c1,S1,P,1,2.5,2026-01-02," + ",".join("" for _ in range(10_000)) + "\n"),
        "a 20 MB line": text("long_line.csv", HEAD + "c1,S1," + "x" * (20 * 2**20) + ",1,2.5,2026-01-02\n"),
        "a 20 MB file without line breaks": text("no_breaks.csv", "a," * (10 * 2**20)),
        "multi-line quoted fields": text("multiline.csv", HEAD + 'c1,S1,"Line one\nline two\n""quoted""",1,2.5,2026-01-02\n'
                                         + 'c2,S2,"a,b\r\nc",2,3,2026-01-03\n'),
        "deeply quoted field": text("deep_quotes.csv", HEAD + 'c1,S1,"' + '""' * 5000 + '",1,2.5,2026-01-02\n'),
        "header only": text("header_only.csv", HEAD),
        "header only, no newline": text("header_only_nonl.csv", HEAD.strip()),
        "duplicate used header": text("dup_header.csv", "customer,sku,customer,date\nc1,S1,c2,2026-01-02\n"),
        "duplicate unused header": text("dup_unused.csv", "customer,sku,note,note,date\nc1,S1,a,b,2026-01-02\n"),
        "huge, negative, NaN numbers": text("numbers.csv", HEAD + "c1,S1,P,1e309,2.5,2026-01-02\nc1,S2,P,-3,2.5,2026-01-02\n"
                                            "c1,S3,P,NaN,2.5,2026-01-02\nc1,S4,P,1,-inf,2026-01-02\n"
                                            "c1,S5,P,99999999999999,1,2026-01-02\nc1,S6,P,2,1e400,2026-01-02\n"
                                            "c1,S7,P,1,2.5,2026-01-02\n"),
        "dates far out": text("dates.csv", HEAD + "c1,S1,P,1,2.5,9999-12-31\nc1,S2,P,1,2.5,1800-01-01\n"
                                          "c1,S3,P,1,2.5,0001-01-01\nc1,S4,P,1,2.5,99999999999999\n"
                                          "c1,S5,P,1,2.5,2026-01-02\n"),
        ".xlsx renamed .csv": text("workbook.csv", _xlsx()),
        "a folder": folder_itself,
        "empty file": text("empty.csv", b""),
        "only blank lines": text("blank.csv", "\n\n \n\r\n"),
        "CR-only line breaks": text("mac.csv", (HEAD + GOOD).replace("\n", "\r")),
        "mixed UTF-8, cp1252 and GBK": text("mixed.csv", (HEAD + GOOD).encode() + "c1,S1,Café,1,2,2026-01-02\n".encode("cp1252")
                                            + "c2,S2,绿茶,1,2,2026-01-02\n".encode("gbk")),
        "random bytes": text("random.csv", bytes((i * 7919) % 256 for i in range(5000))),
        "ragged rows": text("ragged.csv", HEAD + "c1,S1\nc1,S1,P,1,2.5,2026-01-02,extra,cells\nc2,S2,P,1,2.5,2026-01-02,,\n"),
        "a lone quote in a plain row": text("lone_quote.csv", HEAD + 'c1,S1,12" pipe,1,2.5,2026-01-02\n'),
        "UTF-16 without BOM": text("utf16.csv", (HEAD + GOOD).encode("utf-16-le")),
        "UTF-16 with an odd byte count": text("utf16_odd.csv", codecs_bom_utf16() + (HEAD + GOOD).encode("utf-16-le") + b"\x41"),
    }


def codecs_bom_utf16() -> bytes:
    import codecs

    return codecs.BOM_UTF16_LE


CORPUS = _corpus()


def try_import(ws: Workspace, path: Path) -> tuple[str, str]:
    """Import ``path`` and check the contract; returns ("imported", accounting) or
    ("refused", the one-line message). Any other exception propagates (a failure)."""
    tables = ("events", "anonymous_lines", "imports", "rejects", "customers", "items")
    before = {t: ws.count(t) for t in tables}
    try:
        s = import_file(ws, path)
    except ImportFailed as exc:
        message = str(exc)
        assert "\n" not in message and message.startswith(str(path)), message
        assert "unexpected error" not in message, message
        assert {t: ws.count(t) for t in tables} == before, "a refused file changed the workspace"
        return "refused", message[len(str(path)) + 2:]
    assert s.rows_read == s.imported + s.anonymous + s.duplicates + s.rejected, s
    row = ws.conn.execute("SELECT rows_read, imported, anonymous, duplicates, rejected FROM imports "
                          "WHERE id = ?", (s.import_id,)).fetchone()
    assert row == (s.rows_read, s.imported, s.anonymous, s.duplicates, s.rejected)
    assert ws.count("rejects", "import_id = ?", (s.import_id,)) == s.rejected
    assert ws.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert ws.count("events") - before["events"] >= s.imported * (s.format == "events")
    assert ws.count("customers", "instr(external_id, char(0)) > 0") == 0
    return "imported", (f"{s.rows_read} read = {s.imported} imported + {s.anonymous} anonymous + "
                        f"{s.duplicates} duplicates + {s.rejected} rejected")
