"""Turning raw strategy logits into probabilities that mean something, and measuring how true.

Every strategy returns raw logits ``<p_u, p_i>`` on its own scale. The core maps them once, for all
strategies, through a monotone map fitted on interactions the model did not see, so that the score
``s`` estimates a stated probability (:data:`EVENT`): that the customer interacts with the item
within their next ``horizon`` interactions. Two maps are fitted and the truer one is kept:

- ``"platt"``: ``s = σ(a·logit + b)`` (Platt scaling), two parameters, smooth;
- ``"isotonic"``: a non-decreasing curve through the held-out hit rates (pool adjacent violators),
  drawn straight between the centres of its blocks in log-odds (centred isotonic regression) and
  flat beyond the first and last. It follows score shapes a sigmoid cannot: EASE's and item-kNN's
  scores on a real Shopify export, right on average in the bulk and over-confident in the tail
  (bench/RESULTS.md, "Calibration: a monotone curve where the sigmoid cannot follow").

Neither map ever reorders items, and lists are ordered by the raw logits, so a flat stretch of the
curve ties scores, never ranks.

The fit uses each customer's top candidates (the items lists are cut from: the estimate is
P(event | logit, the item is a candidate), with no negative-sampling ratio to distort it). The
sample also holds every held-out positive and a uniform sample of the remaining items weighted by
the inverse sampling rate, for a whole-catalogue fit (``population="catalog"``). How true it is, is
measured by the expected calibration error (ECE) and a reliability table over the items a list
would show (each customer's top ``k``), cross-fitted on two halves of the customers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
from scipy.special import expit

from ..data.split import describe_event
from .metrics import expected_calibration_error, reliability_table
from .samples import CalibrationSample, candidates_only


def sigmoid(x: np.ndarray) -> np.ndarray:
    return expit(np.asarray(x, dtype=np.float64))


@dataclass(frozen=True, kw_only=True)
class Calibration:
    """The score map and what it estimates; ``calibrated`` False when there was no data.

    ``a, b``: the Platt fit ``σ(a·logit + b)``, always fitted (``a <= 0`` means the scores did not
    rank held-out interactions higher). ``method == "isotonic"``: the score is the curve through
    ``knots`` (logits, increasing) and ``knot_log_odds`` (non-decreasing) instead.
    """

    a: float = 1.0
    b: float = 0.0
    method: str = "platt"
    knots: tuple[float, ...] = ()
    knot_log_odds: tuple[float, ...] = ()
    event: str = ""
    horizon: int = 10
    calibrated: bool = False
    users: int = 0
    positives: int = 0
    ece: float | None = None  # over each calibration customer's top-k candidates, cross-fitted
    log_loss: float | None = None  # the same rows, cross-fitted, in nats per item
    reliability: tuple[dict[str, float], ...] = field(default_factory=tuple)
    note: str = ""
    population: str = ""  # rows the map was fitted on: "candidates" or "catalog"
    # What the map reads: "raw" logits, or "z", each customer's logits standardised over the
    # whole catalogue (:func:`standardise_rows`), for strategies whose score scale differs
    # from customer to customer. Only :meth:`row_probabilities` applies it.
    rows: str = "raw"

    def prepare(self, logits: np.ndarray) -> np.ndarray:
        """Whole score rows (customers × all items) as the map reads them."""
        x = np.asarray(logits, dtype=np.float64)
        return standardise_rows(x) if self.rows == "z" else x

    def row_probabilities(self, logits: np.ndarray) -> np.ndarray:
        """Calibrated scores of whole score rows (customers × all items), float32."""
        return self.probabilities(self.prepare(logits))

    def probabilities(self, logits: np.ndarray) -> np.ndarray:
        """Calibrated scores in [0, 1], float32, same shape as ``logits``, which are what the
        map reads: raw logits, or rows already through :meth:`prepare`."""
        x = np.asarray(logits, dtype=np.float64)
        if self.method == "isotonic" and self.knots:
            return sigmoid(curve(x, self.knots, self.knot_log_odds)).astype(np.float32)
        return sigmoid(self.a * x + self.b).astype(np.float32)

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["reliability"] = [dict(r) for r in self.reliability]
        out["knots"] = list(self.knots)
        out["knot_log_odds"] = list(self.knot_log_odds)
        return out

    def map_dict(self) -> dict[str, Any]:
        """The fitted map alone, without the report around it: everything :meth:`prepare` and
        :meth:`probabilities` read (:meth:`from_dict` restores it)."""
        return {"a": self.a, "b": self.b, "method": self.method, "knots": list(self.knots),
                "knot_log_odds": list(self.knot_log_odds), "calibrated": self.calibrated,
                "rows": self.rows}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Calibration:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["reliability"] = tuple(known.get("reliability") or ())
        known["knots"] = tuple(float(v) for v in known.get("knots") or ())
        known["knot_log_odds"] = tuple(float(v) for v in known.get("knot_log_odds") or ())
        return cls(**known)

    def describe(self) -> str:
        """How the scores are mapped, in a few words (for notes and reports)."""
        if self.method == "isotonic" and self.knots:
            text = f"an isotonic curve through {len(self.knots)} points"
        else:
            text = f"σ({self.a:.3g}·logit {'+' if self.b >= 0 else '-'} {abs(self.b):.3g})"
        return text + (" of each customer's standardised logits" if self.rows == "z" else "")


def standardise_rows(x: np.ndarray) -> np.ndarray:
    """Each row minus its mean, over its standard deviation (over the finite entries; entries
    at ±1e29 or beyond, the engine's stand-in for ±inf, stay far out and are not counted).
    A positive affine map per row: every customer's ranking is unchanged."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or x.shape[1] == 0:
        return x
    mean, sd = row_stats(x)
    return (x - mean[:, None]) / sd[:, None]


def row_stats(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's mean and standard deviation (1 where there is no spread) over its finite
    entries, as :func:`standardise_rows` uses them; ``x`` is (rows, items)."""
    x = np.asarray(x, dtype=np.float64)
    valid = np.isfinite(x) & (np.abs(x) < 1e29)
    n = np.maximum(valid.sum(axis=1), 1)
    mean = np.where(valid, x, 0.0).sum(axis=1) / n
    centred = np.where(valid, x - mean[:, None], 0.0)
    sd = np.sqrt((centred * centred).sum(axis=1) / n)
    return mean, np.where(np.isfinite(sd) & (sd > 0), sd, 1.0)


def curve(x: np.ndarray, knots: Sequence[float], log_odds: Sequence[float]) -> np.ndarray:
    """Log-odds at ``x``: straight between the knots, flat beyond the first and the last.

    NaN logits map to the lowest log-odds, like the scoring path's ``nan_to_num(nan=-1e30)``.
    The same numbers as ``np.interp`` (to rounding), faster on a shop's score matrix: ``np.interp``
    binary-searches the knots for every item of every customer. Scores for 6,040 × 3,416 items
    in batches of 256: 1.26 s through ``np.interp``, 0.72 s through :class:`_Table`, 0.25 s for
    the sigmoid (200 knots, one thread).
    """
    x = np.asarray(x, dtype=np.float64)
    if np.isnan(x).any():
        x = np.nan_to_num(x, nan=-np.inf)
    table = _table(tuple(knots), tuple(log_odds)) if x.size >= 4 * CURVE_CELLS else None
    if table is None:  # small inputs (calibration's own fits) are not worth a table
        return np.interp(x, np.asarray(knots, dtype=np.float64), np.asarray(log_odds, dtype=np.float64))
    return table(x)


CURVE_CELLS = 1 << 16


class _Table:
    """The curve on equal cells between its first and last knot: in a cell without a knot inside
    it is one straight line, stored as slope and intercept; cells with a knot inside, and
    everything outside the knots, go through ``np.interp``."""

    def __init__(self, knots: np.ndarray, log_odds: np.ndarray) -> None:
        self.knots, self.log_odds = knots, log_odds
        self.lo, self.width = knots[0], (knots[-1] - knots[0]) / CURVE_CELLS
        left = self.lo + self.width * np.arange(CURVE_CELLS)
        seg = np.clip(np.searchsorted(knots, left, side="right") - 1, 0, len(knots) - 2)
        self.slope = (log_odds[seg + 1] - log_odds[seg]) / (knots[seg + 1] - knots[seg])
        self.intercept = log_odds[seg] - self.slope * knots[seg]
        self.mixed = np.zeros(CURVE_CELLS + 1, dtype=bool)
        inner = np.floor((knots[1:-1] - self.lo) / self.width).astype(np.int64)
        for shift in (-1, 0, 1):  # a knot or a score near a cell's edge may round into the next
            self.mixed[np.clip(inner + shift, 0, CURVE_CELLS - 1)] = True
        self.mixed[[0, CURVE_CELLS - 1, CURVE_CELLS]] = True  # the end knots, and beyond

    def __call__(self, x: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore", invalid="ignore"):  # ±inf and ±1e30 go to np.interp
            cell = (x - self.lo) / self.width
            np.clip(cell, 0, CURVE_CELLS, out=cell)  # below the first knot: cell 0, mixed
            cell = cell.astype(np.int64)
            rest = self.mixed[cell]
            idx = np.minimum(cell, CURVE_CELLS - 1)
            out = self.slope[idx] * x
            out += self.intercept[idx]
        out[rest] = np.interp(x[rest], self.knots, self.log_odds)
        return out


_TABLES: dict[tuple[tuple[float, ...], tuple[float, ...]], _Table | None] = {}


def _table(knots: tuple[float, ...], log_odds: tuple[float, ...]) -> _Table | None:
    """The lookup table of a curve, built once per curve (a few per run)."""
    key = (knots, log_odds)
    if key not in _TABLES:
        k = np.asarray(knots, dtype=np.float64)
        z = np.asarray(log_odds, dtype=np.float64)
        usable = len(k) >= 2 and np.isfinite(k).all() and k[-1] > k[0]
        width = (k[-1] - k[0]) / CURVE_CELLS if usable else 0.0
        if len(_TABLES) >= 16:  # about 1 MB each; a loaded run needs two (strategy, fallback)
            _TABLES.clear()
        _TABLES[key] = _Table(k, z) if usable and width > 0 and np.isfinite(width) else None
    return _TABLES[key]


LOG_ODDS_LIMIT = 12.0  # |log-odds| of a knot: 6e-6 to 1 - 6e-6, where a block saw no hit (or no miss)


def _pool_adjacent_violators(
    x: np.ndarray, y: np.ndarray, w: np.ndarray, *, pool_ties: bool
) -> list[list[float]]:
    """Blocks ``[weight, weight·y, weight·x, rows, hits]`` of the weighted isotonic fit of ``y``
    on ``x``, left to right (``hits``: rows with ``y`` ≥ 0.5). Equal ``x`` are one point (no
    curve can tell them apart); neighbouring blocks with equal means are pooled too when
    ``pool_ties``."""
    keep = np.isfinite(x) & (w > 0)
    x, y, w = x[keep], y[keep], w[keep]
    if len(x) == 0:
        return []
    order = np.argsort(x, kind="stable")
    x, y, w = x[order], y[order], w[order]
    starts = np.flatnonzero(np.r_[True, x[1:] != x[:-1]])
    sw = np.add.reduceat(w, starts)
    swy = np.add.reduceat(w * y, starts)
    swx = np.add.reduceat(w * x, starts)
    rows = np.diff(np.r_[starts, len(x)]).astype(np.float64)
    hits = np.add.reduceat((y >= 0.5).astype(np.float64), starts)
    blocks: list[list[float]] = []
    for j in range(len(sw)):
        blocks.append([sw[j], swy[j], swx[j], rows[j], hits[j]])
        while len(blocks) > 1:
            left, right = blocks[-2][1] * blocks[-1][0], blocks[-1][1] * blocks[-2][0]
            if left < right or (left == right and not pool_ties):
                break
            _absorb(blocks[-2], blocks.pop())
    return blocks


def _absorb(into: list[float], other: list[float]) -> None:
    for f in range(len(into)):
        into[f] += other[f]


def _knots(blocks: list[list[float]]) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Each block's weighted mean ``x`` and the log-odds of its weighted mean ``y``."""
    knots = [b[2] / b[0] for b in blocks]
    rate = np.clip([b[1] / b[0] for b in blocks], expit(-LOG_ODDS_LIMIT), expit(LOG_ODDS_LIMIT))
    log_odds = np.log(rate / (1 - rate))
    return tuple(float(v) for v in knots), tuple(float(v) for v in log_odds)


def fit_isotonic(
    x: np.ndarray, y: np.ndarray, w: np.ndarray | None = None, *, min_hits: int = 10,
    min_rows: int = 20,
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Weighted isotonic regression of held-out labels ``y`` (0 or 1) on logits ``x``: the knots.

    Pool adjacent violators on the rows sorted by ``x``, then merge neighbouring blocks left to
    right until each holds at least ``min_hits`` hits, as many misses, and ``min_rows`` rows: a
    block of three rows that all hit would otherwise promise 1.0 to the next customer's best
    item. There are at most (hits / ``min_hits``) knots. Merging neighbours keeps the block rates non-decreasing.
    Returns each block's weighted mean ``x`` and the log-odds of its weighted hit rate; empty
    when there are no rows.

    The curve is flat above its last knot, so the top block sets the highest score it can give.
    Counting hits sizes blocks by the evidence they hold: where most items are taken (the
    transformer's best on the demo shop, 63-74 %) a few dozen rows make a block, where few are
    (EASE's tail on the Shopify export, 5 %) hundreds do. Blocks of a fixed share of the rows
    capped the transformer's demo scores at 0.39 (a 50th) and 0.47 (a 200th of a catalogue
    sample, whose sampled negatives count as rows) where its best items were taken 52-74 % of
    the time (bench/RESULTS.md).
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    w = np.ones_like(x) if w is None else np.asarray(w, dtype=np.float64)
    blocks = _pool_adjacent_violators(x, y, w, pool_ties=True)

    def small(b: list[float]) -> bool:
        return b[3] < min_rows or b[4] < min_hits or b[3] - b[4] < min_hits

    merged: list[list[float]] = []
    for block in blocks:
        if merged and small(merged[-1]):
            _absorb(merged[-1], block)
        else:
            merged.append(list(block))
    if len(merged) > 1 and small(merged[-1]):
        _absorb(merged[-2], merged.pop())
    return _knots(merged)


CARRY_TOLERANCE = 0.02  # log-odds a carried-over curve may be off between two of its knots


def _follow(
    x: np.ndarray, target: np.ndarray, w: np.ndarray
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The non-decreasing curve through soft labels ``target`` (no noise to pool away), with as
    few knots as keep it within :data:`CARRY_TOLERANCE` log-odds of the full fit.

    Between two kept knots the full fit rises by at most the tolerance (or they are neighbours),
    and both are monotone, so the straight line between them stays that close to it.
    """
    knots, log_odds = _knots(_pool_adjacent_violators(x, target, w, pool_ties=False))
    if len(knots) <= 2:
        return knots, log_odds
    kept = [0]
    for j in range(1, len(knots)):
        if log_odds[j] - log_odds[kept[-1]] > CARRY_TOLERANCE and kept[-1] != j - 1:
            kept.append(j - 1)
    kept.append(len(knots) - 1)
    return tuple(knots[j] for j in kept), tuple(log_odds[j] for j in kept)


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


ISOTONIC_MARGIN = 0.9  # the curve must cut the sigmoid's cross-fitted ECE by 10 % to replace it


def calibrate(
    sample: CalibrationSample,
    *,
    horizon: int,
    event: str | None = None,
    min_positives: int = 5,
    population: str = "auto",
    method: str = "auto",
) -> Calibration:
    """Fit the score map on ``sample``; ECE and reliability cross-fitted on two halves of the customers.

    ``population``: ``"candidates"`` fits on each customer's top candidates only (lists are cut
    from them); ``"catalog"`` on the whole catalogue (reweighted sample). Candidates won on a real
    Shopify export (half the ECE on held-out customers); on MovieLens, where logit scales vary
    between customers, the candidate fit found no slope and the catalogue fit was kept
    (bench/RESULTS.md, engine section).

    ``method``: ``"platt"`` (σ(a·logit + b)) or ``"isotonic"`` (see :func:`fit_isotonic`).

    ``"auto"`` (the default for both) fits every combination whose Platt slope is positive. For
    each population it keeps the sigmoid unless the curve does better on both cross-fitted
    measures over the list items: a lower log loss and an ECE at least 10 % lower. Then the
    population with the lower cross-fitted ECE. Either measure alone chose badly somewhere: ECE
    alone (binned, not a proper score) picks the curve by chance on data drawn from a sigmoid;
    log loss alone picked a catalogue-wide curve on MovieLens that halves what the top 10 are
    promised (bench/RESULTS.md, "Calibration: a monotone curve where the sigmoid cannot follow").
    """
    event = event or describe_event(horizon)
    if population == "auto" or method == "auto":
        populations = ("candidates", "catalog") if population == "auto" else (population,)
        methods = ("platt", "isotonic") if method == "auto" else (method,)
        fits = [
            calibrate(sample, horizon=horizon, event=event, min_positives=min_positives,
                      population=p, method=m)
            for p in populations
            for m in methods
        ]
        usable = [c for c in fits if c.calibrated and c.a > 0] or fits
        # Per population, the sigmoid unless the curve is truer on the customers it was not
        # fitted on by both measures: a lower log loss (a proper score, so the curve's freedom
        # has to pay for itself) and an ECE lower by ISOTONIC_MARGIN (what the shop is shown).
        best: dict[str, Calibration] = {}
        for c in sorted(usable, key=lambda c: c.method != "platt"):
            kept = best.get(c.population)
            if kept is None or (
                None not in (c.log_loss, kept.log_loss, c.ece, kept.ece)
                and c.log_loss < kept.log_loss
                and c.ece < ISOTONIC_MARGIN * kept.ece
            ):
                best[c.population] = c
        # ... and between populations the lower cross-fitted ECE (bench/RESULTS.md)
        return min(best.values(), key=lambda c: np.inf if c.ece is None else c.ece)
    if population == "candidates":
        sample = candidates_only(sample)
    elif population != "catalog":
        raise ValueError(f"population must be 'candidates' or 'catalog' (got {population!r})")
    if method not in ("platt", "isotonic"):
        raise ValueError(f"method must be 'platt' or 'isotonic' (got {method!r})")
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
    knots: tuple[float, ...] = ()
    log_odds: tuple[float, ...] = ()
    if a <= 0:
        # The engine never reverses a strategy's ranking: a strategy whose scores do not rank
        # held-out interactions above the rest gets the base rate as its score.
        a, b = 0.0, _base_log_odds(sample.labels, sample.weights)
        method = "platt"
        note = "scores did not rank held-out interactions higher: every item gets the base rate"
    elif method == "isotonic":
        knots, log_odds = fit_isotonic(sample.logits, sample.labels, sample.weights)
    fitted = Calibration(a=a, b=b, method=method, knots=knots, knot_log_odds=log_odds)
    # Cross-fit: scores for half A come from the map fitted on half B and vice versa.
    half = (sample.users % 2).astype(bool)
    p = np.empty_like(sample.logits)
    for part in (half, ~half):
        other = ~part
        if not part.any():
            continue
        if a > 0 and sample.labels[other].sum() >= 1:
            x, y, w = sample.logits[other], sample.labels[other], sample.weights[other]
            pa, pb = fit_platt(x, y, w)
            if pa <= 0:  # as above: the base rate of that half, never a reversed ranking
                pa, pb = 0.0, _base_log_odds(y, w)
                half_fit = Calibration(a=pa, b=pb)
            elif method == "isotonic":
                k, z = fit_isotonic(x, y, w)
                half_fit = Calibration(a=pa, b=pb, method=method, knots=k, knot_log_odds=z)
            else:
                half_fit = Calibration(a=pa, b=pb)
        else:
            half_fit = fitted
        p[part] = half_fit.probabilities(sample.logits[part])
    top = sample.top
    return replace(
        fitted,
        event=event,
        horizon=horizon,
        calibrated=True,
        users=n_users,
        positives=n_pos,
        ece=expected_calibration_error(p[top], sample.labels[top]),
        log_loss=_log_loss(p[top], sample.labels[top]),
        reliability=tuple(reliability_table(p[top], sample.labels[top])),
        note=note,
        population=population,
    )


def _log_loss(p: np.ndarray, y: np.ndarray) -> float | None:
    if len(p) == 0:
        return None
    q = np.clip(np.asarray(p, dtype=np.float64), 1e-7, 1 - 1e-7)  # float32 scores reach 0 and 1
    return float(-np.mean(y * np.log(q) + (1 - y) * np.log(1 - q)))


def _base_log_odds(y: np.ndarray, w: np.ndarray) -> float:
    rate = float(np.clip(np.sum(w * y) / w.sum(), 1e-9, 1 - 1e-9))
    return float(np.log(rate / (1 - rate)))


def transfer(
    calibration: Calibration, sample: CalibrationSample, new_logits: np.ndarray
) -> Calibration:
    """Carry a calibration over to a model refitted on all data, whose logit scale may differ.

    The refitted model has no held-out data left, so its map is fitted to reproduce the
    calibrated probabilities of the first model on the same (customer, item) rows: a logistic
    regression (and, for an isotonic map, an isotonic regression) on soft labels. The ECE and
    reliability table stay those measured on held-out data.
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
    knots, log_odds = calibration.knots, calibration.knot_log_odds
    if calibration.method == "isotonic":
        knots, log_odds = _follow(np.asarray(new_logits, dtype=np.float64), target, sample.weights)
    note = "; ".join(x for x in (calibration.note, "transferred to the model refitted on all data") if x)
    return replace(calibration, a=a, b=b, knots=knots, knot_log_odds=log_odds, note=note)
