"""Progress reporting and cancellation for long work, independent of any front end.

Long-running core calls take ``progress`` (a callable receiving :class:`ProgressUpdate`) and
``cancel`` (a :class:`CancelToken`). The CLI adapts progress to a terminal bar, the desktop to Qt
signals; the core never knows who is watching.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class Cancelled(Exception):
    """Raised inside long work when its cancel token was triggered."""


@dataclass(frozen=True)
class ProgressUpdate:
    """One progress report: ``done`` out of ``total`` units (``total`` None when unknown)."""

    done: float
    total: float | None = None
    message: str = ""
    metrics: dict[str, Any] = field(default_factory=dict)

    @property
    def fraction(self) -> float | None:
        if not self.total:
            return None
        return max(0.0, min(1.0, self.done / self.total))


ProgressFn = Callable[[ProgressUpdate], None]


class CancelToken:
    """A thread-safe flag that long work polls; ``cancel()`` may be called from any thread."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled("cancelled")


def report(
    progress: ProgressFn | None,
    done: float,
    total: float | None = None,
    message: str = "",
    **metrics: Any,
) -> None:
    """Send a progress update if anyone listens (``progress`` may be None)."""
    if progress is not None:
        progress(ProgressUpdate(done, total, message, metrics))


def sub_progress(progress: ProgressFn | None, lo: float, hi: float, stage: str) -> ProgressFn | None:
    """Map a stage's own progress onto [lo, hi] of the whole job (in percent)."""
    if progress is None:
        return None

    def forward(update: ProgressUpdate) -> None:
        frac = update.fraction if update.fraction is not None else 0.0
        message = f"{stage}: {update.message}" if update.message else stage
        progress(ProgressUpdate(lo + (hi - lo) * frac, 100.0, message, dict(update.metrics)))

    return forward


def check(cancel: CancelToken | None) -> None:
    """Raise :class:`Cancelled` if ``cancel`` was triggered (``cancel`` may be None)."""
    if cancel is not None:
        cancel.raise_if_cancelled()
