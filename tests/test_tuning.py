"""Validation-only hyper-parameter search: what it hides, how it scores, when it stops."""

from __future__ import annotations

import numpy as np
from shoprec.core.data.dataset import Dataset
from shoprec.core.ranking.tuning import coordinate_search, make_holdout, ranking_quality


def _dataset() -> Dataset:
    return Dataset.from_sequences([[0, 1, 2, 3], [4, 5, 6], [1, 2], [7]], n_items=8)


def test_holdout_hides_each_customers_last_event_only():
    holdout = make_holdout(_dataset())
    assert holdout.users.tolist() == [0, 1, 2]  # the one-event customer has nothing to hide
    assert holdout.targets.tolist() == [3, 6, 2]
    assert holdout.train.history(0).tolist() == [0, 1, 2]
    assert holdout.seen[0].indices.tolist() == [0, 1, 2]


def test_holdout_needs_two_customers():
    assert make_holdout(Dataset.from_sequences([[0, 1]], n_items=2)) is None


def test_ranking_quality_rewards_the_right_item_and_ignores_seen_ones():
    holdout = make_holdout(_dataset())

    def perfect(users):
        s = np.zeros((len(users), 8))
        s[np.arange(len(users)), holdout.targets[: len(users)]] = 1.0
        return s

    assert ranking_quality(perfect, holdout) == 1.0

    def seen_first(users):  # seen items score highest but are excluded, target next
        s = perfect(users)
        s[holdout.seen[: len(users)].toarray() > 0] = 5.0
        return s

    assert ranking_quality(seen_first, holdout) == 1.0


def test_constant_scores_get_no_credit_for_ties():
    holdout = make_holdout(_dataset())
    value = ranking_quality(lambda users: np.zeros((len(users), 8)), holdout, k=1)
    assert value == 0.0


def test_coordinate_search_finds_the_best_combination():
    def quality(c):
        return -((c["a"] - 3) ** 2) - (c["b"] - 10) ** 2

    result = coordinate_search(
        {"a": [1, 2, 3, 4], "b": [1, 10, 100]}, {"a": 1, "b": 1}, quality, budget_seconds=60
    )
    assert result.best == {"a": 3, "b": 10}
    assert result.best_score == 0
    assert not result.out_of_time
    assert len({tuple(sorted(t.params.items())) for t in result.trials}) == len(result.trials)


def test_an_exhausted_budget_still_returns_the_starting_point():
    result = coordinate_search({"a": [5, 6]}, {"a": 1}, lambda c: c["a"], budget_seconds=0)
    assert result.best == {"a": 1} and result.out_of_time and len(result.trials) == 1
