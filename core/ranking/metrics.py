"""Ranking metrics, once: hit rate, NDCG and reciprocal rank at K, over the full catalogue.

Two ways a result arrives, one formula each:

- a **rank** of the one held-out target (0 = first), as the models' validation and the
  benchmarks measure next-item prediction: :func:`target_ranks` (torch, ties rank the target
  first, as the published protocol's code does) or :func:`split_ties_rank` (numpy, a tie counts
  half, so a model that scores everything alike gets chance level), then :func:`ndcg_hr`;
- a **list** shown to a customer and the items they then took (several may count):
  :func:`list_ndcg`, :func:`list_recall` — what Compare measures.

And whether the probabilities shown are true: :func:`reliability_table` (equal-width bins,
:func:`expected_calibration_error`) and :func:`reliability_by_share` (tenths of the shown items).

NDCG@K of one target at 0-based rank r is 1 / log2(r + 2) when r < K, else 0; of a list,
DCG / ideal DCG with binary gains (Järvelin & Kekäläinen 2002). tests/test_metrics.py checks
every function against a textbook implementation written out in the test.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import numpy as np
import torch

Ranks = TypeVar("Ranks", np.ndarray, torch.Tensor)


def discounts(k: int) -> np.ndarray:
    """The DCG discount of positions 1..k: 1 / log2(position + 1)."""
    return 1.0 / np.log2(np.arange(2, k + 2))


def ndcg_hr(rank: Ranks, k: int = 10) -> tuple[Ranks, Ranks]:
    """Per row, NDCG@k and hit@k (1.0 / 0.0) of one target at 0-based ``rank`` (numpy or torch;
    fractional ranks from split ties are fine)."""
    if isinstance(rank, torch.Tensor):  # float32, as the models' validation always computed it
        hit = rank < k
        ndcg = torch.where(hit, 1.0 / torch.log2(rank.float() + 2), torch.zeros(()))
        return ndcg, hit.float()
    rank = np.asarray(rank, dtype=np.float64)
    hit = rank < k
    return np.where(hit, 1.0 / np.log2(rank + 2.0), 0.0), hit.astype(np.float64)


def target_ranks(scores: torch.Tensor, targets: np.ndarray, seen: list[np.ndarray]) -> torch.Tensor:
    """Each row's 0-based rank of its target under full ranking, its ``seen`` items excluded
    (the target itself never is); ties rank the target first."""
    scores = scores.clone()
    for row, items in enumerate(seen):
        items = items[items != targets[row]]
        scores[row, torch.as_tensor(items, dtype=torch.long)] = -torch.inf
    target_scores = scores[torch.arange(len(targets)), torch.as_tensor(targets)]
    return (scores > target_scores.unsqueeze(1)).sum(1)


def split_ties_rank(scores: np.ndarray, target_scores: np.ndarray) -> np.ndarray:
    """Each row's 0-based rank of a target scored ``target_scores``: the items scored higher,
    plus half of the others scored the same. Exclude seen items by scoring them -inf first."""
    target_scores = np.asarray(target_scores, dtype=np.float64).reshape(-1, 1)
    greater = (scores > target_scores).sum(1)
    equal = (scores == target_scores).sum(1) - 1
    return greater + equal / 2.0


def list_ndcg(shown: np.ndarray, relevant: np.ndarray, k: int) -> float:
    """NDCG@k of one list ``shown`` (best first) against the ``relevant`` items (binary gains;
    the ideal list puts min(len(relevant), k) of them first)."""
    d = discounts(k)
    shown = np.asarray(shown)[:k]
    ideal = d[: min(len(relevant), k)].sum()
    if ideal == 0:
        return 0.0
    return float(d[: len(shown)][np.isin(shown, relevant)].sum() / ideal)


def list_recall(shown: np.ndarray, relevant: np.ndarray, k: int) -> float:
    """Share of what could be found in a list of ``k`` that ``shown`` found."""
    if len(relevant) == 0:
        return 0.0
    return int(np.isin(np.asarray(shown)[:k], relevant).sum()) / min(len(relevant), k)


def mean_list_ndcg(scores: np.ndarray, relevant: list[np.ndarray], k: int = 10) -> float:
    """Mean :func:`list_ndcg` of each row's top ``k`` by ``scores`` (ties by column order)."""
    top = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return float(np.mean([list_ndcg(row, rel, k) for row, rel in zip(top, relevant, strict=True)])) \
        if len(relevant) else 0.0


def reliability_table(
    p: np.ndarray, y: np.ndarray, w: np.ndarray | None = None, bins: int = 10
) -> list[dict[str, float]]:
    """Equal-width bins over [0, 1]: count, mean predicted score and observed frequency."""
    p = np.asarray(p, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    w = np.ones_like(p) if w is None else np.asarray(w, dtype=np.float64)
    which = np.minimum((p * bins).astype(int), bins - 1)
    rows = []
    for k in range(bins):
        m = which == k
        n = float(w[m].sum())
        rows.append(
            {
                "lo": k / bins,
                "hi": (k + 1) / bins,
                "count": n,
                "predicted": float(np.sum(w[m] * p[m]) / n) if n else 0.0,
                "observed": float(np.sum(w[m] * y[m]) / n) if n else 0.0,
            }
        )
    return rows


def reliability_by_share(
    p: np.ndarray, y: np.ndarray, w: np.ndarray | None = None, bins: int = 10
) -> list[dict[str, float]]:
    """Bins holding equal shares of the (weighted) scores, lowest scores first: count, score
    range, mean predicted score and observed frequency.

    For drawing, not for ECE: a shop's calibrated scores often all lie below 0.1, where
    :func:`reliability_table` puts every one of them in its first bin and its diagram is one
    dot. Sorted into tenths, the same scores show whether the higher ones come true more often.
    Bins never split a run of equal scores (an isotonic curve's flat steps), so there may be
    fewer than ``bins``.
    """
    p = np.asarray(p, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    w = np.ones_like(p) if w is None else np.asarray(w, dtype=np.float64)
    keep = w > 0
    p, y, w = p[keep], y[keep], w[keep]
    if len(p) == 0:
        return []
    order = np.argsort(p, kind="stable")
    p, y, w = p[order], y[order], w[order]
    share = np.cumsum(w) / w.sum()
    # bin k: scores whose running share lies in (k/bins, (k+1)/bins]; a run of equal scores
    # goes wholly to the bin where the run ends
    which = np.minimum(np.ceil(share * bins - 1e-9).astype(int) - 1, bins - 1)
    last = np.r_[p[1:] != p[:-1], True]
    run_end = np.flatnonzero(last)
    run_id = np.searchsorted(run_end, np.arange(len(p)))
    which = np.maximum(which[run_end][run_id], 0)
    rows = []
    for k in np.unique(which):
        m = which == k
        n = float(w[m].sum())
        rows.append({
            "lo": float(p[m].min()),
            "hi": float(p[m].max()),
            "count": n,
            "predicted": float(np.sum(w[m] * p[m]) / n),
            "observed": float(np.sum(w[m] * y[m]) / n),
        })
    return rows


def expected_calibration_error(
    p: np.ndarray, y: np.ndarray, w: np.ndarray | None = None, bins: int = 10
) -> float:
    """ECE: the count-weighted mean gap between predicted and observed frequency per bin."""
    return table_gap(reliability_table(p, y, w, bins))


def table_gap(table: Sequence[dict[str, float]]) -> float:
    """The count-weighted mean gap between predicted and observed frequency over a reliability
    table's bins (:func:`reliability_table`: ECE; :func:`reliability_by_share`: by tenths)."""
    total = sum(r["count"] for r in table)
    if not total:
        return float("nan")
    return float(sum(r["count"] * abs(r["predicted"] - r["observed"]) for r in table) / total)
