"""Training's own process: progress, result, errors and cancel arrive like a thread's."""

from __future__ import annotations

import dataclasses
import time

import pytest

pytest.importorskip("PySide6")

from shoprec.core.contracts.progress import check, report  # noqa: E402
from shoprec.desktop.process_worker import start_in_process  # noqa: E402

pytestmark = pytest.mark.gui


@dataclasses.dataclass
class Counted:
    items: int
    label: str
    timings: dict
    model: object = None  # not plain data: stays in the other process


def count_items(ws, steps: int, progress=None, cancel=None):  # noqa: ANN001
    for i in range(steps):
        check(cancel)
        report(progress, i + 1, steps, "fitting: step")
        time.sleep(0.02)
    return Counted(items=ws.count("items"), label="done", timings={"fit": 0.1}, model=object())


def fail(ws, progress=None, cancel=None):  # noqa: ANN001
    raise ValueError("orders.csv: line 7: no such column")


def test_result_and_progress_come_back_from_the_other_process(qtbot, tmp_path):
    job = start_in_process(tmp_path / "w.shoprec", count_items, 5)
    updates = []
    job.progress.connect(updates.append)
    with qtbot.waitSignal(job.finished, timeout=60_000):
        pass
    assert job.outcome == "ok"
    assert (job.result.items, job.result.label, job.result.timings) == (0, "done", {"fit": 0.1})
    assert not hasattr(job.result, "model")
    assert updates and updates[-1].message == "fitting: step"


def test_an_error_in_the_other_process_is_one_line_with_its_own_traceback(qtbot, tmp_path):
    job = start_in_process(tmp_path / "w.shoprec", fail)
    errors = []
    job.failed.connect(lambda msg, details: errors.append((msg, details)))
    with qtbot.waitSignal(job.finished, timeout=60_000):
        pass
    msg, details = errors[0]
    assert msg == "orders.csv: line 7: no such column"
    assert "def fail" in details or "in fail" in details  # the child's traceback


def test_cancel_reaches_the_other_process(qtbot, tmp_path):
    job = start_in_process(tmp_path / "w.shoprec", count_items, 100_000)
    with qtbot.waitSignal(job.progress, timeout=60_000):
        pass
    job.cancel()
    with qtbot.waitSignal(job.finished, timeout=60_000):
        pass
    assert job.outcome == "cancelled"
