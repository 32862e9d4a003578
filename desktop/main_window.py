"""The main window: Start · Data · Customers · Recommendations · Compare · (Campaigns) · Export.

Tabs come from :func:`shoprec.desktop.tabs.create_tabs`; strategies are a choice inside
Recommendations. The window owns the :class:`~shoprec.desktop.session.Session`, forwards "data
changed" to every tab, takes files dropped anywhere on it (a preview with the column mapping
comes first), keeps its geometry, recent workspaces and language in QSettings, and on close
cancels running work and waits for it. Changing the language rebuilds menus and tabs in it.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QThreadPool, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from shoprec.core import __version__
from shoprec.core.store.workspace import WorkspaceError

from . import i18n, settings, style
from . import tabs as tab_registry
from .session import Session
from .tabs.base import Tab
from .widgets import plain_tooltip
from .worker import running_jobs

SHORTCUT_KEYS = ("Ctrl+I", "Alt+1 … Alt+9", "Ctrl+F", "Ctrl+T", "Ctrl+R", "Ctrl+E", "Esc", "F5",
                 "Ctrl+O / Ctrl+N", "Ctrl+,", "Ctrl+Q")


def default_size() -> tuple[int, int]:
    """1280×820, or 90% of a smaller screen."""
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return 1280, 820
    avail = screen.availableGeometry()
    return min(1280, int(avail.width() * 0.9)), min(820, int(avail.height() * 0.9))


def native_key(text: str) -> str:
    """A shortcut as this platform writes it (Ctrl shows as ⌘ on macOS)."""
    if "…" in text or "/" in text:
        return text if not _is_mac() else text.replace("Ctrl", "⌘")
    return QKeySequence(text).toString(QKeySequence.SequenceFormat.NativeText)


def _is_mac() -> bool:
    return QGuiApplication.platformName() == "cocoa"


class MainWindow(QMainWindow):
    """ShopRec's window over one workspace."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setAcceptDrops(True)
        self.resize(*default_size())
        self.setMinimumSize(800, 560)
        geometry = settings.settings().value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setElideMode(Qt.TextElideMode.ElideRight)
        self.setCentralWidget(self.tabs)
        self.import_dialog = None
        self.workspace_label = QLabel()
        self.offline_label = QLabel()
        self.statusBar().addPermanentWidget(self.workspace_label)
        self.statusBar().addPermanentWidget(self.offline_label)
        self.retranslate_chrome()
        self.tabs.currentChanged.connect(lambda _i: self._refresh_current())
        self.build_tabs()
        session.data_changed.connect(self.refresh_tabs)
        # Rebuild after the signal's sender (the Plugins dialog's button) has returned.
        session.plugins_changed.connect(lambda: QTimer.singleShot(0, self.build_tabs))
        session.workspace_changed.connect(self._update_title)
        session.open_requested.connect(
            lambda path, files: QTimer.singleShot(0, lambda: self.open_and_import(path, files)))
        session.action_requested.connect(
            lambda action: QTimer.singleShot(0, lambda: self.act(action)))
        session.status.connect(lambda text: self.statusBar().showMessage(text, 8000))
        settings.add_recent_workspace(session.path)
        self._update_title()
        if session.is_empty():
            self.show_tab("start")
        elif settings.get("window/tab"):
            self.show_tab(settings.get("window/tab"))  # where the person left off
        if os.environ.get("SHOPREC_PRELOAD", "1") != "0":
            # Once the window is up, load the plugins (and torch) in the background.
            QTimer.singleShot(200, session.preload)

    # -- construction -----------------------------------------------------------------------
    def retranslate_chrome(self) -> None:
        """Menus and status bar in the current language (rebuilt from scratch)."""
        self.menuBar().clear()
        self._build_menus()
        self.offline_label.setText(self.tr("Offline · nothing leaves this computer"))
        self.offline_label.setToolTip(self.tr(
            "ShopRec works entirely on this computer: no account, no upload, no download."))
        self.workspace_label.setStyleSheet(f"color:{style.muted()}; padding: 0 6px;")
        self.offline_label.setStyleSheet(f"color:{style.good()}; padding: 0 6px;")

    def _build_menus(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&File"))
        self.action_new = self._action(menu, self.tr("&New workspace…"),
                                       QKeySequence.StandardKey.New, self.new_workspace)
        self.action_open = self._action(menu, self.tr("&Open workspace…"),
                                        QKeySequence.StandardKey.Open, self.open_workspace)
        self.action_demo = self._action(menu, self.tr("Open the &demo shop"), None,
                                        lambda: self.act("demo"))
        menu.addSeparator()
        self.action_import = self._action(menu, self.tr("&Import files…"), "Ctrl+I",
                                          self.import_files)
        self.action_export = self._action(menu, self.tr("&Export lists…"), "Ctrl+E",
                                          lambda: self.show_tab("export"))
        menu.addSeparator()
        self.action_preferences = self._action(menu, self.tr("&Preferences…"),
                                               QKeySequence.StandardKey.Preferences,
                                               self.show_preferences)
        # macOS puts it in the application menu by itself; elsewhere Ctrl+, is the habit.
        self.action_preferences.setMenuRole(QAction.MenuRole.PreferencesRole)
        if not self.action_preferences.shortcut().toString():
            self.action_preferences.setShortcut(QKeySequence("Ctrl+,"))
        menu.addSeparator()
        self.action_quit = self._action(menu, self.tr("&Quit"), QKeySequence.StandardKey.Quit,
                                        self.close)
        self.action_quit.setMenuRole(QAction.MenuRole.QuitRole)
        if not self.action_quit.shortcut().toString():
            self.action_quit.setShortcut(QKeySequence("Ctrl+Q"))
        view = self.menuBar().addMenu(self.tr("&View"))
        self.action_refresh = self._action(view, self.tr("&Refresh"), "F5", self.refresh_tabs)
        view.addSeparator()
        self.tab_actions_menu = view
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self._action(help_menu, self.tr("&Keyboard shortcuts"), "F1", self.show_shortcuts)
        self._action(help_menu, self.tr("&Plugins…"), None, self.show_plugins)
        self.action_log_folder = self._action(help_menu, self.tr("Open &log folder"), None,
                                              self.open_log_folder)
        about = self._action(help_menu, self.tr("&About ShopRec"), None, self.about)
        about.setMenuRole(QAction.MenuRole.AboutRole)

    def _action(self, menu, text: str, shortcut, slot) -> QAction:  # noqa: ANN001
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def build_tabs(self) -> None:
        """(Re)build every tab, keeping the one shown."""
        current = getattr(self.tabs.currentWidget(), "key", "") if self.tabs.count() else ""
        while self.tabs.count():
            widget = self.tabs.widget(0)
            self.tabs.removeTab(0)
            for job in self._jobs_of(widget):
                job.discard()  # its tab is going away: no outcome may reach it
            widget.deleteLater()
        for tab in tab_registry.create_tabs(self.session):
            index = self.tabs.addTab(tab, tab.label())
            self.tabs.setTabToolTip(index, plain_tooltip(tab.hint()))
        for action in self.tab_actions_menu.actions()[2:]:
            self.tab_actions_menu.removeAction(action)
        for i in range(self.tabs.count()):
            tab = self.tabs.widget(i)
            action = QAction(self.tabs.tabText(i), self)
            if i < 9:
                action.setShortcut(QKeySequence(f"Alt+{i + 1}"))
            action.triggered.connect(lambda _=False, t=tab: self.tabs.setCurrentWidget(t))
            self.tab_actions_menu.addAction(action)
        if current:
            self.show_tab(current)
        self._refresh_current()

    # -- tabs ---------------------------------------------------------------------------------
    def tab_widgets(self) -> list[Tab]:
        """Every tab, then the strategy pages built inside Recommendations."""
        tabs = [self.tabs.widget(i) for i in range(self.tabs.count())]
        pages = [p for t in tabs for p in getattr(t, "panels", {}).values()]
        return tabs + pages  # type: ignore[return-value]

    @staticmethod
    def _jobs_of(widget: QWidget) -> list:
        jobs = list(getattr(widget, "jobs", []))
        for panel in getattr(widget, "panels", {}).values():
            jobs.extend(panel.jobs)
        return jobs

    def tab(self, name: str) -> Tab | None:
        """The tab whose key, English title or shown label is ``name``."""
        wanted = name.lower()
        for i in range(self.tabs.count()):
            widget = self.tabs.widget(i)
            if wanted in (getattr(widget, "key", ""), getattr(widget, "title", "").lower(),
                          self.tabs.tabText(i).lower()):
                return widget  # type: ignore[return-value]
        return None

    def show_tab(self, name: str) -> Tab | None:
        tab = self.tab(name)
        if tab is not None:
            self.tabs.setCurrentWidget(tab)
        return tab

    def strategy_page(self, name: str):  # noqa: ANN201
        """Recommendations, showing strategy ``name``; its page."""
        rec = self.show_tab("recommendations")
        if rec is None:
            return None
        rec.choose(name, remember=False)
        return rec.panel(name)

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

            tab.message.show_error(self.tr("Could not show {tab}: {error}").format(
                tab=self.tabs.tabText(self.tabs.currentIndex()), error=one_line(exc)),
                _traceback(exc))

    # -- actions ------------------------------------------------------------------------------
    def act(self, action: str) -> None:
        """What the Start page asks for: "demo", "import", "open" or "open:PATH"."""
        if action == "demo":
            data = self.tab("data")
            if data is not None:
                data.load_demo()
                self.show_tab("data")
        elif action == "import":
            self.import_files()
        elif action == "open":
            self.open_workspace()
        elif action.startswith("open:"):
            self.switch_workspace(action[5:])
        elif action.startswith("use:"):
            rec = self.tab("recommendations")
            if rec is not None:
                rec.choose(action[4:])
                rec.stale = True
            export = self.tab("export")
            if export is not None:
                export.stale = True

    def _update_title(self) -> None:
        self.setWindowTitle(f"ShopRec — {self.session.path.name}")
        self.workspace_label.setText(str(self.session.path))
        self.workspace_label.setToolTip(self.tr(
            "The workspace file: all of this shop's data and what ShopRec learned"))

    def import_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Import shop exports"), "",
            self.tr("Shop exports (*.csv *.tsv *.txt *.dat);;All files (*)"))
        if files:
            self.preview_import([Path(f) for f in files])

    def preview_import(self, files: list[Path]) -> QDialog:
        """Show how ``files`` will be read (mapping editable); import them when accepted."""
        from .import_preview import ImportPreviewDialog

        dialog = ImportPreviewDialog(files, self.session.pm, self)
        self.import_dialog = dialog

        def accepted() -> None:
            data = self.show_tab("data")
            if data is not None:
                data.import_files(files, options=dialog.options())

        dialog.accepted.connect(accepted)
        dialog.finished.connect(lambda _r: setattr(self, "import_dialog", None))
        dialog.open()
        return dialog

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        files = [f for f in files if f.is_file()]
        if not files:
            return
        event.acceptProposedAction()
        workspaces = [f for f in files if f.suffix == ".shoprec"]
        if workspaces:
            self.switch_workspace(str(workspaces[0]))
        else:
            self.preview_import(files)

    def switch_workspace(self, path: str) -> bool:
        """Open another workspace file and rebuild the tabs; False when it cannot be opened."""
        if any(job.running for job in running_jobs()):
            QMessageBox.information(self, "ShopRec",
                                    self.tr("Wait for the running work to finish first."))
            return False
        try:
            self.session.open(path)
        except (WorkspaceError, OSError) as exc:
            text = self.tr("Could not open {path}: {error}").format(path=path, error=exc)
            self.statusBar().showMessage(text, 10000)
            QMessageBox.warning(self, "ShopRec", text)
            return False
        settings.add_recent_workspace(path)
        self.build_tabs()
        self.statusBar().showMessage(self.tr("Opened {path}").format(path=path), 5000)
        return True

    def open_and_import(self, path: str, files: list) -> None:
        """Switch to workspace ``path`` and import ``files`` there unless it has data already
        (the demo shop lives in its own workspace, never mixed into a real shop's)."""
        if str(path) != str(self.session.path) and not self.switch_workspace(str(path)):
            return
        tab = self.show_tab("data")
        if tab is not None and self.session.info()["imports"] == 0:
            tab.import_files([Path(f) for f in files])

    def open_workspace(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open workspace"), str(self.session.path.parent),
            self.tr("ShopRec workspace (*.shoprec *.sqlite *.db);;All files (*)"))
        if path:
            self.switch_workspace(path)

    def new_workspace(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("New workspace"), str(self.session.path.parent / "shop.shoprec"),
            self.tr("ShopRec workspace (*.shoprec *.sqlite *.db);;All files (*)"))
        if path:
            if not Path(path).suffix:
                path += ".shoprec"
            self.switch_workspace(path)

    def shortcut_rows(self) -> list[tuple[str, str]]:
        texts = (
            self.tr("Import files"), self.tr("Go to a tab"),
            self.tr("Search customers (Customers tab)"),
            self.tr("Learn (Recommendations tab)"), self.tr("Compare the ticked methods"),
            self.tr("Go to Export; Ctrl+S there writes the file"),
            self.tr("Cancel the running work of this tab"), self.tr("Refresh every tab"),
            self.tr("Open / create a workspace"), self.tr("Preferences"), self.tr("Quit"))
        return [(native_key(k), v) for k, v in zip(SHORTCUT_KEYS, texts, strict=True)]

    def show_shortcuts(self) -> None:
        rows = "".join(f"<tr><td><b>{k}</b></td><td>&nbsp;&nbsp;{v}</td></tr>"
                       for k, v in self.shortcut_rows())
        QMessageBox.information(self, self.tr("Keyboard shortcuts"), f"<table>{rows}</table>")

    def show_plugins(self) -> QDialog:
        from .tabs.plugins import PluginsTab

        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Plugins"))
        dialog.resize(860, 480)
        layout = QVBoxLayout(dialog)
        page = PluginsTab(self.session)
        layout.addWidget(page)
        page.refresh()
        self.plugins_dialog = dialog
        dialog.open()
        return dialog

    def show_preferences(self) -> None:
        from .preferences import PreferencesDialog

        dialog = PreferencesDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.apply_preferences(dialog.language(), dialog.scheme())

    def apply_preferences(self, language: str, scheme: str) -> bool:
        """Remember and apply a language and colour scheme; False while work is running."""
        if any(job.running for job in running_jobs()):
            QMessageBox.information(self, "ShopRec",
                                    self.tr("Wait for the running work to finish first."))
            return False
        settings.put("language", language)
        settings.put("scheme", scheme)
        app = QApplication.instance()
        if app is not None:
            style.apply_scheme(app, scheme)
        i18n.install(language)
        self.retranslate_chrome()
        self.build_tabs()
        self._update_title()
        return True

    def open_log_folder(self) -> bool:
        """Show the folder of ShopRec's log files in the file manager (created if missing)."""
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices
        from shoprec.core.runtime.logs import log_folder

        folder = log_folder()
        folder.mkdir(parents=True, exist_ok=True)
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def about(self) -> None:
        QMessageBox.about(
            self, self.tr("About ShopRec"),
            f"<b>ShopRec {__version__}</b><br>"
            + self.tr("Offline recommendations for small shops.") + "<br><br>"
            + self.tr("Your data stay in one workspace file on this computer:")
            + f"<br><code>{self.session.path}</code><br><br>"
            + self.tr("Offline · nothing leaves this computer"))

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
            self.statusBar().showMessage(self.tr("Stopping running work…"))
        settings.put("window/geometry", self.saveGeometry())
        settings.put("window/tab", getattr(self.tabs.currentWidget(), "key", ""))
        # Work checks its cancel token often; give it a moment so no thread outlives the window.
        QThreadPool.globalInstance().waitForDone(int(os.environ.get("SHOPREC_CLOSE_WAIT_MS", 10000)))
        self.session.close()
        event.accept()


def _traceback(exc: BaseException) -> str:
    import traceback

    return "".join(traceback.format_exception(exc))
