"""The engine: any strategy in, calibrated, filtered, balanced, explained lists out.

This is the one API the CLI, the desktop and other modules call. Typical use::

    from shoprec.core import engine
    from shoprec.core.workspace import Workspace

    ws = Workspace("shop.shoprec")
    specs = engine.strategy_specs(ws=ws)           # {name: StrategySpec}, plugins included
    result = engine.train(ws, "popularity", {"half_life_days": 14}, device="auto", seed=0,
                          progress=print, cancel=None)
    result.run_id, result.calibration.event, result.metrics["lists"]["coverage"]

    lists = engine.recommend(ws, result.run_id, ["C1001"], top_n=10, threshold=0.0,
                             rules={"exclude_categories": ["Gift cards"]}, diversity=0.3)
    for rec in lists[0].items:
        rec.rank, rec.item_id, rec.title, rec.score, rec.reason

    report = engine.evaluate(ws, ["popularity", "transformer"], protocol="loo", k=10)
    report["results"]["popularity"]["ndcg@10"]

    rows = engine.stored_lists(ws, result.run_id)   # what exporters write, shop ids + e-mails

What :func:`train` does, in order:

1. ``Dataset.from_workspace(ws)``; for a random fifth of the customers with two or more
   positive interactions (300 to 3,000 of them, :func:`calibration_customers`), the last
   ``horizon`` (≤ history − 1) are held out.
2. The strategy is fitted on the rest (``strategy.device`` and ``strategy.seed`` set first), and
   the score map fitted on the held-out interactions (Platt's ``σ(a·logit + b)`` or an isotonic
   curve, whichever is truer on held-out customers, see :mod:`shoprec.core.calibration`): the
   score estimates :attr:`TrainResult.calibration`'s ``event`` ("…within their next 10
   interactions").
3. The strategy is fitted again on everything (``refit=True``; ``False`` reuses the first fit
   and calls ``strategy.update(full)``; strategies with ``refit_from_scratch = False``, such as
   the transformer, continue from the first fit with ``strategy.extend(full)``), the popularity
   fallback likewise; the score map is carried
   over to the refit on the same rows, since a refit may score on another scale. Those rows are
   scored from the history the first fit saw (:func:`logits_as_calibrated`), so that they ask
   the same question as the held-out labels.
4. Lists for every customer (θ, top-N, rules, diversity from ``settings``) are stored with the
   model state (safetensors), parameters, metrics and timings as a run in the workspace.

A stored run is reloaded by :func:`load_run`: ``strategy.load_bytes(state)`` then
``strategy.update(dataset)`` with the workspace's current events restricted to the items the
model knows; items added later are "new" to that run (counted in ``LoadedRun.new_items``) until
the next training. Customers with no history, and customer ids the workspace does not know, get
the popularity fallback (``CustomerList.source`` says which).

Everything long takes ``progress`` (callable receiving ProgressUpdate) and ``cancel``
(CancelToken) and raises :class:`~shoprec.core.progress.Cancelled` when cancelled.
"""

from __future__ import annotations

import dataclasses
import json
import math
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from . import fitcache
from . import runs as runstore
from .calibration import (
    Calibration,
    CalibrationSample,
    calibrate,
    collect_sample,
    row_stats,
    standardise_rows,
    transfer,
)
from .dataset import TYPE_CODE, Dataset
from .devices import describe_device, resolve_device
from .plugins import ShopRecPluginManager, get_plugin_manager
from .progress import Cancelled, CancelToken, ProgressFn, check, report, sub_progress
from .rules import ListRules, SeenFilter
from .runs import RunNotFound, RunRecord, latest_run, list_runs, stored_lists
from .scoring import CustomerList, ItemSimilarity, ListBuilder, ListSettings, summarize_lists
from .strategy import (
    Strategy,
    StrategySpec,
    describe_params,
    params_from_dict,
    params_to_json,
)
from .workspace import Workspace

__all__ = [
    "CustomerList",
    "EngineError",
    "Fitted",
    "ListRules",
    "ListSettings",
    "LoadedRun",
    "NoRun",
    "RunNotFound",
    "RunRecord",
    "TrainResult",
    "UnknownStrategy",
    "calibration_customers",
    "evaluate",
    "fit_calibrated",
    "fit_strategy",
    "holdout_last",
    "latest_run",
    "list_runs",
    "load_run",
    "load_run_strategy",
    "logits_as_calibrated",
    "plugin_manager",
    "recommend",
    "stored_lists",
    "strategy_specs",
    "train",
]

DISABLED_SETTING = "plugins.disabled"
"""Workspace setting: comma-separated plugin names to disable (adds to SHOPREC_DISABLE_PLUGINS)."""

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


class EngineError(Exception):
    """Something the user can fix (no data, unknown strategy, stale run): one-line message."""


class UnknownStrategy(EngineError):
    pass


class NoRun(EngineError):
    pass


class BadScores(EngineError):
    """A strategy returned scores that are not numbers (NaN, +inf) or of the wrong shape."""


def guard_logits(strategy: Strategy, name: str) -> Strategy:
    """Make ``strategy.logits`` refuse NaN and +inf (−inf stays: it means "never this item").

    Scores are a plugin's output: checked here, at the engine's boundary, before σ, calibration
    or storage see them, so a broken model stops with one line instead of storing nonsense lists.
    """
    if getattr(strategy, "_logits_guarded", False):
        return strategy
    raw = strategy.logits

    def logits(*args: Any, **kwargs: Any) -> Any:
        out = raw(*args, **kwargs)
        if isinstance(out, torch.Tensor):
            bad = bool(torch.isnan(out).any() or torch.isposinf(out).any())
        else:
            try:
                arr = np.asarray(out, dtype=np.float64)
            except (TypeError, ValueError):
                raise BadScores(f"strategy {name} returned {type(out).__name__} as scores, "
                                "not numbers") from None
            bad = bool(np.isnan(arr).any() or np.isposinf(arr).any())
        if bad:
            raise BadScores(f"strategy {name} gave scores that are not numbers (NaN or infinite); "
                            "its model is broken, nothing was stored: train it again or disable "
                            "the plugin")
        return out

    strategy.logits = logits  # type: ignore[method-assign]
    strategy._logits_guarded = True  # type: ignore[attr-defined]
    return strategy


# -------------------------------------------------------------------------------------------
# Plugins and strategies
# -------------------------------------------------------------------------------------------


def disabled_plugins(ws: Workspace | None) -> list[str]:
    if ws is None:
        return []
    raw = ws.get_setting(DISABLED_SETTING, "") or ""
    return [p.strip() for p in raw.split(",") if p.strip()]


def set_plugin_disabled(ws: Workspace, name: str, disabled: bool = True) -> list[str]:
    """Disable (or re-enable) a plugin by name in this workspace; returns the disabled names."""
    names = [n for n in disabled_plugins(ws) if n != name]
    if disabled:
        names.append(name)
    ws.set_setting(DISABLED_SETTING, ",".join(names))
    return names


def plugin_manager(ws: Workspace | None = None) -> ShopRecPluginManager:
    """A fresh plugin manager honouring the workspace's disabled-plugins setting."""
    return get_plugin_manager(disabled=disabled_plugins(ws))


def strategy_specs(
    pm: ShopRecPluginManager | None = None, *, ws: Workspace | None = None
) -> dict[str, StrategySpec]:
    """Every strategy offered by the enabled plugins, by name (the first plugin wins a name)."""
    pm = pm or plugin_manager(ws)
    specs: dict[str, StrategySpec] = {}
    for _plugin, spec in pm.collect("shoprec_strategies"):
        if isinstance(spec, StrategySpec):
            specs.setdefault(spec.name, spec)
    return specs


def get_spec(name: str, pm: ShopRecPluginManager | None = None, ws: Workspace | None = None) -> StrategySpec:
    specs = strategy_specs(pm, ws=ws)
    if name not in specs:
        known = ", ".join(sorted(specs)) or "none"
        raise UnknownStrategy(f"unknown strategy {name!r}; available: {known}")
    return specs[name]


def make_params(spec: StrategySpec, params: Any | None) -> Any:
    """A params dataclass from None, a dict (strings allowed, as from ``--param k=v``) or itself."""
    if params is None:
        return spec.params()
    if isinstance(params, dict):
        try:
            return params_from_dict(spec.params, params)
        except (TypeError, ValueError) as exc:
            raise EngineError(f"strategy {spec.name}: {exc}") from exc
    return params


def trained_params(ws: Workspace, spec: StrategySpec) -> tuple[Any, RunRecord] | None:
    """The settings of ``spec``'s newest run in ``ws`` and that run; None when it has none.

    Settings a newer ShopRec no longer knows are dropped and the rest keep their run's values;
    a run whose settings no longer validate counts as no run (the caller uses the defaults).
    """
    record = latest_run(ws, spec.name)
    if record is None:
        return None
    known = {pf.name for pf in describe_params(spec.params)}
    try:
        params = make_params(spec, {k: v for k, v in record.params.items() if k in known})
    except EngineError:
        return None
    return params, record


def _trust_chosen_folders(params: Any) -> None:
    """Model folders the owner passes to ``train`` here and now are theirs: remember them on this
    computer. A folder that only a workspace names is loaded after the owner confirmed it
    (``shoprec trust-model``): a workspace may come from someone else."""
    from . import text

    if not dataclasses.is_dataclass(params):
        return
    for f in dataclasses.fields(params):
        value = getattr(params, f.name, None)
        if text.is_model_path(value) and Path(str(value)).expanduser().is_dir():
            text.trust_folder(str(value))


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % (2**32))
    torch.manual_seed(seed)


def fit_strategy(
    spec: StrategySpec,
    params: Any,
    dataset: Dataset,
    *,
    device: torch.device,
    seed: int,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> Strategy:
    """A fresh strategy from ``spec``, with device and seed set, fitted on ``dataset``."""
    cache = fitcache.active()
    key = (cache.key(spec.name, params_to_json(params), dataset, seed, device)
           if cache is not None else None)
    if cache is not None:
        found = cache.get(key, dataset)
        if found is not None:  # the same settings learned the same events in this Compare
            shared, rng_states = found
            _set_rng_states(rng_states)  # what follows runs as after a fit of its own
            report(progress, 1, 1, f"{spec.name}: learned already, shared")
            shared.device = device
            return guard_logits(shared, spec.name)
    strategy = spec.create(params)
    strategy.device = device
    strategy.seed = seed
    seed_everything(seed)
    check(cancel)
    try:
        strategy.fit(dataset, progress, cancel)
    except (EngineError, Cancelled, KeyboardInterrupt, MemoryError):
        raise
    except Exception as exc:  # a plugin's fit: its failure is one line, not a traceback
        first = (str(exc).splitlines() or [""])[0][:200]
        raise EngineError(f"strategy {spec.name} failed while learning: "
                          f"{type(exc).__name__}: {first}") from exc
    strategy.dataset = dataset
    if cache is not None:
        cache.put(key, (strategy, _rng_states()), dataset)
        tuned = getattr(strategy, "tuned_params", None)
        if callable(tuned):  # a refit with the settings its search chose is this same fit
            chosen = cache.key(spec.name, params_to_json(tuned()), dataset, seed, device)
            if chosen != key:
                cache.put(chosen, (strategy, _rng_states()), dataset)
    return guard_logits(strategy, spec.name)


def _rng_states() -> tuple:
    return random.getstate(), np.random.get_state(), torch.get_rng_state()


def _set_rng_states(states: tuple) -> None:
    random.setstate(states[0])
    np.random.set_state(states[1])
    torch.set_rng_state(states[2])


# -------------------------------------------------------------------------------------------
# Held-out interactions and calibration
# -------------------------------------------------------------------------------------------


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


# -------------------------------------------------------------------------------------------
# Training
# -------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class TrainResult:
    """What :func:`train` stored: the run id and what a front end shows about it."""

    run_id: int
    model_id: int
    strategy: str
    params: dict[str, Any]
    device: str
    seed: int
    calibration: Calibration
    fallback_calibration: Calibration
    timings: dict[str, float]
    metrics: dict[str, Any]
    settings: ListSettings = field(default_factory=ListSettings)

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "model_id": self.model_id,
            "strategy": self.strategy,
            "params": self.params,
            "device": self.device,
            "seed": self.seed,
            "calibration": self.calibration.as_dict(),
            "fallback_calibration": self.fallback_calibration.as_dict(),
            "timings": self.timings,
            "metrics": self.metrics,
            "lists": self.settings.as_dict(),
        }


def _popularity_spec() -> StrategySpec:
    # The fallback is always available, even when the popularity plugin is disabled.
    from ..plugins.strategies.popularity import shoprec_strategies

    return shoprec_strategies()[0]


def _list_rows(ds: Dataset, lists: list[CustomerList]) -> list[tuple]:
    if ds.user_keys is None or ds.item_keys is None:
        raise EngineError("lists can only be stored for a dataset read from a workspace")
    return [
        (int(ds.user_keys[cl.user]), r.rank, int(ds.item_keys[r.item]), r.score, r.reason,
         r.reason_code or None, int(ds.item_keys[r.reason_item]) if r.reason_item >= 0 else None)
        for cl in lists
        if cl.user >= 0
        for r in cl.items
    ]


def _settings(
    settings: ListSettings | None,
    top_n: int,
    threshold: float,
    rules: ListRules | dict | None,
    diversity: float,
    explain: bool,
) -> ListSettings:
    if settings is not None:
        return settings
    if not isinstance(rules, ListRules):
        rules = ListRules.from_dict(rules)
    return ListSettings(
        top_n=top_n, threshold=threshold, rules=rules, diversity=diversity, explain=explain
    )


@dataclass
class Fitted:
    """A strategy fitted as :func:`train` fits it, before lists are built and stored."""

    model: Strategy
    calibration: Calibration
    fallback: Strategy
    fallback_calibration: Calibration
    timings: dict[str, float]


def catch_up(
    first: Strategy,
    spec: StrategySpec,
    params: Any,
    calibration: Calibration,
    sample: CalibrationSample,
    rest: Dataset,
    ds: Dataset,
    *,
    device: torch.device,
    seed: int = 0,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> tuple[Strategy, Calibration]:
    """Bring ``first`` (fitted on ``rest`` and calibrated on ``sample``) up to ``ds``: refitted
    from scratch, or continued with one short pass where training is long (``extend``), with the
    calibration carried over on the sample's (customer, item) rows."""
    if first.refit_from_scratch:
        # with the settings its own search chose on ``rest`` (a second search on nearly the
        # same events would choose the same, at the cost of another round of trial fits)
        tuned = getattr(first, "tuned_params", None)
        final = fit_strategy(spec, tuned() if callable(tuned) else params, ds, device=device,
                             seed=seed, progress=progress, cancel=cancel)
    else:
        # Long-trained models continue from the calibrated fit on the held-out tail instead of
        # spending their whole training budget a second time.
        final = first
        final.extend(ds, progress, cancel)
        final.dataset = ds
    # Either may land on another logit scale (tuned regularisation, more epochs): carry the
    # held-out calibration over on the same (customer, item) rows.
    return final, transfer(calibration, sample,
                           logits_as_calibrated(final, sample, rest, ds, calibration.rows))


def fit_calibrated(
    spec: StrategySpec,
    params: Any,
    ds: Dataset,
    *,
    device: torch.device,
    seed: int = 0,
    horizon: int = 10,
    refit: bool = True,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> Fitted:
    """Steps 1-3 of :func:`train` on a dataset in memory: fit on all but the held-out tails of
    the calibration customers, calibrate on those tails, bring the model up to all data; the
    popularity fallback likewise. Benchmarks call it to measure what a shop owner's training
    produces."""
    timings: dict[str, float] = {}
    pop_spec = _popularity_spec()

    # 1-2. fit on all but the held-out tails of a sample of customers, calibrate on those tails
    t0 = time.perf_counter()
    rest, cal_users, cal_items = holdout_last(ds, horizon, calibration_customers(ds, seed))
    first = fit_strategy(
        spec, params, rest, device=device, seed=seed, progress=sub_progress(progress, 0, 40, "fitting"),
        cancel=cancel,
    )
    timings["calibration_fit_seconds"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    report(progress, 40, 100, "calibrating")
    calibration, sample = calibrate_strategy(
        first, rest, cal_users, cal_items, horizon=horizon, seed=seed, cancel=cancel,
        return_sample=True, rows="auto",
    )
    pop_first = fit_strategy(pop_spec, pop_spec.params(), rest, device=device, seed=seed, cancel=cancel)
    fallback_cal, pop_sample = calibrate_strategy(
        pop_first, rest, cal_users, cal_items, horizon=horizon, seed=seed, cancel=cancel,
        return_sample=True,
    )
    timings["calibrate_seconds"] = time.perf_counter() - t0

    # 3. the final model sees everything
    t0 = time.perf_counter()
    if refit:
        final, calibration = catch_up(
            first, spec, params, calibration, sample, rest, ds, device=device, seed=seed,
            progress=sub_progress(progress, 45, 85, "fitting on all data"
                                   if first.refit_from_scratch else "learning the latest events"),
            cancel=cancel,
        )
    else:
        final = first
        final.update(ds)
        final.dataset = ds
    fallback = fit_strategy(pop_spec, pop_spec.params(), ds, device=device, seed=seed, cancel=cancel)
    fallback_cal = transfer(fallback_cal, pop_sample, logits_as_calibrated(fallback, pop_sample, rest, ds))
    timings["fit_seconds"] = time.perf_counter() - t0

    return Fitted(final, calibration, fallback, fallback_cal, timings)


def train(
    ws: Workspace,
    strategy: str,
    params: Any | None = None,
    *,
    device: str = "auto",
    seed: int = 0,
    horizon: int = 10,
    refit: bool = True,
    settings: ListSettings | None = None,
    pm: ShopRecPluginManager | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> TrainResult:
    """Fit, calibrate and store ``strategy`` on the workspace; lists for every customer included.

    ``params``: None (defaults), a dict (values may be strings) or the strategy's params object.
    ``horizon``: the calibrated score estimates an interaction within this many next interactions.
    """
    spec = get_spec(strategy, pm, ws)
    p = make_params(spec, params)
    if params is not None:
        _trust_chosen_folders(p)
    try:
        dev = resolve_device(device)
    except (ValueError, RuntimeError) as exc:
        raise EngineError(str(exc)) from exc
    ds = Dataset.from_workspace(ws)
    if ds.n_events == 0 or ds.n_items == 0:
        raise EngineError(
            "the workspace has no events yet: import orders, clicks or ratings first (shoprec import FILE)"
        )
    settings = settings or ListSettings()
    fitted = fit_calibrated(spec, p, ds, device=dev, seed=seed, horizon=horizon, refit=refit,
                            progress=progress, cancel=cancel)
    final, calibration, fallback, fallback_cal = (
        fitted.model, fitted.calibration, fitted.fallback, fitted.fallback_calibration)
    timings = dict(fitted.timings)

    # 4. lists and storage
    t0 = time.perf_counter()
    similarity = ItemSimilarity(ds)
    builder = ListBuilder(
        ds, final, calibration, settings, fallback=fallback, fallback_calibration=fallback_cal,
        similarity=similarity,
    )
    lists = builder.build(progress=sub_progress(progress, 85, 99, "lists"), cancel=cancel)
    timings["lists_seconds"] = time.perf_counter() - t0
    check(cancel)
    metrics = {
        "ece": calibration.ece,
        "calibrated": calibration.calibrated,
        "data": {"customers": ds.n_users, "items": ds.n_items, "events": ds.n_events},
        "lists": summarize_lists(lists, ds.n_items, similarity, top_n=settings.top_n),
    }
    params_json = params_to_json(p)
    state = final.to_bytes()
    info = {
        "device": describe_device(dev),
        "seed": seed,
        "horizon": horizon,
        "refit": refit,
        "n_items": ds.n_items,
        "last_item_key": int(ds.item_keys[-1]) if ds.n_items else None,
        "n_users": ds.n_users,
        "last_user_key": int(ds.user_keys[-1]) if ds.n_users else None,
        "lists": settings.as_dict(),
    }
    # Model, run and lists in one transaction: a crash or a full disk leaves none of them.
    with ws.atomic():
        model_id = runstore.save_model(ws, spec.name, params_json, state)
        run_id = runstore.save_run(
            ws,
            strategy=spec.name,
            model_id=model_id,
            params=json.loads(params_json),
            metrics=metrics,
            timings=timings,
            calibration={"strategy": calibration.as_dict(), "fallback": fallback_cal.as_dict()},
            info=info,
            rows=_list_rows(ds, lists),
        )
    report(progress, 100, 100, "done")
    return TrainResult(
        run_id=run_id,
        model_id=model_id,
        strategy=spec.name,
        params=json.loads(params_json),
        device=info["device"],
        seed=seed,
        calibration=calibration,
        fallback_calibration=fallback_cal,
        timings=timings,
        metrics=metrics,
        settings=settings,
    )


# -------------------------------------------------------------------------------------------
# Stored runs
# -------------------------------------------------------------------------------------------


@dataclass
class LoadedRun:
    """A stored run ready to score: strategy (state loaded, dataset attached) and calibration."""

    record: RunRecord
    strategy: Strategy
    dataset: Dataset
    calibration: Calibration
    fallback: Strategy
    fallback_calibration: Calibration
    new_items: int = 0  # items in the workspace that this run's model has never seen

    def builder(self, settings: ListSettings | None = None) -> ListBuilder:
        return ListBuilder(
            self.dataset, self.strategy, self.calibration, settings,
            fallback=self.fallback, fallback_calibration=self.fallback_calibration,
        )


def _aligned_dataset(ws: Workspace, record: RunRecord) -> tuple[Dataset, int]:
    """The workspace now, restricted to the items the run's model knows; and the new-item count."""
    ds = Dataset.from_workspace(ws)
    n = int(record.info.get("n_items", ds.n_items))
    last = record.info.get("last_item_key")
    if n > ds.n_items or (n and ds.item_keys is not None and int(ds.item_keys[n - 1]) != last):
        raise EngineError(
            f"run {record.id}: items were removed from the workspace since it was trained; "
            f"train {record.strategy} again"
        )
    n_users = int(record.info.get("n_users", 0))
    last_user = record.info.get("last_user_key")
    if n_users > ds.n_users or (
        n_users
        and last_user is not None
        and ds.user_keys is not None
        and int(ds.user_keys[n_users - 1]) != last_user
    ):
        raise EngineError(
            f"run {record.id}: customers were removed from the workspace since it was trained; "
            f"train {record.strategy} again"
        )
    new_items = ds.n_items - n
    if new_items == 0:
        return ds, 0
    sub = dataclasses.replace(
        ds.with_events(ds.items < n),
        item_ids=ds.item_ids[:n],
        catalog=ds.catalog.take(np.arange(n)),
        item_keys=ds.item_keys[:n] if ds.item_keys is not None else None,
    )
    return sub, new_items


def load_run(
    ws: Workspace,
    run_id: int,
    *,
    device: str = "auto",
    pm: ShopRecPluginManager | None = None,
) -> LoadedRun:
    """Reload a stored run: model state from safetensors, then ``update`` with current events."""
    try:
        record = runstore.get_run(ws, run_id)
    except RunNotFound as exc:
        raise NoRun(str(exc)) from exc
    if record.model_id is None:
        from .forget import erased_note

        note = erased_note(record.info)
        if note:
            raise NoRun(f"run {run_id} ({record.strategy}) was {note}: "
                        f"shoprec train --strategy {record.strategy}")
    spec = get_spec(record.strategy, pm, ws)
    params = make_params(spec, record.params)
    ds, new_items = _aligned_dataset(ws, record)
    try:
        dev = resolve_device(device)
    except (ValueError, RuntimeError) as exc:
        raise EngineError(str(exc)) from exc
    strategy = spec.create(params)
    strategy.device = dev
    strategy.seed = int(record.info.get("seed", 0))
    if record.model_id is None:
        raise NoRun(f"run {run_id} has no stored model")
    try:
        strategy.load_bytes(_readable_state(runstore.load_model_state(ws, record.model_id), record))
    except EngineError:
        raise
    except Exception as exc:  # noqa: BLE001  (state from a workspace: any failure is one line)
        raise EngineError(f"run {run_id} ({record.strategy}): its stored model does not fit this "
                          f"strategy ({type(exc).__name__}: {(str(exc).splitlines() or [''])[0][:160]}); "
                          f"train {record.strategy} again") from exc
    guard_logits(strategy, record.strategy)
    strategy.update(ds)
    strategy.dataset = ds
    pop_spec = _popularity_spec()
    fallback = fit_strategy(pop_spec, pop_spec.params(), ds, device=dev, seed=strategy.seed)
    cal = record.calibration
    return LoadedRun(
        record=record,
        strategy=strategy,
        dataset=ds,
        calibration=Calibration.from_dict(cal.get("strategy", {})),
        fallback=fallback,
        fallback_calibration=Calibration.from_dict(cal.get("fallback", cal.get("strategy", {}))),
        new_items=new_items,
    )


def _readable_state(blob: bytes, record: RunRecord) -> bytes:
    """The model state, after checking it is safetensors with finite numbers: a workspace may
    come from someone else, and a damaged model must say so in one line, not score nonsense."""
    from .maintenance import safetensors_problem

    why = safetensors_problem(blob)
    if why:
        raise EngineError(f"run {record.id} ({record.strategy}): its stored model is damaged ({why}); "
                          f"train {record.strategy} again")
    return blob


def load_run_strategy(ws: Workspace, run_id: int, *, device: str = "auto") -> Strategy:
    """The fitted strategy of a stored run (dataset attached), e.g. for ``similar_items``."""
    return load_run(ws, run_id, device=device).strategy


def resolve_run(ws: Workspace, run_or_strategy: int | str) -> int:
    """A run id from a run id or a strategy name (its newest run)."""
    if isinstance(run_or_strategy, int) or str(run_or_strategy).isdigit():
        return int(run_or_strategy)
    record = latest_run(ws, str(run_or_strategy))
    if record is None:
        raise NoRun(
            f"no trained run of {run_or_strategy!r} yet: run shoprec train --strategy {run_or_strategy}"
        )
    return record.id


# -------------------------------------------------------------------------------------------
# Recommending
# -------------------------------------------------------------------------------------------


def stored_settings(record: RunRecord) -> ListSettings:
    """The settings a run's stored lists were cut with (the defaults for a run that says none)."""
    saved = dict(record.info.get("lists") or {})
    return ListSettings(
        top_n=int(saved.get("top_n", 10)), threshold=float(saved.get("threshold", 0.0)),
        diversity=float(saved.get("diversity", 0.0)),
        rules=ListRules.from_dict(saved.get("rules")), explain=bool(saved.get("explain", True)),
    )


def recommend(
    ws: Workspace,
    run_or_strategy: int | str,
    customers: Sequence[str] | None = None,
    *,
    top_n: int = 10,
    threshold: float = 0.0,
    rules: ListRules | dict | None = None,
    diversity: float = 0.0,
    explain: bool = True,
    settings: ListSettings | None = None,
    save: bool = False,
    device: str = "auto",
    loaded: LoadedRun | None = None,
    model_state: bytes | None = None,
    pm: ShopRecPluginManager | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> list[CustomerList]:
    """Lists from a stored run (a run id, or a strategy name = its newest run).

    ``customers``: shop customer ids (None: every customer). Unknown ids get the popularity
    fallback with ``source="unknown"``. ``save=True`` replaces the run's stored lists with these,
    so exporters write what was just shown: every list, or with ``customers`` only theirs (with
    the settings the run's lists were stored with). ``model_state`` (with ``save``) replaces
    the run's model state in the same transaction (``shoprec update``).
    """
    settings = _settings(settings, top_n, threshold, rules, diversity, explain)
    if loaded is None:
        loaded = load_run(ws, resolve_run(ws, run_or_strategy), device=device, pm=pm)
    ds = loaded.dataset
    builder = loaded.builder(settings)
    if customers is None:
        lists = builder.build(progress=progress, cancel=cancel)
    else:
        names = [str(c) for c in customers]
        lists = builder.build(ds.user_index(names), customer_ids=names, progress=progress, cancel=cancel)
    if save and customers is not None:
        # Some customers' lists replaced in place (``update`` after new orders): only with the
        # settings the run's other lists were cut with, so that one run means one setting.
        if settings.as_dict() != stored_settings(loaded.record).as_dict():
            raise EngineError("save=True for some customers needs the settings the run's lists "
                              "were stored with; leave customers out to store every list anew")
        keys = [int(ds.user_keys[cl.user]) for cl in lists if cl.user >= 0]
        with ws.atomic() as conn:  # the model and the lists it gives: all or nothing
            if model_state is not None and loaded.record.model_id is not None:
                conn.execute("UPDATE models SET state = ? WHERE id = ?",
                             (model_state, loaded.record.model_id))
            runstore.replace_customer_lists(ws, loaded.record.id, keys, _list_rows(ds, lists))
    elif save:
        rows = _list_rows(ds, lists)
        info = dict(loaded.record.info)
        info["lists"] = settings.as_dict()
        metrics = dict(loaded.record.metrics)
        metrics["lists"] = summarize_lists(lists, ds.n_items, builder.similarity, top_n=settings.top_n)
        # Lists, the settings they were cut with and (for update) the model: all or nothing.
        with ws.atomic() as conn:
            if model_state is not None and loaded.record.model_id is not None:
                conn.execute("UPDATE models SET state = ? WHERE id = ?",
                             (model_state, loaded.record.model_id))
            runstore.replace_lists(ws, loaded.record.id, rows)
            runstore.update_run_json(ws, loaded.record.id, "info", info)
            runstore.update_run_json(ws, loaded.record.id, "metrics", metrics)
    return lists


# -------------------------------------------------------------------------------------------
# Evaluation (see shoprec.core.evaluation)
# -------------------------------------------------------------------------------------------


def evaluate(
    data: Workspace | Dataset,
    strategies: Sequence[str | tuple[str, Any]],
    *,
    protocol: str = "loo",
    k: int = 10,
    cutoff: Any = None,
    **kwargs: Any,
) -> dict[str, Any]:
    """Measure strategies the same honest way; see :func:`shoprec.core.evaluation.evaluate`."""
    from .evaluation import evaluate as _evaluate

    return _evaluate(data, strategies, protocol=protocol, k=k, cutoff=cutoff, **kwargs)
