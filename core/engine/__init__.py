"""The engine: any strategy in, calibrated, filtered, balanced, explained lists out.

This is the one API the CLI, the desktop and other modules call. Typical use::

    from shoprec.core import engine
    from shoprec.core.store.workspace import Workspace

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
   curve, whichever is truer on held-out customers, see :mod:`shoprec.core.ranking.calibration`): the
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
(CancelToken) and raises :class:`~shoprec.core.contracts.progress.Cancelled` when cancelled.
"""

from ..data.split import holdout_last
from ..ranking.heldout import calibration_customers, logits_as_calibrated
from ..ranking.rules import ListRules
from ..ranking.scoring import CustomerList, ListSettings
from ..runtime.devices import resolve_device
from ..store import runs as runstore
from ..store.runs import RunNotFound, RunRecord, latest_run, list_runs, stored_lists
from ..training import BadScores, EngineError, Fitted, fit_calibrated, fit_strategy, guard_logits
from .compare import evaluate
from .facade import (
    DISABLED_SETTING,
    LoadedRun,
    NoRun,
    TrainResult,
    UnknownStrategy,
    disabled_plugins,
    get_spec,
    load_run,
    load_run_strategy,
    make_params,
    plugin_manager,
    recommend,
    resolve_run,
    set_plugin_disabled,
    stored_settings,
    strategy_specs,
    train,
    trained_params,
)

__all__ = [
    "BadScores",
    "CustomerList",
    "DISABLED_SETTING",
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
    "disabled_plugins",
    "evaluate",
    "fit_calibrated",
    "fit_strategy",
    "get_spec",
    "guard_logits",
    "holdout_last",
    "latest_run",
    "list_runs",
    "load_run",
    "load_run_strategy",
    "logits_as_calibrated",
    "make_params",
    "plugin_manager",
    "recommend",
    "resolve_device",
    "resolve_run",
    "runstore",
    "set_plugin_disabled",
    "stored_lists",
    "stored_settings",
    "strategy_specs",
    "train",
    "trained_params",
]
