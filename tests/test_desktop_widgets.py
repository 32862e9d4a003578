"""The progress panel and the message bar, as a person sees them."""

from __future__ import annotations

import time

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402
from shoprec.core.progress import check, report  # noqa: E402
from shoprec.desktop import worker  # noqa: E402
from shoprec.desktop.widgets import MessageBar, ProgressPanel, plain_tooltip  # noqa: E402

pytestmark = pytest.mark.gui


def epochs(n: int, progress=None, cancel=None) -> str:
    for epoch in range(n):
        check(cancel)
        report(progress, epoch + 1, n, "training", loss=1.0 / (epoch + 1), epoch=epoch + 1)
        time.sleep(0.06)
    return "done"


def test_progress_panel_follows_a_job_then_hides(qtbot):
    panel = ProgressPanel()
    qtbot.addWidget(panel)
    panel.show()
    job = worker.start(epochs, 5)
    panel.attach(job, "Training…")
    assert panel.isVisible() and "Training…" in panel.status.text()
    qtbot.waitUntil(lambda: panel.bar.maximum() == 1000 and panel.bar.value() > 0, timeout=5000)
    qtbot.waitUntil(lambda: "loss" in panel.status.text(), timeout=5000)
    assert "training · loss" in panel.status.text() and "elapsed" in panel.status.text()
    with qtbot.waitSignal(job.finished, timeout=5000):
        pass
    assert not panel.isVisible()


def test_cancel_button_cancels_the_job(qtbot):
    panel = ProgressPanel()
    qtbot.addWidget(panel)
    panel.show()
    job = worker.start(epochs, 1000)
    panel.attach(job)
    with qtbot.waitSignal(job.cancelled, timeout=5000):
        qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
        assert panel.cancel_button.text() == "Cancelling…"
    assert job.outcome == "cancelled"


def test_message_bar_error_offers_details(qtbot):
    bar = MessageBar()
    qtbot.addWidget(bar)
    bar.show_error("orders.csv: line 7: unparseable date", "Traceback ...\nValueError: ...")
    assert bar.isVisible() and bar.kind == "error"
    assert bar.details_button.isVisibleTo(bar)
    bar.show_details()
    boxes = [w for w in bar.findChildren(QMessageBox)]
    assert boxes and boxes[-1].detailedText().startswith("Traceback")
    boxes[-1].close()
    bar.show_ok("Imported")
    assert bar.kind == "ok" and not bar.details_button.isVisibleTo(bar)
    qtbot.mouseClick(bar.close_button, Qt.MouseButton.LeftButton)
    assert not bar.isVisible()


def test_plain_tooltip_keeps_angle_brackets_literal():
    assert plain_tooltip("plain") == "plain"
    assert plain_tooltip("scored by σ(<p_u, p_i>)") == "<qt>scored by σ(&lt;p_u, p_i&gt;)</qt>"
