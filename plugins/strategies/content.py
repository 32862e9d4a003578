"""Content: recommend items whose text resembles what the customer bought, viewed or liked.

Item vectors come from :mod:`shoprec.core.models.text` over title, category, vendor and description
(the bundled MiniLM model, any local model folder, or character n-gram TF-IDF for any script).
A customer's profile is a recency-weighted sum of the vectors of their latest interactions
(purchases weigh more than views; ratings below the middle of the scale push away). The logit of
an item is the cosine between profile and item, so a brand-new item nobody has bought yet is
recommended as soon as its text resembles the customer's taste (cold start), and "similar items"
are the nearest item texts.

Without any product text (a dataset built from orders alone) content has nothing to compare: it
ranks by popularity, says so in every explanation, and the logits stay finite.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import torch
from shoprec.core import hookimpl
from shoprec.core.contracts.progress import CancelToken, ProgressFn, check, report
from shoprec.core.contracts.strategy import Reason, Strategy, StrategySpec, param
from shoprec.core.data.dataset import EVENT_VERBS as _VERBS
from shoprec.core.data.dataset import TYPE_CODE, Dataset
from shoprec.core.models.text import choose_encoder, dataset_texts, encode_items
from shoprec.core.ranking.metrics import mean_list_ndcg
from shoprec.core.ranking.tuning import coordinate_search, default_budget

#: How much each event type says about taste (ratings are scaled by their value instead).
TYPE_WEIGHTS = {
    TYPE_CODE["purchase"]: 1.0,
    TYPE_CODE["cart"]: 0.7,
    TYPE_CODE["fav"]: 0.7,
    TYPE_CODE["view"]: 0.3,
    TYPE_CODE["rating"]: 1.0,
}
#: Profile memories tried on validation when ``half_life`` is 0: (half-life, events kept), the
#: likeliest first. Measured (bench/RESULTS.md, cold start on ml-latest-small): movies reward a
#: long memory (50 / 200: NDCG@10 0.079 against 0.072 for 10 / 50).
MEMORIES = ((10.0, 50), (3.0, 20), (25.0, 100), (50.0, 200), (200.0, 1000))
#: Popularity only breaks ties (and ranks for customers without history); it never outweighs text.
TIE_BREAK = 1e-3
NO_TEXT = (
    "The catalog has no product text (titles, descriptions, categories), so content cannot "
    "compare products; it ranks by popularity. Import a product catalog to use it."
)


@dataclass
class ContentParams:
    encoder: str = param(
        "auto",
        help="Text model: auto (MiniLM for Latin-script text, else TF-IDF), minilm, tfidf, "
        "or the folder of a local Hugging Face model (e.g. a Chinese one)",
    )
    half_life: float = param(
        0.0,
        help="Recency: an interaction this many events back counts half as much as the latest "
        "(0 = chosen on validation, with the history length)",
        min=0.0,
        max=1000.0,
        zero="auto",
    )
    max_history: int = param(
        50, help="How many of the latest interactions form the profile (when half_life is set)",
        min=1, max=5000,
    )
    tune_seconds: float = param(
        0.0, help="Time budget for choosing the memory (0 = scaled to the data size)", min=0.0,
        max=3600.0, advanced=True,
        zero="auto",
    )
    popularity_weight: float = param(
        0.0,
        help="Blend in popularity (0 = text only, so new items compete on equal terms)",
        min=0.0,
        max=1.0,
        advanced=True,
    )


def _cold_split(dataset: Dataset, seed: int, max_users: int = 2000):
    """(train, hidden items, users, each user's hidden items as positions in ``hidden``) with a
    fifth of the interacted items hidden; None when there is too little to measure."""
    positive = dataset.types != TYPE_CODE["refund"]
    rating = dataset.types == TYPE_CODE["rating"]
    value = np.nan_to_num(dataset.values, nan=np.inf)  # a rating without a value counts as liked
    middle = np.where(value > 5, 5.5, 3.0)  # of a 1-10 or a 1-5 scale, as in _rating_weight
    liked = positive & ~(rating & (value < middle))
    counts = np.bincount(dataset.items[positive], minlength=dataset.n_items)
    eligible = np.flatnonzero(counts > 0)
    if len(eligible) < 10:
        return None
    rng = np.random.default_rng(seed)
    hidden = np.sort(rng.choice(eligible, size=len(eligible) // 5, replace=False))
    is_hidden = np.zeros(dataset.n_items, dtype=bool)
    is_hidden[hidden] = True
    train = dataset.with_events(~is_hidden[dataset.items])
    has_rest = np.diff(train.indptr) > 0
    pick = liked & is_hidden[dataset.items] & has_rest[dataset.users]
    users = np.unique(dataset.users[pick])
    if len(users) < 2:
        return None
    if len(users) > max_users:
        users = np.sort(rng.choice(users, size=max_users, replace=False))
    position = np.full(dataset.n_items, -1)
    position[hidden] = np.arange(len(hidden))
    u, i = dataset.users[pick], dataset.items[pick]  # events come sorted by user
    lo, hi = np.searchsorted(u, users), np.searchsorted(u, users, side="right")
    targets = [np.unique(position[i[a:b]]) for a, b in zip(lo, hi, strict=True)]
    return train, hidden, users.astype(np.int64), targets


def _rating_weight(value: float) -> float:
    """Ratings on a 1-5 (or 1-10) scale: above the middle attracts, below repels."""
    if not np.isfinite(value):
        return 1.0
    top = 10.0 if value > 5 else 5.0
    return float((value - (top + 1) / 2) / ((top - 1) / 2))


class Content(Strategy):
    name = "content"
    Params = ContentParams

    def __init__(self, params: ContentParams | None = None) -> None:
        super().__init__(params)
        self.item_vecs: torch.Tensor | None = None  # (I, d) L2-normalised, zeros without text
        self.profiles: torch.Tensor | None = None  # (U, d), unnormalised weighted sums
        self.popularity: torch.Tensor | None = None  # (I,) in [0, 1]
        self.has_text = False
        self.encoder_used = ""
        self.tuning = None
        #: The profile memory in use: (half-life, interactions kept).
        self.memory: tuple[float, int] = (float(self.params.half_life) or MEMORIES[0][0],
                                          int(self.params.max_history))

    # -- fitting ---------------------------------------------------------------------------
    def fit(
        self,
        dataset: Dataset,
        progress: ProgressFn | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        self.dataset = dataset
        self._encode(dataset, progress, cancel)
        check(cancel)
        if self.params.half_life > 0:
            self.memory = (float(self.params.half_life), int(self.params.max_history))
        else:
            self.memory = self._tune(dataset, progress, cancel)
        self.profiles = self._profiles(dataset, np.arange(dataset.n_users), cancel)
        report(progress, 1, 1, "Content: profiles ready", encoder=self.encoder_used)

    def _encode(
        self, dataset: Dataset, progress: ProgressFn | None, cancel: CancelToken | None
    ) -> None:
        texts = dataset_texts(dataset)
        self.has_text = any(t.strip() for t in texts)
        counts = dataset.item_counts().astype(np.float64)
        pop = np.log1p(counts)
        self.popularity = torch.from_numpy(
            (pop / max(pop.max(initial=0.0), 1e-9)).astype(np.float32)
        )
        if not self.has_text:
            report(progress, 1, 1, "Content: no product text; ranking by popularity")
            self.item_vecs = torch.zeros((dataset.n_items, 1))
            self.encoder_used = "none"
            return
        choice = choose_encoder(texts, self.params.encoder)
        vecs = encode_items(
            texts,
            encoder=choice,
            device=self.device,
            progress=progress,
            cancel=cancel,
            cache=dataset.workspace_path,
        )
        self.item_vecs = torch.from_numpy(vecs)
        self.encoder_used = choice

    def _tune(self, dataset: Dataset, progress: ProgressFn | None,
              cancel: CancelToken | None) -> tuple[float, int]:
        """The memory of :data:`MEMORIES` that best ranks items nobody had yet.

        Content's own job is the new product, so validation mimics one: a seeded fifth of the
        items with interactions is hidden (every event of them removed), and each customer who
        had one of them ranks all hidden items from a profile of the rest (NDCG@10). Measured:
        "the customer's next interaction" as the target chose short memories that rank new
        arrivals worse (bench/RESULTS.md).
        """
        split = _cold_split(dataset, self.seed)
        if split is None or not self.has_text:
            return MEMORIES[0]
        train, hidden, users, targets = split
        vecs = torch.nn.functional.normalize(self.item_vecs[torch.from_numpy(hidden)], dim=1)

        def evaluate(candidate: dict) -> float:
            self.memory = candidate["memory"]
            prof = torch.nn.functional.normalize(self._profiles(train, users, cancel), dim=1)
            return mean_list_ndcg((prof @ vecs.T).numpy(), targets)

        self.tuning = coordinate_search(
            {"memory": MEMORIES}, {"memory": MEMORIES[0]}, evaluate,
            budget_seconds=default_budget(dataset, self.params.tune_seconds),
            progress=progress, cancel=cancel,
        )
        report(progress, 1, 1, "Content: memory " + self.tuning.summary())
        return self.tuning.best["memory"]

    def tuned_params(self) -> ContentParams:
        """These parameters with the chosen memory fixed (a refit skips the search)."""
        return replace(self.params, half_life=self.memory[0], max_history=self.memory[1])

    def describe(self) -> str:
        return f"half-life {self.memory[0]:g} events, latest {self.memory[1]}"

    def _weights(self, dataset: Dataset, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
        """(items, weights) of one user's latest events that shape the profile."""
        half_life, max_history = self.memory
        start = max(lo, hi - 4 * int(max_history))  # refunds are dropped below
        items = dataset.items[start:hi]
        types = dataset.types[start:hi]
        keep = types != TYPE_CODE["refund"]
        items, types, values = items[keep], types[keep], dataset.values[start:hi][keep]
        items, types, values = (a[-int(max_history) :] for a in (items, types, values))
        n = len(items)
        age = np.arange(n - 1, -1, -1, dtype=np.float64)
        w = 0.5 ** (age / float(half_life))
        tw = np.array([TYPE_WEIGHTS.get(int(t), 0.0) for t in types])
        is_rating = types == TYPE_CODE["rating"]
        if is_rating.any():
            tw[is_rating] = [_rating_weight(float(v)) for v in values[is_rating]]
        return items, (w * tw).astype(np.float32)

    def _profiles(
        self, dataset: Dataset, users: np.ndarray, cancel: CancelToken | None
    ) -> torch.Tensor:
        d = self.item_vecs.shape[1]
        out = torch.zeros((len(users), d))
        if not self.has_text:
            return out
        indptr = dataset.indptr
        vecs = self.item_vecs.numpy()
        for row, u in enumerate(users):
            if row % 2000 == 0:
                check(cancel)
            items, w = self._weights(dataset, int(indptr[u]), int(indptr[u + 1]))
            if len(items):
                out[row] = torch.from_numpy(w @ vecs[items])
        return out

    def update(self, dataset: Dataset, users: np.ndarray | None = None) -> None:
        """New events or items: re-encode changed texts (cached) and refresh those profiles."""
        if self.item_vecs is None or self.profiles is None:
            raise RuntimeError("content: the model is not fitted")
        self.dataset = dataset
        before = self.item_vecs
        self._encode(dataset, None, None)
        # TF-IDF re-bases every vector when the catalog changes: then all profiles move.
        same_basis = self.encoder_used != "tfidf" and before.shape[1] == self.item_vecs.shape[1]
        if users is None or len(self.profiles) != dataset.n_users or not same_basis:
            self.profiles = self._profiles(dataset, np.arange(dataset.n_users), None)
        else:
            users = np.asarray(users, dtype=np.int64)
            self.profiles[torch.from_numpy(users)] = self._profiles(dataset, users, None)

    # -- scoring ---------------------------------------------------------------------------
    def _ready(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        if self.item_vecs is None or self.profiles is None or self.popularity is None:
            raise RuntimeError("content: the model is not fitted")
        return self.item_vecs, self.profiles, self.popularity

    def logits(self, users: np.ndarray, items: np.ndarray | None = None) -> np.ndarray:
        vecs, profiles, pop = self._ready()
        if items is not None:
            items = np.asarray(items, dtype=np.int64)
            vecs, pop = vecs[torch.from_numpy(items)], pop[torch.from_numpy(items)]
        users = np.asarray(users, dtype=np.int64)
        known = (users >= 0) & (users < len(profiles))
        p = torch.zeros((len(users), profiles.shape[1]))
        if known.any():
            p[torch.from_numpy(np.flatnonzero(known))] = profiles[torch.from_numpy(users[known])]
        p = torch.nn.functional.normalize(p, dim=1)  # zero rows stay zero
        cos = p @ vecs.T
        w = float(self.params.popularity_weight)
        out = (1.0 - w) * cos + (w + TIE_BREAK) * pop.unsqueeze(0)
        return out.numpy().astype(np.float32)

    def similar_items(self, item: int, n: int = 10) -> list[tuple[int, float]]:
        vecs, _, _ = self._ready()
        v = vecs[int(item)]
        if not self.has_text or float(v.norm()) == 0.0:
            return []
        sims = (vecs @ v).numpy().copy()
        sims[int(item)] = -np.inf
        top = np.argsort(-sims, kind="stable")[:n]
        return [(int(j), float(sims[j])) for j in top if sims[j] > 0]

    def explain(self, user: int, item: int) -> list[Reason]:
        vecs, _, _ = self._ready()
        if not self.has_text:
            return [Reason(item=-1, weight=0.0, text=NO_TEXT)]
        ds = self.dataset
        if ds is None or user < 0 or user >= ds.n_users:
            return []
        if float(vecs[int(item)].norm()) == 0.0:
            return [Reason(item=-1, weight=0.0, text="this product has no text to compare")]
        lo, hi = int(ds.indptr[user]), int(ds.indptr[user + 1])
        items, w = self._weights(ds, lo, hi)
        if not len(items):
            return []
        contrib = w * (vecs[torch.from_numpy(items.astype(np.int64))] @ vecs[int(item)]).numpy()
        best: dict[int, float] = {}
        for h, c in zip(items.tolist(), contrib.tolist(), strict=True):
            best[h] = best.get(h, 0.0) + c
        verbs = {
            int(i): _VERBS.get(int(t), "bought")
            for i, t in zip(ds.items[lo:hi], ds.types[lo:hi], strict=True)
        }
        reasons = []
        for h, c in sorted(best.items(), key=lambda kv: -kv[1])[:3]:
            if c <= 0:
                break
            label = str(ds.catalog.title[h]) or str(ds.item_ids[h])
            reasons.append(
                Reason(item=h, weight=float(c), text=f"similar to {label}, which you {verbs[h]}")
            )
        return reasons

    # -- state -----------------------------------------------------------------------------
    def state_dict(self) -> dict[str, torch.Tensor]:
        vecs, profiles, pop = self._ready()
        return {
            "item_vectors": vecs.contiguous(),
            "profiles": profiles.contiguous(),
            "popularity": pop.contiguous(),
            "has_text": torch.tensor([int(self.has_text)], dtype=torch.int8),
            "memory": torch.tensor([self.memory[0], float(self.memory[1])], dtype=torch.float64),
        }

    def load_state_dict(self, state: dict[str, torch.Tensor]) -> None:
        self.item_vecs = state["item_vectors"].float()
        self.profiles = state["profiles"].float()
        self.popularity = state["popularity"].float()
        self.has_text = bool(int(state["has_text"][0]))
        if "memory" in state:  # (models saved before the memory was chosen keep the params')
            self.memory = (float(state["memory"][0]), int(state["memory"][1]))


@hookimpl
def shoprec_strategies() -> list[StrategySpec]:
    return [
        StrategySpec(
            name="content",
            title="Similar products (content)",
            description="For new products and for customers with little history: recommends "
            "products whose title, category, brand and description resemble what each customer "
            "bought, so a product can be suggested before anyone has bought it. Where customers "
            "have long histories, the other methods rank better.",
            params=ContentParams,
            factory=Content,
            family="content",
        )
    ]
