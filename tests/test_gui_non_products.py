"""The Data page shows what lists never show (postage, fees, vouchers) and keeps the owner's word."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from shoprec.core.store.workspace import Workspace  # noqa: E402
from shoprec.desktop.main_window import MainWindow  # noqa: E402
from shoprec.desktop.session import Session  # noqa: E402

pytestmark = pytest.mark.gui
T0 = 1_700_000_000


def _shop(path) -> None:
    ws = Workspace(path)
    with ws.atomic() as conn:
        for key, ext, title in ((1, "MUG", "Enamel mug"), (2, "POST", "POSTAGE"),
                                (3, "PIN", "Enamel pin"), (4, "GV", "Gift Voucher - R 500.00")):
            conn.execute("INSERT INTO items (id, external_id, title) VALUES (?, ?, ?)",
                         (key, ext, title))
        for c in range(6):
            conn.execute("INSERT INTO customers (id, external_id) VALUES (?, ?)", (c + 1, f"C{c}"))
            for k, item in enumerate((1, 2, 3)):
                conn.execute("INSERT INTO events (customer_id, item_id, type, ts, order_id, line_no) "
                             "VALUES (?, ?, 'purchase', ?, ?, ?)", (c + 1, item, T0 + c, f"#{c}", k))
    ws.close()


@pytest.fixture
def data_page(qtbot, tmp_path):
    path = tmp_path / "shop.shoprec"
    _shop(path)
    win = MainWindow(Session(path))
    qtbot.addWidget(win)
    win.show()
    page = win.show_tab("Data")
    yield page
    win.close()


def _rows(page) -> dict[str, tuple[str, str]]:
    table = page.non_products
    return {table.item(r, 0).text(): (table.item(r, 2).text(), table.item(r, 3).text())
            for r in range(table.rowCount())}


def test_non_products_are_listed_with_why_and_the_owner_changes_them(qtbot, data_page):
    page = data_page
    qtbot.waitUntil(lambda: page.non_products.rowCount() >= 2, timeout=20_000)
    rows = _rows(page)
    assert set(rows) == {"POST", "GV"}
    assert "postage" in rows["POST"][0] and rows["POST"][1] == "kept out"
    assert page.lower_tabs.tabText(1) == "Not recommended (2)"

    page.choose("PIN", "out")  # what "Keep an item out…" does with the id typed in
    qtbot.waitUntil(lambda: "PIN" in _rows(page), timeout=20_000)
    assert _rows(page)["PIN"] == ("kept out of lists by you", "kept out by you")

    page.non_products.selectRow(list(_rows(page)).index("GV"))
    assert page.allow_button.isEnabled() and not page.undo_button.isEnabled()
    page.allow_button.click()  # the voucher is a real product here: recommend it after all
    qtbot.waitUntil(lambda: _rows(page).get("GV", ("", ""))[1] == "recommended: your choice",
                    timeout=20_000)
    with Workspace(page.session.path) as ws:
        assert dict(ws.conn.execute("SELECT i.external_id, c.recommend FROM item_choices c "
                                    "JOIN items i ON i.id = c.item_id")) == {"PIN": 0, "GV": 1}


def test_an_unknown_item_id_is_a_message_not_a_crash(qtbot, data_page):
    data_page.choose("NOPE", "out")
    assert "NOPE" in data_page.message.text()
