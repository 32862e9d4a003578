"""The engine end to end on a small shop: train, stored runs, recommend, rules, plugins, CLI."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pytest
import torch
from click.testing import CliRunner
from safetensors.torch import load as st_load
from shop_fixtures import T0, build_shop
from shoprec.core import engine, hookimpl
from shoprec.core.cli import cli
from shoprec.core.contracts.progress import Cancelled, CancelToken
from shoprec.core.contracts.strategy import Strategy, StrategySpec
from shoprec.core.data.dataset import Dataset
from shoprec.core.data.split import EvaluationError
from shoprec.core.ranking.heldout import calibrate_strategy
from shoprec.core.ranking.rules import repeat_items
from shoprec.core.ranking.scoring import ListSettings
from shoprec.core.registry import get_plugin_manager
from shoprec.core.store.runs import get_run
from shoprec.core.store.workspace import Workspace

OPEN = ListSettings(threshold=0.0, top_n=5)  # every candidate passes θ


@pytest.fixture
def shop(ws):
    return build_shop(ws)


def _items(lists, customer):
    return [r.item_id for cl in lists if cl.customer_id == customer for r in cl.items]


def test_train_stores_a_complete_run(shop):
    updates = []
    result = engine.train(shop, "popularity", {"half_life_days": "14"}, device="cpu",
                          settings=OPEN, progress=updates.append)
    run = engine.list_runs(shop)[0]
    assert run.id == result.run_id and run.strategy == "popularity"
    assert run.params == {"half_life_days": 14.0, "view_weight": 0.25}
    assert "next 10 interactions" in run.calibration["strategy"]["event"]
    assert len(run.calibration["strategy"]["reliability"]) == 10
    assert set(run.timings) >= {"fit_seconds", "calibrate_seconds", "lists_seconds"}
    assert run.info["device"] == "cpu" and run.info["lists"]["threshold"] == 0.0
    assert run.info["training"] == {}  # no training loop to describe
    assert run.metrics["lists"]["customers"] == 41
    state = shop.conn.execute("SELECT state FROM models WHERE id = ?", (run.model_id,)).fetchone()[0]
    assert set(st_load(bytes(state))) == {"scores", "buyers"}  # safetensors, never pickle
    rows = engine.stored_lists(shop, result.run_id)
    assert len(rows) == 41 * 5
    assert rows[0]["customer_id"] == "K000" and rows[0]["email"] == "k0@example.com"
    fractions = [u.done / u.total for u in updates if u.total]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


def test_reloaded_run_gives_the_stored_lists(shop):
    result = engine.train(shop, "popularity", settings=OPEN, device="cpu")
    stored = [(r["customer_id"], r["item_id"], round(r["score"], 5))
              for r in engine.stored_lists(shop, result.run_id)]
    lists = engine.recommend(shop, "popularity", top_n=5, threshold=0.0, device="cpu")
    fresh = [(cl.customer_id, r.item_id, round(r.score, 5)) for cl in lists for r in cl.items]
    assert fresh == stored


def test_clear_errors_for_empty_workspace_unknown_strategy_bad_params(ws):
    with pytest.raises(engine.EngineError, match="no events yet"):
        engine.train(ws, "popularity")
    build_shop(ws)
    with pytest.raises(engine.UnknownStrategy, match="available: .*popularity"):
        engine.train(ws, "nope")
    with pytest.raises(engine.EngineError, match="half_life_days"):
        engine.train(ws, "popularity", {"half_life_days": "-3"})
    with pytest.raises(engine.NoRun, match="shoprec train --strategy popularity"):
        engine.recommend(ws, "popularity")


def test_unknown_and_idle_customers_get_popular_items(shop):
    engine.train(shop, "popularity", settings=OPEN)
    lists = engine.recommend(shop, "popularity", ["NEW", "nobody", "K001"], threshold=0.0)
    by_id = {cl.customer_id: cl for cl in lists}
    assert by_id["NEW"].source == "fallback" and by_id["NEW"].items
    assert by_id["nobody"].source == "unknown" and by_id["nobody"].items
    assert by_id["K001"].source == "strategy"


def test_catalog_rules_and_consumables_in_lists(shop):
    engine.train(shop, "popularity", settings=OPEN)
    lists = engine.recommend(shop, "popularity", top_n=16, threshold=0.0)
    shown = {r.item_id for cl in lists for r in cl.items}
    assert "C05" not in shown, "out of stock"
    assert "C07" not in shown, "unpublished"
    ds = Dataset.from_workspace(shop)
    assert repeat_items(ds)[ds.item_index(["C06"])[0]], "filters are re-bought: a consumable"
    coffee_buyer = next(cl for cl in lists if cl.customer_id == "K000")
    assert "C06" in _items([coffee_buyer], "K000"), "a consumable comes back after purchase"
    history = set(ds.item_ids[ds.history(0)]) - {"C06"}
    assert not history & set(_items([coffee_buyer], "K000"))
    no_tea = engine.recommend(shop, "popularity", top_n=16, threshold=0.0,
                              rules={"exclude_categories": ["Tea"], "max_price": 20})
    for cl in no_tea:
        assert not any(r.item_id.startswith("T") for r in cl.items)
        assert "C03" not in _items([cl], cl.customer_id)  # 35.00 is above the band


def test_variants_collapse_and_seen_variants_are_seen(shop):
    engine.train(shop, "popularity", settings=OPEN)
    lists = engine.recommend(shop, "popularity", top_n=16, threshold=0.0)
    for cl in lists:
        mugs = [r.item_id for r in cl.items if r.item_id.startswith("M01")]
        assert len(mugs) <= 1, f"{cl.customer_id} got several variants of one mug: {mugs}"


def test_items_added_after_training_are_new_to_the_run(shop):
    run = engine.train(shop, "popularity", settings=OPEN).run_id
    with shop.atomic() as conn:
        conn.execute("INSERT INTO items (external_id, title) VALUES ('NEWITEM', 'Brand new')")
        conn.execute("INSERT INTO customers (external_id) VALUES ('LATE')")
        conn.execute(
            "INSERT INTO events (customer_id, item_id, type, ts) SELECT c.id, i.id, 'purchase', ? "
            "FROM customers c, items i WHERE c.external_id = 'LATE' AND i.external_id = 'T01'",
            (T0 + 400 * 86_400,),
        )
    loaded = engine.load_run(shop, run)
    assert loaded.new_items == 1
    lists = engine.recommend(shop, run, ["LATE"], threshold=0.0, loaded=loaded)
    assert lists[0].source == "strategy" and "NEWITEM" not in _items(lists, "LATE")
    again = engine.train(shop, "popularity", settings=OPEN)
    assert engine.load_run(shop, again.run_id).new_items == 0


def test_recommend_save_replaces_the_stored_lists(shop):
    run = engine.train(shop, "popularity").run_id
    engine.recommend(shop, run, top_n=3, threshold=0.0, save=True)
    rows = engine.stored_lists(shop, run)
    assert len(rows) == 41 * 3
    assert get_run(shop, run).info["lists"]["top_n"] == 3
    # one customer's list may be replaced alone, with the settings the others were stored with
    with pytest.raises(engine.EngineError, match="settings the run's lists were stored with"):
        engine.recommend(shop, run, ["K000"], save=True)
    before = [r for r in engine.stored_lists(shop, run) if r["customer_id"] != "K000"]
    engine.recommend(shop, run, ["K000"], top_n=3, save=True)
    after = engine.stored_lists(shop, run)
    assert len(after) == 41 * 3
    assert [r for r in after if r["customer_id"] != "K000"] == before


def test_cancel_stops_training_and_stores_nothing(shop):
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        engine.train(shop, "popularity", cancel=token)
    assert shop.count("runs") == 0 and shop.count("models") == 0


def test_training_is_deterministic_under_a_seed(shop):
    a = engine.train(shop, "popularity", settings=OPEN, seed=3).run_id
    b = engine.train(shop, "popularity", settings=OPEN, seed=3).run_id
    strip = [{k: v for k, v in r.items()} for r in engine.stored_lists(shop, a)]
    assert strip == engine.stored_lists(shop, b)


def test_plugins_disabled_by_workspace_setting_and_environment(shop, monkeypatch):
    assert "popularity" in engine.strategy_specs(ws=shop)
    engine.set_plugin_disabled(shop, "popularity")
    assert "popularity" not in engine.strategy_specs(ws=shop)
    engine.set_plugin_disabled(shop, "popularity", False)
    assert "popularity" in engine.strategy_specs(ws=shop)
    monkeypatch.setenv("SHOPREC_DISABLE_PLUGINS", "popularity")
    assert "popularity" not in engine.strategy_specs(ws=shop)


@dataclass
class _NoParams:
    pass


class _ByIndex(Strategy):
    """A stub third-party strategy: prefers items with higher index."""

    name = "by_index"
    Params = _NoParams

    def fit(self, dataset, progress=None, cancel=None):
        self.dataset = dataset

    def logits(self, users, items=None):
        row = np.arange(self.dataset.n_items, dtype=np.float32) / 4
        row = row if items is None else row[items]
        return np.tile(row, (len(users), 1))

    def state_dict(self):
        return {"n": torch.zeros(1)}

    def load_state_dict(self, state):
        pass


class _StubPlugin:
    @hookimpl
    def shoprec_strategies(self):
        return [StrategySpec(name="by_index", title="By index", description="", params=_NoParams,
                             factory=_ByIndex)]


def test_the_fallback_works_with_the_popularity_plugin_disabled(shop):
    pm = get_plugin_manager(builtins=(), entry_points=False, paths=())
    pm.load(_StubPlugin(), "stub", "registered")
    run = engine.train(shop, "by_index", pm=pm, settings=OPEN).run_id
    lists = engine.recommend(shop, run, ["NEW", "K000"], threshold=0.0, pm=pm)
    assert lists[0].source == "fallback" and lists[0].items
    assert lists[1].source == "strategy"
    # highest index wins for the stub; the last item, G01, is a gift card and never listed
    assert lists[1].items[0].item_id == "M01-L"


class _LongTrained(_ByIndex):
    """Counts fits and extensions, like a model whose training takes its whole budget."""

    name = "long_trained"
    refit_from_scratch = False
    calls: list[tuple[str, int]] = []

    def fit(self, dataset, progress=None, cancel=None):
        super().fit(dataset, progress, cancel)
        self.calls.append(("fit", dataset.n_events))

    def extend(self, dataset, progress=None, cancel=None):
        self.dataset = dataset
        self.calls.append(("extend", dataset.n_events))


class _LongPlugin:
    @hookimpl
    def shoprec_strategies(self):
        return [StrategySpec(name="long_trained", title="Long", description="",
                             params=_NoParams, factory=_LongTrained)]


def test_a_long_trained_model_is_extended_not_trained_twice(shop):
    pm = get_plugin_manager(entry_points=False, paths=())
    pm.load(_LongPlugin(), "long", "registered")
    _LongTrained.calls = []
    engine.train(shop, "long_trained", pm=pm, settings=OPEN)
    kinds = [kind for kind, _ in _LongTrained.calls]
    assert kinds == ["fit", "extend"], "one training budget, then the held-out tail"
    (_, fitted), (_, extended) = _LongTrained.calls
    assert extended > fitted, "the extension sees the held-out interactions too"
    ds = Dataset.from_workspace(shop)
    rest, _, _ = engine.holdout_last(ds, 10, engine.calibration_customers(ds, seed=0))
    assert (fitted, extended) == (rest.n_events, ds.n_events)


def test_only_a_sample_of_customers_gives_its_latest_interactions_to_calibration():
    rng = np.random.default_rng(0)
    seqs = [[int(i) for i in rng.integers(0, 30, size=n)] for n in rng.integers(2, 14, size=2000)]
    seqs += [[1]] * 50  # one interaction: nothing to hold out
    ds = Dataset.from_sequences(seqs, n_items=30)
    pick = engine.calibration_customers(ds, seed=0)
    assert len(pick) == 400, "a fifth of the 2,000 customers with two or more"
    assert (np.diff(pick) > 0).all() and pick.max() < 2000
    assert np.array_equal(pick, engine.calibration_customers(ds, seed=0))
    assert not np.array_equal(pick, engine.calibration_customers(ds, seed=1))
    rest, users, items = engine.holdout_last(ds, 10, pick)
    assert np.array_equal(users, pick)
    chosen = set(pick.tolist())
    for u, seq in enumerate(seqs):
        expected = seq[: max(1, len(seq) - 10)] if u in chosen else seq
        assert rest.history(u).tolist() == expected
    assert [set(i.tolist()) for i in items] == [set(seqs[u][max(1, len(seqs[u]) - 10):])
                                                for u in pick]
    # small shops keep at least 300 for a stable fit; large ones at most 3,000
    assert len(engine.calibration_customers(Dataset.from_sequences(seqs[:1000], n_items=30))) == 300
    assert len(engine.calibration_customers(Dataset.from_sequences(seqs[:120], n_items=30))) == 120
    many = Dataset.from_sequences(seqs * 10, n_items=30)
    assert len(engine.calibration_customers(many)) == 3000


class _Habitual(_ByIndex):
    """Scores what a customer already had far above the rest; its final pass learns nothing, so
    the calibration carried over to the final model must come out as it was fitted."""

    name = "habitual"
    refit_from_scratch = False

    def extend(self, dataset, progress=None, cancel=None):
        self.dataset = dataset

    def logits(self, users, items=None):
        out = np.tile(np.arange(self.dataset.n_items, dtype=np.float32) / self.dataset.n_items,
                      (len(users), 1))
        for row, u in enumerate(users):
            out[row, self.dataset.history(int(u))] += 3.0
        return out if items is None else out[:, items]


def test_the_calibration_carried_to_the_final_model_scores_the_history_it_was_fitted_on():
    # Each customer returns to a few favourites (a repeat shop). Scored from everything, the
    # held-out items would be the customers' past, with the bonus the labels never saw.
    rng = np.random.default_rng(0)
    seqs = [[int(i) for i in rng.choice(rng.choice(40, 6, replace=False), size=n)]
            for n in rng.integers(8, 20, size=600)]
    ds = Dataset.from_sequences(seqs, n_items=40)
    spec = StrategySpec(name="habitual", title="Habitual", description="", params=_NoParams,
                        factory=_Habitual)
    cpu = torch.device("cpu")
    as_fitted = engine.fit_calibrated(spec, _NoParams(), ds, device=cpu, refit=False).calibration
    carried = engine.fit_calibrated(spec, _NoParams(), ds, device=cpu)
    assert as_fitted.calibrated and as_fitted.a > 0
    assert carried.calibration.method == as_fitted.method
    grid = np.linspace(-1, 5, 61)
    np.testing.assert_allclose(carried.calibration.probabilities(grid),
                               as_fitted.probabilities(grid), atol=5e-3)
    # and the final model is left scoring from everything
    assert carried.model.dataset is ds
    assert carried.model.logits(np.array([0]))[0, seqs[0][-1]] >= 3.0


# -- CLI ----------------------------------------------------------------------------------------


@pytest.fixture
def shop_file(tmp_path):
    path = tmp_path / "shop.shoprec"
    build_shop(Workspace(path)).close()
    return path


def _run(path, *args):
    result = CliRunner().invoke(cli, ["--workspace", str(path), *args], catch_exceptions=False)
    return result


def test_cli_train_recommend_json(shop_file):
    out = _run(shop_file, "train", "--strategy", "popularity", "--param", "half_life_days=7",
               "--device", "cpu", "--json")
    assert out.exit_code == 0, out.output
    trained = json.loads(out.output)  # quiet: nothing but JSON on stdout
    assert trained["strategy"] == "popularity" and trained["params"]["half_life_days"] == 7.0
    out = _run(shop_file, "recommend", "--strategy", "popularity", "--customer", "K000",
               "--customer", "ghost", "--top", "3", "--threshold", "0", "--json")
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["run_id"] == trained["run_id"]
    assert [c["customer_id"] for c in data["customers"]] == ["K000", "ghost"]
    assert data["customers"][1]["source"] == "unknown"
    assert len(data["customers"][0]["items"]) == 3
    assert all(i["item_id"][0] in "CTMG" for i in data["customers"][0]["items"])  # shop ids


def test_cli_recommend_trains_first_and_explains_empty_lists(shop_file):
    out = _run(shop_file, "recommend", "--strategy", "popularity", "--customer", "K001")
    assert out.exit_code == 0, out.output
    assert "training one first" in out.output
    assert "K001" in out.output
    top = json.loads(_run(shop_file, "recommend", "--strategy", "popularity", "--customer",
                          "K001", "--threshold", "0", "--json").output)["customers"][0]
    best = top["items"][0]["score"]
    assert top["best_score"] == pytest.approx(best, abs=1e-6)
    out = _run(shop_file, "recommend", "--strategy", "popularity", "--customer", "K001",
               "--threshold", "1")
    assert f"no item reaches θ=1.0 (their best item scores {best:.3g})" in out.output


def test_cli_train_with_empty_lists_names_the_command_that_stores_fuller_ones(shop_file, tmp_path):
    out = _run(shop_file, "train", "--strategy", "popularity", "--threshold", "1", "--top", "3")
    assert out.exit_code == 0, out.output
    tip = next(ln for ln in out.output.splitlines() if ln.startswith("Tip:"))
    assert re.search(r"half the customers have an item scored at least 0\.\d+ and would get a "
                     r"full top 3 at θ 0\.\d+", tip), tip
    command = re.search(r"`shoprec (recommend [^`]+)`", tip).group(1)
    assert _run(shop_file, *command.split()).exit_code == 0
    target = tmp_path / "lists.csv"
    out = _run(shop_file, "export", "--exporter", "csv", "--out", str(target))
    assert out.exit_code == 0, out.output
    with open(target, encoding="utf-8-sig", newline="") as fh:
        per_customer = Counter(row["customer_id"] for row in csv.DictReader(fh))
    customers = len(engine.recommend(Workspace(shop_file), "popularity", threshold=0.0))
    # the θ the tip names fills at least half the customers' lists
    assert sum(n == 3 for n in per_customer.values()) >= customers / 2


def test_cli_errors_are_one_line(shop_file):
    out = _run(shop_file, "train", "--strategy", "nope")
    assert out.exit_code != 0 and "unknown strategy 'nope'" in out.output
    assert "Traceback" not in out.output
    out = _run(shop_file, "train", "--strategy", "popularity", "--param", "half_life_days")
    assert out.exit_code != 0 and "NAME=VALUE" in out.output


def test_cli_evaluate_json(shop_file):
    out = _run(shop_file, "evaluate", "--strategy", "popularity,nope", "--protocol", "loo",
               "--k", "10", "--json")
    assert out.exit_code == 0, out.output
    report = json.loads(out.output)
    assert report["protocol"] == "loo" and report["k"] == 10 and report["users"] == 40
    pop = report["results"]["popularity"]
    for key in ("hr@10", "ndcg@10", "mrr", "coverage", "ece", "fit_seconds", "score_seconds"):
        assert key in pop
    assert 0 <= pop["hr@10"] <= 1
    assert "unknown strategy" in report["results"]["nope"]["error"]


def test_cli_evaluate_uses_the_newest_run_settings_unless_told_defaults(shop_file):
    assert _run(shop_file, "train", "--strategy", "popularity", "--param",
                "half_life_days=14").exit_code == 0
    out = _run(shop_file, "evaluate", "--strategy", "popularity,ease")
    assert out.exit_code == 0, out.output
    assert "settings of the newest run: popularity (run 1); any others: defaults" in out.output
    out = _run(shop_file, "evaluate", "--strategy", "popularity", "--settings", "defaults",
               "--json")
    assert json.loads(out.output)["results"]["popularity"]["settings_run"] is None


def test_cli_plugins_lists_disables_and_enables(shop_file):
    out = _run(shop_file, "plugins", "--json")
    data = json.loads(out.output)
    pop = next(p for p in data["plugins"] if p["name"] == "popularity")
    assert pop == {"name": "popularity", "kinds": ["strategy"], "source": "built-in",
                   "version": pop["version"], "status": "ok", "error": ""}
    assert data["strategies"]["popularity"]["params"][0]["name"] == "half_life_days"
    out = _run(shop_file, "plugins", "--disable", "popularity")
    assert "disabled" in [line.split()[-1] for line in out.output.splitlines() if line.startswith("popularity")]
    out = _run(shop_file, "train", "--strategy", "popularity")
    assert out.exit_code != 0 and "unknown strategy" in out.output
    _run(shop_file, "plugins", "--enable", "popularity")
    out = _run(shop_file, "train", "--strategy", "popularity")
    assert out.exit_code == 0, out.output
    assert re.search(r"\(ECE \d\.\d{3}; logits mapped by (σ\(|an isotonic curve)", out.output)


def test_items_scores_are_probabilities(shop):
    engine.train(shop, "popularity", settings=OPEN)
    lists = engine.recommend(shop, "popularity", threshold=0.0)
    scores = np.array([r.score for cl in lists for r in cl.items])
    assert ((scores >= 0) & (scores <= 1)).all()


def test_a_run_refuses_a_workspace_whose_customers_were_removed(shop):
    run = engine.train(shop, "popularity").run_id
    with shop.atomic() as conn:
        # (lists are full by default, so the customer's stored list goes with them)
        conn.execute("DELETE FROM run_lists WHERE customer_id = "
                     "(SELECT id FROM customers WHERE external_id = 'NEW')")
        conn.execute("DELETE FROM customers WHERE external_id = 'NEW'")
    with pytest.raises(engine.EngineError, match="customers were removed .* train popularity again"):
        engine.recommend(shop, run)


def test_cli_evaluate_prints_the_reliability_table(shop_file):
    out = _run(shop_file, "evaluate", "--strategy", "popularity", "--k", "5", "--reliability")
    assert out.exit_code == 0, out.output
    assert "HR" in out.output and "score bin" in out.output
    assert "tenths by score (gap 0." in out.output
    assert "next 1 interaction" in out.output
    assert re.search(r"logits mapped by (σ\(|an isotonic curve through \d+ points)", out.output)


# -- the map of each customer's standardised logits -----------------------------------------
class _ScaledScores:
    """Scores whose size says nothing about how predictable the customer is: the true
    preference times a per-customer factor (history length, for EASE-like strategies)."""

    personal = True

    def __init__(self, truth: np.ndarray, scale: np.ndarray) -> None:
        self.truth, self.scale = truth, scale

    def logits(self, users, items=None):
        x = self.truth[users] * self.scale[users, None]
        return (x if items is None else x[:, items]).astype(np.float32)


def _scaled_shop(seed: int = 0, n_users: int = 1500, n_items: int = 120):
    rng = np.random.default_rng(seed)
    truth = rng.normal(0.0, 1.0, (n_users, n_items)) * 1.5
    taken = [np.flatnonzero(rng.random(n_items) < 1 / (1 + np.exp(-(t - 3.0)))) for t in truth]
    history = [[int(rng.integers(n_items))] for _ in range(n_users)]
    train = Dataset.from_sequences(history, n_items=n_items)
    users = np.array([u for u in range(n_users) if len(taken[u])])
    return truth, train, users, [taken[u] for u in users]


def test_standardised_rows_keep_each_ranking_and_skip_the_stand_ins_for_infinity():
    from shoprec.core.ranking.calibration import standardise_rows

    x = np.array([[1.0, 3.0, 2.0, -1e30], [5.0, 5.0, 5.0, 5.0], [1e-22, 3e-22, 2e-22, 0.0]])
    z = standardise_rows(x)
    assert np.array_equal(np.argsort(z[0][:3]), np.argsort(x[0][:3])) and z[0][3] < -1e20
    assert z[0][:3].mean() == pytest.approx(0.0) and z[0][:3].std() == pytest.approx(1.0)
    assert np.array_equal(z[1], np.zeros(4))  # nothing to standardise: zeros, not NaN
    assert np.array_equal(np.argsort(z[2]), np.argsort(x[2])) and np.abs(z[2]).max() < 2


def test_auto_rows_read_standardised_logits_where_the_scale_differs_by_customer():
    truth, train, users, taken = _scaled_shop()
    scale = np.random.default_rng(1).uniform(0.2, 4.0, len(truth))
    scaled = calibrate_strategy(_ScaledScores(truth, scale), train, users, taken,
                                       horizon=10, rows="auto")
    plain = calibrate_strategy(_ScaledScores(truth, np.ones(len(truth))), train, users,
                                      taken, horizon=10, rows="auto")
    assert scaled.rows == "z" and "standardised" in scaled.describe()
    assert plain.rows == "raw"
    raw = calibrate_strategy(_ScaledScores(truth, scale), train, users, taken, horizon=10)
    assert raw.rows == "raw" and scaled.log_loss < 0.95 * raw.log_loss
    # customers whose scores were blown up or shrunk get the same probabilities as the truth
    strategy = _ScaledScores(truth, scale)
    rows = np.arange(200)
    p = scaled.row_probabilities(strategy.logits(rows))
    q = plain.row_probabilities(truth[rows])
    top = np.argsort(-truth[rows], axis=1)[:, :10]
    gap = np.abs(np.take_along_axis(p, top, 1) - np.take_along_axis(q, top, 1)).mean()
    assert gap < 0.05
    again = type(scaled).from_dict(json.loads(json.dumps(scaled.as_dict())))
    assert again.rows == "z" and np.allclose(again.row_probabilities(strategy.logits(rows)), p)
    saved_before = {k: v for k, v in scaled.as_dict().items() if k != "rows"}  # older runs
    assert type(scaled).from_dict(saved_before).rows == "raw"


def test_a_score_every_customer_shares_is_never_standardised():
    truth, train, users, taken = _scaled_shop()
    shared = _ScaledScores(np.tile(truth[0], (len(truth), 1)), np.ones(len(truth)))
    shared.personal = False
    assert calibrate_strategy(shared, train, users, taken, horizon=10, rows="auto").rows == "raw"
    with pytest.raises(ValueError, match="unknown rows"):
        calibrate_strategy(shared, train, users, taken, horizon=10, rows="both")


def test_calibration_counts_an_item_its_rules_hide_as_missed():
    # Everyone bought item 0 twice (a repeat purchase) and came back for it again. A shop's
    # lists may show it again; the evaluation's lists never show what a customer had, so its
    # calibration must not count these returns as taken (the Compare tab over-promised).
    from shoprec.core.ranking.evaluation import RANK_RULES
    from shoprec.core.ranking.rules import ListRules

    n_users, n_items = 60, 12
    train = Dataset.from_sequences([[0, 1 + u % 5, 0] for u in range(n_users)], n_items=n_items)
    truth = np.tile(-np.arange(n_items, dtype=np.float64), (n_users, 1))  # item 0 first
    users = np.arange(n_users)
    came_back = [np.array([0]) for _ in users]
    kwargs = dict(horizon=1, return_sample=True)
    _, shop = calibrate_strategy(_ScaledScores(truth, np.ones(n_users)), train, users,
                                        came_back, rules=ListRules(), **kwargs)
    _, measured = calibrate_strategy(_ScaledScores(truth, np.ones(n_users)), train,
                                            users, came_back, rules=RANK_RULES, **kwargs)
    assert shop.labels.sum() == n_users  # the shop's lists may show item 0: taken every time
    assert measured.labels.sum() == 0  # hidden from the measured lists: missed
    assert set(np.unique(measured.users)) == set(users)  # and nobody is dropped
    assert 0 not in set(measured.items)


def test_evaluate_measures_each_strategy_as_its_newest_run_trained_it(shop):
    trained = engine.train(shop, "popularity", {"half_life_days": "14"}, device="cpu",
                           settings=OPEN)
    report = engine.evaluate(shop, ["popularity", "ease"], settings="trained", device="cpu")
    pop, ease = report["results"]["popularity"], report["results"]["ease"]
    assert pop["params"]["half_life_days"] == 14.0 and pop["settings_run"] == trained.run_id
    # never trained here: its defaults
    assert ease["settings_run"] is None and ease["params"]["l2"] == 0.0
    plain = engine.evaluate(shop, ["popularity"], device="cpu")["results"]["popularity"]
    assert plain["settings_run"] is None and plain["params"]["half_life_days"] != 14.0
    # explicit settings win over the newest run's
    given = engine.evaluate(shop, [("popularity", {"half_life_days": "3"})], settings="trained",
                            device="cpu")["results"]["popularity"]
    assert given["params"]["half_life_days"] == 3.0 and given["settings_run"] is None


def test_a_setting_this_version_no_longer_knows_is_dropped_from_a_newest_run(shop):
    run_id = engine.train(shop, "popularity", {"half_life_days": "14"}, device="cpu",
                          settings=OPEN).run_id
    with shop.atomic() as conn:  # as an older ShopRec with one more setting would have stored it
        conn.execute("UPDATE runs SET params = ? WHERE id = ?",
                     (json.dumps({"half_life_days": 14.0, "retired": 1}), run_id))
    spec = engine.strategy_specs()["popularity"]
    params, record = engine.trained_params(shop, spec)
    assert params.half_life_days == 14.0 and record.id == run_id
    with shop.atomic() as conn:  # settings that no longer validate: as if never trained
        conn.execute("UPDATE runs SET params = ? WHERE id = ?",
                     (json.dumps({"half_life_days": -5.0}), run_id))
    assert engine.trained_params(shop, spec) is None


def test_evaluate_rejects_an_unknown_settings_choice(shop):
    with pytest.raises(EvaluationError, match="settings must be one of"):
        engine.evaluate(shop, ["popularity"], settings="newest", device="cpu")
