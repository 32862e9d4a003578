"""Compare and Export tabs driven like a person would: tick, press, read the table, get a file."""

from __future__ import annotations

import csv

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from shoprec.core import engine  # noqa: E402
from shoprec.core.ranking.scoring import ListSettings  # noqa: E402
from shoprec.core.store.workspace import Workspace  # noqa: E402
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
    assert "press Compare" in tab.empty.text()
    tab.set_chosen(["popularity"])
    assert tab.chosen() == ["popularity"]
    qtbot.mouseClick(tab.evaluate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.job is None, timeout=60_000)
    assert not (tab.message.isVisible() and tab.message.kind == "error"), tab.message.text()
    headers = tab.model.headers
    assert headers[:3] == ["Method", "Hits in top 10", "Ranked hits @10"]
    assert "Chance error" in headers  # the metrics stay visible for the curious
    assert tab.model.rowCount() == 1
    row = tab.model.row(0)
    assert row[0] == "Best sellers"
    assert all(isinstance(v, float) and 0.0 <= v <= 1.0 for v in row[1:5])
    assert "test customers" in tab.summary.text() and "lists of 10" in tab.summary.text()
    # The answer in words comes first, with a button to use the winner.
    hr = tab.report["results"]["popularity"]["hr@10"]
    assert f"Best sellers puts the product a customer chose next in their top 10 for 1 in " \
           f"{max(1, round(1 / hr))} customers" in tab.verdict.text()
    assert tab.use_button.isVisible() and "Best sellers" in tab.use_button.text()
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
    assert f"last learned with (run {quick}," in tips["transformer"]
    assert "default settings" in tips["multitask"] and "minutes to learn" in tips["multitask"]
    tab.set_chosen(["popularity", "ease"])
    tab.refresh()  # the shop owner's own ticks survive a refresh
    assert set(tab.chosen()) == {"popularity", "ease"}
    qtbot.mouseClick(tab.evaluate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.job is None, timeout=60_000)
    results = tab.report["results"]
    assert results["popularity"]["settings_run"] == pop_run
    assert results["popularity"]["params"]["half_life_days"] == 14.0
    assert results["ease"]["settings_run"] is None
    assert "settings it last learned with" in tab.summary.text()
    train_col = tab.model.headers.index("Learning (s)")
    row = next(r for r in range(tab.model.rowCount()) if tab.model.row(r)[0] == "Best sellers")
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
    assert tab.message.kind == "error" and "Tick at least one method" in tab.message.text()
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
    tab.exporter_list.setCurrentRow(titles.index("Lists for a spreadsheet (CSV)"))
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
    tab.exporter_list.setCurrentRow(titles.index("Lists for a spreadsheet (CSV)"))
    assert not tab.export_button.isEnabled()
    assert "let ShopRec learn in the Recommendations tab" in tab.note.text()
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


def test_compare_verdict_in_words_and_use_this_strategy(qtbot, tmp_path):
    path = tmp_path / "shop.shoprec"
    fill_small_shop(path)
    ws = Workspace(path)
    engine.train(ws, "popularity", settings=ListSettings(threshold=0.0, top_n=3))
    engine.train(ws, "itemknn", settings=ListSettings(threshold=0.0, top_n=3))
    ws.close()
    win = open_window(qtbot, path)
    tab = win.show_tab("Compare")
    tab.set_chosen(["popularity", "itemknn"])
    qtbot.mouseClick(tab.evaluate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.job is None, timeout=120_000)
    results = tab.report["results"]
    best = max(results, key=lambda n: results[n]["hr@10"])
    assert tab.best == best
    titles = {"popularity": "Best sellers", "itemknn": "Customers also bought"}
    assert tab.verdict.text().startswith(f"<b>{titles[best]} puts the product")
    if best == "itemknn":
        assert "as often as Best sellers" in tab.verdict.text() \
            or "more often than Best sellers" in tab.verdict.text()
    # The winner is selected; "use this strategy" makes it the shop's method everywhere.
    assert tab.selected_name() == best
    qtbot.mouseClick(tab.use_button, Qt.MouseButton.LeftButton)
    assert tab.message.kind == "ok" and titles[best] in tab.message.text()
    assert win.session.ws.get_setting("desktop.strategy") == best
    qtbot.waitUntil(lambda: win.tab("recommendations").picker.currentItem() is not None
                    and win.tab("recommendations").picker.currentItem().data(
                        Qt.ItemDataRole.UserRole) == best, timeout=5_000)
    export = win.show_tab("Export")  # Export writes the chosen method's lists
    assert export.run_combo.currentText().startswith(titles[best])
    win.close()


def test_the_verdict_sentence_for_typical_reports():
    from shoprec.desktop.tabs.compare import verdict

    titles = {"transformer": "Next-purchase predictor", "popularity": "Best sellers"}
    report = {"k": 10, "results": {"transformer": {"hr@10": 0.142}, "popularity": {"hr@10": 0.07}}}
    best, text = verdict(report, titles)
    assert best == "transformer"
    assert text == ("Next-purchase predictor puts the product a customer chose next in their "
                    "top 10 for 1 in 7 customers, twice as often as Best sellers.")
    report["results"]["popularity"]["hr@10"] = 0.12
    assert verdict(report, titles)[1].endswith(", 18 % more often than Best sellers.")
    nothing = {"k": 10, "results": {"popularity": {"hr@10": 0.0}}}
    assert verdict(nothing, titles) == (None, "None of the methods put the product a customer "
                                              "chose next in their top 10. The shop may need "
                                              "more history.")
    failed = {"k": 10, "results": {"popularity": {"error": "boom"}}}
    assert verdict(failed, titles)[0] is None
