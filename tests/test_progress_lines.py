"""Progress a person can follow: log lines when not on a terminal, and time that moves."""

from __future__ import annotations

import io

from shoprec.core.cli import base
from shoprec.core.contracts.progress import ProgressUpdate


def test_progress_prints_whole_lines_when_the_output_is_a_log(monkeypatch):
    err = io.StringIO()  # not a terminal
    monkeypatch.setattr(base.sys, "stderr", err)
    clock = iter([0.0, 10.0, 16.0, 17.0, 18.0, 40.0])
    monkeypatch.setattr(base.time, "monotonic", lambda: next(clock))
    bar = base.TerminalProgress("train transformer", every=15.0)
    bar(ProgressUpdate(1, 100, "fitting: epoch 1"))  # the first 15 s are quiet
    bar(ProgressUpdate(3, 100, "fitting: epoch 1"))
    bar(ProgressUpdate(5, 100, "fitting: epoch 2", {"eta_s": 300.0}))  # 16 s in: a line
    bar(ProgressUpdate(6, 100, "fitting: epoch 2"))  # same phase, 1 s later: quiet
    bar(ProgressUpdate(40, 100, "calibrating"))  # a new phase: a line at once
    bar(ProgressUpdate(41, 100, "calibrating"))  # 22 s after the last line: a line
    bar.close()
    lines = err.getvalue().splitlines()
    assert lines == [
        "train transformer:   5.0% fitting: epoch 2 (about 5 min left)",
        "train transformer:  40.0% calibrating",
        "train transformer:  41.0% calibrating",
    ]
    assert "\r" not in err.getvalue()


def test_json_output_stays_free_of_progress(monkeypatch):
    err = io.StringIO()
    monkeypatch.setattr(base.sys, "stderr", err)
    bar = base.TerminalProgress("train", enabled=False)
    bar(ProgressUpdate(1, 2, "x"))
    assert err.getvalue() == ""
