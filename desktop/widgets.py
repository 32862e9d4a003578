"""Small reusable widgets: the one-line message bar, the empty-state note, the progress panel.

Errors are shown as one line with details on demand (:class:`MessageBar`), never as a crash or a
traceback in someone's face; long work shows a bar, a message and a Cancel button
(:class:`ProgressPanel`) wired to a :class:`~shoprec.desktop.worker.Job`.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QElapsedTimer, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from shoprec.core.contracts.progress import ProgressUpdate

from . import style
from .worker import Job

translate = QCoreApplication.translate


def plain_tooltip(text: str) -> str:
    """``text`` shown literally in a tooltip: Qt would read "σ(<p_u, p_i>)" as an HTML tag."""
    if "<" not in text and "&" not in text:
        return text
    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"


def training_phase(message: str) -> str | None:
    """The phase of a training run in words, from the core's progress message
    ("fitting: epoch 3 · loss 5.1" → "Learning from your shop's history"); None when unknown."""
    stage = (message or "").split(":", 1)[0].strip().lower()
    if stage.startswith("fitting on all"):
        return translate("Phases", "Learning again from all the data")
    if stage.startswith("fitting") or stage.startswith("tuning"):
        return translate("Phases", "Learning from your shop's history")
    if stage.startswith("calibrat"):
        return translate("Phases", "Checking the guesses against what customers did")
    if stage.startswith("lists"):
        return translate("Phases", "Preparing every customer's list")
    if stage.startswith("done"):
        return translate("Phases", "Done")
    return None


def duration_text(seconds: float) -> str:
    """ "about 3 min" / "about 40 s" in the user's language."""
    if seconds >= 90:
        return translate("Phases", "about {n} min").format(n=round(seconds / 60))
    return translate("Phases", "about {n} s").format(n=max(5, int(round(seconds / 5) * 5)))


class MessageBar(QFrame):
    """A one-line message above a tab's content; errors offer their details on a button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        self.label = QLabel()
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.label.setWordWrap(True)
        self.details_button = QPushButton(self.tr("Details…"))
        self.details_button.clicked.connect(self.show_details)
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setToolTip(self.tr("Dismiss"))
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.hide)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.details_button)
        layout.addWidget(self.close_button)
        self.details = ""
        self.kind = ""
        self.hide()

    def _show(self, kind: str, text: str, details: str = "") -> None:
        self.kind = kind
        self.details = details
        self.label.setText(text)
        self.setStyleSheet(
            f"QFrame#messageBar {{{style.message_style(kind)} border-radius:4px;}}")
        self.details_button.setVisible(bool(details))
        self.show()

    def show_error(self, text: str, details: str = "") -> None:
        self._show("error", text, details)

    def show_info(self, text: str) -> None:
        self._show("info", text)

    def show_ok(self, text: str) -> None:
        self._show("ok", text)

    def text(self) -> str:
        return self.label.text()

    def show_details(self) -> None:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("ShopRec — details"))
        box.setText(self.label.text())
        box.setDetailedText(self.details)
        box.open()


class EmptyState(QLabel):
    """A centred, muted note shown where a table would be empty ("Import a file to start…")."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setStyleSheet(f"color:{style.muted()}; font-size:13px; padding:24px;")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)


class ProgressPanel(QWidget):
    """Progress bar, status line and Cancel button for one running :class:`Job`."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None,
                 phases: Callable[[str], str | None] | None = None) -> None:
        super().__init__(parent)
        #: Turns the core's progress messages into phases in words (training); None: as sent.
        self.phases = phases
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.bar = QProgressBar()
        self.bar.setTextVisible(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop this work; nothing is changed (Esc)"))
        self.cancel_button.setShortcut("Esc")
        self.cancel_button.clicked.connect(self._cancel)
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        layout.addLayout(row)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.job: Job | None = None
        self._text = ""
        self._clock = QElapsedTimer()
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)  # elapsed time moves even while the work reports nothing
        self._ticker.timeout.connect(self._render)
        self.hide()

    def attach(self, job: Job, text: str = "") -> None:
        """Follow ``job`` until it finishes; the panel hides itself afterwards."""
        self.job = job
        self.bar.setRange(0, 0)  # busy until the first update says how much there is
        self._text = text or self.tr("Working…")
        self._fraction: float | None = None
        self._samples: list[tuple[float, float]] = []
        self._clock.start()
        self._ticker.start()
        self._render()
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText(self.tr("Cancel"))
        job.progress.connect(self.show_update)
        job.finished.connect(self._finished)
        self.show()

    def show_update(self, update: ProgressUpdate) -> None:
        frac = update.fraction
        self._fraction = frac
        if frac is not None and self._clock.isValid():
            now = self._clock.elapsed() / 1000
            self._samples = [(t, f) for t, f in getattr(self, "_samples", []) if now - t <= 30]
            self._samples.append((now, frac))
        if frac is None:
            self.bar.setRange(0, 0)
        else:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(frac * 1000))
        if self.phases is not None:
            phase = self.phases(update.message)
            if phase:
                self._text = phase
        else:
            parts = [update.message] if update.message else []
            for key, value in update.metrics.items():
                parts.append(f"{key} {value:.4g}" if isinstance(value, float)
                             else f"{key} {value}")
            if parts:
                self._text = " · ".join(parts)
        self._render()

    def elapsed_text(self) -> str:
        seconds = int(self._clock.elapsed() / 1000) if self._clock.isValid() else 0
        return f"{seconds // 60}:{seconds % 60:02d}"

    def time_left(self) -> float | None:
        """Seconds left at the pace of the last half minute (phases run at different speeds),
        or of the whole run until then; None until the work says how far it is."""
        frac = getattr(self, "_fraction", None)
        if not self._clock.isValid() or frac is None or frac < 0.03 or frac >= 1:
            return None
        elapsed = self._clock.elapsed() / 1000
        if elapsed < 2:
            return None
        samples = [(t, f) for t, f in getattr(self, "_samples", []) if elapsed - t <= 30]
        if samples and elapsed - samples[0][0] >= 5 and frac > samples[0][1]:
            t0, f0 = samples[0]
            return (elapsed - t0) * (1 - frac) / (frac - f0)
        return elapsed * (1 - frac) / frac

    def _render(self) -> None:
        left = self.time_left()
        if left is not None:
            when = self.tr("{elapsed} so far, {left} left").format(
                elapsed=self.elapsed_text(), left=duration_text(left))
        else:
            when = self.tr("{elapsed} so far").format(elapsed=self.elapsed_text())
        self.status.setText(f"{self._text}  ({when})")

    def _cancel(self) -> None:
        if self.job is not None and self.job.running:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.cancel_button.setText(self.tr("Cancelling…"))
            self.cancel_requested.emit()

    def _finished(self) -> None:
        self.job = None
        self._ticker.stop()
        self.hide()
