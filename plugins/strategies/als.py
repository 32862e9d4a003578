"""Implicit-feedback matrix factorisation by alternating least squares (Hu, Koren, Volinsky 2008).

Confidence c_ui = 1 + α·r_ui on observed pairs, 1 elsewhere; each half-step solves every user's
(or item's) weighted ridge problem with a few conjugate-gradient steps, all users at once with
torch (GPU when present). Regularisation and α are tuned on validation targets unless set.
Memory: factor matrices plus one chunk of per-interaction vectors, so catalogs of millions of
items fit in 24 GB; this is the strategy to use when EASE refuses a catalog.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp
import torch
from shoprec.core import hookimpl
from shoprec.core.contracts.progress import CancelToken, ProgressFn, check, report
from shoprec.core.contracts.strategy import Reason, Strategy, StrategySpec, param
from shoprec.core.data.dataset import Dataset
from shoprec.core.ranking.tuning import (
    check_catalog_size,
    coordinate_search,
    default_budget,
    make_holdout,
    ranking_quality,
)

from ._collab import (
    few_threads_for_small_work,
    history_matrix,
    item_columns,
    reasons_from_weights,
    user_history,
)

#: Largest catalog ALS takes in 24 GB (factors ≤ 512 plus scoring one batch of users).
MAX_ITEMS = 5_000_000
REG_GRID = (1.0, 10.0, 0.1, 100.0, 0.01)
ALPHA_GRID = (1.0, 0.3, 3.0, 0.1, 10.0, 0.01, 30.0)


@dataclass
class ALSParams:
    factors: int = param(64, help="Size of the customer and item vectors", min=2, max=512)
    regularization: float = param(
        0.0, help="L2 penalty on the vectors; 0 tunes it on validation", min=0.0, max=1e4,
        zero="auto",
    )
    alpha: float = param(
        0.0,
        help="Confidence added per interaction (c = 1 + α·r); 0 tunes it on validation",
        min=0.0,
        max=1e4,
        zero="auto",
    )
    iterations: int = param(15, help="Alternating passes over customers and items", min=1, max=200)
    cg_steps: int = param(3, help="Conjugate-gradient steps per solve", min=1, max=20, advanced=True)
    tune_seconds: float = param(
        0.0,
        help="Time budget for the automatic search (0 = scaled to the data size)",
        min=0.0,
        max=3600.0,
        advanced=True,
        zero="auto",
    )


class _Interactions:
    """One side of the confidence matrix as a sparse CSR pattern on the device."""

    def __init__(self, m: sp.csr_matrix, alpha: float, device: torch.device) -> None:
        m = m.tocsr()
        m.sort_indices()
        self.shape = m.shape
        self.crow = torch.from_numpy(m.indptr.astype(np.int64)).to(device)
        self.col = torch.from_numpy(m.indices.astype(np.int64)).to(device)
        self.extra = torch.from_numpy((alpha * m.data).astype(np.float32)).to(device)  # c - 1

    def csr(self, values: torch.Tensor) -> torch.Tensor:
        with warnings.catch_warnings():  # "sparse CSR support is in beta": it is used as documented
            warnings.simplefilter("ignore", UserWarning)
            return torch.sparse_csr_tensor(
                self.crow, self.col, values, size=self.shape, check_invariants=False
            )


def _apply(x: torch.Tensor, y: torch.Tensor, yty: torch.Tensor, ix: _Interactions) -> torch.Tensor:
    """(YᵀY + λI + Yᵀ(C_u - I)Y) x_u for every row u at once (a sampled product, then a sparse one)."""
    dots = torch.sparse.sampled_addmm(ix.csr(ix.extra), x, y.T, beta=0.0).values()
    return x @ yty + ix.csr(dots * ix.extra) @ y


def _solve(x: torch.Tensor, y: torch.Tensor, ix: _Interactions, reg: float, steps: int) -> None:
    """A few CG steps on every row's normal equations, warm-started from ``x`` (updated in place)."""
    f = y.shape[1]
    yty = y.T @ y + reg * torch.eye(f, device=y.device, dtype=y.dtype)
    b = ix.csr(1.0 + ix.extra) @ y
    res = b - _apply(x, y, yty, ix)
    p = res.clone()
    rs = (res * res).sum(1)
    for _ in range(steps):
        ap = _apply(p, y, yty, ix)
        denom = (p * ap).sum(1)
        step = torch.where(denom > 0, rs / denom.clamp_min(1e-30), torch.zeros_like(rs))
        x.add_(step.unsqueeze(1) * p)
        res.sub_(step.unsqueeze(1) * ap)
        rs_new = (res * res).sum(1)
        beta = torch.where(rs > 0, rs_new / rs.clamp_min(1e-30), torch.zeros_like(rs))
        p = res + beta.unsqueeze(1) * p
        rs = rs_new


def factorise(
    m: sp.csr_matrix,
    *,
    factors: int,
    reg: float,
    alpha: float,
    iterations: int,
    cg_steps: int,
    seed: int,
    device: torch.device,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """User and item factors of the users × items matrix ``m``."""
    gen = torch.Generator().manual_seed(seed)
    n_users, n_items = m.shape
    x = (torch.rand(n_users, factors, generator=gen) * 0.01).to(device)
    y = (torch.rand(n_items, factors, generator=gen) * 0.01).to(device)
    by_user = _Interactions(m, alpha, device)
    by_item = _Interactions(m.T.tocsr(), alpha, device)
    for it in range(iterations):
        check(cancel)
        _solve(x, y, by_user, reg, cg_steps)
        _solve(y, x, by_item, reg, cg_steps)
        report(progress, it + 1, iterations, "ALS: alternating least squares")
    return x, y


def fold_in(
    m: sp.csr_matrix,
    y: torch.Tensor,
    *,
    reg: float,
    alpha: float,
    cg_steps: int,
    start: torch.Tensor | None = None,
) -> torch.Tensor:
    """User vectors for the rows of ``m`` given fixed item vectors ``y`` (zero when no history).

    ``start`` (vectors of the first rows, e.g. from training) warm-starts the solve.
    """
    x = torch.zeros(m.shape[0], y.shape[1], device=y.device, dtype=y.dtype)
    if start is not None:
        n = min(len(start), len(x))
        x[:n] = start[:n].to(x)
    _solve(x, y, _Interactions(m, alpha, y.device), reg, max(cg_steps, 8))
    return x


class ALS(Strategy):
    name = "als"
    Params = ALSParams

    def __init__(self, params: ALSParams | None = None) -> None:
        super().__init__(params)
        self.user_factors: torch.Tensor | None = None
        self.item_factors: torch.Tensor | None = None
        self.reg_used = float(self.params.regularization)
        self.alpha_used = float(self.params.alpha)
        self.tuning = None

    def fit(
        self,
        dataset: Dataset,
        progress: ProgressFn | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        check_catalog_size("ALS", dataset.n_items, MAX_ITEMS, "'itemknn' (sparse neighbours)")
        self.dataset = dataset
        with few_threads_for_small_work(dataset.n_events):
            self._fit(dataset, progress, cancel)

    def _fit(self, dataset: Dataset, progress: ProgressFn | None, cancel: CancelToken | None) -> None:
        reg, alpha = float(self.params.regularization), float(self.params.alpha)
        if reg <= 0 or alpha <= 0:
            reg, alpha = self._tune(dataset, reg, alpha, progress, cancel)
        self.user_factors, self.item_factors = factorise(
            history_matrix(dataset),
            factors=self.params.factors,
            reg=reg,
            alpha=alpha,
            iterations=self.params.iterations,
            cg_steps=self.params.cg_steps,
            seed=self.seed,
            device=self.device,
            progress=progress,
            cancel=cancel,
        )
        self.reg_used, self.alpha_used = reg, alpha

    def _tune(
        self,
        dataset: Dataset,
        reg: float,
        alpha: float,
        progress: ProgressFn | None,
        cancel: CancelToken | None,
    ) -> tuple[float, float]:
        start = {"reg": reg if reg > 0 else REG_GRID[0], "alpha": alpha if alpha > 0 else ALPHA_GRID[0]}
        holdout = make_holdout(dataset, seed=self.seed)
        if holdout is None:
            return start["reg"], start["alpha"]
        m = history_matrix(holdout.train)
        # fewer passes while searching: rankings settle well before the loss does
        iterations = max(1, min(self.params.iterations, 8))

        def evaluate(c: dict) -> float:
            x, y = factorise(
                m,
                factors=self.params.factors,
                reg=c["reg"],
                alpha=c["alpha"],
                iterations=iterations,
                cg_steps=self.params.cg_steps,
                seed=self.seed,
                device=self.device,
                cancel=cancel,
            )

            def score(users: np.ndarray) -> np.ndarray:
                idx = torch.from_numpy(users).to(self.device)
                return (x[idx] @ y.T).cpu().numpy()

            return ranking_quality(score, holdout, cancel=cancel)

        space = {}
        if alpha <= 0:
            space["alpha"] = ALPHA_GRID
        if reg <= 0:
            space["reg"] = REG_GRID
        self.tuning = coordinate_search(
            space,
            start,
            evaluate,
            budget_seconds=default_budget(dataset, self.params.tune_seconds),
            progress=progress,
            cancel=cancel,
        )
        report(progress, 1, 1, "ALS: tuned " + self.tuning.summary())
        return float(self.tuning.best["reg"]), float(self.tuning.best["alpha"])

    def tuned_params(self) -> ALSParams:
        """These parameters with the automatic choices fixed (a refit skips the search)."""
        return replace(self.params, regularization=self.reg_used, alpha=self.alpha_used)

    # -- scoring ---------------------------------------------------------------------------
    def _factors(self) -> tuple[torch.Tensor, torch.Tensor]:
        if self.user_factors is None or self.item_factors is None:
            raise RuntimeError("ALS: the model is not fitted")
        if self.item_factors.device != self.device:
            self.user_factors = self.user_factors.to(self.device)
            self.item_factors = self.item_factors.to(self.device)
        return self.user_factors, self.item_factors

    def update(self, dataset: Dataset, users: np.ndarray | None = None) -> None:
        """Fold customers' new events into their vectors, item vectors kept.

        ``users``: only these customers (and customers new to the model) are solved again; the
        others keep their vectors. None: everyone.
        """
        x, y = self._factors()
        self.dataset = dataset
        m = history_matrix(dataset)
        with few_threads_for_small_work(dataset.n_events):
            if users is None:
                self.user_factors = fold_in(m, y, reg=self.reg_used, alpha=self.alpha_used,
                                            cg_steps=self.params.cg_steps, start=x)
                return
            n = m.shape[0]
            out = torch.zeros(n, x.shape[1], device=x.device, dtype=x.dtype)
            out[: min(len(x), n)] = x[:n]
            rows = np.asarray(users, dtype=np.int64)
            rows = np.union1d(rows[(rows >= 0) & (rows < n)], np.arange(min(len(x), n), n))
            if len(rows):
                idx = torch.from_numpy(rows).to(x.device)
                out[idx] = fold_in(m[rows], y, reg=self.reg_used, alpha=self.alpha_used,
                                   cg_steps=self.params.cg_steps, start=out[idx])
            self.user_factors = out

    def logits(self, users: np.ndarray, items: np.ndarray | None = None) -> np.ndarray:
        x, y = self._factors()
        cols = item_columns(items, y.shape[0])
        if cols is not None:
            y = y[torch.from_numpy(cols).to(self.device)]
        users = np.asarray(users, dtype=np.int64)
        known = (users >= 0) & (users < x.shape[0])
        xu = torch.zeros(len(users), x.shape[1], device=self.device)
        if known.any():
            xu[torch.from_numpy(np.flatnonzero(known)).to(self.device)] = x[
                torch.from_numpy(users[known]).to(self.device)
            ]
        return (xu @ y.T).cpu().numpy().astype(np.float32)

    def _item_cosine(self, item: int, others: np.ndarray) -> np.ndarray:
        _, y = self._factors()
        # unit vectors once per factor matrix: lists explain every listed item of every customer
        cached = getattr(self, "_unit_cache", None)
        if cached is None or cached[0] is not y:
            cached = (y, torch.nn.functional.normalize(y, dim=1))
            self._unit_cache = cached
        yn = cached[1]
        return (yn[torch.from_numpy(np.asarray(others, dtype=np.int64)).to(self.device)]
                @ yn[int(item)]).cpu().numpy()

    def similar_items(self, item: int, n: int = 10) -> list[tuple[int, float]]:
        _, y = self._factors()
        sims = self._item_cosine(item, np.arange(y.shape[0]))
        sims[int(item)] = -np.inf
        top = np.argsort(-sims, kind="stable")[:n]
        return [(int(j), float(sims[j])) for j in top]

    def reason_weights(self, user: int, history: np.ndarray, items: np.ndarray) -> np.ndarray:
        self._item_cosine(int(items[0]) if len(items) else 0, np.zeros(0, dtype=np.int64))
        yn = self._unit_cache[1]
        h = torch.from_numpy(np.asarray(history, dtype=np.int64)).to(self.device)
        i = torch.from_numpy(np.asarray(items, dtype=np.int64)).to(self.device)
        return (yn[h] @ yn[i].T).cpu().numpy().astype(np.float64)

    def explain(self, user: int, item: int) -> list[Reason]:
        history = user_history(self.dataset, user)
        if len(history) == 0:
            return []
        return reasons_from_weights(self.dataset, user, history, self._item_cosine(item, history))

    def state_dict(self) -> dict[str, torch.Tensor]:
        x, y = self._factors()
        hyper = torch.tensor([self.reg_used, self.alpha_used], dtype=torch.float64)
        return {"user_factors": x.cpu(), "item_factors": y.cpu(), "hyper": hyper}

    def load_state_dict(self, state: dict[str, torch.Tensor]) -> None:
        self.user_factors = state["user_factors"].to(self.device)
        self.item_factors = state["item_factors"].to(self.device)
        self.reg_used, self.alpha_used = (float(v) for v in state["hyper"])


@hookimpl
def shoprec_strategies() -> list[StrategySpec]:
    return [
        StrategySpec(
            name="als",
            title="Matrix factorisation (ALS)",
            description="Implicit-feedback ALS; scales to catalogs of millions of items.",
            params=ALSParams,
            factory=ALS,
            family="collaborative",
        )
    ]
