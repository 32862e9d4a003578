"""Sequential-quality benchmark of the transformer strategy next to EASE and implicit's ALS.

Usage (one invocation per dataset; results as JSON lines appended to --out)::

    python bench/sequential.py ml1m --minutes 30 --marks 5,15,30 --threads 2
    python bench/sequential.py amazon --minutes 10 --threads 2
    python bench/sequential.py taobao --minutes 5 --threads 2
    python bench/sequential.py ml1m --minutes 6 --marks 1,2,4,6 --device cuda   # GPU, bf16

ml1m protocols (../shared/data/ml-1m-gsasrec/README.md): "512 exact" = history val input + val
output, target test output; "all users (gap)" = history train line, target test line. Full
ranking over all items, already-seen items excluded. The transformer is the app's own strategy
with its DEFAULT parameters (only the time budget is set); it trains on the histories only.
``--path app`` (the default) trains it the way ``shoprec train`` does: the budget fits it on
all but the last 10 events of a sample of customers (``engine.calibration_customers``), those
calibrate σ, and one pass over all events follows (``engine.fit_calibrated``); ``--path fit`` runs the strategy's ``fit`` alone on
everything, as runs 1-11 in docs/notes/results-diary.md did.

Runtime: the ``--minutes`` budget per transformer training, plus the tuned baselines (EASE 10.9 s
and ALS 7.4 s on ML-1M) and, for Taobao, a second training without event features unless
``--no-ablation``. ML-1M's 30-minute run took about 31 minutes (2026-11-29). Results:
bench/RESULTS.md, "Quality: ML-1M against the published anchors" and "Quality: Amazon Video and
Taobao".
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))

from baselines import als_scores, ease_scores  # noqa: E402
from ranking import ndcg_hr, ranks  # noqa: E402
from seqdata import load_amazon_video, load_ml1m, load_taobao  # noqa: E402
from shoprec.core.contracts.strategy import params_from_dict  # noqa: E402
from shoprec.core.data.dataset import TYPE_CODE, Dataset  # noqa: E402
from shoprec.core.models import transformer as prof  # noqa: E402
from shoprec.core.ranking.calibration import fit_platt, sigmoid  # noqa: E402
from shoprec.core.ranking.metrics import expected_calibration_error  # noqa: E402
from shoprec.plugins.strategies.transformer import TransformerStrategy  # noqa: E402


def metrics(scores, targets: np.ndarray, seen: list[np.ndarray] | None,
            users: np.ndarray | None = None) -> dict[str, float]:
    """HR/NDCG@10 of ``scores`` (an array, or a function of user indices for big catalogs)."""
    ndcg, hit = ndcg_hr(ranks(scores, targets, seen, users))
    return {"ndcg@10": round(float(ndcg.mean()), 4), "hr@10": round(float(hit.mean()), 4)}


def ece_before_after(scores: np.ndarray, targets: np.ndarray, seen: list[np.ndarray]) -> dict:
    """ECE over each customer's top 10 (what a list shows): σ(raw) and Platt, cross-fitted."""
    s = scores.astype(np.float64).copy()
    for r, items in enumerate(seen):
        s[r, items[items != targets[r]]] = -np.inf
    top = np.argsort(-s, axis=1)[:, :10]
    x = np.take_along_axis(s, top, axis=1)
    y = (top == np.asarray(targets)[:, None]).astype(float)
    half = np.arange(len(x)) % 2 == 0
    p_after = np.zeros_like(x)
    for fit_rows, apply_rows in ((half, ~half), (~half, half)):
        a, b = fit_platt(x[fit_rows].ravel(), y[fit_rows].ravel())
        p_after[apply_rows] = sigmoid(a * x[apply_rows] + b)
    return {"ece_raw_sigmoid": round(expected_calibration_error(sigmoid(x).ravel(), y.ravel()), 4),
            "ece_platt": round(expected_calibration_error(p_after.ravel(), y.ravel()), 4),
            "hit_rate_in_top10": round(float(y.mean()), 4)}


def train_transformer(ds: Dataset, minutes: float, device: str, seed: int, hook=None,
                      path: str = "fit", timings: dict | None = None,
                      **params) -> tuple[TransformerStrategy, float]:
    """The default transformer with ``minutes`` of budget, trained along ``path``:

    - ``"fit"``: the strategy's own ``fit`` on ``ds``;
    - ``"app"``: what ``shoprec train`` does (``engine.fit_calibrated``): fit on all but the
      last 10 events of the calibration customers, calibrate on them, then one pass over all
      events (``extend``).

    Returns the strategy and the seconds all of it took; ``timings`` receives the app's parts.
    """
    strategy = TransformerStrategy(TransformerStrategy.Params(time_budget_min=minutes, **params))
    strategy.device = torch.device(device)
    strategy.seed = seed
    strategy.eval_hook = hook
    log = []

    def progress(update):
        if "epoch" in update.metrics:
            log.append(update.metrics)
            print(f"  epoch {update.metrics['epoch']}: loss {update.metrics['loss']:.3f} "
                  f"val NDCG@10 {update.metrics['val_ndcg10']:.4f} "
                  f"lr {update.metrics.get('lr', float('nan')):.2e}", flush=True)

    t0 = time.perf_counter()
    if path == "fit":
        strategy.fit(ds, progress)
    elif path == "app":
        from shoprec.core import engine

        spec = dataclasses.replace(engine.get_spec("transformer"), factory=lambda _: strategy)
        fitted = engine.fit_calibrated(spec, strategy.params, ds, device=strategy.device,
                                       seed=seed, progress=progress)
        strategy = fitted.model
        if timings is not None:
            timings.update({k: round(v, 1) for k, v in fitted.timings.items()},
                           ece_calibration_split=round(fitted.calibration.ece, 4))
    else:
        raise ValueError(f"path must be fit or app, got {path!r}")
    return strategy, time.perf_counter() - t0


def _overrides(args) -> dict:
    """``--param name=value`` pairs as typed transformer parameters (for probes, not the table)."""
    given = dict(pair.partition("=")[::2] for pair in args.param)
    typed = params_from_dict(TransformerStrategy.Params, given)  # as `shoprec --param` reads them
    return {name: getattr(typed, name) for name in given}


def bench_ml1m(args) -> dict:
    data = load_ml1m()
    hist512 = data.history_512()
    ds = Dataset.from_sequences(hist512, n_items=data.n_items)
    ds_gap = Dataset.from_sequences(data.train, n_items=data.n_items)
    vu = data.val_users
    seen512 = [np.asarray(hist512[u]) for u in vu]
    seen_all = [np.asarray(s) for s in data.train]
    marks = sorted(float(m) for m in args.marks.split(",")) if args.marks else []
    curve: list[dict] = []
    pending = list(marks)

    def hook(encoder, elapsed):
        seqs = prof.EventSequences(ds)
        p = prof.encode_users(encoder, seqs, vu, device=torch.device(args.device))
        with torch.no_grad():
            items = encoder.item_vectors().detach().float().cpu()
        row = {"minutes": round(elapsed / 60, 2), **metrics((p @ items.T).numpy(),
                                                          data.test[vu], seen512)}
        while pending and elapsed / 60 >= pending[0] - 1e-9:
            row["mark"] = pending.pop(0)
        curve.append(row)
        print("  test 512:", row, flush=True)

    app: dict = {}
    strategy, fit_s = train_transformer(ds, args.minutes, args.device, args.seed, hook,
                                        path=args.path, timings=app, **_overrides(args))
    out: dict = {"dataset": "ml-1m-gsasrec", "device": args.device, "threads": args.threads, "seed": args.seed,
                 "params": _overrides(args), "path": args.path, "app_timings": app,
                 "budget_min": args.minutes, "fit_seconds": round(fit_s, 1),
                 "epochs": strategy.result.epochs, "best_epoch": strategy.result.best_epoch,
                 "stopped": strategy.result.stopped, "curve": curve,
                 "history": strategy.result.history,
                 "encoder": json.loads(strategy.encoder.config.to_json())}
    if strategy.result.cooldown_epoch:
        out["cooldown"] = stop_at_once(strategy.result, curve)
    t0 = time.perf_counter()
    s512 = strategy.logits(vu)
    if args.device.startswith("cuda"):
        out["cuda_peak_gib"] = round(torch.cuda.max_memory_allocated() / 2**30, 3)
        out["cuda_name"] = torch.cuda.get_device_name()
    out["transformer_512"] = metrics(s512, data.test[vu], seen512)
    out["transformer_512"]["calibration"] = ece_before_after(s512, data.test[vu], seen512)
    # all-users protocol: the same model, profiles re-encoded from the train lines (gap)
    strategy.update(ds_gap)
    t1 = time.perf_counter()
    s_all = strategy.logits(np.arange(ds.n_users))
    top = np.argpartition(-s_all, 10, axis=1)[:, :10]
    out["score_all_users_top10_seconds"] = round(time.perf_counter() - t1, 3)
    del top
    out["transformer_all"] = metrics(s_all, data.test, seen_all)
    out["transformer_all"]["calibration"] = ece_before_after(s_all, data.test, seen_all)
    out["eval_seconds"] = round(time.perf_counter() - t0, 1)
    # update of 100 customers with new events: one more event each, forward pass only
    out["update_100_seconds"] = update_timing(strategy, data.train, data.test, data.n_items)
    if not args.no_baselines:
        # baselines, tuned on the 512 validation users (history val input, target val output)
        val_hist = [list(s) for s in data.train]
        for k, u in enumerate(vu):
            val_hist[u] = data.val_input[k]
        for name, fn in (("ease", ease_scores), ("als_implicit", als_scores)):
            t0 = time.perf_counter()
            res = fn(val_hist, vu, data.val_output, hist512, data.train, data.n_items)
            out[f"{name}_512"] = metrics(res["final"], data.test[vu], seen512, vu)
            out[f"{name}_all"] = metrics(res["final_gap"], data.test, seen_all,
                                         np.arange(len(data.train)))
            out[f"{name}_tuned"] = res["chosen"]
            out[f"{name}_seconds"] = round(time.perf_counter() - t0, 1)
            print(f"  {name}:", out[f"{name}_512"], out[f"{name}_all"], flush=True)
    return out


def stop_at_once(result, per_epoch: list[dict]) -> dict:
    """What the same run would have kept had the plateau stopped it at once, without the
    cooldown: up to the plateau both are the same run, so that is the last best smoothed
    validation epoch by then, and its 512 test is in ``per_epoch`` (one row an epoch)."""
    hist = result.history[: result.cooldown_epoch]
    best = max(r["val_ndcg10_smoothed"] for r in hist)
    kept = max(r["epoch"] for r in hist if r["val_ndcg10_smoothed"] == best)
    return {"from_epoch": result.cooldown_epoch,
            "from_min": round(hist[-1]["elapsed_s"] / 60, 1),
            "lr_share_of_peak": round(hist[-1]["lr"] / max(r["lr"] for r in hist), 3),
            "stop_at_once_kept_epoch": kept,
            "stop_at_once_512": per_epoch[kept - 1] if len(per_epoch) >= kept else None}


def update_timing(strategy: TransformerStrategy, train: list[list[int]], test: np.ndarray,
                  n_items: int) -> float:
    rng = np.random.default_rng(0)
    users = rng.choice(len(train), 100, replace=False)
    seqs = [list(s) for s in train]
    for u in users:
        seqs[u] = seqs[u] + [int(test[u])]
    newer = Dataset.from_sequences(seqs, n_items=n_items)
    t0 = time.perf_counter()
    strategy.update(newer)  # finds the changed customers itself
    seconds = time.perf_counter() - t0
    assert set(strategy.last_refreshed.tolist()) == set(users.tolist())
    return round(seconds, 3)


def bench_amazon(args) -> dict:
    seqs, n_items = load_amazon_video()
    hist = [s[:-1] for s in seqs]
    targets = np.array([s[-1] for s in seqs])
    ds = Dataset.from_sequences(hist, n_items=n_items)
    seen = [np.asarray(h) for h in hist]
    strategy, fit_s = train_transformer(ds, args.minutes, args.device, args.seed,
                                        path=args.path)
    out = {"dataset": "amazon-video-sasrec (leave-one-out)", "device": args.device, "seed": args.seed,
           "path": args.path,
           "budget_min": args.minutes, "fit_seconds": round(fit_s, 1),
           "epochs": strategy.result.epochs, "best_epoch": strategy.result.best_epoch,
           "encoder": json.loads(strategy.encoder.config.to_json())}
    users = np.arange(len(seqs))
    out["transformer"] = metrics(strategy.logits, targets, seen, users)
    print("  transformer:", out["transformer"], flush=True)
    if not args.no_baselines:
        # tune on each customer's second-to-last item, then refit on the full histories
        val_hist = [h[:-1] for h in hist]
        vt = np.array([h[-1] if len(h) > 1 else -1 for h in hist])
        vu = np.flatnonzero(vt >= 0)
        for name, fn in (("ease", ease_scores), ("als_implicit", als_scores)):
            if name == "ease" and n_items > args.ease_max_items:
                out[name] = f"skipped: {n_items} items (dense item×item inverse too slow here)"
                continue
            t0 = time.perf_counter()
            res = fn(val_hist, vu, vt[vu], hist, None, n_items)
            out[name] = metrics(res["final"], targets, seen, users)
            out[f"{name}_tuned"] = res["chosen"]
            out[f"{name}_seconds"] = round(time.perf_counter() - t0, 1)
            print(f"  {name}:", out[name], flush=True)
    return out


def bench_taobao(args) -> dict:
    """Next purchase: each buyer's last purchase is the target, events before it the history."""
    full = load_taobao()
    buy = TYPE_CODE["purchase"]
    keep = np.ones(full.n_events, dtype=bool)
    targets = np.full(full.n_users, -1)
    for u in range(full.n_users):
        lo, hi = full.indptr[u], full.indptr[u + 1]
        buys = np.flatnonzero(full.types[lo:hi] == buy)
        if len(buys) and buys[-1] > 0:
            targets[u] = full.items[lo + buys[-1]]
            keep[lo + buys[-1] : hi] = False
    ds = full.with_events(keep)
    users = np.flatnonzero(targets >= 0)
    strategy, fit_s = train_transformer(ds, args.minutes, args.device, args.seed,
                                        path=args.path)
    out = {"dataset": "taobao-userbehavior-head (next purchase, seen items allowed)",
           "device": args.device, "seed": args.seed, "path": args.path, "buyers_evaluated": len(users),
           "fit_seconds": round(fit_s, 1),
           "epochs": strategy.result.epochs,
           "encoder": json.loads(strategy.encoder.config.to_json())}
    out["transformer"] = metrics(strategy.logits, targets[users], None, users)
    out["best_epoch"] = strategy.result.best_epoch
    out["stopped"] = strategy.result.stopped
    out["history"] = strategy.result.history
    if not args.no_ablation:
        no_types, _ = train_transformer(ds, args.minutes, args.device, args.seed, path=args.path,
                                        event_features=False)
        out["transformer_without_event_features"] = metrics(no_types.logits, targets[users],
                                                            None, users)
    if not args.no_baselines:
        hist = [ds.history(u).tolist() for u in range(ds.n_users)]
        vt = np.array([h[-1] if len(h) > 1 else -1 for h in hist])
        vu = np.flatnonzero(vt >= 0)
        val_hist = [h[:-1] if len(h) > 1 else h for h in hist]
        for name, fn in (("ease", ease_scores), ("als_implicit", als_scores)):
            if name == "ease" and ds.n_items > args.ease_max_items:
                out[name] = f"skipped: {ds.n_items} items (dense item×item inverse too slow here)"
                continue
            res = fn(val_hist, vu, vt[vu], hist, None, ds.n_items)
            out[name] = metrics(res["final"], targets[users], None, users)
            out[f"{name}_tuned"] = res["chosen"]
            print(f"  {name}:", out[name], flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dataset", choices=("ml1m", "amazon", "taobao"))
    ap.add_argument("--minutes", type=float, default=30.0, help="transformer time budget")
    ap.add_argument("--marks", default="", help="minutes at which to record test quality")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--param", action="append", default=[],
                    help="NAME=VALUE: a non-default transformer parameter (ml1m only)")
    ap.add_argument("--path", choices=("fit", "app"), default="app",
                    help="app: train as `shoprec train` does (hold out a sample of customers' last "
                         "10 events, calibrate, one pass over all); fit: the strategy's fit alone")
    ap.add_argument("--no-baselines", action="store_true")
    ap.add_argument("--no-ablation", action="store_true",
                    help="taobao: skip the second training without event features")
    ap.add_argument("--ease-max-items", type=int, default=12_000)
    ap.add_argument("--out", default="bench/results/sequential.jsonl")
    args = ap.parse_args()
    if not args.no_baselines:
        # Checked before the transformer's half hour, not after it: the ALS baseline needs
        # the optional `implicit` package.
        try:
            import implicit  # noqa: F401
        except ImportError:
            raise SystemExit("bench/sequential.py: the ALS baseline needs the 'implicit' package; "
                             "install the bench extra (pip install -e '.[bench]') or pass "
                             "--no-baselines") from None
    torch.set_num_threads(args.threads)
    fn = {"ml1m": bench_ml1m, "amazon": bench_amazon, "taobao": bench_taobao}[args.dataset]
    result = fn(args)
    result["cpu_threads"] = torch.get_num_threads()
    print(json.dumps(result, indent=1))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "a") as f:
        f.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
