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
- Chinese, Japanese and Korean encodings: the file's own, then UTF-8;
- an encoding the user gave (``--encoding``): that one only.

A line no codec reads is decoded with U+FFFD replacement characters and counted in
:attr:`LineDecoder.replaced`; the reader rejects such lines, naming them.
"""

from __future__ import annotations

import codecs
from collections import Counter

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
        main = self.main
        try:
            text = data.decode(main)
        except UnicodeDecodeError:
            pass
        else:
            if self.forced or main not in SINGLE_BYTE or data.isascii():
                return text, 0
            try:  # a single-byte code page decodes anything: is the block UTF-8 after all?
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                pass
            else:
                self.other["utf-8"] += data.count(b"\n") or 1
                return text, 0
        parts: list[str] = []
        bad = 0
        for line in data.splitlines(keepends=True):
            if line.isascii():
                parts.append(line.decode("ascii"))
                continue
            got = None
            for enc in self._order(line):
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
                bad += 1
            parts.append(got)
        self.replaced += bad
        return "".join(parts), bad

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
