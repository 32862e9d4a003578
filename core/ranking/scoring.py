"""From any strategy's raw logits to the lists a shop owner sees.

The pipeline, once for all strategies (:class:`ListBuilder`):

1. ``logits = strategy.logits(users)``; customers with no history get the popularity fallback.
2. ``s = calibration(logit)`` (:class:`~shoprec.core.ranking.calibration.Calibration`, a monotone map:
   Platt's ``σ(a·logit + b)`` or an isotonic curve, of the raw logits or of each customer's
   standardised logits): a probability of the calibration's stated event.
3. Filters (:mod:`shoprec.core.ranking.rules`): seen items (repeat-purchase items excepted), catalogue
   rules, then ``s ≥ θ``.
4. Variants of one product collapsed to the best-scored one.
5. Balance: MMR over item similarity with strength ``diversity`` in [0, 1] (0 = pure score
   order) and an optional per-category cap.
6. Top-N, each item with a reason that is true for the customer (core.reasons): the history
   item that raised its score (``strategy.explain``) or that others took with it
   (co-occurrence), the item itself when it is a repeat or was looked at, else "popular in the
   shop" - never a returned item, never a fee.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..contracts.progress import CancelToken, ProgressFn, check, report
from ..contracts.strategy import Strategy
from ..data.dataset import TYPE_CODE, Dataset
from ..data.merchandise import non_products
from ..data.similarity import ItemSimilarity
from .calibration import Calibration
from .reasons import POPULAR, REASON_TYPE_NAMES, STRATEGY, TYPE_STRENGTH, render
from .rules import ListRules, SeenFilter, catalog_allowed, repeat_items

STRATEGY_WORDS = "\x00words:"  # internal marker: a reason in the strategy's own words
#: Event type code -> the suffix of the reason codes naming it (core.reasons).
REASON_TYPES: dict[int, str] = {TYPE_CODE[t]: t for t in REASON_TYPE_NAMES}

SOURCE_STRATEGY = "strategy"
SOURCE_FALLBACK = "fallback"  # known customer without history: popularity
SOURCE_UNKNOWN = "unknown"  # customer id not in the workspace: popularity


@dataclass(frozen=True, kw_only=True)
class Recommendation:
    """One line of a list. ``item`` is the dataset index; ``item_id`` the shop's own id."""

    rank: int
    item: int
    item_id: str
    title: str
    score: float  # calibrated probability of the run's stated event
    reason: str  # in English (files, terminals); front ends say ``reason_code`` in their language
    because: tuple[str, ...] = ()  # shop ids of the history items that drove it
    reason_code: str = ""  # core.reasons: "popular", "again_<type>", "because_<type>"
    reason_item: int = -1  # dataset index of the history item the reason names (-1: none)
    reason_title: str = ""  # that item's title, for front ends that say the reason themselves


@dataclass(frozen=True, kw_only=True)
class CustomerList:
    """One customer's list. ``user`` is the dataset index (-1 for an unknown customer id)."""

    customer_id: str
    user: int
    items: tuple[Recommendation, ...]
    source: str = SOURCE_STRATEGY
    candidates_above_threshold: int = 0  # how many items passed θ before the top-N cap
    # Whatever θ is: the customer's best listable score, and the top-N-th one (the highest θ
    # at which their list would be full); None where they have fewer listable items.
    best_score: float | None = None
    nth_score: float | None = None


@dataclass(frozen=True, kw_only=True)
class ListSettings:
    """How lists are cut: θ, top-N, rules, diversity strength, explanations on/off.

    ``threshold`` θ is an owner's opt-in filter ("only items at least θ likely"), off (0) by
    default: calibrated retail probabilities are small (a few per cent for most items), so a
    default such as 0.5 left nearly every list empty on real shops. Lists are the top-N by score
    with each item's probability shown; an owner who wants only likely items raises θ.
    """

    top_n: int = 10
    threshold: float = 0.0
    diversity: float = 0.0
    rules: ListRules = field(default_factory=ListRules)
    explain: bool = True

    def __post_init__(self) -> None:
        if self.top_n < 1:
            raise ValueError(f"top_n must be at least 1 (got {self.top_n})")
        if not 0.0 <= self.threshold <= 1.0:
            raise ValueError(f"threshold θ must lie in [0, 1] (got {self.threshold})")
        if not 0.0 <= self.diversity <= 1.0:
            raise ValueError(f"diversity must lie in [0, 1] (got {self.diversity})")

    def as_dict(self) -> dict:
        return {
            "top_n": self.top_n,
            "threshold": self.threshold,
            "diversity": self.diversity,
            "rules": self.rules.as_dict(),
            "explain": self.explain,
        }


def diversify(
    candidates: np.ndarray,
    scores: np.ndarray,
    n: int,
    *,
    strength: float,
    similarity: ItemSimilarity | None,
    categories: np.ndarray | None = None,
    max_per_category: int = 0,
) -> np.ndarray:
    """Pick ``n`` of ``candidates`` (sorted best first) by MMR: (1-λ)·score − λ·max similarity.

    ``strength`` λ = 0 keeps score order. ``max_per_category`` > 0 caps items per category.
    """
    if strength <= 0 and max_per_category <= 0:
        return candidates[:n]
    sim = similarity.block(candidates, candidates) if strength > 0 and similarity else None
    chosen: list[int] = []
    per_cat: dict[str, int] = {}
    free = np.ones(len(candidates), dtype=bool)
    max_sim = np.zeros(len(candidates))
    while len(chosen) < n and free.any():
        value = (1 - strength) * scores - strength * max_sim
        value = np.where(free, value, -np.inf)
        j = int(np.argmax(value))
        free[j] = False
        if max_per_category > 0 and categories is not None:
            cat = str(categories[candidates[j]])
            if cat and per_cat.get(cat, 0) >= max_per_category:
                continue
            per_cat[cat] = per_cat.get(cat, 0) + 1
        chosen.append(j)
        if sim is not None:
            max_sim = np.maximum(max_sim, sim[j])
    return candidates[np.array(chosen, dtype=np.int64)]


class ListBuilder:
    """Builds lists for customers of ``ds`` from a fitted strategy and its calibration."""

    def __init__(
        self,
        ds: Dataset,
        strategy: Strategy,
        calibration: Calibration,
        settings: ListSettings | None = None,
        *,
        fallback: Strategy | None = None,
        fallback_calibration: Calibration | None = None,
        similarity: ItemSimilarity | None = None,
    ) -> None:
        self.ds = ds
        self.strategy = strategy
        self.calibration = calibration
        self.settings = settings or ListSettings()
        self.fallback = fallback or strategy
        self.fallback_calibration = fallback_calibration or calibration
        self.similarity = similarity or ItemSimilarity(ds)
        rules = self.settings.rules
        self.repeat = repeat_items(ds)
        self.seen = SeenFilter(ds, rules, self.repeat)
        self.allowed = catalog_allowed(ds.catalog, rules)
        # Postage, fees, vouchers...: never listed, never a reason (core.merchandise).
        self.non_product = (
            non_products(ds)[0] if rules.exclude_non_products else np.zeros(ds.n_items, dtype=bool)
        )
        self.allowed = self.allowed & ~self.non_product
        counts = np.diff(ds.indptr)
        positive = np.bincount(
            ds.users[ds.types != TYPE_CODE["refund"]], minlength=ds.n_users
        )
        self.has_history = (counts > 0) & (positive > 0)
        # Ties in a strategy's scores (nothing personal to go on) are broken by what sells,
        # not by the order items were imported in.
        self.popularity = np.bincount(
            ds.items[ds.types != TYPE_CODE["refund"]], minlength=ds.n_items
        ).astype(np.float64)
        strength = {TYPE_CODE[t]: k for k, t in enumerate(TYPE_STRENGTH)}
        # A plugin's strategy may say its reasons in its own words (still checked against the
        # customer's history); the built-in ones are said through reason codes (core.reasons).
        self._own_words = not type(strategy).__module__.startswith("shoprec.")
        self._strength = np.full(max(TYPE_CODE.values()) + 1, len(TYPE_STRENGTH), dtype=np.int64)
        for code, rank in strength.items():
            self._strength[code] = rank

    # -- one batch -------------------------------------------------------------------------
    def _rows(
        self, users: np.ndarray, cold: bool
    ) -> tuple[np.ndarray, np.ndarray, Calibration, np.ndarray]:
        """(logits, the rows as the calibration map reads them, that map, excluded items) of a
        batch. Probabilities are computed for each row's candidates only (:meth:`_candidates`):
        for a whole catalogue of 24k items the map took most of the list stage."""
        if cold:
            model, cal = self.fallback, self.fallback_calibration
        else:
            model, cal = self.strategy, self.calibration
        logits = np.asarray(model.logits(np.maximum(users, 0)), dtype=np.float32)
        if logits.shape != (len(users), self.ds.n_items):
            raise ValueError(
                f"strategy {model.name!r} returned logits of shape {logits.shape}, "
                f"expected {(len(users), self.ds.n_items)}"
            )
        logits = np.nan_to_num(logits, nan=-1e30, posinf=1e30, neginf=-1e30)
        prepared = cal.prepare(logits)
        excluded = ~self.allowed[None, :]
        if not cold:
            excluded = excluded | self.seen.excluded(users)
        return logits, prepared, cal, np.broadcast_to(excluded, logits.shape)

    def _candidates(
        self, logits: np.ndarray, prepared: np.ndarray, cal: Calibration, excluded: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """For a batch of rows at once: (the best ``pool`` items per row by logit, unordered;
        the masked logits; listable items per row; items per row reaching θ; the pool's
        probabilities). The whole-catalogue work happens here, vectorised over the batch;
        :meth:`_pick` then only looks at a row's pool (lists for 31k customers over 24k items
        spent minutes in per-row passes)."""
        allowed = ~excluded
        n_allowed = allowed.sum(axis=1)
        # Order by the strategy's own logits: σ saturates in float32 and must not create ties.
        masked = np.where(allowed, logits, -np.inf)
        pool = min(max(5 * self.settings.top_n, 50), logits.shape[1])
        if pool < logits.shape[1]:
            import torch  # (here: importing this module must stay light for the command line)

            # torch's top-k: 6-12x numpy's argpartition on 256 x 24k rows, on two threads
            cand = torch.from_numpy(np.ascontiguousarray(masked)).topk(pool, dim=1).indices.numpy()
        else:
            cand = np.broadcast_to(np.arange(logits.shape[1]), logits.shape)
        threshold = self.settings.threshold
        if threshold <= 0:  # θ off: every listable item "reaches" it
            n_ok = n_allowed
        else:
            n_ok = (allowed & (cal.probabilities(prepared) >= threshold)).sum(axis=1)
        pool_probs = cal.probabilities(np.take_along_axis(prepared, cand, axis=1))
        return cand, masked, n_allowed, n_ok, pool_probs

    def _pick(
        self, cand: np.ndarray, masked: np.ndarray, probs: np.ndarray, n_allowed: int, n_ok: int
    ) -> tuple[np.ndarray, int, float | None, float | None]:
        """(list items, how many items reach θ, the best listable score, the top-N-th one) of
        one row, from its pool of candidates (:meth:`_candidates`).

        The candidates are the best listable items by logit, variants collapsed, before θ: the
        map is monotone in each row's logits, so θ then only cuts the end off them, and the
        same candidates tell how low θ must go for a full list."""
        s = self.settings
        if n_allowed == 0:
            return np.zeros(0, dtype=np.int64), 0, None, None
        cand = cand[masked[cand] > -np.inf]  # (a pool larger than what is listable)
        # best first; ties by how well the item sells, then by index
        cand = cand[np.lexsort((cand, -self.popularity[cand], -masked[cand]))]
        if s.rules.collapse_variants:
            groups = self.seen.groups[cand]
            _, first = np.unique(groups, return_index=True)
            cand = cand[np.sort(first)]
        if not len(cand):
            return np.zeros(0, dtype=np.int64), 0, None, None
        best = float(probs[cand[0]])
        nth = float(probs[cand[s.top_n - 1]]) if len(cand) >= s.top_n else None
        cand = cand[probs[cand] >= s.threshold]
        if not len(cand):
            return np.zeros(0, dtype=np.int64), n_ok, best, nth
        picked = diversify(
            cand,
            probs[cand].astype(np.float64),
            s.top_n,
            strength=s.diversity,
            similarity=self.similarity,
            categories=self.ds.catalog.category,
            max_per_category=s.rules.max_per_category,
        )
        return picked, n_ok, best, nth

    # -- explanations ----------------------------------------------------------------------
    def _title(self, i: int) -> str:
        title = str(self.ds.catalog.title[i] or "")
        return title or str(self.ds.item_ids[i])

    def _history(self, u: int) -> tuple[np.ndarray, np.ndarray]:
        """(distinct items, the event type each reason names) of a customer's history: their
        strongest positive event per item (bought > rated > carted > saved > viewed); items
        only returned, and things that are not products, are left out."""
        lo, hi = self.ds.indptr[u], self.ds.indptr[u + 1]
        items, types = self.ds.items[lo:hi], self.ds.types[lo:hi]
        keep = np.isin(types, list(REASON_TYPES)) & ~self.non_product[items]
        items, types = items[keep], types[keep]
        if not len(items):
            return items.astype(np.int64), types
        order = np.lexsort((self._strength[types], items))
        items, types = items[order], types[order]
        first = np.r_[True, items[1:] != items[:-1]]
        return items[first].astype(np.int64), types[first]

    def _reasons(
        self, u: int, picked: np.ndarray, logits: np.ndarray, source: str
    ) -> list[tuple[str, int]]:
        """(reason code, dataset index of the item it names or -1) per picked item; every
        reason true for this customer (see core.reasons)."""
        if source != SOURCE_STRATEGY or not len(picked):
            return [(POPULAR, -1)] * len(picked)
        hist, htypes = self._history(u)
        if not len(hist):
            return [(POPULAR, -1)] * len(picked)
        type_of = dict(zip(hist.tolist(), htypes.tolist(), strict=True))
        # A customer whose scores do not tell the listed items apart gets them for selling well.
        tied = len(picked) > 1 and np.ptp(logits[picked]) == 0
        sims: np.ndarray | None = None  # customers' shared interactions (H, P), when needed
        weights = self._strategy_weights(u, hist, picked)
        out: list[tuple[str, int]] = []
        for col, i in enumerate(picked.tolist()):
            own = type_of.get(i)
            if own is not None:  # the item itself: a repeat purchase, or something they looked at
                out.append((f"again_{REASON_TYPES[own]}", i))
                continue
            if tied or not self.strategy.personal:  # nothing personal chose it: it sells well
                out.append((POPULAR, -1))
                continue
            if weights is not None:
                w = np.where(hist == i, 0.0, weights[:, col])
                best = int(np.argmax(w)) if len(w) else 0
                h, text = (int(hist[best]), "") if len(w) and w[best] > 0 else (-1, "")
            else:
                h, text = self._strategy_reason(u, i, type_of)
            if h >= 0 and text and self._own_words:
                out.append((STRATEGY_WORDS + text, h))
                continue
            if h < 0:
                if sims is None:
                    sims = self.similarity.block(hist, picked)
                s = sims[:, col]
                best = int(np.argmax(s))
                h = int(hist[best]) if s[best] > 0 else -1
            if h < 0:
                out.append((POPULAR, -1))
            else:
                out.append((f"because_{REASON_TYPES[type_of[h]]}", h))
        return out

    def reason(self, u: int, i: int) -> tuple[str, str, int]:
        """(text in English, reason code, dataset index of the item it names or -1) for item
        ``i`` shown to customer ``u``: the same true reason a list line gets (audiences use it)."""
        if u < 0 or u >= self.ds.n_users or not self.has_history[u]:
            code, h = POPULAR, -1
        else:
            code, h = self._reasons(u, np.array([i], dtype=np.int64),
                                    np.zeros(self.ds.n_items, dtype=np.float32), SOURCE_STRATEGY)[0]
        rec = self._recommendation(1, int(i), 0.0, code, h)
        return rec.reason, rec.reason_code, rec.reason_item

    def _strategy_weights(self, u: int, hist: np.ndarray, picked: np.ndarray) -> np.ndarray | None:
        """The strategy's (history × listed items) reason weights in one call, when it gives
        them and its reasons are said through codes; else None (explained item by item)."""
        if not self.settings.explain or self._own_words:
            return None
        try:
            w = self.strategy.reason_weights(u, hist, picked)
        except Exception:  # an explanation must never cost the customer their list
            return None
        if w is None or np.shape(w) != (len(hist), len(picked)):
            return None
        return np.nan_to_num(np.asarray(w, dtype=np.float64), nan=0.0, posinf=0.0, neginf=0.0)

    def _strategy_reason(self, u: int, i: int, type_of: dict[int, int]) -> tuple[int, str]:
        """(the history item the strategy says raised item ``i``'s score most, or -1 when none
        it can vouch for; the strategy's own words for it). Only items in the customer's own
        history, with a positive weight."""
        if not self.settings.explain:
            return -1, ""
        try:
            reasons = self.strategy.explain(u, i)
        except Exception:  # an explanation must never cost the customer their list
            return -1, ""
        best, weight, text = -1, 0.0, ""
        for r in reasons or []:
            if r.item != i and r.item in type_of and r.weight > weight:
                best, weight, text = int(r.item), float(r.weight), r.text or ""
        return best, text

    def _recommendation(self, rank: int, i: int, score: float, code: str, h: int) -> Recommendation:
        text = ""
        if code.startswith(STRATEGY_WORDS):  # a third-party strategy's own words, kept as given
            code, text = STRATEGY, code[len(STRATEGY_WORDS):]
        return Recommendation(
            rank=rank,
            item=i,
            item_id=str(self.ds.item_ids[i]),
            title=str(self.ds.catalog.title[i] or ""),
            score=score,
            reason=text or render(code, self._title(h) if h >= 0 else ""),
            because=(str(self.ds.item_ids[h]),) if h >= 0 else (),
            reason_code=code,
            reason_item=h,
            reason_title=self._title(h) if h >= 0 else "",
        )

    # -- all customers ---------------------------------------------------------------------
    def build(
        self,
        users: np.ndarray | None = None,
        *,
        customer_ids: list[str] | None = None,
        batch: int = 256,
        progress: ProgressFn | None = None,
        cancel: CancelToken | None = None,
    ) -> list[CustomerList]:
        """Lists for dataset users (index -1 = unknown customer, named in ``customer_ids``)."""
        users = np.arange(self.ds.n_users) if users is None else np.asarray(users, dtype=np.int64)
        names = (
            customer_ids
            if customer_ids is not None
            else [str(self.ds.user_ids[u]) if u >= 0 else "" for u in users]
        )
        known = users >= 0
        warm = np.zeros(len(users), dtype=bool)
        warm[known] = self.has_history[users[known]]
        out: list[CustomerList | None] = [None] * len(users)
        done = 0
        for is_cold in (False, True):
            positions = np.flatnonzero(~warm if is_cold else warm)
            for start in range(0, len(positions), batch):
                check(cancel)
                pos = positions[start : start + batch]
                chunk = users[pos]
                logits, prepared, cal, excluded = self._rows(chunk, cold=is_cold)
                pools, masked, n_allowed, n_oks, pool_probs = self._candidates(
                    logits, prepared, cal, excluded)
                probs = np.full(self.ds.n_items, np.nan, dtype=np.float32)  # the pool's, by item
                for row, p in enumerate(pos):
                    u = int(chunk[row])
                    probs[:] = np.nan
                    probs[pools[row]] = pool_probs[row]
                    picked, n_ok, best, nth = self._pick(pools[row], masked[row], probs,
                                                         int(n_allowed[row]), int(n_oks[row]))
                    source = (
                        SOURCE_STRATEGY if not is_cold else SOURCE_FALLBACK if u >= 0 else SOURCE_UNKNOWN
                    )
                    reasons = self._reasons(u, picked, logits[row], source)
                    recs = [
                        self._recommendation(rank, int(i), float(probs[i]), code, h)
                        for rank, (i, (code, h)) in enumerate(zip(picked, reasons, strict=True), 1)
                    ]
                    out[p] = CustomerList(
                        customer_id=names[p],
                        user=u,
                        items=tuple(recs),
                        source=source,
                        candidates_above_threshold=n_ok,
                        best_score=best,
                        nth_score=nth,
                    )
                done += len(pos)
                report(progress, done, len(users), "building lists")
        return [x for x in out if x is not None]


def half_full_theta(summary: dict[str, float]) -> float | None:
    """The θ, to three decimals and rounded down, at which half the customers of a list
    summary would get a full list; None for summaries from before it was measured."""
    full = summary.get("median_full_list_score")
    return None if full is None else math.floor(1000 * full) / 1000


def summarize_lists(
    lists: list[CustomerList],
    n_items: int,
    similarity: ItemSimilarity | None = None,
    top_n: int | None = None,
) -> dict[str, float]:
    """What a shop owner notices about a set of lists: length, coverage, diversity, fallbacks;
    with ``top_n``, how many lists are full (``full_lists``)."""
    if not lists:
        out0: dict[str, float] = {"customers": 0, "mean_length": 0.0, "empty_lists": 0, "coverage": 0.0}
        if top_n is not None:
            out0["full_lists"] = 0
        return out0
    lengths = np.array([len(cl.items) for cl in lists])
    shown = {r.item for cl in lists for r in cl.items}
    out: dict[str, float] = {
        "customers": len(lists),
        "mean_length": float(lengths.mean()),
        "empty_lists": int((lengths == 0).sum()),
        "fallback_lists": int(sum(cl.source != SOURCE_STRATEGY for cl in lists)),
        "coverage": len(shown) / n_items if n_items else 0.0,
        "mean_score": float(np.mean([r.score for cl in lists for r in cl.items])) if shown else 0.0,
    }
    if top_n is not None:
        out["full_lists"] = int((lengths >= top_n).sum())
    # What θ does, whatever it was: half the customers have an item scored at least
    # ``median_best_score``, and would get a full list at θ = ``median_full_list_score``.
    for key, attr in (("median_best_score", "best_score"), ("median_full_list_score", "nth_score")):
        values = [getattr(cl, attr) for cl in lists]
        if any(v is not None for v in values):  # too few listable items: counted as the lowest
            out[key] = float(np.median([0.0 if v is None else v for v in values]))
    if similarity is not None:
        ild = [similarity.intra_list_diversity(np.array([r.item for r in cl.items])) for cl in lists[:2000]]
        ild = [x for x in ild if x is not None]
        out["intra_list_diversity"] = float(np.mean(ild)) if ild else 0.0
    return out

