"""Leave-one-out's validation step against its test step: who comes back for something new.

    python bench/loo_steps.py WORKSPACE [--strategy ease]

The Compare tab (``shoprec evaluate``, leave-one-out) fits a strategy without each customer's
last two interactions, calibrates on the second-to-last and measures on the last. Its lists never
show an item the customer already had. This prints, for both steps:

- how often the shown top 10 hold the target, per listed item, over all customers and over the
  customers whose target was new to them (the only ones a list can reach);
- the share of customers whose target was new, overall and by history length;
- at the test step, the same with the strategy refitted on the validation interactions too
  (``evaluate`` only hands them to ``update``).
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("SHOPREC_NO_ENTRY_POINTS", "1")

import numpy as np  # noqa: E402
from shoprec.core import engine  # noqa: E402
from shoprec.core.data.dataset import Dataset  # noqa: E402
from shoprec.core.data.split import loo_split  # noqa: E402
from shoprec.core.ranking.evaluation import RANK_RULES  # noqa: E402
from shoprec.core.ranking.rules import SeenFilter  # noqa: E402
from shoprec.core.store.workspace import Workspace  # noqa: E402

LENGTHS = (1, 2, 3, 4, 6, 9, 14, 20, 30, 50, 100)


def step(model, history: Dataset, users: np.ndarray, targets: np.ndarray, k: int = 10):
    """Per customer: hits in the top ``k``, whether the target was new, history length."""
    seen = SeenFilter(history, RANK_RULES)
    hits, new = [], []
    for lo in range(0, len(users), 512):
        chunk = users[lo : lo + 512]
        excluded = seen.excluded(chunk)
        logits = np.where(excluded, -np.inf, np.asarray(model.logits(chunk), dtype=np.float64))
        top = np.argpartition(-logits, k - 1, axis=1)[:, :k]
        rows = np.arange(len(chunk))
        hits.append((top == targets[lo : lo + len(chunk), None]).sum(1))
        new.append(~excluded[rows, targets[lo : lo + len(chunk)]])
    lengths = np.diff(history.indptr)[users]
    return np.concatenate(hits), np.concatenate(new), lengths


def rate(hits: np.ndarray, mask: np.ndarray, k: int = 10) -> str:
    return f"{hits[mask].sum() / (k * mask.sum()):.4f} ({mask.sum()} customers)" if mask.any() else "-"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("workspace")
    ap.add_argument("--strategy", default="ease")
    args = ap.parse_args()
    ds = Dataset.from_workspace(Workspace(args.workspace), include_idle_customers=False)
    split = loo_split(ds)
    spec = engine.get_spec(args.strategy)
    device = engine.resolve_device("cpu")
    model = engine.fit_strategy(spec, spec.params(), split.fit, device=device, seed=0)
    val_t = np.array([x[0] for x in split.cal_items])
    test_t = np.array([x[0] for x in split.test_items])
    val = step(model, split.fit, split.cal_users, val_t)
    model.update(split.score)
    model.dataset = split.score
    test = step(model, split.score, split.test_users, test_t)
    refit = engine.fit_strategy(spec, spec.params(), split.score, device=device, seed=0)
    again = step(refit, split.score, split.test_users, test_t)

    print(f"{args.workspace}, {args.strategy}: top-10 hit rate per listed item")
    for label, (hits, new, _) in (("validation step", val), ("test step", test),
                                  ("test step, refitted", again)):
        everyone = np.ones(len(hits), dtype=bool)
        print(f"  {label:20} all {rate(hits, everyone)}; target new {rate(hits, new)}; "
              f"share new {new.mean():.3f}")
    print("share of customers whose target was new, by history length (validation | test)")
    for lo, hi in zip(LENGTHS, LENGTHS[1:] + (10**9,), strict=True):
        cells = []
        for _, new, lengths in (val, test):
            m = (lengths >= lo) & (lengths < hi)
            cells.append(f"{new[m].mean():.3f} ({m.sum():5d})" if m.any() else "        -   ")
        print(f"  {lo:3d}-{'' if hi > 10**8 else hi - 1:<4} {cells[0]:>16} | {cells[1]:>16}")


if __name__ == "__main__":
    main()
