"""Compare: measure strategies the same honest way on the shop's own data.

:func:`evaluate` splits the data (:mod:`shoprec.core.data.split`), fits and calibrates each
strategy as ``shoprec train`` would (:mod:`shoprec.core.training`) and ranks the whole catalogue
for every test customer (:func:`shoprec.core.ranking.evaluation.rank_strategy`); the protocols
and metrics are described in :mod:`shoprec.core.ranking.evaluation`.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..contracts.progress import Cancelled, CancelToken, ProgressFn, report
from ..contracts.strategy import params_to_json
from ..data.dataset import Dataset
from ..data.similarity import ItemSimilarity
from ..data.split import EvaluationError, Split, make_split
from ..ranking.evaluation import RANK_RULES, rank_strategy
from ..ranking.heldout import calibrate_strategy
from ..registry import ShopRecPluginManager
from ..runtime.devices import resolve_device
from ..store.workspace import Workspace
from ..training import catch_up, fit_strategy, fitcache
from .facade import UnknownStrategy, make_params, strategy_specs, trained_params
from .plan import ComparePlan, default_budget_min, finished_before, remember

SETTINGS = ("defaults", "trained")  # what evaluate measures a strategy named without settings with


def _subsample(split: Split, max_users: int | None, seed: int) -> Split:
    if not max_users or len(split.test_users) <= max_users:
        return split
    pick = np.sort(np.random.default_rng(seed).choice(len(split.test_users), max_users, replace=False))
    split.test_users = split.test_users[pick]
    split.test_items = [split.test_items[j] for j in pick]
    return split


def _measure(spec: Any, p: Any, split: Split, dev: Any, seed: int, k: int,
             diversity: float, similarity: ItemSimilarity, final_pass: bool,
             cancel: CancelToken | None, stage: Any) -> dict[str, Any]:
    """Fit, calibrate, bring up to the scoring histories and rank one strategy."""
    t0 = time.perf_counter()
    model = fit_strategy(spec, p, split.fit, device=dev, seed=seed, cancel=cancel,
                                progress=stage(0.0, 0.8, "fitting"))
    fit_seconds = time.perf_counter() - t0
    training = model.training_summary()
    report(stage(0.8, 0.85, "calibrating"), 0, 1)
    calibration, sample = calibrate_strategy(
        model, split.fit, split.cal_users, split.cal_items,
        horizon=split.cal_horizon, event=split.cal_event, seed=seed, cancel=cancel,
        rows="auto", rules=RANK_RULES, return_sample=True,
    )
    t0 = time.perf_counter()
    if final_pass:  # learn the validation interactions too, as `shoprec train` does
        model, calibration = catch_up(
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
        "training": training,
        "update_seconds": update_seconds,
        "score_seconds": m.score_seconds,
        "params": json.loads(params_to_json(p)),
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
                            "fit_seconds", "training", "update_seconds", "score_seconds", "params",
                            "settings_run", "reused", "learning_cap_min"} or {"error"}}}

    ``strategies``: names, or ``(name, params)`` with params a dict or params object. A strategy
    that fails is reported with its error; the others are still measured. ``settings`` decides
    what a bare name is measured with: ``"defaults"``, or ``"trained"``: the settings of the
    strategy's newest run in the workspace (its defaults where it has none), so that the report
    measures what ``shoprec train`` delivered; ``settings_run`` names that run. ``final_pass``: after
    calibrating, bring the strategy up to the scoring histories as :func:`engine.train` does
    (refit, or one short pass for long-trained models, the map carried over); False: they are
    only handed to ``update`` (the fit never sees the validation interactions).

    Speed (a Compare answers in minutes, see :mod:`shoprec.core.engine.plan`): equal fits are
    made once (the transformer inside ``blend`` and ``multitask`` included); ``budget_min``
    (minutes, ``"auto"``: 10 for shops up to 200,000 events, else 30; None: no budget)
    splits a time budget over the strategies (quick ones first, then the long-trained ones share
    what is left: their time budgets are capped at ``learning_cap_min``); ``reuse``: a strategy
    measured before in this program with the same settings on the same data is not measured
    again (``reused``). Cancelling keeps what finished: ``stopped`` is True and
    ``not_measured`` names the rest.
    """
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
    specs = strategy_specs(pm, ws=ws)
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
                    raise UnknownStrategy(
                        f"unknown strategy {name!r}; available: {', '.join(sorted(specs))}"
                    )
                spec = specs[name]
                trained = (trained_params(ws, spec)
                           if params is None and settings == "trained" and ws is not None else None)
                p = trained[0] if trained else make_params(spec, params)
                p, cap = plan.capped(spec, p)
                key = (*context, name, params_to_json(p))
                earlier = finished_before(key) if reuse else None
                if earlier is not None:
                    results[name] = {**earlier, "reused": True}
                    continue
                why = plan.too_long(name)
                if why is not None:
                    results[name] = {"error": why}
                    continue
                results[name] = _measure(spec, p, split, dev, seed, k, diversity,
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
