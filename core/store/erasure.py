"""Erase customers from a workspace (GDPR art. 17, CCPA, PIPL): ``shoprec forget``.

:func:`forget` finds the customers by shop id or e-mail and, in one transaction:

- deletes every row that names them: ``events``, ``run_lists``, and generically every table with a
  ``customer_id`` column or a foreign key to ``customers`` (so tables added later, such as
  ``campaign_members``, are covered without changing this module), then their ``customers`` row
  (id, e-mail, name, extra columns);
- scrubs the raw text of rejected rows that name them (the reject and its reason stay, so every
  import's accounting still adds up);
- marks every run whose model knew them as "contains erased data" and drops that model's state
  (it holds their profile, and a model of a different customer set can no longer be loaded: the
  stored lists stay exportable without them, a new ``train`` replaces it);
- records salted hashes of the ids and e-mails asked for, so a later import of an old export keeps
  them out (:func:`install_reimport_guard`; :func:`allow_again` undoes it), and one audit row
  (when, how many, which command) that holds no personal data.

Then the file itself forgets (:meth:`Workspace.scrub`: secure delete, WAL checkpoint, VACUUM), so
a byte search of the workspace and its WAL finds none of it. Item text caches hold product text
only and are kept. An automatic backup is made first; it still holds the customers, and the
caller says so. Raw import files on disk are the owner's and are never touched.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..contracts.progress import CancelToken, ProgressFn, check, report
from .reimport import (
    _FIELD_SPLIT,
    SALT_SETTING,
    customer_columns,
    identifier_hash,
)
from .workspace import Workspace, WorkspaceError


class ForgetError(WorkspaceError):
    """Nothing to forget, or the request cannot be carried out: one line."""


@dataclass(frozen=True, kw_only=True)
class ForgetPlan:
    """What :func:`forget` would remove, for a confirmation ("3 customers, 412 events, ...")."""

    asked: tuple[str, ...]
    customer_keys: tuple[int, ...]
    not_found: tuple[str, ...]
    rows: dict[str, int]
    runs: tuple[int, ...]

    def describe(self) -> str:
        parts = [f"{len(self.customer_keys)} customer(s)"]
        parts += [f"{n:,} {table} row(s)" for table, n in self.rows.items() if n and table != "customers"]
        if self.runs:
            parts.append(f"the saved models of {len(self.runs)} trained run(s) that learned from them")
        return ", ".join(parts)


@dataclass(frozen=True, kw_only=True)
class ForgetResult:
    erasure_id: int
    customers: int
    not_found: tuple[str, ...]
    rows: dict[str, int]
    runs_marked: tuple[int, ...]
    backup: Path | None
    seconds: float
    scrub_seconds: float = 0.0
    notes: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        return {
            "erasure_id": self.erasure_id,
            "customers": self.customers,
            "not_found": len(self.not_found),
            "rows": self.rows,
            "runs_marked": list(self.runs_marked),
            "backup": str(self.backup) if self.backup else None,
            "seconds": round(self.seconds, 3),
            "scrub_seconds": round(self.scrub_seconds, 3),
        }


# ---------------------------------------------------------------------------------------------
# Hashes of forgotten identifiers
# ---------------------------------------------------------------------------------------------



def _salt(ws: Workspace, create: bool) -> str | None:
    salt = ws.get_setting(SALT_SETTING)
    if salt is None and create:
        salt = secrets.token_hex(16)
        ws.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (SALT_SETTING, salt))
    return salt



def read_identifiers(path: str | Path) -> list[str]:
    """One id or e-mail per line; blank lines and ``#`` comments skipped."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ForgetError(f"{path}: cannot read the list of customers ({exc})") from None
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


# ---------------------------------------------------------------------------------------------
# Which rows name a customer
# ---------------------------------------------------------------------------------------------



def _find_customers(conn: sqlite3.Connection, identifiers: Sequence[str]) -> tuple[list[int], list[str]]:
    asked = [str(i).strip() for i in identifiers]
    found: dict[str, set[int]] = {}
    for s in range(0, len(asked), 500):  # shop ids: the unique index
        chunk = asked[s:s + 500]
        for key, ext in conn.execute(
                f"SELECT id, external_id FROM customers WHERE external_id IN ({','.join('?' * len(chunk))})",
                chunk):
            found.setdefault(ext, set()).add(int(key))
    emails = {a.lower(): a for a in asked if "@" in a}
    if emails:  # e-mails, case-insensitively: one pass over the customers that have one
        for key, email in conn.execute(
                "SELECT id, lower(email) FROM customers WHERE email IS NOT NULL AND email != ''"):
            if email in emails:
                found.setdefault(emails[email], set()).add(int(key))
    keys = sorted({k for ks in found.values() for k in ks})
    return keys, [a for a in asked if a not in found]


def _runs_that_knew(conn: sqlite3.Connection, keys: Sequence[int]) -> list[int]:
    """Runs whose model was trained while any of ``keys`` existed, or whose lists name them."""
    if not keys:
        return []
    lowest = min(keys)
    out: list[int] = []
    for run_id, info_text in conn.execute("SELECT id, info FROM runs ORDER BY id"):
        try:
            info = json.loads(info_text) if info_text else {}
        except ValueError:
            info = {}
        last = info.get("last_user_key")
        if last is None or int(last) >= lowest:
            out.append(int(run_id))
    placeholders = ",".join("?" * len(keys))
    for (run_id,) in conn.execute(
            f"SELECT DISTINCT run_id FROM run_lists WHERE customer_id IN ({placeholders})", tuple(keys)):
        if int(run_id) not in out:
            out.append(int(run_id))
    return sorted(out)


def _personal_strings(conn: sqlite3.Connection, keys: Sequence[int], asked: Iterable[str]) -> set[str]:
    values = {str(a).strip() for a in asked if str(a).strip()}
    for key in keys:
        ext, email, name = conn.execute(
            "SELECT external_id, email, name FROM customers WHERE id = ?", (key,)).fetchone()
        values.update(v.strip() for v in (ext, email, name) if v and v.strip())
    return values




def _names_someone(raw: str, values: set[str], lowered: set[str]) -> bool:
    if not raw:
        return False
    fields = {f.strip() for f in _FIELD_SPLIT.split(raw)}
    if fields & values or {f.lower() for f in fields} & lowered:
        return True
    # a name or e-mail inside a longer field ("Jane Doe <jane@x.org>"); ids only as whole fields,
    # since a short id such as "12" appears inside many unrelated values
    return any(v in raw for v in values if len(v) >= 6 and not v.isdigit())


def _scrub_rejects(conn: sqlite3.Connection, values: set[str]) -> int:
    lowered = {v.lower() for v in values}
    hits = [
        rid for rid, raw in conn.execute("SELECT id, raw FROM rejects WHERE raw IS NOT NULL AND raw != ''")
        if _names_someone(raw, values, lowered)
    ]
    for start in range(0, len(hits), 500):
        chunk = hits[start:start + 500]
        conn.execute(
            f"UPDATE rejects SET raw = '[erased]' WHERE id IN ({','.join('?' * len(chunk))})", chunk)
    # reasons can quote a value ("unknown customer X"): replace it there too
    for value in values:
        if len(value) >= 3:
            conn.execute("UPDATE rejects SET reason = replace(reason, ?, '[erased]') "
                         "WHERE instr(reason, ?) > 0", (value, value))
    return len(hits)


# ---------------------------------------------------------------------------------------------
# Forget
# ---------------------------------------------------------------------------------------------


def plan(ws: Workspace, identifiers: Sequence[str]) -> ForgetPlan:
    """What forgetting ``identifiers`` (shop ids or e-mails) would remove; changes nothing."""
    asked = tuple(dict.fromkeys(str(i).strip() for i in identifiers if str(i).strip()))
    if not asked:
        raise ForgetError("no customer given: name shop ids or e-mails (or --file with one per line)")
    keys, missing = _find_customers(ws.conn, asked)
    rows: dict[str, int] = {"customers": len(keys)}
    if keys:
        ph = ",".join("?" * len(keys))
        for table, col in customer_columns(ws.conn):
            n = ws.conn.execute(f"SELECT COUNT(*) FROM [{table}] WHERE [{col}] IN ({ph})", keys).fetchone()[0]
            rows[table] = rows.get(table, 0) + int(n)
    return ForgetPlan(asked=asked, customer_keys=tuple(keys), not_found=tuple(missing), rows=rows,
                      runs=tuple(_runs_that_knew(ws.conn, keys)))


def forget(
    ws: Workspace,
    identifiers: Sequence[str],
    *,
    command: str = "shoprec forget",
    backup: bool = True,
    scrub: bool = True,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> ForgetResult:
    """Erase the customers named by ``identifiers`` (shop ids or e-mails) from ``ws``.

    Identifiers not found are still remembered (hashed), so a later import keeps them out.
    ``backup``: copy the workspace to its backups folder first (that copy still holds them).
    """
    t0 = time.perf_counter()
    if ws.readonly:
        raise ForgetError(f"{ws.path}: opened read-only")
    p = plan(ws, identifiers)
    check(cancel)
    report(progress, 0, 4, "backing up")
    backup_path = ws.auto_backup("before-forget", keep=1) if backup else None
    check(cancel)
    report(progress, 1, 4, "removing")
    keys = list(p.customer_keys)
    removed: dict[str, int] = {}
    ws.conn.execute("PRAGMA secure_delete=ON")
    with ws.atomic() as conn:
        values = _personal_strings(conn, keys, p.asked)
        identities = conn.execute(
            f"SELECT external_id, email FROM customers WHERE id IN ({','.join('?' * len(keys))})",
            keys).fetchall() if keys else []
        salt = _salt(ws, create=True)
        assert salt is not None
        runs = _runs_that_knew(conn, keys)
        if keys:
            ph = ",".join("?" * len(keys))
            for table, col in customer_columns(conn):
                cur = conn.execute(f"DELETE FROM [{table}] WHERE [{col}] IN ({ph})", keys)
                removed[table] = removed.get(table, 0) + max(cur.rowcount, 0)
            cur = conn.execute(f"DELETE FROM customers WHERE id IN ({ph})", keys)
            removed["customers"] = max(cur.rowcount, 0)
        removed["rejects scrubbed"] = _scrub_rejects(conn, values)
        now = int(time.time())
        for run_id in runs:
            _mark_run(conn, run_id, len(keys), now)
        removed["models dropped"] = _drop_stale_models(conn, runs)
        cur = conn.execute(
            "INSERT INTO erasures (at, command, identifiers, customers, rows, runs_marked) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (now, command, len(p.asked), len(keys), json.dumps(removed, sort_keys=True), len(runs)),
        )
        erasure_id = int(cur.lastrowid)
        conn.executemany(
            "INSERT OR IGNORE INTO forgotten (hash, person, erasure_id, created_at) VALUES (?, ?, ?, ?)",
            [(identifier_hash(salt, value), person, erasure_id, now)
             for person, value in _identities(identities, p.not_found)],
        )
    scrub_seconds = 0.0
    if scrub:
        report(progress, 2, 4, "making the file forget")
        t1 = time.perf_counter()
        ws.scrub()
        scrub_seconds = time.perf_counter() - t1
    report(progress, 4, 4, "done")
    return ForgetResult(
        erasure_id=erasure_id, customers=len(keys), not_found=p.not_found, rows=removed,
        runs_marked=tuple(runs), backup=backup_path, seconds=time.perf_counter() - t0,
        scrub_seconds=scrub_seconds,
    )


def _identities(found: list[tuple[str, str | None]], not_found: Sequence[str]) -> list[tuple[str, str]]:
    """``(person token, id or e-mail)`` to remember: each customer's id and e-mail under one
    random token (so undoing either lifts both); names are not identities and never kept."""
    out: list[tuple[str, str]] = []
    for ext, email in found:
        person = secrets.token_hex(8)
        out += [(person, v) for v in (ext, email) if v and str(v).strip()]
    out += [(secrets.token_hex(8), v) for v in not_found]
    return out


def _mark_run(conn: sqlite3.Connection, run_id: int, customers: int, now: int) -> None:
    text = conn.execute("SELECT info FROM runs WHERE id = ?", (run_id,)).fetchone()[0]
    try:
        info = json.loads(text) if text else {}
    except ValueError:
        info = {}
    erased = dict(info.get("erased") or {})
    erased["customers"] = int(erased.get("customers", 0)) + customers
    erased["last_at"] = now
    info["erased"] = erased
    conn.execute("UPDATE runs SET info = ? WHERE id = ?", (json.dumps(info, sort_keys=True), run_id))


def _drop_stale_models(conn: sqlite3.Connection, runs: Sequence[int]) -> int:
    """Delete the model state of ``runs``: it holds the erased customers' profiles."""
    if not runs:
        return 0
    ph = ",".join("?" * len(runs))
    models = [r[0] for r in conn.execute(
        f"SELECT DISTINCT model_id FROM runs WHERE id IN ({ph}) AND model_id IS NOT NULL", tuple(runs))]
    conn.execute(f"UPDATE runs SET model_id = NULL WHERE id IN ({ph})", tuple(runs))
    dropped = 0
    for model_id in models:
        still = conn.execute("SELECT COUNT(*) FROM runs WHERE model_id = ?", (model_id,)).fetchone()[0]
        if not still:
            dropped += conn.execute("DELETE FROM models WHERE id = ?", (model_id,)).rowcount
    return dropped


def erased_note(info: dict[str, Any]) -> str | None:
    """A run's "contains erased data" mark in words, or None."""
    erased = info.get("erased") if isinstance(info, dict) else None
    if not erased:
        return None
    return (f"trained before {int(erased.get('customers', 0))} customer(s) were erased; its model "
            "was removed with them, train again to recommend from fresh data")


def allow_again(ws: Workspace, identifiers: Sequence[str]) -> int:
    """Undo the re-import block for these ids or e-mails; returns how many were lifted."""
    salt = _salt(ws, create=False)
    if salt is None:
        return 0
    hashes = [identifier_hash(salt, i) for i in identifiers if str(i).strip()]
    with ws.atomic() as conn:
        n = 0
        for h in hashes:
            n += conn.execute("DELETE FROM forgotten WHERE person IN "
                              "(SELECT person FROM forgotten WHERE hash = ?)", (h,)).rowcount
    return n


def erasure_log(ws: Workspace) -> list[dict[str, Any]]:
    """The audit log, newest first (no personal data in it)."""
    out = []
    for eid, at, command, asked, customers, rows, runs in ws.conn.execute(
            "SELECT id, at, command, identifiers, customers, rows, runs_marked FROM erasures "
            "ORDER BY id DESC"):
        out.append({"id": eid, "at": at, "command": command, "identifiers": asked,
                    "customers": customers, "rows": json.loads(rows or "{}"), "runs_marked": runs})
    return out


# ---------------------------------------------------------------------------------------------
# Keeping forgotten customers out of later imports
# ---------------------------------------------------------------------------------------------

