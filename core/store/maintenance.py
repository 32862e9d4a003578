"""Backups, restores and health checks of a workspace (``shoprec backup | restore | check``).

- :func:`backup` copies the workspace with SQLite's online backup API (safe while the desktop app
  or another command has it open), written beside the target and renamed when whole.
- :func:`restore` checks that the copy is a ShopRec workspace, backs the current one up, copies
  the backup in (again with the online backup API, so other connections see a whole file), and
  keeps out every customer erased since the backup was made.
- :func:`check` runs SQLite's integrity and foreign-key checks, reads every model's state as
  safetensors, checks the import accounting, finds orphans (a model no run uses, a run whose
  model is missing) and triggers or views ShopRec did not create; ``repair=True`` removes orphans
  and foreign triggers/views.
"""

from __future__ import annotations

import json
import sqlite3
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .workspace import SCHEMA_VERSION, Workspace, WorkspaceError, unknown_schema_objects

MAX_HEADER = 100 * 1024 * 1024  # safetensors' own limit on a header


@dataclass(frozen=True)
class BackupResult:
    path: Path
    bytes: int
    seconds: float


def backup(ws: Workspace, target: str | Path,
           progress: Callable[[int, int], None] | None = None) -> BackupResult:
    target = Path(target)
    if ws.path is not None and target.resolve() == ws.path.resolve():
        raise WorkspaceError(f"{target}: that is the workspace itself; choose another file")
    t0 = time.perf_counter()
    ws.backup_to(target, progress)
    return BackupResult(target, target.stat().st_size, time.perf_counter() - t0)


def restore(workspace_path: str | Path, source: str | Path) -> dict[str, Any]:
    """Replace the workspace at ``workspace_path`` with the backup ``source``.

    The current workspace (when there is one) is backed up first, and customers it had erased
    stay erased in the restored one. Returns what was done.
    """
    workspace_path, source = Path(workspace_path), Path(source)
    if not source.is_file():
        raise WorkspaceError(f"{source}: no backup file there")
    # Refuses anything that is not a whole ShopRec workspace, before the current one changes.
    with Workspace(source, readonly=True) as src:
        version = src.schema_version
        integrity = src.conn.execute("PRAGMA quick_check(1)").fetchone()[0]
        if integrity != "ok":
            raise WorkspaceError(f"{source}: the backup is damaged ({integrity}); nothing was changed")
    out: dict[str, Any] = {"source": str(source), "schema_version": version, "kept_out": 0,
                           "backup_of_current": None}
    forgotten: list[tuple[str, str, int]] = []
    salt = None
    if workspace_path.exists():
        with Workspace(workspace_path, allow_unknown_schema=True) as cur:
            target = cur.auto_backup("before-restore", keep=3)
            out["backup_of_current"] = str(target) if target else None
            salt = cur.get_setting("forget.salt")
            forgotten = cur.conn.execute("SELECT hash, person, created_at FROM forgotten").fetchall()
    src_conn = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    dst_conn = sqlite3.connect(str(workspace_path), timeout=30)
    try:
        src_conn.backup(dst_conn, pages=4096)
    finally:
        src_conn.close()
        dst_conn.close()
    with Workspace(workspace_path) as ws:  # migrates an older backup (after its own backup)
        if forgotten and salt:
            out["kept_out"] = _reapply_erasures(ws, salt, forgotten)
        out["schema_version"] = ws.schema_version
    return out


def _reapply_erasures(ws: Workspace, salt: str, forgotten: list[tuple[str, str, int]]) -> int:
    from .reimport import SALT_SETTING, install_reimport_guard

    own = ws.get_setting(SALT_SETTING)
    if own is not None and own != salt and ws.count("forgotten"):
        # hashes made with another salt cannot be compared; keep the backup's own list
        return 0
    guard = install_reimport_guard(ws)
    before = guard.kept_out_customers
    with ws.atomic() as conn:
        conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE "
                     "SET value = excluded.value", (SALT_SETTING, salt))
        conn.executemany("INSERT OR IGNORE INTO forgotten (hash, person, erasure_id, created_at) "
                         "VALUES (?, ?, NULL, ?)", forgotten)
        guard._start = 0  # every customer of the restored copy is checked
    kept = guard.kept_out_customers - before
    if kept:
        ws.scrub()
    return kept


# ---------------------------------------------------------------------------------------------
# check
# ---------------------------------------------------------------------------------------------


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def line(self) -> str:
        if self.ok:
            done = f" (repaired: {'; '.join(self.repaired)})" if self.repaired else ""
            return (f"ok: {self.facts.get('customers', 0):,} customers, {self.facts.get('events', 0):,} "
                    f"events, {self.facts.get('models', 0)} models readable{done}")
        return f"{len(self.problems)} problem(s): " + "; ".join(self.problems)

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "problems": self.problems, "repaired": self.repaired, **self.facts}


def safetensors_problem(blob: bytes | None) -> str | None:
    """Why ``blob`` is not a readable safetensors state with finite numbers (None when it is)."""
    if blob is None:
        return "empty"
    blob = bytes(blob)
    if len(blob) < 8:
        return "too short to be safetensors"
    (n,) = struct.unpack("<Q", blob[:8])
    if n > MAX_HEADER or 8 + n > len(blob):
        return "not safetensors (header size out of range)"
    try:
        header = json.loads(blob[8:8 + n])
    except ValueError:
        return "not safetensors (header is not JSON)"
    if not isinstance(header, dict):
        return "not safetensors (header is not a table)"
    import numpy as np
    from safetensors.numpy import load

    try:
        tensors = load(blob)
    except Exception as exc:  # noqa: BLE001  (any parse failure is the finding)
        return f"not readable as safetensors ({str(exc).splitlines()[0][:80]})"
    for name, array in tensors.items():
        if array.dtype.kind == "f" and array.size and not np.isfinite(array).all():
            return f"tensor {name!r} holds NaN or infinite numbers"
    return None


def check(ws: Workspace, *, repair: bool = False) -> CheckReport:
    rep = CheckReport()
    conn = ws.conn
    rep.facts["schema_version"] = ws.schema_version
    if ws.schema_version != SCHEMA_VERSION:
        rep.problems.append(f"schema v{ws.schema_version}, this ShopRec writes v{SCHEMA_VERSION}")
    result = [r[0] for r in conn.execute("PRAGMA integrity_check(5)")]
    if result != ["ok"]:
        rep.problems.append("the file is damaged (" + "; ".join(result)[:200]
                            + "): restore a backup with `shoprec restore`")
        return rep  # nothing else can be trusted
    foreign_keys = conn.execute("PRAGMA foreign_key_check").fetchall()
    by_table: dict[str, int] = {}
    for table, _rowid, parent, _fk in foreign_keys:
        by_table[f"{table}->{parent}"] = by_table.get(f"{table}->{parent}", 0) + 1
    for what, n in by_table.items():
        rep.problems.append(f"{n} row(s) of {what.split('->')[0]} point to a missing {what.split('->')[1]} row")
    for kind, name, table in unknown_schema_objects(conn):
        if repair:
            with ws.atomic():
                conn.execute(f"DROP {kind.upper()} IF EXISTS [{name}]")
            rep.repaired.append(f"removed {kind} {name} on {table}")
        else:
            rep.problems.append(f"{kind} {name!r} on {table} was not made by ShopRec "
                                "(`shoprec check --repair` removes it)")
    # import accounting
    for imp, file_name, read, imported, dups, rejected in conn.execute(
            "SELECT id, file_name, rows_read, imported, duplicates, rejected FROM imports"):
        if read != imported + dups + rejected:
            rep.problems.append(f"import {imp} ({file_name}): {read} rows read but {imported} + "
                                f"{dups} + {rejected} accounted for")
    for imp, file_name, rejected, stored in conn.execute(
            "SELECT i.id, i.file_name, i.rejected, (SELECT COUNT(*) FROM rejects r WHERE "
            "r.import_id = i.id) FROM imports i"):
        if rejected != stored:
            rep.problems.append(f"import {imp} ({file_name}): {rejected} rejects counted, {stored} stored")
    # models and runs
    readable = 0
    for model_id, blob in conn.execute("SELECT id, state FROM models"):
        why = safetensors_problem(blob)
        if why:
            rep.problems.append(f"model {model_id}: {why}")
        else:
            readable += 1
    rep.facts["models"] = readable
    orphan_models = [r[0] for r in conn.execute(
        "SELECT id FROM models WHERE id NOT IN (SELECT model_id FROM runs WHERE model_id IS NOT NULL)")]
    if orphan_models:
        if repair:
            with ws.atomic():
                conn.executemany("DELETE FROM models WHERE id = ?", [(m,) for m in orphan_models])
            rep.repaired.append(f"removed {len(orphan_models)} model(s) no run uses")
        else:
            rep.problems.append(f"{len(orphan_models)} model(s) no run uses, left by an interrupted "
                                "training (`shoprec check --repair` removes them)")
    missing = conn.execute("SELECT COUNT(*) FROM runs WHERE model_id IS NOT NULL AND model_id NOT IN "
                           "(SELECT id FROM models)").fetchone()[0]
    if missing:
        rep.problems.append(f"{missing} run(s) whose model is missing: train them again")
    for run_id, metrics in conn.execute("SELECT id, metrics FROM runs"):
        try:
            json.loads(metrics or "{}")
        except ValueError:
            rep.problems.append(f"run {run_id}: its metrics are not readable")
    bad_scores = conn.execute(
        "SELECT COUNT(*) FROM run_lists WHERE score != score OR abs(score) > 1e308").fetchone()[0]
    if bad_scores:
        rep.problems.append(f"{bad_scores} stored list row(s) with a score that is not a number")
    rep.facts.update(customers=ws.count("customers"), events=ws.count("events"),
                     runs=ws.count("runs"), imports=ws.count("imports"))
    if repair and ws.count("erasures"):
        # finishes a forget that was interrupted after its commit: no erased byte stays behind
        ws.scrub()
        rep.repaired.append("rebuilt the file so erased customers leave no trace")
    return rep
