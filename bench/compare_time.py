"""How long a Compare of every strategy takes, through the real command.

Question: does `shoprec evaluate --strategy all` (the desktop's Compare with every method ticked,
default settings, leave-one-out) answer within its time budget, and what does it measure then?
Targets (issue 33): ≤ 10 minutes on ml-latest-small (610 customers, 9,724 rated movies; the
issue measured 44 minutes before) and ≤ 30 minutes on Amazon Video (31,013 customers, 23,715
items).

Data: ``../shared/data/ml-latest-small/ratings.csv`` (``--data mls``) or
``../shared/data/amazon-video-sasrec/Video.txt`` (``--data amazon``), imported into a new
workspace in a temporary folder.

Command: ``python bench/compare_time.py --data mls`` (or ``--data amazon``; ``--minutes M``
passes a budget other than auto). Prints the wall time, the load average before and after, and
each strategy's NDCG@10 / HR@10, training seconds and notes (learning caps, reductions).

Expected runtime: about the budget (auto: 10 minutes for mls, 30 for amazon) plus the import
(seconds). Results: bench/RESULTS.md, "Speed: training" (Compare rows).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
FILES = {"mls": DATA / "ml-latest-small" / "ratings.csv",
         "amazon": DATA / "amazon-video-sasrec" / "Video.txt"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", choices=sorted(FILES), default="mls")
    ap.add_argument("--minutes", default="auto")
    args = ap.parse_args()
    exe = [sys.executable, "-c", "import sys; from shoprec.core.cli import main; sys.exit(main())"]
    with tempfile.TemporaryDirectory() as tmp:
        ws = str(Path(tmp) / "shop.shoprec")
        subprocess.run([*exe, "--workspace", ws, "import", str(FILES[args.data])], check=True,
                       stdout=subprocess.DEVNULL)
        load = os.getloadavg()
        t0 = time.monotonic()
        out = subprocess.run([*exe, "--workspace", ws, "evaluate", "--strategy", "all",
                              "--settings", "defaults", "--minutes", args.minutes, "--json"],
                             check=True, capture_output=True, text=True).stdout
        wall = time.monotonic() - t0
    report = json.loads(out)
    print(f"{args.data}: {wall / 60:.1f} min wall (budget {report.get('budget_min')} min); "
          f"load {load[0]:.1f} before, {os.getloadavg()[0]:.1f} after")
    for name, r in report["results"].items():
        if "error" in r:
            print(f"  {name:<16} {r['error']}")
            continue
        secs = r["fit_seconds"] + r.get("update_seconds", 0.0)
        print(f"  {name:<16} NDCG@10 {r['ndcg@10']:.4f}  HR@10 {r['hr@10']:.4f}  {secs:6.0f} s"
              f"  cap {r.get('learning_cap_min')}  {r.get('note') or ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
