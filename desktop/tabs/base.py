"""The base of every tab: metadata as class attributes, a message bar, refresh on data changes.

A tab module defines one :class:`Tab` subclass with ``key`` (a stable name, never translated),
``title`` (English, for code and tests) and ``order`` class attributes (Orange-widget style), and
says its visible name and tooltip in :meth:`Tab.label` / :meth:`Tab.hint` through ``self.tr`` so
they follow the language. It builds its widgets in ``__init__`` and fills them in
:meth:`Tab.refresh`. The main window refreshes the visible tab when the workspace data change and
marks the others stale; a stale tab refreshes when it is shown (:meth:`Tab.ensure_fresh`).
"""

from __future__ import annotations

import html
from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from .. import style
from ..session import Session
from ..widgets import MessageBar
from ..worker import Job


class Tab(QWidget):
    """One tab of the main window."""

    key: ClassVar[str] = ""
    title: ClassVar[str] = ""
    tooltip: ClassVar[str] = ""
    order: ClassVar[int] = 100

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName(f"tab_{(self.key or self.title).lower()}")
        self.outer = QVBoxLayout(self)
        self.outer.setContentsMargins(10, 8, 10, 8)
        self.message = MessageBar()
        self.outer.addWidget(self.message)
        self.jobs: list[Job] = []
        #: Set when the data changed while the tab was hidden; it refreshes when shown.
        self.stale = True

    def label(self) -> str:
        """The tab's name in the user's language."""
        return self.tr(self.title)

    def hint(self) -> str:
        """The tab's tooltip in the user's language."""
        return self.tr(self.tooltip) if self.tooltip else ""

    def heading(self, text: str, help_text: str = "") -> QLabel:
        """A bold heading with an optional muted one-line explanation under it."""
        label = QLabel(f"<b style='font-size:14px'>{html.escape(text)}</b>"
                       + (f"<br><span style='color:{style.muted()}'>{html.escape(help_text)}"
                          "</span>" if help_text else ""))
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        return label

    def track(self, job: Job) -> Job:
        """Remember ``job`` (the window cancels running jobs when it closes) and show its errors."""
        self.jobs.append(job)
        job.failed.connect(self.message.show_error)
        job.finished.connect(lambda: self.jobs.remove(job) if job in self.jobs else None)
        return job

    def busy(self) -> bool:
        return any(job.running for job in self.jobs)

    def refresh(self) -> None:
        """Re-read what this tab shows from the workspace (after imports, training, switching).

        The window calls it through :meth:`ensure_fresh` when the tab is shown, so hidden tabs
        cost nothing after an import."""

    def ensure_fresh(self) -> None:
        if self.stale:
            self.stale = False
            self.refresh()

    def status(self, text: str) -> None:
        self.session.status.emit(text)
