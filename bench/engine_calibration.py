"""Calibration fit population, compared on held-out test customers (leave-one-out).

    python bench/engine_calibration.py shopify WORKSPACE ease popularity ...
    python bench/engine_calibration.py ml1m - popularity ease

Fits each strategy on the leave-one-out fit split, calibrates on the validation items with the
whole (reweighted) catalogue and with each customer's top-50 candidates, then reports the ECE of
the shown top-10 on the test items after ``update``.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("SHOPREC_NO_ENTRY_POINTS", "1")

import torch  # noqa: E402
from shoprec.core import engine  # noqa: E402
from shoprec.core.calibration import calibrate  # noqa: E402
from shoprec.core.dataset import Dataset  # noqa: E402
from shoprec.core.evaluation import loo_split, rank_strategy  # noqa: E402
from shoprec.core.workspace import Workspace  # noqa: E402


def run(ds: Dataset, name: str) -> None:
    split = loo_split(ds)
    spec = engine.get_spec(name)
    model = engine.fit_strategy(spec, spec.params(), split.fit, device=engine.resolve_device("cpu"), seed=0)
    _, sample = engine.calibrate_strategy(
        model, split.fit, split.cal_users, split.cal_items, horizon=1, return_sample=True
    )
    fits = {p: calibrate(sample, horizon=1, population=p) for p in ("catalog", "candidates", "auto")}
    model.update(split.score)
    model.dataset = split.score
    for label, cal in fits.items():
        r = rank_strategy(model, split, cal, k=10)
        print(f"{name:16} {label:10} a={cal.a:.3f} b={cal.b:.3f} validation ECE={cal.ece:.4f} "
              f"test ECE={r.ece:.4f} shown: mean score {r.mean_predicted:.4f}, hit rate {r.mean_observed:.4f}")


def main() -> None:
    torch.set_num_threads(1)
    kind, where, *names = sys.argv[1:]
    if kind == "shopify":
        ds = Dataset.from_workspace(Workspace(where), include_idle_customers=False)
    else:
        sys.path.insert(0, os.path.dirname(__file__))
        from seqdata import load_ml1m

        ml = load_ml1m()
        seqs = [list(s) + [int(t)] for s, t in zip(ml.train, ml.test, strict=True)]
        ds = Dataset.from_sequences(seqs, n_items=ml.n_items)
    for name in names:
        run(ds, name)


if __name__ == "__main__":
    main()
