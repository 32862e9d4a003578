"""Guess how a text table was written from its first bytes: encoding, delimiter, decimal comma.

Only a sample is read (:data:`SAMPLE_BYTES`), so sniffing costs the same for any file size.
Files that are clearly not text tables (empty, images, archives, binaries) fail here with a
one-line reason.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import ImportFailed

SAMPLE_BYTES = 256 * 1024
DELIMITERS: tuple[str, ...] = ("::", ",", ";", "\t", "|")
#: What ``::`` is replaced by before parsing: the csv module only takes one-character delimiters.
MULTI_CHAR_STANDIN = "\x1f"

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (an .xlsx workbook?); export it as CSV"),
    (b"\x1f\x8b", "a gzip archive; unpack it first"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\xd0\xcf\x11\xe0", "an old Excel/Office file; export it as CSV"),
    (b"BZh", "a bzip2 archive; unpack it first"),
    (b"\x7fELF", "a program, not a table"),
    (b"MZ", "a program, not a table"),
    (b"RIFF", "a media file"),
)


@dataclass(frozen=True)
class Sniffed:
    """How to read one file."""

    encoding: str  # Python codec name
    delimiter: str  # one of DELIMITERS
    decimal_comma: bool
    sample_rows: list[list[str]]  # the first records of the sample, parsed (header included)
    size: int

    @property
    def label(self) -> str:
        """The encoding as users know it (utf-8-sig shows as 'utf-8 (BOM)')."""
        return {"utf-8-sig": "utf-8 (BOM)", "utf-16": "utf-16 (BOM)"}.get(self.encoding, self.encoding)


def _decode_sample(path: Path, raw: bytes) -> tuple[str, str]:
    """(codec, text) for the sample; raises ImportFailed for binary content."""
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", raw.decode("utf-8-sig", errors="replace")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", raw.decode("utf-16", errors="replace")
    for magic, what in _MAGIC:
        if raw.startswith(magic):
            raise ImportFailed(path, f"this is {what}, not a CSV file")
    if b"\x00" in raw:
        raise ImportFailed(path, "binary content (NUL bytes), not a CSV text file")
    # A sample may end in the middle of a multi-byte character: ignore an incomplete tail.
    try:
        return "utf-8", codecs.getincrementaldecoder("utf-8")().decode(raw, final=False)
    except UnicodeDecodeError:
        pass
    return _legacy_encoding(raw)


def _legacy_encoding(raw: bytes) -> tuple[str, str]:
    """Chinese Excel (GB18030/GBK) or Western Excel (cp1252, latin-1) for non-UTF-8 bytes.

    Chinese text is runs of two-byte characters whose bytes are both high (>= 0x81); accented
    Latin letters are single high bytes between ASCII letters. Count which shape dominates.
    """
    pairs = lone = 0
    i, n = 0, len(raw)
    while i < n:
        if raw[i] >= 0x81:
            if i + 1 < n and raw[i + 1] >= 0x40 and raw[i + 1] != 0x7F and raw[i + 1] >= 0x81:
                pairs += 1
                i += 2
                continue
            lone += 1
        i += 1
    if pairs and pairs >= 4 * lone:
        try:
            return "gb18030", codecs.getincrementaldecoder("gb18030")().decode(raw, final=False)
        except UnicodeDecodeError:
            pass
    try:
        return "cp1252", raw.decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1", raw.decode("latin-1")


def _records(text: str, delimiter: str, limit: int = 60) -> list[list[str]]:
    if delimiter == "::":
        text = text.replace("::", MULTI_CHAR_STANDIN)
        delimiter = MULTI_CHAR_STANDIN
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        for row in reader:
            if row:
                rows.append(row)
            if len(rows) >= limit:
                break
    except csv.Error:
        pass
    return rows


def _delimiter(text: str) -> str:
    """The delimiter that splits the sample's lines into the most, equally long, records."""
    complete = text[: text.rfind("\n") + 1] or text
    best, best_score = ",", -1.0
    for delim in DELIMITERS:
        if delim not in complete:
            continue
        rows = _records(complete, delim)
        if not rows:
            continue
        widths = [len(r) for r in rows]
        common = max(set(widths), key=widths.count)
        if common < 2:
            continue
        consistency = widths.count(common) / len(widths)
        score = consistency * 10 + min(common, 10) / 10
        if delim == "::":
            score += 1  # '::' never appears by chance between every field
        if score > best_score:
            best, best_score = delim, score
    return best


_COMMA_DECIMAL = re.compile(r"^[-+]?[\d.]*\d,\d{1,2}$")
_DOT_DECIMAL = re.compile(r"^[-+]?[\d,]*\d\.\d+$")


def _decimal_comma(rows: list[list[str]], delimiter: str) -> bool:
    comma = dot = 0
    for row in rows[1:]:
        for cell in row:
            cell = cell.strip().lstrip("$€£¥")
            if _COMMA_DECIMAL.match(cell):
                comma += 1
            elif _DOT_DECIMAL.match(cell):
                dot += 1
    return comma > dot


def sniff(path: Path) -> Sniffed:
    """Read the start of ``path`` and decide how to parse it."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            raw = fh.read(SAMPLE_BYTES)
    except IsADirectoryError as exc:
        raise ImportFailed(path, "is a folder, not a file") from exc
    except OSError as exc:
        raise ImportFailed(path, f"cannot be read ({exc.strerror or exc})") from exc
    if not raw.strip():
        raise ImportFailed(path, "the file is empty")
    encoding, text = _decode_sample(path, raw)
    if "\n" not in text and len(raw) >= SAMPLE_BYTES:
        raise ImportFailed(path, f"no line break in the first {SAMPLE_BYTES // 1024} KiB; not a CSV file")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t")
    if controls > max(4, len(text) // 200):
        raise ImportFailed(path, "binary content (control characters), not a CSV text file")
    delimiter = _delimiter(text)
    rows = _records(text, delimiter)
    return Sniffed(encoding, delimiter, _decimal_comma(rows, delimiter), rows, size)
