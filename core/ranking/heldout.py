"""Calibrating a strategy on held-out interactions: which customers are held out, the sample of
their (customer, item) rows, and the score map fitted on it (see :mod:`.calibration` for the
maps themselves).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from ..contracts.progress import CancelToken, check
from ..contracts.strategy import Strategy
from ..data.dataset import TYPE_CODE, Dataset
from .calibration import Calibration, calibrate, row_stats, standardise_rows
from .rules import ListRules, SeenFilter
from .samples import CalibrationSample, collect_sample

CALIBRATION_USERS = 3000  # enough for a 2-parameter fit; caps the cost on big shops


# With ``rows="auto"`` the map reads each customer's standardised logits instead of the raw
# ones when that lowers the cross-fitted log loss of the calibration rows by this share. The
# classic strategies' logit scale differs from customer to customer, so one map of raw logits
# promised the same where customers took 9 % and 25 %; standardised, each tenth of the shown
# items is taken about as often as it promises. Measured with bench/probes/calibration_rowwise.py
# (bench/RESULTS.md, "Each customer's standardised logits"): log loss 6-11 % lower for EASE,
# ALS and item-kNN on the demo, 1-2 % for EASE and item-kNN on the Shopify export; the
# transformer gained 0.3 % on the demo (no better by tenths) and lost on Shopify, as ALS did.
ROWS_MARGIN = 0.01


CALIBRATION_SHARE = 0.2  # of the customers: their latest interactions calibrate, the rest train


CALIBRATION_MIN_USERS = 300  # small shops: enough held-out interactions for a stable fit


def calibration_customers(ds: Dataset, seed: int = 0) -> np.ndarray:
    """The customers whose latest interactions :func:`train` holds out to calibrate on: a seeded
    random :data:`CALIBRATION_SHARE` of those with two or more (at least
    :data:`CALIBRATION_MIN_USERS`, at most :data:`CALIBRATION_USERS`), sorted.

    Everyone else's whole history trains the first fit. Holding out every customer's tail starved
    it where histories are short: on Amazon Video (9 events a customer) the trained model scored
    half of what the same budget on all events gives (bench/RESULTS.md, "Calibration holds out
    a sample of customers").
    """
    positive = ds.types != TYPE_CODE["refund"]
    counts = np.bincount(ds.users[positive], minlength=ds.n_users)
    eligible = np.flatnonzero(counts >= 2)
    n = min(len(eligible), CALIBRATION_USERS,
            max(CALIBRATION_MIN_USERS, math.ceil(CALIBRATION_SHARE * len(eligible))))
    pick = np.random.default_rng(seed).choice(len(eligible), n, replace=False)
    return np.sort(eligible[pick])


def calibrate_strategy(
    strategy: Strategy,
    train: Dataset,
    users: np.ndarray,
    positives: list[np.ndarray],
    *,
    horizon: int,
    event: str | None = None,
    seed: int = 0,
    cancel: CancelToken | None = None,
    max_users: int = CALIBRATION_USERS,
    return_sample: bool = False,
    rows: str = "raw",
    rules: ListRules | None = None,
) -> Calibration | tuple[Calibration, CalibrationSample]:
    """Fit the score map of a strategy fitted on ``train`` to the held-out ``positives``.

    ``rows``: what the map reads, "raw" logits, "z" (each customer's standardised logits) or
    "auto": z where it lowers the cross-fitted log loss by ROWS_MARGIN (personal strategies
    only; a score every customer shares has nothing to standardise).
    ``rules``: which items the lists being calibrated may show (default: a shop's
    :class:`ListRules`). A held-out item they hide counts as missed, as it would be.
    """
    if rows not in ("raw", "z", "auto"):
        raise ValueError(f"unknown rows {rows!r}; choose 'raw', 'z' or 'auto'")
    if len(users) > max_users:
        pick = np.sort(np.random.default_rng(seed).choice(len(users), max_users, replace=False))
        users = users[pick]
        positives = [positives[j] for j in pick]
    seen = SeenFilter(train, rules if rules is not None else ListRules())

    if not strategy.personal:
        rows = "raw"  # a score every customer shares has nothing to standardise
    means = np.zeros(train.n_users)
    sds = np.ones(train.n_users)

    def score_batch(batch: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        logits = np.asarray(strategy.logits(batch), dtype=np.float64)
        logits = np.nan_to_num(logits, nan=-1e30, posinf=1e30, neginf=-1e30)
        if rows != "raw":  # each row's statistics, to standardise the sample's rows afterwards
            means[batch], sds[batch] = row_stats(logits)
        return logits, seen.excluded(batch)

    # One scoring pass: standardising keeps each row's order, so the sample's rows (top
    # candidates, positives, the seeded negatives) are the same for both inputs.
    sample = collect_sample(
        score_batch, users, positives, seed=seed, cancel_check=lambda: check(cancel)
    )
    calibration = None if rows == "z" else calibrate(sample, horizon=horizon, event=event)
    if rows != "raw":
        z_sample = dataclasses.replace(
            sample, logits=(sample.logits - means[sample.users]) / sds[sample.users])
        z = dataclasses.replace(calibrate(z_sample, horizon=horizon, event=event), rows="z")
        if calibration is None or (
                z.calibrated and calibration.log_loss and z.log_loss is not None
                and z.log_loss < (1 - ROWS_MARGIN) * calibration.log_loss):
            calibration, sample = z, z_sample
    return (calibration, sample) if return_sample else calibration


def sample_logits(strategy: Strategy, sample: CalibrationSample, batch: int = 256,
                  rows: str = "raw") -> np.ndarray:
    """``strategy``'s logits for the (customer, item) rows of a calibration sample, as a map
    with ``rows`` reads them (see :class:`Calibration`)."""
    out = np.zeros(len(sample.logits), dtype=np.float64)
    if sample.items is None or len(out) == 0:
        return out
    users = np.unique(sample.users)
    for start in range(0, len(users), batch):
        chunk = users[start : start + batch]
        logits = np.asarray(strategy.logits(chunk), dtype=np.float64)
        logits = np.nan_to_num(logits, nan=-1e30, posinf=1e30, neginf=-1e30)
        if rows == "z":
            logits = standardise_rows(logits)
        picked = np.flatnonzero(np.isin(sample.users, chunk))
        out[picked] = logits[np.searchsorted(chunk, sample.users[picked]), sample.items[picked]]
    return out


def logits_as_calibrated(
    strategy: Strategy, sample: CalibrationSample, history: Dataset, now: Dataset,
    rows: str = "raw",
) -> np.ndarray:
    """The logits of ``strategy`` (brought up to ``now``) for a calibration sample's rows, its
    customers scored from ``history``, the events the calibrated fit saw; then back to ``now``.

    A calibration row asks whether the customer takes the item in their next interactions after
    ``history``. Scored from ``now``, the held-out items would already be the customer's past:
    a sequence model reads them as its latest events, and the transformer's repeat term gives
    them its bonus, so the carried-over calibration would answer another question. On the demo
    shop that flattened every probability to at most 0.2 (bench/RESULTS.md).
    """
    if not strategy.personal or len(sample.logits) == 0:
        return sample_logits(strategy, sample, rows=rows)
    users = np.unique(sample.users)
    strategy.update(history, users)
    try:
        return sample_logits(strategy, sample, rows=rows)
    finally:
        strategy.update(now, users)
        strategy.dataset = now
