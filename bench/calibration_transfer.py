"""Are the final model's probabilities calibrated on what customers really do next?

``shoprec train`` fits (a, b) on the first fit's held-out interactions, then brings the model up
to all data and carries (a, b) over to it (``engine.fit_calibrated``). This benchmark checks the
carried-over probabilities against the future:

- a random fifth of the customers lose their last 10 interactions (the future);
- ``fit_calibrated`` trains on the rest, as ``shoprec train`` does;
- each of those customers' shown top 10 (seen items excluded as lists do) gets the final
  model's calibrated score; the label is whether the item is among their future interactions.

It reports ECE (equal-width bins), the same gap over tenths of the shown items by score
(``ece_tenths``, with each tenth's promised and taken rate: where all scores lie below 0.1,
equal-width bins only compare the means), each third of the customers by how much of their
past returned to an item they had (promised / taken), mean score against hit rate, and the items at
θ = 0.5 for three ways of
scoring the calibration rows when (a, b) is carried over: from the history the first fit saw
(``engine.logits_as_calibrated``, what ``train`` does), from all events (the engine before it),
and no final pass at all (``refit=False``, the calibration as fitted).

    python bench/calibration_transfer.py WORKSPACE [--strategy transformer] [--minutes 1]
        [--method auto|platt|isotonic] [--rows auto|raw|z]

``--method`` forces the score map the engine fits, ``--rows`` what it reads (raw logits or each
customer's standardised ones; default for both: the engine's own choice).

``--returning-offset`` also judges a candidate fix for the thirds by returning, not built into
the engine: a per-customer offset ``d + c·r`` in log-odds, ``r`` the customer's returning share
(smoothed towards the shop's with RETURNING_PRIOR pseudo-events), (c, d) a logistic regression
on the calibration rows with the fitted map's log-odds held fixed.

WORKSPACE: any workspace, e.g. the demo's (``shoprec demo`` prints where it is).

Runtime: one training of the chosen strategy plus its calibration and judging: for the
transformer about its ``--minutes`` budget and a little more; the classic strategies less (not
timed separately). Results: bench/RESULTS.md, "Calibration".
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
import time

import numpy as np
import torch
from scipy.special import expit, logit
from shoprec.core import engine, training
from shoprec.core.data.dataset import Dataset
from shoprec.core.ranking import heldout
from shoprec.core.ranking.metrics import expected_calibration_error, reliability_by_share, table_gap
from shoprec.core.ranking.rules import ListRules, SeenFilter
from shoprec.core.ranking.samples import candidates_only
from shoprec.core.store.workspace import Workspace

RETURNING_PRIOR = 5.0  # pseudo-events at the shop's returning share behind each customer's


def returning_shares(past: Dataset) -> np.ndarray:
    """Each customer's share of interactions that returned to an item they had, smoothed."""
    n = np.diff(past.indptr)
    again = np.array([len(h) - len(np.unique(h))
                      for h in (past.history(u) for u in range(past.n_users))], dtype=np.float64)
    steps = np.maximum(n - 1, 0)
    shop = again.sum() / max(steps.sum(), 1)
    return (again + RETURNING_PRIOR * shop) / (steps + RETURNING_PRIOR)


def fit_offset(base: np.ndarray, r: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """(d, c) of ``σ(base + d + c·r)`` by weighted Newton steps (a logistic regression)."""
    x = np.stack([np.ones_like(r), r], 1)
    beta = np.zeros(2)
    for _ in range(50):
        p = expit(base + x @ beta)
        step = np.linalg.solve((x * (w * p * (1 - p))[:, None]).T @ x + 1e-6 * np.eye(2),
                               x.T @ (w * (p - y)) + 1e-6 * beta)
        beta -= step
        if np.abs(step).max() < 1e-9:
            break
    return beta


def judge(model, calibration, past: Dataset, users: np.ndarray, future: list[np.ndarray],
          offset: tuple[np.ndarray, np.ndarray] | None = None) -> dict:
    """Calibrated scores of each customer's shown top 10 against their future interactions;
    ``offset``: (d, c) and every customer's returning share, added in log-odds."""
    seen = SeenFilter(past, ListRules())
    probs, labels = [], []
    for lo in range(0, len(users), 256):
        chunk = users[lo : lo + 256]
        logits = np.asarray(model.logits(chunk), dtype=np.float64)
        mapped = calibration.prepare(logits)  # what the map reads (whole rows)
        logits[seen.excluded(chunk)] = -np.inf
        top = np.argsort(-logits, axis=1)[:, :10]
        for row in range(len(chunk)):
            probs.append(calibration.probabilities(mapped[row, top[row]]))
            labels.append(np.isin(top[row], future[lo + row]).astype(float))
    p, y = np.concatenate(probs).astype(np.float64), np.concatenate(labels)
    if offset is not None:
        (d, c), shares = offset
        p = expit(logit(np.clip(p, 1e-7, 1 - 1e-7)) + d + c * np.repeat(shares[users], 10))
    tenths = reliability_by_share(p, y)
    # Customers by how much of their past was a return to something they had: thirds by the
    # share of their past interactions with an item seen before (the shown 10 each).
    returning = np.array([1.0 - len(np.unique(h)) / max(len(h), 1)
                          for h in (past.history(int(u)) for u in users)])
    groups = np.repeat(returning, 10)[: len(p)] if len(p) == 10 * len(users) else None
    by_returning = ""
    if groups is not None:
        edges = np.quantile(returning, [1 / 3, 2 / 3])
        for name, m in (("fewest", groups <= edges[0]),
                        ("middle", (groups > edges[0]) & (groups <= edges[1])),
                        ("most", groups > edges[1])):
            if m.any():
                by_returning += (f"{name} returns (share {returning[m[::10]].mean():.2f}): "
                                 f"{p[m].mean():.4f}/{y[m].mean():.4f}; ")
    q = np.clip(p, 1e-7, 1 - 1e-7)
    return {"ece": round(expected_calibration_error(p, y), 4),
            "log_loss": round(float(-np.mean(y * np.log(q) + (1 - y) * np.log(1 - q))), 5),
            "ece_tenths": round(table_gap(tenths), 4),
            "tenths (promised/taken)": " ".join(f"{b['predicted']:.3f}/{b['observed']:.3f}"
                                                for b in tenths),
            "by returning (promised/taken)": by_returning.rstrip("; "),
            "mean_score": round(float(p.mean()), 4),
            "hit_rate": round(float(y.mean()), 4), "at_theta_0.5": int((p >= 0.5).sum()),
            "observed_at_theta_0.5": round(float(y[p >= 0.5].mean()), 4) if (p >= 0.5).any() else None,
            "a": round(calibration.a, 4), "b": round(calibration.b, 4),
            "map": f"{calibration.population}/{calibration.describe()}"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("workspace")
    ap.add_argument("--strategy", default="transformer")
    ap.add_argument("--minutes", type=float, default=1.0, help="transformer time budget")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--method", default="auto", choices=("auto", "platt", "isotonic"))
    ap.add_argument("--rows", default="auto", choices=("auto", "raw", "z"))
    ap.add_argument("--returning-offset", action="store_true",
                    help="also judge a per-customer returning offset on train's path")
    args = ap.parse_args()
    heldout.calibrate = functools.partial(heldout.calibrate, method=args.method)
    if args.rows != "auto":
        real_calibrate_strategy = training.calibrate_strategy

        def forced(*a, **kw):
            if kw.get("rows") == "auto":  # the strategy's own choice (the fallback asks raw)
                kw["rows"] = args.rows
            return real_calibrate_strategy(*a, **kw)

        training.calibrate_strategy = forced
    torch.set_num_threads(2)
    with Workspace(args.workspace) as ws:
        ds = Dataset.from_workspace(ws)
    rng = np.random.default_rng(args.seed + 100)
    eligible = np.flatnonzero(np.bincount(ds.users, minlength=ds.n_users) >= 2)
    test = np.sort(rng.choice(eligible, len(eligible) // 5, replace=False))
    past, users, future = engine.holdout_last(ds, 10, test)
    spec = engine.get_spec(args.strategy)
    params = spec.params()
    if args.strategy == "transformer":
        params.time_budget_min = args.minutes

    # One training with the final pass; both ways of carrying (a, b) over are computed on it.
    carried: dict[str, object] = {}
    real_transfer, real_rows = training.transfer, training.logits_as_calibrated

    def rows(strategy, sample, history, now, read="raw"):
        if "from all events" not in carried:  # the strategy's (the fallback's comes second)
            carried["from all events"] = heldout.sample_logits(strategy, sample, rows=read)
        return real_rows(strategy, sample, history, now, read)

    def transfer(calibration, sample, new_logits):
        if "fitted" not in carried:  # the strategy's (the fallback's comes second)
            carried["fitted"], carried["sample"] = calibration, sample
        return real_transfer(calibration, sample, new_logits)

    training.logits_as_calibrated, training.transfer = rows, transfer
    t0 = time.perf_counter()
    try:
        fitted = engine.fit_calibrated(spec, params, past, device=torch.device("cpu"),
                                       seed=args.seed)
    finally:
        training.logits_as_calibrated, training.transfer = real_rows, real_transfer
    seconds = time.perf_counter() - t0
    before = real_transfer(carried["fitted"], carried["sample"], carried["from all events"])
    out = {"workspace": args.workspace, "strategy": args.strategy, "method": args.method,
           "rows": args.rows,
           "customers": ds.n_users,
           "judged": len(users), "train_seconds": round(seconds, 1),
           "rows scored from the first fit's history (train)":
               judge(fitted.model, fitted.calibration, past, users, future),
           "rows scored from all events (before)": judge(fitted.model, before, past, users, future)}
    plain = engine.fit_calibrated(spec, params, past, device=torch.device("cpu"), seed=args.seed,
                                  refit=False)
    out["no final pass (refit=False)"] = judge(plain.model, plain.calibration, past, users, future)
    if args.returning_offset:
        cal, sample = fitted.calibration, carried["sample"]
        if cal.population == "candidates":
            sample = candidates_only(sample)
        shares = returning_shares(past)
        # the map's log-odds of the rows it was fitted on, the offset fitted on top of them
        base = logit(np.clip(cal.probabilities(sample.logits).astype(np.float64), 1e-7, 1 - 1e-7))
        d, c = fit_offset(base, shares[sample.users], sample.labels, sample.weights)
        out["with a returning offset (train)"] = {
            "d": round(float(d), 3), "c": round(float(c), 3),
            **judge(fitted.model, cal, past, users, future, offset=((d, c), shares))}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    sys.exit(main())
