"""The main window: one tab per job (Data, Customers, each strategy, Compare, Export, Plugins).

Tabs are built from :func:`shoprec.desktop.tabs.tab_classes` plus one
:class:`~shoprec.desktop.tabs.strategy.StrategyTab` per registered strategy. The window owns the
:class:`~shoprec.desktop.session.Session`, forwards "data changed" to every tab, shows status
messages and the offline note, and on close cancels running work and waits for it.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QWidget,
)

from ..core import __version__
from ..core.workspace import WorkspaceError
from . import tabs as tab_registry
from .session import Session
from .tabs.base import Tab
from .widgets import plain_tooltip
from .worker import running_jobs

OFFLINE_NOTE = "Offline · nothing leaves this computer"
SHORTCUTS = (
    ("Ctrl+I", "Import files"),
    ("Alt+1 … Alt+9", "Go to a tab"),
    ("Ctrl+F", "Search customers (Customers tab)"),
    ("Ctrl+T", "Train (strategy tab)"),
    ("Ctrl+R", "Evaluate (Compare tab)"),
    ("Ctrl+E", "Go to Export; Ctrl+S there writes the file"),
    ("Esc", "Cancel the running work of this tab"),
    ("F5", "Refresh every tab"),
    ("Ctrl+O / Ctrl+N", "Open / create a workspace"),
    ("Ctrl+Q", "Quit"),
)
WORKSPACE_FILTER = "ShopRec workspace (*.shoprec *.sqlite *.db);;All files (*)"


def default_size() -> tuple[int, int]:
    """1360×860, or 90% of a smaller screen."""
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return 1360, 860
    avail = screen.availableGeometry()
    return min(1360, int(avail.width() * 0.9)), min(860, int(avail.height() * 0.9))


class MainWindow(QMainWindow):
    """ShopRec's window over one workspace."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.resize(*default_size())
        self.setMinimumSize(800, 560)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setElideMode(Qt.TextElideMode.ElideRight)
        self.setCentralWidget(self.tabs)
        self._build_menus()
        self._build_status_bar()
        self.tabs.currentChanged.connect(lambda _i: self._refresh_current())
        self.build_tabs()
        session.data_changed.connect(self.refresh_tabs)
        # Rebuild after the signal's sender (the Plugins tab's button) has returned.
        session.plugins_changed.connect(lambda: QTimer.singleShot(0, self.build_tabs))
        session.workspace_changed.connect(self._update_title)
        session.open_requested.connect(
            lambda path, files: QTimer.singleShot(0, lambda: self.open_and_import(path, files)))
        session.status.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self._update_title()

    # -- construction -----------------------------------------------------------------------
    def _build_menus(self) -> None:
        menu = self.menuBar().addMenu("&File")
        self.action_new = self._action(menu, "&New workspace…", QKeySequence.StandardKey.New,
                                       self.new_workspace)
        self.action_open = self._action(menu, "&Open workspace…", QKeySequence.StandardKey.Open,
                                        self.open_workspace)
        menu.addSeparator()
        self.action_import = self._action(menu, "&Import files…", "Ctrl+I", self.import_files)
        self.action_export = self._action(menu, "&Export lists…", "Ctrl+E",
                                          lambda: self.show_tab("Export"))
        menu.addSeparator()
        self.action_quit = self._action(menu, "&Quit", "Ctrl+Q", self.close)
        view = self.menuBar().addMenu("&View")
        self.action_refresh = self._action(view, "&Refresh", "F5",
                                           self.refresh_tabs)
        view.addSeparator()
        self.tab_actions_menu = view
        help_menu = self.menuBar().addMenu("&Help")
        self._action(help_menu, "&Keyboard shortcuts", "F1", self.show_shortcuts)
        self.action_log_folder = self._action(help_menu, self.tr("Open &log folder"), None,
                                              self.open_log_folder)
        self._action(help_menu, "&About ShopRec", None, self.about)

    def _action(self, menu, text: str, shortcut, slot) -> QAction:  # noqa: ANN001
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.workspace_label = QLabel()
        self.workspace_label.setStyleSheet("color:#555; padding: 0 6px;")
        self.offline_label = QLabel(OFFLINE_NOTE)
        self.offline_label.setToolTip(
            "ShopRec works entirely on this computer: no account, no upload, no download."
        )
        self.offline_label.setStyleSheet("color:#2e6b30; padding: 0 6px;")
        bar.addPermanentWidget(self.workspace_label)
        bar.addPermanentWidget(self.offline_label)

    def build_tabs(self) -> None:
        """(Re)build every tab: fixed tabs plus one per registered strategy."""
        current = self.tabs.tabText(self.tabs.currentIndex()) if self.tabs.count() else ""
        while self.tabs.count():
            widget = self.tabs.widget(0)
            self.tabs.removeTab(0)
            for job in getattr(widget, "jobs", []):
                job.discard()  # its tab is going away: no outcome may reach it
            widget.deleteLater()
        for tab in tab_registry.create_tabs(self.session):
            index = self.tabs.addTab(tab, tab.title)
            self.tabs.setTabToolTip(index, plain_tooltip(tab.tooltip))
        for action in self.tab_actions_menu.actions()[2:]:
            self.tab_actions_menu.removeAction(action)
        for i in range(self.tabs.count()):
            title = self.tabs.tabText(i)
            action = QAction(title, self)
            if i < 9:
                action.setShortcut(QKeySequence(f"Alt+{i + 1}"))
            action.triggered.connect(lambda _=False, t=title: self.show_tab(t))
            self.tab_actions_menu.addAction(action)
        if current:
            self.show_tab(current)
        self._refresh_current()

    # -- tabs ---------------------------------------------------------------------------------
    def tab_widgets(self) -> list[Tab]:
        return [self.tabs.widget(i) for i in range(self.tabs.count())]  # type: ignore[misc]

    def tab(self, title: str) -> Tab | None:
        for i in range(self.tabs.count()):
            if self.tabs.tabText(i) == title:
                return self.tabs.widget(i)  # type: ignore[return-value]
        return None

    def show_tab(self, title: str) -> Tab | None:
        tab = self.tab(title)
        if tab is not None:
            self.tabs.setCurrentWidget(tab)
        return tab

    def refresh_tabs(self) -> None:
        """The data changed: refresh the visible tab now, the others when they are shown."""
        for tab in self.tab_widgets():
            tab.stale = True
        self._refresh_current()
        self._update_title()

    def _refresh_current(self) -> None:
        tab = self.tabs.currentWidget()
        if tab is None or not hasattr(tab, "ensure_fresh"):
            return
        try:
            tab.ensure_fresh()
        except Exception as exc:  # noqa: BLE001  (a view must never take the window down)
            from .worker import one_line

            tab.message.show_error(f"Could not refresh {tab.title}: {one_line(exc)}",
                                   _traceback(exc))

    # -- actions ------------------------------------------------------------------------------
    def _update_title(self) -> None:
        self.setWindowTitle(f"ShopRec — {self.session.path.name}")
        self.workspace_label.setText(str(self.session.path))
        self.workspace_label.setToolTip("The workspace file: all of this shop's data and models")

    def import_files(self) -> None:
        tab = self.show_tab("Data")
        if tab is not None and hasattr(tab, "choose_files"):
            tab.choose_files()

    def switch_workspace(self, path: str) -> bool:
        """Open another workspace file and rebuild the tabs; False when it cannot be opened."""
        if any(job.running for job in running_jobs()):
            QMessageBox.information(self, "ShopRec", "Wait for the running work to finish first.")
            return False
        try:
            self.session.open(path)
        except (WorkspaceError, OSError) as exc:
            self.statusBar().showMessage(f"Could not open {path}: {exc}", 10000)
            QMessageBox.warning(self, "ShopRec", f"Could not open {path}:\n{exc}")
            return False
        self.build_tabs()
        self.statusBar().showMessage(f"Opened {path}", 5000)
        return True

    def open_and_import(self, path: str, files: list) -> None:
        """Switch to workspace ``path`` and import ``files`` there unless it has data already
        (the demo shop lives in its own workspace, never mixed into a real shop's)."""
        if str(path) != str(self.session.path) and not self.switch_workspace(str(path)):
            return
        tab = self.show_tab("Data")
        if tab is not None and self.session.info()["imports"] == 0:
            tab.import_files([Path(f) for f in files])

    def open_workspace(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open workspace", str(self.session.path.parent), WORKSPACE_FILTER
        )
        if path:
            self.switch_workspace(path)

    def new_workspace(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "New workspace", str(self.session.path.parent / "shop.shoprec"), WORKSPACE_FILTER
        )
        if path:
            if not Path(path).suffix:
                path += ".shoprec"
            self.switch_workspace(path)

    def show_shortcuts(self) -> None:
        rows = "".join(f"<tr><td><b>{k}</b></td><td>&nbsp;&nbsp;{v}</td></tr>" for k, v in SHORTCUTS)
        QMessageBox.information(self, "Keyboard shortcuts", f"<table>{rows}</table>")

    def open_log_folder(self) -> bool:
        """Show the folder of ShopRec's log files in the file manager (created if missing)."""
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        from ..core.logs import log_folder

        folder = log_folder()
        folder.mkdir(parents=True, exist_ok=True)
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def about(self) -> None:
        QMessageBox.about(
            self,
            "About ShopRec",
            f"<b>ShopRec {__version__}</b><br>Offline recommendations for small shops.<br><br>"
            "Your data stay in one workspace file on this computer:<br>"
            f"<code>{self.session.path}</code><br><br>{OFFLINE_NOTE}",
        )

    # -- closing ------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        # Nothing may reach the tabs once the workspace is closed: running work is cancelled
        # and its outcome (even one already queued) is dropped; pending timers are stopped.
        jobs = [job for tab in self.tab_widgets() for job in tab.jobs]
        for job in jobs:
            job.discard()
        for timer in self.findChildren(QTimer):
            timer.stop()
        if any(job.running for job in jobs):
            self.statusBar().showMessage("Stopping running work…")
        # Work checks its cancel token often; give it a moment so no thread outlives the window.
        QThreadPool.globalInstance().waitForDone(int(os.environ.get("SHOPREC_CLOSE_WAIT_MS", 10000)))
        self.session.close()
        event.accept()


def _traceback(exc: BaseException) -> str:
    import traceback

    return "".join(traceback.format_exception(exc))

