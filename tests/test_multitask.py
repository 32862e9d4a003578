"""The multi-task strategy: shared transformer profile, next item / purchase / category / rating."""

from __future__ import annotations

import numpy as np
import pytest
from shoprec.core.contracts.progress import Cancelled, CancelToken
from shoprec.core.data.dataset import TYPE_CODE, Catalog, Dataset
from shoprec.core.registry import get_plugin_manager
from shoprec.plugins.strategies.multitask import HeadsModel, MultiTask, MultiTaskParams

N_ITEMS = 30
SESSION = ("view", "view", "view", "cart", "purchase")


def browsing_shop(n_users: int = 60, sessions: int = 3, seed: int = 0, rating: bool = False):
    """Each session: three views, the last viewed item goes to the cart and is bought.

    Returns the dataset without each customer's final purchase, and that purchase (the target).
    """
    rng = np.random.default_rng(seed)
    users, items, types, times, values = [], [], [], [], []
    targets = np.zeros(n_users, dtype=np.int64)
    for u in range(n_users):
        t = 0
        for s in range(sessions):
            viewed = rng.choice(N_ITEMS, size=3, replace=False)
            for kind, item in zip(SESSION, [*viewed, viewed[-1], viewed[-1]], strict=True):
                last = s == sessions - 1 and kind == "purchase"
                if last:
                    targets[u] = item
                    continue
                users.append(u)
                items.append(item)
                types.append(TYPE_CODE[kind])
                times.append(t)
                values.append(np.nan)
                t += 1
            if rating and s == 0:
                users.append(u)
                items.append(viewed[-1])
                types.append(TYPE_CODE["rating"])
                times.append(t)
                values.append(float(1 + viewed[-1] % 5))
                t += 1
    catalog = Catalog.empty(N_ITEMS)
    catalog.category[:] = [f"cat{i % 5}" for i in range(N_ITEMS)]
    ds = Dataset(
        user_ids=np.array([f"c{u}" for u in range(n_users)], dtype=object),
        item_ids=np.array([f"sku{i}" for i in range(N_ITEMS)], dtype=object),
        users=users,
        items=items,
        types=types,
        times=times,
        quantities=np.ones(len(users)),
        values=values,
        orders=np.full(len(users), -1),
        catalog=catalog,
    )
    return ds, targets


def small(**overrides) -> MultiTaskParams:
    base = dict(d_model=16, max_len=16, epochs=12, negatives=1024, lr=5e-3)
    base.update(overrides)
    return MultiTaskParams(**base)


@pytest.fixture(scope="module")
def trained():
    ds, targets = browsing_shop()
    model = HeadsModel(small())
    model.fit(ds)
    return model, ds, targets


def test_learns_that_customers_buy_what_they_put_in_the_cart(trained):
    model, ds, targets = trained
    top = model.logits(np.arange(ds.n_users)).argmax(axis=1)
    assert np.mean(top == targets) > 0.8
    assert model.head_used == "purchase"


def test_every_head_reports_its_loss(trained):
    model, _, _ = trained
    row = model.history[-1]
    assert {"loss_item", "loss_purchase", "loss_category"} <= set(row)
    assert "loss_rating" not in row  # no ratings in this shop
    assert model.history[-1]["loss_purchase"] < model.history[0]["loss_purchase"]


def test_rating_head_trains_where_ratings_exist():
    ds, _ = browsing_shop(n_users=20, rating=True)
    model = HeadsModel(small(epochs=2))
    model.fit(ds)
    assert "loss_rating" in model.history[-1]


def test_explain_says_the_customer_had_the_item_in_the_cart(trained):
    model, ds, targets = trained
    reasons = model.explain(0, int(targets[0]))
    assert reasons and reasons[0].item == targets[0]
    assert "cart" in reasons[0].text and "recently" in reasons[0].text


def test_save_load_and_unknown_customers(trained):
    model, ds, _ = trained
    again = HeadsModel(small())
    again.load_bytes(model.to_bytes())
    again.dataset = ds
    users = np.arange(ds.n_users)
    assert np.array_equal(again.logits(users), model.logits(users))
    scores = again.logits(np.array([-1, 0]), np.array([3, 4, 5]))
    assert scores.shape == (2, 3) and np.isfinite(scores).all()


def test_update_follows_new_events_without_retraining(trained):
    model, ds, _ = trained
    fresh = HeadsModel(small())
    fresh.load_bytes(model.to_bytes())
    before = fresh.logits(np.array([0]))[0]
    # a new session: two other items viewed, then the least likely item viewed and carted
    order = np.argsort(before)
    item, others = int(order[0]), [int(order[1]), int(order[2])]
    new = 4
    grown = Dataset(
        user_ids=ds.user_ids,
        item_ids=ds.item_ids,
        users=np.append(ds.users, [0] * new),
        items=np.append(ds.items, [*others, item, item]),
        types=np.append(ds.types, [TYPE_CODE[t] for t in ("view", "view", "view", "cart")]),
        times=np.append(ds.times, np.arange(10_000, 10_000 + new)),
        quantities=np.ones(ds.n_events + new),
        values=np.full(ds.n_events + new, np.nan),
        orders=np.full(ds.n_events + new, -1),
        catalog=ds.catalog,
    )
    fresh.update(grown, users=np.array([0]))
    after = fresh.logits(np.array([0, 1]))
    assert after[0].argmax() == item
    assert np.allclose(after[1], model.logits(np.array([1]))[0], atol=1e-5)  # others untouched


def test_without_purchases_it_ranks_the_next_item():
    ds = Dataset.from_sequences([[0, 1, 2, 3], [1, 2, 3, 0], [2, 3, 0, 1]], event_type="view")
    model = HeadsModel(small(epochs=2))
    model.fit(ds)
    assert model.head_used == "item"
    assert np.isfinite(model.logits(np.arange(3))).all()


def test_cancel_stops_training():
    ds, _ = browsing_shop(n_users=10)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        HeadsModel(small()).fit(ds, cancel=token)


def test_registered_as_a_builtin_strategy():
    pm = get_plugin_manager()
    spec = next(s for _, s in pm.collect("shoprec_strategies") if s.name == "multitask")
    assert isinstance(spec.create(), MultiTask)


def test_purchase_horizon_limits_which_events_learn_the_next_purchase():
    ds, _ = browsing_shop(n_users=2, sessions=2)
    from shoprec.core.models.transformer import EventSequences

    seqs = EventSequences(ds)
    limit = seqs.indptr[1:].copy()
    anywhere = HeadsModel._targets(ds, seqs, limit, horizon=0).next_purchase
    next_only = HeadsModel._targets(ds, seqs, limit, horizon=1).next_purchase
    # customer 0: view view view cart BUY | view view view cart (final purchase held out)
    assert anywhere[:4].tolist() == [ds.items[4]] * 4
    assert next_only[:4].tolist() == [-1, -1, -1, ds.items[4]]
    assert anywhere[4] == -1  # nothing bought after that within the data


# -- the strategy: single-task transformer unless the extra heads earn their place ----------


def fast(**overrides) -> MultiTaskParams:
    base = dict(d_model=16, max_len=16, epochs=3, lr=5e-3, time_budget_min=2.0)
    base.update(overrides)
    return MultiTaskParams(**base)


def fitted(params: MultiTaskParams, ds: Dataset) -> MultiTask:
    from shoprec.core import engine

    spec = engine.strategy_specs()["multitask"]
    return engine.fit_strategy(spec, params, ds, device=engine.resolve_device("cpu"), seed=0)


def test_extra_heads_come_from_the_shops_own_event_types():
    from shoprec.plugins.strategies.multitask import extra_heads

    views = Dataset.from_sequences([[0, 1, 2], [1, 2, 0]], event_type="view")
    assert extra_heads(views) == []  # one kind of event: nothing beyond the next item
    shop, _ = browsing_shop(n_users=4)
    assert extra_heads(shop) == ["purchase", "category"]
    rated, _ = browsing_shop(n_users=4, rating=True)
    assert "rating" in extra_heads(rated)
    flat = Dataset.from_sequences([[0, 1, 2], [1, 2, 0]], event_type="rating")
    flat.values[:] = 5.0  # every rating the same value: no rating head
    assert extra_heads(flat) == []


def test_one_kind_of_event_is_the_single_task_transformer_fitted_once_in_a_compare():
    from shoprec.core import engine
    from shoprec.core.training import fitcache
    from shoprec.plugins.strategies.transformer import TransformerStrategy

    ds = Dataset.from_sequences([[i % 12, (i + 1) % 12, (i + 2) % 12, (i + 3) % 12]
                                 for i in range(24)], event_type="view")
    with fitcache.shared_fits() as cache:
        spec = engine.strategy_specs()["transformer"]
        alone = engine.fit_strategy(spec, spec.params(time_budget_min=2.0), ds,
                                    device=engine.resolve_device("cpu"), seed=0)
        mt = fitted(fast(), ds)
    assert cache.hits == 1  # multitask took the transformer's fit instead of training again
    assert isinstance(mt.inner, TransformerStrategy)
    assert mt.reduced_to == "transformer" and "one kind of event" in mt.describe()
    users = np.arange(ds.n_users)
    assert np.allclose(mt.logits(users), alone.logits(users))


def test_extra_heads_that_do_not_beat_single_task_on_held_back_customers_are_dropped():
    ds, _ = browsing_shop(n_users=60)
    mt = fitted(fast(epochs=1, lr=1e-5), ds)  # heads that barely learn
    assert set(mt.validation) >= {"transformer", "heads:item", "heads:purchase"}
    assert mt.reduced_to == "transformer" and "did not beat" in mt.describe()
    assert np.isfinite(mt.logits(np.arange(ds.n_users))).all()


def test_the_chosen_model_never_ranks_held_back_customers_worse_than_single_task():
    ds, _ = browsing_shop(n_users=60, rating=True)
    mt = fitted(fast(), ds)
    single = mt.validation["transformer"]
    if mt.reduced_to:
        assert type(mt.inner).__name__ == "TransformerStrategy"
    else:
        assert mt.validation[f"heads:{mt.head_used}"] > single


@pytest.mark.parametrize("heads", ["multi", "single"])
def test_forced_choice_and_state_round_trip(heads):
    ds, _ = browsing_shop(n_users=20)
    mt = fitted(fast(heads=heads), ds)
    assert (mt.reduced_to == "transformer") == (heads == "single")
    again = MultiTask(fast(heads=heads))
    again.load_bytes(mt.to_bytes())
    again.dataset = ds
    users = np.arange(ds.n_users)
    assert type(again.inner) is type(mt.inner)
    assert np.allclose(again.logits(users), mt.logits(users), atol=1e-5)
