"""Calibration, list rules, variants, balance and explanations: what a shop owner sees in a list."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from scipy.special import expit
from shoprec.core.contracts.strategy import Reason, Strategy
from shoprec.core.data.dataset import TYPE_CODE, Catalog, Dataset
from shoprec.core.ranking.calibration import (
    Calibration,
    calibrate,
    curve,
    fit_isotonic,
    fit_platt,
    transfer,
)
from shoprec.core.ranking.metrics import (
    expected_calibration_error,
    reliability_by_share,
    reliability_table,
)
from shoprec.core.ranking.rules import ListRules, SeenFilter, catalog_allowed, repeat_items
from shoprec.core.ranking.samples import CalibrationSample, collect_sample
from shoprec.core.ranking.scoring import (
    ItemSimilarity,
    ListBuilder,
    ListSettings,
    diversify,
    summarize_lists,
)


class FixedScores(Strategy):
    """A stub strategy with a fixed logit matrix and no explanations of its own."""

    name = "fixed"
    Params = dict

    def __init__(self, scores: np.ndarray) -> None:
        self.params = {}
        self.scores = np.asarray(scores, dtype=np.float32)

    def fit(self, dataset, progress=None, cancel=None):
        self.dataset = dataset

    def logits(self, users, items=None):
        out = self.scores[np.asarray(users)]
        return out if items is None else out[:, items]

    def state_dict(self):
        return {"scores": torch.from_numpy(self.scores)}

    def load_state_dict(self, state):
        self.scores = state["scores"].numpy()


# -- calibration ----------------------------------------------------------------------------


def test_platt_recovers_a_known_sigmoid():
    rng = np.random.default_rng(0)
    x = rng.normal(size=40_000)
    y = (rng.random(40_000) < expit(2.0 * x - 1.0)).astype(float)
    a, b = fit_platt(x, y)
    assert a == pytest.approx(2.0, abs=0.1)
    assert b == pytest.approx(-1.0, abs=0.08)


def test_sampled_negatives_are_reweighted_so_scores_estimate_the_true_rate():
    """True P(interaction) = σ(logit - 5) over a 2,000-item catalogue: the calibrated intercept
    must find -5, not the much higher rate a 1:50 positive/negative sample would suggest."""
    rng = np.random.default_rng(1)
    n_users, n_items = 600, 2000
    logits = rng.normal(scale=2.0, size=(n_users, n_items))
    truth = rng.random((n_users, n_items)) < expit(logits - 5.0)
    positives = [np.flatnonzero(row) for row in truth]

    def score_batch(users):
        return logits[users], np.zeros((len(users), n_items), dtype=bool)

    sample = collect_sample(score_batch, np.arange(n_users), positives, candidates=20, negatives=50)
    for population in ("catalog", "candidates"):  # the truth depends on the logit alone
        cal = calibrate(sample, horizon=10, population=population)
        assert cal.calibrated
        assert cal.a == pytest.approx(1.0, abs=0.12), population
        assert cal.b == pytest.approx(-5.0, abs=0.4), population
        assert cal.ece < 0.05
        assert "next 10 interactions" in cal.event
        assert len(cal.reliability) == 10
    unweighted = fit_platt(sample.logits, sample.labels)
    assert unweighted[1] > -4.0, "without the weights the rate would be overestimated"


def test_customers_who_only_came_back_for_what_they_had_count_as_misses():
    """A third of the customers re-buy only items they already had, which lists never show: their
    shown items were all missed. Left out of the sample (as they once were), the calibration
    learned the rate of the others and over-promised by half; the real Shopify export, where 22 %
    of the calibration customers only re-bought, over-predicted by 30 % (bench/RESULTS.md)."""
    rng = np.random.default_rng(3)
    n_users, n_items = 900, 300
    logits = rng.normal(scale=2.0, size=(n_users, n_items))
    excluded = np.zeros((n_users, n_items), dtype=bool)
    excluded[:, :20] = True  # every customer already had items 0-19
    rebuyers = np.arange(n_users) % 3 == 0
    truth = rng.random((n_users, n_items)) < expit(logits - 3.0)
    truth[rebuyers] = False
    truth[rebuyers, rng.integers(0, 20, rebuyers.sum())] = True
    positives = [np.flatnonzero(row) for row in truth]

    def score_batch(users):
        return logits[users], excluded[users]

    sample = collect_sample(score_batch, np.arange(n_users), positives)
    cal = calibrate(sample, horizon=10)
    shown = np.argsort(-np.where(excluded, -np.inf, logits), axis=1)[:, :10]
    rows = np.arange(n_users)[:, None]
    promised = cal.probabilities(logits[rows, shown]).mean()
    taken = truth[rows, shown].mean()
    assert promised == pytest.approx(taken, rel=0.1)


@pytest.mark.parametrize("scale", [1e-22, 1.0, 1e6])
def test_platt_reads_logits_on_any_scale(scale):
    """A strategy whose logits all lie near 1e-22 ranks like any other: the slope scales with it."""
    rng = np.random.default_rng(8)
    x = rng.normal(size=20_000)
    y = (rng.random(len(x)) < expit(2 * x - 3)).astype(float)
    a, b = fit_platt(scale * x, y)
    assert a * scale == pytest.approx(2, rel=0.1) and b == pytest.approx(-3, abs=0.2)
    assert abs(fit_platt(np.full(100, 5.0) + 1e-15 * rng.normal(size=100), y[:100])[0]) < 1e-6


def test_platt_converges_where_plain_newton_overshoots():
    """Few positives, heavily weighted sampled negatives, a narrow logit range and a cluster of
    high-scored negatives (as EASE gives): plain Newton jumped to a=611, b=-1451 (every score 0);
    the fit must keep the mean score equal to the observed rate."""
    rng = np.random.default_rng(12)
    n_pos, n_neg = int(rng.integers(20, 400)), int(rng.integers(2000, 30000))
    pos = rng.normal(rng.uniform(0, 0.2), rng.uniform(0.01, 0.1), n_pos)
    neg = np.concatenate(
        [rng.normal(0.03, 0.05, n_neg), rng.normal(0.3, 0.05, int(rng.integers(0, 200)))]
    )
    x = np.concatenate([pos, neg])
    y = np.concatenate([np.ones(n_pos), np.zeros(len(neg))])
    w = np.concatenate([np.ones(n_pos), np.full(len(neg), rng.uniform(1, 40))])
    a, b = fit_platt(x, y, w)
    assert 0 < a < 100
    p = expit(a * x + b)
    assert np.average(p, weights=w) == pytest.approx(np.average(y, weights=w), rel=0.02)


def test_calibration_carries_over_to_a_refit_on_another_logit_scale():
    """A refit model (say, tuned to another regularisation) scores 100x larger: the transferred
    (a, b) must give it the same probabilities, not σ of a 100x larger number."""
    rng = np.random.default_rng(4)
    logits = rng.normal(size=(300, 400))
    truth = rng.random((300, 400)) < expit(2 * logits - 4)
    sample = collect_sample(
        lambda u: (logits[u], np.zeros((len(u), 400), dtype=bool)),
        np.arange(300), [np.flatnonzero(r) for r in truth],
    )
    cal = calibrate(sample, horizon=10, method="platt")
    moved = transfer(cal, sample, 100 * sample.logits + 3)
    assert moved.a == pytest.approx(cal.a / 100, rel=1e-2)
    np.testing.assert_allclose(moved.probabilities(100 * logits[:5] + 3), cal.probabilities(logits[:5]), atol=1e-3)
    assert moved.ece == cal.ece and "refitted" in moved.note


def _saturating_shop(seed: int, n_users: int = 600, rows: int = 20) -> CalibrationSample:
    """Scores shaped like EASE's on a real export: most items score near 0 and the hit rate
    rises with the score there, while the few high scores hit no more often than 8 %."""
    rng = np.random.default_rng(seed)
    x = rng.exponential(0.05, n_users * rows)
    tail = rng.random(len(x)) < 0.03
    x[tail] += rng.uniform(0.2, 1.0, int(tail.sum()))
    truth = 0.01 + 0.07 * np.minimum(x / 0.15, 1.0)
    y = (rng.random(len(x)) < truth).astype(float)
    users = np.repeat(np.arange(n_users), rows)
    return CalibrationSample(x, y, np.ones_like(x), np.ones_like(x, dtype=bool), users)


def test_an_isotonic_curve_is_kept_where_a_sigmoid_cannot_follow_the_scores():
    fit, fresh = _saturating_shop(0, n_users=1500), _saturating_shop(1, n_users=1500)
    platt = calibrate(fit, horizon=1, population="catalog", method="platt")
    chosen = calibrate(fit, horizon=1)
    assert chosen.method == "isotonic" and chosen.log_loss < platt.log_loss

    def error(cal: Calibration, lo: float, hi: float) -> float:
        m = (fresh.logits >= lo) & (fresh.logits < hi)
        return abs(float(cal.probabilities(fresh.logits[m]).mean() - fresh.labels[m].mean()))

    # The sigmoid bends to the few high scores: it under-promises the middle by a third and
    # over-promises the top by half as much again. The curve follows both, on customers it
    # never saw.
    assert error(platt, 0.1, 0.3) > 0.02 and error(chosen, 0.1, 0.3) < 0.012
    assert error(platt, 0.5, 2) > 0.04 and error(chosen, 0.5, 2) < 0.03


def test_a_sigmoid_shop_keeps_scores_as_true_whichever_map_is_chosen():
    rng = np.random.default_rng(6)
    x = rng.normal(size=40_000)
    y = (rng.random(len(x)) < expit(1.5 * x - 3)).astype(float)
    users = np.arange(len(x)) % 500
    sample = CalibrationSample(x, y, np.ones_like(x), np.ones_like(x, dtype=bool), users)
    chosen = calibrate(sample, horizon=1)
    grid = np.linspace(-2, 2.5, 10)
    np.testing.assert_allclose(chosen.probabilities(grid), expit(1.5 * grid - 3), atol=0.03)


@pytest.mark.parametrize("seed", range(5))
def test_the_isotonic_curve_never_reorders_items(seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=3000) * rng.uniform(0.1, 10)
    y = (rng.random(3000) < rng.uniform(0, 1, 3000) ** 3).astype(float)  # no relation at all
    w = rng.uniform(0.5, 30, 3000)
    knots, log_odds = fit_isotonic(x, y, w)
    assert np.all(np.diff(knots) > 0) and np.all(np.diff(log_odds) >= 0)
    assert len(knots) <= 200
    cal = Calibration(a=1.0, method="isotonic", knots=knots, knot_log_odds=log_odds, calibrated=True)
    grid = np.sort(np.r_[x, -1e30, 1e30, np.linspace(x.min() - 5, x.max() + 5, 500)])
    p = cal.probabilities(grid)
    assert np.all(np.diff(p) >= 0) and np.all((p > 0) & (p < 1))
    assert cal.probabilities(np.array([np.nan]))[0] == p[0]


def test_the_curve_keeps_a_steep_top_where_the_evidence_is_plentiful():
    """15,000 rows, and the best 150 items are taken 90 % of the time, the next 150 30 %: blocks
    sized by their hits tell the two apart (a fixed 300 rows a block promised both 60 %)."""
    rng = np.random.default_rng(9)
    x = np.sort(rng.uniform(0, 1, 15_000))
    rate = np.where(np.arange(15_000) >= 14_850, 0.9, np.where(np.arange(15_000) >= 14_700, 0.3, 0.02))
    y = (rng.random(15_000) < rate).astype(float)
    cal = Calibration(a=1.0, method="isotonic", calibrated=True,
                      **dict(zip(("knots", "knot_log_odds"), fit_isotonic(x, y), strict=True)))
    best, next_best = cal.probabilities(x[-150:]).mean(), cal.probabilities(x[-300:-150]).mean()
    assert best == pytest.approx(0.9, abs=0.08) and next_best == pytest.approx(0.3, abs=0.1)


@pytest.mark.parametrize("scale", [1e-22, 1.0, 1e6])
def test_the_curve_on_a_score_matrix_is_the_straight_line_between_its_knots(scale):
    """Large inputs go through a lookup table; it must give np.interp's numbers, knots and their
    neighbouring floats, ±inf, NaN and far outliers included, and stay non-decreasing."""
    rng = np.random.default_rng(10)
    knots = np.unique(rng.normal(size=120) * scale)
    knots = np.r_[knots, 1000 * scale]  # one far knot: most cells hold no knot at all
    log_odds = np.sort(rng.normal(size=len(knots))) - 3
    x = np.r_[rng.normal(size=300_000) * 2 * scale, knots, np.nextafter(knots, np.inf),
              np.nextafter(knots, -np.inf), np.inf, -np.inf, np.nan, 1e30, -1e30]
    got = curve(x, knots, log_odds)
    np.testing.assert_allclose(got, np.interp(np.nan_to_num(x, nan=-np.inf), knots, log_odds),
                               rtol=0, atol=1e-12)
    order = np.argsort(np.nan_to_num(x, nan=-np.inf), kind="stable")
    assert np.all(np.diff(got[order]) >= -1e-12)


def test_an_isotonic_calibration_survives_saving_and_carries_over_to_another_scale():
    sample = _saturating_shop(2)
    cal = calibrate(sample, horizon=1, method="isotonic", population="catalog")
    assert cal.method == "isotonic" and len(cal.knots) > 3
    again = Calibration.from_dict(json.loads(json.dumps(cal.as_dict())))
    grid = np.linspace(0, 1.2, 200)
    np.testing.assert_array_equal(again.probabilities(grid), cal.probabilities(grid))
    moved = transfer(cal, sample, 40 * sample.logits - 2)
    assert moved.method == "isotonic" and "refitted" in moved.note
    np.testing.assert_allclose(moved.probabilities(40 * grid - 2), cal.probabilities(grid), atol=5e-3)


def test_ece_tells_calibrated_from_overconfident_scores():
    rng = np.random.default_rng(2)
    p = rng.random(20_000)
    y = (rng.random(20_000) < p).astype(float)
    assert expected_calibration_error(p, y) < 0.02
    overconfident = np.clip(p * 1.6, 0, 1)
    assert expected_calibration_error(overconfident, y) > 0.15
    table = reliability_table(p, y)
    assert sum(r["count"] for r in table) == 20_000


def test_reliability_by_share_shows_small_scores_in_tenths():
    rng = np.random.default_rng(3)
    p = rng.uniform(0.0, 0.08, 10_000)  # a shop's scores: all in the first equal-width bin
    y = (rng.random(10_000) < p).astype(float)
    assert sum(r["count"] > 0 for r in reliability_table(p, y)) == 1
    rows = reliability_by_share(p, y)
    assert len(rows) == 10 and all(r["count"] == 1000 for r in rows)
    assert [r["lo"] for r in rows] == sorted(r["lo"] for r in rows)
    assert all(a["hi"] <= b["lo"] for a, b in zip(rows, rows[1:], strict=False))
    for r in rows:
        inside = (p >= r["lo"]) & (p <= r["hi"])
        assert r["predicted"] == pytest.approx(p[inside].mean())
        assert r["observed"] == pytest.approx(y[inside].mean())
    # higher tenths come true more often, as the scores say
    assert rows[-1]["observed"] > 3 * rows[0]["observed"]


def test_reliability_by_share_keeps_equal_scores_together_and_reads_weights():
    p = np.array([0.01] * 6 + [0.02, 0.03, 0.04, 0.05])  # an isotonic step holds 60 %
    y = np.array([0, 0, 0, 0, 0, 1, 0, 0, 1, 1], dtype=float)
    rows = reliability_by_share(p, y, bins=5)
    assert rows[0]["lo"] == rows[0]["hi"] == 0.01 and rows[0]["count"] == 6
    assert sum(r["count"] for r in rows) == 10 and len(rows) == 3
    w = np.array([0.0] * 6 + [1.0] * 4)  # weights: zero-weight rows are left out
    rows = reliability_by_share(p, y, w, bins=4)
    assert [r["lo"] for r in rows] == [0.02, 0.03, 0.04, 0.05]
    assert reliability_by_share(np.zeros(0), np.zeros(0)) == []


def test_a_strategy_that_ranks_backwards_gets_the_base_rate_not_a_reversed_list():
    x = np.linspace(-3, 3, 400)
    y = (x < -1).astype(float)  # higher logit, fewer interactions
    sample = CalibrationSample(x, y, np.ones_like(x), np.ones_like(x, dtype=bool), np.arange(400) % 7)
    cal = calibrate(sample, horizon=1)
    assert cal.a == 0.0
    assert cal.probabilities(np.array([-5.0, 5.0]))[0] == pytest.approx(y.mean(), abs=1e-6)
    assert "base rate" in cal.note


def test_auto_population_keeps_a_slope_when_the_top_candidates_show_none():
    """Among the top candidates the logit tells nothing (scales differ between customers), over
    the catalogue it does: 'auto' keeps the catalogue fit instead of a flat base rate."""
    rng = np.random.default_rng(5)
    n = 4000
    cand = np.arange(2 * n) < n
    x = np.where(cand, rng.normal(5, 1, 2 * n), rng.normal(0, 1, 2 * n))
    y = np.where(cand, (rng.random(2 * n) < 0.05) & (x < 5), False).astype(float)
    w = np.where(cand, 1.0, 20.0)
    users = np.arange(2 * n) % 97
    sample = CalibrationSample(x, y, w, cand & (np.arange(2 * n) % 5 == 0), users, None, cand)
    assert calibrate(sample, horizon=1, population="candidates").a == 0.0
    chosen = calibrate(sample, horizon=1)
    assert chosen.population == "catalog" and chosen.a > 0


def test_too_little_held_out_data_is_reported_as_uncalibrated():
    sample = CalibrationSample(np.zeros(3), np.array([1.0, 0, 0]), np.ones(3), np.ones(3, bool), np.arange(3))
    cal = calibrate(sample, horizon=10)
    assert not cal.calibrated and "not calibrated" in cal.note


# -- rules ------------------------------------------------------------------------------------


def _catalog() -> Catalog:
    cat = Catalog.empty(6)
    cat.title[:] = ["Beans", "Grinder", "Teapot", "Mug S", "Mug L", "Secret"]
    cat.category[:] = ["Coffee > Beans", "Coffee > Gear", "Tea", "Kitchen", "Kitchen", "Coffeemakers"]
    cat.price[:] = [10.0, 60.0, 30.0, 9.0, 11.0, np.nan]
    cat.stock[:] = [5, 0, np.nan, 3, 3, 3]
    cat.published[:] = [1, 1, 1, 1, 1, 0]
    cat.variant_of[:] = ["", "", "", "MUG", "MUG", ""]
    return cat


def test_catalog_rules_stock_publication_category_and_price():
    cat = _catalog()
    allowed = catalog_allowed(cat, ListRules())
    assert allowed.tolist() == [True, False, True, True, True, False]  # out of stock, unpublished
    only_coffee = catalog_allowed(cat, ListRules(include_categories=("coffee",), published_only=False))
    assert only_coffee.tolist() == [True, False, False, False, False, False]  # not "Coffeemakers"
    no_kitchen = catalog_allowed(cat, ListRules(exclude_categories=("Kitchen",)))
    assert not no_kitchen[3] and not no_kitchen[4]
    band = catalog_allowed(cat, ListRules(min_price=9.5, max_price=40, published_only=False))
    assert band.tolist() == [True, False, True, False, True, False]  # unknown price excluded


def test_list_rules_from_dict_rejects_unknown_names():
    assert ListRules.from_dict({"exclude_categories": "Gifts"}).exclude_categories == ("Gifts",)
    with pytest.raises(ValueError, match="unknown list rule"):
        ListRules.from_dict({"exclude_category": ["Gifts"]})


def _purchases(seqs, n_items=6, times=None) -> Dataset:
    ds = Dataset.from_sequences(seqs, n_items=n_items)
    ds.catalog = _catalog()
    return ds


def test_repeat_purchase_items_are_detected_from_history():
    # item 0 is re-bought by three of four buyers; item 2 bought once by everyone
    ds = _purchases([[0, 2, 0], [0, 2, 0], [0, 2, 0, 0], [0, 2]])
    repeat = repeat_items(ds)
    assert repeat[0] and not repeat[2]


def test_seen_items_are_removed_per_product_with_repeat_items_kept():
    ds = _purchases([[0, 3, 0], [0, 3, 0], [0, 0, 4], [2]])
    seen = SeenFilter(ds, ListRules(), repeat_items(ds))
    excluded = seen.excluded(np.array([0, 3]))
    assert excluded[0, 3] and excluded[0, 4], "buying the small mug means the large one was seen"
    assert not excluded[0, 0], "a repeat-purchase item may be recommended again"
    assert excluded[1, 2] and not excluded[1, 0]
    strict = SeenFilter(ds, ListRules(allow_repeat=False)).excluded(np.array([0]))
    assert strict[0, 0]


# -- lists ------------------------------------------------------------------------------------


def _builder(scores, seqs=None, **settings) -> ListBuilder:
    ds = _purchases(seqs or [[2], [2], []])
    return ListBuilder(ds, FixedScores(scores), Calibration(), ListSettings(**settings))


def test_threshold_filters_and_top_n_caps():
    scores = np.array([[3.0, 2.0, 1.0, 0.5, -1.0, 4.0]] * 3)
    lists = _builder(scores, threshold=0.6, top_n=10).build(np.array([0]))
    # σ(3)=.95, σ(0.5)=.62, σ(-1)=.27; grinder out of stock, secret unpublished, teapot seen,
    # the two mugs are variants of one product: only the better one is shown
    assert [r.item_id for r in lists[0].items] == ["0", "3"]
    assert all(r.score >= 0.6 for r in lists[0].items)
    capped = _builder(scores, threshold=0.0, top_n=1).build(np.array([0]))
    assert len(capped[0].items) == 1 and capped[0].candidates_above_threshold == 3
    empty = _builder(scores, threshold=0.99).build(np.array([0]))
    assert empty[0].items == () and empty[0].candidates_above_threshold == 0


def test_an_empty_list_still_tells_how_low_theta_must_go():
    scores = np.array([[3.0, 2.0, 1.0, 0.5, -1.0, 4.0]] * 3)
    empty = _builder(scores, threshold=0.99, top_n=2).build(np.array([0]))[0]
    # listable: items 0, 3 and 4 (σ 0.953, 0.622, 0.269), the rest excluded as above; the two
    # mugs (3 and 4) are one product, so a list holds at most two items
    assert empty.items == ()
    assert empty.best_score == pytest.approx(1 / (1 + np.exp(-3.0)), rel=1e-6)
    assert empty.nth_score == pytest.approx(1 / (1 + np.exp(-0.5)), rel=1e-6)
    short = _builder(scores, threshold=0.99, top_n=3).build(np.array([0]))[0]
    assert short.nth_score is None  # two products can never fill three places
    full = _builder(scores, threshold=empty.nth_score, top_n=2).build(np.array([0]))[0]
    assert len(full.items) == 2  # at θ = the second score, the list of two is full
    summary = summarize_lists([empty, empty, short], n_items=6)
    assert summary["empty_lists"] == 3
    assert summary["median_best_score"] == pytest.approx(empty.best_score)
    assert summary["median_full_list_score"] == pytest.approx(empty.nth_score)


def test_customers_without_history_get_the_fallback():
    scores = np.array([[3.0, 2.0, 1.0, 0.5, -1.0, 4.0]] * 3)
    lists = _builder(scores, threshold=0.0).build(np.array([2, -1]), customer_ids=["idle", "stranger"])
    assert [cl.source for cl in lists] == ["fallback", "unknown"]
    assert lists[1].customer_id == "stranger" and lists[1].items


def test_explanations_name_the_history_item_that_drove_the_recommendation():
    # customers 0-2 all bought teapot (2) and beans (0): beans is explained by the teapot
    seqs = [[2, 0], [2, 0], [2, 0], [2]]
    ds = _purchases(seqs)
    scores = np.zeros((4, 6), dtype=np.float32)
    scores[3, 0] = 5.0
    builder = ListBuilder(ds, FixedScores(scores), Calibration(), ListSettings(threshold=0.9))
    rec = builder.build(np.array([3]))[0].items[0]
    assert rec.item_id == "0"
    assert rec.reason == "because you bought Teapot" and rec.because == ("2",)


def _clustered() -> tuple[Dataset, np.ndarray]:
    """Items 0-4 always bought together (one cluster), items 5-9 another; customer 10 new."""
    seqs = [[0, 1, 2, 3, 4]] * 5 + [[5, 6, 7, 8, 9]] * 5 + [[0]]
    ds = Dataset.from_sequences(seqs, n_items=10)
    scores = np.tile(np.array([9, 8.9, 8.8, 8.7, 8.6, 5, 4.9, 4.8, 4.7, 4.6], np.float32), (11, 1))
    return ds, scores


def test_diversity_strength_trades_score_for_variety():
    ds, scores = _clustered()
    sim = ItemSimilarity(ds)
    plain = ListBuilder(ds, FixedScores(scores), Calibration(a=0.2), ListSettings(threshold=0, top_n=4))
    varied = ListBuilder(
        ds, FixedScores(scores), Calibration(a=0.2), ListSettings(threshold=0, top_n=4, diversity=0.7)
    )
    a = plain.build(np.array([10]))[0]
    b = varied.build(np.array([10]))[0]
    assert [r.item for r in a.items] == [1, 2, 3, 4]
    assert {r.item for r in b.items} & {5, 6, 7, 8, 9}, "balance brought in the other cluster"
    ild_a = sim.intra_list_diversity(np.array([r.item for r in a.items]))
    ild_b = sim.intra_list_diversity(np.array([r.item for r in b.items]))
    assert ild_b > ild_a


def test_per_category_cap():
    cats = np.array(["A", "A", "A", "B", "B"], dtype=object)
    picked = diversify(np.arange(5), np.linspace(1, 0.5, 5), 3, strength=0.0, similarity=None,
                       categories=cats, max_per_category=2)
    assert picked.tolist() == [0, 1, 3]


def test_settings_are_validated():
    with pytest.raises(ValueError, match="threshold"):
        ListSettings(threshold=1.5)
    with pytest.raises(ValueError, match="top_n"):
        ListSettings(top_n=0)



def test_an_item_from_the_history_is_never_explained_by_itself():
    # item 0 is re-bought by most customers, so it may come back; customer 3 bought it once
    ds = _purchases([[0, 2, 0], [0, 2, 0], [0, 2, 0, 0], [0, 2]])
    scores = np.zeros((4, 6), dtype=np.float32)
    scores[3, 0] = 5.0
    builder = ListBuilder(ds, FixedScores(scores), Calibration(), ListSettings(threshold=0.9))
    rec = builder.build(np.array([3]))[0].items[0]
    assert rec.item_id == "0"
    assert rec.reason == "you buy this again from time to time" and rec.because == ("0",)


class _ExplainsWithNeighbours(FixedScores):
    def explain(self, user, item):
        return [Reason(item=0, weight=0.9, text="because you bought Beans")]


def test_an_item_from_the_history_is_explained_as_such_even_when_the_strategy_names_others():
    # customer 3 viewed the teapot (item 2) last; the strategy's own reason names the beans
    ds = _purchases([[0, 2, 0], [0, 2, 0], [0, 2, 0, 0], [0, 2]])
    ds.types[ds.indptr[3] + 1] = TYPE_CODE["view"]
    scores = np.zeros((4, 6), dtype=np.float32)
    scores[3, 2] = 5.0
    builder = ListBuilder(ds, _ExplainsWithNeighbours(scores), Calibration(),
                          ListSettings(threshold=0.9, rules=ListRules(keep_viewed=True)))
    rec = builder.build(np.array([3]))[0].items[0]
    assert rec.item_id == "2"
    assert rec.reason == "you looked at this recently" and rec.because == ("2",)
