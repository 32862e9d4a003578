"""The Campaigns tab driven like a person would: choose a product, see the audience, create the
campaign, export the send group, read the report with its chart."""

from __future__ import annotations

import csv

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from shop_fixtures import build_shop  # noqa: E402
from shoprec.core import engine  # noqa: E402
from shoprec.core.shop import campaigns
from shoprec.core.store.workspace import Workspace  # noqa: E402
from shoprec.desktop.session import Session  # noqa: E402
from shoprec.desktop.tabs.campaigns import CampaignsTab  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture
def tab(qtbot, tmp_path):
    path = tmp_path / "shop.shoprec"
    with Workspace(path) as ws:
        build_shop(ws)
        engine.train(ws, "ease", device="cpu")
    session = Session(path)
    widget = CampaignsTab(session)
    qtbot.addWidget(widget)
    widget.show()
    widget.ensure_fresh()
    yield widget
    session.close()


def _wait(qtbot, tab):
    qtbot.waitUntil(lambda: tab.job is None, timeout=60_000)
    assert not (tab.message.isVisible() and tab.message.kind == "error"), tab.message.text()


def test_audience_create_export_and_report(qtbot, tab, tmp_path):
    assert not tab.create_button.isEnabled()  # nothing to create before an audience is shown
    tab.items_edit.setText("T03")
    tab.size_spin.setValue(10)
    qtbot.mouseClick(tab.preview_button, Qt.MouseButton.LeftButton)
    _wait(qtbot, tab)
    assert tab.table.rowCount() == 10
    assert tab.table.item(0, 1).text().endswith("%") and tab.table.item(0, 2).text()
    assert "10 customers" in tab.summary.text() and "percentage points" in tab.summary.text()
    tab.name_edit.setText("teapots")
    qtbot.mouseClick(tab.create_button, Qt.MouseButton.LeftButton)
    _wait(qtbot, tab)
    assert tab.campaign_list.count() == 1
    assert "8 to send, 2 held back" in tab.campaign_list.item(0).text()
    assert tab.selected_campaign() == "teapots"
    out = tmp_path / "send.csv"
    tab.exporter_combo.setCurrentIndex(tab.exporter_combo.findData("klaviyo"))
    tab.export_campaign(str(out))
    _wait(qtbot, tab)
    with open(out, newline="") as fh:
        assert len(list(csv.DictReader(fh))) == 8
    qtbot.mouseClick(tab.report_button, Qt.MouseButton.LeftButton)
    _wait(qtbot, tab)
    assert "E-mailed: 0 of 8 bought" in tab.report_label.text()
    assert [label for label, *_ in tab.chart.bars] == ["E-mailed", "Held back"]
    assert campaigns.get(tab.session.ws, "teapots").exported_at is not None


def test_an_unknown_product_is_a_one_line_error(qtbot, tab):
    tab.items_edit.setText("NOPE")
    qtbot.mouseClick(tab.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.job is None, timeout=60_000)
    assert tab.message.kind == "error" and "unknown product 'NOPE'" in tab.message.text()
    assert not tab.create_button.isEnabled()
