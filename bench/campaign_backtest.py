"""Campaign backtests on real and demo data: would the audiences have bought?

For each shop: learn a strategy from the events before a date, pick the audience of each of the
shop's most-bought products (the ``--size`` customers likeliest to buy it), and count who bought
it in the window after. Compared with the shop-wide rate (every customer the audience could have
picked), a seeded random sample and the popularity strategy's audience (it scores everyone alike
for a product, so it sends to the most recently active customers); plus an A/A split of each
audience (nothing was sent: send minus holdout must be consistent with zero).

    nice -n 10 .venv/bin/python bench/campaign_backtest.py            # all three shops
    nice -n 10 .venv/bin/python bench/campaign_backtest.py --only shopify

Data: ../shared/data (the Shopify export, the Taobao head) and the generated demo shop. The
workspaces are made under --cache (default /tmp/shoprec-campaign-bench) once and reused.

Runtime: about 2.5 minutes on the shared 2-core machine (the workspaces are made once under
/tmp/shoprec-campaign-bench and reused). Results: bench/RESULTS.md, "Campaigns backtest".
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from pathlib import Path

import numpy as np
from shoprec.core.data.dataset import Dataset
from shoprec.core.importing import import_file
from shoprec.core.shop import backtest, campaigns
from shoprec.core.shop.experiments import pct
from shoprec.core.store.workspace import Workspace

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SHOPS = {
    # name: (files, as-of date, window days, strategy, its settings, audience size, products)
    "shopify": ([DATA / "shopify-orders-export-scrubbed" / "alphapaw_orders_export_1.scrubbed.csv"],
                "2023-05-18", 14, "ease", None, 200, 8),
    "demo": (None, None, 14, "ease", None, 100, 10),
    # 55,000 items: EASE cannot hold them, item-kNN takes minutes per fit here; ALS with fixed
    # settings (its automatic search is skipped) fits in seconds
    # single products are bought by one or two customers here: categories instead
    "taobao": ([DATA / "taobao-userbehavior-head" / "UserBehavior.csv"], "2017-12-01", 3,
               "als", {"factors": 32, "regularization": 10.0, "alpha": 10.0, "iterations": 10},
               50, 10),
}


def workspace(name: str, files: list[Path] | None, cache: Path) -> Path:
    path = cache / f"{name}.shoprec"
    if path.exists():
        return path
    cache.mkdir(parents=True, exist_ok=True)
    if files is None:
        from shoprec.core.demo import generate_demo_shop

        shop = generate_demo_shop(cache / "demo-shop")
        files = list(shop.files)
    with Workspace(path) as ws:
        for f in files:
            import_file(ws, f)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", choices=sorted(SHOPS), action="append")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/shoprec-campaign-bench"))
    ap.add_argument("--json", type=Path, default=None, help="Also write the results here.")
    args = ap.parse_args()
    out = {}
    for name in args.only or list(SHOPS):
        files, as_of, window, strategy, params, size, k = SHOPS[name]
        if files is not None and not all(f.exists() for f in files):
            print(f"{name}: data not available, skipped")
            continue
        path = workspace(name, files, args.cache)
        with Workspace(path) as ws:
            ds = Dataset.from_workspace(ws)
        if name == "taobao":
            # the importer does not keep Taobao's category column on items yet: read it here
            category = {}
            with open(files[0], encoding="utf-8") as fh:
                for line in fh:
                    parts = line.rstrip("\n").split(",")
                    if len(parts) >= 3:
                        category[parts[1]] = parts[2]
            ds.catalog.category = np.array([category.get(str(i), "") for i in ds.item_ids],
                                           dtype=object)
        if as_of is None:  # the demo: the last window of its data
            end = int(ds.times.max())
            as_of = dt.datetime.fromtimestamp(end - window * 86_400, dt.timezone.utc).strftime("%Y-%m-%d")
        moment = campaigns.parse_date(as_of)
        if name == "taobao":
            items = [backtest.CATEGORY_PREFIX + c for c in backtest.popular_categories(ds, moment, k)]
        else:
            items = backtest.popular_items(ds, moment, k)
        t0 = time.perf_counter()
        result = backtest.backtest(ds, items, as_of=moment, size=size, strategy=strategy,
                                    params=params, window_days=window, seed=0)
        seconds = time.perf_counter() - t0
        t = result.totals()
        print(f"\n## {name}: {ds.n_users:,} customers, {ds.n_items:,} items; {strategy} learned "
              f"before {as_of}, {window}-day window, audiences of {size} ({seconds:.0f} s)")
        print(result.table())
        lo, hi = t["vs_popular_ci95"]
        print(f"pooled: audience {pct(t['bought'] / t['audience_size'])}, shop-wide "
              f"{pct(t['base_expected'] / t['audience_size'])}")
        out[name] = {**result.as_dict(), "seconds": seconds, "customers": ds.n_users,
                     "items_in_shop": ds.n_items}
    if args.json:
        args.json.write_text(json.dumps(out, indent=1, default=str))


if __name__ == "__main__":
    main()
