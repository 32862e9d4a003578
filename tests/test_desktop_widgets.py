"""The progress panel and the message bar, as a person sees them."""

from __future__ import annotations

import time

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402
from shoprec.core.contracts.progress import check, report  # noqa: E402
from shoprec.desktop import worker  # noqa: E402
from shoprec.desktop.models import fmt_prob  # noqa: E402
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
    assert "training · loss" in panel.status.text() and "so far" in panel.status.text()
    with qtbot.waitSignal(job.finished, timeout=5000):
        pass
    assert not panel.isVisible()


def test_training_progress_reads_as_phases_with_time_left(qtbot):
    from shoprec.core.contracts.progress import ProgressUpdate
    from shoprec.desktop.widgets import training_phase

    panel = ProgressPanel(phases=training_phase)
    qtbot.addWidget(panel)
    panel.show()
    job = worker.start(epochs, 1000)
    panel.attach(job, "Getting ready…")
    panel._clock.restart()
    panel.show_update(ProgressUpdate(10, 100, "fitting: epoch 1", {"loss": 5.13, "lr": 3e-5}))
    assert panel.status.text().startswith("Learning from your shop's history")
    assert "loss" not in panel.status.text() and "epoch" not in panel.status.text()
    panel.show_update(ProgressUpdate(40, 100, "calibrating"))
    assert panel.status.text().startswith("Checking the guesses")
    panel.show_update(ProgressUpdate(90, 100, "lists: 300 of 1000"))
    assert panel.status.text().startswith("Preparing every customer's list")
    # Time left follows the recent pace: 20 % in the last 10 s leaves 25 s for the last 50 %.
    panel._clock = type("Clock", (), {"isValid": lambda self: True,
                                      "elapsed": lambda self: 30_000})()
    panel._samples = [(20.0, 0.3)]
    panel.show_update(ProgressUpdate(50, 100, "fitting: epoch 9"))
    assert panel.time_left() == pytest.approx(25.0)
    assert "about 25 s left" in panel.status.text()
    job.cancel()
    with qtbot.waitSignal(job.finished, timeout=5000):
        pass


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


def test_probabilities_read_alike_down_a_list_column():
    # one decimal from 1 % up (so 4 % reads "4.0%" next to "5.2%"), two digits below
    assert [fmt_prob(p) for p in (0.6824, 0.052, 0.04, 0.0999, 0.01)] == [
        "68.2%", "5.2%", "4.0%", "10.0%", "1.0%"]
    assert [fmt_prob(p) for p in (0.0099999, 0.004, 0.00052, 0.0001)] == [
        "1.0%", "0.40%", "0.052%", "0.010%"]
    assert [fmt_prob(p) for p in (0.00001, 0.0, None, float("nan"))] == ["< 0.01%", "0%", "", ""]
