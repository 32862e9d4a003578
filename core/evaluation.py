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

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import fitcache
from .calibration import (
    Calibration,
    describe_event,
    reliability_by_share,
    reliability_table,
    table_gap,
)
from .compare_plan import ComparePlan, default_budget_min, finished_before, remember
from .dataset import TYPE_CODE, Dataset, split_last
from .devices import resolve_device
from .plugins import ShopRecPluginManager
from .progress import Cancelled, CancelToken, ProgressFn, check, report
from .rules import ListRules, SeenFilter
from .scoring import ItemSimilarity, diversify
from .workspace import Workspace

PROTOCOLS = ("loo", "temporal")
SETTINGS = ("defaults", "trained")  # what evaluate measures a strategy named without settings with
ILD_USERS = 2000  # intra-list diversity is averaged over at most this many customers
# What a measured list may show: anything not in the customer's history (the published protocol).
RANK_RULES = ListRules(allow_repeat=False, collapse_variants=False)


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
    discount = 1.0 / np.log2(np.arange(2, k + 2))
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
            hits = int(in_target.sum())
            hr += float(hits > 0)
            recall += hits / min(len(targets), k)
            idcg = discount[: min(len(targets), k)].sum()
            ndcg += float(discount[: len(lst)][in_target].sum() / idcg)
            t_scores = scores[targets]
            finite = np.isfinite(t_scores)
            if finite.any():
                best = t_scores[finite].max()
                greater = int(np.sum(scores > best))
                ties = int(np.sum(scores == best)) - 1
                mrr += 1.0 / (1 + greater + ties / 2)
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


def _subsample(split: Split, max_users: int | None, seed: int) -> Split:
    if not max_users or len(split.test_users) <= max_users:
        return split
    pick = np.sort(np.random.default_rng(seed).choice(len(split.test_users), max_users, replace=False))
    split.test_users = split.test_users[pick]
    split.test_items = [split.test_items[j] for j in pick]
    return split


def _measure(engine: Any, spec: Any, p: Any, split: Split, dev: Any, seed: int, k: int,
             diversity: float, similarity: ItemSimilarity, final_pass: bool,
             cancel: CancelToken | None, stage: Any) -> dict[str, Any]:
    """Fit, calibrate, bring up to the scoring histories and rank one strategy."""
    t0 = time.perf_counter()
    model = engine.fit_strategy(spec, p, split.fit, device=dev, seed=seed, cancel=cancel,
                                progress=stage(0.0, 0.8, "fitting"))
    fit_seconds = time.perf_counter() - t0
    report(stage(0.8, 0.85, "calibrating"), 0, 1)
    calibration, sample = engine.calibrate_strategy(
        model, split.fit, split.cal_users, split.cal_items,
        horizon=split.cal_horizon, event=split.cal_event, seed=seed, cancel=cancel,
        rows="auto", rules=RANK_RULES, return_sample=True,
    )
    t0 = time.perf_counter()
    if final_pass:  # learn the validation interactions too, as `shoprec train` does
        model, calibration = engine.catch_up(
            model, spec, p, calibration, sample, split.fit, split.score, device=dev,
            seed=seed, cancel=cancel,
            progress=stage(0.85, 0.97, "learning the validation interactions"))
    else:
        model.update(split.score)
        model.dataset = split.score
    update_seconds = time.perf_counter() - t0
    report(stage(0.97, 1.0, "ranking"), 0, 1)
    m = rank_strategy(
        model, split, calibration, k=k, diversity=diversity, similarity=similarity,
        cancel=cancel,
    )
    return {
        f"hr@{k}": m.hr,
        f"recall@{k}": m.recall,
        f"ndcg@{k}": m.ndcg,
        "mrr": m.mrr,
        "coverage": m.coverage,
        "intra_list_diversity": m.ild,
        "ece": m.ece,
        "reliability": m.reliability,
        "reliability_by_share": m.reliability_by_share,
        "ece_by_share": m.ece_by_share,
        "mean_predicted": m.mean_predicted,
        "mean_observed": m.mean_observed,
        "calibration": {
            "a": calibration.a,
            "b": calibration.b,
            "method": calibration.describe(),
            "event": calibration.event,
            "calibrated": calibration.calibrated,
            "validation_ece": calibration.ece,
            "note": calibration.note,
        },
        "fit_seconds": fit_seconds,
        "update_seconds": update_seconds,
        "score_seconds": m.score_seconds,
        "params": engine.json.loads(engine.params_to_json(p)),
        "note": getattr(model, "describe", lambda: "")() if hasattr(model, "reduced_to") else "",
    }


def evaluate(
    data: Workspace | Dataset,
    strategies: Sequence[str | tuple[str, Any]],
    *,
    protocol: str = "loo",
    k: int = 10,
    cutoff: Any = None,
    seed: int = 0,
    device: str = "auto",
    diversity: float = 0.0,
    max_users: int | None = None,
    final_pass: bool = True,
    settings: str = "defaults",
    budget_min: float | str | None = None,
    reuse: bool = True,
    pm: ShopRecPluginManager | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> dict[str, Any]:
    """Fit, calibrate and rank each strategy on one split; returns the report ``shoprec
    evaluate --json`` prints::

        {"protocol", "k", "users", "items", "cutoff", "diversity", "budget_min", "stopped",
         "not_measured", "seconds",
         "results": {name: {"hr@K", "recall@K", "ndcg@K", "mrr", "coverage",
                            "intra_list_diversity", "ece", "reliability", "calibration",
                            "fit_seconds", "update_seconds", "score_seconds", "params",
                            "settings_run", "reused", "learning_cap_min"} or {"error"}}}

    ``strategies``: names, or ``(name, params)`` with params a dict or params object. A strategy
    that fails is reported with its error; the others are still measured. ``settings`` decides
    what a bare name is measured with: ``"defaults"``, or ``"trained"``: the settings of the
    strategy's newest run in the workspace (its defaults where it has none), so that the report
    measures what ``shoprec train`` delivered; ``settings_run`` names that run. ``final_pass``: after
    calibrating, bring the strategy up to the scoring histories as :func:`engine.train` does
    (refit, or one short pass for long-trained models, the map carried over); False: they are
    only handed to ``update`` (the fit never sees the validation interactions).

    Speed (a Compare answers in minutes, see :mod:`shoprec.core.compare_plan`): equal fits are
    made once (the transformer inside ``blend`` and ``multitask`` included); ``budget_min``
    (minutes, ``"auto"``: 10 for shops up to 200,000 events, else 30; None: no budget)
    splits a time budget over the strategies (quick ones first, then the long-trained ones share
    what is left: their time budgets are capped at ``learning_cap_min``); ``reuse``: a strategy
    measured before in this program with the same settings on the same data is not measured
    again (``reused``). Cancelling keeps what finished: ``stopped`` is True and
    ``not_measured`` names the rest.
    """
    from . import engine  # engine imports this module lazily; no cycle at import time

    if k < 1:
        raise EvaluationError(f"k must be at least 1 (got {k})")
    if settings not in SETTINGS:
        raise EvaluationError(f"settings must be one of {', '.join(SETTINGS)} (got {settings!r})")
    started = time.monotonic()
    ds = Dataset.from_workspace(data, include_idle_customers=False) if isinstance(data, Workspace) else data
    if ds.n_events == 0:
        raise EvaluationError("no events to evaluate: import some data first")
    if budget_min == "auto":
        budget_min = default_budget_min(ds.n_events)
    if budget_min is not None and not float(budget_min) > 0:
        raise EvaluationError(f"the time budget must be above 0 minutes (got {budget_min})")
    split = _subsample(make_split(ds, protocol, cutoff), max_users, seed)
    dev = resolve_device(device)
    similarity = ItemSimilarity(split.score)
    ws = data if isinstance(data, Workspace) else None
    specs = engine.strategy_specs(pm, ws=ws)
    entries = [(entry, None) if isinstance(entry, str) else entry for entry in strategies]
    plan = ComparePlan([name for name, _ in entries], specs, budget_min, started,
                       dataset=split.fit, device=dev)
    context = (fitcache.fingerprint(split.fit), protocol, split.cutoff, k, seed, str(dev), diversity,
               max_users, final_pass, len(split.test_users))
    results: dict[str, Any] = {}
    stopped = False
    with fitcache.shared_fits():
        for n, i in enumerate(plan.order):
            name, params = entries[i]
            report(progress, plan.done_share(n), 100.0,
                   plan.label(name, n, "starting"), **plan.metrics())
            try:
                if name not in specs:
                    raise engine.UnknownStrategy(
                        f"unknown strategy {name!r}; available: {', '.join(sorted(specs))}"
                    )
                spec = specs[name]
                trained = (engine.trained_params(ws, spec)
                           if params is None and settings == "trained" and ws is not None else None)
                p = trained[0] if trained else engine.make_params(spec, params)
                p, cap = plan.capped(spec, p)
                key = (*context, name, engine.params_to_json(p))
                earlier = finished_before(key) if reuse else None
                if earlier is not None:
                    results[name] = {**earlier, "reused": True}
                    continue
                why = plan.too_long(name)
                if why is not None:
                    results[name] = {"error": why}
                    continue
                results[name] = _measure(engine, spec, p, split, dev, seed, k, diversity,
                                         similarity, final_pass, cancel,
                                         lambda lo, hi, what, n=n, name=name: plan.stage(
                                             progress, name, n, lo, hi, what))
                results[name]["settings_run"] = trained[1].id if trained else None
                results[name]["learning_cap_min"] = cap
                remember(key, results[name])
            except Cancelled:
                stopped = True
                break
            except Exception as exc:  # one broken strategy must not hide the others' numbers
                results[name] = {"error": f"{type(exc).__name__}: {exc}".splitlines()[0]}
            finally:
                plan.finish(n)
    # the report lists the strategies in the order they were asked for
    ordered = {name: results[name] for name, _ in entries if name in results}
    not_measured = [name for name, _ in entries if name not in results]
    report(progress, 100.0, 100.0, "stopped: kept what finished" if stopped else "done")
    return {
        "protocol": protocol,
        "k": k,
        "users": len(split.test_users),
        "items": ds.n_items,
        "cutoff": (
            dt.datetime.fromtimestamp(split.cutoff, dt.timezone.utc).isoformat()
            if split.cutoff is not None
            else None
        ),
        "diversity": diversity,
        "budget_min": budget_min,
        "stopped": stopped,
        "not_measured": not_measured,
        "seconds": time.monotonic() - started,
        "results": ordered,
    }
