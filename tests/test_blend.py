"""Blend: calibrated members, weights fitted on validation, per-customer fallbacks."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
import torch
from shop_fixtures import two_taste_groups
from shoprec.core.data.dataset import Dataset
from shoprec.core.training import KIT
from shoprec.plugins.strategies.blend import Blend, BlendParams


def _blend(params: BlendParams) -> Blend:
    """A blend with the kit the engine lends it (the other strategies), as fit_strategy sets it."""
    model = Blend(params)
    model.kit = KIT
    return model


pytestmark = pytest.mark.usefixtures("one_torch_thread")

@pytest.fixture(scope="module")
def shop() -> Dataset:
    """80 customers in two taste groups over 24 items; item 23 is brand new (nobody bought it)."""
    seqs = two_taste_groups(80, group_items=11, per_customer=6, seed=1)
    seqs.append([])  # customer 80 has no history
    ds = Dataset.from_sequences(seqs, n_items=24)
    ds.catalog.title[:] = [f"Product {i}" for i in range(24)]
    return ds


@pytest.fixture(scope="module")
def blend(shop) -> Blend:
    model = _blend(BlendParams(members="ease,itemknn,popularity", tune_seconds=2))
    model.fit(shop)
    return model


def test_weights_are_fitted_and_sum_to_one(blend):
    weights = {m.name: m.weight for m in blend.members}
    assert set(weights) == {"ease", "itemknn", "popularity"}
    assert sum(weights.values()) == pytest.approx(1.0)
    assert max(weights.values()) > 0
    assert blend.tuning.best_score >= max(t.score for t in blend.tuning.trials[:1])


def test_blend_ranks_the_customers_own_taste_first(blend, shop):
    scores = blend.logits(np.arange(80))
    assert np.isfinite(scores).all()
    seen = shop.matrix().toarray()[:80] > 0
    for u in (2, 45):
        own = np.arange(11) if u < 40 else np.arange(11, 22)
        other = np.arange(11, 22) if u < 40 else np.arange(11)
        assert scores[u, own[~seen[u, own]]].mean() > scores[u, other].mean()


def test_customers_without_history_get_the_popularity_list(blend, shop):
    pop = next(m for m in blend.members if m.name == "popularity")
    cold = blend.logits(np.array([80, -1]))
    expected = pop.probabilities(np.array([80]), None)[0]
    assert np.isfinite(cold).all()
    assert np.argsort(-cold[0])[:5].tolist() == np.argsort(-expected, kind="stable")[:5].tolist()


def test_scores_for_a_subset_of_items_match_the_full_list(blend):
    full = blend.logits(np.array([0, 50]))
    part = blend.logits(np.array([0, 50]), np.array([1, 12, 23]))
    assert np.allclose(part, full[:, [1, 12, 23]], atol=1e-5)


def test_explanations_come_from_a_weighted_member(blend, shop):
    reasons = blend.explain(0, 5)
    history = set(shop.history(0).tolist())
    assert reasons and all(r.item in history for r in reasons)


def test_saved_blend_scores_the_same(blend, shop):
    clone = _blend(blend.params)
    clone.load_bytes(blend.to_bytes())
    clone.dataset = shop
    users = np.arange(81)
    assert np.allclose(clone.logits(users), blend.logits(users), atol=1e-5)


def test_a_member_calibrated_on_standardised_rows_keeps_them_when_saved(shop):
    model = _blend(BlendParams(members="ease,itemknn,popularity", tune_seconds=2))
    model.fit(shop)
    for m in model.members:  # as calibration picks for a strategy whose scale varies by customer
        m.calibration = dataclasses.replace(m.calibration, rows="z")
    clone = _blend(model.params)
    clone.load_bytes(model.to_bytes())
    clone.dataset = shop
    assert [m.calibration.rows for m in clone.members] == ["z"] * len(model.members)
    users = np.arange(81)
    assert np.allclose(clone.logits(users), model.logits(users), atol=1e-5)


def test_each_member_keeps_its_own_calibration_and_older_saves_still_load(blend, shop):
    assert all(m.calibration.calibrated for m in blend.members)
    state = blend.state_dict()
    saved = json.loads(bytes(state["members_json"].tolist()).decode())
    for entry in saved["members"]:  # the format before members kept a whole calibration
        cal = entry.pop("calibration")
        entry["a"], entry["b"] = cal["a"], cal["b"]
    state["members_json"] = torch.tensor(list(json.dumps(saved).encode()), dtype=torch.uint8)
    clone = _blend(blend.params)
    clone.load_state_dict(state)
    clone.dataset = shop
    for old, new in zip(clone.members, blend.members, strict=True):
        assert old.calibration.method == "platt"
        assert (old.calibration.a, old.calibration.b) == (new.calibration.a, new.calibration.b)
    first = clone.members[0]
    first.model.dataset = shop
    logits = np.asarray(first.model.logits(np.arange(5)), dtype=np.float64)
    want = 1 / (1 + np.exp(-(first.calibration.a * logits + first.calibration.b)))
    np.testing.assert_allclose(first.probabilities(np.arange(5), None), want, rtol=1e-5)


def test_members_that_cannot_fit_are_skipped_with_a_reason(shop):
    model = _blend(BlendParams(members="no_such_strategy,popularity", tune_seconds=1))
    model.fit(shop)
    assert [m.name for m in model.members] == ["popularity"]
    assert model.skipped == {"no_such_strategy": "not installed"}


def test_no_member_at_all_is_a_clear_error(shop):
    with pytest.raises(ValueError, match="no member strategy could be fitted"):
        _blend(BlendParams(members="nothing_here")).fit(shop)


def test_data_too_small_to_calibrate_still_gives_a_list():
    tiny = Dataset.from_sequences([[0, 1, 2], [0, 1, 2], [2, 3]], n_items=4)
    model = _blend(BlendParams(members="ease,popularity", tune_seconds=1))
    model.fit(tiny)
    out = model.logits(np.arange(3))
    assert out.shape == (3, 4) and np.isfinite(out).all()


def test_member_settings_parse_and_reach_the_member(shop):
    from shoprec.plugins.strategies.blend import parse_member_settings

    assert parse_member_settings(" transformer.time_budget_min=0.5 ; ease.l2 = 30;") == {
        "transformer": {"time_budget_min": "0.5"}, "ease": {"l2": "30"}}
    with pytest.raises(ValueError, match="NAME.FIELD=VALUE"):
        parse_member_settings("transformer=3")
    model = _blend(BlendParams(members="transformer,popularity", tune_seconds=1,
                              member_settings="transformer.max_epochs=2;transformer.d_model=16"))
    model.fit(shop)
    trans = next(m for m in model.members if m.name == "transformer")
    assert trans.model.params.max_epochs == 2 and trans.model.params.d_model == 16


def test_long_trained_members_continue_instead_of_training_twice(shop, monkeypatch):
    """After the weights are chosen, a member that trains for minutes gets ``extend`` on all the
    data (one short pass); cheap members are refitted; the engine's own second pass does the same."""
    from shoprec.plugins.strategies import blend as blend_mod
    from shoprec.plugins.strategies.transformer import TransformerStrategy

    fits: list[str] = []
    extends: list[int] = []
    real_fit = Blend._fit_member

    def counting_fit(self, spec, params, data, progress, cancel):
        fits.append(spec.name)
        return real_fit(self, spec, params, data, progress, cancel)

    real_extend = TransformerStrategy.extend

    def counting_extend(self, dataset, progress=None, cancel=None):
        extends.append(dataset.n_events)
        return real_extend(self, dataset, progress, cancel)

    monkeypatch.setattr(Blend, "_fit_member", counting_fit)
    monkeypatch.setattr(TransformerStrategy, "extend", counting_extend)
    model = _blend(BlendParams(members="transformer,ease,popularity", tune_seconds=1,
                              member_settings="transformer.max_epochs=2;transformer.d_model=16"))
    assert not Blend.refit_from_scratch and blend_mod.DEFAULT_MEMBERS.startswith("transformer,")
    model.fit(shop)
    assert fits.count("transformer") == 1
    weighted = {m.name for m in model.members if m.weight > 0} | {"popularity"}
    assert fits.count("ease") == (2 if "ease" in weighted else 1)
    assert extends == ([shop.n_events] if "transformer" in weighted else [])
    assert all(m.model.dataset is shop for m in model.members if m.name in weighted)
    fits.clear()
    model.extend(shop)
    assert "transformer" not in fits
    assert np.isfinite(model.logits(np.arange(81))).all()

    alone = _blend(BlendParams(members="transformer", tune_seconds=1,
                              member_settings="transformer.max_epochs=2;transformer.d_model=16"))
    fits.clear()
    extends.clear()
    alone.fit(shop)
    assert fits == ["transformer"] and extends == [shop.n_events]


class _Fixed:
    """A member stand-in with given probabilities (customers x items)."""

    def __init__(self, p: np.ndarray) -> None:
        self.p = p

    def probabilities(self, users, items):
        return self.p[users]


@pytest.mark.parametrize("candidates", [1000, 3])
def test_weighing_on_candidates_matches_full_ranking(candidates, monkeypatch):
    """Ranking the hidden item among the members' top items gives full ranking's NDCG@10 when the
    candidates cover the catalog, and never more (ties half, seen items out) when they do not."""
    import scipy.sparse as sp
    from shoprec.core.ranking.tuning import Holdout, ranking_quality
    from shoprec.plugins.strategies import blend as blend_mod

    monkeypatch.setattr(blend_mod, "CANDIDATES", candidates)
    rng = np.random.default_rng(5)
    n_users, n_items = 60, 30
    members = [_Fixed(rng.random((n_users, n_items))), _Fixed(np.round(rng.random((n_users, n_items)), 1))]
    users = np.arange(n_users)
    targets = rng.integers(0, n_items, n_users)
    seen = sp.random(n_users, n_items, density=0.2, format="csr", random_state=3)
    seen.data[:] = 1
    cands = blend_mod._Candidates.build(members, users, targets, seen, None, batch=16)
    holdout = Holdout(train=None, users=users, targets=targets, seen=seen)
    for w, geometric in (([1.0, 0.0], False), ([0.3, 1.0], False), ([1.0, 1.0], True)):
        parts = [np.log(np.clip(m.p, 1e-12, 1)) if geometric else m.p for m in members]
        full = ranking_quality(lambda b, w=w, parts=parts: sum(wj * pj[b] for wj, pj in zip(w, parts, strict=True)), holdout)
        got = cands.ndcg(np.array(w, dtype=np.float32), geometric=geometric)
        if candidates >= n_items:
            assert got == pytest.approx(full, abs=1e-6)
        else:
            assert got >= full - 1e-9  # fewer competitors can only raise a hidden item's rank


def test_members_read_standardised_logits_where_their_scale_differs_by_customer(monkeypatch):
    """A member whose score scale says nothing about the customer (EASE's grows with history)
    is calibrated on each customer's standardised logits, as it is on its own; popularity,
    which every customer shares, stays raw."""
    rng = np.random.default_rng(0)
    n_users, n_items = 1500, 120
    truth = rng.normal(0.0, 1.5, (n_users, n_items))
    taste = np.exp(truth) / np.exp(truth).sum(1, keepdims=True)
    seqs = [list(rng.choice(n_items, size=4, replace=False, p=taste[u])) for u in range(n_users)]
    shop = Dataset.from_sequences(seqs, n_items=n_items)
    scale = rng.uniform(0.2, 4.0, n_users)

    class Scaled:
        personal, refit_from_scratch, params = True, True, None

        def __init__(self, data):
            self.dataset = data

        def logits(self, users, items=None):
            x = truth[users] * scale[users, None]
            return x if items is None else x[:, items]

        def update(self, dataset, users=None):
            self.dataset = dataset

    real_fit = Blend._fit_member

    def fit_member(self, spec, params, data, progress, cancel):
        if spec.name == "ease":
            return Scaled(data)
        return real_fit(self, spec, params, data, progress, cancel)

    monkeypatch.setattr(Blend, "_fit_member", fit_member)
    model = _blend(BlendParams(members="ease,popularity", tune_seconds=1))
    model.fit(shop)
    rows = {m.name: m.calibration.rows for m in model.members}
    assert rows == {"ease": "z", "popularity": "raw"}


def test_weights_that_do_not_beat_the_best_member_on_held_back_customers_are_dropped(shop, monkeypatch):
    """Whatever the weight search proposes, the blend keeps it only where it beats the best
    single member on validation customers it was not tuned on: here the search is made to
    propose popularity alone, which ranks the two taste groups worst, so the blend reduces to
    its best member and says so."""
    from shoprec.core.ranking.tuning import TuningResult
    from shoprec.plugins.strategies import blend as blend_module

    def bad_search(space, start, evaluate, **kwargs):
        best = {**{k: 0.0 for k in space if k != "mix"}, **{k: 0.0 for k in start if k != "mix"},
                "mix": "linear", "popularity": 1.0}
        return TuningResult(best=best, best_score=evaluate(best))

    monkeypatch.setattr(blend_module, "coordinate_search", bad_search)
    model = _blend(BlendParams(members="ease,itemknn,popularity", tune_seconds=2))
    model.fit(shop)
    weights = {m.name: m.weight for m in model.members}
    assert model.reduced_to in ("ease", "itemknn")
    assert weights[model.reduced_to] == 1.0 and weights["popularity"] == 0.0
    assert f"{model.reduced_to} alone" in model.describe()
    clone = _blend(model.params)
    clone.load_bytes(model.to_bytes())
    assert clone.reduced_to == model.reduced_to


def test_the_blend_never_ranks_worse_than_its_best_member_on_validation(shop):
    from shoprec.core import engine
    from shoprec.plugins.strategies import blend as blend_module

    model = _blend(BlendParams(members="ease,itemknn,popularity", tune_seconds=2))
    model.fit(shop)
    rng = np.random.default_rng(model.seed)
    train, users, positives = engine.holdout_last(shop, 1)
    pick = np.sort(rng.choice(len(users), size=min(blend_module.VALIDATION_USERS, len(users)),
                              replace=False))
    cands = blend_module._Candidates.build(model.members, users[pick],
                                           np.array([positives[j][0] for j in pick]),
                                           train.matrix()[users[pick]], None)
    w = np.array([m.weight for m in model.members], dtype=np.float32)
    blended = cands.ndcg(w, geometric=model.mix == "geometric")
    singles = [cands.ndcg(np.eye(len(model.members), dtype=np.float32)[j], geometric=False)
               for j in range(len(model.members))]
    assert blended >= max(singles) - 1e-9


def test_a_blend_fitted_without_the_engine_says_how_to_fit_it(shop):
    with pytest.raises(ValueError, match="through the engine"):
        Blend(BlendParams(members="ease,popularity")).fit(shop)
