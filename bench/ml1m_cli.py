"""ML-1M through the shop owner's command line, scored as issue 4 says it will be checked.

The check: ShopRec trains on the histories only and lists top 10 for every customer; the
withheld targets are scored afterwards. This script does exactly that with the installed
``shoprec`` command, nothing from inside the code:

1. writes the 512-exact training histories (``bench/seqdata.Ml1m.history_512``) as a generic
   event log, ``customer_id,product_id,timestamp`` (one day between a customer's events, in
   their order), in a temporary folder;
2. ``shoprec --workspace W import``, ``train --strategy transformer --threshold 0`` (default
   parameters: θ = 0 so that every customer gets ten items), ``export --exporter csv``;
3. reads the exported CSV back and scores the 512 validation customers' test targets
   (HR/NDCG@10; the lists already exclude what each customer has seen).

Usage::

    python bench/ml1m_cli.py                          # the default 30-minute training
    python bench/ml1m_cli.py --param time_budget_min=1 --keep /tmp/ml1m_cli   # a quick check

Prints each command's timing and a JSON summary; appends it to ``--out``.

Runtime: about 32 minutes with the default 30-minute budget (import 4.7 s, train 30.8 min,
export 4.4 s, 2026-11-29). Results: bench/RESULTS.md, "Quality: ML-1M against the published anchors".
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ranking import ndcg_hr  # noqa: E402
from seqdata import DATA, load_ml1m  # noqa: E402

BASE = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


def write_histories(path: Path, histories: list[list[int]]) -> int:
    """The histories as a generic event log; customer ``u`` + 1 and item ``i`` + 1 keep the
    split's own 1-based ids. Returns the number of rows written."""
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["customer_id", "product_id", "timestamp"])
        for u, items in enumerate(histories):
            for pos, item in enumerate(items):
                when = BASE + dt.timedelta(days=pos)
                out.writerow([u + 1, item + 1, when.strftime("%Y-%m-%d %H:%M:%S")])
                rows += 1
    return rows


def shoprec(workspace: Path, *args: str) -> tuple[str, float]:
    """Run ``shoprec --workspace W ARGS`` (the one installed next to this Python); its stdout
    and the seconds it took. A failure stops the benchmark with the command's own message."""
    exe = Path(sys.executable).with_name("shoprec")
    cmd = [str(exe) if exe.exists() else "shoprec", "--workspace", str(workspace), *args]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd[1:])} failed ({done.returncode}): {done.stderr.strip()}")
    print(f"  {' '.join(args[:3])}: {seconds:.1f} s", flush=True)
    return done.stdout, seconds


def read_lists(path: Path) -> dict[int, list[int]]:
    """customer index → its listed item indices in rank order, from the exported CSV."""
    lists: dict[int, list[tuple[int, int]]] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            lists.setdefault(int(row["customer_id"]) - 1, []).append(
                (int(row["rank"]), int(row["item_id"]) - 1))
    return {u: [i for _, i in sorted(r)] for u, r in lists.items()}


def score(lists: dict[int, list[int]], users: np.ndarray, targets: np.ndarray,
          k: int = 10) -> dict[str, float]:
    """HR/NDCG@k of the target in each customer's list (not listed, or no list: a miss)."""
    rank = np.array([lists.get(int(u), []).index(int(t)) if int(t) in lists.get(int(u), []) else k
                     for u, t in zip(users, targets, strict=True)])
    ndcg, hit = ndcg_hr(rank, k)
    return {"ndcg@10": round(float(ndcg.mean()), 4), "hr@10": round(float(hit.mean()), 4)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--param", action="append", default=[],
                    help="NAME=VALUE passed to `shoprec train` (default: none, the defaults)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "ml1m_cli.jsonl")
    args = ap.parse_args()
    if not (DATA / "ml-1m-gsasrec").exists():
        sys.exit(f"{DATA / 'ml-1m-gsasrec'} is not here: this benchmark needs ../shared/data")

    data = load_ml1m()
    histories = data.history_512()
    work = args.keep or Path(tempfile.mkdtemp(prefix="shoprec-ml1m-"))
    work.mkdir(parents=True, exist_ok=True)
    events, workspace, lists_csv = work / "histories.csv", work / "ml1m.shoprec", work / "lists.csv"
    if workspace.exists():
        workspace.unlink()
    try:
        rows = write_histories(events, histories)
        out: dict = {"dataset": "ml-1m-gsasrec (512 exact, through the CLI)", "rows": rows,
                     "params": args.param, "seed": args.seed, "threads": os.cpu_count()}
        imported, out["import_seconds"] = shoprec(workspace, "import", str(events), "--json")
        out["import"] = json.loads(imported)
        train_args = ["train", "--strategy", "transformer", "--threshold", "0",
                      "--seed", str(args.seed), "--json"]
        for p in args.param:
            train_args += ["--param", p]
        trained, out["train_seconds"] = shoprec(workspace, *train_args)
        run = json.loads(trained)
        out["run"] = {k: run.get(k) for k in ("run_id", "device", "timings", "calibration")}
        _, out["export_seconds"] = shoprec(workspace, "export", "--exporter", "csv",
                                           "--out", str(lists_csv))
        lists = read_lists(lists_csv)
        out["customers_listed"] = len(lists)
        out["short_lists"] = sum(len(v) < 10 for v in lists.values())
        out["transformer_512"] = score(lists, data.val_users, data.test[data.val_users])
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(out, indent=1, default=str))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("a") as fh:
        fh.write(json.dumps(out, default=str) + "\n")


if __name__ == "__main__":
    main()
