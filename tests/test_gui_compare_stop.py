"""Stopping a Compare keeps what finished: the owner sees those methods and what was not measured."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from shoprec.core import engine  # noqa: E402
from shoprec.core.contracts.progress import CancelToken  # noqa: E402
from shoprec.core.engine import plan as compare_plan  # noqa: E402
from shoprec.core.store.workspace import Workspace  # noqa: E402
from test_gui_compare_export import open_window  # noqa: E402
from test_gui_flows import fill_small_shop  # noqa: E402

pytestmark = pytest.mark.gui


def test_a_stopped_compare_shows_the_methods_that_finished(qtbot, tmp_path):
    compare_plan.forget_all()
    path = tmp_path / "shop.shoprec"
    fill_small_shop(path)
    ws = Workspace(path)
    token = CancelToken()

    def progress(update):
        if update.message.startswith("itemknn (2 of 2)"):
            token.cancel()  # Stop pressed while the second method learns

    report = engine.evaluate(ws, ["popularity", "itemknn"], device="cpu", progress=progress,
                             cancel=token)
    ws.close()
    win = open_window(qtbot, path)
    tab = win.show_tab("Compare")
    tab._evaluated(report)  # what the page receives when the stopped work returns
    assert tab.model.rowCount() == 1 and tab.model.row(0)[0] == "Best sellers"
    assert tab.message.kind == "info"
    assert "Stopped" in tab.message.text() and "not measured" in tab.message.text()
    assert "Comparison stopped" in win.statusBar().currentMessage()
    # pressing Compare again measures what is missing and reuses what finished
    tab.set_chosen(["popularity", "itemknn"])
    qtbot.mouseClick(tab.evaluate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.job is None, timeout=60_000)
    results = tab.report["results"]
    assert results["popularity"].get("reused") is True and "hr@10" in results["itemknn"]
    assert tab.model.rowCount() == 2
    win.close()
    compare_plan.forget_all()
