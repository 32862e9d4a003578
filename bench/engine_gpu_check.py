"""Engine on a GPU: train -> stored run -> reload -> recommend -> evaluate, device="cuda".

    python bench/engine_gpu_check.py [--device cuda] [--customers 4000] [--out DIR]

A synthetic shop (customers walk through items of a category in order, with noise) in an
in-memory workspace; for each strategy: the run's recorded device, timings, calibration, list
statistics, whether the reloaded run reproduces the stored lists, and a leave-one-out evaluation.

Runtime: a few minutes on one GPU (train walls of 2.4 to 44.5 s a strategy on an H200,
2026-11-28). Results: docs/notes/results-diary.md, "GPU"; summary in bench/RESULTS.md, "Speed: training".
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("SHOPREC_NO_ENTRY_POINTS", "1")

import numpy as np  # noqa: E402
from shoprec.core import engine  # noqa: E402
from shoprec.core.ranking.scoring import ListSettings  # noqa: E402
from shoprec.core.store.workspace import Workspace  # noqa: E402

LIMITS = {  # keep each fit short: this checks plumbing, not quality
    "transformer": {"time_budget_min": "1.0", "max_epochs": "30"},
    "multitask": {"time_budget_min": "1.0"},
}


def synthetic_shop(ws: Workspace, customers: int, items: int = 1000, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    cats = 20
    per = items // cats
    with ws.atomic() as conn:
        conn.executemany(
            "INSERT INTO items (external_id, title, category, price, stock, published) "
            "VALUES (?, ?, ?, ?, ?, 1)",
            [(f"I{i:05d}", f"Item {i} of line {i // per}", f"Line {i // per}",
              float(5 + i % 50), float(1 + i % 7)) for i in range(items)],
        )
        conn.executemany("INSERT INTO customers (external_id) VALUES (?)",
                         [(f"C{c:05d}",) for c in range(customers)])
        rows = []
        t0 = 1_700_000_000
        for c in range(customers):
            cat = int(rng.integers(cats))
            pos = int(rng.integers(per))
            t = t0 + int(rng.integers(0, 200)) * 86_400
            for _ in range(int(rng.integers(5, 40))):
                if rng.random() < 0.1:
                    cat = int(rng.integers(cats))
                pos = (pos + int(rng.integers(1, 3))) % per
                kind = "purchase" if rng.random() < 0.4 else "view"
                rows.append((c + 1, cat * per + pos + 1, kind, t))
                t += int(rng.integers(3600, 5 * 86_400))
        conn.executemany(
            "INSERT OR IGNORE INTO events (customer_id, item_id, type, ts) VALUES (?, ?, ?, ?)", rows
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--customers", type=int, default=4000)
    ap.add_argument("--strategies", default="popularity,transformer,multitask,als,ease")
    ap.add_argument("--out", default=os.environ.get("OUT", "bench/out"))
    args = ap.parse_args()
    ws = Workspace.memory()
    synthetic_shop(ws, args.customers)
    print("workspace", ws.info(), flush=True)
    report: dict = {"device": args.device, "customers": args.customers, "strategies": {}}
    settings = ListSettings(threshold=0.0, top_n=10)
    names = [n for n in args.strategies.split(",") if n in engine.strategy_specs()]
    for name in names:
        entry: dict = {}
        try:
            t0 = time.perf_counter()
            result = engine.train(ws, name, LIMITS.get(name), device=args.device, settings=settings)
            entry["train_wall_s"] = time.perf_counter() - t0
            entry["device"] = result.device
            entry["timings"] = result.timings
            entry["ece"] = result.calibration.ece
            entry["a_b"] = [result.calibration.a, result.calibration.b]
            entry["lists"] = result.metrics["lists"]
            stored = [(r["customer_id"], r["item_id"]) for r in engine.stored_lists(ws, result.run_id)]
            t0 = time.perf_counter()
            lists = engine.recommend(ws, result.run_id, top_n=10, threshold=0.0, device=args.device)
            entry["recommend_wall_s"] = time.perf_counter() - t0
            fresh = [(cl.customer_id, r.item_id) for cl in lists for r in cl.items]
            entry["reload_identical_lists"] = fresh == stored
            entry["reload_same_items_share"] = (
                len(set(fresh) & set(stored)) / max(len(stored), 1)
            )
        except Exception as exc:  # report and go on: this is a check, not a test
            entry["error"] = f"{type(exc).__name__}: {exc}"
        report["strategies"][name] = entry
        print(name, json.dumps(entry, default=str)[:600], flush=True)
    t0 = time.perf_counter()
    ev = engine.evaluate(ws, [(n, LIMITS.get(n)) for n in names], protocol="loo", k=10,
                         device=args.device, max_users=2000)
    report["evaluate_wall_s"] = time.perf_counter() - t0
    report["evaluate"] = {
        n: {k: v for k, v in r.items() if k not in ("reliability", "params")}
        for n, r in ev["results"].items()
    }
    for n, r in report["evaluate"].items():
        print("evaluate", n, json.dumps(r, default=str)[:400], flush=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "engine_gpu_check.json").write_text(json.dumps(report, indent=1, default=str))


if __name__ == "__main__":
    main()
