"""What the 512-customer ML-1M test says about all 6,040 customers.

The 512-exact protocol measures the published test step (each customer's last rating, with
everything before it as history) on the 512 validation customers only: this split lacks the
other 5,528 customers' second-to-last ratings. The published numbers are over all 6,040. The 512
are a sample, and a sample's mean is off by about ±0.011 NDCG@10 on its own.

The estimate here is the survey statistician's regression estimator. One score is known for
every customer: the gap score (history without the last two ratings, target the last). Among the
512 it is regressed against the exact score, and the 512's exact mean is corrected by how far
their gap mean lies from everyone's:

    all-users exact ~ mean_512(exact) + beta * (mean_all(gap) - mean_512(gap))

Its error bar comes from resampling the 512 (the 6,040 gap scores are known, not sampled).

Usage:
  python bench/ml1m_all_users.py check
      The estimator where the truth is known, one step earlier (target: each customer's
      third-to-last rating, for all 6,040), with EASE: 2,000 random 512-customer samples, the
      plain sample mean's error against the estimator's, and the actual 512's.
  python bench/ml1m_all_users.py train --train-on published --minutes 30 --out pub.npz
      Trains the default transformer and saves every customer's gap score and the 512's exact
      score. ``published``: every customer's history without its last two ratings, as the
      published models train (their last history item at test time was never a training
      target). ``histories``: the 512-exact benchmark's training data (the 512 with their
      second-to-last rating; what ShopRec sees when it trains on the histories it is tested on).
      ``shifted``: the published protocol two ratings earlier (train without the last four,
      target the third-to-last), where every customer's exact score is known: the transformer's
      all-users truth next to the estimate from the 512, as ``check`` does for EASE.
  python bench/ml1m_all_users.py estimate pub.npz [--exact hist.npz]
      The estimate, the gap scores from the first file, the exact scores from ``--exact``
      (default: the same file). Where the files keep ranks, also with log(1 + the gap target's
      rank) as a second covariate (``ndcg_logrank``, ``hr_logrank``).

Runtime: ``train`` runs for its ``--minutes`` budget (the recorded 30-minute runs stopped early at
14-28 minutes); ``estimate`` and ``check`` are not timed. Results: bench/RESULTS.md, "Quality:
ML-1M against the published anchors".
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))

from baselines import _ease_b, matrix  # noqa: E402
from ranking import ndcg_hr, ranks  # noqa: E402
from seqdata import load_ml1m  # noqa: E402
from sequential import train_transformer  # noqa: E402
from shoprec.core.data.dataset import Dataset  # noqa: E402


def per_customer(score, users: np.ndarray, targets: np.ndarray,
                 hist: list[list[int]]) -> dict[str, np.ndarray]:
    """NDCG@10, hit@10 and the target's 0-based rank for each of ``users`` (``score``: user
    indices -> score rows; ``targets`` and ``hist`` indexed by user)."""
    rank = ranks(score, targets[users], [hist[u] for u in users], users)
    ndcg, hit = ndcg_hr(rank)
    return {"ndcg": ndcg, "hr": hit, "rank": rank}


def covariates(gap: dict, metric: str, logrank: bool) -> np.ndarray:
    """The regression's covariates: the gap score of ``metric``, and with ``logrank`` also
    log(1 + the gap target's rank), which still tells customers apart outside the top 10."""
    cols = [gap[metric]] + ([np.log1p(gap["rank"])] if logrank else [])
    return np.column_stack(cols).astype(np.float64)


def regression_estimate(exact: np.ndarray, x_sample: np.ndarray, x_all: np.ndarray) -> float:
    """``x_sample`` / ``x_all``: covariates (columns) of the sample's and of every customer."""
    xc = x_sample - x_sample.mean(0)
    beta = np.linalg.lstsq(xc, exact - exact.mean(), rcond=None)[0]
    return float(exact.mean() + (x_all.mean(0) - x_sample.mean(0)) @ beta)


def estimate(exact: np.ndarray, x_sample: np.ndarray, x_all: np.ndarray,
             rounds: int = 2000, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    boot = np.empty(rounds)
    for r in range(rounds):
        i = rng.integers(0, len(exact), len(exact))
        boot[r] = regression_estimate(exact[i], x_sample[i], x_all)
    return {"sample_mean": round(float(exact.mean()), 4),
            "sample_se": round(float(exact.std(ddof=1) / np.sqrt(len(exact))), 4),
            "all_users_estimate": round(regression_estimate(exact, x_sample, x_all), 4),
            "estimate_se": round(float(boot.std(ddof=1)), 4),
            "gap_mean_sample": round(float(x_sample[:, 0].mean()), 4),
            "gap_mean_all": round(float(x_all[:, 0].mean()), 4),
            "corr_exact_gap": round(float(np.corrcoef(exact, x_sample[:, 0])[0, 1]), 3)}


def histories(data) -> tuple[list[list[int]], list[list[int]]]:
    """Every customer without the last two ratings; the 512 with the second-to-last too."""
    without_two = [list(s) for s in data.train]
    for k, u in enumerate(data.val_users):
        without_two[u] = list(data.val_input[k])
    return without_two, data.history_512()


def check(args) -> dict:
    """The estimator one step earlier, with EASE, where every customer's exact score is known."""
    data = load_ml1m()
    without_two, _ = histories(data)
    users = np.arange(len(without_two))  # every customer has 16 or more ratings here
    target = np.array([s[-1] for s in without_two])
    exact_h = [s[:-1] for s in without_two]
    gap_h = [s[:-2] for s in without_two]
    x_gap = matrix(gap_h, data.n_items)
    x_exact = matrix(exact_h, data.n_items)
    b = _ease_b(x_gap, 500.0)  # trained on the gap histories: neither target is seen
    gap = per_customer(lambda u: (torch.from_numpy(x_gap[u].toarray()) @ b).numpy(),
                       users, target, gap_h)
    exact = per_customer(lambda u: (torch.from_numpy(x_exact[u].toarray()) @ b).numpy(),
                         users, target, exact_h)
    out: dict = {"users": len(users), "target": "third-to-last rating", "model": "EASE l2 500"}
    out.update(sampling_check(exact, gap, data.val_users, args.rounds, args.seed))
    return out


def sampling_check(exact: dict, gap: dict, the_512: np.ndarray, rounds: int, seed: int) -> dict:
    """Where every customer's exact score is known: the truth, the plain mean's and the
    estimator's errors over random 512-customer samples, and the actual 512's estimate."""
    rng = np.random.default_rng(seed)
    out = {}

    def err(x: list[float]) -> dict:
        return {"bias": round(float(np.mean(x)), 4), "rmse": round(float(np.sqrt(np.mean(np.square(x)))), 4)}

    for metric in ("ndcg", "hr"):
        e = exact[metric]
        g, gr = covariates(gap, metric, False), covariates(gap, metric, True)
        truth = float(e.mean())
        plain, reg, reg_r = [], [], []
        for _ in range(rounds):
            s = rng.choice(len(e), 512, replace=False)
            plain.append(e[s].mean() - truth)
            reg.append(regression_estimate(e[s], g[s], g) - truth)
            reg_r.append(regression_estimate(e[s], gr[s], gr) - truth)
        out[metric] = {
            "truth_all_users": round(truth, 4),
            "random_512_plain_mean": err(plain),
            "random_512_estimator": err(reg),
            "random_512_estimator_logrank": err(reg_r),
            "the_512": estimate(e[the_512], g[the_512], g, rounds=rounds, seed=seed),
            "the_512_logrank": estimate(e[the_512], gr[the_512], gr, rounds=rounds, seed=seed),
        }
    return out


def train(args) -> dict:
    torch.set_num_threads(args.threads)
    data = load_ml1m()
    without_two, with_512 = histories(data)
    n = len(data.train)
    vu = data.val_users
    everyone = np.arange(n)
    if args.train_on == "shifted":  # two ratings earlier: every customer's exact score known
        gap_h = [s[:-2] for s in without_two]
        exact_h = [s[:-1] for s in without_two]
        target = np.array([s[-1] for s in without_two])
        fit_on, exact_users = gap_h, everyone
    else:
        gap_h, exact_h, target = without_two, with_512, data.test
        fit_on = without_two if args.train_on == "published" else with_512
        exact_users = vu
    ds = Dataset.from_sequences(fit_on, n_items=data.n_items)
    strategy, fit_s = train_transformer(ds, args.minutes, "cpu", args.seed)

    def scorer(hist):
        strategy.update(Dataset.from_sequences(hist, n_items=data.n_items), everyone)
        return strategy.logits

    gap = per_customer(scorer(gap_h), everyone, target, gap_h)
    exact = per_customer(scorer(exact_h), exact_users, target, exact_h)
    res = {"train_on": args.train_on, "minutes": args.minutes, "threads": args.threads,
           "seed": args.seed, "fit_seconds": round(fit_s, 1), "epochs": strategy.result.epochs,
           "best_epoch": strategy.result.best_epoch, "saved": str(args.out)}
    if args.train_on == "shifted":
        res.update(sampling_check(exact, gap, vu, 2000, args.seed))
        exact = {m: v[vu] for m, v in exact.items()}
    np.savez(args.out, **{f"gap_{m}": v for m, v in gap.items()},
             **{f"exact_{m}": v for m, v in exact.items()}, val_users=vu)
    if args.train_on != "shifted":
        res.update(combine(args.out, None))
    return res


def combine(gap_file: Path, exact_file: Path | None) -> dict:
    a = np.load(gap_file)
    b = np.load(exact_file) if exact_file else a
    if not np.array_equal(a["val_users"], b["val_users"]):
        raise SystemExit(f"{exact_file}: a different set of 512 customers than {gap_file}")
    vu = a["val_users"]
    gap = {m[4:]: a[m] for m in a.files if m.startswith("gap_")}
    out = {}
    for m in ("ndcg", "hr"):
        x = covariates(gap, m, False)
        out[m] = estimate(b[f"exact_{m}"], x[vu], x)
        if "rank" in gap:  # files saved before ranks were kept have no log-rank estimate
            x = covariates(gap, m, True)
            out[f"{m}_logrank"] = estimate(b[f"exact_{m}"], x[vu], x)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check", help="the estimator one step earlier, where the truth is known")
    c.add_argument("--rounds", type=int, default=2000)
    c.add_argument("--seed", type=int, default=0)
    t = sub.add_parser("train", help="train the default transformer, save per-customer scores")
    t.add_argument("--train-on", choices=("published", "histories", "shifted"),
                   default="published")
    t.add_argument("--minutes", type=float, default=30.0)
    t.add_argument("--threads", type=int, default=2)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--out", type=Path, required=True)
    e = sub.add_parser("estimate", help="the all-users estimate from saved scores")
    e.add_argument("gap_file", type=Path)
    e.add_argument("--exact", type=Path, default=None)
    args = ap.parse_args()
    t0 = time.perf_counter()
    if args.cmd == "check":
        out = check(args)
    elif args.cmd == "train":
        out = train(args)
    else:
        out = combine(args.gap_file, args.exact)
    out["seconds"] = round(time.perf_counter() - t0, 1)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
