"""ML-1M through the shop owner's command line, scored on the published protocol (issue 33).

Question: how good is ShopRec's default transformer, trained as ``shoprec train`` trains, on
ML-1M's published test (all 6,040 customers, full ranking over 3,416 films, seen films
excluded), for a given wall-clock budget, and how does the published SASRec+ recipe do in the
same time on the same CPU?

Data: ``../shared/data/ml-1m-gsasrec`` (its README). ``--protocol published`` (the default):
``test/input.txt`` is imported as it is (``shoprec import --format sequences``: one customer a
line, customer = line number, events one day apart), and each customer's ``test/output.txt``
line is the target. ``--protocol 512``: the older 512-exact check (the histories of
``bench/seqdata.Ml1m.history_512`` as an event log, the 512 validation customers scored).

What it runs, with the installed ``shoprec`` command only:
``import``, then for each budget in ``--minutes`` ``train --strategy transformer --threshold 0
--seed S [--param time_budget_min=M]`` (default parameters otherwise; θ = 0 so every customer
gets ten films) and ``export --exporter csv``; the exported lists (which already leave out what
each customer has seen) are scored, HR/NDCG@10. Every budget is its own training, so a row of
the quality-against-time table is what a shop owner with that budget gets. ``--reference`` then
trains ``bench/sasrec_reference.py`` (the published SASRec+ recipe) once for the longest budget
on the same protocol, its test read at each budget (the model it would keep by then): after the
transformer, or beside it (``beside``: both share the CPU the same way, as a fair comparison on
a machine others use too).

Usage::

    python bench/ml1m_cli.py                                  # default 30-minute training, seed 0
    python bench/ml1m_cli.py --seed 1 --reference beside      # SASRec+ beside it, same time
    python bench/ml1m_cli.py --minutes 1 --also ease,als      # EASE and ALS with their defaults
    python bench/ml1m_cli.py --minutes 5,15,30 --reference after      # the whole table
    python bench/ml1m_cli.py --minutes 1 --keep /tmp/ml1m_cli # a quick check (about 2 minutes)

Prints each command's timing and the load average, and a JSON summary appended to ``--out``.
The budget is wall-clock: other work on the machine lowers the result (the load average is in
the summary).

Runtime: the sum of the budgets plus about 10 s per budget (import 5 s, export 5 s), plus the
longest budget again with ``--reference``. Results: bench/RESULTS.md, "Quality: ML-1M against
the published anchors".
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import resource
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
    t0, cpu0 = time.perf_counter(), _children_cpu()
    done = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd[1:])} failed ({done.returncode}): {done.stderr.strip()}")
    CPU_SECONDS[args[0]] = CPU_SECONDS.get(args[0], 0.0) + _children_cpu() - cpu0
    print(f"  {' '.join(args[:3])}: {seconds:.1f} s ({_children_cpu() - cpu0:.0f} CPU s)",
          flush=True)
    return done.stdout, seconds


#: CPU seconds the ``shoprec`` commands got, by command: against the wall-clock seconds, how
#: much of the 2 cores the budget really bought on a shared machine.
CPU_SECONDS: dict[str, float] = {}


def _children_cpu() -> float:
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


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


def load_average() -> str:
    """The 1/5/15-minute load averages: the budget is wall-clock, so they go beside each time."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def published(data_dir: Path) -> tuple[Path, np.ndarray]:
    """The published protocol's histories file and every customer's target (0-based item)."""
    targets = [int(line.split()[0]) - 1
               for line in (data_dir / "test" / "output.txt").read_text().splitlines()]
    return data_dir / "test" / "input.txt", np.asarray(targets)


def start_reference(minutes: list[float], seed: int, threads: int) -> subprocess.Popen:
    """Start bench/sasrec_reference.py on the published protocol for the longest budget; its
    test at each budget is the best-validation model it had by then."""
    cmd = [sys.executable, str(Path(__file__).with_name("sasrec_reference.py")), "ref",
           "--protocol", "published", "--minutes", f"{max(minutes):g}",
           "--marks", ",".join(f"{m:g}" for m in minutes), "--seed", str(seed),
           "--threads", str(threads)]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish_reference(proc: subprocess.Popen, t0: float) -> dict:
    """The reference's summary (its RESULT line) once it has finished."""
    stdout, stderr = proc.communicate()
    lines = [line for line in stdout.splitlines() if line.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:  # the transformer's rows are kept all the same
        print(f"sasrec_reference.py failed ({proc.returncode}): {stderr.strip()[-2000:]}",
              file=sys.stderr)
        return {"failed": proc.returncode, "stderr": stderr.strip()[-2000:]}
    result = json.loads(lines[-1][len("RESULT "):])
    result["seconds"] = round(time.perf_counter() - t0, 1)
    print(f"  SASRec+ reference: {result['seconds']:.0f} s, load {load_average()}", flush=True)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--protocol", choices=("published", "512"), default="published")
    ap.add_argument("--minutes", default="",
                    help="comma-separated training budgets, each its own `train` "
                         "(default: none given, the app's default budget)")
    ap.add_argument("--param", action="append", default=[],
                    help="NAME=VALUE passed to `shoprec train` (default: none, the defaults)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--also", default="",
                    help="comma-separated other strategies trained the same way with their "
                         "defaults and scored beside it, e.g. ease,als")
    ap.add_argument("--reference", choices=("no", "after", "beside"), default="no",
                    help="also train the published SASRec+ recipe for the longest budget: "
                         "after the transformer's trainings, or beside them at the same time "
                         "(both then share the CPU alike)")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1,
                    help="threads of the SASRec+ reference (the app uses all cores)")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "ml1m_cli.jsonl")
    args = ap.parse_args()
    data_dir = DATA / "ml-1m-gsasrec"
    if not data_dir.exists():
        sys.exit(f"{data_dir} is not here: this benchmark needs ../shared/data")
    budgets: list[float | None] = [float(m) for m in args.minutes.split(",") if m] or [None]

    work = args.keep or Path(tempfile.mkdtemp(prefix="shoprec-ml1m-"))
    work.mkdir(parents=True, exist_ok=True)
    workspace, lists_csv = work / "ml1m.shoprec", work / "lists.csv"
    if workspace.exists():
        workspace.unlink()
    out: dict = {"protocol": args.protocol, "params": args.param, "seed": args.seed,
                 "threads": os.cpu_count(), "load_before": load_average(),
                 "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="minutes"),
                 "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"],
                                          capture_output=True, text=True).stdout.strip()}
    ref: tuple[subprocess.Popen, float] | None = None
    try:
        if args.protocol == "published":
            events, targets = published(data_dir)
            users = np.arange(len(targets))
            import_args = ["import", str(events), "--format", "sequences", "--json"]
        else:
            data = load_ml1m()
            events = work / "histories.csv"
            out["rows"] = write_histories(events, data.history_512())
            users, targets = data.val_users, data.test[data.val_users]
            import_args = ["import", str(events), "--json"]
        if args.reference != "no" and args.protocol != "published":
            sys.exit("--reference runs on the published protocol only")
        ref_minutes = [b or 30.0 for b in budgets]
        imported, out["import_seconds"] = shoprec(workspace, *import_args)
        if args.reference == "beside":
            ref = start_reference(ref_minutes, args.seed, args.threads), time.perf_counter()
        out["import"] = json.loads(imported)
        out["budgets"] = []
        for minutes in budgets:
            train_args = ["train", "--strategy", "transformer", "--threshold", "0",
                          "--seed", str(args.seed), "--json"]
            for p in args.param + ([f"time_budget_min={minutes:g}"] if minutes else []):
                train_args += ["--param", p]
            row: dict = {"minutes": minutes or "default", "load_before": load_average()}
            cpu0 = CPU_SECONDS.get("train", 0.0)
            trained, row["train_seconds"] = shoprec(workspace, *train_args)
            row["train_cpu_seconds"] = round(CPU_SECONDS["train"] - cpu0, 1)
            run = json.loads(trained)
            row["run"] = {k: run.get(k) for k in ("run_id", "device", "timings", "training")}
            _, row["export_seconds"] = shoprec(workspace, "export", "--exporter", "csv",
                                               "--out", str(lists_csv))
            lists = read_lists(lists_csv)
            row["customers_listed"] = len(lists)
            row["short_lists"] = sum(len(v) < 10 for v in lists.values())
            row["load_after"] = load_average()
            row["transformer"] = score(lists, users, targets)
            print(f"  transformer, budget {row['minutes']}: {row['transformer']}, "
                  f"load {row['load_after']}", flush=True)
            out["budgets"].append(row)
        for name in [n for n in args.also.split(",") if n]:
            row = {"strategy": name, "load_before": load_average()}
            _, row["train_seconds"] = shoprec(workspace, "train", "--strategy", name,
                                              "--threshold", "0", "--seed", str(args.seed),
                                              "--json")
            shoprec(workspace, "export", "--exporter", "csv", "--out", str(lists_csv))
            row["quality"] = score(read_lists(lists_csv), users, targets)
            print(f"  {name}: {row['quality']}", flush=True)
            out.setdefault("also", []).append(row)
        if args.reference == "after":
            ref = start_reference(ref_minutes, args.seed, args.threads), time.perf_counter()
        if ref is not None:
            out["sasrec_reference"] = finish_reference(*ref)
            out["reference_mode"] = args.reference
    finally:
        if ref is not None and ref[0].poll() is None:
            ref[0].kill()  # this benchmark stopped early: its reference stops with it
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(out, indent=1, default=str))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("a") as fh:
        fh.write(json.dumps(out, default=str) + "\n")


if __name__ == "__main__":
    main()
