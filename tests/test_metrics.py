"""The one metrics module against a textbook implementation written out here, loop by loop."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from shoprec.core.ranking import metrics


def reference_dcg(shown: list[int], relevant: set[int], k: int) -> float:
    """DCG@k with binary gains: sum over positions p = 1..k of rel(p) / log2(p + 1)."""
    return sum(1.0 / math.log2(p + 1) for p, item in enumerate(shown[:k], start=1) if item in relevant)


def reference_ndcg(shown: list[int], relevant: set[int], k: int) -> float:
    ideal = sum(1.0 / math.log2(p + 1) for p in range(1, min(len(relevant), k) + 1))
    return reference_dcg(shown, relevant, k) / ideal if ideal else 0.0


def reference_rank(scores: list[float], target: int, ties: str) -> float:
    """Position of ``target`` (0 = first) among all items: strictly better ones, plus half of the
    equal ones ("split") or none of them ("first")."""
    better = sum(1 for s in scores if s > scores[target])
    equal = sum(1 for i, s in enumerate(scores) if s == scores[target] and i != target)
    return better + (equal / 2 if ties == "split" else 0)


@pytest.mark.parametrize("seed", range(20))
def test_list_ndcg_and_recall_match_the_textbook(seed):
    rng = np.random.default_rng(seed)
    n_items, k = 30, int(rng.integers(1, 15))
    shown = rng.permutation(n_items)[: int(rng.integers(0, 20))]
    relevant = rng.choice(n_items, int(rng.integers(1, 8)), replace=False)
    assert metrics.list_ndcg(shown, relevant, k) == pytest.approx(
        reference_ndcg(shown.tolist(), set(relevant.tolist()), k))
    found = len(set(shown[:k].tolist()) & set(relevant.tolist()))
    assert metrics.list_recall(shown, relevant, k) == pytest.approx(found / min(len(relevant), k))


@pytest.mark.parametrize("seed", range(20))
def test_one_target_rank_and_ndcg_match_the_textbook_with_ties(seed):
    rng = np.random.default_rng(seed)
    scores = rng.integers(0, 6, size=(8, 25)).astype(np.float64)  # many ties on purpose
    targets = rng.integers(0, 25, size=8)
    seen = [rng.choice(25, 3, replace=False) for _ in range(8)]
    masked = scores.copy()
    for row, items in enumerate(seen):
        masked[row, items[items != targets[row]]] = -np.inf

    split = metrics.split_ties_rank(masked, masked[np.arange(8), targets])
    first = metrics.target_ranks(torch.from_numpy(scores), targets, seen).numpy()
    for row in range(8):
        assert split[row] == reference_rank(masked[row].tolist(), int(targets[row]), "split")
        assert first[row] == reference_rank(masked[row].tolist(), int(targets[row]), "first")

    for ranks in (split, first):
        ndcg, hit = metrics.ndcg_hr(ranks, 10)
        for row in range(8):
            # one relevant item at (fractional) rank r: DCG = 1 / log2(r + 2), ideal DCG = 1
            expected = 1.0 / math.log2(ranks[row] + 2) if ranks[row] < 10 else 0.0
            assert ndcg[row] == pytest.approx(expected) and hit[row] == (ranks[row] < 10)
        if ranks is first:  # whole ranks: the single-target NDCG is the list NDCG of the ranking
            for row in range(8):
                order = sorted(range(25), key=lambda i: (-masked[row, i], i != targets[row], i))
                assert ndcg[row] == pytest.approx(reference_ndcg(order, {int(targets[row])}, 10))


def test_torch_and_numpy_give_the_same_numbers():
    ranks = np.array([0, 3, 9, 10, 57])
    n_np, h_np = metrics.ndcg_hr(ranks, 10)
    n_t, h_t = metrics.ndcg_hr(torch.from_numpy(ranks), 10)
    assert np.allclose(n_np, n_t.numpy(), atol=1e-6) and np.array_equal(h_np, h_t.numpy())


def test_mean_list_ndcg_ranks_each_row_by_its_scores():
    scores = np.array([[0.9, 0.1, 0.5], [0.1, 0.2, 0.3]])
    relevant = [np.array([2]), np.array([2])]
    # row 0 shows [0, 2, 1]: the relevant item second; row 1 shows it first
    assert metrics.mean_list_ndcg(scores, relevant, k=2) == pytest.approx((1 / math.log2(3) + 1) / 2)
