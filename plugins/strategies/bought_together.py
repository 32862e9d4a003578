"""Bought together: association rules from baskets, turned into per-customer lists.

Rules i → j come from :func:`shoprec.core.data.baskets.frequently_bought_together` (support,
confidence, lift, minimum thresholds, a cap per item). A customer's logit for j is the
recency-weighted sum of confidence(h → j) over their most recent purchases h, plus a vanishing
popularity term that only orders items no rule reaches. Memory: the rules (items × cap), so any
catalog that fits in the workspace fits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import torch
from shoprec.core import hookimpl
from shoprec.core.contracts.progress import CancelToken, ProgressFn, check, report
from shoprec.core.contracts.strategy import Reason, Strategy, StrategySpec, param
from shoprec.core.data.baskets import basket_event_types, frequently_bought_together
from shoprec.core.data.dataset import Dataset, type_codes

from ._collab import item_columns, reasons_from_weights

#: Popularity's share of a logit: small enough never to outrank a rule.
POPULARITY_EPS = 1e-6


@dataclass
class BoughtTogetherParams:
    min_support: float = param(0.0, help="Least share of baskets holding both items", min=0.0, max=1.0)
    min_confidence: float = param(
        0.01, help="Least share of baskets with the first item that also hold the second",
        min=0.0, max=1.0,
    )
    min_lift: float = param(
        1.0, help="Least lift (1 = as often as chance; higher = truly together)", min=0.0, max=1e6
    )
    min_count: int = param(2, help="Least number of baskets holding both items", min=1, max=10_000)
    max_per_item: int = param(50, help="Rules kept per item (the cap)", min=1, max=1000)
    recent: int = param(10, help="Recent purchases a customer's list is built from", min=1, max=1000)
    half_life: float = param(
        3.0, help="Recency weighting: a purchase this many purchases back counts half",
        min=0.1, max=1000.0,
    )
    window_hours: float = param(
        24.0, help="Without order numbers, a customer's events this close form one basket",
        min=0.01, max=24 * 365.0, advanced=True,
    )
    max_basket: int = param(
        50, help="Longer baskets are cut into pieces of this size (bounds the work)",
        min=2, max=10_000, advanced=True,
    )


class BoughtTogether(Strategy):
    name = "bought_together"
    Params = BoughtTogetherParams

    def __init__(self, params: BoughtTogetherParams | None = None) -> None:
        super().__init__(params)
        self.rules: sp.csr_matrix | None = None  # items × items, confidence
        self.lift: sp.csr_matrix | None = None
        self.popularity: np.ndarray | None = None

    def fit(
        self,
        dataset: Dataset,
        progress: ProgressFn | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        p = self.params
        self.dataset = dataset
        report(progress, 0, 2, "bought together: mining baskets")
        table = frequently_bought_together(
            dataset,
            p.min_support,
            p.min_confidence,
            p.min_lift,
            p.max_per_item,
            min_count=p.min_count,
            window_seconds=int(p.window_hours * 3600),
            max_basket=p.max_basket,
        )
        check(cancel)
        self._set_rules(
            table["item"].to_numpy(np.int64),
            table["other"].to_numpy(np.int64),
            table["confidence"].to_numpy(np.float32),
            table["lift"].to_numpy(np.float32),
            dataset.n_items,
        )
        counts = dataset.item_counts(basket_event_types(dataset)).astype(np.float64)
        top = counts.max() if len(counts) else 1.0
        self.popularity = (counts / max(top, 1.0)).astype(np.float32)
        report(progress, 2, 2, "bought together: done", rules=len(table))

    def _set_rules(
        self, i: np.ndarray, j: np.ndarray, confidence: np.ndarray, lift: np.ndarray, n: int
    ) -> None:
        self._rule_arrays = (i, j, confidence, lift)
        self.rules = sp.csr_matrix((confidence, (i, j)), shape=(n, n))
        self.lift = sp.csr_matrix((lift, (i, j)), shape=(n, n))

    # -- per-customer recent purchases -------------------------------------------------------
    def _recent(self, users: np.ndarray) -> sp.csr_matrix:
        """Users × items recency weights of each user's last ``recent`` basket events."""
        ds = self.dataset
        n_items = self.rules.shape[0]
        rows, cols, vals = [], [], []
        codes = type_codes(basket_event_types(ds)) if ds is not None else None
        for r, u in enumerate(np.asarray(users, dtype=np.int64)):
            if ds is None or u < 0 or u >= ds.n_users:
                continue
            lo, hi = ds.indptr[u], ds.indptr[u + 1]
            items = ds.items[lo:hi][np.isin(ds.types[lo:hi], codes)]
            items = items[::-1]  # most recent first
            _, first = np.unique(items, return_index=True)
            first = np.sort(first)[: self.params.recent]
            rows.append(np.full(len(first), r))
            cols.append(items[first])
            vals.append(np.power(0.5, np.arange(len(first)) / self.params.half_life))
        if not rows:
            return sp.csr_matrix((len(users), n_items), dtype=np.float32)
        return sp.csr_matrix(
            (np.concatenate(vals).astype(np.float32), (np.concatenate(rows), np.concatenate(cols))),
            shape=(len(users), n_items),
        )

    def _fitted(self) -> sp.csr_matrix:
        if self.rules is None:
            raise RuntimeError("bought together: the model is not fitted")
        return self.rules

    def logits(self, users: np.ndarray, items: np.ndarray | None = None) -> np.ndarray:
        rules = self._fitted()
        cols = item_columns(items, rules.shape[1])
        pop = self.popularity if cols is None else self.popularity[cols]
        if cols is not None:
            rules = rules[:, cols]
        out = np.asarray((self._recent(users) @ rules).toarray(), dtype=np.float32)
        return out + POPULARITY_EPS * pop[None, :]

    def similar_items(self, item: int, n: int = 10) -> list[tuple[int, float]]:
        row = self._fitted()[int(item)]
        order = np.argsort(-row.data, kind="stable")[:n]
        return [(int(row.indices[k]), float(row.data[k])) for k in order]

    def explain(self, user: int, item: int) -> list[Reason]:
        recent = self._recent(np.array([user]))
        if recent.nnz == 0:
            return []
        history = recent.indices
        conf = np.asarray(self._fitted()[history][:, [int(item)]].toarray()).ravel()
        return reasons_from_weights(self.dataset, user, history, recent.data * conf)

    def state_dict(self) -> dict[str, torch.Tensor]:
        self._fitted()
        i, j, confidence, lift = self._rule_arrays
        return {
            "rows": torch.from_numpy(np.array(i, dtype=np.int64)),
            "cols": torch.from_numpy(np.array(j, dtype=np.int64)),
            "confidence": torch.from_numpy(np.array(confidence, dtype=np.float32)),
            "lift": torch.from_numpy(np.array(lift, dtype=np.float32)),
            "popularity": torch.from_numpy(self.popularity),
        }

    def load_state_dict(self, state: dict[str, torch.Tensor]) -> None:
        self.popularity = state["popularity"].numpy().copy()
        self._set_rules(
            state["rows"].numpy(), state["cols"].numpy(), state["confidence"].numpy(),
            state["lift"].numpy(), len(self.popularity),
        )


@hookimpl
def shoprec_strategies() -> list[StrategySpec]:
    return [
        StrategySpec(
            name="bought_together",
            title="Bought together",
            description="Association rules from orders: what goes with what each customer bought lately.",
            params=BoughtTogetherParams,
            factory=BoughtTogether,
            family="basket",
        )
    ]
