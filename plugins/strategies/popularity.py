"""Popularity, recent-weighted: what many customers chose lately. Built in, and the fallback
for customers with no history.

Each positive event counts ``0.5 ** (age / half_life)`` (age measured back from the newest event
in the data), views count ``view_weight`` of that; the logit is ``log1p(weighted count)``, the
same for every customer. Items nobody chose yet (brand-new items) get logit 0: finite, last.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from shoprec.core import hookimpl
from shoprec.core.contracts.progress import CancelToken, ProgressFn, check, report
from shoprec.core.contracts.strategy import Reason, Strategy, StrategySpec, param
from shoprec.core.data.dataset import TYPE_CODE, Dataset

DAY = 86_400.0


@dataclass
class PopularityParams:
    half_life_days: float = param(
        30.0,
        help="Events lose half their weight after this many days (0: every event counts the same).",
        min=0.0,
        max=3650.0,
    )
    view_weight: float = param(
        0.25, help="Weight of a view relative to a cart, favourite, purchase or rating.",
        min=0.0, max=1.0,
    )


class PopularityStrategy(Strategy):
    """Recent-weighted counts of positive events per item."""

    name = "popularity"
    personal = False  # everyone alike: a customer's history does not enter their scores
    Params = PopularityParams

    def __init__(self, params: PopularityParams | None = None) -> None:
        super().__init__(params)
        self.scores = torch.zeros(0)
        self.buyers = torch.zeros(0)

    def fit(
        self, dataset: Dataset, progress: ProgressFn | None = None, cancel: CancelToken | None = None
    ) -> None:
        check(cancel)
        self.dataset = dataset
        report(progress, 0, 1, "counting")
        self.scores, self.buyers = self._count(dataset)
        check(cancel)
        report(progress, 1, 1, "counted")

    def _count(self, ds: Dataset) -> tuple[torch.Tensor, torch.Tensor]:
        keep = ds.types != TYPE_CODE["refund"]
        items, times, types = ds.items[keep], ds.times[keep], ds.types[keep]
        weight = np.where(types == TYPE_CODE["view"], self.params.view_weight, 1.0)
        if self.params.half_life_days > 0 and len(times):
            age_days = (times.max() - times).astype(np.float64) / DAY
            weight = weight * np.power(0.5, age_days / self.params.half_life_days)
        counts = np.bincount(items, weights=weight, minlength=ds.n_items)
        buyers = np.bincount(
            np.unique(np.stack([ds.users[keep], items]), axis=1)[1] if len(items) else items,
            minlength=ds.n_items,
        )
        return (
            torch.from_numpy(np.log1p(counts).astype(np.float32)),
            torch.from_numpy(buyers.astype(np.float32)),
        )

    def update(self, dataset: Dataset, users: np.ndarray | None = None) -> None:
        # Counting is cheap: new events simply count.
        self.dataset = dataset
        if dataset.n_items == len(self.scores):
            self.scores, self.buyers = self._count(dataset)

    def logits(self, users: np.ndarray, items: np.ndarray | None = None) -> np.ndarray:
        row = self.scores.numpy()
        if items is not None:
            row = row[np.asarray(items, dtype=np.int64)]
        return np.broadcast_to(row, (len(users), len(row))).astype(np.float32)

    def similar_items(self, item: int, n: int = 10) -> list[tuple[int, float]]:
        order = np.argsort(-self.scores.numpy(), kind="stable")
        return [(int(i), float(self.scores[i])) for i in order if i != item][:n]

    def explain(self, user: int, item: int) -> list[Reason]:
        if item >= len(self.buyers):
            return []
        n = int(self.buyers[item])
        if n == 0:
            return [Reason(item=-1, weight=0.0, text="new in the shop")]
        who = "1 customer" if n == 1 else f"{n} customers"
        return [Reason(item=-1, weight=float(self.scores[item]), text=f"popular: chosen by {who}")]

    def state_dict(self) -> dict[str, torch.Tensor]:
        return {"scores": self.scores.clone(), "buyers": self.buyers.clone()}

    def load_state_dict(self, state: dict[str, torch.Tensor]) -> None:
        self.scores = state["scores"].float().clone()
        self.buyers = state["buyers"].float().clone()


@hookimpl
def shoprec_strategies() -> list[StrategySpec]:
    return [
        StrategySpec(
            name="popularity",
            title="Popular now",
            description="What many customers chose lately (recent events count more). "
            "Also the fallback for customers with no history.",
            params=PopularityParams,
            factory=PopularityStrategy,
            family="popularity",
        )
    ]
