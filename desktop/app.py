"""Start the desktop app: ``run(workspace_path)`` opens the main window and runs the event loop.

``shoprec gui`` calls :func:`run` (imported lazily, so the core and the CLI never load Qt).
:func:`create_window` builds the window without running the loop, for tests and embedding.
Offline is enforced before anything can import the Hugging Face libraries.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox
from shoprec.core.runtime import offline  # noqa: F401  (sets Hugging Face offline before anything imports it)
from shoprec.core.runtime.logs import log_file, setup_logging
from shoprec.core.store.workspace import WorkspaceError, default_workspace_path

from . import i18n, settings, style
from .main_window import MainWindow
from .session import Session

APP_NAME = "ShopRec"


def app_icon() -> QIcon:
    """The app icon (resources/icons/shoprec.svg); an empty icon if resources are missing."""
    try:
        # one part per joinpath(): the frozen app's resource reader returns a MultiplexedPath,
        # whose joinpath() takes a single name on Python 3.11
        path = resources.files("shoprec.resources").joinpath("icons").joinpath("shoprec.svg")
        with resources.as_file(path) as file:
            if Path(file).exists():
                return QIcon(str(file))
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
        pass
    return QIcon()


def application(argv: Sequence[str] | None = None) -> QApplication:
    """The running QApplication, created with ShopRec's name and icon if there is none yet."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(list(argv) if argv is not None else [sys.argv[0] if sys.argv else APP_NAME])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setWindowIcon(app_icon())
    # The language and colours the user chose (default: the system's), before any widget.
    i18n.install(settings.get("language", ""))
    scheme = settings.get("scheme", "system")
    if scheme != "system":
        style.apply_scheme(app, scheme)
    return app  # type: ignore[return-value]


def create_window(workspace_path: str | os.PathLike[str] | None = None) -> MainWindow:
    """The main window over ``workspace_path`` (default: the user's workspace), not yet shown."""
    session = Session(workspace_path or default_workspace_path())
    window = MainWindow(session)
    window.setWindowIcon(app_icon())
    return window


def error_dialog(parent: MainWindow | None, summary: str, details: str) -> QMessageBox:
    """A non-blocking dialog: what went wrong in one line, where the log is, the traceback under
    "Show Details…". Returned so tests can read it."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(QCoreApplication.translate("App", "Something went wrong"))
    box.setText(summary)
    box.setInformativeText(
        QCoreApplication.translate("App", "ShopRec keeps working. The details were written to the log file:\n{path}").format(
            path=log_file("desktop")))
    box.setDetailedText(details)
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.setObjectName("unexpectedErrorDialog")
    box.open()
    return box


def _install_excepthook(window: MainWindow) -> None:
    """Unexpected errors in slots are logged and shown in a dialog with details, never a crash.

    Nothing is written to ``sys.stderr``: a windowed program has none (it is None on Windows).
    """
    previous = sys.excepthook
    log = logging.getLogger("shoprec.desktop")

    def hook(exc_type, exc, tb) -> None:  # noqa: ANN001
        if issubclass(exc_type, KeyboardInterrupt):
            previous(exc_type, exc, tb)
            return
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        log.error("unexpected error: %s: %s\n%s", exc_type.__name__, exc, details.rstrip())
        summary = QCoreApplication.translate("App", "Something went wrong: {error}").format(error=f"{exc_type.__name__}: {exc}")
        tab = window.tabs.currentWidget()
        message = getattr(tab, "message", None)
        if message is not None:
            message.show_error(summary, details)
        window.statusBar().showMessage(summary, 10000)
        window.error_dialog = error_dialog(window, summary, details)

    sys.excepthook = hook


class FileOpenFilter(QObject):
    """macOS opens a double-clicked workspace with a file-open event, not an argument."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.FileOpen:
            path = event.file()  # type: ignore[attr-defined]
            if path and Path(path) != Path(self.window.session.path):
                self.window.switch_workspace(path)
            return True
        return False


def run(workspace_path: str | os.PathLike[str] | None = None,
        argv: Sequence[str] | None = None) -> int:
    """Open the main window over ``workspace_path`` and run until it closes; the exit status."""
    setup_logging("desktop")
    app = application(argv)
    try:
        window = create_window(workspace_path)
    except (WorkspaceError, OSError) as exc:
        logging.getLogger("shoprec.desktop").error("cannot open the workspace: %s", exc)
        QMessageBox.critical(None, APP_NAME, QCoreApplication.translate("App", "Cannot open the workspace:\n{error}").format(
            error=exc))
        return 1
    _install_excepthook(window)
    file_open = FileOpenFilter(window)
    app.installEventFilter(file_open)
    window.show()
    return int(app.exec())


if __name__ == "__main__":  # python -m shoprec.desktop.app [WORKSPACE]
    sys.exit(run(sys.argv[1] if len(sys.argv) > 1 else None))
