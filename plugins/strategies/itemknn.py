"""Item-kNN: the transparent baseline. "Customers who bought X also bought Y", by cosine similarity.

Similarity s(i, j) = |U_i ∩ U_j| / (|U_i|^a · |U_j|^(1-a) + shrink), keeping each item's k nearest
neighbours; a customer's logit for j is the sum of s(h, j) over their history items h, so every
score is explained exactly by the history items that make it up. Neighbour count and shrinkage
are tuned on validation targets unless set. Memory: k neighbours per item plus one block of
similarities, so 2,000,000 items (k ≤ 200) fit in 24 GB.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp
import torch
from shoprec.core import hookimpl
from shoprec.core.contracts.progress import CancelToken, ProgressFn, report
from shoprec.core.contracts.strategy import Reason, Strategy, StrategySpec, param
from shoprec.core.data.dataset import Dataset
from shoprec.core.data.similarity import neighbours
from shoprec.core.ranking.tuning import (
    check_catalog_size,
    coordinate_search,
    default_budget,
    make_holdout,
    ranking_quality,
)

from ._collab import history_matrix, item_columns, reasons_from_weights, rows_for, user_history

MAX_ITEMS = 2_000_000
#: Most neighbours kept per item; the search truncates these, so it never recomputes similarity.
MAX_NEIGHBOURS = 400
K_GRID = (100, 50, 200, 20, 400, 10)
SHRINK_GRID = (0.0, 10.0, 50.0)


@dataclass
class ItemKNNParams:
    neighbours: int = param(
        0, help="Similar items kept per item (0 tunes it on validation)", min=0, max=MAX_NEIGHBOURS, zero="auto"
    )
    shrink: float = param(
        -1.0,
        help="Damps similarities built on few shared customers (-1 tunes it on validation)",
        min=-1.0,
        max=1000.0,
        zero="auto",
    )
    asymmetry: float = param(
        0.5, help="0.5 = cosine; higher favours popular neighbours", min=0.0, max=1.0, advanced=True
    )
    tune_seconds: float = param(
        0.0,
        help="Time budget for the automatic search (0 = scaled to the data size)",
        min=0.0,
        max=3600.0,
        advanced=True,
        zero="auto",
    )


def with_guests(x: sp.csr_matrix, dataset: Dataset) -> sp.csr_matrix:
    """Customers' histories plus the baskets of purchases without a customer (guest checkouts)
    as extra rows: similarity learns from every basket, lists still come from customers only."""
    guests = dataset.guest_matrix()
    if guests.shape[0] == 0:
        return x
    return sp.vstack([x, guests.astype(x.dtype)]).tocsr()


def similarity_matrix(idx: np.ndarray, val: np.ndarray, k: int) -> sp.csr_matrix:
    """Items × items sparse matrix holding each row's first ``k`` neighbours."""
    n = idx.shape[0]
    k = min(k, idx.shape[1])
    rows = np.repeat(np.arange(n), k)
    m = sp.csr_matrix((val[:, :k].ravel(), (rows, idx[:, :k].ravel())), shape=(n, n))
    m.eliminate_zeros()
    return m


class ItemKNN(Strategy):
    name = "itemknn"
    Params = ItemKNNParams

    def __init__(self, params: ItemKNNParams | None = None) -> None:
        super().__init__(params)
        self.S: sp.csr_matrix | None = None
        self.k_used, self.shrink_used = int(self.params.neighbours), float(self.params.shrink)
        self.tuning = None
        self._hist: sp.csr_matrix | None = None
        self._hist_of: int | None = None

    def fit(
        self,
        dataset: Dataset,
        progress: ProgressFn | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        check_catalog_size("item-kNN", dataset.n_items, MAX_ITEMS, "'als' with fewer factors")
        self.dataset = dataset
        k, shrink = int(self.params.neighbours), float(self.params.shrink)
        if k <= 0 or shrink < 0:
            k, shrink = self._tune(dataset, k, shrink, progress, cancel)
        report(progress, 0, 1, "item-kNN: computing item similarities")
        idx, val = neighbours(
            with_guests(history_matrix(dataset), dataset), k=k, shrink=shrink, asymmetry=self.params.asymmetry,
            device=self.device, cancel=cancel,
        )
        self.S = similarity_matrix(idx, val, k)
        self.k_used, self.shrink_used = k, shrink
        report(progress, 1, 1, "item-kNN: done", neighbours=k, shrink=shrink)

    def _tune(
        self,
        dataset: Dataset,
        k: int,
        shrink: float,
        progress: ProgressFn | None,
        cancel: CancelToken | None,
    ) -> tuple[int, float]:
        start = {"k": k if k > 0 else K_GRID[0], "shrink": shrink if shrink >= 0 else SHRINK_GRID[0]}
        holdout = make_holdout(dataset, seed=self.seed)
        if holdout is None:
            return start["k"], start["shrink"]
        x = history_matrix(holdout.train)
        x_sim = with_guests(x, holdout.train)
        cache: dict[float, tuple[np.ndarray, np.ndarray]] = {}

        def evaluate(c: dict) -> float:
            if c["shrink"] not in cache:
                cache[c["shrink"]] = neighbours(
                    x_sim, k=MAX_NEIGHBOURS, shrink=c["shrink"], asymmetry=self.params.asymmetry,
                    device=self.device, cancel=cancel,
                )
            s = similarity_matrix(*cache[c["shrink"]], c["k"])
            return ranking_quality(lambda users: (x[users] @ s).toarray(), holdout, cancel=cancel)

        space: dict = {}
        if k <= 0:
            space["k"] = K_GRID
        if shrink < 0:
            space["shrink"] = SHRINK_GRID
        self.tuning = coordinate_search(
            space, start, evaluate,
            budget_seconds=default_budget(dataset, self.params.tune_seconds),
            progress=progress, cancel=cancel,
        )
        report(progress, 1, 1, "item-kNN: tuned " + self.tuning.summary())
        return int(self.tuning.best["k"]), float(self.tuning.best["shrink"])

    def tuned_params(self) -> ItemKNNParams:
        """These parameters with the automatic choices fixed (a refit skips the search)."""
        return replace(self.params, neighbours=self.k_used, shrink=self.shrink_used)

    # -- scoring ---------------------------------------------------------------------------
    def _sim(self) -> sp.csr_matrix:
        if self.S is None:
            raise RuntimeError("item-kNN: the model is not fitted")
        return self.S

    def _history(self) -> sp.csr_matrix:
        if self.dataset is None:
            raise RuntimeError("item-kNN: no dataset attached; fit or load a model first")
        if self._hist is None or self._hist_of != id(self.dataset):
            self._hist, self._hist_of = history_matrix(self.dataset), id(self.dataset)
        return self._hist

    def logits(self, users: np.ndarray, items: np.ndarray | None = None) -> np.ndarray:
        s = self._sim()
        cols = item_columns(items, s.shape[1])
        if cols is not None:
            s = s[:, cols]
        x = rows_for(self._history(), np.asarray(users, dtype=np.int64))
        return np.asarray((x @ s).toarray(), dtype=np.float32)

    def similar_items(self, item: int, n: int = 10) -> list[tuple[int, float]]:
        row = self._sim()[int(item)]
        order = np.argsort(-row.data, kind="stable")[:n]
        return [(int(row.indices[j]), float(row.data[j])) for j in order]

    def reason_weights(self, user: int, history: np.ndarray, items: np.ndarray) -> np.ndarray:
        sim = self._sim()
        return np.asarray(sim[np.asarray(history, dtype=np.int64)][:, np.asarray(items, dtype=np.int64)]
                          .toarray(), dtype=np.float64)

    def explain(self, user: int, item: int) -> list[Reason]:
        history = user_history(self.dataset, user)
        if len(history) == 0:
            return []
        w = np.asarray(self._sim()[history][:, [int(item)]].toarray()).ravel()
        return reasons_from_weights(self.dataset, user, history, w)

    def state_dict(self) -> dict[str, torch.Tensor]:
        s = self._sim().tocoo()
        return {
            "rows": torch.from_numpy(s.row.astype(np.int64)),
            "cols": torch.from_numpy(s.col.astype(np.int64)),
            "values": torch.from_numpy(s.data.astype(np.float32)),
            "shape": torch.tensor(s.shape, dtype=torch.int64),
            "hyper": torch.tensor([self.k_used, self.shrink_used], dtype=torch.float64),
        }

    def load_state_dict(self, state: dict[str, torch.Tensor]) -> None:
        shape = tuple(int(v) for v in state["shape"])
        self.S = sp.csr_matrix(
            (state["values"].numpy(), (state["rows"].numpy(), state["cols"].numpy())), shape=shape
        )
        self.k_used, self.shrink_used = int(state["hyper"][0]), float(state["hyper"][1])


@hookimpl
def shoprec_strategies() -> list[StrategySpec]:
    return [
        StrategySpec(
            name="itemknn",
            title="Item-kNN (similar items)",
            description="Customers who bought X also bought Y; every score explained by history items.",
            params=ItemKNNParams,
            factory=ItemKNN,
            family="collaborative",
        )
    ]
