"""Compare and Export tabs driven like a person would: tick, press, read the table, get a file."""

from __future__ import annotations

import csv

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from shoprec.core import engine  # noqa: E402
from shoprec.core.scoring import ListSettings  # noqa: E402
from shoprec.core.workspace import Workspace  # noqa: E402
from shoprec.desktop.main_window import MainWindow  # noqa: E402
from shoprec.desktop.session import Session  # noqa: E402
from test_gui_flows import fill_small_shop  # noqa: E402  (tests/ is on sys.path)

pytestmark = pytest.mark.gui


def open_window(qtbot, path) -> MainWindow:
    win = MainWindow(Session(path))
    qtbot.addWidget(win)
    win.show()
    return win


def test_compare_measures_the_ticked_strategy_and_keeps_the_report(qtbot, tmp_path):
    path = tmp_path / "shop.shoprec"
    fill_small_shop(path)
    win = open_window(qtbot, path)
    tab = win.show_tab("Compare")
    assert "press Evaluate" in tab.empty.text()
    tab.set_chosen(["popularity"])
    assert tab.chosen() == ["popularity"]
    qtbot.mouseClick(tab.evaluate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.job is None, timeout=60_000)
    assert not (tab.message.isVisible() and tab.message.kind == "error"), tab.message.text()
    headers = tab.model.headers
    assert headers[:3] == ["Strategy", "HR@10", "NDCG@10"] and "ECE" in headers
    assert tab.model.rowCount() == 1
    row = tab.model.row(0)
    assert row[0] == "Popular now"
    assert all(isinstance(v, float) and 0.0 <= v <= 1.0 for v in row[1:5])
    assert "test customers" in tab.summary.text() and "K = 10" in tab.summary.text()
    assert tab.diagram.rows  # the reliability diagram has something to draw
    assert tab.diagram.rows == tab.report["results"]["popularity"]["reliability_by_share"]
    assert "tenth" in tab.diagram.caption and "by tenths" in tab.diagram.title
    win.close()
    # Reopening the workspace shows the last report again.
    again = open_window(qtbot, path)
    tab2 = again.show_tab("Compare")
    assert tab2.model.rowCount() == 1 and "kept in this workspace" in tab2.summary.text()
    again.close()


def test_compare_measures_strategies_as_they_were_trained(qtbot, tmp_path):
    path = tmp_path / "shop.shoprec"
    fill_small_shop(path)
    ws = Workspace(path)
    pop_run = engine.train(ws, "popularity", {"half_life_days": "14"}, device="cpu").run_id
    quick = engine.train(ws, "transformer", {"max_epochs": "1", "d_model": "16"},
                         device="cpu").run_id
    ws.close()
    win = open_window(qtbot, path)
    tab = win.show_tab("Compare")
    # a transformer that trained in seconds is ticked; the untrained multi-task one is not
    assert "transformer" in tab.chosen() and "multitask" not in tab.chosen()
    tips = {tab.strategy_list.item(i).data(Qt.ItemDataRole.UserRole):
            tab.strategy_list.item(i).toolTip() for i in range(tab.strategy_list.count())}
    assert f"newest training (run {quick}," in tips["transformer"]
    assert "default settings" in tips["multitask"] and "Trains for minutes" in tips["multitask"]
    tab.set_chosen(["popularity", "ease"])
    tab.refresh()  # the shop owner's own ticks survive a refresh
    assert set(tab.chosen()) == {"popularity", "ease"}
    qtbot.mouseClick(tab.evaluate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.job is None, timeout=60_000)
    results = tab.report["results"]
    assert results["popularity"]["settings_run"] == pop_run
    assert results["popularity"]["params"]["half_life_days"] == 14.0
    assert results["ease"]["settings_run"] is None
    assert "settings of its newest training" in tab.summary.text()
    train_col = tab.model.headers.index("Train s")
    row = next(r for r in range(tab.model.rowCount()) if tab.model.row(r)[0] == "Popular now")
    pop = results["popularity"]
    assert tab.model.row(row)[train_col] == pytest.approx(
        pop["fit_seconds"] + pop["update_seconds"])
    win.close()


def test_compare_with_nothing_ticked_says_so(qtbot, tmp_path):
    path = tmp_path / "shop.shoprec"
    fill_small_shop(path)
    win = open_window(qtbot, path)
    tab = win.show_tab("Compare")
    tab.set_chosen([])
    tab.evaluate()
    assert tab.message.kind == "error" and "Tick at least one strategy" in tab.message.text()
    assert tab.job is None
    win.close()


def test_export_writes_the_stored_lists_to_a_csv(qtbot, tmp_path):
    path = tmp_path / "shop.shoprec"
    fill_small_shop(path)
    ws = Workspace(path)
    engine.train(ws, "popularity", settings=ListSettings(threshold=0.0, top_n=3))
    ws.close()
    win = open_window(qtbot, path)
    tab = win.show_tab("Export")
    titles = [tab.exporter_list.item(i).text().splitlines()[0]
              for i in range(tab.exporter_list.count())]
    tab.exporter_list.setCurrentRow(titles.index("Lists (CSV)"))
    assert tab.path_edit.text().endswith("csv-popularity.csv")  # suggested next to the workspace
    out = tmp_path / "out" / "lists.csv"
    tab.path_edit.setText(str(out))
    assert tab.export_button.isEnabled()
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.job is None, timeout=30_000)
    assert tab.message.kind == "ok", tab.message.text()
    assert f"Wrote 72 rows for 24 customers to {out}" in tab.message.text()
    with open(out, newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) == 1 + 72
    assert tab.open_folder_button.isEnabled()
    win.close()


def test_export_without_a_trained_run_explains_what_to_do(qtbot, tmp_path):
    path = tmp_path / "shop.shoprec"
    fill_small_shop(path)
    win = open_window(qtbot, path)
    tab = win.show_tab("Export")
    titles = [tab.exporter_list.item(i).text().splitlines()[0]
              for i in range(tab.exporter_list.count())]
    tab.exporter_list.setCurrentRow(titles.index("Lists (CSV)"))
    assert not tab.export_button.isEnabled()
    assert "train a strategy" in tab.note.text()
    # Item-to-item tables need no run.
    tab.exporter_list.setCurrentRow(titles.index("Frequently bought together"))
    assert tab.export_button.isEnabled()
    win.close()


def test_export_tab_on_an_empty_workspace(qtbot, tmp_path):
    win = open_window(qtbot, tmp_path / "empty.shoprec")
    tab = win.show_tab("Export")
    assert tab.stack.currentIndex() == 0 and "No data yet" in tab.empty.text()
    compare = win.show_tab("Compare")
    assert not compare.evaluate_button.isEnabled() and "No data yet" in compare.empty.text()
    win.close()
