"""Honest evaluation: the splits hold out what they claim, metrics are exact on known answers."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np
import pytest
import torch
from shoprec.core import hookimpl
from shoprec.core.contracts.progress import report
from shoprec.core.contracts.strategy import Strategy, StrategySpec
from shoprec.core.data.dataset import Dataset
from shoprec.core.data.split import EvaluationError, loo_split, parse_cutoff, temporal_split
from shoprec.core.engine.compare import evaluate
from shoprec.core.registry import get_plugin_manager

N_ITEMS = 20


def sequences() -> Dataset:
    """30 customers; each sequence walks the items upwards: the next item is always last + 1."""
    seqs = [[(u + k) % N_ITEMS for k in range(4 + u % 4)] for u in range(30)]
    return Dataset.from_sequences(seqs, n_items=N_ITEMS)


@dataclass
class _P:
    pass


class _Base(Strategy):
    Params = _P

    def fit(self, dataset, progress=None, cancel=None):
        self.dataset = dataset

    def state_dict(self):
        return {"x": torch.zeros(1)}

    def load_state_dict(self, state):
        pass

    def _rows(self, users):
        raise NotImplementedError

    def logits(self, users, items=None):
        out = self._rows(np.asarray(users)).astype(np.float32)
        return out if items is None else out[:, items]


class NextItem(_Base):
    """Knows the rule: scores last + 1 highest, then decreasing further along."""

    name = "next_item"

    def _rows(self, users):
        out = np.zeros((len(users), N_ITEMS))
        for row, u in enumerate(users):
            hist = self.dataset.history(int(u))
            last = int(hist[-1]) if len(hist) else 0
            out[row] = -((np.arange(N_ITEMS) - last - 1) % N_ITEMS)
        return out


class Constant(_Base):
    name = "constant"

    def _rows(self, users):
        return np.zeros((len(users), N_ITEMS))


class LovesHistory(NextItem):
    """Puts already-bought items first; the evaluation must exclude them."""

    name = "loves_history"

    def _rows(self, users):
        out = super()._rows(users)
        for row, u in enumerate(users):
            out[row, self.dataset.history(int(u))] = 100.0
        return out


class Broken(_Base):
    name = "broken"

    def fit(self, dataset, progress=None, cancel=None):
        raise RuntimeError("model exploded")


class _Plugin:
    @hookimpl
    def shoprec_strategies(self):
        return [StrategySpec(name=c.name, title=c.name, description="", params=_P, factory=c)
                for c in (NextItem, Constant, LovesHistory, Broken)]


@pytest.fixture
def pm():
    manager = get_plugin_manager(builtins=(), entry_points=False, paths=())
    manager.load(_Plugin(), "stubs", "registered")
    return manager


def test_leave_one_out_holds_out_last_for_test_and_the_one_before_for_validation():
    ds = sequences()
    split = loo_split(ds)
    u = 5
    full = ds.history(u)
    assert split.test_items[list(split.test_users).index(u)].tolist() == [full[-1]]
    j = list(split.cal_users).index(u)
    assert split.cal_items[j].tolist() == [full[-2]]
    assert split.fit.history(u).tolist() == full[:-2].tolist()
    assert split.score.history(u).tolist() == full[:-1].tolist()


def test_a_perfect_strategy_scores_one_and_a_constant_one_scores_chance(pm):
    report = evaluate(sequences(), ["next_item", "constant"], k=5, pm=pm, device="cpu")
    perfect, const = report["results"]["next_item"], report["results"]["constant"]
    assert perfect["hr@5"] == 1.0 and perfect["ndcg@5"] == pytest.approx(1.0) and perfect["mrr"] == 1.0
    # all scores tied: the tie is split, so the target sits mid-way among the unseen items
    assert const["mrr"] < 0.2
    assert report["users"] == 30 and report["k"] == 5 and report["protocol"] == "loo"


def test_items_in_the_history_are_excluded_from_the_ranking(pm):
    report = evaluate(sequences(), ["loves_history"], k=1, pm=pm)
    assert report["results"]["loves_history"]["hr@1"] == 1.0


def test_a_broken_strategy_is_reported_and_the_others_still_measured(pm):
    report = evaluate(sequences(), ["broken", "next_item"], k=3, pm=pm)
    assert "model exploded" in report["results"]["broken"]["error"]
    assert report["results"]["next_item"]["hr@3"] == 1.0


def test_metrics_report_coverage_diversity_calibration_and_timings(pm):
    r = evaluate(sequences(), ["next_item"], k=5, pm=pm)["results"]["next_item"]
    assert 0 < r["coverage"] <= 1
    assert r["intra_list_diversity"] is not None and 0 <= r["intra_list_diversity"] <= 1
    assert r["fit_seconds"] >= 0 and r["score_seconds"] >= 0
    assert "next 1 interaction" in r["calibration"]["event"]
    assert len(r["reliability"]) == 10
    shares = r["reliability_by_share"]
    assert 1 <= len(shares) <= 10
    assert sum(b["count"] for b in shares) == sum(b["count"] for b in r["reliability"])
    assert 0 <= r["ece_by_share"] <= 1
    # the top item is always right, items 2-5 never: a calibrated score says so
    assert r["ece"] is not None and r["ece"] < 0.3


def test_ndcg_with_several_targets_uses_the_ideal_ordering(pm):
    """Temporal protocol: two future items per customer; the perfect ranking gets NDCG 1."""
    ds = sequences()
    times = ds.times.astype(np.int64) * 86_400 + 1_700_000_000
    ds = dataclasses.replace(ds, times=times)
    r = evaluate(ds, ["next_item"], protocol="temporal", cutoff=int(np.quantile(times, 0.8)), k=5, pm=pm)
    res = r["results"]["next_item"]
    assert r["protocol"] == "temporal" and r["cutoff"].startswith("20")
    assert 0 < res["ndcg@5"] <= 1 and 0 < res["recall@5"] <= 1
    assert not math.isnan(res["mrr"])


def test_temporal_split_trains_before_and_tests_after_the_cutoff():
    ds = sequences()
    ds = dataclasses.replace(ds, times=ds.times.astype(np.int64) * 86_400 + 1_700_000_000)
    cut = int(ds.times.min()) + 4 * 86_400
    split = temporal_split(ds, cut)
    assert split.score.times.max() < cut
    assert split.fit.times.max() < cut
    for u, items in zip(split.test_users, split.test_items, strict=True):
        after = set(ds.items[(ds.users == u) & (ds.times >= cut)].tolist())
        before = set(split.score.history(int(u)).tolist())
        assert set(items.tolist()) == after - before
    with pytest.raises(EvaluationError, match="inside the data"):
        temporal_split(ds, "1999-01-01")


def test_cutoff_parsing():
    assert parse_cutoff("2024-01-02") == 1704153600
    assert parse_cutoff(1704153600) == 1704153600
    with pytest.raises(EvaluationError, match="not a date"):
        parse_cutoff("next tuesday")


def test_leave_one_out_needs_repeat_customers(pm):
    ds = Dataset.from_sequences([[0], [1]], n_items=3)
    with pytest.raises(EvaluationError, match="at least two interactions"):
        evaluate(ds, ["constant"], pm=pm)


class Memorises(NextItem):
    """Learns each customer's latest item when fitted and ignores later updates: only a model
    that learned the validation interactions can name the test item."""

    name = "memorises"

    def fit(self, dataset, progress=None, cancel=None):
        super().fit(dataset)
        self.latest = {u: int(dataset.history(u)[-1]) for u in range(dataset.n_users)
                       if len(dataset.history(u))}

    def _rows(self, users):
        # the item after the latest first; the one after that last of all
        ahead = np.stack([(np.arange(N_ITEMS) - self.latest.get(int(u), 0) - 1) % N_ITEMS
                          for u in users])
        return np.where(ahead == 0, N_ITEMS, ahead).astype(np.float64)


def test_the_final_pass_learns_the_validation_interactions_as_train_does():
    manager = get_plugin_manager(builtins=(), entry_points=False, paths=())

    class _More:
        @hookimpl
        def shoprec_strategies(self):
            return [StrategySpec(name="memorises", title="m", description="", params=_P,
                                 factory=Memorises)]

    manager.load(_More(), "more", "registered")
    learned = evaluate(sequences(), ["memorises"], k=1, pm=manager, device="cpu")
    handed = evaluate(sequences(), ["memorises"], k=1, pm=manager, device="cpu", final_pass=False)
    assert learned["results"]["memorises"]["hr@1"] == 1.0
    # fitted without the validation item, it names that item again; the list hides it
    assert handed["results"]["memorises"]["hr@1"] == 0.0


class Reports(NextItem):
    """Says how its fit is going, as the transformer does epoch by epoch."""

    name = "reports"

    def fit(self, dataset, progress=None, cancel=None):
        super().fit(dataset)
        for epoch in range(1, 4):
            report(progress, epoch, 3, f"epoch {epoch}", loss=1.0 / epoch)


def test_evaluate_passes_on_how_each_fit_is_going():
    manager = get_plugin_manager(builtins=(), entry_points=False, paths=())

    class _More:
        @hookimpl
        def shoprec_strategies(self):
            return [StrategySpec(name=c.name, title=c.name, description="", params=_P, factory=c)
                    for c in (NextItem, Reports)]

    manager.load(_More(), "more", "registered")
    seen = []
    evaluate(sequences(), ["next_item", "reports"], k=1, pm=manager, device="cpu",
             progress=seen.append)
    fractions = [u.fraction for u in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    epochs = [u for u in seen if "epoch" in u.message]
    stages = ("fitting", "learning the validation interactions")  # the fit, then the final pass
    # each line names the strategy and where it stands among the strategies compared
    assert [u.message for u in epochs] == [f"reports (2 of 2): {s}: epoch {e}" for s in stages
                                           for e in (1, 2, 3)]
    # the second of two strategies fills the second half of the bar
    assert all(0.5 <= u.fraction <= 1.0 for u in epochs) and epochs[0].metrics["loss"] == 1.0
    assert any(u.message == "reports (2 of 2): calibrating" for u in seen)
