"""The desktop worker: core calls off the GUI thread, progress/result/error/cancel back on it."""

from __future__ import annotations

import threading
import time

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QThread  # noqa: E402
from shoprec.core.contracts.progress import CancelToken, ProgressUpdate, check, report  # noqa: E402
from shoprec.core.store.workspace import Workspace  # noqa: E402
from shoprec.desktop import worker  # noqa: E402

pytestmark = pytest.mark.gui


def slow_sum(n: int, progress=None, cancel: CancelToken | None = None) -> int:
    total = 0
    for i in range(n):
        check(cancel)
        total += i
        report(progress, i + 1, n, "adding")
        time.sleep(0.002)
    return total


def test_result_and_progress_arrive_on_the_gui_thread(qtbot):
    gui_thread = QThread.currentThread()
    seen_threads: list = []
    updates: list[ProgressUpdate] = []
    job = worker.start(slow_sum, 50)
    job.progress.connect(lambda u: (updates.append(u), seen_threads.append(QThread.currentThread())))
    with qtbot.waitSignal(job.succeeded, timeout=10_000) as blocker:
        pass
    assert blocker.args == [sum(range(50))]
    assert updates, "no progress reached the GUI"
    assert all(t is gui_thread for t in seen_threads)
    # Throttled: fewer updates than calls, but the final 50/50 always arrives.
    assert len(updates) < 50
    assert updates[-1].done == 50 and updates[-1].fraction == 1.0
    assert job.outcome == "ok" and not job.running


def test_work_runs_off_the_gui_thread(qtbot):
    main = threading.get_ident()
    job = worker.start(threading.get_ident)
    with qtbot.waitSignal(job.succeeded, timeout=5_000) as blocker:
        pass
    assert blocker.args[0] != main


def test_cancel_stops_the_work_and_reports_cancelled(qtbot):
    job = worker.start(slow_sum, 100_000)
    got = []
    job.succeeded.connect(lambda r: got.append("ok"))
    job.failed.connect(lambda *a: got.append("failed"))
    job.cancelled.connect(lambda: got.append("cancelled"))
    qtbot.wait(30)
    job.cancel()
    with qtbot.waitSignal(job.finished, timeout=5_000):
        pass
    assert got == ["cancelled"]


def test_an_error_becomes_one_line_and_details_never_an_exception(qtbot):
    def broken(path: str) -> None:
        raise ValueError(f"{path}: line 3: unparseable date 'yesterday'\nmore text")

    job = worker.start(broken, "orders.csv")
    with qtbot.waitSignal(job.failed, timeout=5_000) as blocker:
        pass
    message, details = blocker.args
    assert message == "orders.csv: line 3: unparseable date 'yesterday'"
    assert "Traceback" in details and "ValueError" in details


def test_unexpected_errors_keep_their_type_in_the_message(qtbot):
    job = worker.start(lambda: {}["missing"] if False else 1 / 0)
    with qtbot.waitSignal(job.failed, timeout=5_000) as blocker:
        pass
    assert blocker.args[0].startswith("ZeroDivisionError")


def test_progress_and_cancel_are_not_forced_on_functions_without_them(qtbot):
    job = worker.start(lambda a, b: a + b, 2, 3)
    with qtbot.waitSignal(job.succeeded, timeout=5_000) as blocker:
        pass
    assert blocker.args == [5]


def test_start_in_workspace_uses_its_own_connection_on_the_worker_thread(qtbot, tmp_path):
    path = tmp_path / "shop.shoprec"
    gui_ws = Workspace(path)

    def write(ws: Workspace, value: str) -> tuple[int, bool]:
        ws.set_setting("k", value)
        return threading.get_ident(), ws.conn is gui_ws.conn

    job = worker.start_in_workspace(path, write, "v1")
    with qtbot.waitSignal(job.succeeded, timeout=5_000) as blocker:
        pass
    thread_id, shared = blocker.args[0]
    assert thread_id != threading.get_ident()
    assert not shared
    assert gui_ws.get_setting("k") == "v1"  # the GUI connection sees the worker's commit
    gui_ws.close()
    assert worker.running_jobs() == []


def test_quick_work_does_not_queue_behind_long_work(qtbot):
    gate = threading.Event()
    long_jobs = [worker.start(gate.wait, 10) for _ in range(3)]  # more than a 2-core default
    quick = worker.start(lambda: "list ready")
    with qtbot.waitSignal(quick.succeeded, timeout=5_000) as blocker:
        pass
    assert blocker.args == ["list ready"]
    gate.set()
    for job in long_jobs:
        qtbot.waitUntil(lambda j=job: not j.running, timeout=5_000)
