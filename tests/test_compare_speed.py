"""A Compare that answers in minutes: equal fits shared, a time budget split, stop keeps results."""

from __future__ import annotations

import numpy as np
import pytest
from shoprec.core import engine
from shoprec.core.contracts.progress import CancelToken
from shoprec.core.data.dataset import Dataset
from shoprec.core.engine import plan as compare_plan


@pytest.fixture(autouse=True)
def _fresh():
    compare_plan.forget_all()
    yield
    compare_plan.forget_all()


def views_shop(n_users: int = 80, n_items: int = 40, seed: int = 0) -> Dataset:
    rng = np.random.default_rng(seed)
    seqs = [[int(i) for i in rng.integers(0, n_items, size=rng.integers(4, 10))]
            for _ in range(n_users)]
    return Dataset.from_sequences(seqs, event_type="view")


def test_quick_methods_first_and_long_ones_capped_to_their_share():
    specs = engine.strategy_specs()
    names = ["transformer", "blend", "multitask", "popularity", "ease"]
    plan = compare_plan.ComparePlan(names, specs, budget_min=10.0, started=compare_plan.time.monotonic())
    assert [names[i] for i in plan.order] == ["popularity", "ease", "transformer", "blend", "multitask"]
    p, cap = plan.capped(specs["transformer"], specs["transformer"].params())
    # 80 % of 10 minutes over 3 trainings: transformer 1, blend 1.5 (its quick members learn
    # again too), multitask 0.5 (it mostly shares the transformer's fit)
    assert cap == pytest.approx(8 / 3, abs=0.01) and p.time_budget_min == cap
    b, bcap = plan.capped(specs["blend"], specs["blend"].params())
    assert bcap == cap and f"transformer.time_budget_min={cap}" in b.member_settings
    m, _ = plan.capped(specs["multitask"], specs["multitask"].params())
    assert m.time_budget_min == cap  # the same settings: the same fit, made once
    q, qcap = plan.capped(specs["ease"], specs["ease"].params())
    assert qcap is None and q == specs["ease"].params()


def test_without_a_budget_nothing_is_capped():
    specs = engine.strategy_specs()
    plan = compare_plan.ComparePlan(["transformer"], specs, None, 0.0)
    params = specs["transformer"].params()
    assert plan.capped(specs["transformer"], params) == (params, None)


def test_transformer_and_multitask_share_one_fit_and_measure_the_same():
    ds = views_shop()
    messages = []
    report = engine.evaluate(ds, [("transformer", {"time_budget_min": 5}),
                                  ("multitask", {"time_budget_min": 5})],
                             device="cpu", progress=lambda u: messages.append(u.message))
    t, m = report["results"]["transformer"], report["results"]["multitask"]
    assert any("learned already, shared" in text for text in messages)
    assert m["ndcg@10"] == pytest.approx(t["ndcg@10"]) and m["hr@10"] == pytest.approx(t["hr@10"])
    assert "one kind of event" in m["note"]
    # how it learned is in the report, so a cap that cut learning short can be named
    assert t["training"]["epochs"] >= 1 and t["training"]["stopped"] in ("early", "max_epochs",
                                                                         "budget")


def test_a_cap_that_cut_learning_short_is_said_in_words():
    from shoprec.core.cli.engine import capped_note
    from shoprec.desktop.tabs.compare import verdict

    cut = {"hr@10": 0.05, "learning_cap_min": 1.3, "training": {"stopped": "budget"}}
    done = {"hr@10": 0.06, "learning_cap_min": 1.3, "training": {"stopped": "early"}}
    assert "before it had finished; it may do better than shown" in capped_note(cut)
    assert capped_note(done).startswith("finished learning within its 1.3 min share")
    assert capped_note({"learning_cap_min": 2.0, "training": {}}).startswith("learned for at most 2")
    titles = {"transformer": "Next-purchase predictor", "ease": "Similar customers"}
    _, text = verdict({"k": 10, "results": {"transformer": cut, "ease": {"hr@10": 0.1}}}, titles)
    assert text.endswith("Next-purchase predictor: stopped learning early to fit the comparison's "
                         "time, so it may do better than shown here.")
    _, text = verdict({"k": 10, "results": {"transformer": done, "ease": {"hr@10": 0.1}}}, titles)
    assert "stopped learning early" not in text


def test_train_says_how_its_learning_ended():
    from shoprec.core.cli.engine import learning_line

    assert learning_line({"epochs": 38, "best_epoch": 35, "stopped": "early", "seconds": 1350.0}) == (
        "Learned for 22.5 min, 38 epochs (best: 35); it stopped as it had stopped improving.")
    assert learning_line({"epochs": 3, "best_epoch": 3, "stopped": "budget", "seconds": 60.0}
                         ).endswith("it stopped as its time budget was spent.")


def test_progress_names_each_method_and_the_time_left():
    ds = views_shop(n_users=30)
    messages = []
    engine.evaluate(ds, ["popularity", "itemknn"], device="cpu", budget_min=5,
                    progress=lambda u: messages.append(u.message))
    assert any(text.startswith("popularity (1 of 2)") and "min left" in text for text in messages)
    assert any(text.startswith("itemknn (2 of 2)") for text in messages)


def test_stop_keeps_what_finished_and_a_second_compare_reuses_it():
    ds = views_shop(n_users=30)
    token = CancelToken()

    def progress(update):
        if update.message.startswith("itemknn (2 of 3)"):
            token.cancel()  # the owner presses Stop while the second method learns

    report = engine.evaluate(ds, ["popularity", "itemknn", "ease"], device="cpu",
                             progress=progress, cancel=token)
    assert report["stopped"] is True
    assert list(report["results"]) == ["popularity"]
    assert report["not_measured"] == ["itemknn", "ease"]
    again = engine.evaluate(ds, ["popularity", "itemknn"], device="cpu")
    assert again["stopped"] is False
    assert again["results"]["popularity"].get("reused") is True  # measured before: not again
    assert not again["results"]["itemknn"].get("reused")
    assert again["results"]["popularity"]["ndcg@10"] == report["results"]["popularity"]["ndcg@10"]
    fresh = engine.evaluate(ds, ["popularity"], device="cpu", reuse=False)
    assert not fresh["results"]["popularity"].get("reused")


def test_other_data_is_never_reused():
    engine.evaluate(views_shop(seed=0, n_users=30), ["popularity"], device="cpu")
    other = engine.evaluate(views_shop(seed=1, n_users=30), ["popularity"], device="cpu")
    assert not other["results"]["popularity"].get("reused")


def test_a_method_that_would_outlast_the_budget_is_named_not_run(monkeypatch):
    from shoprec.plugins.strategies.ease import EASE

    monkeypatch.setattr(EASE, "expected_seconds", staticmethod(lambda ds, device: 3600.0))
    ds = views_shop(n_users=30)
    report = engine.evaluate(ds, ["popularity", "ease"], device="cpu", budget_min=10)
    assert "hr@10" in report["results"]["popularity"]
    assert report["results"]["ease"]["error"].startswith("not measured: it would take about 120 min")
    # a blend leaves such a member out instead of spending the whole comparison on it
    specs = engine.strategy_specs()
    plan = compare_plan.ComparePlan(["blend"], specs, 10.0, compare_plan.time.monotonic(),
                                    dataset=ds, device="cpu")
    params, cap = plan.capped(specs["blend"], specs["blend"].params())
    assert "ease" not in params.members.split(",") and "transformer" in params.members
    assert cap is not None
    # without a budget everything is measured, however long it takes
    again = engine.evaluate(ds, ["ease"], device="cpu")
    assert "hr@10" in again["results"]["ease"]
