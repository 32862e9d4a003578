"""``import_file``: sniff, detect, stream, validate and write one file, all or nothing."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..contracts.formats import FormatSpec
from ..contracts.progress import Cancelled, CancelToken, ProgressFn, check, report
from ..store.workspace import Workspace
from . import parse
from .catalog import RecordWriter
from .detect import Layout, detect
from .errors import ImportFailed
from .events import Columns, EventWriter, split_anonymous, split_rejects
from .parser_process import (
    CodeBook,
    IdCodes,
    ParsedEvents,
    ParserProcess,
    code_ids,
    parallel_enabled,
    resolve_ids,
)
from .reader import Chunk, RecordReader
from .sniff import sniff

IMPORT_CACHE_KIB = 96 * 1024
# With a parser process the two share the memory budget (400 MB at any file size). Events go in
# as sorted batches (events.BATCH_ROWS), which need little cache: at 20M rows 24 MB took 149 s
# and peaked at 386 MB for both processes, 32 MB 155 s and 398-401 MB.
PARALLEL_CACHE_KIB = 24 * 1024
CHUNK_ROWS = 50_000  # records parsed, validated and written at a time (bounds memory)


@dataclass(frozen=True)
class ImportSummary:
    """What one import did. ``rows_read == imported + anonymous + duplicates + rejected`` always
    (``anonymous``: order lines without a customer, kept as baskets, see ``anonymous_lines``)."""

    file: str
    import_id: int
    format: str
    encoding: str
    delimiter: str
    rows_read: int
    imported: int
    duplicates: int
    rejected: int
    seconds: float
    anonymous: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        delim = {"\t": "tab"}.get(self.delimiter, self.delimiter)
        guests = f" + {self.anonymous} anonymous (order lines without a customer)" if self.anonymous else ""
        return (
            f"{self.file}: {self.format}, {self.encoding}, '{delim}' - {self.rows_read} rows read = "
            f"{self.imported} imported{guests} + {self.duplicates} duplicates + {self.rejected} rejected "
            f"({self.seconds:.2f} s)"
        )


def known_formats(pm: Any = None) -> list[FormatSpec]:
    """Every format the built-in and installed plugins register, in registration order."""
    if pm is None:
        # Only the format plugins: loading strategy plugins would import torch for nothing.
        from ..registry import builtin_modules, get_plugin_manager

        pm = get_plugin_manager(builtins=builtin_modules("formats"))
    specs: list[FormatSpec] = []
    seen: set[str] = set()
    for _plugin, spec in pm.collect("shoprec_import_formats"):
        if isinstance(spec, FormatSpec) and spec.name not in seen:
            seen.add(spec.name)
            specs.append(spec)
    return specs


def _frame(chunk: Chunk, layout: Layout, width: int) -> tuple[Columns, list[tuple[int, str]]]:
    """Mapped columns of the well-formed records, and (record index, reason) for the others."""
    bad: list[tuple[int, str]] = chunk.record_problems()  # NUL bytes, undecodable lines
    if not bad and chunk.columns is not None and len(chunk.columns) == width:  # quote-free, all widths equal
        data: Columns = {"_k": np.arange(chunk.n_records, dtype=np.int64)}
        for i, fld in layout.columns.items():
            data[fld] = parse.texts(chunk.columns[i], strip=chunk.padded)
        return data, bad
    rows = chunk.records()
    widths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    if bad:
        widths[[k for k, _ in bad]] = -1  # (rejected already)
    good_idx = np.flatnonzero(widths == width)
    if len(good_idx) != len(rows):
        for k in np.flatnonzero((widths != width) & (widths >= 0)).tolist():
            row = rows[k]
            if len(row) > width and not any(c.strip() for c in row[width:]):
                good_idx = np.append(good_idx, k)  # trailing empty cells, as Excel writes them
            elif len(row) < width:
                bad.append((k, f"only {len(row)} of {width} fields (truncated line?)"))
            else:
                bad.append((k, f"{len(row)} fields, expected {width}"))
        good_idx.sort()
        rows = [rows[k][:width] for k in good_idx.tolist()]
    data = {"_k": good_idx}
    if rows:
        columns = list(zip(*rows, strict=True))
        for i, fld in layout.columns.items():
            data[fld] = parse.texts(columns[i])
    else:
        for fld in layout.columns.values():
            data[fld] = np.array([], dtype=object)
    return data, bad


def _prepared(spec: FormatSpec, data: Columns, state: dict[str, Any]) -> Columns:
    """Run the format's ``prepare`` step (pandas in, pandas out) and go back to arrays."""
    if spec.prepare is None or not len(data["_k"]):
        return data
    df = spec.prepare(pd.DataFrame(data), state)
    out: Columns = {}
    for c in df.columns:
        col = df[c]
        if c == "_k":
            out[c] = col.to_numpy()
        else:
            out[c] = parse.texts(col.astype(object).where(col.notna(), "").astype(str).tolist())
    return out


def parse_events(chunk: Chunk, layout: Layout, width: int, state: dict[str, Any],
                 normalizer: EventWriter) -> ParsedEvents:
    """A chunk of an events file, validated and split into valid events and rejects (no
    workspace needed: the parser process runs this too)."""
    data, bad = _frame(chunk, layout, width)
    data = _prepared(layout.spec, data, state)
    ok, bad_records, exploded = split_rejects(normalizer.normalize(data, chunk.first_line))
    ok, anon = split_anonymous(ok)
    return ParsedEvents(
        n_records=chunk.n_records, first_line=int(chunk.first_line[0]),
        rejects=_reject_rows(chunk, bad, bad_records),
        ok=ok, exploded=exploded, anon=anon,
    )


def _reject_rows(chunk: Chunk, bad: list[tuple[int, str]], reasons: pd.Series) -> list[tuple[int, str, str]]:
    """(line number, raw text, reason) of the records rejected while framing (``bad``) and while
    validating (``reasons``, by record), in file order."""
    rejects = bad + list(zip(reasons.index.tolist(), reasons.tolist(), strict=True))
    return [(int(chunk.first_line[k]), chunk.raw(k)[:2000], reason) for k, reason in sorted(rejects)]


def import_file(
    ws: Workspace,
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    mapping: dict[str, str] | None = None,
    pm: Any = None,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
    encoding: str | None = None,
) -> ImportSummary:
    """Import one shop export into ``ws``; all or nothing.

    ``format`` forces a format by name (default: detected from the header); ``mapping`` maps
    column names (or 1-based column numbers) to fields (``{"Customer Email": "customer"}``);
    ``encoding`` (a Python codec name such as ``cp1252`` or ``gb18030``) skips guessing it.
    Raises :class:`ImportFailed` (one-line message) for unreadable files and
    :class:`~shoprec.core.contracts.progress.Cancelled` when ``cancel`` fires; either way nothing is written.
    """
    path = Path(path)
    started = time.time()
    t0 = time.perf_counter()
    if not path.exists():
        raise ImportFailed(path, "no such file")
    specs = known_formats(pm)
    sniffed = sniff(path, encoding)
    try:
        layout = detect(path, sniffed.sample_rows, sniffed.delimiter, specs,
                        format_name=format, user_mapping=mapping)
    except ImportFailed:
        raise
    except Exception as exc:  # e.g. a plugin's headerless_check that raised
        raise ImportFailed(path, f"cannot detect the format ({type(exc).__name__}: {exc})") from exc
    spec = layout.spec
    width = len(layout.header)
    reader = RecordReader(path, sniffed, chunk_rows=CHUNK_ROWS)
    counts = {"rows": 0, "imported": 0, "anonymous": 0, "duplicates": 0, "rejected": 0}
    mapping_used = layout.mapping()
    if spec.kind == "events" and "time" not in layout.columns.values():
        mapping_used["(line number)"] = "time"
    report(progress, 0, sniffed.size, f"importing {path.name} as {spec.title}")
    parser: ParserProcess | None = None
    # A big page cache keeps the events indexes in memory while a large file goes in (the
    # default 2 MB makes every insert re-read index pages); restored afterwards.
    old_cache = ws.conn.execute("PRAGMA cache_size").fetchone()[0]
    # Foreign keys are not checked row by row while importing: every customer and item id comes
    # from the interner, which found or created it in this transaction, and the import id is
    # this import's. Checking cost three B-tree probes an event, half of the insert time at 5M
    # rows (39.5 s against 21.9 s); the tests check the keys after every import instead.
    # (Inside a caller's transaction the pragma does nothing and the keys stay checked.)
    old_fk = ws.conn.execute("PRAGMA foreign_keys").fetchone()[0]
    ws.conn.execute("PRAGMA foreign_keys = OFF")
    try:
        if spec.kind == "events":
            parser = _start_parser(path, sniffed, layout, specs if pm is None else known_formats())
        cache_kib = IMPORT_CACHE_KIB if parser is None else PARALLEL_CACHE_KIB
        ws.conn.execute(f"PRAGMA cache_size = -{cache_kib}")
        with ws.atomic() as conn:
            import_id = conn.execute(
                "INSERT INTO imports (file_name, path, size_bytes, format, encoding, delimiter, "
                "started_at, mapping) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (path.name, str(path.resolve()), sniffed.size, spec.name, sniffed.label,
                 sniffed.delimiter, int(started), json.dumps(mapping_used, ensure_ascii=False)),
            ).lastrowid
            state: dict[str, Any] = {}
            if spec.kind == "events":
                writer: EventWriter | RecordWriter = EventWriter(conn, import_id, spec, sniffed.decimal_comma)
            else:
                writer = RecordWriter(conn, "items" if spec.kind == "catalog" else "customers",
                                      sniffed.decimal_comma)
            handed_over = False
            # Ids are coded as the parser process codes them and resolved through a code book:
            # each id text goes to the workspace once per file (see worker.code_ids).
            coders = {"customer": IdCodes(), "item": IdCodes()}
            books = {"customer": CodeBook(), "item": CodeBook()}
            for i, chunk in enumerate(reader.chunks(skip_header=layout.has_header)):
                check(cancel)
                if (parser is not None and isinstance(writer, EventWriter) and parser.ready(i)
                        and parser.hand_over(i, state, writer.carried())):
                    handed_over = True
                    break
                if isinstance(writer, EventWriter):
                    parsed = code_ids(parse_events(chunk, layout, width, state, writer), coders)
                    _write_events(parsed, writer, conn, import_id, counts, path, books)
                else:
                    data, bad = _frame(chunk, layout, width)
                    data = _prepared(spec, data, state)
                    imported, duplicates, reasons = writer.write(writer.normalize(data))
                    rejects = _reject_rows(chunk, bad, reasons)
                    _account(chunk.n_records, int(chunk.first_line[0]), imported + duplicates, rejects,
                             spec, conn, import_id, counts, path)
                    counts["imported"] += imported
                    counts["duplicates"] += duplicates
                report(progress, reader.bytes_read, sniffed.size, f"{counts['rows']:,} rows",
                       **{k: v for k, v in counts.items() if k != "rows"})
            sha256 = reader.sha256
            label = sniffed.label + reader.encoding_note
            if handed_over:
                assert parser is not None and isinstance(writer, EventWriter)
                books = {"customer": CodeBook(), "item": CodeBook()}
                for parsed, bytes_read in parser.results(cancel):
                    _write_events(parsed, writer, conn, import_id, counts, path, books)
                    report(progress, bytes_read, sniffed.size, f"{counts['rows']:,} rows",
                           **{k: v for k, v in counts.items() if k != "rows"})
                sha256 = parser.sha256 or ""
                label = sniffed.label + parser.encoding_note
            if isinstance(writer, EventWriter):
                writer.flush()
                writer.facts.store(conn, all_new=writer.duplicates == 0 and not writer.some_lines_old)
                counts["imported"], counts["duplicates"] = writer.imported, writer.duplicates
                counts["anonymous"] = writer.anonymous
            conn.execute(
                "UPDATE imports SET sha256 = ?, rows_read = ?, imported = ?, anonymous = ?, "
                "duplicates = ?, rejected = ?, encoding = ? WHERE id = ?",
                (sha256, counts["rows"], counts["imported"], counts["anonymous"], counts["duplicates"],
                 counts["rejected"], label, import_id),
            )
        # The time includes the commit (for a large file, writing out the pages still in the
        # cache and checkpointing the WAL: about 0.2 s per million rows), so it is written in
        # a second, tiny transaction; the import has landed whether or not that one does.
        seconds = time.perf_counter() - t0
        with contextlib.suppress(sqlite3.OperationalError):
            ws.conn.execute("UPDATE imports SET seconds = ? WHERE id = ?", (seconds, import_id))
    except (ImportFailed, Cancelled):
        raise
    except sqlite3.OperationalError as exc:
        from ..store.workspace import describe_sqlite_error

        where = ws.path or "the workspace"
        raise ImportFailed(path, f"not imported: {where}: {describe_sqlite_error(exc)}") from exc
    except MemoryError as exc:
        raise ImportFailed(path, "out of memory while importing") from exc
    except Exception as exc:  # a bug, but the user still gets one line (the cause is chained)
        raise ImportFailed(path, f"unexpected error ({type(exc).__name__}: {exc}); please report it") from exc
    finally:
        if parser is not None:
            parser.close()
        ws.conn.execute(f"PRAGMA cache_size = {int(old_cache)}")
        ws.conn.execute(f"PRAGMA foreign_keys = {int(old_fk)}")
    report(progress, sniffed.size, sniffed.size, "done", **counts)
    return ImportSummary(
        file=str(path), import_id=int(import_id), format=spec.name, encoding=label,
        delimiter=sniffed.delimiter, rows_read=counts["rows"], imported=counts["imported"],
        duplicates=counts["duplicates"], rejected=counts["rejected"], seconds=round(seconds, 3),
        anonymous=counts["anonymous"],
    )


def _start_parser(path: Path, sniffed: Any, layout: Layout, installed: list[FormatSpec]) -> ParserProcess | None:
    """A parser process for a large events file (see :mod:`.parser_process`), or None to parse here."""
    if not parallel_enabled(sniffed.size):
        return None
    # The parser finds the format by name among the installed ones: a format given through
    # another plugin manager (or changed since) is parsed here.
    if not any(f == layout.spec for f in installed):
        return None
    return ParserProcess(path, sniffed, layout, CHUNK_ROWS)


def _write_events(parsed: ParsedEvents, writer: EventWriter, conn: sqlite3.Connection,
                  import_id: int, counts: dict[str, int], path: Path,
                  books: dict[str, CodeBook] | None = None) -> None:
    valid = 0
    if parsed.ok is not None:
        ids = resolve_ids(parsed, writer, books) if books else None
        k = parsed.ok["_k"]
        valid = len(set(k.tolist())) if parsed.exploded else len(k)
        writer.insert(parsed.ok, parsed.exploded, ids)
    if parsed.anon is not None:
        k = parsed.anon["_k"]
        valid += len(set(k.tolist())) if parsed.exploded else len(k)
        writer.insert_anonymous(parsed.anon, parsed.exploded)
    _account(parsed.n_records, parsed.first_line, valid, parsed.rejects,
             writer.spec, conn, import_id, counts, path)
    # (imported and duplicates are known once a batch is written)
    counts["imported"], counts["duplicates"] = writer.imported, writer.duplicates
    counts["anonymous"] = writer.anonymous


def _account(n_records: int, first_line: int, valid: int,
             rejects: list[tuple[int, str, str]], spec: FormatSpec, conn: sqlite3.Connection,
             import_id: int, counts: dict[str, int], path: Path) -> None:
    """Store a chunk's rejects and count its rows, checking that every record is accounted for:
    ``valid`` records go on to be imported or found duplicates, the others are rejects."""
    if rejects:
        conn.executemany("INSERT INTO rejects (import_id, line, raw, reason) VALUES (?, ?, ?, ?)",
                         [(import_id, *r) for r in rejects])
    counts["rows"] += n_records
    counts["rejected"] += len(rejects)
    if valid + len(rejects) != n_records:
        # A format's prepare step lost or invented records: refuse rather than miscount.
        raise ImportFailed(
            path,
            f"format {spec.name} accounted for {valid + len(rejects)} of "
            f"{n_records} rows near line {first_line}",
        )
