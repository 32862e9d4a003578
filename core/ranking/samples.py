"""The rows a score map is fitted on: for a sample of held-out customers, their top-scored
candidates, their held-out items and seeded random other items, each with its logit and whether
the customer took it (:class:`CalibrationSample`, :func:`collect_sample`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass
class CalibrationSample:
    """(logit, label, weight) triples, ``top`` marking each customer's top-k list candidates."""

    logits: np.ndarray
    labels: np.ndarray
    weights: np.ndarray
    top: np.ndarray
    users: np.ndarray  # which customer each row belongs to (for cross-fitting)
    items: np.ndarray | None = None  # which item each row scores
    candidate: np.ndarray | None = None  # rows among each customer's top ``candidates`` items


def collect_sample(
    score_batch: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]],
    users: np.ndarray,
    positives: Sequence[np.ndarray],
    *,
    k: int = 10,
    candidates: int = 50,
    negatives: int = 50,
    seed: int = 0,
    batch: int = 256,
    cancel_check: Callable[[], None] | None = None,
) -> CalibrationSample:
    """Gather calibration rows for ``users`` whose held-out items are ``positives[j]``.

    ``score_batch(users)`` returns ``(logits, excluded)`` of shape (B, I): raw logits and the
    items a list would never show (seen, not repeat). Rows: every positive, each customer's top
    ``candidates`` items, and ``negatives`` uniformly sampled other items weighted by their
    inverse sampling rate.
    """
    rng = np.random.default_rng(seed)
    out_x, out_y, out_w, out_top, out_u, out_i, out_c = [], [], [], [], [], [], []
    for start in range(0, len(users), batch):
        if cancel_check is not None:
            cancel_check()
        chunk = users[start : start + batch]
        logits, excluded = score_batch(chunk)
        n_items = logits.shape[1]
        for row, u in enumerate(chunk):
            pos = np.asarray(positives[start + row], dtype=np.int64)
            allowed = ~excluded[row]
            # A customer whose held-out items were all excluded (they only came back for what
            # they had) stays in: every item a list shows them was missed. Dropping them made
            # the calibration promise the rate of the others (bench/RESULTS.md, Shopify).
            pos = pos[allowed[pos]]
            if not allowed.any():
                continue
            scores = np.where(allowed, logits[row], -np.inf)
            n_allowed = int(allowed.sum())
            c = min(candidates, n_allowed)
            top = np.argpartition(-scores, c - 1)[:c] if c < n_allowed else np.flatnonzero(allowed)
            top = top[np.argsort(-scores[top], kind="stable")]
            in_top = np.zeros(n_items, dtype=bool)
            in_top[top] = True
            is_pos = np.zeros(n_items, dtype=bool)
            is_pos[pos] = True
            rest = np.flatnonzero(allowed & ~in_top & ~is_pos)
            sampled = rest
            weight = 1.0
            if len(rest) > negatives:
                sampled = rng.choice(rest, size=negatives, replace=False)
                weight = len(rest) / negatives
            extra_pos = pos[~in_top[pos]]
            items = np.concatenate([top, extra_pos, sampled])
            out_x.append(logits[row, items])
            out_y.append(is_pos[items].astype(np.float64))
            out_w.append(
                np.concatenate(
                    [np.ones(len(top) + len(extra_pos)), np.full(len(sampled), weight)]
                )
            )
            flag = np.zeros(len(items), dtype=bool)
            flag[: min(k, len(top))] = True
            out_top.append(flag)
            out_u.append(np.full(len(items), u, dtype=np.int64))
            out_i.append(items.astype(np.int64))
            out_c.append(np.arange(len(items)) < len(top))
    if not out_x:
        empty = np.zeros(0)
        none = empty.astype(np.int64)
        flags = np.zeros(0, dtype=bool)
        return CalibrationSample(empty, empty, empty, flags, none, none, flags)
    return CalibrationSample(
        np.concatenate(out_x).astype(np.float64),
        np.concatenate(out_y),
        np.concatenate(out_w),
        np.concatenate(out_top),
        np.concatenate(out_u),
        np.concatenate(out_i),
        np.concatenate(out_c),
    )


def candidates_only(sample: CalibrationSample) -> CalibrationSample:
    """The rows of each customer's top candidates: the population lists are cut from."""
    if sample.candidate is None:
        return sample
    m = sample.candidate
    return CalibrationSample(
        sample.logits[m], sample.labels[m], sample.weights[m], sample.top[m], sample.users[m],
        None if sample.items is None else sample.items[m], m[m],
    )
