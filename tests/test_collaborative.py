"""Collaborative strategies (EASE, ALS, item-kNN): what a shop owner would notice."""

from __future__ import annotations

import numpy as np
import pytest
from shop_fixtures import two_taste_groups
from shoprec.core.data.dataset import Dataset
from shoprec.core.ranking.tuning import CatalogTooLarge
from shoprec.core.registry import get_plugin_manager
from shoprec.plugins.strategies import ease as ease_mod
from shoprec.plugins.strategies.als import ALS, ALSParams
from shoprec.plugins.strategies.ease import EASE, EASEParams
from shoprec.plugins.strategies.itemknn import ItemKNN, ItemKNNParams

FACTORIES = {
    "ease": lambda: EASE(EASEParams(tune_seconds=1)),
    "als": lambda: ALS(ALSParams(factors=8, iterations=8, tune_seconds=1)),
    "itemknn": lambda: ItemKNN(ItemKNNParams(tune_seconds=1)),
}



pytestmark = pytest.mark.usefixtures("one_torch_thread")

@pytest.fixture(scope="module")
def two_tastes() -> Dataset:
    """60 customers, 20 items: customers 0-29 buy among items 0-9, 30-59 among items 10-19."""
    seqs = two_taste_groups(60, group_items=10, per_customer=5, seed=0)
    names = [f"Item {i}" for i in range(20)]
    ds = Dataset.from_sequences(seqs, n_items=20)
    ds.catalog.title[:] = names
    return ds


@pytest.fixture(scope="module", params=sorted(FACTORIES))
def fitted(request, two_tastes):
    model = FACTORIES[request.param]()
    model.fit(two_tastes)
    return model


def test_recommends_from_the_customers_own_taste(fitted, two_tastes):
    scores = fitted.logits(np.arange(60))
    seen = two_tastes.matrix().toarray() > 0
    for u in (0, 7, 31, 50):
        own = slice(0, 10) if u < 30 else slice(10, 20)
        other = slice(10, 20) if u < 30 else slice(0, 10)
        unseen_own = scores[u, own][~seen[u, own]]
        assert unseen_own.mean() > scores[u, other].mean()


def test_unknown_customers_and_subsets_of_items_get_finite_scores(fitted):
    out = fitted.logits(np.array([-1, 0, 10_000]))
    assert out.shape == (3, 20) and np.isfinite(out).all()
    sub = fitted.logits(np.array([0, 1]), np.array([3, 15]))
    assert np.allclose(sub, fitted.logits(np.array([0, 1]))[:, [3, 15]], atol=1e-5)


def test_explanations_name_items_the_customer_bought(fitted, two_tastes):
    user = 3
    scores = fitted.logits(np.array([user]))[0]
    history = set(two_tastes.history(user).tolist())
    best = max((i for i in range(20) if i not in history), key=lambda i: scores[i])
    reasons = fitted.explain(user, best)
    assert reasons, "a recommendation from history must say which purchase drove it"
    assert all(r.item in history for r in reasons)
    assert reasons[0].text.startswith("because you bought Item ")
    assert fitted.explain(-1, best) == []


def test_similar_items_stay_within_the_taste_group(fitted):
    similar = [i for i, _ in fitted.similar_items(2, n=5)]
    assert similar and 2 not in similar
    assert sum(i < 10 for i in similar) >= 4


def test_saved_model_gives_identical_scores(fitted, two_tastes):
    clone = type(fitted)(fitted.params)
    clone.load_bytes(fitted.to_bytes())
    clone.dataset = two_tastes
    users = np.arange(60)
    assert np.allclose(clone.logits(users), fitted.logits(users), atol=1e-6)


def test_automatic_tuning_reports_what_it_chose(fitted):
    assert fitted.tuning is not None and fitted.tuning.trials
    assert fitted.tuning.best_score == max(t.score for t in fitted.tuning.trials)


def test_new_events_change_an_existing_customers_list(fitted, two_tastes):
    """After ``update`` a customer who starts buying the other group gets that group's items."""
    seqs = [two_tastes.history(u).tolist() for u in range(60)]
    seqs[0] = seqs[0] + [10, 11, 12, 13, 14, 15]
    grown = Dataset.from_sequences(seqs, n_items=20)
    fitted.update(grown)
    fitted.dataset = grown
    try:
        scores = fitted.logits(np.array([0]))[0]
        seen = set(seqs[0])
        unseen_first = [i for i in range(10) if i not in seen]
        assert scores[16:20].mean() > scores[unseen_first].mean()
    finally:
        fitted.update(two_tastes)
        fitted.dataset = two_tastes


def test_als_update_of_named_customers_leaves_the_others_alone(two_tastes):
    """``update(ds, users)`` re-solves those customers and newcomers; the rest keep their vectors."""
    model = FACTORIES["als"]()
    model.fit(two_tastes)
    before = model.logits(np.arange(60))
    seqs = [two_tastes.history(u).tolist() for u in range(60)]
    seqs[0] = seqs[0] + [10, 11, 12, 13, 14, 15]
    seqs[1] = seqs[1] + [16, 17, 18]  # changed, but not named: keeps its old vector
    seqs.append([12, 13])  # a newcomer
    grown = Dataset.from_sequences(seqs, n_items=20)
    model.update(grown, np.array([0]))
    after = model.logits(np.arange(61))
    assert np.array_equal(after[1:60], before[1:60])
    assert not np.allclose(after[0], before[0])
    assert after[60, 10:20].mean() > after[60, :10].mean()
    everyone = FACTORIES["als"]()
    everyone.load_bytes(model.to_bytes())
    everyone.update(grown)
    assert np.allclose(everyone.logits(np.array([0, 60])), after[[0, 60]], atol=1e-4)


def test_fixed_parameters_skip_the_search(two_tastes):
    model = EASE(EASEParams(l2=50.0))
    model.fit(two_tastes)
    assert model.tuning is None and model.l2_used == 50.0


def test_ease_refuses_a_catalog_too_large_and_names_what_fits(monkeypatch, two_tastes):
    monkeypatch.setattr(ease_mod, "MAX_ITEMS", 10)
    with pytest.raises(CatalogTooLarge, match="handles at most 10 .* use 'als'"):
        EASE().fit(two_tastes)


def test_same_seed_same_scores(two_tastes):
    a, b = ALS(ALSParams(factors=8, regularization=1.0, alpha=1.0)), ALS(
        ALSParams(factors=8, regularization=1.0, alpha=1.0)
    )
    a.fit(two_tastes)
    b.fit(two_tastes)
    assert np.array_equal(a.logits(np.arange(60)), b.logits(np.arange(60)))


def test_empty_data_fits_without_crashing():
    empty = Dataset.from_sequences([[], []], n_items=3)
    for make in FACTORIES.values():
        model = make()
        model.fit(empty)
        assert np.isfinite(model.logits(np.array([0, 1]))).all()


def test_registered_as_collaborative_plugins():
    pm = get_plugin_manager(entry_points=False, paths=())
    specs = {spec.name: spec for _, spec in pm.collect("shoprec_strategies")}
    for name in ("ease", "als", "itemknn"):
        assert specs[name].family == "collaborative"
        assert specs[name].create().name == name
