"""Fuzzing the importers: a corpus of broken files (tests/import_corpus.py) and random byte
damage to them. Every try ends in rows accounted for or one line naming the file: never a
traceback, never silent loss, nothing half-written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from import_corpus import CORPUS, GOOD, HEAD, try_import
from shoprec.core.importing import ImportFailed, import_file, sniff
from shoprec.core.store.workspace import Workspace

EXPECTED = {  # what a shop owner sees for some of them
    "NUL bytes at the start": ("imported", "40 imported"),  # (in the header: harmless)
    "NUL bytes throughout": ("refused", "binary content (NUL bytes)"),
    "NUL byte after 256 KB": ("imported", "1 rejected"),
    "a 20 MB line": ("refused", "line 2: more than 16 MB without a line break"),
    "a 20 MB file without line breaks": ("refused", "no line break"),
    "header only": ("imported", "0 read"),
    "duplicate used header": ("refused", "appears 2 times"),
    "duplicate unused header": ("imported", "1 imported"),
    "huge, negative, NaN numbers": ("imported", "2 imported + 0 anonymous + 0 duplicates + 5 rejected"),
    "dates far out": ("imported", "1 imported + 0 anonymous + 0 duplicates + 4 rejected"),
    ".xlsx renamed .csv": ("refused", "ZIP archive (an .xlsx workbook?)"),
    "a folder": ("refused", "is a folder"),
    "empty file": ("refused", "the file is empty"),
    "truncated inside a quoted field": ("imported", "1 rejected"),
    "mixed UTF-8, cp1252 and GBK": ("imported", "42 imported"),
    "multi-line quoted fields": ("imported", "2 imported"),
    "CR-only line breaks": ("imported", "40 imported"),
    "UTF-16 without BOM": ("imported", "40 imported"),
    "random bytes": ("refused", ""),
}


@pytest.mark.parametrize("name", list(CORPUS))
def test_every_broken_file_is_accounted_for_or_one_line(name, tmp_path):
    ws = Workspace.memory()
    path = CORPUS[name](tmp_path)
    kind, detail = try_import(ws, path)
    if name in EXPECTED:
        want_kind, want_text = EXPECTED[name]
        assert kind == want_kind and want_text in detail, (kind, detail)
    again = try_import(ws, path)  # a second import of the same file keeps the contract too
    if kind == "imported":
        assert again[0] == "imported" and " 0 imported" in again[1] and " 0 anonymous" in again[1]


def test_a_file_that_cannot_be_read_is_one_line(ws, tmp_path, monkeypatch):
    path = tmp_path / "locked.csv"
    path.write_text(HEAD + GOOD)
    if os.geteuid() != 0:
        path.chmod(0)
    else:  # root reads anything: make the open fail as it would for a shop owner
        def denied(*_a, **_k):
            raise PermissionError(13, "Permission denied")
        monkeypatch.setattr(sniff, "open", denied, raising=False)
    with pytest.raises(ImportFailed) as err:
        import_file(ws, path)
    assert str(err.value) == f"{path}: cannot be read (Permission denied)"


SEEDS = sorted(n for n in CORPUS if n not in ("a folder", "a 20 MB line", "a 20 MB file without line breaks",
                                               "NUL byte after 256 KB", "10,000 columns", "deeply quoted field",
                                               "10,000 columns with a known header"))


@st.composite
def damaged(draw) -> tuple[str, bytes]:
    name = draw(st.sampled_from(SEEDS))
    with tempfile.TemporaryDirectory() as tmp:
        data = bytearray(CORPUS[name](Path(tmp)).read_bytes())
    for _ in range(draw(st.integers(1, 3))):
        if not data:
            break
        i = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["cut", "insert", "flip", "nul", "quote", "break"]))
        if kind == "cut":
            del data[i:]
        elif kind == "insert":
            data[i:i] = draw(st.binary(min_size=1, max_size=12))
        elif kind == "flip":
            data[i] ^= draw(st.integers(1, 255))
        else:
            data[i:i] = {"nul": b"\x00", "quote": b'"', "break": b"\r"}[kind]
    return name, bytes(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged())
def test_damaged_files_never_crash_and_always_add_up(case):
    _name, data = case
    ws = Workspace.memory()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input.csv"
        path.write_bytes(data)
        try_import(ws, path)
        try_import(ws, path)
    ws.close()
