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

from .decoding import LineDecoder
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
    forced: bool = False  # the encoding was given by the user (no guessing line by line)

    @property
    def label(self) -> str:
        """The encoding as users know it (utf-8-sig shows as 'utf-8 (BOM)')."""
        return {"utf-8-sig": "utf-8 (BOM)", "utf-16": "utf-16 (BOM)"}.get(self.encoding, self.encoding)


#: Encodings shop exports come in besides UTF-8 (what Excel and shop back offices write in each
#: language), in the order a tie goes: Western, Central European, Cyrillic, Chinese (mainland,
#: Taiwan/Hong Kong), Japanese, Korean.
SHOP_ENCODINGS: tuple[str, ...] = ("cp1252", "cp1250", "cp1251", "gb18030", "big5", "shift_jis", "euc_kr")
#: Above this mess ratio (charset-normalizer's ``chaos``, 0 = clean text) no guess is trusted.
MAX_CHAOS = 0.25
_SINGLE_BYTE = {"cp1252", "cp1250", "cp1251", "latin-1", "iso8859-1", "iso8859-2", "iso8859-15"}


def _utf16_without_bom(raw: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when the bytes look like UTF-16 text without a BOM (every other
    byte NUL for Latin text), else None."""
    head = raw[:4096]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    zeros_even, zeros_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if zeros_odd > 0.3 and zeros_even < 0.05:
        return "utf-16-le"
    if zeros_even > 0.3 and zeros_odd < 0.05:
        return "utf-16-be"
    return None


def _in_word_symbols(text: str) -> int:
    """Non-ASCII characters that are not letters yet sit between two letters ('S³uchawki': a
    Central European 'ł' read as Western): the mark of a wrong single-byte code page."""
    n = 0
    for m in re.finditer(r"(?<=\w)[^\x00-\x7f](?=\w)", text):
        if not m.group().isalpha():
            n += 1
    return n


#: Accented letters of Western languages, one alphabet each: a word read as cp1252 whose accented
#: letters fit no single one ('Bavlnìný': ì Italian, ý no Western language) is Central
#: European text (cp1250) read with the wrong code page.
_WESTERN_ALPHABETS = tuple(set(a) for a in (
    "àâæçéèêëîïôœùûüÿ", "äöüß", "áéíñóúü", "áâãàçéêíóôõú", "àèéìíîòóùú", "åäöæøéü", "áéíóúýþðæö",
    "ëïéèêöüäó", "áéíóöőúüű", "àèéíïòóúüç",
))


def _mixed_alphabet_words(text: str) -> int:
    n = 0
    for word in re.findall(r"\w*[^\x00-\x7f]\w*", text):
        accents = {c for c in word.lower() if not c.isascii() and c.isalpha()}
        if len(accents) > 1 and not any(accents <= a for a in _WESTERN_ALPHABETS):
            n += 1
    return n


def guess_encodings(raw: bytes) -> list[tuple[str, float]]:
    """(codec, mess ratio) of the shop encodings that read ``raw``, best first.

    charset-normalizer ranks them (mess, then language coherence); our own rules then put last
    the single-byte readings that leave symbols inside words ('S³uchawki') or, read as Western,
    mix accented letters of no single Western language ('Bavlnìný'), which tells Polish and
    Czech (cp1250) from Western (cp1252) where the language models cannot; equally clean
    readings go to Western, the most common.
    """
    from charset_normalizer import from_bytes

    results = list(from_bytes(raw, cp_isolation=list(SHOP_ENCODINGS), preemptive_behaviour=False))
    try:
        western = raw.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    guesses: list[tuple[str, float, int, int]] = []
    for rank, r in enumerate(results):
        enc = r.encoding
        penalty = 0
        if enc in _SINGLE_BYTE:
            text = str(r)
            penalty = _in_word_symbols(text)
            if enc == "cp1252":
                penalty += _mixed_alphabet_words(text)
            if text == western:  # (German read alike in cp1250 and cp1252: say Western)
                enc = "cp1252"
        if enc not in [g[0] for g in guesses]:
            guesses.append((enc, float(r.chaos), penalty, rank))
    # Equally clean readings (one 'è' reads as 'č' in cp1250 too): Western, the most common.
    guesses.sort(key=lambda g: (g[2] > 0, g[1] > MAX_CHAOS, round(g[1], 2), g[0] != "cp1252", g[3]))
    return [(g[0], g[1]) for g in guesses]


def _decode_sample(path: Path, raw: bytes, encoding: str | None = None) -> tuple[str, str]:
    """(codec, text) for the sample; raises ImportFailed for binary content and for text whose
    encoding cannot be told (rather than importing mojibake)."""
    if encoding is not None:
        return encoding, _decode_forced(path, raw, encoding)
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", raw.decode("utf-8-sig", errors="replace")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", raw.decode("utf-16", errors="replace")
    for magic, what in _MAGIC:
        if raw.startswith(magic):
            raise ImportFailed(path, f"this is {what}, not a CSV file")
    utf16 = _utf16_without_bom(raw)
    if utf16 is not None:
        try:
            return utf16, codecs.getincrementaldecoder(utf16)().decode(raw[: len(raw) // 2 * 2], final=False)
        except UnicodeDecodeError:
            pass
    if raw.count(b"\x00") > max(4, len(raw) // 1000):  # (a stray NUL: that line is rejected)
        raise ImportFailed(path, "binary content (NUL bytes), not a CSV text file")
    # A sample may end in the middle of a multi-byte character: ignore an incomplete tail.
    try:
        return "utf-8", codecs.getincrementaldecoder("utf-8")().decode(raw, final=False)
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(raw):
        # UTF-8 rows, then rows from another program: the reader decodes those line by line.
        return "utf-8", LineDecoder("utf-8").decode(raw[: raw.rfind(b"\n") + 1])[0]
    return _legacy_encoding(path, raw)


def _decode_forced(path: Path, raw: bytes, encoding: str) -> str:
    try:
        return codecs.getincrementaldecoder(encoding)().decode(raw, final=False)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportFailed(path, f"line {line}: bytes that are not valid {encoding} "
                                 f"({raw[exc.start:exc.start + 4]!r}); check --encoding") from exc


def _mostly_utf8(raw: bytes) -> bool:
    """Whether lines with UTF-8 multi-byte characters outnumber the lines that are not UTF-8."""
    good = bad = 0
    for line in raw.split(b"\n")[:-1]:  # (the last piece may be cut short)
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            good += 1
        except UnicodeDecodeError:
            bad += 1
    return good >= 2 and good >= bad


def _legacy_encoding(path: Path, raw: bytes) -> tuple[str, str]:
    """The shop encoding (:data:`SHOP_ENCODINGS`) that reads ``raw`` best; refused with one line
    naming the guesses when none reads it cleanly."""
    cut = raw[: raw.rfind(b"\n") + 1] or raw  # whole lines: no character cut in two
    # Lines that are UTF-8 (rows pasted from another program) would blur the guess: judge the rest.
    legacy = b"".join(line for line in cut.splitlines(keepends=True) if line.isascii() or not _is_utf8(line))
    guesses = guess_encodings(legacy)
    if not guesses or guesses[0][1] > MAX_CHAOS:
        named = ", ".join(f"{e} ({m:.0%} garbled)" for e, m in guesses[:3]) or "none of " + ", ".join(SHOP_ENCODINGS)
        raise ImportFailed(
            path,
            f"cannot tell the text encoding (not UTF-8; guesses: {named}); save the file as "
            "UTF-8 or give --encoding",
        )
    enc = guesses[0][0]
    return enc, LineDecoder(enc).decode(cut)[0]


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


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


def sniff(path: Path, encoding: str | None = None) -> Sniffed:
    """Read the start of ``path`` and decide how to parse it (``encoding``: the user's, not guessed)."""
    encoding_given = encoding is not None
    if encoding is not None:
        try:
            encoding = codecs.lookup(encoding).name
        except LookupError as exc:
            raise ImportFailed(path, f"unknown encoding {encoding!r} (e.g. utf-8, cp1252, gb18030, "
                                     "shift_jis)") from exc
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
    encoding, text = _decode_sample(path, raw, encoding)
    if "\n" not in text and len(raw) >= SAMPLE_BYTES:
        raise ImportFailed(path, f"no line break in the first {SAMPLE_BYTES // 1024} KiB; not a CSV file")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t")
    if controls > max(4, len(text) // 200):
        raise ImportFailed(path, "binary content (control characters), not a CSV text file")
    delimiter = _delimiter(text)
    rows = _records(text, delimiter)
    return Sniffed(encoding, delimiter, _decimal_comma(rows, delimiter), rows, size, forced=encoding_given)
