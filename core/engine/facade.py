"""The engine's calls (train, recommend, load a run, the strategies on offer); the package
(:mod:`shoprec.core.engine`) re-exports them with :func:`~.compare.evaluate`."""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..contracts.progress import CancelToken, ProgressFn, check, report, sub_progress
from ..contracts.strategy import (
    Strategy,
    StrategySpec,
    describe_params,
    params_from_dict,
    params_to_json,
)
from ..data.dataset import Dataset
from ..data.similarity import ItemSimilarity
from ..ranking.calibration import (
    Calibration,
)
from ..ranking.rules import ListRules
from ..ranking.scoring import (
    CustomerList,
    ListBuilder,
    ListSettings,
    summarize_lists,
)
from ..registry import ShopRecPluginManager, collect_strategy_specs, get_plugin_manager
from ..runtime.devices import describe_device, resolve_device
from ..store import runs as runstore
from ..store.runs import RunNotFound, RunRecord, latest_run
from ..store.workspace import Workspace
from ..training import (
    KIT,
    EngineError,
    _popularity_spec,
    fit_calibrated,
    fit_strategy,
    guard_logits,
)

DISABLED_SETTING = "plugins.disabled"
"""Workspace setting: comma-separated plugin names to disable (adds to SHOPREC_DISABLE_PLUGINS)."""


class UnknownStrategy(EngineError):
    pass


class NoRun(EngineError):
    pass


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
    return collect_strategy_specs(pm or plugin_manager(ws))


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
    from ..models import text

    if not dataclasses.is_dataclass(params):
        return
    for f in dataclasses.fields(params):
        value = getattr(params, f.name, None)
        if text.is_model_path(value) and Path(str(value)).expanduser().is_dir():
            text.trust_folder(str(value))


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
    #: How the learning ended (``Strategy.training_summary``); empty without a training loop.
    training: dict[str, Any] = field(default_factory=dict)

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
            "training": self.training,
        }


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
        "training": final.training_summary(),
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
        training=info["training"],
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
        from ..store.erasure import erased_note

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
    strategy.kit = KIT
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
    from ..store.maintenance import safetensors_problem

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
