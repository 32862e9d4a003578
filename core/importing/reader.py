"""Stream a delimited text file as chunks of records, each record with its line number and raw text.

Bytes are read in blocks and decoded incrementally, so memory stays bounded by the chunk size
whatever the file size. Line numbers and raw text are only worked out for the records that need
them (rejects), so the common case costs one C-level csv parse per record.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import ImportFailed
from .sniff import MULTI_CHAR_STANDIN, Sniffed

BLOCK_BYTES = 1 << 20
MAX_LINE_CHARS = 16 * 1024 * 1024
FIELD_LIMIT = csv.field_size_limit()  # the csv module's (process-wide) default, 128 KiB
_ODD_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _fallback_cp1252(err: UnicodeDecodeError) -> tuple[str, int]:
    """In a UTF-8 file, decode a stray invalid byte as Windows-1252 instead of failing the import."""
    bad = err.object[err.start : err.end]
    return bad.decode("cp1252", errors="replace"), err.end


codecs.register_error("shoprec-cp1252", _fallback_cp1252)


@dataclass
class Chunk:
    """Records of one chunk: ``rows[k]`` spans ``lines[lo[k]:hi[k]]``, starting at ``first_line[k]``.

    The raw text of a record is only built when asked for (:meth:`raw`): rejects need it, the
    other million rows do not.
    """

    rows: list[list[str]]
    first_line: np.ndarray
    lines: list[str]
    lo: np.ndarray
    hi: np.ndarray
    standin: bool = False

    def raw(self, k: int) -> str:
        text = "".join(self.lines[self.lo[k] : self.hi[k]]).rstrip("\r\n")
        return text.replace(MULTI_CHAR_STANDIN, "::") if self.standin else text

    def drop_first(self) -> None:
        del self.rows[0]
        self.first_line, self.lo, self.hi = self.first_line[1:], self.lo[1:], self.hi[1:]


class RecordReader:
    """Iterate :class:`Chunk` objects; ``bytes_read`` and ``sha256`` follow the reading."""

    def __init__(self, path: Path, sniffed: Sniffed, chunk_rows: int = 50_000) -> None:
        self.path = path
        self.sniffed = sniffed
        self.chunk_rows = chunk_rows
        self.bytes_read = 0
        self._hash = hashlib.sha256()
        self._lines: list[str] = []  # physical lines not yet handed out in a chunk
        self._lines_start = 1  # line number of self._lines[0]
        self._line_count = 0

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    # -- physical lines -----------------------------------------------------------------
    def _line_blocks(self) -> Iterator[list[str]]:
        """Lists of physical lines (with their line breaks), one list per block read."""
        enc = self.sniffed.encoding
        errors = "shoprec-cp1252" if enc in ("utf-8", "utf-8-sig") else "strict"
        decoder = codecs.getincrementaldecoder(enc)(errors=errors)
        pending = ""
        with open(self.path, "rb") as fh:
            while True:
                data = fh.read(BLOCK_BYTES)
                self.bytes_read += len(data)
                self._hash.update(data)
                try:
                    text = pending + decoder.decode(data, final=not data)
                except UnicodeDecodeError as exc:
                    raise ImportFailed(
                        self.path,
                        f"line {self._line_count + 1}: bytes that are not valid {enc} "
                        f"({exc.object[exc.start:exc.start + 4]!r}); save the file as UTF-8",
                    ) from exc
                if self.sniffed.delimiter == "::":
                    text = text.replace("::", MULTI_CHAR_STANDIN)
                if not data:
                    if text:
                        self._lines.append(text)
                        self._line_count += 1
                        yield [text]
                    return
                if _ODD_BREAKS.search(text):
                    lines = [p + "\n" for p in text.split("\n")]
                    lines[-1] = lines[-1][:-1]
                else:
                    lines = text.splitlines(keepends=True)
                # The last piece may be an incomplete line (or a \r whose \n is in the next block).
                pending = lines.pop() if lines and not lines[-1].endswith("\n") else ""
                if len(pending) > MAX_LINE_CHARS:
                    raise ImportFailed(
                        self.path,
                        f"line {self._line_count + 1}: more than {MAX_LINE_CHARS // 2**20} MB "
                        "without a line break; not a CSV file",
                    )
                self._lines.extend(lines)
                self._line_count += len(lines)
                yield lines

    # -- records ------------------------------------------------------------------------
    def chunks(self, skip_header: bool) -> Iterator[Chunk]:
        delim = self.sniffed.delimiter
        if delim == "::":
            delim = MULTI_CHAR_STANDIN
        # chain() hands lines to the csv parser without a Python call per line.
        reader = csv.reader(itertools.chain.from_iterable(self._line_blocks()), delimiter=delim)
        header_pending = skip_header
        while True:
            try:
                rows = list(itertools.islice(reader, self.chunk_rows))
            except csv.Error as exc:
                raise ImportFailed(self.path, self._csv_problem(exc, reader.line_num)) from exc
            if not rows:
                return
            lines = self._lines[: reader.line_num - self._lines_start + 1]
            del self._lines[: len(lines)]
            start = self._lines_start
            self._lines_start = reader.line_num + 1
            chunk = self._locate(rows, lines, start)
            if header_pending and chunk.rows:
                header_pending = False
                chunk.drop_first()
            if chunk.rows:
                yield chunk

    def _csv_problem(self, exc: csv.Error, line: int) -> str:
        text = str(exc)
        if "field larger than field limit" in text:
            return (
                f"line {line}: a field longer than {FIELD_LIMIT // 1024} KiB "
                "(an unclosed quote, or not a CSV file)"
            )
        return f"line {line}: {text}"

    def _locate(self, rows: list[list[str]], lines: list[str], start: int) -> Chunk:
        """Pair records with their lines; blank lines are dropped."""
        standin = self.sniffed.delimiter == "::"
        if len(lines) == len(rows):  # no record spans lines: record k is line k
            if all(rows):
                lo = np.arange(len(rows), dtype=np.int64)
            else:
                lo = np.array([k for k, r in enumerate(rows) if r], dtype=np.int64)
                rows = [rows[k] for k in lo.tolist()]
            return Chunk(rows, start + lo, lines, lo, lo + 1, standin)
        # Quoted fields with line breaks: re-parse the chunk's lines to find where records end.
        rdr = csv.reader(iter(lines), delimiter=MULTI_CHAR_STANDIN if standin else self.sniffed.delimiter)
        kept: list[list[str]] = []
        los: list[int] = []
        his: list[int] = []
        prev_end = 0
        for row in rdr:
            end = rdr.line_num
            if row:
                kept.append(row)
                los.append(prev_end)
                his.append(end)
            prev_end = end
        lo = np.array(los, dtype=np.int64)
        return Chunk(kept, start + lo, lines, lo, np.array(his, dtype=np.int64), standin)
