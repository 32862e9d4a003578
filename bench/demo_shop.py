"""The demo shop as a benchmark: generate, import, then rank with each strategy (leave-one-out).

    python bench/demo_shop.py [--customers 1500] [--strategies popularity,ease,itemknn,transformer]

Prints seconds per step and HR@10 / NDCG@10 per strategy; says whether the generated tastes are
learnable (every learned strategy should beat popularity by a wide margin).

Runtime: about 1.5 minutes on a quiet machine, most of it the transformer's one-minute budget
(generate 1.7 s, import 0.6 s, transformer fit 72 s, 2026-11-29). Results: bench/RESULTS.md,
"Quality: a real Shopify export and the demo shop".
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "2")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=1500)
    ap.add_argument("--strategies", default="popularity,ease,itemknn,transformer")
    ap.add_argument("--transformer-minutes", type=float, default=1.0)
    args = ap.parse_args()

    import torch

    torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
    from shoprec.core import engine
    from shoprec.core.demo import generate_demo_shop, import_demo_shop

    out: dict = {"customers": args.customers}
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        shop = generate_demo_shop(Path(tmp) / "shop", n_customers=args.customers)
        out["generate_s"] = round(time.perf_counter() - t, 2)
        out["files"] = shop.counts
        t = time.perf_counter()
        summaries = import_demo_shop(shop, Path(tmp) / "demo.shoprec")
        out["import_s"] = round(time.perf_counter() - t, 2)
        out["rejected"] = sum(s.rejected for s in summaries)
        from shoprec.core.store.workspace import Workspace

        with Workspace(Path(tmp) / "demo.shoprec") as ws:
            params = {"transformer": {"time_budget_min": args.transformer_minutes}}
            names = args.strategies.split(",")
            t = time.perf_counter()
            wanted = [(n, params[n]) if n in params else n for n in names]
            report = engine.evaluate(ws, wanted, protocol="loo", k=10)
            out["evaluate_s"] = round(time.perf_counter() - t, 1)
            out["users"] = report["users"]
            out["results"] = {
                name: {k: round(v, 4) if isinstance(v, float) else v for k, v in res.items()
                       if k in ("hr@10", "ndcg@10", "mrr", "coverage", "fit_seconds")}
                for name, res in report["results"].items()
            }
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
