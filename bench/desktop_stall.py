"""Does the window stay responsive during an import and a training run? An event-loop probe.

    python bench/desktop_stall.py [--rows 1000000] [--strategy ease]

A QTimer fires every 10 ms on the GUI thread and records the gap since it last fired; a gap far
above 10 ms is time the window could not repaint or react. The bench drives the real window:
it writes an event log of ``--rows`` rows, imports it through the Data page (as a drop would),
then trains ``--strategy`` through its Recommendations page, and prints the worst gap, the 99th
percentile and how many gaps exceeded 100 ms during each. Offscreen Qt unless a display is set.

Runtime: about 1.5 minutes with ``--rows 1000000 --strategy popularity`` (import 9-14 s, learning
35-74 s, 2026-12-07). Results: bench/RESULTS.md, "Speed: desktop event-loop stalls".
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def write_log(path: Path, rows: int, customers: int = 20_000, items: int = 3_000) -> None:
    rnd = random.Random(0)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("customer_id,item_id,event_type,timestamp,quantity\n")
        t0 = 1_700_000_000
        for r in range(rows):
            kind = "purchase" if rnd.random() < 0.3 else "view"
            fh.write(f"C{rnd.randrange(customers)},P{int(rnd.paretovariate(1.2)) % items},"
                     f"{kind},{t0 + r * 37},1\n")


class Probe:
    def __init__(self, app) -> None:  # noqa: ANN001
        from PySide6.QtCore import QTimer

        self.app = app
        self.gaps: list[float] = []
        self.where = lambda: ""  # what was running, for the gaps worth naming
        self.big: list[tuple[float, str]] = []
        self.last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def tick(self) -> None:
        now = time.perf_counter()
        gap = (now - self.last) * 1000
        self.gaps.append(gap)
        if gap > 100:
            self.big.append((gap, self.where()))
        self.last = now

    def run_until(self, done, limit_s: float) -> list[float]:  # noqa: ANN001
        self.gaps, self.big, self.last = [], [], time.perf_counter()
        start = time.perf_counter()
        while not done() and time.perf_counter() - start < limit_s:
            self.app.processEvents()
            time.sleep(0.001)
        return self.gaps


def summary(name: str, gaps: list[float], seconds: float) -> str:
    if not gaps:
        return f"| {name} | {seconds:.1f} | – | – | – |"
    p99 = statistics.quantiles(gaps, n=100)[98] if len(gaps) >= 100 else max(gaps)
    over = sum(1 for g in gaps if g > 100)
    return f"| {name} | {seconds:.1f} | {max(gaps):.0f} | {p99:.0f} | {over} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--strategy", default="ease")
    args = parser.parse_args()
    from shoprec.desktop.app import application
    from shoprec.desktop.main_window import MainWindow
    from shoprec.desktop.session import Session

    app = application()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("SHOPREC_HOME", tmp)
        log = Path(tmp) / "events.csv"
        write_log(log, args.rows)
        window = MainWindow(Session(Path(tmp) / "stall.shoprec"))
        window.show()
        probe = Probe(app)
        lines = ["| work | seconds | worst gap ms | p99 gap ms | gaps > 100 ms |",
                 "|---|---:|---:|---:|---:|"]
        data = window.show_tab("data")
        t = time.perf_counter()
        data.import_files([log])
        gaps = probe.run_until(lambda: data.current_job is None and not data.queue, 600)
        lines.append(summary(f"import {args.rows:,} rows", gaps, time.perf_counter() - t))
        page = window.strategy_page(args.strategy)
        app.processEvents()
        t = time.perf_counter()
        page.train()
        probe.where = page.progress.status.text
        gaps = probe.run_until(lambda: page.train_job is None, 600)
        lines.append(summary(f"train {args.strategy}", gaps, time.perf_counter() - t))
        for gap, where in probe.big:
            print(f"  {gap:.0f} ms gap while: {where}")
        print(data.message.text())
        print(page.message.text())
        print("\n".join(lines))
        window.close()


if __name__ == "__main__":
    main()
