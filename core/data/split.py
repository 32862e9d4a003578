"""Holding out what a customer did last: the one place that decides which interactions a model
may learn from and which it is measured or calibrated on.

- :func:`holdout_last`: each chosen customer's last ``horizon`` positive interactions, for the
  calibration in :func:`shoprec.core.training.fit_calibrated` and for a blend's weights;
- :func:`loo_split` / :func:`temporal_split` (:func:`make_split`): the two evaluation protocols,
  leave-one-out and a time cutoff, as a :class:`Split`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from .dataset import TYPE_CODE, Dataset, split_last


def holdout_last(
    ds: Dataset, horizon: int, users: np.ndarray | None = None
) -> tuple[Dataset, np.ndarray, list[np.ndarray]]:
    """Hold out each customer's last ``min(horizon, n - 1)`` positive interactions.

    ``users``: hold out only these customers' (None: every customer's). Returns ``(rest, users,
    held_out_items)``: the customers with at least two positive interactions whose tail was held
    out and, for each, the distinct items of their held-out interactions.
    """
    positive = np.flatnonzero(ds.types != TYPE_CODE["refund"])
    users_of = ds.users[positive]
    counts = np.bincount(users_of, minlength=ds.n_users)
    take = np.minimum(horizon, np.maximum(counts - 1, 0))
    if users is not None:
        only = np.zeros(ds.n_users, dtype=bool)
        only[np.asarray(users, dtype=np.int64)] = True
        take[~only] = 0
    # rank of each positive event from the end of its user's positive events
    bounds = np.searchsorted(users_of, np.arange(ds.n_users + 1))
    from_end = bounds[users_of + 1] - np.arange(len(users_of)) - 1
    held = from_end < take[users_of]
    keep = np.ones(ds.n_events, dtype=bool)
    keep[positive[held]] = False
    held_users = users_of[held]
    held_items = ds.items[positive[held]]
    chosen = np.flatnonzero(take > 0)
    cut = np.searchsorted(held_users, np.arange(ds.n_users + 1))
    items = [np.unique(held_items[cut[u] : cut[u + 1]]) for u in chosen]
    return ds.with_events(keep), chosen.astype(np.int64), items


PROTOCOLS = ("loo", "temporal")


class EvaluationError(ValueError):
    """The data cannot support the requested protocol (one-line reason)."""


@dataclass
class Split:
    """What one protocol produces: the data to fit on, calibrate on, score with and the truth."""

    fit: Dataset  # strategies are fitted on this
    cal_users: np.ndarray
    cal_items: list[np.ndarray]  # held-out validation items per calibration user
    cal_event: str
    cal_horizon: int
    score: Dataset  # histories for test scoring (fit + validation interactions)
    test_users: np.ndarray
    test_items: list[np.ndarray]
    cutoff: int | None = None


def parse_cutoff(value: Any) -> int:
    """A cut date as unix seconds from 'YYYY-MM-DD[THH:MM]', a date/datetime or seconds."""
    if isinstance(value, int | float | np.integer):
        return int(value)
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
        return int(moment.timestamp())
    if isinstance(value, dt.date):
        return int(dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc).timestamp())
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise EvaluationError(f"cutoff {text!r} is not a date (use YYYY-MM-DD)") from exc
    return parse_cutoff(moment)


def _positive(ds: Dataset) -> np.ndarray:
    return ds.types != TYPE_CODE["refund"]


def loo_split(ds: Dataset) -> Split:
    """Leave-one-out: last positive interaction = test, the one before = validation."""
    seen_input, test_t = split_last(ds)
    fit, val_t = split_last(seen_input)
    test_users = np.flatnonzero(test_t >= 0)
    cal_users = np.flatnonzero(val_t >= 0)
    if len(test_users) == 0:
        raise EvaluationError("leave-one-out needs customers with at least two interactions")
    return Split(
        fit=fit,
        cal_users=cal_users,
        cal_items=[np.array([val_t[u]]) for u in cal_users],
        cal_event=describe_event(1),
        cal_horizon=1,
        score=seen_input,
        test_users=test_users,
        test_items=[np.array([test_t[u]]) for u in test_users],
    )


def _future_items(ds: Dataset, lo: int, hi: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """Customers with history before ``lo`` and the items new to them in [lo, hi)."""
    pos = _positive(ds)
    before = ds.times < lo
    has_history = np.zeros(ds.n_users, dtype=bool)
    has_history[ds.users[before & pos]] = True
    window = pos & (ds.times >= lo) & (ds.times < hi)
    users_w, items_w = ds.users[window], ds.items[window]
    if len(users_w) == 0:
        return np.zeros(0, dtype=np.int64), []
    before_pairs = set(zip(ds.users[before].tolist(), ds.items[before].tolist(), strict=True))
    out_users, out_items = [], []
    order = np.lexsort((items_w, users_w))
    users_w, items_w = users_w[order], items_w[order]
    bounds = np.flatnonzero(np.diff(users_w)) + 1
    for chunk_u, chunk_i in zip(np.split(users_w, bounds), np.split(items_w, bounds), strict=True):
        u = int(chunk_u[0])
        if not has_history[u]:
            continue
        fresh = np.array(sorted({int(i) for i in chunk_i if (u, int(i)) not in before_pairs}), dtype=np.int64)
        if len(fresh):
            out_users.append(u)
            out_items.append(fresh)
    return np.array(out_users, dtype=np.int64), out_items


def temporal_split(ds: Dataset, cutoff: Any = None) -> Split:
    """Fit before ``cutoff`` (default: the last 10% of events are after it), test after it."""
    if ds.n_events == 0:
        raise EvaluationError("no events to evaluate")
    t_end = int(ds.times.max()) + 1
    cut = parse_cutoff(cutoff) if cutoff is not None else int(np.quantile(ds.times, 0.9))
    if cut <= int(ds.times.min()) or cut >= t_end:
        first = dt.datetime.fromtimestamp(int(ds.times.min()), dt.timezone.utc).date()
        last = dt.datetime.fromtimestamp(int(ds.times.max()), dt.timezone.utc).date()
        raise EvaluationError(f"cutoff must fall inside the data ({first} to {last})")
    test_users, test_items = _future_items(ds, cut, t_end)
    if len(test_users) == 0:
        raise EvaluationError("no customer with history before the cutoff came back after it")
    score = ds.with_events(ds.times < cut)
    # Calibrate on the window of the same length just before the cut: the same event as the test.
    val_cut = cut - (t_end - cut)
    cal_users, cal_items = _future_items(ds, val_cut, cut)
    fit = ds.with_events(ds.times < val_cut)
    if len(cal_users) < 20:  # too little history for a window: the last interaction instead
        fit, val_t = split_last(score)
        cal_users = np.flatnonzero(val_t >= 0)
        cal_items = [np.array([val_t[u]]) for u in cal_users]
        event, horizon = describe_event(1), 1
    else:
        days = (t_end - cut) / 86_400
        event = (
            "the customer interacts with this item (views, carts, favourites, buys or rates it) "
            f"within the next {days:.3g} days"
        )
        horizon = 0
    return Split(
        fit=fit,
        cal_users=cal_users,
        cal_items=cal_items,
        cal_event=event,
        cal_horizon=horizon,
        score=score,
        test_users=test_users,
        test_items=test_items,
        cutoff=cut,
    )


def make_split(ds: Dataset, protocol: str, cutoff: Any = None) -> Split:
    if protocol == "loo":
        return loo_split(ds)
    if protocol == "temporal":
        return temporal_split(ds, cutoff)
    raise EvaluationError(f"unknown protocol {protocol!r}; choose one of {', '.join(PROTOCOLS)}")


EVENT = (
    "the customer interacts with this item (views, carts, favourites, buys or rates it) "
    "within their next {horizon} interaction{s}"
)


def describe_event(horizon: int) -> str:
    """The event a calibrated score estimates, in words, for ``horizon`` interactions."""
    return EVENT.format(horizon=horizon, s="" if horizon == 1 else "s")
