"""Training: fit a strategy, calibrate it on held-out interactions and bring it up to all data.

The steps :func:`shoprec.core.engine.train` runs before it builds and stores lists, on a
dataset in memory (benchmarks and the comparison call them the same way):
:func:`fit_strategy` (a fresh strategy, device and seed set, its scores guarded),
:func:`fit_calibrated` (fit on all but the calibration customers' latest interactions,
calibrate on those, then :func:`catch_up` to everything), with the popularity fallback beside it.
"""

from __future__ import annotations

import importlib
import random
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from ..contracts.progress import Cancelled, CancelToken, ProgressFn, check, report, sub_progress
from ..contracts.strategy import Strategy, StrategyKit, StrategySpec, params_to_json
from ..data.dataset import Dataset
from ..data.split import holdout_last
from ..ranking.calibration import Calibration, transfer
from ..ranking.heldout import calibrate_strategy, calibration_customers, logits_as_calibrated
from ..ranking.samples import CalibrationSample
from ..registry import (
    ShopRecPluginManager,
    builtin_plugins,
    collect_strategy_specs,
    get_plugin_manager,
)
from . import fitcache


class EngineError(Exception):
    """Something the user can fix (no data, unknown strategy, stale run): one-line message."""


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
    kit: StrategyKit | None = None,
) -> Strategy:
    """A fresh strategy from ``spec``, with device, seed and kit (:data:`KIT` by default) set,
    fitted on ``dataset``."""
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
            shared.kit = kit if kit is not None else KIT
            return guard_logits(shared, spec.name)
    strategy = spec.create(params)
    strategy.device = device
    strategy.seed = seed
    strategy.kit = kit if kit is not None else KIT
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


class EngineKit:
    """The :class:`~shoprec.core.contracts.strategy.StrategyKit` the engine lends a strategy
    made of others: the strategies of ``pm`` (the installed plugins when None), each fitted by
    :func:`fit_strategy` with this kit in turn."""

    def __init__(self, pm: ShopRecPluginManager | None = None) -> None:
        self._pm = pm

    def specs(self) -> dict[str, StrategySpec]:
        return collect_strategy_specs(self._pm or get_plugin_manager())

    def fit(self, spec: StrategySpec, params: Any, dataset: Dataset, *, device: torch.device,
            seed: int, progress: ProgressFn | None = None,
            cancel: CancelToken | None = None) -> Strategy:
        return fit_strategy(spec, params, dataset, device=device, seed=seed, progress=progress,
                            cancel=cancel, kit=self)


#: The kit strategies get unless the caller lends another.
KIT = EngineKit()


def _popularity_spec() -> StrategySpec:
    """The fallback for customers a strategy cannot score: the built-in popularity strategy,
    loaded from its entry point, so that it is there even when its plugin is disabled."""
    module = importlib.import_module(dict(builtin_plugins("strategies"))["popularity"])
    return module.shoprec_strategies()[0]


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
