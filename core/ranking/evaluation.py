"""Measuring every strategy the same honest way: full ranking, held-out truth, calibration.

Protocols:

- ``loo`` (leave-one-out): each customer's last positive interaction is the test target, the one
  before it the validation target. A strategy is fitted on the rest, its calibration fitted on
  the validation targets, then it learns the validation interactions as ``shoprec train``
  brings a model up to all data (refit, or one short pass for long-trained models, the
  calibration carried over) and ranks the *whole* catalogue for each test customer, items
  already in the history excluded.
- ``temporal``: fit on everything before a cut date, test on each customer's interactions after
  it (items new to the customer). Calibration uses the window of the same length just before the
  cut, so the score estimates the same event the test measures. This is what a shop lives.

Metrics at K: HR (hit rate), Recall, NDCG, MRR (over the full ranking), catalogue coverage,
intra-list diversity, ECE of the calibrated scores on the shown lists, fit and scoring seconds.
Never sampled-negative metrics: they mis-rank models (Krichene & Rendle, KDD 2020). Ties in the
full ranking are split evenly (a strategy that scores everything equal gets chance level).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..contracts.progress import CancelToken, check
from ..data.similarity import ItemSimilarity
from ..data.split import Split
from .calibration import Calibration
from .metrics import (
    list_ndcg,
    list_recall,
    reliability_by_share,
    reliability_table,
    split_ties_rank,
    table_gap,
)
from .rules import ListRules, SeenFilter
from .scoring import diversify

ILD_USERS = 2000  # intra-list diversity is averaged over at most this many customers
# What a measured list may show: anything not in the customer's history (the published protocol).
RANK_RULES = ListRules(allow_repeat=False, collapse_variants=False)


# -------------------------------------------------------------------------------------------
# Ranking metrics over the full catalogue
# -------------------------------------------------------------------------------------------


@dataclass
class RankingMetrics:
    hr: float
    recall: float
    ndcg: float
    mrr: float
    coverage: float
    ild: float | None
    ece: float | None
    reliability: list[dict[str, float]]  # equal-width bins, the ones ECE is computed on
    reliability_by_share: list[dict[str, float]]  # tenths of the shown items, for a diagram
    ece_by_share: float | None  # the same gap over those tenths: below 0.1 it still discriminates
    mean_predicted: float | None  # mean calibrated score of the shown items
    mean_observed: float | None  # how often a shown item was in fact a target
    users: int
    score_seconds: float


def rank_strategy(
    strategy: Any,
    split: Split,
    calibration: Calibration,
    *,
    k: int,
    diversity: float = 0.0,
    similarity: ItemSimilarity | None = None,
    batch: int = 512,
    cancel: CancelToken | None = None,
) -> RankingMetrics:
    """Score every test customer over the full catalogue and compute the metrics at ``k``."""
    ds = split.score
    n_items = ds.n_items
    seen = SeenFilter(ds, RANK_RULES)
    hr = recall = ndcg = mrr = 0.0
    shown: set[int] = set()
    ild: list[float] = []
    probs_all, labels_all = [], []
    t0 = time.perf_counter()
    users = split.test_users
    for start in range(0, len(users), batch):
        check(cancel)
        chunk = users[start : start + batch]
        logits = np.asarray(strategy.logits(chunk), dtype=np.float64)
        if logits.shape != (len(chunk), n_items):
            raise ValueError(f"logits of shape {logits.shape}, expected {(len(chunk), n_items)}")
        logits = np.nan_to_num(logits, nan=-np.inf, posinf=np.finfo(np.float64).max)
        mapped = calibration.prepare(logits)  # what the score map reads, from whole rows
        masked = np.where(seen.excluded(chunk), -np.inf, logits)
        kk = min(k, n_items)
        top = np.argpartition(-masked, kk - 1, axis=1)[:, :kk] if kk < n_items else np.tile(
            np.arange(n_items), (len(chunk), 1)
        )
        for row in range(len(chunk)):
            targets = split.test_items[start + row]
            scores = masked[row]
            if diversity > 0:
                pool = np.argpartition(-scores, min(5 * k, n_items) - 1)[: 5 * k]
                pool = pool[np.lexsort((pool, -scores[pool]))]
                pool = pool[np.isfinite(scores[pool])]
                probs = calibration.probabilities(mapped[row][pool])
                lst = diversify(pool, probs.astype(np.float64), k, strength=diversity, similarity=similarity)
            else:
                lst = top[row]
                lst = lst[np.lexsort((lst, -scores[lst]))]
                lst = lst[np.isfinite(scores[lst])]
            in_target = np.isin(lst, targets)
            hr += float(in_target.any())
            recall += list_recall(lst, targets, k)
            ndcg += list_ndcg(lst, targets, k)
            t_scores = scores[targets]
            finite = np.isfinite(t_scores)
            if finite.any():  # the best-placed target, ties counted half
                mrr += 1.0 / (1 + float(split_ties_rank(scores[None], t_scores[finite].max())[0]))
            shown.update(int(i) for i in lst)
            if similarity is not None and len(ild) < ILD_USERS:
                value = similarity.intra_list_diversity(lst)
                if value is not None:
                    ild.append(value)
            if len(lst):
                probs_all.append(calibration.probabilities(mapped[row][lst]))
                labels_all.append(in_target.astype(np.float64))
    seconds = time.perf_counter() - t0
    n = max(len(users), 1)
    ece = reliability = mean_p = mean_y = None
    by_share: list[dict[str, float]] = []
    ece_share = None
    if probs_all:
        p = np.concatenate(probs_all).astype(np.float64)
        y = np.concatenate(labels_all)
        mean_p, mean_y = float(p.mean()), float(y.mean())
        reliability = reliability_table(p, y)
        by_share = reliability_by_share(p, y)
        ece, ece_share = table_gap(reliability), table_gap(by_share)
    return RankingMetrics(
        hr=hr / n,
        recall=recall / n,
        ndcg=ndcg / n,
        mrr=mrr / n,
        coverage=len(shown) / n_items if n_items else 0.0,
        ild=float(np.mean(ild)) if ild else None,
        ece=ece if calibration.calibrated else None,
        reliability=reliability or [],
        reliability_by_share=by_share,
        ece_by_share=ece_share if calibration.calibrated else None,
        mean_predicted=mean_p,
        mean_observed=mean_y,
        users=len(users),
        score_seconds=seconds,
    )


# -------------------------------------------------------------------------------------------
# Evaluating strategies
# -------------------------------------------------------------------------------------------


