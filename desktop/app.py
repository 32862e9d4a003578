"""Start the desktop app: ``run(workspace_path)`` opens the main window and runs the event loop.

``shoprec gui`` calls :func:`run` (imported lazily, so the core and the CLI never load Qt).
:func:`create_window` builds the window without running the loop, for tests and embedding.
Offline is enforced before anything can import the Hugging Face libraries.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from ..core import offline  # noqa: F401  (sets Hugging Face offline before anything imports it)
from ..core.workspace import WorkspaceError, default_workspace_path
from . import i18n, settings, style
from .main_window import MainWindow
from .session import Session

APP_NAME = "ShopRec"


def app_icon() -> QIcon:
    """The app icon (resources/icons/shoprec.svg); an empty icon if resources are missing."""
    try:
        path = resources.files("shoprec.resources").joinpath("icons", "shoprec.svg")
        with resources.as_file(path) as file:
            if Path(file).exists():
                return QIcon(str(file))
    except (ModuleNotFoundError, FileNotFoundError):
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


def _install_excepthook(window: MainWindow) -> None:
    """Unexpected errors in slots become a one-line message with details, never a crash."""
    previous = sys.excepthook

    def hook(exc_type, exc, tb) -> None:  # noqa: ANN001
        if issubclass(exc_type, KeyboardInterrupt):
            previous(exc_type, exc, tb)
            return
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        sys.stderr.write(details)
        tab = window.tabs.currentWidget()
        message = getattr(tab, "message", None)
        if message is not None:
            message.show_error(QCoreApplication.translate(
                "App", "Something went wrong: {error}").format(
                error=f"{exc_type.__name__}: {exc}"), details)
        window.statusBar().showMessage(
            QCoreApplication.translate("App", "Error: {error}").format(error=exc), 10000)

    sys.excepthook = hook


def run(workspace_path: str | os.PathLike[str] | None = None,
        argv: Sequence[str] | None = None) -> int:
    """Open the main window over ``workspace_path`` and run until it closes; the exit status."""
    app = application(argv)
    try:
        window = create_window(workspace_path)
    except (WorkspaceError, OSError) as exc:
        QMessageBox.critical(None, APP_NAME, QCoreApplication.translate(
            "App", "Cannot open the workspace:\n{error}").format(error=exc))
        return 1
    _install_excepthook(window)
    window.show()
    return int(app.exec())


if __name__ == "__main__":  # python -m shoprec.desktop.app [WORKSPACE]
    sys.exit(run(sys.argv[1] if len(sys.argv) > 1 else None))
