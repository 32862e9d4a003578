"""Decode whole lines, so a file that changes encoding part way is read right line by line.

Shop files are sometimes glued together from two programs: 3,000 UTF-8 rows from the shop, then
rows pasted from a Windows spreadsheet (cp1252) or a Chinese one (GBK). A block of complete lines
is decoded with the file's encoding in one C-level call (the common case costs nothing more);
only when that fails is it decoded line by line, each line with the first codec that reads it:

- UTF-8 files: UTF-8, then GB18030 for lines shaped like Chinese (pairs of high bytes), else
  Windows-1252;
- single-byte code pages (cp1252, cp1250, cp1251): UTF-8 for lines that are valid UTF-8 with
  multi-byte characters (a cp125x line practically never is), GB18030 for lines shaped like
  Chinese in a Western (cp1252) file, else the code page;
- Chinese, Japanese and Korean encodings: the file's own (UTF-8 for lines shaped like UTF-8
  CJK text that are valid UTF-8 throughout, which the file's codec would misread silently);
- an encoding the user gave (``--encoding``): that one only.

A line no codec reads is decoded with U+FFFD replacement characters and counted in
:attr:`LineDecoder.replaced`; the reader rejects such lines, naming them.
"""

from __future__ import annotations

import codecs
from collections import Counter

import numpy as np

#: Failing lines decoded one at a time in a block before the rest of it goes line by line.
_MAX_STEPS = 8
SINGLE_BYTE = frozenset({"cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257", "latin-1",
                         "iso8859-1", "iso8859-2", "iso8859-15", "mac-roman", "koi8-r"})


def ascii_compatible(encoding: str) -> bool:
    """Whether ``encoding`` writes ASCII (line breaks above all) as ASCII, byte for byte."""
    name = codecs.lookup(encoding).name
    return not name.startswith(("utf-16", "utf-32")) and "\n\r,;\t|\"".encode(name, "replace") == b"\n\r,;\t|\""


def looks_chinese(line: bytes) -> bool:
    """Runs of two-byte characters whose bytes are both high (GBK/GB18030) rather than single
    high bytes between ASCII letters (accented Latin in a code page)."""
    pairs = lone = 0
    i, n = 0, len(line)
    while i < n:
        if line[i] >= 0x81:
            if i + 1 < n and line[i + 1] >= 0x81:
                pairs += 1
                i += 2
                continue
            lone += 1
        i += 1
    return pairs > 0 and pairs >= 4 * lone


def _utf8_cjk_runs(data: bytes) -> np.ndarray:
    """Where two UTF-8 three-byte characters (CJK, kana, hangul) follow each other: the shape of
    UTF-8 text in a file in a Chinese, Japanese or Korean code page. Such a line is then read as
    UTF-8 only if the whole line is valid UTF-8, which a line in those code pages with two or
    more such characters practically never is."""
    a = np.frombuffer(data, dtype=np.uint8)
    b = np.concatenate([a, np.zeros(6, dtype=np.uint8)])
    cont = (b >= 0x80) & (b <= 0xBF)
    three = (b[:-2] >= 0xE0) & (b[:-2] <= 0xEF) & cont[1:-1] & cont[2:]
    return np.flatnonzero(three[:-4] & three[3:-1])[: len(a)]


class LineDecoder:
    """``decode(data)`` for blocks of complete lines of one file; see the module docstring."""

    def __init__(self, main: str, forced: bool = False) -> None:
        self.main = codecs.lookup(main).name
        if self.main == "utf-8-sig":
            self.main = "utf-8"  # (the reader drops the BOM itself)
        self.forced = forced
        self.other: Counter[str] = Counter()  # lines read with another codec than the main one
        self.replaced = 0  # lines no codec could read (decoded with U+FFFD)

    def decode(self, data: bytes) -> tuple[str, int]:
        """(text, lines that could not be decoded) of ``data``, complete lines."""
        bad_before = self.replaced
        if self.forced or data.isascii() or self.main == "utf-8":
            text = self._stepwise(data)
        elif self.main in SINGLE_BYTE:
            text = self._single_byte(data)
        else:
            text = self._around(data, _utf8_cjk_runs(data), utf8_first=True)
        return text, self.replaced - bad_before

    def _stepwise(self, data: bytes) -> str:
        """Decode with the file's codec in as few C-level calls as there are lines it fails on
        (each of those then decoded alone); past a few failures, line by line."""
        main = self.main
        parts: list[str] = []
        pos = failures = 0
        while pos < len(data):
            if failures >= _MAX_STEPS:  # much of this block is in another encoding
                parts.append(self._lines(data[pos:]))
                break
            try:
                parts.append(data[pos:].decode(main))
                break
            except UnicodeDecodeError as exc:
                at = pos + exc.start
                start = data.rfind(b"\n", pos, at)
                start = pos if start < 0 else start + 1
                end = data.find(b"\n", at)
                end = len(data) if end < 0 else end + 1
                parts.append(data[pos:start].decode(main))
                parts.append(self._lines(data[start:end]))
                pos = end
                failures += 1
        return "".join(parts)

    def _single_byte(self, data: bytes) -> str:
        """A code page reads any byte, so look for the lines that are something else: UTF-8
        multi-byte sequences (and, in a Western file, any two high bytes in a row: Chinese, not
        accented Latin); decode those line by line and the stretches between them at once."""
        a = np.frombuffer(data, dtype=np.uint8)
        if self.main == "cp1252":
            at = np.flatnonzero((a[:-1] >= 0x80) & (a[1:] >= 0x80))
        else:  # (Cyrillic and Greek letters are all high bytes: only whole UTF-8 characters count)
            b = np.concatenate([a, np.zeros(3, dtype=np.uint8)])
            cont = (b >= 0x80) & (b <= 0xBF)
            lead, c1, c2, c3 = b[:-3], cont[1:-2], cont[2:-1], cont[3:]
            two = (lead >= 0xC2) & (lead <= 0xDF) & c1 & ~c2
            three = (lead >= 0xE0) & (lead <= 0xEF) & c1 & c2 & ~c3
            four = (lead >= 0xF0) & (lead <= 0xF4) & c1 & c2 & c3
            at = np.flatnonzero(two | three | four)
        return self._around(data, at)

    def _around(self, data: bytes, at: np.ndarray, utf8_first: bool = False) -> str:
        """The lines holding the bytes at ``at`` decoded one by one (UTF-8 first when
        ``utf8_first``), the stretches between them with the file's codec at once."""
        if not len(at):
            return self._stepwise(data)
        a = np.frombuffer(data, dtype=np.uint8)
        breaks = np.flatnonzero(a == 0x0A)
        if not len(breaks):  # (one line, or lines ending in a lone CR: line by line)
            return self._lines(data, utf8_first)
        lines = np.unique(np.searchsorted(breaks, at))  # index of the line holding each hit
        starts = np.where(lines > 0, breaks[np.maximum(lines - 1, 0)] + 1, 0)
        ends = np.where(lines < len(breaks), breaks[np.minimum(lines, len(breaks) - 1)] + 1, len(data))
        parts: list[str] = []
        pos = 0
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
            parts.append(self._stepwise(data[pos:start]))
            parts.append(self._lines(data[start:end], utf8_first))
            pos = end
        parts.append(self._stepwise(data[pos:]))
        return "".join(parts)

    def _lines(self, data: bytes, utf8_first: bool = False) -> str:
        """Each line with the first codec that reads it (see :meth:`_order`; ``utf8_first``:
        UTF-8 before the file's Chinese, Japanese or Korean codec, which reads UTF-8 bytes as
        other characters without failing)."""
        main = self.main
        parts: list[str] = []
        for line in data.splitlines(keepends=True):
            if line.isascii():
                parts.append(line.decode("ascii"))
                continue
            got = None
            for enc in (("utf-8", self.main) if utf8_first else self._order(line)):
                try:
                    got = line.decode(enc)
                except UnicodeDecodeError:
                    continue
                if enc != main:
                    self.other[enc] += 1
                break
            if got is None:
                got = line.decode(main, errors="replace")
                if "\ufffd" not in got:  # (a codec that never fails, e.g. latin-1)
                    got = got[:-1] + "\ufffd" + got[-1:]
                self.replaced += 1
            parts.append(got)
        return "".join(parts)

    def _order(self, line: bytes) -> tuple[str, ...]:
        main = self.main
        if self.forced:
            return (main,)
        if main == "utf-8":
            return ("utf-8", "gb18030") if looks_chinese(line) else ("utf-8", "cp1252")
        if main == "cp1252" and looks_chinese(line):
            # (Western text has single accented letters; runs of high bytes are GBK. Not so for
            # Cyrillic or Greek code pages, whose every letter is a high byte.)
            return ("utf-8", "gb18030", main)
        if main in SINGLE_BYTE:
            return ("utf-8", main)
        return (main, "utf-8")

    def note(self) -> str:
        """'' or ' + cp1252 (12 lines)': what else the file held, for the import's summary."""
        return "".join(f" + {enc} ({n} line{'s' * (n != 1)})" for enc, n in self.other.most_common())
