"""The transformer in the Compare tab's protocol, at several time budgets and seeds.

Runs ``engine.evaluate`` (leave-one-out, the final pass, as the Compare tab does) on the
transformer alone, with ``time_budget_min`` set to each of ``--minutes`` and every seed of
``--seeds``, and prints one JSON line per run: NDCG@10 / HR@10 and ECE on the test step,
the fit's seconds and epochs, and the validation NDCG@10 of every epoch.

    python bench/demo_transformer_probe.py WORKSPACE [--minutes 1,4,12,30] [--seeds 0,1]

WORKSPACE: any workspace, e.g. the demo's (``shoprec demo`` prints where it is). Two threads.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import torch
from shoprec.core import engine
from shoprec.core.store.workspace import Workspace


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("workspace")
    ap.add_argument("--minutes", default="30", help="comma-separated time budgets")
    ap.add_argument("--seeds", default="0", help="comma-separated seeds")
    args = ap.parse_args()
    torch.set_num_threads(2)
    with Workspace(args.workspace) as ws:
        for minutes in (float(m) for m in args.minutes.split(",")):
            for seed in (int(s) for s in args.seeds.split(",")):
                val: list[float] = []

                def progress(update, val=val) -> None:  # noqa: ANN001
                    if (update.metrics and "val_ndcg10" in update.metrics
                            and "fitting" in update.message):
                        val.append(round(float(update.metrics["val_ndcg10"]), 4))

                t0 = time.perf_counter()
                report = engine.evaluate(
                    ws, [("transformer", {"time_budget_min": minutes})], device="cpu",
                    seed=seed, progress=progress)
                r = report["results"]["transformer"]
                print(json.dumps({
                    "minutes": minutes, "seed": seed, "ndcg@10": round(r["ndcg@10"], 4),
                    "hr@10": round(r["hr@10"], 4), "ece": round(r["ece"], 4),
                    "fit_s": round(r["fit_seconds"], 1),
                    "wall_s": round(time.perf_counter() - t0, 1), "epochs": len(val),
                    "val_ndcg10": val}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
