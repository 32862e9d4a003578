"""What multi-task buys: next-purchase prediction on the Taobao UserBehavior head.

Protocol: for every customer with a purchase that has at least one event before it, the target is
their LAST purchase; the model sees only the events before it (the purchase and everything after
it are removed from training). Full ranking over all items, nothing excluded (63 % of the bought
items were viewed by the same customer before, so excluding seen items would hide the answer).
Metrics: HR@10, NDCG@10 over those customers.

Variants (same encoder, same code, same budget; only the data and loss weights differ):

- ``purchases-only``   single task: next item over purchase events only (SASRec on purchases)
- ``all-events``       single task: next event of any kind over all events, ranked by that head
- ``views-in-buys-out`` single task: all events as input, next purchase as the only target
- ``multitask``        next item + next purchase + next category, ranked by the purchase head
                       (the strategy's defaults: purchase head learned where a purchase follows)
- ``multitask-any``    the same, the purchase head trained on the next purchase however far ahead
- ``multitask-item``   the same training, ranked by the next-item head (what the extra losses
                       do to the shared encoder)
- ``core-transformer`` the built-in ``transformer`` strategy as shipped (all events, next event)
- ``strategy``         the ``multitask`` strategy as shipped: it checks the extra heads against
                       the single-task transformer on held-back customers (Compare's protocol:
                       seen items excluded) and keeps them only when they win; prints its choice

plus two references without learning: purchase popularity and "recently viewed" (the customer's
latest events, most recent first).

    python bench/multitask.py [--seeds 0,1,2] [--device cpu|cuda] [--budget 300] [--epochs N]
        [--variants a,b] [--json out.json] [--jsonl runs.jsonl]

Runtime: minutes per variant and seed (one epoch; with ``--budget 240`` the fits took 43-261 s,
2026-11-28). Results: bench/RESULTS.md, "Quality: Amazon Video and Taobao".
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from shoprec.core.data.dataset import TYPE_CODE, Catalog, Dataset
from shoprec.core.ranking.metrics import ndcg_hr
from shoprec.core.runtime import offline  # noqa: F401
from shoprec.plugins.strategies.multitask import HeadsModel as MultiTask
from shoprec.plugins.strategies.multitask import MultiTaskParams

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "taobao-userbehavior-head"
BEHAVIOUR = {"pv": "view", "cart": "cart", "fav": "fav", "buy": "purchase"}


def load(path: Path) -> tuple[Dataset, int]:
    """The log as a Dataset (catalog category = Taobao category id); returns rows skipped."""
    raw = pd.read_csv(
        path,
        header=None,
        names=["user", "item", "cat", "behav", "ts"],
        dtype=str,
        keep_default_na=False,
    )
    ok = (raw["ts"] != "") & raw["behav"].isin(list(BEHAVIOUR))
    skipped = int((~ok).sum())  # the truncated last line
    df = raw[ok]
    users, user_ids = pd.factorize(df["user"])
    items, item_ids = pd.factorize(df["item"])
    cat = Catalog.empty(len(item_ids))
    cat.category[items] = df["cat"].to_numpy()
    n = len(df)
    ds = Dataset(
        user_ids=np.asarray(user_ids, dtype=object),
        item_ids=np.asarray(item_ids, dtype=object),
        users=users,
        items=items,
        types=df["behav"].map(lambda b: TYPE_CODE[BEHAVIOUR[b]]).to_numpy(),
        times=df["ts"].astype(np.int64).to_numpy(),
        quantities=np.ones(n),
        values=np.full(n, np.nan),
        orders=np.full(n, -1),
        catalog=cat,
    )
    return ds, skipped


def split_last_purchase(ds: Dataset) -> tuple[Dataset, np.ndarray]:
    """Remove each customer's last purchase and what follows; targets (-1 = not evaluated)."""
    keep = np.ones(ds.n_events, dtype=bool)
    targets = np.full(ds.n_users, -1, dtype=np.int64)
    buy = TYPE_CODE["purchase"]
    for u in range(ds.n_users):
        lo, hi = int(ds.indptr[u]), int(ds.indptr[u + 1])
        buys = np.flatnonzero(ds.types[lo:hi] == buy)
        if len(buys) and buys[-1] > 0:
            cut = lo + int(buys[-1])
            targets[u] = ds.items[cut]
            keep[cut:hi] = False
    return ds.with_events(keep), targets


def metrics(scores: np.ndarray, targets: np.ndarray, k: int = 10) -> dict[str, float]:
    tgt = scores[np.arange(len(targets)), targets]
    ndcg, hit = ndcg_hr((scores > tgt[:, None]).sum(1), k)
    return {f"hr@{k}": float(hit.mean()), f"ndcg@{k}": float(ndcg.mean())}


def popularity_scores(train: Dataset, users: np.ndarray) -> np.ndarray:
    pop = train.item_counts(["purchase"]).astype(np.float32)
    pop += 1e-3 * train.item_counts().astype(np.float32)  # views break ties
    return np.tile(pop, (len(users), 1))


def recent_scores(train: Dataset, users: np.ndarray) -> np.ndarray:
    base = popularity_scores(train, users[:1])[0]
    base = base / (base.max() + 1)  # below 1: any seen item outranks any unseen one
    out = np.tile(base, (len(users), 1))
    for row, u in enumerate(users):
        hist = train.history(int(u))
        for age, item in enumerate(hist[::-1]):
            out[row, item] = max(out[row, item], 1.0 + 1.0 / (1 + age))
    return out


VARIANTS = {
    "purchases-only": dict(
        data="purchases", w_item=1.0, w_purchase=0.0, w_category=0.0, score_head="item"
    ),
    "all-events": dict(data="all", w_item=1.0, w_purchase=0.0, w_category=0.0, score_head="item"),
    "views-in-buys-out": dict(
        data="all",
        w_item=0.0,
        w_purchase=1.0,
        w_category=0.0,
        score_head="purchase",
        purchase_horizon=0,
    ),
    "multitask": dict(
        data="all", w_item=1.0, w_purchase=1.0, w_category=0.3, score_head="purchase"
    ),
    "multitask-any": dict(
        data="all",
        w_item=1.0,
        w_purchase=1.0,
        w_category=0.3,
        score_head="purchase",
        purchase_horizon=0,
    ),
    "multitask-item": dict(
        data="all", w_item=1.0, w_purchase=1.0, w_category=0.3, score_head="item"
    ),
}


EPOCHS = [0]  # --epochs, shared by every variant


def run_core_transformer(
    train: Dataset, users: np.ndarray, targets: np.ndarray, seed: int, device, budget: float
) -> dict:
    """The built-in ``transformer`` strategy (core profiles, next event of any kind), as shipped."""
    from shoprec.core.registry import get_plugin_manager

    spec = next(
        s for _, s in get_plugin_manager().collect("shoprec_strategies") if s.name == "transformer"
    )
    model = spec.create(spec.params(time_budget_min=budget / 60.0, text="off"))
    model.seed, model.device = seed, device
    t0 = time.monotonic()
    model.fit(train)
    res = metrics(model.logits(users), targets)
    res.update(fit_s=round(time.monotonic() - t0, 1))
    return res


def run_strategy(
    train: Dataset, users: np.ndarray, targets: np.ndarray, seed: int, device, budget: float
) -> dict:
    """The ``multitask`` strategy as shipped (heads chosen on its own validation)."""
    from shoprec.core import engine

    spec = engine.strategy_specs()["multitask"]
    t0 = time.monotonic()
    model = engine.fit_strategy(spec, spec.params(time_budget_min=budget / 60.0), train,
                                device=device, seed=seed)
    res = metrics(model.logits(users), targets)
    res.update(fit_s=round(time.monotonic() - t0, 1), choice=model.describe(),
               validation={k: round(v, 4) for k, v in model.validation.items()})
    return res


def run_variant(
    name: str,
    train: Dataset,
    users: np.ndarray,
    targets: np.ndarray,
    seed: int,
    device: torch.device,
    budget: float,
    negatives: int,
) -> dict:
    if name == "core-transformer":
        return run_core_transformer(train, users, targets, seed, device, budget)
    if name == "strategy":
        return run_strategy(train, users, targets, seed, device, budget)
    spec = dict(VARIANTS[name])
    data = spec.pop("data")
    ds = train if data == "all" else train.with_events(train.types == TYPE_CODE["purchase"])
    model = MultiTask(
        MultiTaskParams(time_budget_min=budget / 60, negatives=negatives, epochs=EPOCHS[0], **spec)
    )
    model.seed, model.device = seed, device
    t0 = time.monotonic()
    model.fit(ds)
    fit_s = time.monotonic() - t0
    res = metrics(model.logits(users), targets)
    last = model.history[-1] if model.history else {}
    res.update(
        fit_s=round(fit_s, 1),
        epochs=len(model.history),
        best_val_ndcg10=max((h.get("val_ndcg10", 0) for h in model.history), default=0),
        last_losses={k: round(v, 3) for k, v in last.items() if k.startswith("loss_")},
    )
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA / "UserBehavior.csv")
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--budget", type=float, default=300.0, help="seconds per fit")
    ap.add_argument(
        "--epochs", type=int, default=0, help="most epochs per fit (0: early stopping decides)"
    )
    ap.add_argument("--negatives", type=int, default=1024)
    ap.add_argument("--variants", default=",".join([*VARIANTS, "core-transformer", "strategy"]))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--jsonl", type=Path, help="append each finished run here as it completes")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    EPOCHS[0] = args.epochs
    device = torch.device(args.device)

    ds, skipped = load(args.data)
    train, targets_all = split_last_purchase(ds)
    users = np.flatnonzero(targets_all >= 0)
    targets = targets_all[users]
    print(
        f"{ds.n_users} customers, {ds.n_items} items, {ds.n_events} events "
        f"({skipped} malformed row skipped); {len(users)} next-purchase targets",
        flush=True,
    )
    results: dict[str, dict] = {}
    for name, fn in (("popularity", popularity_scores), ("recently-viewed", recent_scores)):
        results[name] = {"seeds": [metrics(fn(train, users), targets)]}
        print(name, results[name]["seeds"][0], flush=True)
    for name in args.variants.split(","):
        runs = []
        for seed in (int(s) for s in args.seeds.split(",")):
            try:
                r = run_variant(
                    name, train, users, targets, seed, device, args.budget, args.negatives
                )
            except Exception as exc:  # one broken variant must not lose the others' numbers
                print(name, seed, "FAILED", repr(exc), flush=True)
                continue
            runs.append(r)
            print(name, seed, r, flush=True)
            if args.jsonl:
                with args.jsonl.open("a") as fh:
                    fh.write(json.dumps({"variant": name, "seed": seed, **r}) + "\n")
        if not runs:
            continue
        results[name] = {"seeds": runs}
    table = {}
    for name, r in results.items():
        hr = [s["hr@10"] for s in r["seeds"]]
        nd = [s["ndcg@10"] for s in r["seeds"]]
        table[name] = {
            "hr@10": float(np.mean(hr)),
            "hr_sd": float(np.std(hr)),
            "ndcg@10": float(np.mean(nd)),
            "ndcg_sd": float(np.std(nd)),
            "fit_s": float(np.mean([s.get("fit_s", 0.0) for s in r["seeds"]])),
        }
    print("\n| variant | HR@10 | NDCG@10 | fit s |\n|---|---|---|---|")
    for name, t in table.items():
        print(
            f"| {name} | {t['hr@10']:.4f} ± {t['hr_sd']:.4f} | "
            f"{t['ndcg@10']:.4f} ± {t['ndcg_sd']:.4f} | {t['fit_s']:.0f} |"
        )
    if args.json:
        args.json.write_text(
            json.dumps(
                {"results": results, "table": table, "device": str(device), "argv": sys.argv[1:]},
                indent=1,
            )
        )
    return 0


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "2")
    sys.exit(main())
