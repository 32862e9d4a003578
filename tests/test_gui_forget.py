"""The Customers tab's "Forget this customer" action: a confirmation naming what goes, then gone."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QMessageBox  # noqa: E402
from shoprec.core.store.workspace import Workspace  # noqa: E402
from shoprec.desktop.main_window import MainWindow  # noqa: E402
from shoprec.desktop.session import Session  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, tmp_path):
    path = tmp_path / "shop.shoprec"
    with Workspace(path) as ws, ws.atomic() as conn:
        for i in range(4):
            conn.execute("INSERT INTO items (id, external_id, title) VALUES (?, ?, ?)",
                         (i + 1, f"SKU-{i}", f"Mug {i}"))
        for c in range(6):
            conn.execute("INSERT INTO customers (id, external_id, email, name) VALUES (?, ?, ?, ?)",
                         (c + 1, f"{c:04d}", f"c{c}@example.com", f"Person Number{c}"))
            for k in range(3):
                conn.execute("INSERT INTO events (customer_id, item_id, type, ts, order_id) "
                             "VALUES (?, ?, 'purchase', ?, ?)", (c + 1, (c + k) % 4 + 1,
                                                                 1_700_000_000 + k * 86_400, f"#{c}-{k}"))
    win = MainWindow(Session(path))
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def test_forget_asks_naming_what_goes_then_erases_the_customer(window, qtbot, monkeypatch):
    tab = window.show_tab("Customers")
    assert not tab.forget_button.isEnabled() or tab.customer_id is not None
    tab.customers_view.selectRow(2)
    assert tab.forget_button.isEnabled()
    ext, text = tab.forget_question()
    assert ext == "0002"
    assert "Person Number2" in text and "3 events" in text and "cannot be undone" in text
    # "Cancel" changes nothing
    monkeypatch.setattr(QMessageBox, "exec", lambda self: QMessageBox.StandardButton.Cancel)
    tab.ask_forget()
    assert window.session.ws.count("customers") == 6
    job = tab.forget_now(ext)
    with qtbot.waitSignal(job.finished, timeout=30_000):
        pass
    qtbot.waitUntil(lambda: tab.customers_model.rowCount() == 5, timeout=10_000)
    assert "Erased 1 customer(s) and 3 events" in tab.message.text()
    assert b"Person Number2" not in window.session.path.read_bytes()
