"""Turning raw strategy logits into probabilities that mean something, and measuring how true.

Every strategy returns raw logits ``<p_u, p_i>`` on its own scale. The core maps them once, for all
strategies, through ``s = σ(a·logit + b)`` (Platt scaling) with ``(a, b)`` fitted on interactions
the model did not see, so that ``s`` estimates a stated probability (:data:`EVENT`): that the
customer interacts with the item within their next ``horizon`` interactions.

The fit uses each customer's top candidates (the items lists are cut from: the estimate is
P(event | logit, the item is a candidate), with no negative-sampling ratio to distort it). The
sample also holds every held-out positive and a uniform sample of the remaining items weighted by
the inverse sampling rate, for a whole-catalogue fit (``population="catalog"``). How true it is, is
measured by the expected calibration error (ECE) and a reliability table over the items a list
would show (each customer's top ``k``), cross-fitted on two halves of the customers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
from scipy.special import expit

EVENT = (
    "the customer interacts with this item (views, carts, favourites, buys or rates it) "
    "within their next {horizon} interaction{s}"
)


def describe_event(horizon: int) -> str:
    """The event a calibrated score estimates, in words, for ``horizon`` interactions."""
    return EVENT.format(horizon=horizon, s="" if horizon == 1 else "s")


def sigmoid(x: np.ndarray) -> np.ndarray:
    return expit(np.asarray(x, dtype=np.float64))


@dataclass(frozen=True, kw_only=True)
class Calibration:
    """``s = σ(a·logit + b)`` and what it estimates; ``calibrated`` False when there was no data."""

    a: float = 1.0
    b: float = 0.0
    event: str = ""
    horizon: int = 10
    calibrated: bool = False
    users: int = 0
    positives: int = 0
    ece: float | None = None  # over each calibration customer's top-k candidates, cross-fitted
    reliability: tuple[dict[str, float], ...] = field(default_factory=tuple)
    note: str = ""
    population: str = ""  # rows (a, b) was fitted on: "candidates" or "catalog"

    def probabilities(self, logits: np.ndarray) -> np.ndarray:
        """Calibrated scores in [0, 1], float32, same shape as ``logits``."""
        return sigmoid(self.a * np.asarray(logits, dtype=np.float64) + self.b).astype(np.float32)

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["reliability"] = [dict(r) for r in self.reliability]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Calibration:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["reliability"] = tuple(known.get("reliability") or ())
        return cls(**known)


def fit_platt(
    x: np.ndarray, y: np.ndarray, w: np.ndarray | None = None, *, l2: float = 1e-4, iters: int = 100
) -> tuple[float, float]:
    """Weighted logistic regression of ``y`` on one feature ``x``: returns ``(a, b)``.

    Newton's method on standardised ``x`` (logit scales differ wildly between strategies), with a
    tiny ridge so that separable data still give finite numbers.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    w = np.ones_like(x) if w is None else np.asarray(w, dtype=np.float64)
    mu = float(np.average(x, weights=w)) if w.sum() > 0 else 0.0
    sd = float(np.sqrt(np.average((x - mu) ** 2, weights=w))) if w.sum() > 0 else 1.0
    # Constant logits (up to rounding) carry no slope. The test is relative: a strategy whose
    # scores all lie near 1e-22 (ALS with a large tuned regularisation on a small shop) still
    # ranks, and an absolute floor used to flatten it to the base rate (bench/RESULTS.md).
    sd = sd if np.isfinite(sd) and sd > 1e-9 * abs(mu) and sd > 0 else 1.0
    z = (x - mu) / sd
    total = w.sum()
    prior = float(np.clip(np.sum(w * y) / total, 1e-9, 1 - 1e-9))
    theta = np.array([0.0, np.log(prior / (1 - prior))])  # slope, intercept
    design = np.stack([z, np.ones_like(z)], axis=1)

    def loss(t: np.ndarray) -> float:
        s = design @ t
        # log(1 + e^s) - y*s, weighted; logaddexp keeps it finite for large |s|
        return float(np.sum(w * (np.logaddexp(0.0, s) - y * s)) / total + 0.5 * l2 * t[0] ** 2)

    current = loss(theta)
    for _ in range(iters):
        p = expit(design @ theta)
        grad = design.T @ (w * (p - y)) / total + l2 * np.array([theta[0], 0.0])
        hess = (design * (w * p * (1 - p))[:, None]).T @ design / total + l2 * np.eye(2)
        step = np.linalg.solve(hess + 1e-12 * np.eye(2), grad)
        # Newton with backtracking: plain Newton overshoots on nearly separable data
        scale = 1.0
        while scale > 1e-6:
            candidate = theta - scale * step
            value = loss(candidate)
            if value <= current:
                break
            scale /= 2
        else:
            break
        theta, improvement, current = candidate, current - value, value
        if improvement < 1e-12 or np.max(np.abs(scale * step)) < 1e-9:
            break
    slope, intercept = theta
    return float(slope / sd), float(intercept - slope * mu / sd)


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


def expected_calibration_error(
    p: np.ndarray, y: np.ndarray, w: np.ndarray | None = None, bins: int = 10
) -> float:
    """ECE: the count-weighted mean gap between predicted and observed frequency per bin."""
    table = reliability_table(p, y, w, bins)
    total = sum(r["count"] for r in table)
    if not total:
        return float("nan")
    return float(sum(r["count"] * abs(r["predicted"] - r["observed"]) for r in table) / total)


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


def calibrate(
    sample: CalibrationSample,
    *,
    horizon: int,
    event: str | None = None,
    min_positives: int = 5,
    population: str = "auto",
) -> Calibration:
    """Fit (a, b) on ``sample``; ECE and reliability cross-fitted on two halves of the customers.

    ``population``: ``"candidates"`` fits on each customer's top candidates only (lists are cut
    from them); ``"catalog"`` on the whole catalogue (reweighted sample); ``"auto"`` (default)
    fits both and keeps the one with the lower cross-fitted ECE among those whose slope is
    positive. Candidates won on a real Shopify export (half the ECE on held-out customers);
    on MovieLens, where logit scales vary between customers, the candidate fit found no slope
    and the catalogue fit was kept (bench/RESULTS.md, engine section).
    """
    event = event or describe_event(horizon)
    if population == "auto":
        fits = [
            calibrate(sample, horizon=horizon, event=event, min_positives=min_positives, population=p)
            for p in ("candidates", "catalog")
        ]
        usable = [c for c in fits if c.calibrated and c.a > 0] or fits
        return min(usable, key=lambda c: np.inf if c.ece is None else c.ece)
    if population == "candidates":
        sample = candidates_only(sample)
    elif population != "catalog":
        raise ValueError(f"population must be 'candidates' or 'catalog' (got {population!r})")
    n_pos = int(sample.labels.sum())
    n_users = len(np.unique(sample.users))
    if n_pos < min_positives:
        return Calibration(
            event=event,
            horizon=horizon,
            calibrated=False,
            users=n_users,
            positives=n_pos,
            note=f"not calibrated: only {n_pos} held-out interactions (need {min_positives})",
            population=population,
        )
    a, b = fit_platt(sample.logits, sample.labels, sample.weights)
    note = ""
    if a <= 0:
        # The engine never reverses a strategy's ranking: a strategy whose scores do not rank
        # held-out interactions above the rest gets the base rate as its score.
        rate = float(np.clip(np.sum(sample.weights * sample.labels) / sample.weights.sum(), 1e-9, 1 - 1e-9))
        a, b = 0.0, float(np.log(rate / (1 - rate)))
        note = "scores did not rank held-out interactions higher: every item gets the base rate"
    # Cross-fit: scores for half A come from (a, b) fitted on half B and vice versa.
    half = (sample.users % 2).astype(bool)
    p = np.empty_like(sample.logits)
    for part in (half, ~half):
        other = ~part
        pa, pb = a, b
        if a > 0 and sample.labels[other].sum() >= 1 and part.any():
            pa, pb = fit_platt(sample.logits[other], sample.labels[other], sample.weights[other])
            if pa <= 0:  # as above: the base rate of that half, never a reversed ranking
                w, y = sample.weights[other], sample.labels[other]
                rate = float(np.clip(np.sum(w * y) / w.sum(), 1e-9, 1 - 1e-9))
                pa, pb = 0.0, float(np.log(rate / (1 - rate)))
        p[part] = sigmoid(pa * sample.logits[part] + pb)
    top = sample.top
    return Calibration(
        a=a,
        b=b,
        event=event,
        horizon=horizon,
        calibrated=True,
        users=n_users,
        positives=n_pos,
        ece=expected_calibration_error(p[top], sample.labels[top]),
        reliability=tuple(reliability_table(p[top], sample.labels[top])),
        note=note,
        population=population,
    )


def transfer(
    calibration: Calibration, sample: CalibrationSample, new_logits: np.ndarray
) -> Calibration:
    """Carry a calibration over to a model refitted on all data, whose logit scale may differ.

    The refitted model has no held-out data left, so its ``(a, b)`` is fitted to reproduce the
    calibrated probabilities of the first model on the same (customer, item) rows: a logistic
    regression on soft labels. The ECE and reliability table stay those measured on held-out data.
    """
    if not calibration.calibrated or calibration.a <= 0 or len(sample.logits) == 0:
        return calibration
    if calibration.population == "candidates" and sample.candidate is not None:
        new_logits = new_logits[sample.candidate]
        sample = candidates_only(sample)
    target = calibration.probabilities(sample.logits).astype(np.float64)
    # soft labels are reproducible exactly: no ridge needed, and it would bias the copy
    a, b = fit_platt(new_logits, target, sample.weights, l2=1e-9)
    if a <= 0:
        return calibration
    note = "; ".join(x for x in (calibration.note, "transferred to the model refitted on all data") if x)
    return replace(calibration, a=a, b=b, note=note)
