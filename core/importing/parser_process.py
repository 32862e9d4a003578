"""A second process that parses a large events file while the importing process writes it.

Parsing (decoding, splitting, validating, dates) and writing (id interning, ``INSERT`` into the
indexed ``events`` table) each take about half of an import, and threads cannot overlap them:
every SQLite step and every pandas call holds the GIL. So for a large file the importer starts
this parser in a fresh Python process (safe next to Qt and torch threads, the same on every
platform) and goes on parsing chunks itself until the parser is up. It then hands over: the
parser reads the file from the start, skips the chunks already done, takes over the format's
carried state (an order continuing across the chunk boundary, line numbers within orders) and
sends each later chunk, validated and with its ids coded, through a pipe that holds one. The
writing process alone touches the workspace, inside the import's one transaction, so an import
is as atomic as before and the workspace never sees the parser.

Only the valid events and the rejects (line, raw text, reason) travel; chunks are identical in
both processes because both read with the same :class:`~.reader.RecordReader` settings.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import operator
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import numpy as np
import pandas as pd

from ..contracts.progress import CancelToken, check
from . import parse
from .detect import Layout
from .errors import ImportFailed
from .sniff import Sniffed

#: Files smaller than this are parsed in-process: starting a parser process costs about a
#: second, about what a 10 MB events file takes to import on its own.
PARALLEL_MIN_BYTES = 16 * 2**20
#: For tests: the writer waits for the parser before this chunk instead of handing over
#: whenever the parser happens to be ready (makes the handover point deterministic).
HANDOFF_AT: int | None = None
_POLL_S = 0.1


def parallel_enabled(size: int) -> bool:
    """Whether an events file of ``size`` bytes gets a parser process.

    ``SHOPREC_IMPORT_PROCESSES=1`` turns it off (one process does everything), as does a machine
    with a single CPU.
    """
    if os.environ.get("SHOPREC_IMPORT_PROCESSES", "").strip() == "1":
        return False
    return size >= PARALLEL_MIN_BYTES and (os.cpu_count() or 1) >= 2


def _same_as(col: np.ndarray, other: np.ndarray | None) -> bool:
    return other is not None and len(col) == len(other) and bool((col == other).all())


@dataclass
class ParsedEvents:
    """One chunk, parsed and validated: what the writer needs and nothing else."""

    n_records: int
    first_line: int  # line number of the chunk's first record (for messages)
    rejects: list[tuple[int, str, str]]  # (line number, raw text, reason), in file order
    ok: dict[str, np.ndarray] | None  # valid events (columns), None when there are none
    exploded: bool  # records expanded to several events (packed baskets)
    #: From the parser process: customer and item ids as file-wide codes (see :class:`IdCodes`),
    #: as (codes, texts of the codes new in this chunk, whether the codes restarted at 0).
    id_codes: dict[str, tuple[np.ndarray, np.ndarray, bool]] | None = None
    #: Valid order lines without a customer (see ``EventWriter.insert_anonymous``), or None.
    anon: dict[str, np.ndarray] | None = None
    by_parser: bool = False  # parsed by the parser process (came through the pipe)

    def to_wire(self, coders: dict[str, IdCodes]) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """For the pipe: ids as file-wide codes, other text columns as codes and distinct values
        (or one value, or "same as item"): far less to send, and the writer looks up each id's
        text once per file, not per chunk."""
        head: dict[str, Any] = {"n_records": self.n_records, "first_line": self.first_line,
                                "rejects": self.rejects, "exploded": self.exploded, "cols": None,
                                "anon": None}
        arrays: dict[str, np.ndarray] = {}
        if self.anon is not None:  # (few rows: plain texts, no id codes)
            head["anon"] = {}
            for name, col in self.anon.items():
                if col.dtype == object:
                    head["anon"][name] = col.tolist()
                else:
                    head["anon"][name] = None
                    arrays["anon:" + name] = col
        if self.ok is None:
            return head, arrays
        cols: dict[str, Any] = {}
        ids: dict[str, Any] = {}
        for name, col in self.ok.items():
            if name in coders:
                codes, new, restart = coders[name].encode(col)
                ids[name] = {"new": new.tolist(), "restart": restart}
                arrays["ids:" + name] = codes
            elif name in ("sku", "title") and _same_as(col, self.ok.get("item")):
                cols[name] = {"alias": "item"}  # the SKU is the item id (most files)
            elif col.dtype == object and len(col) and (col == col[0]).all():
                cols[name] = {"same": col[0], "n": len(col)}  # e.g. no e-mail or order column
            elif col.dtype == object:
                codes, uniques = pd.factorize(col)
                cols[name] = {"uniques": uniques.tolist()}
                arrays["codes:" + name] = codes.astype(np.int32)
            else:
                cols[name] = {}
                arrays["col:" + name] = col
        head.update(cols=cols, ids=ids)
        return head, arrays

    @classmethod
    def from_wire(cls, head: dict[str, Any], arrays: dict[str, np.ndarray]) -> ParsedEvents:
        """The writer's side of :meth:`to_wire`. ``ok`` then lacks ``customer`` and ``item``
        (:func:`resolve_ids` gives their workspace ids) and a ``sku`` or ``title`` equal to
        ``item``."""
        rejects = [(int(line), raw, reason) for line, raw, reason in head["rejects"]]
        anon = None
        if head.get("anon") is not None:
            anon = {name: parse.texts(texts, strip=False) if texts is not None else arrays["anon:" + name]
                    for name, texts in head["anon"].items()}
        if head["cols"] is None:
            return cls(head["n_records"], head["first_line"], rejects, None, head["exploded"], anon=anon,
                       by_parser=True)
        ok: dict[str, np.ndarray] = {}
        for name, how in head["cols"].items():
            if "alias" in how:
                continue
            if "same" in how:
                ok[name] = np.full(how["n"], how["same"], dtype=object)
            elif "uniques" in how:
                ok[name] = parse.texts(how["uniques"], strip=False)[arrays["codes:" + name]]
            else:
                ok[name] = arrays["col:" + name]
        id_codes = {name: (arrays["ids:" + name], parse.texts(how["new"], strip=False), bool(how["restart"]))
                    for name, how in head["ids"].items()}
        return cls(head["n_records"], head["first_line"], rejects, ok, head["exploded"], id_codes, anon, True)


# -- the pipe: one JSON header, then the raw bytes of numeric arrays (never pickle) -------------
_MAX_HEADER = 1 << 30


def write_message(stream: Any, head: dict[str, Any], arrays: dict[str, np.ndarray] | None = None) -> None:
    arrays = arrays or {}
    for name, a in arrays.items():
        if a.dtype.hasobject:
            raise TypeError(f"array {name} holds Python objects; only numbers travel as arrays")
    meta = {"head": head, "arrays": [[k, a.dtype.str, list(a.shape)] for k, a in arrays.items()]}
    blob = json.dumps(meta, ensure_ascii=False, default=_plain).encode("utf-8")
    stream.write(len(blob).to_bytes(8, "little"))
    stream.write(blob)
    for a in arrays.values():
        stream.write(memoryview(np.ascontiguousarray(a)).cast("B"))
    stream.flush()


def read_message(stream: Any) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """One message; EOFError when the other side is gone."""
    size = int.from_bytes(_read_exact(stream, 8), "little")
    if size > _MAX_HEADER:
        raise ValueError("corrupt message from the other process")
    meta = json.loads(_read_exact(stream, size).decode("utf-8"))
    arrays = {}
    for name, dtype_str, shape in meta["arrays"]:
        dtype = np.dtype(dtype_str)
        if dtype.hasobject:
            raise ValueError("corrupt message from the other process")
        n = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
        arrays[name] = np.frombuffer(_read_exact(stream, n), dtype=dtype).reshape(shape)
    return meta["head"], arrays


def _read_exact(stream: Any, n: int) -> bytes:
    data = stream.read(n)
    if data is None or len(data) != n:
        raise EOFError("the other process closed the pipe")
    return data


def _plain(value: Any) -> Any:
    """numpy scalars (from pandas and the format's state) as plain JSON values."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} cannot be sent to the parser process")


_hash = hash  # (tests replace it to force collisions)
_check_hash = hash


class IdCodes:
    """Parser side: each distinct id text of the file gets a code, 0, 1, 2... and its text is
    sent once, with the chunk it first appears in. Bounded: past ``cap`` distinct ids the codes
    restart at 0 (the writer is told, and restarts its table too).

    Ids are matched by their 64-bit ``hash()`` (this process's own, keyed afresh by Python in
    every process; it never leaves it) in a sorted array, and every row is checked against a
    second, independent hash of its text (that of the text with a NUL appended) kept for each
    code. 24 bytes an id instead of the 130 that keeping the texts took: the two columns'
    codes fit in 24 MB at the cap. When a row's check fails, two texts shared a hash: the
    codes restart and this coder goes on matching texts by dictionary (exact, slower, larger).
    Two different texts would have to collide on both hashes at once (odds of 2**-128 a
    pair) to share a code.
    """

    def __init__(self, cap: int = 500_000) -> None:
        self.cap = cap
        self.by_dict = False
        self._reset()

    def _reset(self) -> None:
        self.size = 0  # codes given so far
        self.keys = np.empty(0, dtype=np.int64)  # hash of each code's text, sorted
        self.key_codes = np.empty(0, dtype=np.int64)  # the code of each of those
        self.checks = np.empty(0, dtype=np.int64)  # second hash of each code's text, by code
        self.known: dict[str, int] = {}  # text -> code, only once matching by dictionary

    def encode(self, col: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool]:
        restart = self.size + len(col) > self.cap
        if restart:
            self._reset()
        coded = None if self.by_dict else self._by_hash(col)
        if coded is None:
            if not self.by_dict:  # a collision: start over, by text
                self.by_dict = True
                restart = True
                self._reset()
            coded = self._by_dict(col)
        return coded[0].astype(np.int32), coded[1], restart

    def _by_hash(self, col: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        # The chunk's distinct texts first (pandas, in C): the hashes and the lookups below
        # then run once per distinct id instead of once per row.
        local, distinct = pd.factorize(col)
        coded = self._distinct_by_hash(np.asarray(distinct, dtype=object))
        return None if coded is None else (coded[0][local], coded[1])

    def _distinct_by_hash(self, col: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        texts = col.tolist()
        h = np.fromiter(map(_hash, texts), dtype=np.int64, count=len(texts))
        g = np.fromiter(map(_check_hash, map(operator.add, texts, itertools.repeat("\0"))),
                        dtype=np.int64, count=len(texts))
        # Distinct hashes first (sorted: the lookup in the sorted keys then walks forward).
        uh, first, inverse = np.unique(h, return_index=True, return_inverse=True)
        ucodes = np.full(len(uh), -1, dtype=np.int64)
        if self.size:
            at = np.minimum(np.searchsorted(self.keys, uh), self.size - 1)
            hit = self.keys[at] == uh
            ucodes[hit] = self.key_codes[at[hit]]
        fresh = np.flatnonzero(ucodes < 0)
        fresh = fresh[np.argsort(first[fresh], kind="stable")]  # new codes in order of appearance
        start = self.size
        ucodes[fresh] = np.arange(start, start + len(fresh))
        codes = ucodes[inverse.ravel()]
        new = col[first[fresh]]
        checks = np.concatenate([self.checks, g[first[fresh]]]) if len(fresh) else self.checks
        if not (checks[codes] == g).all():  # two texts shared a hash: never trust it
            return None
        if len(fresh):
            by_hash = np.sort(fresh)  # (uh is sorted: keeps the keys sorted)
            new_h = uh[by_hash]
            at = np.searchsorted(self.keys, new_h)
            self.keys = np.insert(self.keys, at, new_h)
            self.key_codes = np.insert(self.key_codes, at, ucodes[by_hash])
            self.checks = checks
            self.size += len(fresh)
        return codes, new

    def _by_dict(self, col: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        local, uniques = pd.factorize(col)
        uniq = uniques.tolist()
        mapped = np.fromiter(map(self.known.get, uniq, itertools.repeat(-1)), dtype=np.int64, count=len(uniq))
        is_new = mapped < 0
        new = np.asarray(uniques, dtype=object)[is_new]
        start = self.size
        mapped[is_new] = np.arange(start, start + len(new))
        self.known.update(zip(new.tolist(), range(start, start + len(new)), strict=True))
        self.size += len(new)
        return mapped[local], new


class CodeBook:
    """Writer side of :class:`IdCodes`: file-wide code -> workspace id."""

    def __init__(self) -> None:
        self.ids = np.empty(0, dtype=np.int64)

    def resolve(self, codes: np.ndarray, new: np.ndarray, restart: bool,
                intern: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> np.ndarray:
        """Workspace ids of ``codes``; ``intern(texts, rows)`` gives the ids of the new texts,
        ``rows`` being the chunk row where each first appears (for its title, e-mail...)."""
        if restart:
            self.ids = np.empty(0, dtype=np.int64)
        if len(new):
            start = len(self.ids)
            rows = np.flatnonzero(codes >= start)
            first = np.empty(len(new), dtype=np.int64)
            first[codes[rows[::-1]] - start] = rows[::-1]  # the last write wins: the first row
            self.ids = np.concatenate([self.ids, intern(new, first)])
        return self.ids[codes]


def code_ids(parsed: ParsedEvents, coders: dict[str, IdCodes]) -> ParsedEvents:
    """``parsed`` with its customer and item ids coded here, as the parser process codes them
    (:meth:`ParsedEvents.to_wire`): the one-process import resolves ids through the same
    compact code book, so each id text goes to the workspace once per file, not once per chunk
    it misses a bounded cache in (which made 5M rows with 250k customers 14x sqlite3)."""
    if parsed.ok is not None:
        parsed.id_codes = {name: coder.encode(parsed.ok[name]) for name, coder in coders.items()}
    return parsed


def resolve_ids(parsed: ParsedEvents, writer: Any, books: dict[str, CodeBook]) -> dict[str, np.ndarray] | None:
    """Workspace ids of a chunk's customers and items (None for a chunk without id codes)."""
    if not parsed.id_codes or parsed.ok is None:
        return None
    ok = parsed.ok
    customers, items = books["customer"], books["item"]
    # Each id text comes once (the code book keeps its id), so the writer's id cache is no use;
    # and while the book holds every id the table has, a new text cannot be there either.
    return {
        "customer": customers.resolve(
            *parsed.id_codes["customer"],
            lambda texts, rows: writer.intern_customers(
                texts, ok["email"][rows], remember=False,
                unseen=writer.customers.holds_only(len(customers.ids)))),
        "item": items.resolve(
            *parsed.id_codes["item"],
            lambda texts, rows: writer.intern_items(
                texts, *(ok[f][rows] if f in ok else texts for f in ("title", "sku")), remember=False,
                unseen=writer.items.holds_only(len(items.ids)))),
    }


#: The argument a frozen app (PyInstaller) is started with to be a parser process instead: its
#: entry points check it first (``build/entry_*.py``).
PARSER_FLAG = "--shoprec-import-parser"


def _command() -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable, PARSER_FLAG]
    return [sys.executable, "-c", "from shoprec.core.importing.child import main; main()"]


class ParserProcess:
    """The writer's handle on the parser process (see the module docstring).

    The child is a plain ``python -c`` (or the frozen app with :data:`PARSER_FLAG`), not a
    ``multiprocessing`` spawn: that would re-import the caller's ``__main__``, which breaks any
    script that calls :func:`~.run.import_file` outside an ``if __name__ == "__main__"`` guard.
    Messages on the child's stdin and stdout are a JSON header and raw numeric arrays
    (:func:`write_message`); the format travels by name and the child looks it up among the
    installed formats, so no code or pickle crosses the pipe.
    """

    def __init__(self, path: Path, sniffed: Sniffed, layout: Layout, chunk_rows: int) -> None:
        self.path = path
        self.sha256: str | None = None
        self.encoding_note = ""
        self.busy_seconds = 0.0  # the parser's time reading and parsing (not waiting)
        self._stderr = tempfile.TemporaryFile()
        flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # no console flash on Windows
        self._proc = subprocess.Popen(_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=self._stderr, creationflags=flags)
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._stdin = self._proc.stdin
        self._stdout = self._proc.stdout
        job = {"path": str(path), "sniffed": dataclasses.asdict(sniffed), "format": layout.spec.name,
               "has_header": layout.has_header, "header": layout.header,
               "columns": {str(i): f for i, f in layout.columns.items()}, "chunk_rows": chunk_rows}
        # A thread sends the job (a pipe blocks until the child reads it, after its imports)
        # and waits for "ready", so the writer can poll for it between its own chunks; after
        # the handover the writer reads the pipe itself (a thread decoding while the writer
        # inserts would fight it for the GIL).
        self._ready = threading.Event()
        self._waiter = threading.Thread(target=self._start, args=(job,), daemon=True,
                                        name="shoprec-import-parser-start")
        self._waiter.start()

    def _start(self, job: dict[str, Any]) -> None:
        try:
            write_message(self._stdin, job)
            head, _ = read_message(self._stdout)
        except Exception:  # the child died before it was ready: the writer just goes on alone
            return
        if head.get("kind") == "ready":  # (anything else is a failure while starting: left alone)
            self._ready.set()

    def ready(self, chunk_index: int) -> bool:
        """Whether to hand over before ``chunk_index`` (waits only at :data:`HANDOFF_AT`)."""
        if HANDOFF_AT is not None and chunk_index == HANDOFF_AT:
            while not self._ready.wait(_POLL_S):
                if not self._waiter.is_alive() and not self._ready.is_set():  # (it may just have set it)
                    self._failed()
            return True
        return HANDOFF_AT is None and self._ready.is_set()

    def hand_over(self, start: int, state: dict[str, Any], carried: dict[str, Any]) -> bool:
        """The parser takes over from chunk ``start`` with the format's ``state`` and what the
        writer's validation carries (:meth:`~.events.EventWriter.carried`). False (and the
        writer goes on alone) when that state does not survive JSON unchanged."""
        head = {"start": start, "state": state, "carried": carried}
        try:
            if json.loads(json.dumps(head, default=_plain)) != head:
                return False
        except TypeError:
            return False
        try:
            write_message(self._stdin, head)
        except OSError:
            self._failed()
        return True

    def results(self, cancel: CancelToken | None) -> Iterator[tuple[ParsedEvents, int]]:
        """(parsed chunk, bytes read so far) until the end of the file; sets :attr:`sha256`.

        Only after :meth:`hand_over`. The pipe holds about one message, so the parser works
        one chunk ahead of the writer and memory stays bounded."""
        self._waiter.join()
        while True:
            check(cancel)
            try:
                head, arrays = read_message(self._stdout)
            except (EOFError, OSError, ValueError):
                self._failed()
            kind = head.get("kind")
            if kind == "chunk":
                yield ParsedEvents.from_wire(head, arrays), int(head["bytes_read"])
            elif kind == "done":
                self.sha256, self.busy_seconds = head["sha256"], float(head["busy"])
                self.encoding_note = str(head.get("encoding_note", ""))  # (it read the whole file)
                return
            elif kind == "failed":  # the file's fault: the same one line as in-process
                raise ImportFailed(self.path, head["problem"])
            else:
                raise ImportFailed(self.path, f"unexpected error in the parser process "
                                              f"({head.get('problem')}); please report it")

    def _failed(self) -> NoReturn:
        try:
            code = self._proc.wait(5)
        except subprocess.TimeoutExpired:  # alive but not making sense: waiting would hang
            self._proc.kill()
            code = self._proc.wait()
        self._stderr.seek(0)
        lines = self._stderr.read().decode("utf-8", "replace").strip().splitlines()
        detail = f": {lines[-1]}" if lines else ""
        raise ImportFailed(self.path, f"the parser process stopped unexpectedly (exit code {code}){detail}")

    def close(self) -> None:
        """Stop the parser (it has no side effects: stopping it mid-file loses nothing)."""
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        for f in (self._stdin, self._stdout, self._stderr):
            try:
                f.close()  # type: ignore[union-attr]
            except OSError:
                pass
        self._waiter.join(5)


