"""Shared fixtures. Each test gets fresh state: an in-memory workspace, a fresh plugin manager."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("SHOPREC_NO_ENTRY_POINTS", "1")

from shop_fixtures import cycling_taste_groups  # noqa: E402
from shoprec.core.data.dataset import Dataset  # noqa: E402
from shoprec.core.runtime import offline  # noqa: E402,F401  (tests never touch the network either)
from shoprec.core.store.workspace import Workspace  # noqa: E402

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def shared_data(*parts: str) -> Path:
    """A path under ../shared/data, skipping the test cleanly when it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data not available: {path}")
    return path


def assert_keys_hold(workspace: Workspace) -> None:
    """Every event, reject and list points at rows that exist (imports skip the per-row check,
    see ``core.importing.run``), and foreign keys are enforced again."""
    try:
        if workspace.conn.in_transaction:
            return
    except sqlite3.ProgrammingError:  # the test closed it
        return
    assert workspace.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert workspace.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


@pytest.fixture
def ws():
    workspace = Workspace.memory()
    yield workspace
    assert_keys_hold(workspace)
    workspace.close()


@pytest.fixture
def ws_file(tmp_path):
    workspace = Workspace(tmp_path / "shop.shoprec")
    yield workspace
    assert_keys_hold(workspace)
    workspace.close()


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Never write into the real user data folder from a test."""
    home = tmp_path_factory.mktemp("userdata")
    monkeypatch.setenv("SHOPREC_WORKSPACE", str(home / "shop.shoprec"))
    monkeypatch.setenv("SHOPREC_HOME", str(home))
    monkeypatch.setenv("SHOPREC_LOG_DIR", str(home / "logs"))


@pytest.fixture
def tiny_dataset() -> Dataset:
    """12 users, 8 items in two taste groups: users 0-5 like items 0-3, users 6-11 items 4-7."""
    return Dataset.from_sequences(cycling_taste_groups(12, min_length=3, spread=3), n_items=8)


@pytest.fixture(scope="module")
def one_torch_thread():
    """Small tensors: one thread avoids spinning against other processes on a shared machine."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture
def make_window(qtbot, tmp_path):
    """``make(path=None, pm=None)``: a shown main window on a workspace (``tmp_path/shop.shoprec``
    by default), closed after the test."""
    from shoprec.desktop.main_window import MainWindow
    from shoprec.desktop.session import Session

    windows = []

    def make(path=None, pm=None):
        window = MainWindow(Session(path or tmp_path / "shop.shoprec", plugin_manager=pm))
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        return window

    yield make
    for w in windows:
        w.close()
