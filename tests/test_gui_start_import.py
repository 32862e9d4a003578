"""The first-run page and importing by drag and drop, with a look at the file and a column
mapping corrected before anything is written."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QDropEvent  # noqa: E402
from shoprec.core.store.workspace import Workspace  # noqa: E402
from shoprec.desktop import settings  # noqa: E402
from shoprec.desktop.main_window import MainWindow  # noqa: E402

pytestmark = pytest.mark.gui




def drop(window: MainWindow, *paths) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)


def test_the_first_run_page_offers_the_demo_my_exports_a_workspace_and_recent_ones(
        make_window, qtbot, tmp_path, monkeypatch):
    earlier = tmp_path / "earlier.shoprec"
    Workspace(earlier).close()
    settings.add_recent_workspace(earlier)
    window = make_window()
    start = window.tabs.currentWidget()
    assert start is window.tab("start")  # an empty workspace opens on the first-run page
    assert "is empty" in start.state.text()
    for button in (start.demo_button, start.import_button, start.open_button):
        assert button.isVisible() and button.isEnabled()
    # Recent workspaces: the earlier one is listed (the open one is not) and opens on a click.
    names = [start.recent_list.item(i).text() for i in range(start.recent_list.count())]
    assert len(names) == 1 and names[0].startswith("earlier.shoprec")
    start.recent_list.itemActivated.emit(start.recent_list.item(0))
    qtbot.waitUntil(lambda: window.session.path == earlier, timeout=5_000)
    assert settings.recent_workspaces()[0] == str(earlier)
    # The demo button asks the Data page to build the demo shop.
    called = []
    data = window.tab("data")
    monkeypatch.setattr(type(data), "load_demo", lambda self: called.append(self))
    window.show_tab("start")
    qtbot.mouseClick(window.tab("start").demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(called), timeout=5_000)
    # The import button opens the file chooser, then the preview.
    chosen = []
    monkeypatch.setattr(window, "import_files", lambda: chosen.append(True))
    qtbot.mouseClick(window.tab("start").import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(chosen), timeout=5_000)


def test_once_there_is_data_the_first_page_says_what_is_there_and_what_next(make_window, tmp_path):
    from test_gui_flows import fill_small_shop

    path = tmp_path / "filled.shoprec"
    fill_small_shop(path)
    window = make_window(path)
    start = window.show_tab("start")
    assert "24 customers · 12 products" in start.state.text()
    assert "Recommendations" in start.next_steps.text()


def write_log(path) -> None:
    rows = ["customer_id,item_id,event_type,timestamp,pieces"]
    for r in range(30):
        rows.append(f"{r % 6:03d},P{r % 4},purchase,2024-03-{1 + r % 28:02d} 10:00:00,{1 + r % 3}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_drop_files_see_how_they_are_read_fix_a_column_then_import(make_window, qtbot, tmp_path):
    log = tmp_path / "visits.csv"
    write_log(log)
    window = make_window()
    drop(window, log)
    dialog = window.import_dialog
    assert dialog is not None and dialog.isVisible()
    # What ShopRec detected, and the first rows as they will be read.
    assert "Generic event log" in dialog.detected.text()
    assert "utf-8" in dialog.detected.text() and "Separator: <b>,</b>" in dialog.detected.text()
    assert dialog.table.rowCount() == 1 + 8  # the mapping row, then the first rows
    assert dialog.table.item(1, 0).text() == "000"  # leading zeros kept, as imported
    header = [dialog.table.horizontalHeaderItem(c).text() for c in range(dialog.table.columnCount())]
    assert header == ["customer_id", "item_id", "event_type", "timestamp", "pieces"]
    combo = dialog.field_combos[4]
    assert combo.currentData() == "ignore" and combo.currentText() == "not imported"
    # A mapping that loses a needed field is caught before anything is written.
    dialog.set_field("customer_id", "ignore")
    assert "cannot be read this way" in dialog.problem.text()
    assert not dialog.import_button.isEnabled()
    dialog.set_field("customer_id", "customer")
    assert dialog.problem.text() == "" and dialog.import_button.isEnabled()
    # "pieces" is the quantity: say so, then import.
    dialog.set_field("pieces", "quantity")
    assert dialog.field_combos[4].currentData() == "quantity"
    assert dialog.options()[log] == (None, {"customer_id": "customer", "pieces": "quantity"})
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    data = window.tab("data")
    assert window.tabs.currentWidget() is data
    qtbot.waitUntil(lambda: data.current_job is None and not data.queue
                    and window.session.ws.count("imports") == 1, timeout=30_000)
    assert data.message.kind == "ok", data.message.text()
    quantities = [q for (q,) in window.session.conn.execute(
        "SELECT quantity FROM events")]
    assert sorted(set(quantities)) == [1, 2, 3]  # the mapped column was read as quantities


def test_dropping_a_workspace_file_opens_it(make_window, qtbot, tmp_path):
    other = tmp_path / "other.shoprec"
    Workspace(other).close()
    window = make_window()
    drop(window, other)
    assert window.session.path == other


def test_the_window_comes_back_where_it_was_left(make_window, qtbot, tmp_path):
    from test_gui_flows import fill_small_shop

    path = tmp_path / "filled.shoprec"
    fill_small_shop(path)
    first = make_window(path)
    first.resize(800, 590)  # the offscreen screen is 800 × 600: a size that fits it
    first.show_tab("compare")
    first.close()
    again = make_window(path)
    assert again.tabs.currentWidget() is again.tab("compare")
    assert again.height() == 590 != first.minimumHeight()
