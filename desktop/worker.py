"""The one way the desktop runs long work: a core call off the GUI thread, reported back by signals.

Long core calls take ``progress`` (a callable receiving
:class:`~shoprec.core.contracts.progress.ProgressUpdate`) and ``cancel`` (a
:class:`~shoprec.core.contracts.progress.CancelToken`) and know nothing of Qt. :func:`start` runs such a call
on Qt's global thread pool and returns a :class:`Job` that lives on the GUI thread:

>>> job = start_in_workspace(path, import_file, csv_path)  # doctest: +SKIP
>>> job.progress.connect(panel.show_update)      # ProgressUpdate, throttled, on the GUI thread
>>> job.succeeded.connect(on_summary)            # the call's return value
>>> job.failed.connect(message_bar.show_error)   # (one-line message, traceback text)
>>> job.cancelled.connect(...)                   # the call raised Cancelled after job.cancel()

Every outcome arrives on the GUI thread (queued connections), and exactly one of ``succeeded``,
``failed`` or ``cancelled`` fires, followed by ``finished``. Exceptions never escape into Qt.

SQLite connections must not cross threads: work that touches the workspace opens its own
:class:`~shoprec.core.store.workspace.Workspace` inside the call. :func:`start_in_workspace` does exactly
that (``fn(ws, *args, ...)`` with a fresh connection, closed afterwards).
"""

from __future__ import annotations

import inspect
import os
import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from shoprec.core.contracts.progress import Cancelled, CancelToken, ProgressUpdate
from shoprec.core.store.workspace import Workspace

#: Progress updates closer together than this are coalesced (the core may report every row).
PROGRESS_INTERVAL_S = 0.05

_live_jobs: set[Job] = set()  # keeps running jobs alive even if the caller drops its reference


def one_line(exc: BaseException) -> str:
    """The message a person sees first: the exception's first line, without the class for ours."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if not text:
        return type(exc).__name__
    # Errors meant for users (ValueError, OSError, WorkspaceError, ...) read better without the
    # class name; truly unexpected ones keep it so a bug report says what happened.
    if isinstance(exc, (ValueError, OSError, LookupError)) or type(exc).__module__.startswith(
        "shoprec"
    ):
        return text
    return f"{type(exc).__name__}: {text}"


class _Relay(QObject):
    """Signals emitted from the worker thread; connected queued to the GUI-thread :class:`Job`."""

    progress = Signal(object)
    done = Signal(str, object, str)  # outcome ("ok", "error", "cancelled"), payload, details


class Job(QObject):
    """A running core call; lives on the GUI thread and reports there."""

    progress = Signal(object)  # ProgressUpdate
    succeeded = Signal(object)  # the return value
    failed = Signal(str, str)  # one-line message, details (traceback)
    cancelled = Signal()
    finished = Signal()  # after any of the three above

    def __init__(self, label: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.label = label
        self.token = CancelToken()
        self.running = True
        self.discarded = False
        self.outcome: str | None = None
        self.result: Any = None
        self.error: str = ""
        self._relay = _Relay()
        self._relay.progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._relay.done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)

    def cancel(self) -> None:
        """Ask the work to stop; it ends with ``cancelled`` at its next check."""
        self.token.cancel()

    def discard(self) -> None:
        """Cancel, and deliver no outcome at all: whoever asked is gone (a closed window)."""
        self.discarded = True
        self.token.cancel()

    @Slot(object)
    def _on_progress(self, update: ProgressUpdate) -> None:
        if self.running and not self.discarded:
            self.progress.emit(update)

    @Slot(str, object, str)
    def _on_done(self, outcome: str, payload: Any, details: str) -> None:
        self.running = False
        self.outcome = outcome
        try:
            if self.discarded:
                return
            if outcome == "ok":
                self.result = payload
                self.succeeded.emit(payload)
            elif outcome == "cancelled":
                self.cancelled.emit()
            else:
                self.error = str(payload)
                self.failed.emit(str(payload), details)
            self.finished.emit()
        finally:
            _live_jobs.discard(self)


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay
        self.setAutoDelete(True)

    def run(self) -> None:  # runs on a pool thread
        try:
            result = self.fn()
        except Cancelled:
            outcome: tuple[str, Any, str] = ("cancelled", None, "")
        except BaseException as exc:  # noqa: BLE001  (nothing may escape into Qt's thread)
            # Work done in another process brings its own traceback (process_worker).
            details = getattr(exc, "details", "") or "".join(traceback.format_exception(exc))
            outcome = ("error", one_line(exc), details)
        else:
            outcome = ("ok", result, "")
        try:
            self.relay.done.emit(*outcome)
        except RuntimeError:
            pass  # the application is shutting down and took the job's relay with it


class _Throttle:
    """A progress callback for the core: forwards at most one update per interval (plus the last)."""

    def __init__(self, relay: _Relay, interval: float = PROGRESS_INTERVAL_S) -> None:
        self.relay = relay
        self.interval = interval
        self._last = 0.0

    def __call__(self, update: ProgressUpdate) -> None:
        now = time.monotonic()
        complete = update.total is not None and update.done >= update.total
        if complete or now - self._last >= self.interval:
            self._last = now
            self.relay.progress.emit(update)


def _accepts(fn: Callable[..., Any], name: str) -> bool:
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):  # builtins: pass nothing they did not ask for
        return False
    return name in params or any(p.kind is p.VAR_KEYWORD for p in params.values())


def _launch(
    fn: Callable[..., Any],
    wrap: Callable[[dict[str, Any]], Callable[[], Any]],
    kwargs: dict[str, Any],
    label: str,
    pool: QThreadPool | None,
) -> Job:
    job = Job(label)
    if "progress" not in kwargs and _accepts(fn, "progress"):
        kwargs["progress"] = _Throttle(job._relay)
    if "cancel" not in kwargs and _accepts(fn, "cancel"):
        kwargs["cancel"] = job.token
    _live_jobs.add(job)
    (pool or default_pool()).start(_Runnable(wrap(kwargs), job._relay))
    return job


#: Enough threads that quick work (a list, a portrait) never queues behind long work
#: (training, evaluation): Qt's default is one thread per core, two on a small laptop.
MIN_THREADS = 8


def default_pool() -> QThreadPool:
    pool = QThreadPool.globalInstance()
    if pool.maxThreadCount() < MIN_THREADS:
        pool.setMaxThreadCount(MIN_THREADS)
    return pool


def start(
    fn: Callable[..., Any],
    *args: Any,
    label: str = "",
    pool: QThreadPool | None = None,
    **kwargs: Any,
) -> Job:
    """Run ``fn(*args, **kwargs)`` on a pool thread and return its GUI-thread :class:`Job`.

    ``progress`` and ``cancel`` keyword arguments are supplied automatically when ``fn`` accepts
    them (pass ``progress=None`` / ``cancel=None`` explicitly to withhold them).
    """
    return _launch(fn, lambda kw: lambda: fn(*args, **kw), kwargs, label, pool)


def start_in_workspace(
    path: str | os.PathLike[str],
    fn: Callable[..., Any],
    *args: Any,
    label: str = "",
    pool: QThreadPool | None = None,
    **kwargs: Any,
) -> Job:
    """Like :func:`start`, calling ``fn(ws, *args, **kwargs)`` with a fresh workspace connection.

    The connection is opened and closed on the worker thread (SQLite connections must not be
    shared across threads); WAL mode lets the GUI thread keep reading meanwhile.
    """

    def wrap(kw: dict[str, Any]) -> Callable[[], Any]:
        def call() -> Any:
            ws = Workspace(path)
            try:
                return fn(ws, *args, **kw)
            finally:
                ws.close()

        return call

    return _launch(fn, wrap, kwargs, label, pool)


def running_jobs() -> list[Job]:
    """Jobs started and not yet finished (the main window waits for them on close)."""
    return [j for j in _live_jobs if j.running]
