"""Long CPU-bound work (training) in a separate process, so the window never freezes.

A thread is not enough for training: numpy, pandas and torch hold Python's global lock for
seconds at a time in some calls, and the GUI thread cannot repaint meanwhile (bench/desktop_stall.py
measured 4.8 s gaps while a thread trained on a million events). :func:`start_in_process` runs
``fn(ws, *args, **kwargs)`` in a fresh process (``spawn``: nothing of Qt is inherited) with its own
workspace connection, and returns the same :class:`~shoprec.desktop.worker.Job` as the thread
helpers: progress, cancel, and exactly one of succeeded / failed / cancelled on the GUI thread.

Only plain data crosses the pipe: progress as ``(done, total, message, metrics)``, the outcome
as a message and traceback text, the result as ``summarise(result)`` (a dict of plain values),
so nothing a workspace holds is ever unpickled. ``fn`` must be importable by name.
"""

from __future__ import annotations

import dataclasses
import importlib
import multiprocessing as mp
import os
import threading
import traceback
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from shoprec.core.contracts.progress import Cancelled, CancelToken, ProgressUpdate

from .worker import Job, _live_jobs, _Relay, _Runnable, _Throttle, default_pool, one_line

POLL_S = 0.05


def plain_summary(result: Any) -> dict[str, Any]:
    """The plain fields of a result dataclass (numbers, strings, dicts of them)."""
    if not dataclasses.is_dataclass(result):
        return {"value": result if isinstance(result, (int, float, str, type(None))) else None}
    out = {}
    for f in dataclasses.fields(result):
        value = getattr(result, f.name)
        if isinstance(value, (int, float, str, bool, type(None))):
            out[f.name] = value
        elif isinstance(value, dict) and all(isinstance(k, str) for k in value):
            out[f.name] = {k: v for k, v in value.items()
                           if isinstance(v, (int, float, str, bool, type(None), dict))}
    return out


def _child(path: str, target: str, args: tuple, kwargs: dict, conn: Any,
           cancel_event: Any) -> None:
    """Runs in the child process."""
    from shoprec.core.runtime import offline  # noqa: F401  (offline before anything loads Hugging Face)
    from shoprec.core.store.workspace import Workspace

    token = CancelToken()

    def watch() -> None:
        cancel_event.wait()
        token.cancel()

    threading.Thread(target=watch, daemon=True).start()

    def progress(update: ProgressUpdate) -> None:
        metrics = {k: v for k, v in update.metrics.items() if isinstance(v, (int, float, str))}
        conn.send(("progress", (update.done, update.total, update.message, metrics)))

    module, name = target.rsplit(":", 1)
    fn = getattr(importlib.import_module(module), name)
    try:
        token.raise_if_cancelled()
        ws = Workspace(path)
        try:
            result = fn(ws, *args, progress=progress, cancel=token, **kwargs)
        finally:
            ws.close()
    except Cancelled:
        conn.send(("cancelled", None))
    except BaseException as exc:  # noqa: BLE001  (reported to the window, never raised there)
        conn.send(("error", (one_line(exc), "".join(traceback.format_exception(exc)))))
    else:
        conn.send(("ok", plain_summary(result)))
    finally:
        conn.close()


def _supervise(job: Job, relay: _Relay, path: str, target: str, args: tuple,
               kwargs: dict) -> Callable[[], Any]:
    """What the pool thread runs: start the child, forward its messages, pass on a cancel."""

    def run() -> Any:
        ctx = mp.get_context("spawn")
        here, there = ctx.Pipe(duplex=False)
        cancel_event = ctx.Event()
        process = ctx.Process(target=_child, args=(path, target, args, kwargs, there,
                                                   cancel_event), daemon=True)
        process.start()
        there.close()
        throttle = _Throttle(relay)
        try:
            while True:
                if job.token.cancelled:
                    cancel_event.set()
                if here.poll(POLL_S):
                    try:
                        kind, payload = here.recv()
                    except EOFError:
                        break
                    if kind == "progress":
                        done, total, message, metrics = payload
                        throttle(ProgressUpdate(done, total, message, metrics))
                    elif kind == "ok":
                        return SimpleNamespace(**payload)
                    elif kind == "cancelled":
                        raise Cancelled("cancelled")
                    else:
                        raise _ChildError(*payload)
                elif not process.is_alive() and not here.poll():
                    break
            raise RuntimeError(f"the work stopped unexpectedly (exit code {process.exitcode})")
        finally:
            here.close()
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()

    return run


class _ChildError(Exception):
    """An error raised in the child: its one-line message and its traceback text."""

    def __init__(self, message: str, details: str) -> None:
        super().__init__(message)
        self.details = details

    def __str__(self) -> str:
        return self.args[0]


def start_in_process(path: str | os.PathLike[str], fn: Callable[..., Any], *args: Any,
                     label: str = "", **kwargs: Any) -> Job:
    """Run ``fn(ws, *args, **kwargs)`` in a separate process; a GUI-thread :class:`Job`.

    The result arrives as a namespace of its plain fields (see :func:`plain_summary`)."""
    target = f"{fn.__module__}:{fn.__qualname__}"
    job = Job(label)
    _live_jobs.add(job)
    default_pool().start(_Runnable(
        _supervise(job, job._relay, str(path), target, args, kwargs), job._relay))
    return job


def enabled() -> bool:
    """Whether imports and learning run in their own process: yes by default, in the installed
    app too (``--bundle-check`` proves a child process starts from the frozen program and writes
    beside the window); ``SHOPREC_TRAIN_IN_PROCESS=0`` keeps them on threads.

    (It waited for ``core.workspace`` to stop opening and closing the file beside a live
    connection, which dropped this process's SQLite locks: "disk I/O error" while the child
    wrote.)"""
    return os.environ.get("SHOPREC_TRAIN_IN_PROCESS", "1") == "1"


__all__ = ["start_in_process", "enabled", "plain_summary"]
