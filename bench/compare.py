"""Strategies side by side: every registered strategy plus outside references, same protocol.

Runs each strategy through the engine's evaluation pieces (``core.engine.fit_strategy`` /
``calibrate_strategy``, ``core.evaluation.make_split`` / ``rank_strategy``: full ranking, seen
items excluded, the engine's calibration (sigmoid or isotonic curve) on validation targets, ECE on
the shown lists) on the fit-then-update protocol (``shoprec evaluate --no-final-pass``: the
validation interactions reach the strategies through ``update`` only, as they reach the outside
references), on:

- ``ml1m``: ../shared/data/ml-1m-gsasrec, leave-one-out (history = train line + test item; the
  test item is the target, the train line's last item the validation target);
- ``amazon``: ../shared/data/amazon-video-sasrec, leave-one-out;
- ``taobao``: ../shared/data/taobao-userbehavior-head, next purchase: each customer's last
  purchase of an item new to them is the target, everything they did before it the history;
- ``shopify``: the Alpha Paw Shopify orders export, temporal split (last 10% of time).

Outside references in the same run: ``implicit`` ALS and BPR at the same number of factors as
ShopRec's ALS (their default settings otherwise), and a plain closed-form EASE in numpy (λ=500,
the value of the EASE paper for large sets, no tuning).

    python bench/compare.py --datasets ml1m,amazon,taobao,shopify --max-users 3000 --markdown

Torch and BLAS threads are capped (``--threads``, default 1): on a shared machine more threads
spin against each other (ALS ran 14× slower with 2 threads than with 1 under load).

Runtime: tens of minutes a data set on a CPU. ML-1M with 3,000 test customers and 2-minute
transformer budgets summed about 17 minutes of fitting (2026-11-28); ``--baskets-speed`` about
2 s. Results: bench/RESULTS.md, "Quality: strategies side by side".
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

DATA = Path(os.environ.get("SHOPREC_BENCH_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
REFERENCES = ("implicit-als", "implicit-bpr", "plain-ease")
PLAIN_EASE_MAX_ITEMS = 25_000


def _limit_threads(n: int) -> None:
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(n)
    import threadpoolctl
    import torch

    torch.set_num_threads(n)
    threadpoolctl.threadpool_limits(n)


# -- data ---------------------------------------------------------------------------------------
def load_ml1m():
    from shoprec.core.data.dataset import Dataset

    root = DATA / "ml-1m-gsasrec"
    train = [line.split() for line in (root / "train" / "input.txt").read_text().splitlines()]
    test = (root / "test" / "output.txt").read_text().split()
    seqs = [[int(i) - 1 for i in t] + [int(x) - 1] for t, x in zip(train, test, strict=True)]
    return Dataset.from_sequences(seqs, n_items=max(max(s) for s in seqs) + 1)


def load_amazon(max_items: int | None):
    from shoprec.core.data.dataset import Dataset

    raw = np.loadtxt(DATA / "amazon-video-sasrec" / "Video.txt", dtype=np.int64)
    users, items = raw[:, 0] - 1, raw[:, 1] - 1
    if max_items:  # keep the most interacted items (so EASE fits on a shared CPU); order kept
        counts = np.bincount(items)
        keep_items = np.argsort(-counts, kind="stable")[:max_items]
        keep = np.isin(items, keep_items)
        users, items = users[keep], items[keep]
        _, items = np.unique(items, return_inverse=True)
    bounds = np.flatnonzero(np.diff(users)) + 1
    seqs = [list(s) for s in np.split(items, bounds)]
    return Dataset.from_sequences(seqs, n_items=int(items.max()) + 1)


def _import(path: Path, fmt: str | None = None):
    from shoprec.core.data.dataset import Dataset
    from shoprec.core.importing import import_file
    from shoprec.core.store.workspace import Workspace

    ws = Workspace.memory()
    import_file(ws, path, format=fmt)
    return Dataset.from_workspace(ws, include_idle_customers=False)


def load_taobao():
    return _import(DATA / "taobao-userbehavior-head" / "UserBehavior.csv")


def load_shopify():
    return _import(DATA / "shopify-orders-export-scrubbed" / "alphapaw_orders_export_1.scrubbed.csv")


# -- protocols ----------------------------------------------------------------------------------
def next_purchase_split(ds):
    """Each customer's last purchase of an item new to them is the target; prior events history."""
    from shoprec.core.data.dataset import TYPE_CODE, split_last
    from shoprec.core.data.split import Split
    from shoprec.core.ranking.calibration import describe_event

    cut = np.full(ds.n_users, np.iinfo(np.int64).max)  # first event index dropped per user
    targets = np.full(ds.n_users, -1)
    for u in range(ds.n_users):
        lo, hi = ds.indptr[u], ds.indptr[u + 1]
        buys = np.flatnonzero(ds.types[lo:hi] == TYPE_CODE["purchase"])
        for b in buys[::-1]:
            before = ds.items[lo : lo + b]
            if b > 0 and ds.items[lo + b] not in before:
                cut[u], targets[u] = lo + b, ds.items[lo + b]
                break
    index = np.arange(ds.n_events)
    keep = index < cut[ds.users]
    score = ds.with_events(keep)
    fit, val = split_last(score)
    test_users = np.flatnonzero(targets >= 0)
    cal_users = np.flatnonzero(val >= 0)
    return Split(
        fit=fit, cal_users=cal_users, cal_items=[np.array([val[u]]) for u in cal_users],
        cal_event=describe_event(1), cal_horizon=1, score=score, test_users=test_users,
        test_items=[np.array([targets[u]]) for u in test_users],
    )


def make_split(name: str, ds, max_users: int, seed: int):
    from shoprec.core.data.split import make_split as engine_split
    from shoprec.core.engine.compare import _subsample

    if name == "taobao":
        split = next_purchase_split(ds)
    elif name == "shopify":
        split = engine_split(ds, "temporal")
    else:
        split = engine_split(ds, "loo")
    return _subsample(split, max_users, seed)


# -- outside references -------------------------------------------------------------------------
def reference_classes():
    import scipy.sparse as sp
    import torch
    from shoprec.core.contracts.strategy import Strategy

    @dataclasses.dataclass
    class _NoParams:
        pass

    class _Reference(Strategy):
        Params = _NoParams

        def __init__(self, **kwargs: Any) -> None:
            self.kwargs = kwargs
            super().__init__()

        def state_dict(self):
            return {}

        def load_state_dict(self, state) -> None:
            pass

    class ImplicitALS(_Reference):
        name = "implicit-als"

        def fit(self, dataset, progress=None, cancel=None) -> None:
            from implicit.cpu.als import AlternatingLeastSquares

            self.dataset = dataset
            self.model = AlternatingLeastSquares(random_state=self.seed, num_threads=1, **self.kwargs)
            self.model.fit(dataset.matrix().tocsr(), show_progress=False)

        def update(self, dataset, users=None) -> None:
            self.dataset = dataset
            m = dataset.matrix().tocsr()
            self.model.partial_fit_users(np.arange(m.shape[0]), m)

        def logits(self, users, items=None):
            out = self.model.user_factors[users] @ self.model.item_factors.T
            return np.asarray(out if items is None else out[:, items], dtype=np.float32)

    class ImplicitBPR(ImplicitALS):
        name = "implicit-bpr"

        def fit(self, dataset, progress=None, cancel=None) -> None:
            from implicit.cpu.bpr import BayesianPersonalizedRanking

            self.dataset = dataset
            self.model = BayesianPersonalizedRanking(random_state=self.seed, num_threads=1, **self.kwargs)
            self.model.fit(dataset.matrix().tocsr(), show_progress=False)

        def update(self, dataset, users=None) -> None:  # BPR has no fold-in: factors as trained
            self.dataset = dataset

    class PlainEASE(_Reference):
        name = "plain-ease"

        def fit(self, dataset, progress=None, cancel=None) -> None:
            if dataset.n_items > PLAIN_EASE_MAX_ITEMS:  # three dense float64 I×I matrices
                raise MemoryError(
                    f"not run: {dataset.n_items} items need "
                    f"{3 * 8 * dataset.n_items**2 / 2**30:.0f} GiB for a dense numpy EASE"
                )
            x = dataset.matrix().astype(np.float64)
            g = (x.T @ x).toarray()
            g[np.diag_indices_from(g)] += self.kwargs.get("l2", 500.0)
            p = np.linalg.inv(g)
            b = p / -np.diag(p)
            b[np.diag_indices_from(b)] = 0.0
            self.B = b.astype(np.float32)
            self.dataset = dataset

        def logits(self, users, items=None):
            x: sp.csr_matrix = self.dataset.matrix()[users]
            out = np.asarray(x @ self.B, dtype=np.float32)
            return out if items is None else out[:, items]

    _ = torch
    return {"implicit-als": ImplicitALS, "implicit-bpr": ImplicitBPR, "plain-ease": PlainEASE}


# -- one run ------------------------------------------------------------------------------------
def measure(model_or_spec, split, *, seed: int, device, params=None, k: int = 10) -> dict[str, Any]:
    from shoprec.core import engine
    from shoprec.core.ranking import heldout
    from shoprec.core.ranking.evaluation import RANK_RULES, rank_strategy

    t0 = time.perf_counter()
    if hasattr(model_or_spec, "create"):
        model = engine.fit_strategy(model_or_spec, params or model_or_spec.params(), split.fit,
                                    device=device, seed=seed)
    else:
        model = model_or_spec
        model.seed, model.device = seed, device
        model.fit(split.fit)
        model.dataset = split.fit
    fit_seconds = time.perf_counter() - t0
    cal = heldout.calibrate_strategy(model, split.fit, split.cal_users, split.cal_items,
                                    horizon=split.cal_horizon, event=split.cal_event, seed=seed,
                                    rules=RANK_RULES)
    t0 = time.perf_counter()
    model.update(split.score)
    model.dataset = split.score
    update_seconds = time.perf_counter() - t0
    m = rank_strategy(model, split, cal, k=k)
    out = {
        "hr@10": m.hr, "ndcg@10": m.ndcg, "mrr": m.mrr, "coverage": m.coverage, "ece": m.ece,
        "fit_seconds": fit_seconds, "score_seconds": m.score_seconds + update_seconds,
        "users": m.users,
    }
    for attr in ("l2_used", "reg_used", "alpha_used", "k_used"):
        if hasattr(model, attr):
            out[attr] = getattr(model, attr)
    if hasattr(model, "describe"):
        out["note"] = model.describe()
    return out


def baskets_speed(n_lines: int = 1_000_000, n_items: int = 50_000, seed: int = 0) -> dict[str, Any]:
    """Time association-rule mining on synthetic orders: 1M line items, Zipf-popular items."""
    from shoprec.core.data.baskets import frequently_bought_together
    from shoprec.core.data.dataset import TYPE_CODE, Dataset

    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 6, size=n_lines)
    sizes = sizes[: np.searchsorted(np.cumsum(sizes), n_lines) + 1]
    order = np.repeat(np.arange(len(sizes)), sizes)[:n_lines]
    items = (rng.zipf(1.3, size=len(order)) % n_items).astype(np.int64)
    e = len(order)
    ds = Dataset(
        user_ids=np.arange(order.max() // 3 + 1).astype(str).astype(object),
        item_ids=np.arange(n_items).astype(str).astype(object),
        users=order // 3, items=items, types=np.full(e, TYPE_CODE["purchase"]), times=order * 60,
        quantities=np.ones(e), values=np.full(e, np.nan), orders=order,
    )
    t0 = time.perf_counter()
    rules = frequently_bought_together(ds)
    return {"line_items": e, "orders": int(order.max()) + 1, "items": n_items,
            "rules": len(rules), "seconds": time.perf_counter() - t0}


def run(args: argparse.Namespace) -> dict[str, Any]:
    from shoprec.core import engine
    from shoprec.core.runtime.devices import resolve_device

    device = resolve_device(args.device)
    specs = engine.strategy_specs()
    wanted = [s for s in (args.strategies.split(",") if args.strategies else sorted(specs)) if s]
    skip = set(filter(None, args.skip.split(",")))
    refs = reference_classes()
    loaders = {
        "ml1m": load_ml1m,
        "amazon": lambda: load_amazon(args.amazon_items),
        "taobao": load_taobao,
        "shopify": load_shopify,
    }
    report: dict[str, Any] = {"device": str(device), "threads": args.threads, "datasets": {}}
    for name in args.datasets.split(","):
        ds = loaders[name]()
        split = make_split(name, ds, args.max_users, args.seed)
        entry = {"users": int(ds.n_users), "items": int(ds.n_items), "events": int(ds.n_events),
                 "test_users": int(len(split.test_users)), "results": {}}
        report["datasets"][name] = entry
        print(f"== {name}: {ds.n_users} users, {ds.n_items} items, {ds.n_events} events, "
              f"{len(split.test_users)} test users", file=sys.stderr, flush=True)
        runs: list[tuple[str, Any]] = [(s, specs[s]) for s in wanted if s in specs and s not in skip]
        overrides: dict[str, dict[str, str]] = {}
        for item in args.set:
            key, _, value = item.partition("=")
            strategy, _, field = key.partition(".")
            overrides.setdefault(strategy, {})[field] = value
        # The blend's members get the same settings as their own rows (e.g. a transformer budget).
        members = ";".join(f"{s}.{f}={v}" for s, fields in overrides.items() if s != "blend"
                           for f, v in fields.items())
        if members and "member_settings" not in overrides.get("blend", {}):
            overrides.setdefault("blend", {})["member_settings"] = members
        if not args.no_references:
            factors = specs["als"].params().factors if "als" in specs else 64
            runs += [("implicit-als", refs["implicit-als"](factors=factors)),
                     ("implicit-bpr", refs["implicit-bpr"](factors=factors)),
                     ("plain-ease", refs["plain-ease"](l2=500.0))]
        for label, what in runs:
            if label in skip:
                continue
            try:
                params = engine.make_params(what, overrides[label]) if label in overrides else None
                result = measure(what, split, seed=args.seed, device=device, params=params)
            except Exception as exc:  # one failure must not hide the other numbers
                result = {"error": f"{type(exc).__name__}: {exc}".splitlines()[0]}
            entry["results"][label] = result
            print(f"   {label:16s} {json.dumps(result, default=str)}", file=sys.stderr, flush=True)
        if args.out:
            Path(args.out).write_text(json.dumps(report, indent=1, default=str))
    return report


def markdown(report: dict[str, Any]) -> str:
    lines = []
    for name, entry in report["datasets"].items():
        lines.append(f"\n**{name}** ({entry['users']} users, {entry['items']} items, "
                     f"{entry['events']} events; {entry['test_users']} test users)\n")
        lines.append("| strategy | HR@10 | NDCG@10 | coverage | ECE | fit s | scoring s |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|")
        for label, r in entry["results"].items():
            if "error" in r:
                lines.append(f"| {label} | error: {r['error'][:80]} | | | | | |")
                continue
            ece = "–" if r["ece"] is None else f"{r['ece']:.3f}"
            lines.append(
                f"| {label} | {r['hr@10']:.4f} | {r['ndcg@10']:.4f} | {r['coverage']:.3f} | {ece} "
                f"| {r['fit_seconds']:.1f} | {r['score_seconds']:.1f} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default="ml1m,amazon,taobao,shopify")
    parser.add_argument("--strategies", default="", help="comma-separated (default: all registered)")
    parser.add_argument("--skip", default="", help="strategies or references to leave out")
    parser.add_argument("--no-references", action="store_true")
    parser.add_argument("--max-users", type=int, default=3000, help="test customers per dataset")
    parser.add_argument("--amazon-items", type=int, default=8000, help="0 = the whole catalog")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--set", action="append", default=[], metavar="NAME.FIELD=VALUE",
                        help="a strategy parameter, e.g. transformer.time_budget_min=2")
    parser.add_argument("--out", default="")
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--baskets-speed", action="store_true",
                        help="only time rule mining on 1M synthetic line items")
    args = parser.parse_args()
    _limit_threads(args.threads)
    if args.baskets_speed:
        print(json.dumps(baskets_speed()))
        return
    report = run(args)
    print(markdown(report) if args.markdown else json.dumps(report, indent=1, default=str))


if __name__ == "__main__":
    main()
