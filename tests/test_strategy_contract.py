"""The strategy contract, applied to EVERY strategy the plugin manager returns.

Strategies added later (built-in or third-party) are tested automatically: empty data, a single
customer, an unknown customer (no history), a customer who bought everything, a brand-new item,
finite scores, determinism under a seed, save -> load giving identical lists, prompt cancel.
Data are tiny on purpose: strategies must adapt their default effort to the data size.
"""

from __future__ import annotations

import dataclasses
import importlib
import os
import sys
from pathlib import Path

import numpy as np
import pytest
from safetensors.torch import load as st_load
from shoprec.core import engine
from shoprec.core.contracts.progress import Cancelled, CancelToken
from shoprec.core.contracts.strategy import Reason, Strategy, StrategySpec, describe_params
from shoprec.core.data.dataset import Catalog, Dataset
from shoprec.core.ranking.calibration import Calibration
from shoprec.core.ranking.rules import repeat_items
from shoprec.core.ranking.scoring import ListBuilder, ListSettings
from shoprec.core.registry import get_plugin_manager
from shoprec.core.training import KIT


def _all_strategies() -> list[StrategySpec]:
    """Every built-in strategy, plus the example third-party one (held to the same contract)."""
    pm = get_plugin_manager(entry_points=False, paths=())
    sys.path.insert(0, str(Path(__file__).parent / "example_plugin"))
    try:
        pm.load(importlib.import_module("shoprec_also_bought"), "also_bought", "path")
    finally:
        sys.path.pop(0)
    return [spec for _, spec in pm.collect("shoprec_strategies") if isinstance(spec, StrategySpec)]


SPECS = _all_strategies()
IDS = [spec.name for spec in SPECS]

TITLES = [
    "Espresso beans", "Filter coffee", "Moka pot", "Milk frother", "Green tea", "Black tea",
    "Teapot", "Tea infuser", "Gift card",
]
N_ITEMS = len(TITLES)
NEW_ITEM = N_ITEMS - 1  # nobody bought the gift card yet
UNKNOWN_USER = 12  # a customer with no history
GREEDY_USER = 13  # a customer who bought everything


def _catalog(n: int) -> Catalog:
    cat = Catalog.empty(n)
    cat.title[:] = (TITLES * (n // len(TITLES) + 1))[:n]
    cat.category[:] = ["Coffee" if i < 4 else "Tea" if i < 8 else "Gifts" for i in range(n)]
    return cat


def shop_dataset() -> Dataset:
    """12 customers in two taste groups, one with no history, one who bought every item."""
    seqs = []
    for u in range(12):
        base = 0 if u < 6 else 4
        seqs.append([base + (u + k) % 4 for k in range(3 + u % 3)])
    seqs.append([])
    seqs.append(list(range(N_ITEMS)))
    ds = Dataset.from_sequences(seqs, n_items=N_ITEMS)
    ds.catalog = _catalog(N_ITEMS)
    return ds


# CI runs the contract on the CPU; SHOPREC_TEST_DEVICE=cuda runs it on a GPU machine.
DEVICE = os.environ.get("SHOPREC_TEST_DEVICE", "cpu")


def fit(spec: StrategySpec, ds: Dataset, seed: int = 0, cancel: CancelToken | None = None) -> Strategy:
    return engine.fit_strategy(
        spec, spec.params(), ds, device=engine.resolve_device(DEVICE), seed=seed, cancel=cancel
    )


def assert_same_lists(got: Strategy, want: Strategy, ds: Dataset) -> None:
    """The same top lists; items whose scores tie up to float noise may swap places."""
    reference = want.logits(np.arange(ds.n_users)).astype(np.float64)
    for u, (a, b) in enumerate(zip(top_lists(got, ds), top_lists(want, ds), strict=True)):
        if a == b:
            continue
        row = reference[u]
        tol = 1e-5 * max(1.0, float(np.abs(row).max()))
        assert len(a) == len(b) and np.allclose(row[a], row[b], rtol=0, atol=tol), (
            f"customer {u}: list {a} instead of {b}"
        )


def top_lists(strategy: Strategy, ds: Dataset, n: int = 4) -> list[list[int]]:
    """Each customer's top ``n`` unseen items, as the engine would list them."""
    scores = strategy.logits(np.arange(ds.n_users)).astype(np.float64)
    out = []
    for u, row in enumerate(scores):
        row = row.copy()
        row[ds.history(u)] = -np.inf
        order = np.lexsort((np.arange(ds.n_items), -row))[:n]
        out.append([int(i) for i in order if np.isfinite(row[i])])
    return out


class _FitCache(dict):
    """One fit per strategy on the shop data, shared by the read-only checks (lazily, so
    one broken strategy fails only its own tests)."""

    def __missing__(self, name: str) -> tuple[Strategy, Dataset]:
        spec = next(s for s in SPECS if s.name == name)
        ds = shop_dataset()
        self[name] = (fit(spec, ds), ds)
        return self[name]


@pytest.fixture(scope="module")
def fitted() -> _FitCache:
    return _FitCache()


def test_the_builtin_popularity_strategy_is_among_them():
    assert "popularity" in IDS


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_parameters_describe_a_settings_form(spec):
    fields = describe_params(spec.params)
    for f in fields:
        assert f.help, f"{spec.name}.{f.name} needs help text for the settings form"
        if f.min is not None and f.max is not None:
            assert f.min <= f.max
    strategy = spec.create()
    assert strategy.name == spec.name
    assert dataclasses.is_dataclass(strategy.params)


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_empty_data_never_crash(spec):
    for ds in (
        Dataset.from_sequences([], n_items=0),
        Dataset.from_sequences([[], []], n_items=5),  # customers and a catalogue, no events
    ):
        ds.catalog = _catalog(ds.n_items)
        try:
            strategy = fit(spec, ds)
        except ValueError:
            continue  # a clear "nothing to learn from" is fine; any other crash is not
        scores = strategy.logits(np.arange(ds.n_users))
        assert scores.shape == (ds.n_users, ds.n_items)
        assert np.isfinite(scores).all()


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_a_single_customer(spec):
    ds = Dataset.from_sequences([[0, 2, 1]], n_items=5)
    ds.catalog = _catalog(5)
    scores = fit(spec, ds).logits(np.array([0]))
    assert scores.shape == (1, 5)
    assert np.isfinite(scores).all()


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_scores_are_finite_float32_for_every_kind_of_customer_and_item(spec, fitted):
    strategy, ds = fitted[spec.name]
    scores = strategy.logits(np.arange(ds.n_users))
    assert scores.shape == (ds.n_users, ds.n_items)
    assert scores.dtype == np.float32
    assert np.isfinite(scores).all(), "unknown customer, greedy customer or new item gave NaN/inf"
    some_items = np.array([NEW_ITEM, 0, 5])
    part = strategy.logits(np.array([UNKNOWN_USER, 1]), some_items)
    assert part.shape == (2, 3)
    np.testing.assert_allclose(part, scores[[UNKNOWN_USER, 1]][:, some_items], rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_engine_lists_handle_unknown_and_greedy_customers(spec, fitted):
    strategy, ds = fitted[spec.name]
    identity = Calibration(a=1.0, b=0.0, calibrated=False)
    builder = ListBuilder(ds, strategy, identity, ListSettings(top_n=5, threshold=0.0))
    lists = builder.build(np.array([0, UNKNOWN_USER, GREEDY_USER, -1]), customer_ids=["0", "12", "13", "who?"])
    by_id = {cl.customer_id: cl for cl in lists}
    assert by_id["12"].source == "fallback" and by_id["who?"].source == "unknown"
    assert len(by_id["12"].items) == 5 and len(by_id["who?"].items) == 5
    repeat = repeat_items(ds)
    assert all(repeat[r.item] for r in by_id["13"].items), "a greedy customer was shown an item they own"
    seen0 = set(ds.history(0).tolist())
    assert by_id["0"].items, "a normal customer got an empty list at θ=0"
    assert not {r.item for r in by_id["0"].items} & seen0 - set(np.flatnonzero(repeat))
    assert all(r.reason for r in by_id["0"].items)


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_explanations_and_similar_items_use_valid_items(spec, fitted):
    strategy, ds = fitted[spec.name]
    for reason in strategy.explain(0, 1) + strategy.explain(UNKNOWN_USER, 2):
        assert isinstance(reason, Reason)
        assert -1 <= reason.item < ds.n_items and np.isfinite(reason.weight)
        assert isinstance(reason.text, str)
    similar = strategy.similar_items(1, 3)
    assert len(similar) <= 3
    assert all(0 <= i < ds.n_items and i != 1 and np.isfinite(s) for i, s in similar)


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_batched_reason_weights_agree_with_explain(spec, fitted):
    """A strategy that gives a whole list's reason weights at once names the same strongest
    history item as its item-by-item explanation."""
    strategy, ds = fitted[spec.name]
    for u in range(min(ds.n_users, 6)):
        history = np.unique(ds.history(u)).astype(np.int64)
        items = np.setdiff1d(np.arange(ds.n_items), history)[:5]
        if not len(history) or not len(items):
            continue
        w = strategy.reason_weights(u, history, items)
        if w is None:
            return  # this strategy explains item by item only
        assert w.shape == (len(history), len(items)) and np.isfinite(w).all()
        for col, i in enumerate(items):
            reasons = [r for r in strategy.explain(u, int(i)) if r.item >= 0]
            if reasons and w[:, col].max() > 0:
                top = max(reasons, key=lambda r: r.weight)
                assert w[list(history).index(top.item), col] == pytest.approx(w[:, col].max(), rel=1e-4)


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_deterministic_under_a_seed(spec, fitted):
    first, ds = fitted[spec.name]
    again = fit(spec, ds, seed=0)
    np.testing.assert_allclose(
        again.logits(np.arange(ds.n_users)), first.logits(np.arange(ds.n_users)), rtol=1e-4, atol=1e-5
    )  # float noise from threaded reductions is fine; different models are not
    assert_same_lists(again, first, ds)


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_save_then_load_gives_identical_lists(spec, fitted):
    strategy, ds = fitted[spec.name]
    data = strategy.to_bytes()
    assert isinstance(data, bytes) and st_load(data) is not None  # plain safetensors
    restored = spec.create(strategy.params)
    restored.device = strategy.device
    restored.kit = strategy.kit  # as the engine lends it when it loads a run
    restored.load_bytes(data)
    restored.update(ds)  # how the engine attaches the dataset to a stored model
    assert_same_lists(restored, strategy, ds)
    # update() may re-solve customer profiles: tiny numeric drift is fine, a different model is not
    np.testing.assert_allclose(
        restored.logits(np.arange(ds.n_users)), strategy.logits(np.arange(ds.n_users)),
        rtol=1e-3, atol=1e-3,
    )


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_update_with_a_customer_who_arrived_after_training(spec, fitted):
    strategy, ds = fitted[spec.name]
    newcomer = dataclasses.replace(
        ds,
        user_ids=np.append(ds.user_ids, "late"),
        users=np.append(ds.users, [ds.n_users, ds.n_users]),
        items=np.append(ds.items, [4, 5]),
        types=np.append(ds.types, ds.types[:2]),
        times=np.append(ds.times, [1, 2]),
        quantities=np.append(ds.quantities, [1, 1]),
        values=np.append(ds.values, [np.nan, np.nan]),
        orders=np.append(ds.orders, [-1, -1]),
    )
    newcomer.__dict__.pop("indptr", None)
    restored = spec.create(strategy.params)
    restored.device = strategy.device
    restored.kit = strategy.kit  # as the engine lends it when it loads a run
    restored.load_bytes(strategy.to_bytes())
    restored.update(newcomer)
    scores = restored.logits(np.array([ds.n_users]))
    assert scores.shape == (1, ds.n_items) and np.isfinite(scores).all()


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_cancel_stops_promptly(spec):
    ds = shop_dataset()
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        fit(spec, ds, cancel=token)

    token = CancelToken()
    reports = []

    def cancel_on_first_report(update):
        reports.append(update)
        token.cancel()

    strategy = spec.create()
    strategy.device = engine.resolve_device(DEVICE)
    strategy.kit = KIT  # as engine.fit_strategy lends it
    try:
        strategy.fit(ds, cancel_on_first_report, token)
    except Cancelled:
        return
    # Finishing is only acceptable when the first report was already the final one.
    assert len(reports) <= 1 or reports[0].fraction in (None, 1.0), (
        f"{spec.name} kept working for {len(reports)} progress reports after cancel"
    )
