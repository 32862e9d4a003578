"""Would a per-customer view of the logits make calibrated scores comparable across customers?

The engine maps each raw logit through one monotone map fitted over all customers. For the
classic strategies the logit's scale differs from customer to customer, and over tenths of the
shown items their scores are taken about equally often whatever they promise
(docs/notes/results-diary.md, "Calibration judged over tenths of the listed items"). This benchmark tries
row-wise transforms of the logits *before* the map. Each one keeps every customer's ranking
(a positive affine map per row), so lists do not change; only the scores do:

- ``raw``: the logits as the engine maps them today;
- ``centred``: minus the customer's mean logit over the catalogue;
- ``z``: minus that mean, divided by the customer's standard deviation.

Path as ``shoprec train`` without the final pass (``refit=False``): a random fifth of the
customers lose their last 10 interactions (the future); the strategy is fitted on the rest
minus the calibration customers' last 10, calibrated with the engine's own choice of map on
each transform, then judged on the fifth's shown top 10: ECE, the gap over tenths of the shown
items by score, and the calibration's own cross-fitted log loss (which an automatic choice
between transforms would read).

    python bench/calibration_rowwise.py WORKSPACE --strategy ease [--minutes 1] [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/, for calibration_transfer

import numpy as np  # noqa: E402
import torch  # noqa: E402
from calibration_transfer import judge  # noqa: E402  (the same judgement of the shown top 10)
from shoprec.core import engine  # noqa: E402
from shoprec.core.data.dataset import Dataset  # noqa: E402
from shoprec.core.ranking import heldout  # noqa: E402
from shoprec.core.store.workspace import Workspace  # noqa: E402


class RowWise:
    """``strategy``'s logits, each customer's row transformed (order within a row kept)."""

    def __init__(self, strategy, how: str) -> None:
        self.strategy, self.how = strategy, how

    def logits(self, users: np.ndarray, items: np.ndarray | None = None) -> np.ndarray:
        x = np.asarray(self.strategy.logits(users), dtype=np.float64)
        if self.how != "raw":
            finite = np.isfinite(x)
            n = np.maximum(finite.sum(1, keepdims=True), 1)
            mean = np.where(finite, x, 0.0).sum(1, keepdims=True) / n
            x = x - mean
            if self.how == "z":
                sd = np.sqrt(np.where(finite, x * x, 0.0).sum(1, keepdims=True) / n)
                x = x / np.where(sd > 0, sd, 1.0)
        return x if items is None else x[:, items]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("workspace")
    ap.add_argument("--strategy", default="ease")
    ap.add_argument("--minutes", type=float, default=1.0, help="transformer time budget")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    torch.set_num_threads(2)
    with Workspace(args.workspace) as ws:
        ds = Dataset.from_workspace(ws)
    rng = np.random.default_rng(args.seed + 100)  # the same fifth as calibration_transfer.py
    eligible = np.flatnonzero(np.bincount(ds.users, minlength=ds.n_users) >= 2)
    test = np.sort(rng.choice(eligible, len(eligible) // 5, replace=False))
    past, users, future = engine.holdout_last(ds, 10, test)
    rest, cal_users, cal_items = engine.holdout_last(
        past, 10, engine.calibration_customers(past, args.seed))
    spec = engine.get_spec(args.strategy)
    params = spec.params()
    if args.strategy == "transformer":
        params.time_budget_min = args.minutes
    first = engine.fit_strategy(spec, params, rest, device=torch.device("cpu"), seed=args.seed)
    calibrations = {}
    for how in ("raw", "centred", "z"):
        calibrations[how] = heldout.calibrate_strategy(
            RowWise(first, how), rest, cal_users, cal_items, horizon=10, seed=args.seed)
    first.update(past)
    first.dataset = past
    out = {"workspace": args.workspace, "strategy": args.strategy, "judged": len(users)}
    for how, cal in calibrations.items():
        out[how] = judge(RowWise(first, how), cal, past, users, future)
        out[how]["calibration_log_loss"] = round(cal.log_loss, 5) if cal.log_loss else None
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    sys.exit(main())
