"""EASE: a closed-form item×item model (Steck 2019), strong on catalogs up to tens of thousands.

B = I - P·diag(1/diag(P)) with P = (XᵀX + λI)⁻¹ and diag(B) = 0; a customer's logits are their
history row times B. λ is tuned on validation targets (each customer's last training event)
unless set. Memory: three dense item×item float32 matrices, so 40,000 items fit in 24 GB; larger
catalogs are refused with a pointer to ALS.
"""

from __future__ import annotations

import time
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

from ._collab import dense_rows, history_matrix, item_columns, reasons_from_weights, user_history

#: Largest catalog EASE takes: three float32 item×item matrices in 24 GB.
MAX_ITEMS = 40_000
#: λ values tried by the automatic search, likeliest first.
L2_GRID = (300.0, 100.0, 1000.0, 30.0, 3000.0, 500.0, 200.0, 10.0, 2000.0, 3.0, 10000.0, 1.0)


@dataclass
class EASEParams:
    l2: float = param(
        0.0,
        help="L2 regularisation λ; larger = smoother, more popular items. 0 tunes it on validation",
        min=0.0,
        max=1e6,
        zero="auto",
    )
    tune_seconds: float = param(
        0.0,
        help="Time budget for the automatic λ search (0 = scaled to the data size)",
        min=0.0,
        max=3600.0,
        advanced=True,
        zero="auto",
    )


#: The search is skipped only when one trial is predicted to take this many times its budget.
SKIP_FACTOR = 3.0
_PROBE = 1536


def trial_seconds(n_items: int, device: torch.device) -> float:
    """Predicted seconds of one λ trial (an n_items² inverse) here, from a small one timed now."""
    if n_items <= 2 * _PROBE:
        return 0.0
    a = torch.eye(_PROBE, device=device) * 2.0 + 0.01
    best = float("inf")
    for _ in range(3):  # the first call warms the kernels up; the fastest of three counts
        t0 = time.perf_counter()
        torch.linalg.inv(a)
        if device.type == "cuda":
            torch.cuda.synchronize()
        best = min(best, time.perf_counter() - t0)
    return best * (n_items / _PROBE) ** 3


def gram(x: sp.csr_matrix, device: torch.device) -> torch.Tensor:
    """XᵀX as a dense float32 tensor on ``device``."""
    g = (x.T @ x).toarray().astype(np.float32)
    return torch.from_numpy(g).to(device)


def ease_weights(g: torch.Tensor, l2: float) -> torch.Tensor:
    """The EASE item×item matrix B for Gram matrix ``g`` (left unchanged) and regularisation ``l2``."""
    a = g.clone()
    a.diagonal().add_(float(l2))
    p = torch.linalg.inv(a)
    del a
    b = p / (-p.diagonal()).unsqueeze(0)
    b.diagonal().zero_()
    return b


class EASE(Strategy):
    name = "ease"
    Params = EASEParams

    def __init__(self, params: EASEParams | None = None) -> None:
        super().__init__(params)
        self.B: torch.Tensor | None = None
        self.l2_used: float = float(self.params.l2)
        self.tuning = None
        self._hist: sp.csr_matrix | None = None
        self._hist_of: int | None = None

    # -- fitting ---------------------------------------------------------------------------
    def fit(
        self,
        dataset: Dataset,
        progress: ProgressFn | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        check_catalog_size("EASE", dataset.n_items, MAX_ITEMS, "'als' (matrix factorisation)")
        self.dataset = dataset
        l2 = float(self.params.l2)
        if l2 <= 0:
            l2 = self._tune(dataset, progress, cancel)
        check(cancel)
        report(progress, 0, 1, f"EASE: solving the item×item model (λ={l2:g})")
        self.B = ease_weights(gram(history_matrix(dataset), self.device), l2)
        self.l2_used = l2
        report(progress, 1, 1, "EASE: done", l2=l2)

    def _tune(self, dataset: Dataset, progress: ProgressFn | None, cancel: CancelToken | None) -> float:
        budget = default_budget(dataset, self.params.tune_seconds)
        trial = trial_seconds(dataset.n_items, self.device)
        if trial > SKIP_FACTOR * budget:
            # The search always runs its first λ and stops once the budget is spent: with one
            # trial longer than the whole budget it would choose that first λ after a wasted
            # item×item solve (minutes on a large catalogue). Choose it directly.
            report(progress, 1, 1, f"EASE: λ={L2_GRID[0]:g} (one trial would take about "
                                   f"{trial:.0f} s, past the {budget:.0f} s tuning budget)")
            return L2_GRID[0]
        holdout = make_holdout(dataset, seed=self.seed)
        if holdout is None:
            return L2_GRID[0]
        g = gram(history_matrix(holdout.train), self.device)
        hist = history_matrix(holdout.train)

        def evaluate(candidate: dict) -> float:
            b = ease_weights(g, candidate["l2"])

            def score(users: np.ndarray) -> np.ndarray:
                return (dense_rows(hist, users, self.device) @ b).cpu().numpy()

            return ranking_quality(score, holdout, cancel=cancel)

        self.tuning = coordinate_search(
            {"l2": L2_GRID},
            {"l2": L2_GRID[0]},
            evaluate,
            budget_seconds=budget,
            progress=progress,
            cancel=cancel,
        )
        report(progress, 1, 1, "EASE: tuned " + self.tuning.summary())
        return float(self.tuning.best["l2"])

    @staticmethod
    def expected_seconds(dataset: Dataset, device: torch.device) -> float:
        """About how long one fit takes here (one item×item solve; a Compare plans with it)."""
        return trial_seconds(dataset.n_items, device)

    def tuned_params(self) -> EASEParams:
        """These parameters with the automatically chosen λ fixed (a refit skips the search)."""
        return replace(self.params, l2=self.l2_used)

    # -- scoring ---------------------------------------------------------------------------
    def _history(self) -> sp.csr_matrix:
        if self.dataset is None:
            raise RuntimeError("EASE: no dataset attached; fit or load a model first")
        if self._hist is None or self._hist_of != id(self.dataset):
            self._hist, self._hist_of = history_matrix(self.dataset), id(self.dataset)
        return self._hist

    def _weights(self) -> torch.Tensor:
        if self.B is None:
            raise RuntimeError("EASE: the model is not fitted")
        if self.B.device != self.device:
            self.B = self.B.to(self.device)
        return self.B

    def logits(self, users: np.ndarray, items: np.ndarray | None = None) -> np.ndarray:
        b = self._weights()
        cols = item_columns(items, b.shape[1])
        if cols is not None:
            b = b[:, torch.from_numpy(cols).to(self.device)]
        users = np.asarray(users, dtype=np.int64)
        out = np.empty((len(users), b.shape[1]), dtype=np.float32)
        hist = self._history()
        for lo in range(0, len(users), 1024):
            x = dense_rows(hist, users[lo : lo + 1024], self.device)
            out[lo : lo + 1024] = (x @ b).cpu().numpy()
        return out

    def similar_items(self, item: int, n: int = 10) -> list[tuple[int, float]]:
        row = self._weights()[int(item)].cpu().numpy().copy()
        row[int(item)] = -np.inf
        top = np.argsort(-row, kind="stable")[:n]
        return [(int(j), float(row[j])) for j in top if row[j] > 0]

    def reason_weights(self, user: int, history: np.ndarray, items: np.ndarray) -> np.ndarray:
        b = self._weights()
        h = torch.from_numpy(np.asarray(history, dtype=np.int64)).to(self.device)
        i = torch.from_numpy(np.asarray(items, dtype=np.int64)).to(self.device)
        return b[h][:, i].cpu().numpy().astype(np.float64)

    def explain(self, user: int, item: int) -> list[Reason]:
        history = user_history(self.dataset, user)
        if len(history) == 0:
            return []
        w = self._weights()[torch.from_numpy(history).to(self.device), int(item)]
        return reasons_from_weights(self.dataset, user, history, w.cpu().numpy())

    # -- state -----------------------------------------------------------------------------
    def state_dict(self) -> dict[str, torch.Tensor]:
        return {"B": self._weights().cpu(), "l2": torch.tensor([self.l2_used], dtype=torch.float64)}

    def load_state_dict(self, state: dict[str, torch.Tensor]) -> None:
        self.B = state["B"].to(self.device)
        self.l2_used = float(state["l2"][0])


@hookimpl
def shoprec_strategies() -> list[StrategySpec]:
    return [
        StrategySpec(
            name="ease",
            title="EASE (item-item)",
            description="Closed-form item-to-item model; strong for catalogs up to 40,000 items.",
            params=EASEParams,
            factory=EASE,
            family="collaborative",
        )
    ]
