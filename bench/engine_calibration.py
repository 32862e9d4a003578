"""Calibration choices (fit population, score map), compared on held-out test items (leave-one-out).

    python bench/engine_calibration.py shopify WORKSPACE ease popularity ...
    python bench/engine_calibration.py ml1m - popularity ease

WORKSPACE: any workspace (``shopify`` reads it; the demo's works too). Fits each strategy on the
leave-one-out fit split, calibrates on the validation items with the whole (reweighted) catalogue
and with each customer's top-50 candidates, each with Platt's sigmoid and with the isotonic curve,
plus the engine's whole rule (which may map each customer's standardised logits). Then it
reports the ECE and log loss of the shown top-10 on the test items after ``update``, the gap
over tenths of the shown items by score (which still discriminates below 0.1), and the mean
score against the hit rate of the shown items scored below 0.1 and from 0.1 up.

Runtime: minutes (each strategy is fitted and calibrated once; ML-1M's EASE and ALS fits take
about a minute each on the shared CPU). Results: bench/RESULTS.md, "Calibration".
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("SHOPREC_NO_ENTRY_POINTS", "1")

import torch  # noqa: E402
from shoprec.core import engine  # noqa: E402
from shoprec.core.data.dataset import Dataset  # noqa: E402
from shoprec.core.data.split import loo_split
from shoprec.core.ranking import heldout  # noqa: E402
from shoprec.core.ranking.calibration import calibrate  # noqa: E402
from shoprec.core.ranking.evaluation import RANK_RULES, rank_strategy  # noqa: E402
from shoprec.core.store.workspace import Workspace  # noqa: E402


def run(ds: Dataset, name: str) -> None:
    split = loo_split(ds)
    spec = engine.get_spec(name)
    model = engine.fit_strategy(spec, spec.params(), split.fit, device=engine.resolve_device("cpu"), seed=0)
    _, sample = heldout.calibrate_strategy(
        model, split.fit, split.cal_users, split.cal_items, horizon=1, return_sample=True,
        rules=RANK_RULES,
    )
    fits = {
        f"{p}/{m}": calibrate(sample, horizon=1, population=p, method=m)
        for p in ("catalog", "candidates")
        for m in ("platt", "isotonic")
    }
    fits["auto"] = calibrate(sample, horizon=1)
    fits["auto, rows auto"] = heldout.calibrate_strategy(  # the engine's whole rule
        model, split.fit, split.cal_users, split.cal_items, horizon=1, rows="auto",
        rules=RANK_RULES)
    model.update(split.score)
    model.dataset = split.score
    for label, cal in fits.items():
        r = rank_strategy(model, split, cal, k=10)
        low, high = _split_by_score(r.reliability)
        chosen = f"{cal.population}/{cal.method}/{cal.rows}" if label.startswith("auto") else ""
        print(f"{name:14} {label:20} {chosen:20} validation ECE={cal.ece:.4f} log loss={cal.log_loss:.4f}"
              f" | test ECE={r.ece:.4f} by tenths={r.ece_by_share:.4f} shown: mean score {r.mean_predicted:.4f}, hit rate "
              f"{r.mean_observed:.4f}; < 0.1: {low}; >= 0.1: {high}")


def _split_by_score(table: list[dict]) -> tuple[str, str]:
    """'n items, promised / taken' for the reliability rows below 0.1 and from 0.1 up."""
    out = []
    for rows in (table[:1], table[1:]):
        n = sum(r["count"] for r in rows)
        if not n:
            out.append("none")
            continue
        pred = sum(r["count"] * r["predicted"] for r in rows) / n
        obs = sum(r["count"] * r["observed"] for r in rows) / n
        out.append(f"{n:.0f} items {pred:.3f} / {obs:.3f}")
    return out[0], out[1]


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
