"""The desktop program's start-up pieces: icon in the frozen layout, error dialog and log, file open."""

from __future__ import annotations

import sys

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QEvent, QUrl  # noqa: E402
from PySide6.QtGui import QFileOpenEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402
from shoprec.desktop import app as desktop_app  # noqa: E402
from shoprec.desktop.main_window import MainWindow  # noqa: E402
from shoprec.desktop.session import Session  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, tmp_path):
    win = MainWindow(Session(tmp_path / "shop.shoprec"))
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def test_icon_loads_from_the_frozen_apps_resource_folder(qapp, monkeypatch):
    # The frozen app's resources come back as a MultiplexedPath; joinpath() with two names at
    # once raised TypeError there and crashed the app before its window.
    from importlib import resources
    from importlib.resources.readers import MultiplexedPath

    folder = resources.files("shoprec.resources")
    monkeypatch.setattr(resources, "files", lambda _name: MultiplexedPath(str(folder)))
    assert not desktop_app.app_icon().isNull()


def test_unexpected_error_is_logged_and_shown_with_details(window, qtbot, monkeypatch, tmp_path):
    import logging

    monkeypatch.setenv("SHOPREC_LOG_DIR", str(tmp_path / "logs"))
    path = desktop_app.setup_logging("desktop")
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(sys, "stderr", None)  # a windowed program has none
    desktop_app._install_excepthook(window)
    try:
        raise ValueError("price column has text in it")
    except ValueError:
        sys.excepthook(*sys.exc_info())
    box = window.error_dialog
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "ValueError: price column has text in it" in box.text()
    assert str(path) in box.informativeText()
    assert "Traceback" in box.detailedText()
    for handler in logging.getLogger().handlers:
        handler.flush()
    logged = path.read_text(encoding="utf-8")
    assert "unexpected error: ValueError: price column has text in it" in logged
    assert "Traceback" in logged
    box.close()
    root = logging.getLogger()
    for handler in list(root.handlers):
        if str(getattr(handler, "baseFilename", "")).startswith(str(tmp_path)):
            root.removeHandler(handler)
            handler.close()


def test_a_workspace_opened_from_the_finder_replaces_the_current_one(window, tmp_path):
    other = tmp_path / "second shop.shoprec"
    file_open = desktop_app.FileOpenFilter(window)
    handled = file_open.eventFilter(QApplication.instance(), QFileOpenEvent(str(other)))
    assert handled
    assert window.session.path == other
    assert "second shop" in window.windowTitle()
    assert not file_open.eventFilter(window, QEvent(QEvent.Type.Show))


def test_help_menu_opens_the_log_folder(window, monkeypatch, tmp_path):
    from PySide6.QtGui import QDesktopServices

    opened = []
    monkeypatch.setenv("SHOPREC_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    help_menu = window.menuBar().actions()[-1].menu()
    action = next(a for a in help_menu.actions() if a.text().replace("&", "") == "Open log folder")
    action.trigger()
    assert opened == [QUrl.fromLocalFile(str(tmp_path / "logs"))]
    assert (tmp_path / "logs").is_dir()
