"""Automatic hyper-parameter search on validation targets only, within a time budget.

Any strategy can use it: :func:`make_holdout` hides each customer's last event of the data the
strategy was given (never the engine's test targets, which the strategy never sees), and
:func:`coordinate_search` tries parameter values one axis at a time, keeping the best NDCG@k on
those hidden events, until the time budget runs out. The first candidate (the starting point) is
always evaluated, so a search always returns an answer.

Also here: the memory guard shared by the collaborative strategies (:class:`CatalogTooLarge`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..contracts.progress import CancelToken, ProgressFn, check, report
from ..data.dataset import Dataset, split_last
from .metrics import ndcg_hr, split_ties_rank

#: Memory the collaborative strategies plan for when they state their catalog limits.
PLANNED_MEMORY_BYTES = 24 * 1024**3


class CatalogTooLarge(ValueError):
    """A strategy would need more memory than planned for this catalog; the message says which fits."""


def check_catalog_size(strategy: str, n_items: int, limit: int, suggestion: str) -> None:
    """Raise :class:`CatalogTooLarge` with a one-line message when ``n_items`` exceeds ``limit``."""
    if n_items > limit:
        raise CatalogTooLarge(
            f"{strategy}: the catalog has {n_items:,} items but {strategy} handles at most "
            f"{limit:,} in 24 GB; use {suggestion} instead"
        )


@dataclass(frozen=True)
class Holdout:
    """Validation data carved out of a training set: fit on ``train``, rank for ``users``."""

    train: Dataset
    users: np.ndarray  # validation users (dataset indices)
    targets: np.ndarray  # the hidden item of each validation user
    seen: sp.csr_matrix  # users × items, what each user had in ``train`` (excluded from ranking)


def make_holdout(
    dataset: Dataset,
    *,
    max_users: int = 5000,
    seed: int = 0,
    target_types: Sequence[str] | None = None,
) -> Holdout | None:
    """Hide each user's last event (of ``target_types``); None when fewer than 2 users qualify."""
    train, targets = split_last(dataset, target_types)
    users = np.flatnonzero(targets >= 0)
    if len(users) < 2:
        return None
    if len(users) > max_users:
        rng = np.random.default_rng(seed)
        users = np.sort(rng.choice(users, size=max_users, replace=False))
    seen = train.matrix()[users]
    return Holdout(train=train, users=users, targets=targets[users], seen=seen)


def ranking_quality(
    score: Callable[[np.ndarray], np.ndarray],
    holdout: Holdout,
    *,
    k: int = 10,
    batch: int = 512,
    cancel: CancelToken | None = None,
) -> float:
    """Mean NDCG@k of the hidden targets under full ranking, seen items excluded.

    ``score(users)`` returns a (len(users), n_items) array. Ties count half (mean tie rank), so a
    model that scores everything equal gets no credit for it.
    """
    total = 0.0
    n = len(holdout.users)
    for lo in range(0, n, batch):
        check(cancel)
        users = holdout.users[lo : lo + batch]
        s = np.array(score(users), dtype=np.float64, copy=True)
        s[~np.isfinite(s)] = -np.inf
        seen = holdout.seen[lo : lo + batch]
        rows = np.repeat(np.arange(len(users)), np.diff(seen.indptr))
        s[rows, seen.indices] = -np.inf
        t = holdout.targets[lo : lo + batch]
        ts = s[np.arange(len(users)), t]
        gain = np.where(np.isfinite(ts), ndcg_hr(split_ties_rank(s, ts), k)[0], 0.0)
        total += float(gain.sum())
    return total / max(n, 1)


@dataclass(frozen=True)
class Trial:
    params: dict[str, Any]
    score: float
    seconds: float


@dataclass
class TuningResult:
    """The best parameters found, every trial in order, and whether the budget cut the search."""

    best: dict[str, Any]
    best_score: float
    trials: list[Trial] = field(default_factory=list)
    out_of_time: bool = False

    def summary(self) -> str:
        shown = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                          for k, v in self.best.items())
        return f"{shown} (validation NDCG@10 {self.best_score:.4f}, {len(self.trials)} trials)"


def coordinate_search(
    space: dict[str, Sequence[Any]],
    start: dict[str, Any],
    evaluate: Callable[[dict[str, Any]], float],
    *,
    budget_seconds: float,
    passes: int = 2,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> TuningResult:
    """Maximise ``evaluate`` one parameter at a time over ``space``, starting from ``start``.

    Each axis's values are tried in the order given (put the likeliest first); a second pass
    revisits axes when the first changed something. Stops when ``budget_seconds`` is spent.
    """
    t0 = time.perf_counter()
    cache: dict[tuple, float] = {}
    result = TuningResult(best=dict(start), best_score=-math.inf)
    planned = sum(len(v) for v in space.values()) * passes + 1
    done = 0

    def run(candidate: dict[str, Any]) -> float:
        nonlocal done
        key = tuple(sorted(candidate.items()))
        if key in cache:
            return cache[key]
        check(cancel)
        t = time.perf_counter()
        value = float(evaluate(candidate))
        if not math.isfinite(value):
            value = -math.inf
        cache[key] = value
        result.trials.append(Trial(dict(candidate), value, time.perf_counter() - t))
        done += 1
        report(progress, done, planned, "tuning on validation", score=value, **candidate)
        return value

    result.best_score = run(result.best)
    for _ in range(passes):
        changed = False
        for name, values in space.items():
            for value in values:
                if time.perf_counter() - t0 > budget_seconds:
                    result.out_of_time = True
                    return result
                candidate = {**result.best, name: value}
                score = run(candidate)
                if score > result.best_score + 1e-9:
                    result.best, result.best_score, changed = candidate, score, True
        if not changed:
            break
    return result


def default_budget(dataset: Dataset, seconds: float) -> float:
    """The tuning budget for ``dataset``: the user's setting, or, when 0, scaled to its size."""
    if seconds > 0:
        return seconds
    # ~5 s for a shop with 100k events, growing with size, capped at two minutes
    return float(min(120.0, max(2.0, dataset.n_events / 20_000)))
