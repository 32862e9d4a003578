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
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .decoding import LineDecoder, ascii_compatible
from .errors import ImportFailed
from .sniff import MULTI_CHAR_STANDIN, Sniffed

BLOCK_BYTES = 1 << 20
MAX_LINE_CHARS = 16 * 1024 * 1024
FIELD_LIMIT = csv.field_size_limit()  # the csv module's (process-wide) default, 128 KiB
# Characters str.splitlines() breaks at but the csv module does not (checked with ``in``: a
# regular expression search costs 50 times more on a 1 MB block).
_ODD_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


# The ASCII characters str.strip() removes (str.isspace(): the \x1c-\x1f separators too).
_ASCII_BLANKS = "".join(chr(c) for c in range(128) if chr(c).isspace())


def blanks_at_field_edges(joined: str, delim: str, lines: bool = False) -> bool:
    """Whether any field of ``joined`` (fields separated by ``delim``, and by ``"\n"`` too when
    ``lines``) may start or end with a blank, i.e. needs ``strip()``. Exact for ASCII text;
    anything else answers True (strip to be safe). A fraction of a millisecond for 50,000
    lines (a vectorised look at each blank character the text holds), against the half second
    of stripping five million fields that usually have nothing to strip."""
    if not joined or not joined.isascii():
        return True
    seps = [ord(delim), ord("\n")] if lines else [ord(delim)]
    b = None
    for c in _ASCII_BLANKS:
        if ord(c) in seps or c not in joined:
            continue
        if joined[0] == c or joined[-1] == c:
            return True
        if b is None:
            b = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
        at = np.flatnonzero(b == ord(c))  # (neither the first nor the last character)
        before, after = b[at - 1], b[at + 1]
        if any((before == sep).any() or (after == sep).any() for sep in seps):
            return True
    return False


def _split_aligned(lines: list[str], delim: str) -> tuple[list[list[str]], bool] | None:
    """The columns of ``lines`` (no quote character) when every line is a record with the same
    number of fields, and whether those may need stripping; None when not (a blank line, a
    ragged line, a lone carriage return, one column only): the caller then goes line by line.

    The common case, done with a few C-level passes over the whole chunk instead of several
    per line: the lines joined as they are, split once on the delimiter. With ``k`` delimiters
    on each of ``n`` lines, that gives ``k * n + 1`` pieces, and every ``k``-th piece holds the
    end of one line, a line break and the start of the next; a line with more or fewer
    delimiters moves a line break out of those pieces, which is checked exactly.
    """
    n = len(lines)
    if not n or len(delim) != 1 or delim in "\r\n" or max(map(len, lines)) > FIELD_LIMIT:
        return None
    joined = "".join(lines)
    if "\r" in joined:
        joined = joined.replace("\r\n", "\n")
        if "\r" in joined:
            return None
    if joined.endswith("\n"):
        joined = joined[:-1]
    k = lines[0].count(delim)
    if k == 0:
        return None
    pieces = joined.split(delim)
    if len(pieces) != k * n + 1:
        return None
    ends = pieces[k::k]  # n pieces: "last field\nfirst field" of each line break, then the last field
    inner = ends[:-1]
    if "\n" in ends[-1] or (inner and set(map(str.count, inner, itertools.repeat("\n"))) != {1}):
        return None
    split_ends = "\n".join(inner).split("\n") if inner else []  # last, first, last, first...
    columns = [[pieces[0], *split_ends[1::2]]]
    columns += [pieces[i::k] for i in range(1, k)]
    columns.append([*split_ends[0::2], ends[-1]])
    return columns, blanks_at_field_edges(joined, delim, lines=True)


@dataclass
class Chunk:
    """Records of one chunk: record ``k`` spans ``lines[lo[k]:hi[k]]``, starting at ``first_line[k]``.

    Records come as ``rows`` (lists of fields) or, for chunks without any quote character where
    every line has the same number of fields, as ``columns`` (one list per field position),
    which spares building a list per record. The raw text of a record is only built when asked
    for (:meth:`raw`): rejects need it, the other million rows do not.
    """

    rows: list[list[str]] | None
    first_line: np.ndarray
    lines: list[str]
    lo: np.ndarray
    hi: np.ndarray
    standin: bool = False
    columns: list[list[str]] | None = None
    padded: bool = True  # whether fields may have blanks around them (False: no strip needed)
    #: index into ``lines`` -> why a record holding that line must be rejected
    problems: dict[int, str] | None = None

    def record_problems(self) -> list[tuple[int, str]]:
        """(record index, reason) of the records holding a line with a problem."""
        if not self.problems:
            return []
        out = []
        for k in range(self.n_records):
            for j in range(int(self.lo[k]), int(self.hi[k])):
                if j in self.problems:
                    out.append((k, self.problems[j]))
                    break
        return out

    @property
    def n_records(self) -> int:
        return len(self.lo)

    def raw(self, k: int) -> str:
        text = "".join(self.lines[self.lo[k] : self.hi[k]]).rstrip("\r\n")
        return text.replace(MULTI_CHAR_STANDIN, "::") if self.standin else text

    def records(self) -> list[list[str]]:
        """The records as rows (built from the columns when needed)."""
        if self.rows is None:
            self.rows = [list(r) for r in zip(*self.columns, strict=True)] if self.columns else []
        return self.rows

    def drop_first(self) -> None:
        if self.rows is not None:
            del self.rows[0]
        if self.columns is not None:
            self.columns = [c[1:] for c in self.columns]
        self.first_line, self.lo, self.hi = self.first_line[1:], self.lo[1:], self.hi[1:]


class RecordReader:
    """Iterate :class:`Chunk` objects; ``bytes_read`` and ``sha256`` follow the reading."""

    def __init__(self, path: Path, sniffed: Sniffed, chunk_rows: int = 50_000) -> None:
        self.path = path
        self.sniffed = sniffed
        self.chunk_rows = chunk_rows
        self.bytes_read = 0
        self._hash = hashlib.sha256()
        self._line_count = 0  # physical lines read so far (for error messages)
        #: line number -> why the record holding that line is rejected (a NUL byte, bytes no
        #: encoding reads); taken by the chunk holding the line.
        self.problems: dict[int, str] = {}
        self.decoder: LineDecoder | None = None

    @property
    def encoding_note(self) -> str:
        """'' or what else than the file's encoding some lines were in (' + cp1252 (3 lines)')."""
        return self.decoder.note() if self.decoder is not None else ""

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    # -- physical lines -----------------------------------------------------------------
    def _line_blocks(self) -> Iterator[list[str]]:
        """Lists of physical lines (with their line breaks), one list per block read. Lines
        with a NUL byte or bytes no encoding reads are noted in :attr:`problems`."""
        enc = self.sniffed.encoding
        if not ascii_compatible(enc):
            yield from self._line_blocks_incremental(enc)
            return
        decoder = self.decoder = LineDecoder(enc, forced=self.sniffed.forced)
        pending = b""
        first = True
        with open(self.path, "rb") as fh:
            while True:
                data = fh.read(BLOCK_BYTES)
                self.bytes_read += len(data)
                self._hash.update(data)
                if first:
                    first = False
                    if data.startswith(codecs.BOM_UTF8):
                        data = data[len(codecs.BOM_UTF8):]
                final = not data
                data = pending + data
                if final:
                    whole, pending = data, b""
                else:
                    # Complete lines only, so no character is cut in two (and a \r whose \n
                    # may be in the next block waits for it).
                    cut = data.rfind(b"\n") + 1
                    if not cut:
                        cr = data.rfind(b"\r")
                        cut = cr + 1 if 0 <= cr < len(data) - 1 else 0
                    whole, pending = data[:cut], data[cut:]
                if len(pending) > MAX_LINE_CHARS:
                    raise ImportFailed(
                        self.path,
                        f"line {self._line_count + 1}: more than {MAX_LINE_CHARS // 2**20} MB "
                        "without a line break; not a CSV file",
                    )
                if not whole:
                    if final:
                        return
                    continue
                text, bad = decoder.decode(whole)
                if self.sniffed.delimiter == "::":
                    text = text.replace("::", MULTI_CHAR_STANDIN)
                if any(c in text for c in _ODD_BREAKS):
                    lines = [p + "\n" for p in text.split("\n")]
                    lines[-1] = lines[-1][:-1]
                    if not lines[-1]:
                        lines.pop()
                else:
                    lines = text.splitlines(keepends=True)
                self._note_problems(lines, bad, enc)
                self._line_count += len(lines)
                yield lines
                if final:
                    return

    def _note_problems(self, lines: list[str], undecodable: int, enc: str) -> None:
        """Remember (by line number) the lines holding a NUL byte or undecodable bytes, made
        harmless for the parser (a NUL shows as U+2400); the record they are in is rejected."""
        joined = None
        if undecodable or "\x00" in (joined := "".join(lines)):
            del joined
            for j, line in enumerate(lines):
                if "\x00" in line:
                    lines[j] = line.replace("\x00", "\u2400")
                    self.problems[self._line_count + j + 1] = "a NUL byte in the line (binary data?)"
                elif undecodable and "\ufffd" in line:
                    self.problems[self._line_count + j + 1] = (
                        f"bytes that are not valid {enc} (the file changes encoding here?)")

    def _line_blocks_incremental(self, enc: str) -> Iterator[list[str]]:
        """UTF-16 and other encodings where a line break is not the byte 0x0A."""
        decoder = codecs.getincrementaldecoder(enc)(errors="strict")
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
                        lines = [text]
                        self._note_problems(lines, 0, enc)
                        self._line_count += 1
                        yield lines
                    return
                if any(c in text for c in _ODD_BREAKS):
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
                self._note_problems(lines, 0, enc)
                self._line_count += len(lines)
                yield lines

    # -- records ------------------------------------------------------------------------
    def chunks(self, skip_header: bool) -> Iterator[Chunk]:
        delim = self.sniffed.delimiter
        if delim == "::":
            delim = MULTI_CHAR_STANDIN
        stream = itertools.chain.from_iterable(self._line_blocks())
        header_pending = skip_header
        start = 1  # line number of the chunk's first line
        while True:
            lines = list(itertools.islice(stream, self.chunk_rows))
            if not lines:
                return
            if '"' in "".join(lines):
                chunk = self._parse_quoted(lines, stream, start, delim)
            else:
                chunk = self._split_plain(lines, start, delim)
            if self.problems:
                mine = {ln - start: why for ln, why in self.problems.items()
                        if start <= ln < start + len(chunk.lines)}
                for ln in list(self.problems):
                    if ln < start + len(chunk.lines):
                        del self.problems[ln]
                chunk.problems = mine or None
            start += len(chunk.lines)
            if header_pending and chunk.n_records:
                header_pending = False
                chunk.drop_first()
            if chunk.n_records:
                yield chunk

    def _split_plain(self, lines: list[str], start: int, delim: str) -> Chunk:
        """No quote character in these lines: each non-blank line is one record, split on the
        delimiter (exactly what the csv module would do), column-wise when widths agree."""
        standin = self.sniffed.delimiter == "::"
        aligned = _split_aligned(lines, delim)
        if aligned is not None:
            columns, padded = aligned
            lo = np.arange(len(lines), dtype=np.int64)
            return Chunk(None, start + lo, lines, lo, lo + 1, standin, columns, padded=padded)
        text = [ln.rstrip("\r\n") for ln in lines]
        if all(text):
            lo = np.arange(len(text), dtype=np.int64)
        else:
            lo = np.array([k for k, t in enumerate(text) if t], dtype=np.int64)
            text = [text[k] for k in lo.tolist()]
        if text and max(map(len, text)) > FIELD_LIMIT:  # the csv module's field limit, here too
            for k, t in enumerate(text):
                if len(t) > FIELD_LIMIT and max(map(len, t.split(delim))) > FIELD_LIMIT:
                    raise ImportFailed(self.path, self._csv_problem(
                        csv.Error("field larger than field limit"), int(start + lo[k])))
        counts = {t.count(delim) for t in text}
        if len(counts) == 1:
            width = counts.pop() + 1
            joined = delim.join(text)
            flat = joined.split(delim)
            columns = [flat[i::width] for i in range(width)]
            return Chunk(None, start + lo, lines, lo, lo + 1, standin, columns,
                         padded=blanks_at_field_edges(joined, delim))
        return Chunk([t.split(delim) for t in text], start + lo, lines, lo, lo + 1, standin)

    def _parse_quoted(self, lines: list[str], stream: Iterator[str], start: int, delim: str) -> Chunk:
        """Quoted fields may hold delimiters and line breaks: parse with the csv module, reading
        past the chunk's last line when its last record continues there."""
        extra: list[str] = []

        def more() -> Iterator[str]:
            for line in stream:
                extra.append(line)
                yield line

        rdr = csv.reader(itertools.chain(lines, more()), delimiter=delim)
        rows: list[list[str]] = []
        los: list[int] = []
        his: list[int] = []
        prev = 0
        try:
            for row in rdr:
                end = rdr.line_num
                if row:
                    rows.append(row)
                    los.append(prev)
                    his.append(end)
                prev = end
                if end >= len(lines):
                    break
        except csv.Error as exc:
            raise ImportFailed(self.path, self._csv_problem(exc, start + rdr.line_num - 1)) from exc
        lo = np.array(los, dtype=np.int64)
        return Chunk(rows, start + lo, lines + extra, lo, np.array(his, dtype=np.int64),
                     self.sniffed.delimiter == "::")

    def _csv_problem(self, exc: csv.Error, line: int) -> str:
        text = str(exc)
        if "field larger than field limit" in text:
            return (
                f"line {line}: a field longer than {FIELD_LIMIT // 1024} KiB "
                "(an unclosed quote, or not a CSV file)"
            )
        return f"line {line}: {text}"
