"""Engine evaluation on real data: full-ranking leave-one-out through ``shoprec.core.ranking.evaluation``.

    python bench/engine_eval.py [--strategies popularity,ease,...] [--diversity 0,0.3,0.6]

ML-1M (gSASRec split, 6040 users, 3416 items): each user's sequence = train line + test item, so the
test target is the published one and validation is the last train item (the "gap" variant, see the
data README). Prints one JSON line per (strategy, diversity) and a markdown table.

Runtime: about 3-5 minutes (the four fits took 156 s together in the recorded run).
Results: docs/notes/results-diary.md, "MovieLens-1M, leave-one-out" under "Engine".
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

os.environ.setdefault("SHOPREC_NO_ENTRY_POINTS", "1")

import torch  # noqa: E402
from shoprec.core.data.dataset import Dataset  # noqa: E402
from shoprec.core.engine.compare import evaluate  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from seqdata import load_ml1m  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--strategies", default="popularity")
    ap.add_argument("--diversity", default="0")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    ml = load_ml1m()
    seqs = [list(s) + [int(t)] for s, t in zip(ml.train, ml.test, strict=True)]
    ds = Dataset.from_sequences(seqs, n_items=ml.n_items)
    rows = []
    for div in [float(x) for x in args.diversity.split(",")]:
        t0 = time.perf_counter()
        report = evaluate(ds, args.strategies.split(","), protocol="loo", k=args.k,
                          diversity=div, device=args.device)
        wall = time.perf_counter() - t0
        for name, r in report["results"].items():
            r = {k: v for k, v in r.items() if k not in ("reliability", "params")}
            print(json.dumps({"strategy": name, "diversity": div, "users": report["users"],
                              "wall_seconds": wall, **r}, default=str))
            rows.append((name, div, r))
    k = args.k
    print(f"\n| strategy | diversity | HR@{k} | NDCG@{k} | MRR | coverage | ILD | ECE | fit s | score s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, div, r in rows:
        if "error" in r:
            print(f"| {name} | {div} | error: {r['error']} |")
            continue
        ild = r["intra_list_diversity"]
        ece = r["ece"]
        print(
            f"| {name} | {div} | {r[f'hr@{k}']:.4f} | {r[f'ndcg@{k}']:.4f} | {r['mrr']:.4f} | "
            f"{r['coverage']:.3f} | {ild:.3f} | {'n/a' if ece is None else f'{ece:.3f}'} | "
            f"{r['fit_seconds']:.1f} | {r['score_seconds']:.1f} |"
        )


if __name__ == "__main__":
    main()
