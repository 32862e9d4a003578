"""Blend: several strategies' calibrated probabilities combined, weights fitted on validation.

Fitting hides each customer's last event, fits every member on the rest, calibrates each member
with the engine's calibration (:func:`shoprec.core.ranking.heldout.calibrate_strategy`) on the hidden
events (on each customer's standardised logits where that is truer, as for the member alone:
a member whose scale differs from customer to customer would otherwise outweigh the others for
some customers and be drowned out for the rest), then searches the mixing weights that rank the
hidden events best (NDCG@10), starting from the best single member so the blend is never worse
than it on validation. Members are then brought
up to all the data: cheap ones refitted with the hyper-parameters they chose, long-trained ones
(the transformer) continued with one short pass (:meth:`Strategy.extend`) instead of a second full
training. Per customer it falls back: a customer with
no history gets the popularity (else content) member's probabilities; items nobody interacted with
yet get the content member's probabilities, the only member that knows them.

The logit returned is log(p / (1 - p)) of the blended probability, so the engine's own calibration
on top is close to the identity.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, is_dataclass
from typing import Any

import numpy as np
import torch
from shoprec.core import hookimpl
from shoprec.core.contracts.progress import Cancelled, CancelToken, ProgressFn, check, report
from shoprec.core.contracts.strategy import (
    Reason,
    Strategy,
    StrategyKit,
    StrategySpec,
    param,
    params_from_dict,
)
from shoprec.core.data.dataset import Dataset
from shoprec.core.data.split import holdout_last
from shoprec.core.ranking.calibration import Calibration
from shoprec.core.ranking.heldout import calibrate_strategy
from shoprec.core.ranking.metrics import ndcg_hr, split_ties_rank
from shoprec.core.ranking.tuning import coordinate_search, default_budget

from ._collab import few_threads_for_small_work

DEFAULT_MEMBERS = "transformer,ease,als,itemknn,bought_together,content,popularity"
WEIGHT_GRID = (0.0, 0.3, 1.0, 0.1, 3.0)
USER_FALLBACK = ("popularity", "content")
ITEM_FALLBACK = ("content",)
MIXES = ("linear", "geometric")  # Σ w·p, or exp Σ w·log p (rewards agreement between members)
VALIDATION_USERS = 4000  # customers whose hidden event weighs the members (seeded sample)
CANDIDATES = 50  # each member's top items per customer that the weighing ranks (see _Candidates)


@dataclass
class BlendParams:
    members: str = param(
        DEFAULT_MEMBERS,
        help="Strategies to combine, comma-separated (missing or failing ones are skipped)",
    )
    member_settings: str = param(
        "",
        help="Member parameters, ';'-separated NAME.FIELD=VALUE (e.g. transformer.time_budget_min=10)",
        advanced=True,
    )
    refit: bool = param(
        True, help="Refit members on all the data once the weights are chosen", advanced=True
    )
    tune_seconds: float = param(
        0.0,
        help="Time budget for the weight search (0 = scaled to the data size)",
        min=0.0,
        max=3600.0,
        advanced=True,
        zero="auto",
    )


class _Candidates:
    """The weighing's view of the validation customers: for each, the hidden item and every
    member's top :data:`CANDIDATES` unseen items, with every member's probability of each.

    An item that no member puts in its top 50 cannot reach a blend's top 10 in practice, so
    ranking the hidden item among these candidates gives the NDCG@10 of full ranking while
    holding customers × candidates instead of customers × catalog: thousands of validation
    customers instead of a few hundred on a large catalog, and a weight trial in milliseconds.
    """

    def __init__(self, probs: np.ndarray, valid: np.ndarray) -> None:
        self.probs = probs  # (customers, 1 + members × CANDIDATES, members); column 0 the hidden item
        self.logs = np.log(np.clip(probs, 1e-12, 1.0))
        self.valid = valid  # False for padding: repeats, the hidden item again, seen items

    @classmethod
    def build(cls, members: list[_Member], users: np.ndarray, targets: np.ndarray, seen: Any,
              cancel: CancelToken | None, batch: int = 256) -> _Candidates:
        k = len(members)
        n_items = seen.shape[1]
        m = min(CANDIDATES, n_items)
        width = 1 + k * m
        probs = np.zeros((len(users), width, k), dtype=np.float32)
        valid = np.zeros((len(users), width), dtype=bool)
        for lo in range(0, len(users), batch):
            check(cancel)
            hi = min(lo + batch, len(users))
            rows = np.arange(hi - lo)
            s = seen[lo:hi]
            seen_rows = np.repeat(rows, np.diff(s.indptr))
            seen_mask = np.zeros((hi - lo, n_items), dtype=bool)
            seen_mask[seen_rows, s.indices] = True
            member_probs = [mb.probabilities(users[lo:hi], None) for mb in members]
            cand = [targets[lo:hi, None]]
            for p in member_probs:
                q = np.where(seen_mask, -np.inf, np.asarray(p, dtype=np.float64))
                cand.append(np.argpartition(-q, m - 1, axis=1)[:, :m] if m < n_items else
                            np.tile(np.arange(n_items), (hi - lo, 1)))
            c = np.concatenate(cand, axis=1)
            order = np.argsort(c, axis=1, kind="stable")  # the hidden item (column 0) sorts first
            sc = np.take_along_axis(c, order, axis=1)
            repeat = np.zeros_like(sc, dtype=bool)
            repeat[:, 1:] = sc[:, 1:] == sc[:, :-1]
            dup = np.empty_like(repeat)
            np.put_along_axis(dup, order, repeat, axis=1)
            valid[lo:hi] = ~dup & ~seen_mask[rows[:, None], c]
            for j, p in enumerate(member_probs):
                probs[lo:hi, :, j] = np.asarray(p)[rows[:, None], c]
        return cls(probs, valid)

    def ndcg(self, w: np.ndarray, *, geometric: bool, k: int = 10,
             rows: np.ndarray | None = None) -> float:
        """Mean NDCG@k of the hidden items under the blend ``w`` (of ``rows`` only, when
        given); ties count half, as in :func:`shoprec.core.ranking.tuning.ranking_quality`."""
        gain = self.gains(w, geometric=geometric, k=k)
        if rows is not None:
            gain = gain[rows]
        return float(gain.mean()) if len(gain) else 0.0

    def gains(self, w: np.ndarray, *, geometric: bool, k: int = 10) -> np.ndarray:
        """NDCG@k of each validation customer's hidden item under the blend ``w``."""
        scores = (self.logs if geometric else self.probs) @ w
        scores = np.where(self.valid, scores, -np.inf)
        rank = split_ties_rank(scores, scores[:, 0])  # column 0 is the hidden item
        return np.where(np.isfinite(scores[:, 0]), ndcg_hr(rank, k)[0], 0.0)


@dataclass
class _Member:
    name: str
    model: Strategy
    calibration: Calibration  # uncalibrated (σ of the raw logit) when there was nothing to hold out
    weight: float = 0.0

    def probabilities(self, users: np.ndarray, items: np.ndarray | None) -> np.ndarray:
        whole = self.calibration.rows != "raw"  # a map of standardised rows needs whole rows
        logits = np.asarray(self.model.logits(users, None if whole else items), dtype=np.float64)
        logits = np.nan_to_num(logits, nan=-1e30, posinf=1e30, neginf=-1e30)
        if whole:
            logits = self.calibration.prepare(logits)
            logits = logits if items is None else logits[:, items]
        return self.calibration.probabilities(logits)


def parse_member_settings(text: str) -> dict[str, dict[str, str]]:
    """``"transformer.time_budget_min=10; ease.l2=300"`` -> ``{"transformer": {...}, "ease": {...}}``."""
    out: dict[str, dict[str, str]] = {}
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        key, eq, value = part.partition("=")
        name, dot, field = key.strip().partition(".")
        if not eq or not dot or not name or not field.strip():
            raise ValueError(f"blend: member setting {part!r} is not NAME.FIELD=VALUE")
        out.setdefault(name, {})[field.strip()] = value.strip()
    return out


def _tuned_params(model: Strategy) -> Any:
    """The member's parameters with its automatic choices fixed, so a refit skips the search."""
    tuned = getattr(model, "tuned_params", None)
    return tuned() if callable(tuned) else model.params


class Blend(Strategy):
    name = "blend"
    Params = BlendParams

    def __init__(self, params: BlendParams | None = None) -> None:
        super().__init__(params)
        self.members: list[_Member] = []
        self.mix = "linear"
        self.tuning = None
        self.skipped: dict[str, str] = {}
        #: The member the blend reduced to when no weighting beat it on held-back customers.
        self.reduced_to = ""
        self._counts: np.ndarray | None = None
        self._counts_of: int | None = None

    # -- fitting ---------------------------------------------------------------------------
    def _member_names(self) -> list[str]:
        names = [n.strip() for n in self.params.members.split(",") if n.strip()]
        return [n for n in dict.fromkeys(names) if n != self.name]

    def _fit_member(
        self,
        spec: StrategySpec,
        params: Any,
        data: Dataset,
        progress: ProgressFn | None,
        cancel: CancelToken | None,
    ) -> Strategy:
        return self._kit().fit(spec, params, data, device=self.device, seed=self.seed,
                               progress=progress, cancel=cancel)

    def _kit(self) -> StrategyKit:
        if self.kit is None:
            raise ValueError("blend: fit or load it through the engine, which lends it the other "
                             "strategies (shoprec.core.engine.fit_strategy)")
        return self.kit

    def fit(
        self,
        dataset: Dataset,
        progress: ProgressFn | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        self.dataset = dataset
        with few_threads_for_small_work(dataset.n_events):
            self._fit(dataset, progress, cancel)

    def _fit(self, dataset: Dataset, progress: ProgressFn | None, cancel: CancelToken | None) -> None:
        self.members, self.skipped, self.reduced_to = [], {}, ""
        specs = self._kit().specs()
        names = self._member_names()
        settings = parse_member_settings(self.params.member_settings)
        train, users, positives = holdout_last(dataset, 1)
        validated = len(users) >= 2
        if not validated:
            train = dataset
        steps = len(names) * 2 + 1
        for n, name in enumerate(names):
            check(cancel)
            report(progress, n, steps, f"blend: fitting {name}")
            if name not in specs:
                self.skipped[name] = "not installed"
                continue
            try:
                params = (params_from_dict(specs[name].params, settings[name])
                          if name in settings else specs[name].params())
                model = self._fit_member(specs[name], params, train, None, cancel)
                cal = Calibration()  # too few held-out events: σ(logit) as it is
                if validated:
                    fitted = calibrate_strategy(
                        model, train, users, positives, horizon=1, seed=self.seed, cancel=cancel,
                        rows="auto",
                    )
                    if fitted.calibrated and fitted.a <= 0:
                        self.skipped[name] = fitted.note or "its scores did not rank held-out events"
                        continue
                    if fitted.calibrated:
                        cal = fitted
            except Cancelled:
                raise
            except Exception as exc:  # e.g. EASE refusing a large catalog: blend the others
                self.skipped[name] = f"{type(exc).__name__}: {exc}".splitlines()[0]
                continue
            self.members.append(_Member(name, model, cal))
        if not self.members:
            raise ValueError(
                "blend: no member strategy could be fitted ("
                + "; ".join(f"{k}: {v}" for k, v in self.skipped.items()) + ")"
            )
        if validated:
            self._weigh(train, users, positives, dataset, progress, cancel)
        else:
            for m in self.members:
                m.weight = 1.0
        report(progress, len(names) + 1, steps, "blend: " + self.describe())
        self._bring_up_to(dataset, refit=self.params.refit and validated, progress=progress,
                          cancel=cancel, step=(len(names) + 1, steps))
        report(progress, steps, steps, "blend: done")

    def _bring_up_to(self, dataset: Dataset, *, refit: bool, progress: ProgressFn | None,
                     cancel: CancelToken | None, step: tuple[int, int] = (0, 1)) -> None:
        """Members that score (or fall back) learn ``dataset``: cheap ones are refitted with the
        parameters they chose, long-trained ones continue (``extend``), the rest only update."""
        specs = self._kit().specs()
        first, steps = step
        for n, m in enumerate(self.members):
            check(cancel)
            if not (m.weight > 0 or m.name in USER_FALLBACK + ITEM_FALLBACK):
                continue
            if not refit:
                m.model.update(dataset)
            elif m.model.refit_from_scratch:
                report(progress, first + n, steps, f"blend: refitting {m.name}")
                m.model = self._fit_member(specs[m.name], _tuned_params(m.model), dataset, None,
                                           cancel)
            else:
                report(progress, first + n, steps, f"blend: {m.name} learns the latest events")
                m.model.extend(dataset, None, cancel)
            m.model.dataset = dataset
        self.dataset = dataset

    # The engine calibrates on a held-out tail and then asks for a model of all the data: the
    # weights stay, the members catch up (a full second blend fit would train every member twice).
    refit_from_scratch = False

    def extend(self, dataset: Dataset, progress: ProgressFn | None = None,
               cancel: CancelToken | None = None) -> None:
        self._sync()
        self._bring_up_to(dataset, refit=self.params.refit, progress=progress, cancel=cancel)

    def _weigh(
        self,
        train: Dataset,
        users: np.ndarray,
        positives: list[np.ndarray],
        dataset: Dataset,
        progress: ProgressFn | None,
        cancel: CancelToken | None,
    ) -> None:
        rng = np.random.default_rng(self.seed)
        pick = np.sort(rng.choice(len(users), size=min(VALIDATION_USERS, len(users)), replace=False))
        vusers = users[pick]
        targets = np.array([positives[j][0] for j in pick], dtype=np.int64)
        cands = _Candidates.build(self.members, vusers, targets, train.matrix()[vusers], cancel)

        # Weights are tuned on two thirds of the validation customers and must prove themselves
        # on the other third against the best single member, or the blend is that member alone:
        # a blend is never worse than the best strategy it blends (tuned weights fit noise too).
        order = rng.permutation(len(vusers))
        check_rows = np.sort(order[: len(order) // 3])
        tune_rows = np.sort(order[len(order) // 3 :])

        def weights(choice: dict[str, Any]) -> np.ndarray:
            return np.array([choice[m.name] for m in self.members], dtype=np.float32)

        def evaluate(choice: dict[str, Any]) -> float:
            w = weights(choice)
            if w.sum() <= 0:
                return -math.inf
            return cands.ndcg(w, geometric=choice["mix"] == "geometric", rows=tune_rows)

        # start from the best single member: the blend can only move away from it if that helps
        singles = []
        for m in self.members:
            check(cancel)
            singles.append(evaluate({"mix": "linear", **{x.name: float(x is m) for x in self.members}}))
        best = int(np.argmax(singles))
        start = {"mix": "linear", **{m.name: float(j == best) for j, m in enumerate(self.members)}}
        space: dict[str, tuple] = {m.name: WEIGHT_GRID for j, m in enumerate(self.members) if j != best}
        space["mix"] = MIXES
        self.tuning = coordinate_search(
            space, start, evaluate,
            budget_seconds=default_budget(dataset, self.params.tune_seconds),
            progress=progress, cancel=cancel,
        )
        chosen = self.tuning.best
        if chosen != start:
            blended = cands.gains(weights(chosen), geometric=chosen["mix"] == "geometric")[check_rows]
            single = cands.gains(weights(start), geometric=False)[check_rows]
            diff = blended - single
            se = float(diff.std(ddof=1) / math.sqrt(len(diff))) if len(diff) > 1 else math.inf
            if not (len(diff) and diff.mean() > 0 and diff.mean() >= se):
                self.reduced_to = self.members[best].name
                chosen = start
        self.mix = chosen["mix"]
        total = sum(chosen[m.name] for m in self.members)
        for m in self.members:
            m.weight = chosen[m.name] / total

    def describe(self) -> str:
        if self.reduced_to:
            return (f"{self.reduced_to} alone: no blend beat it on customers the weights were "
                    "not tuned on")
        parts = [f"{m.name} {m.weight:.2f}" for m in self.members if m.weight > 0]
        return f"{self.mix} mix, weights " + ", ".join(parts)

    # -- scoring ---------------------------------------------------------------------------
    def _member(self, names: tuple[str, ...]) -> _Member | None:
        for name in names:
            for m in self.members:
                if m.name == name:
                    return m
        return None

    def _sync(self) -> None:
        """Members score with the blend's current dataset and device."""
        for m in self.members:
            if m.model.dataset is not self.dataset and self.dataset is not None:
                m.model.dataset = self.dataset
            m.model.device = self.device

    def _interactions(self) -> np.ndarray:
        if self._counts is None or self._counts_of != id(self.dataset):
            self._counts = np.asarray(self.dataset.matrix().sum(axis=0)).ravel()
            self._counts_of = id(self.dataset)
        return self._counts

    def logits(self, users: np.ndarray, items: np.ndarray | None = None) -> np.ndarray:
        if not self.members:
            raise RuntimeError("blend: the model is not fitted")
        self._sync()
        users = np.asarray(users, dtype=np.int64)
        active = [m for m in self.members if m.weight > 0]
        if self.mix == "geometric":
            p = np.exp(sum(m.weight * np.log(np.clip(m.probabilities(users, items), 1e-12, 1.0))
                           for m in active))
        else:
            p = sum(m.weight * m.probabilities(users, items) for m in active)
        counts = self._interactions()
        known = (users >= 0) & (users < self.dataset.n_users)
        has_history = np.zeros(len(users), dtype=bool)
        if known.any():
            indptr = self.dataset.indptr
            has_history[known] = indptr[users[known] + 1] > indptr[users[known]]
        cold_user = self._member(USER_FALLBACK)
        if cold_user is not None and not has_history.all():
            p[~has_history] = cold_user.probabilities(users[~has_history], items)
        new_item_member = self._member(ITEM_FALLBACK)
        cols = np.arange(len(counts)) if items is None else np.asarray(items, dtype=np.int64)
        new = counts[cols] == 0
        if new_item_member is not None and new.any():
            p[:, new] = new_item_member.probabilities(users, cols[new])
        p = np.clip(np.asarray(p, dtype=np.float64), 1e-12, 1 - 1e-12)
        return np.log(p / (1 - p)).astype(np.float32)

    def similar_items(self, item: int, n: int = 10) -> list[tuple[int, float]]:
        for m in sorted(self.members, key=lambda m: -m.weight):
            found = m.model.similar_items(item, n)
            if found:
                return found
        return []

    def explain(self, user: int, item: int) -> list[Reason]:
        """The strongest weighted member's reasons, preferring ones that name history items."""
        self._sync()
        fallback: list[Reason] = []
        for m in sorted(self.members, key=lambda m: -m.weight):
            if m.weight <= 0 and fallback:
                break
            reasons = m.model.explain(user, item)
            if any(r.item >= 0 for r in reasons):
                return reasons
            fallback = fallback or reasons
        return fallback

    def update(self, dataset: Dataset, users: np.ndarray | None = None) -> None:
        self.dataset = dataset
        for m in self.members:
            m.model.update(dataset, users)
            m.model.dataset = dataset

    # -- state -----------------------------------------------------------------------------
    def state_dict(self) -> dict[str, torch.Tensor]:
        meta = [
            {
                "name": m.name,
                "calibration": m.calibration.map_dict(),
                "weight": m.weight,
                "params": asdict(m.model.params) if is_dataclass(m.model.params) else {},
            }
            for m in self.members
        ]
        blob = json.dumps({"mix": self.mix, "members": meta, "reduced_to": self.reduced_to}).encode()
        state = {"members_json": torch.tensor(list(blob), dtype=torch.uint8)}
        for m in self.members:
            for key, value in m.model.state_dict().items():
                state[f"{m.name}.{key}"] = value.detach().cpu().contiguous()
        return state

    def load_state_dict(self, state: dict[str, torch.Tensor]) -> None:
        saved = json.loads(bytes(state["members_json"].tolist()).decode())
        self.mix, meta = saved["mix"], saved["members"]
        self.reduced_to = str(saved.get("reduced_to", ""))
        specs = self._kit().specs()
        self.members = []
        for entry in meta:
            spec = specs.get(entry["name"])
            if spec is None:
                raise ValueError(f"blend: member strategy {entry['name']!r} is not installed")
            model = spec.create(params_from_dict(spec.params, entry["params"]))
            model.device = self.device
            prefix = entry["name"] + "."
            model.load_state_dict(
                {k[len(prefix):]: v for k, v in state.items() if k.startswith(prefix)}
            )
            if "calibration" in entry:
                cal = Calibration.from_dict(entry["calibration"])
            else:  # saved before members kept a whole calibration: σ(a·logit + b)
                cal = Calibration(a=entry["a"], b=entry["b"])
            self.members.append(_Member(entry["name"], model, cal, entry["weight"]))


@hookimpl
def shoprec_strategies() -> list[StrategySpec]:
    return [
        StrategySpec(
            name="blend",
            title="Blend",
            description="Combines the other strategies' calibrated scores with weights fitted on validation.",
            params=BlendParams,
            factory=Blend,
            family="hybrid",
        )
    ]
