"""Non-sequential baselines for the benchmarks: EASE (closed form) and implicit's ALS.

Each tunes its one or two knobs on validation targets (history ``val_hist``, target
``val_targets`` for ``val_users``), refits on the final histories, and returns scoring functions
``users -> (len(users), n_items)`` for the final histories and, when given, another set of
histories (the ml-1m "gap" protocol) scored with the same model.

Helper module, not a benchmark: imported by ``sequential.py`` and ``ml1m_all_users.py``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import scipy.sparse as sp
import torch
from ranking import ndcg_hr, ranks


def matrix(hist: list[list[int]], n_items: int) -> sp.csr_matrix:
    rows = np.repeat(np.arange(len(hist)), [len(h) for h in hist])
    cols = np.concatenate([np.asarray(h, dtype=np.int64) for h in hist]) if rows.size else rows
    m = sp.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(len(hist), n_items))
    m.data[:] = 1.0
    return m


def _ndcg(score: Callable, users: np.ndarray, targets: np.ndarray, hist: list[list[int]]) -> float:
    ndcg, _ = ndcg_hr(ranks(score, targets, [hist[u] for u in users], users))
    return float(ndcg.mean()) if len(ndcg) else 0.0


def _ease_b(x: sp.csr_matrix, l2: float) -> torch.Tensor:
    g = torch.from_numpy((x.T @ x).toarray().astype(np.float32))
    g.diagonal().add_(l2)
    p = torch.linalg.inv(g)
    b = p / (-p.diagonal()).unsqueeze(0)
    b.diagonal().zero_()
    return b


def ease_scores(val_hist, val_users, val_targets, hist, gap_hist, n_items) -> dict:
    xv = matrix(val_hist, n_items)
    best = (-1.0, None)
    for l2 in (50.0, 200.0, 500.0, 1000.0, 3000.0):
        b = _ease_b(xv, l2)
        q = _ndcg(lambda u, b=b: (torch.from_numpy(xv[u].toarray()) @ b).numpy(), val_users,
                  np.asarray(val_targets), val_hist)
        best = max(best, (q, l2), key=lambda t: t[0])
    x = matrix(hist, n_items)
    b = _ease_b(x, best[1])
    out = {"chosen": {"l2": best[1], "val_ndcg@10": round(best[0], 4)},
           "final": lambda u: (torch.from_numpy(x[u].toarray()) @ b).numpy()}
    if gap_hist is not None:
        xg = matrix(gap_hist, n_items)
        out["final_gap"] = lambda u: (torch.from_numpy(xg[u].toarray()) @ b).numpy()
    return out


def _als(x: sp.csr_matrix, factors: int, reg: float, alpha: float):
    from implicit.cpu.als import AlternatingLeastSquares

    model = AlternatingLeastSquares(factors=factors, regularization=reg, alpha=alpha,
                                    iterations=15, random_state=0)
    model.fit(x, show_progress=False)
    return model


def _user_factors(model, x: sp.csr_matrix, alpha: float, reg: float) -> np.ndarray:
    """Solve each user's factors for histories ``x`` against fixed item factors."""
    y = np.asarray(model.item_factors, dtype=np.float64)
    yty = y.T @ y
    out = np.zeros((x.shape[0], y.shape[1]), dtype=np.float32)
    for u in range(x.shape[0]):
        items = x.indices[x.indptr[u] : x.indptr[u + 1]]
        if len(items) == 0:
            continue
        yi = y[items]
        a = yty + alpha * yi.T @ yi + reg * np.eye(y.shape[1])
        out[u] = np.linalg.solve(a, (1 + alpha) * yi.sum(0))
    return out


def als_scores(val_hist, val_users, val_targets, hist, gap_hist, n_items) -> dict:
    xv = matrix(val_hist, n_items)
    best = (-1.0, None)
    for factors, reg, alpha in ((64, 0.05, 10.0), (128, 0.5, 20.0)):
        m = _als(xv, factors, reg, alpha)
        uf, itf = np.asarray(m.user_factors), np.asarray(m.item_factors)
        q = _ndcg(lambda u, uf=uf, itf=itf: uf[u] @ itf.T, val_users, np.asarray(val_targets),
                  val_hist)
        best = max(best, (q, (factors, reg, alpha)), key=lambda t: t[0])
    factors, reg, alpha = best[1]
    x = matrix(hist, n_items)
    m = _als(x, factors, reg, alpha)
    uf, itf = np.asarray(m.user_factors), np.asarray(m.item_factors)
    out = {"chosen": {"factors": factors, "regularization": reg, "alpha": alpha,
                      "val_ndcg@10": round(best[0], 4)},
           "final": lambda u: uf[u] @ itf.T}
    if gap_hist is not None:
        ug = _user_factors(m, matrix(gap_hist, n_items), alpha, reg)
        out["final_gap"] = lambda u: ug[u] @ itf.T
    return out
