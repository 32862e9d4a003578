"""Keeping erased customers out: the hook that stops a re-import from bringing them back.

Every writable :class:`~shoprec.core.store.workspace.Workspace` installs a
:class:`ReimportGuard` among its transaction hooks. Before each commit it removes the customers
created in that transaction whose id or e-mail hashes to one :mod:`.erasure` forgot, with
their rows, and blanks rejected lines that name them. It lives apart from the erasure itself so
that the workspace can install it without importing what imports the workspace.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from typing import TYPE_CHECKING

import sqlite_utils

if TYPE_CHECKING:
    from .workspace import Workspace

SALT_SETTING = "forget.salt"
KEPT_OUT_REASON = "customer erased earlier (shoprec forget); kept out"


def normalise(identifier: str) -> str:
    """Ids compare as written (trimmed); e-mails case-insensitively."""
    text = str(identifier).strip()
    return text.lower() if "@" in text else text



def identifier_hash(salt: str, identifier: str) -> str:
    return hashlib.sha256((salt + "\x00" + normalise(identifier)).encode("utf-8")).hexdigest()



def customer_columns(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """``(table, column)`` for every column that holds a customer key, children first.

    Any column named ``customer_id``, and any column with a foreign key to ``customers``: tables
    other features add later are covered without changing this module.
    """
    db = sqlite_utils.Database(conn)
    found: list[tuple[str, str]] = []
    referenced: set[str] = set()
    for table in sorted(db.tables, key=lambda t: t.name):
        if table.name == "customers" or table.name.startswith("sqlite_"):
            continue
        keys = table.foreign_keys
        keyed = {fk.column for fk in keys if fk.other_table == "customers"}
        for col in sorted(keyed | ({"customer_id"} & set(table.columns_dict))):
            found.append((table.name, col))
        if keyed or "customer_id" in table.columns_dict:
            referenced.update(fk.other_table for fk in keys)
    # rows of tables others reference go last (e.g. a campaign's members before the campaign)
    found.sort(key=lambda tc: tc[0] in referenced)
    return found



_FIELD_SPLIT = re.compile(r"[,;\t|\r\n\"']+|::")


def _forgotten(conn: sqlite3.Connection, owners: dict[str, list[int]]) -> set[int]:
    """The owners (row keys) of the hashes in ``owners`` that the erasure log holds."""
    hit: set[int] = set()
    hashes = list(owners)
    for s in range(0, len(hashes), 500):
        chunk = hashes[s:s + 500]
        for (h,) in conn.execute(
                f"SELECT hash FROM forgotten WHERE hash IN ({','.join('?' * len(chunk))})", chunk):
            hit.update(owners[h])
    return hit


class ReimportGuard:
    """Before each commit, removes customers created in that transaction whose id or e-mail
    hashes to a forgotten one, with their rows; the import's accounting moves their rows from
    imported to rejected (reason :data:`KEPT_OUT_REASON`, no raw text kept)."""

    def __init__(self) -> None:
        self._start: int | None = None
        self._start_reject = 0
        self.kept_out_customers = 0
        self.kept_out_rows = 0
        self._scrub_after = False

    def begin(self, conn: sqlite3.Connection) -> None:
        self._start = None
        try:
            any_forgotten = conn.execute("SELECT 1 FROM forgotten LIMIT 1").fetchone()
        except sqlite3.OperationalError:  # before migration 4
            return
        if any_forgotten:
            self._start = int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM customers").fetchone()[0])
            self._start_reject = int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM rejects").fetchone()[0])

    def before_commit(self, conn: sqlite3.Connection) -> None:
        if self._start is None:
            return
        start, self._start = self._start, None
        salt_row = conn.execute("SELECT value FROM settings WHERE key = ?", (SALT_SETTING,)).fetchone()
        if salt_row is None:
            return
        salt = salt_row[0]
        self._scrub_new_rejects(conn, salt)
        new = conn.execute("SELECT id, external_id, email FROM customers WHERE id > ?", (start,)).fetchall()
        if not new:
            return
        hashes: dict[str, list[int]] = {}
        for key, ext, email in new:
            for value in (ext, email):
                if value and str(value).strip():
                    hashes.setdefault(identifier_hash(salt, value), []).append(int(key))
        hit = _forgotten(conn, hashes)
        if not hit:
            return
        keys = sorted(hit)
        ph = ",".join("?" * len(keys))
        per_import = conn.execute(
            f"SELECT import_id, COUNT(*) FROM events WHERE customer_id IN ({ph}) GROUP BY import_id",
            keys).fetchall()
        conn.execute("PRAGMA secure_delete=ON")
        removed = 0
        for table, col in customer_columns(conn):
            removed += max(conn.execute(f"DELETE FROM [{table}] WHERE [{col}] IN ({ph})", keys).rowcount, 0)
        conn.execute(f"DELETE FROM customers WHERE id IN ({ph})", keys)
        for import_id, n in per_import:
            if import_id is None:
                continue
            conn.execute("UPDATE imports SET imported = imported - ?, rejected = rejected + ? "
                         "WHERE id = ?", (n, n, import_id))
            conn.executemany("INSERT INTO rejects (import_id, line, raw, reason) VALUES (?, NULL, NULL, ?)",
                             [(import_id, KEPT_OUT_REASON)] * int(n))
        self.kept_out_customers += len(keys)
        self.kept_out_rows += removed
        self._scrub_after = True

    def _scrub_new_rejects(self, conn: sqlite3.Connection, salt: str) -> None:
        """A rejected line of an old export can still name a forgotten customer: blank its text."""
        rows = conn.execute("SELECT id, raw FROM rejects WHERE id > ? AND raw IS NOT NULL AND raw != ''",
                            (self._start_reject,)).fetchall()
        if not rows:
            return
        fields = {rid: {f.strip() for f in _FIELD_SPLIT.split(raw) if f.strip()} for rid, raw in rows}
        by_hash: dict[str, list[int]] = {}
        for rid, values in fields.items():
            for v in values:
                by_hash.setdefault(identifier_hash(salt, v), []).append(rid)
        hit = _forgotten(conn, by_hash)
        if hit:
            conn.executemany("UPDATE rejects SET raw = '[erased]' WHERE id = ?", [(r,) for r in hit])
            self._scrub_after = True

    def after_commit(self, ws: Workspace) -> None:
        if self._scrub_after:
            self._scrub_after = False
            # the kept-out rows were written before being removed: empty the WAL of them
            ws.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def install_reimport_guard(ws: Workspace) -> ReimportGuard:
    for hook in ws.tx_hooks:
        if isinstance(hook, ReimportGuard):
            return hook
    guard = ReimportGuard()
    ws.tx_hooks.append(guard)
    return guard


def reimport_guard(ws: Workspace) -> ReimportGuard | None:
    return next((h for h in ws.tx_hooks if isinstance(h, ReimportGuard)), None)
