"""Item-to-item similarity from who took what, once for every use:

- :func:`neighbours`: each item's k nearest items by (asymmetric, shrunk) cosine of their
  customer sets, computed in blocks on the strategy's device: the item-kNN strategy's model;
- :func:`top_pairs`: the same with plain cosine, as (item, other, similarity) pairs: the
  "related items" of the product-feed exporters when the run's strategy offers none;
- :class:`ItemSimilarity`: similarity of any two items, blended with "same category" when
  the catalogue has categories: diversity in lists and intra-list diversity in Compare.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import scipy.sparse as sp
import torch

from ..contracts.progress import CancelToken, check
from .dataset import Dataset

BLOCK_CELLS = 50_000_000  # similarities computed per block (rows × items)


def neighbours(
    x: sp.csr_matrix,
    *,
    k: int,
    shrink: float,
    asymmetry: float,
    device: torch.device,
    cancel: CancelToken | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Each item's ``k`` most similar items: (indices, similarities), both (I, k), best first."""
    n_items = x.shape[1]
    k = max(1, min(k, n_items - 1)) if n_items > 1 else 1
    xt = x.T.tocsr()
    counts = np.asarray(x.sum(0)).ravel().astype(np.float32)
    left = torch.from_numpy(np.power(counts, asymmetry)).to(device)
    right = torch.from_numpy(np.power(counts, 1.0 - asymmetry)).to(device)
    idx = np.zeros((n_items, k), dtype=np.int64)
    val = np.zeros((n_items, k), dtype=np.float32)
    block = max(1, BLOCK_CELLS // max(n_items, 1))
    for lo in range(0, n_items, block):
        check(cancel)
        hi = min(n_items, lo + block)
        co = torch.from_numpy((xt[lo:hi] @ x).toarray().astype(np.float32)).to(device)
        sim = co / (left[lo:hi, None] * right[None, :] + shrink + 1e-9)
        sim[torch.arange(hi - lo), torch.arange(lo, hi)] = -1.0  # never your own neighbour
        v, j = torch.topk(sim, k, dim=1)
        idx[lo:hi], val[lo:hi] = j.cpu().numpy(), v.clamp_min(0).cpu().numpy()
    return idx, val


class ItemSimilarity:
    """Cosine similarity of items' customer sets, blended with "same category" when known."""

    def __init__(self, ds: Dataset, category_weight: float = 0.3) -> None:
        x = ds.matrix().tocsc().astype(np.float32)
        norms = np.sqrt(np.asarray(x.sum(axis=0)).ravel())
        norms[norms == 0] = 1.0
        self._x = x.multiply(1.0 / norms[None, :]).tocsc()
        self._full: np.ndarray | None = None
        cats = np.array([str(c).strip().lower() for c in ds.catalog.category], dtype=object)
        known = cats != ""
        self._cat = np.full(ds.n_items, -1, dtype=np.int64)
        if known.any():
            _, codes = np.unique(cats[known], return_inverse=True)
            self._cat[known] = codes
            self.category_weight = category_weight
        else:
            self.category_weight = 0.0

    DENSE_MAX_ITEMS = 6000  # up to here the full item-item matrix (≤ 144 MB) is worth caching

    def _dense(self) -> np.ndarray | None:
        if self._full is None and self._x.shape[1] <= self.DENSE_MAX_ITEMS:
            self._full = (self._x.T @ self._x).toarray().astype(np.float32)
        return self._full

    def block(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Similarities in [0, 1], shape (len(a), len(b))."""
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        full = self._dense()
        if full is not None:
            s = full[np.ix_(a, b)].astype(np.float64)
        else:
            s = (self._x[:, a].T @ self._x[:, b]).toarray()
        if self.category_weight:
            ca, cb = self._cat[a][:, None], self._cat[b][None, :]
            same = (ca == cb) & (ca >= 0)
            s = (1 - self.category_weight) * s + self.category_weight * same
        return np.clip(s, 0.0, 1.0)

    def intra_list_diversity(self, items: np.ndarray) -> float | None:
        """Mean pairwise dissimilarity (1 - similarity) of a list; None below two items."""
        items = np.asarray(items, dtype=np.int64)
        if len(items) < 2:
            return None
        s = self.block(items, items)
        n = len(items)
        return float(1.0 - (s.sum() - np.trace(s)) / (n * (n - 1)))


def top_pairs(matrix: sp.csr_matrix, n: int) -> Iterable[tuple[int, int, float]]:
    """For every column of a 0/1 matrix, its ``n`` most cosine-similar other columns, best
    first, as ``(column, other, similarity)`` with similarity > 0."""
    if matrix.shape[1] < 2:
        return
    idx, val = neighbours(matrix.tocsr().astype(np.float32), k=n, shrink=0.0, asymmetry=0.5,
                          device=torch.device("cpu"))
    for i in range(idx.shape[0]):
        for j, score in zip(idx[i].tolist(), val[i].tolist(), strict=True):
            if score > 0:
                yield i, j, float(score)
