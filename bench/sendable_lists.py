"""Lists a shop owner can send, as `shoprec train` + `shoprec export` make them with defaults.

Question: with default settings, does every customer with a history get a full top-10 of real
products, and does the CSV export write them? Also: how long each phase of `train` takes next
to the time budget, and how long lists take per 1,000 customers.

Data: the real Shopify orders export and Amazon Video (31k customers, 24k items: the list
stage at scale) in ../shared/data (skipped when absent), and the generated demo shop.

    python bench/sendable_lists.py [--strategies transformer,ease,popularity]
                                   [--transformer-minutes 1] [--datasets shopify,demo]

Expected runtime: about a minute per strategy and dataset on 2 cores (the transformer takes
its budget). Prints one JSON line per (dataset, strategy).

Results: bench/RESULTS.md, "Lists a shop owner can send".
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "2")

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SHOPIFY = DATA / "shopify-orders-export-scrubbed"
AMAZON = DATA / "amazon-video-sasrec"  # 31k customers, 24k items: the list stage at scale


def _workspace(name: str, folder: Path):
    from shoprec.core.demo import generate_demo_shop, import_demo_shop
    from shoprec.core.importing import import_file
    from shoprec.core.store.workspace import Workspace

    path = folder / f"{name}.shoprec"
    if name == "demo":
        import_demo_shop(generate_demo_shop(folder / "demo", n_customers=1500), path)
        return Workspace(path)
    ws = Workspace(path)
    files = sorted(SHOPIFY.glob("*.csv")) if name == "shopify" else [AMAZON / "Video.txt"]
    for f in files:
        import_file(ws, f)
    return ws


def measure(ws, strategy: str, minutes: float, folder: Path) -> dict:
    from shoprec.core import engine
    from shoprec.core.data.dataset import Dataset
    from shoprec.core.data.merchandise import non_products
    from shoprec.core.shop.exporting import export

    params = {"time_budget_min": minutes} if strategy in ("transformer", "multitask") else None
    t = time.perf_counter()
    result = engine.train(ws, strategy, params)
    train_s = time.perf_counter() - t
    ds = Dataset.from_workspace(ws)
    mask, _ = non_products(ds)
    keys = set(ds.item_keys[mask].tolist())
    with_history = {int(k) for (k,) in ws.conn.execute("SELECT DISTINCT customer_id FROM events "
                                                        "WHERE type != 'refund'")}
    lengths = dict(ws.conn.execute("SELECT customer_id, COUNT(*) FROM run_lists WHERE run_id = ? "
                                   "GROUP BY customer_id", (result.run_id,)))
    full = sum(1 for c in with_history if lengths.get(c, 0) >= 10)
    bad = ws.conn.execute(
        f"SELECT COUNT(*) FROM run_lists WHERE run_id = ? AND item_id IN ({','.join('?' * len(keys)) or 'NULL'})",
        (result.run_id, *keys)).fetchone()[0]
    out = export(ws, "csv", folder / f"{strategy}.csv", run_id=result.run_id)
    t = time.perf_counter()
    engine.recommend(ws, result.run_id)
    relist_s = time.perf_counter() - t
    return {
        "strategy": strategy,
        "customers_with_history": len(with_history),
        "full_top10_share": round(full / max(1, len(with_history)), 4),
        "non_products_found": int(mask.sum()),
        "non_product_lines_in_lists": int(bad),
        "csv_rows": out.rows,
        "csv_customers": out.customers_with_items,
        "train_s": round(train_s, 1),
        "budget_s": minutes * 60 if params else None,
        "phases_s": {k: round(v, 1) for k, v in result.timings.items()},
        "lists_per_1000_customers_s": round(1000 * relist_s / max(1, ds.n_users), 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--strategies", default="transformer,ease,popularity")
    ap.add_argument("--transformer-minutes", type=float, default=1.0)
    ap.add_argument("--datasets", default="shopify,demo")
    args = ap.parse_args()
    import torch

    torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name in args.datasets.split(","):
            if name != "demo" and not DATA.exists():
                print(json.dumps({"dataset": name, "skipped": "../shared/data absent"}))
                continue
            ws = _workspace(name, folder)
            for strategy in args.strategies.split(","):
                row = measure(ws, strategy, args.transformer_minutes, folder)
                print(json.dumps({"dataset": name, **row}), flush=True)
            ws.close()


if __name__ == "__main__":
    main()
