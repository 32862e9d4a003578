"""Runs stored in the workspace: strategy, parameters, model state, metrics, timings, lists.

Tables (migration 1 of :mod:`shoprec.core.store.workspace`):

- ``models``: one fitted strategy, its parameters and its state as safetensors bytes.
- ``runs``: what was trained and how it went: ``params`` (strategy parameters), ``metrics``
  (calibration, list statistics, data sizes), ``timings`` (seconds per stage), ``calibration``
  (``a``, ``b``, the event and horizon the score estimates, ECE, reliability table; for the
  strategy and for the popularity fallback), ``info`` (device, seed, the item/customer space the
  model knows, the settings the stored lists were cut with).
- ``run_lists(run_id, customer_id, rank, item_id, score, reason, reason_code, reason_item)``: the
  lists, workspace keys; the reason as English text and as a code + item (core.reasons).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from .workspace import Workspace


class RunNotFound(LookupError):
    """No such run in this workspace."""


@dataclass(frozen=True, kw_only=True)
class RunRecord:
    """One row of ``runs`` with its JSON columns decoded."""

    id: int
    strategy: str
    model_id: int | None
    created_at: int
    params: dict[str, Any]
    metrics: dict[str, Any]
    timings: dict[str, Any]
    calibration: dict[str, Any]
    info: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "strategy": self.strategy,
            "model_id": self.model_id,
            "created_at": self.created_at,
            "params": self.params,
            "metrics": self.metrics,
            "timings": self.timings,
            "calibration": self.calibration,
            "info": self.info,
        }


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str, allow_nan=True)


def save_model(ws: Workspace, strategy: str, params_json: str, state: bytes) -> int:
    with ws.atomic() as conn:
        cur = conn.execute(
            "INSERT INTO models (strategy, created_at, params, state) VALUES (?, ?, ?, ?)",
            (strategy, int(time.time()), params_json, state),
        )
        return int(cur.lastrowid)


def load_model_state(ws: Workspace, model_id: int) -> bytes:
    row = ws.conn.execute("SELECT state FROM models WHERE id = ?", (model_id,)).fetchone()
    if row is None or row[0] is None:
        raise RunNotFound(f"model {model_id} is missing from the workspace")
    return bytes(row[0])


def save_run(
    ws: Workspace,
    *,
    strategy: str,
    model_id: int | None,
    params: dict[str, Any],
    metrics: dict[str, Any],
    timings: dict[str, Any],
    calibration: dict[str, Any],
    info: dict[str, Any],
    rows: list[ListRow] = (),  # type: ignore[assignment]
) -> int:
    """Insert a run and its list rows ``(customer_key, rank, item_key, score, reason[, code,
    reason item key])``."""
    with ws.atomic() as conn:
        cur = conn.execute(
            "INSERT INTO runs (strategy, model_id, created_at, params, metrics, timings, "
            "calibration, info) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                strategy,
                model_id,
                int(time.time()),
                _dumps(params),
                _dumps(metrics),
                _dumps(timings),
                _dumps(calibration),
                _dumps(info),
            ),
        )
        run_id = int(cur.lastrowid)
        replace_lists(ws, run_id, rows)
    return run_id


ListRow = tuple  # (customer_key, rank, item_key, score, reason[, reason_code, reason_item_key])


def replace_lists(ws: Workspace, run_id: int, rows: list[ListRow]) -> None:
    """Store a run's list rows; the reason code and item (core.reasons) may be left out."""
    with ws.atomic() as conn:
        conn.execute("DELETE FROM run_lists WHERE run_id = ?", (run_id,))
        conn.executemany(
            "INSERT INTO run_lists (run_id, customer_id, rank, item_id, score, reason, "
            "reason_code, reason_item) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(run_id, *r, *(None,) * (7 - len(r))) for r in rows],
        )


def replace_customer_lists(ws: Workspace, run_id: int, customer_keys: list[int],
                           rows: list[ListRow]) -> None:
    """Replace the stored lists of some customers of a run, the others untouched."""
    with ws.atomic() as conn:
        conn.executemany("DELETE FROM run_lists WHERE run_id = ? AND customer_id = ?",
                         [(run_id, k) for k in customer_keys])
        conn.executemany(
            "INSERT INTO run_lists (run_id, customer_id, rank, item_id, score, reason, "
            "reason_code, reason_item) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(run_id, *r, *(None,) * (7 - len(r))) for r in rows],
        )


def update_run_json(ws: Workspace, run_id: int, column: str, value: dict[str, Any]) -> None:
    if column not in ("metrics", "timings", "info"):
        raise ValueError(f"cannot update runs.{column}")
    with ws.atomic() as conn:
        conn.execute(f"UPDATE runs SET {column} = ? WHERE id = ?", (_dumps(value), run_id))


def _record(row: tuple) -> RunRecord:
    def load(text: str | None) -> dict[str, Any]:
        return json.loads(text) if text else {}

    return RunRecord(
        id=int(row[0]),
        strategy=row[1],
        model_id=row[2],
        created_at=int(row[3]),
        params=load(row[4]),
        metrics=load(row[5]),
        timings=load(row[6]),
        calibration=load(row[7]),
        info=load(row[8]),
    )


_COLUMNS = "id, strategy, model_id, created_at, params, metrics, timings, calibration, info"


def get_run(ws: Workspace, run_id: int) -> RunRecord:
    row = ws.conn.execute(f"SELECT {_COLUMNS} FROM runs WHERE id = ?", (run_id,)).fetchone()
    if row is None:
        raise RunNotFound(f"no run {run_id} in this workspace")
    return _record(row)


def list_runs(ws: Workspace, strategy: str | None = None) -> list[RunRecord]:
    """Runs, newest first (optionally of one strategy)."""
    sql = f"SELECT {_COLUMNS} FROM runs"
    args: tuple = ()
    if strategy:
        sql += " WHERE strategy = ?"
        args = (strategy,)
    return [_record(r) for r in ws.conn.execute(sql + " ORDER BY id DESC", args)]


def latest_run(ws: Workspace, strategy: str | None = None) -> RunRecord | None:
    runs = list_runs(ws, strategy)
    return runs[0] if runs else None


def replace_model_state(ws: Workspace, model_id: int, state: bytes) -> None:
    """Replace a model's safetensors state in place, so the runs keep pointing at it."""
    with ws.atomic() as conn:
        conn.execute("UPDATE models SET state = ? WHERE id = ?", (state, model_id))


def delete_run(ws: Workspace, run_id: int) -> None:
    with ws.atomic() as conn:
        row = conn.execute("SELECT model_id FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise RunNotFound(f"no run {run_id} in this workspace")
        conn.execute("DELETE FROM run_lists WHERE run_id = ?", (run_id,))
        conn.execute("DELETE FROM runs WHERE id = ?", (run_id,))
        if row[0] is not None:
            others = conn.execute("SELECT COUNT(*) FROM runs WHERE model_id = ?", (row[0],)).fetchone()
            if not others[0]:
                conn.execute("DELETE FROM models WHERE id = ?", (row[0],))


def stored_lists(ws: Workspace, run_id: int) -> list[dict[str, Any]]:
    """The stored list rows of a run with shop ids, e-mail and titles, ordered by customer, rank.

    Each row: ``customer_id`` (shop id), ``email``, ``rank``, ``item_id`` (shop id), ``sku``,
    ``title``, ``url``, ``score``, ``reason``.
    """
    get_run(ws, run_id)
    sql = (
        "SELECT c.external_id, c.email, l.rank, i.external_id, i.sku, i.title, i.url, l.score, "
        "l.reason FROM run_lists l JOIN customers c ON c.id = l.customer_id "
        "JOIN items i ON i.id = l.item_id WHERE l.run_id = ? ORDER BY l.customer_id, l.rank"
    )
    keys = ("customer_id", "email", "rank", "item_id", "sku", "title", "url", "score", "reason")
    return [dict(zip(keys, row, strict=True)) for row in ws.conn.execute(sql, (run_id,))]
