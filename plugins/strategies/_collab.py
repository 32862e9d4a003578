"""Helpers shared by the collaborative and basket strategies (not a plugin itself).

Histories as sparse rows (unknown users get empty rows, so their logits stay finite), and
explanations that name the history items behind a score ("because you bought X").
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import scipy.sparse as sp
import torch
from shoprec.core.contracts.strategy import Reason
from shoprec.core.data.dataset import EVENT_VERBS as _VERBS
from shoprec.core.data.dataset import Dataset


def history_matrix(dataset: Dataset) -> sp.csr_matrix:
    """Users × items, 1 where the user had any positive event with the item."""
    return dataset.matrix().astype(np.float32)


def rows_for(matrix: sp.csr_matrix, users: np.ndarray) -> sp.csr_matrix:
    """Rows of ``matrix`` for ``users``; users outside the matrix (unknown, -1) get empty rows."""
    users = np.asarray(users, dtype=np.int64)
    known = (users >= 0) & (users < matrix.shape[0])
    if known.all():
        return matrix[users]
    safe = np.where(known, users, 0)
    out = matrix[safe].tolil()
    for r in np.flatnonzero(~known):
        out.rows[r] = []
        out.data[r] = []
    return out.tocsr()


def dense_rows(matrix: sp.csr_matrix, users: np.ndarray, device: torch.device) -> torch.Tensor:
    """Rows of ``matrix`` for ``users`` as a dense float32 tensor on ``device``."""
    return torch.from_numpy(rows_for(matrix, users).toarray().astype(np.float32)).to(device)


def item_columns(items: np.ndarray | None, n_items: int) -> np.ndarray | None:
    """Validated item indices (None = all); raises IndexError naming the bad index."""
    if items is None:
        return None
    items = np.asarray(items, dtype=np.int64)
    bad = (items < 0) | (items >= n_items)
    if bad.any():
        raise IndexError(f"item index {int(items[bad][0])} is outside the catalog (0..{n_items - 1})")
    return items


def item_label(dataset: Dataset, item: int) -> str:
    title = str(dataset.catalog.title[item]) if dataset.catalog is not None else ""
    return title or str(dataset.item_ids[item])


def _verb(dataset: Dataset, user: int, item: int) -> str:
    lo, hi = dataset.indptr[user], dataset.indptr[user + 1]
    mask = dataset.items[lo:hi] == item
    if not mask.any():
        return "bought"
    return _VERBS.get(int(dataset.types[lo:hi][mask][-1]), "bought")


def reasons_from_weights(
    dataset: Dataset, user: int, history: np.ndarray, weights: np.ndarray, n: int = 3
) -> list[Reason]:
    """Reasons naming the ``n`` history items with the largest positive weights, strongest first."""
    history = np.asarray(history)
    weights = np.asarray(weights, dtype=np.float64)
    order = np.argsort(-weights, kind="stable")
    out = []
    for j in order[:n]:
        if not np.isfinite(weights[j]) or weights[j] <= 0:
            break
        h = int(history[j])
        out.append(
            Reason(
                item=h,
                weight=float(weights[j]),
                text=f"because you {_verb(dataset, user, h)} {item_label(dataset, h)}",
            )
        )
    return out


def user_history(dataset: Dataset | None, user: int) -> np.ndarray:
    """Distinct items in ``user``'s positive history (empty for unknown users)."""
    if dataset is None or user < 0 or user >= dataset.n_users:
        return np.zeros(0, dtype=np.int64)
    return np.unique(dataset.history(user))


@contextmanager
def few_threads_for_small_work(n_interactions: int, limit: int = 200_000) -> Iterator[None]:
    """Run small fits on one torch thread, restoring the setting after.

    Many tiny tensor operations gain nothing from more threads, and on a busy machine the
    threads spin against each other (ALS on a 5,000-event shop ran 14× slower on two threads).
    """
    before = torch.get_num_threads()
    if n_interactions >= limit or before == 1:
        yield
        return
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)
