"""Example third-party ShopRec plugin: "customers who bought your items also bought".

A complete strategy in one module: parameters with ranges and help (the desktop builds its
settings form from them), ``fit`` with progress and cancel, raw logits (never σ), reasons,
similar items, state as named tensors. Installed, it appears in ``shoprec plugins`` and can be
trained with ``shoprec train --strategy also_bought``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from shoprec.core import hookimpl
from shoprec.core.contracts.progress import CancelToken, ProgressFn, check, report
from shoprec.core.contracts.strategy import Reason, Strategy, StrategySpec, param
from shoprec.core.data.dataset import Dataset

__version__ = "1.0.0"


@dataclass
class AlsoBoughtParams:
    recent: int = param(5, help="How many of the customer's latest items drive the list.", min=1, max=100)
    shrink: float = param(2.0, help="Damps pairs seen only a few times.", min=0.0, max=100.0)


class AlsoBought(Strategy):
    """Item-to-item co-occurrence: two items go together when the same customers chose both."""

    name = "also_bought"
    Params = AlsoBoughtParams

    def __init__(self, params: AlsoBoughtParams | None = None) -> None:
        super().__init__(params)
        self.together = torch.zeros(0, 0)

    def fit(self, dataset: Dataset, progress: ProgressFn | None = None,
            cancel: CancelToken | None = None) -> None:
        check(cancel)  # poll the cancel token: a cancelled job must stop promptly
        self.dataset = dataset
        x = dataset.matrix()  # customers x items, 1 where they interacted
        report(progress, 0, 2, "counting pairs")
        pairs = (x.T @ x).toarray().astype(np.float32)
        check(cancel)
        np.fill_diagonal(pairs, 0.0)
        counts = np.asarray(x.sum(axis=0)).ravel().astype(np.float32)
        norm = np.sqrt(np.outer(counts, counts)) + self.params.shrink
        self.together = torch.from_numpy(pairs / np.maximum(norm, 1e-9))
        report(progress, 2, 2, "done")

    def _recent(self, user: int) -> np.ndarray:
        if self.dataset is None or not 0 <= user < self.dataset.n_users:
            return np.zeros(0, dtype=np.int64)  # unknown customer: no history, no evidence
        return np.asarray(self.dataset.history(user)[-self.params.recent:], dtype=np.int64)

    def logits(self, users: np.ndarray, items: np.ndarray | None = None) -> np.ndarray:
        t = self.together.numpy()
        out = np.zeros((len(users), t.shape[0]), dtype=np.float32)
        for row, u in enumerate(np.asarray(users)):
            recent = self._recent(int(u))
            if len(recent):
                out[row] = t[recent].sum(axis=0)
        return out if items is None else out[:, np.asarray(items)]

    def similar_items(self, item: int, n: int = 10) -> list[tuple[int, float]]:
        row = self.together[item].numpy()
        order = [int(i) for i in np.argsort(-row, kind="stable") if i != item and row[i] > 0]
        return [(i, float(row[i])) for i in order[:n]]

    def explain(self, user: int, item: int) -> list[Reason]:
        t = self.together.numpy()
        out = []
        for h in dict.fromkeys(self._recent(user).tolist()):
            if t[h, item] > 0:
                title = self.dataset.catalog.title[h] or self.dataset.item_ids[h]
                out.append(Reason(item=h, weight=float(t[h, item]),
                                  text=f"customers who bought {title} also bought this"))
        return sorted(out, key=lambda r: -r.weight)

    def update(self, dataset: Dataset, users: np.ndarray | None = None) -> None:
        self.dataset = dataset  # pairs are kept; new histories drive the lists at once

    def state_dict(self) -> dict[str, torch.Tensor]:
        return {"together": self.together.contiguous()}

    def load_state_dict(self, state: dict[str, torch.Tensor]) -> None:
        self.together = state["together"]


@hookimpl
def shoprec_strategies() -> list[StrategySpec]:
    return [
        StrategySpec(
            name="also_bought",
            title="Also bought",
            description="Customers who bought your items also bought these.",
            params=AlsoBoughtParams,
            factory=AlsoBought,
            family="basket",
        )
    ]
