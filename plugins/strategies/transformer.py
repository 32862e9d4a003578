"""The built-in ``transformer`` strategy: customer profiles from a causal transformer.

p_u is the encoder's state after the customer's latest event, p_i the tied item table
(:mod:`shoprec.core.models.transformer`); ``logits`` returns <p_u, p_i> and the engine calibrates σ. Where
customers come back to items they already had (views before a purchase, re-orders) the learned
repeat term of :class:`~shoprec.core.models.transformer.RepeatScorer` adds ``copy_ui`` for the items of
their recent events (``repeat``; "auto" turns it on when at least 5 % of events revisit an item).
Without it the lists leave out what a customer had, and so does training (``exclude_seen``): each
step's softmax ranks only the items not yet in the window, repeat purchases and the target excepted.
Defaults are what a shop owner gets: the window length follows the shop's history lengths, the
validation NDCG@10 on held-out last events stops training early, and a time budget bounds it.
``update`` refreshes profiles by a forward pass (new customers and new events, no retraining);
``fine_tune`` optionally trains briefly on the affected customers' events.
"""

from __future__ import annotations

import dataclasses
import json
import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from shoprec.core import hookimpl
from shoprec.core.contracts.progress import CancelToken, ProgressFn, check, report
from shoprec.core.contracts.strategy import Reason, Strategy, StrategySpec, param
from shoprec.core.data.dataset import Dataset
from shoprec.core.models import transformer as prof
from shoprec.core.ranking.rules import repeat_items

from ._collab import item_columns, reasons_from_weights, user_history

#: Largest events × items trained with the full softmax by default. An epoch of it costs about
#: events × items × d multiply-adds three times over (forward and backward); at this bound that is
#: a few minutes on a laptop CPU. ML-1M (1M events × 3.4k items), Amazon Video (0.29M × 24k) and
#: the Taobao head (84k × 55k) all fall under it; past it, a softmax over sampled negatives
#: ("sce") costs far less. gBCE learned nothing in 8 epochs on ML-1M where the sampled softmax
#: kept pace with the full one (bench/RESULTS.md), so it is no longer chosen by itself.
CE_MAX_WORK = 2e10
#: ``repeat="auto"`` learns the repeat term when at least this share of events revisit an item
#: the same customer already had (Taobao head: 63 % of purchases were viewed first; ML-1M: 0).
#: The time budget covers the whole `train`: the final pass over the held-out events gets at most
#: ``PASS_SHARE`` of it; what follows the loop (profiles, calibration, the lists) gets a reserve
#: sized from the loop's own epoch time (``AFTER_EPOCHS`` epochs), at least :func:`after_min_s` and
#: at most ``AFTER_SHARE`` of the budget; the loop gets the rest, less the item text vectors.
#: The reserve was a fixed 27 % before: a "1 minute" demo run took 5 minutes when the loop had
#: the whole budget, 69 s with 0.75 / 0.10, and ML-1M's 30 minutes left 9 unused on a quiet
#: machine (bench/RESULTS.md).
PASS_SHARE = 0.08
AFTER_SHARE = 0.27
AFTER_EPOCHS = 2.0
#: If the text vectors took most of the budget the loop still gets this share (the run overruns).
MIN_LOOP_SHARE = 0.16


def after_min_s(budget_s: float) -> float:
    """The least reserve after the loop: 20 s and 4 % of the budget (a short budget: its share)."""
    return min(AFTER_SHARE * budget_s, 20.0 + 0.04 * budget_s)


REPEAT_MIN_SHARE = 0.05
#: On a small shop the batch shrinks (to 16 at least) so that an epoch is at least this many
#: steps. ml-latest-small's 610 customers made 10 steps an epoch at 64; at 16, the Compare's
#: protocol scored NDCG@10 0.0413 after a 1.5-minute budget (64: 0.0176) and 0.0553 after
#: 4 minutes (64: 0.0491); ML-1M (6,040) keeps 64 (bench/RESULTS.md).
MIN_STEPS = 40


@dataclass
class TransformerParams:
    d_model: int = param(64, help="Width of profiles and item vectors", min=8, max=1024)
    n_layers: int = param(2, help="Transformer blocks", min=1, max=12)
    n_heads: int = param(2, help="Attention heads per block (must divide the width)", min=1,
                         max=16, advanced=True)
    max_len: int = param(200, help="Longest history window in events (shorter when every "
                         "customer's history is shorter)", min=2, max=2048)
    dropout: float = param(0.1, help="Dropout while training", min=0.0, max=0.9, advanced=True)
    loss: str = param("auto", help="ce: full softmax cross-entropy (best ranking); sce: softmax "
                      "over sampled negatives (cheaper on large catalogs); gbce: gBCE with "
                      "sampled negatives; auto: ce while events × items stays under 2·10¹⁰, "
                      "else sce", choices=("auto", "ce", "sce", "gbce"))
    negatives: int = param(1024, help="Sampled negatives per step (sce and gbce)", min=1, max=65536,
                           advanced=True)
    lr: float = param(2e-3, help="Adam learning rate", min=1e-5, max=1.0, advanced=True)
    batch_size: int = param(64, help="History windows per training step (fewer on a small shop, "
                            "down to 16, so that a pass over the data has at least 40 steps)",
                            min=1, max=4096,
                            advanced=True)
    max_epochs: int = param(200, help="Most passes over the training events", min=1, max=10000)
    windows: str = param("latest", help="Training events per epoch: latest (each customer's "
                         "latest max_len events, as SASRec trains) or all (long histories cut "
                         "into several windows)", choices=("latest", "all"), advanced=True)
    patience: int = param(5, help="Epochs without validation gain before training ends (after "
                          "a short cooldown of the learning rate when it is still high)", min=1,
                          max=1000, advanced=True)
    time_budget_min: float = param(30.0, help="Minutes the whole training may take: learning, "
                                   "checking the scores and one pass over the latest events",
                                   min=0.05, max=10000.0)
    text: str = param("auto", help="Item text features: auto (when most items have text), "
                      "minilm, tfidf or off", choices=("auto", "minilm", "tfidf", "off"))
    event_features: bool = param(True, help="Use event type, quantity and time gaps",
                                 advanced=True)
    repeat: str = param("auto", help="Learned bonus for items of the customer's recent events "
                        "(buying what one viewed, re-orders): auto (when at least 5 % of events "
                        "revisit an item), on or off; needs the ce loss",
                        choices=("auto", "on", "off"))
    exclude_seen: bool = param(True, help="While learning, choose each next product only among "
                               "those the customer has not had yet, as the lists do (full "
                               "softmax without the repeat bonus)", advanced=True)


def _returning(dataset: Dataset, cfg: prof.TrainConfig) -> np.ndarray | None:
    """The items training keeps in the softmax after a customer had them: the repeat purchases
    that the lists show again (:func:`~shoprec.core.ranking.rules.repeat_items`)."""
    return repeat_items(dataset) if cfg.exclude_seen else None


class TransformerStrategy(Strategy):
    name = "transformer"
    Params = TransformerParams

    def __init__(self, params: TransformerParams | None = None) -> None:
        super().__init__(params)
        self.encoder: prof.SequenceEncoder | None = None
        self.profiles: torch.Tensor | None = None  # (U, d) float32
        self.items: torch.Tensor | None = None  # (I, d) float32, cached item_vectors()
        self.fallback: torch.Tensor | None = None  # (d,) profile of a customer with no events
        self.result: prof.TrainingOutcome | None = None
        self._sig = np.zeros((0, 2), dtype=np.int64)  # per customer: events, item checksum
        self._has = torch.zeros(0, dtype=torch.bool)
        #: Repeat bonus per (customer, item) as COO triples; empty without the repeat term.
        self.bonus: prof.Bonus = prof.empty_bonus()
        #: Customers whose profiles the last ``update`` recomputed.
        self.last_refreshed = np.zeros(0, dtype=np.int64)
        #: Optional checkpoint file for resumable training (set by the caller, e.g. the CLI).
        self.checkpoint: Path | None = None
        #: Optional ``hook(encoder, elapsed_s)`` after every epoch (benchmarks record curves).
        self.eval_hook = None

    # -- fitting ---------------------------------------------------------------------------
    def _configs(self, dataset: Dataset, seqs: prof.EventSequences, text_dim: int):
        p = self.params
        lengths = seqs.lengths()
        longest = int(np.percentile(lengths[lengths > 0], 99)) if (lengths > 0).any() else 1
        enc = prof.EncoderConfig(
            n_items=dataset.n_items,
            d_model=p.d_model,
            n_layers=p.n_layers,
            n_heads=p.n_heads,
            max_len=int(max(2, min(p.max_len, longest))),
            dropout=p.dropout,
            text_dim=text_dim,
            use_types=p.event_features and len(np.unique(seqs.types)) > 1,
            use_quantity=p.event_features and bool(np.ptp(seqs.qty) > 0) if len(seqs.qty) else False,
            use_gaps=p.event_features and len(np.unique(seqs.gaps)) > 2,
        )
        loss = p.loss
        if loss == "auto":
            work = float(len(seqs.tokens)) * float(dataset.n_items)
            loss = "ce" if work <= CE_MAX_WORK else "sce"
        repeat = p.repeat == "on" or (p.repeat == "auto" and loss == "ce"
                                      and prof.repeat_share(seqs) >= REPEAT_MIN_SHARE)
        if repeat and loss != "ce":
            raise ValueError("transformer: repeat=on needs loss=ce (set loss to ce or repeat to off)")
        # Item vectors enter the blocks times sqrt(d) (SASRec) unless the repeat term is on:
        # measured on the Taobao head (bench/RESULTS.md), the scaling lifts next-item training
        # without the repeat term (NDCG@10 0.135 against 0.002) and spoils it with it (0.367
        # against 0.403); on ML-1M and Amazon Video (no repeats) it is what the defaults
        # were measured with.
        enc = dataclasses.replace(enc, repeat=repeat, scale_items=not repeat)
        train = prof.TrainConfig(
            loss=loss,
            negatives=p.negatives,
            lr=p.lr,
            batch_size=p.batch_size,
            min_steps=MIN_STEPS,
            max_epochs=p.max_epochs,
            patience=p.patience,
            time_budget_s=p.time_budget_min * 60.0 * (1.0 - PASS_SHARE),
            reserve_s=after_min_s(p.time_budget_min * 60.0),
            reserve_epochs=AFTER_EPOCHS,
            reserve_max_s=AFTER_SHARE * p.time_budget_min * 60.0,
            windows=p.windows,
            exclude_seen=p.exclude_seen and loss == "ce" and not repeat,
        )
        return enc, train

    def _text(self, dataset: Dataset, progress: ProgressFn | None,
              cancel: CancelToken | None) -> torch.Tensor | None:
        if self.params.text == "off" or dataset.n_items == 0:
            return None
        from shoprec.core.models import text

        texts = text.dataset_texts(dataset)
        if self.params.text == "auto" and sum(bool(t.strip()) for t in texts) < 0.5 * len(texts):
            return None
        vecs = text.encode_items(texts, encoder="auto" if self.params.text == "auto"
                                 else self.params.text, device=self.device, progress=progress,
                                 cancel=cancel, cache=dataset.workspace_path)
        return torch.from_numpy(np.ascontiguousarray(vecs, dtype=np.float32))

    def fit(
        self,
        dataset: Dataset,
        progress: ProgressFn | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        check(cancel)
        started = time.monotonic()
        self.dataset = dataset
        seqs = prof.EventSequences(dataset)
        text_vecs = self._text(dataset, progress, cancel)
        enc_cfg, train_cfg = self._configs(dataset, seqs, 0 if text_vecs is None
                                            else text_vecs.shape[1])
        # The item text vectors (and the sequences) came out of the same budget.
        spent = time.monotonic() - started
        budget = self.params.time_budget_min * 60.0
        train_cfg = dataclasses.replace(
            train_cfg, time_budget_s=max(train_cfg.time_budget_s - spent,
                                         MIN_LOOP_SHARE * budget + train_cfg.reserve_max_s))
        torch.manual_seed(self.seed)
        self.encoder = prof.SequenceEncoder(enc_cfg, text_vecs)
        self.result = prof.train_encoder(
            self.encoder, seqs, train_cfg, device=self.device, seed=self.seed,
            progress=progress, cancel=cancel, checkpoint=self.checkpoint,
            eval_hook=self.eval_hook, returning=_returning(dataset, train_cfg),
        )
        self._refresh(seqs, np.arange(dataset.n_users))
        report(progress, 1, 1, "transformer: profiles ready",
               epochs=self.result.epochs, val_ndcg10=self.result.best_val_ndcg)

    def training_summary(self) -> dict[str, Any]:
        r = self.result
        if r is None:
            return {}
        return {"epochs": r.epochs, "best_epoch": r.best_epoch, "stopped": r.stopped,
                "cooldown_epoch": r.cooldown_epoch,
                "best_val_ndcg10": round(float(r.best_val_ndcg), 4),
                "seconds": round(float(r.history[-1]["elapsed_s"]), 1) if r.history else 0.0}

    def _refresh(self, seqs: prof.EventSequences, users: np.ndarray) -> None:
        """Recompute the profiles of ``users`` (a forward pass) and the cached item vectors."""
        assert self.encoder is not None
        self.encoder.to(self.device).eval()
        with torch.no_grad():
            self.items = self.encoder.item_vectors().detach().float().cpu()
        n_users = seqs.n_users
        d = self.encoder.config.d_model
        if self.profiles is None:
            self.profiles = torch.zeros(n_users, d)
        elif self.profiles.shape[0] < n_users:
            grow = torch.zeros(n_users - self.profiles.shape[0], d)
            self.profiles = torch.cat([self.profiles, grow])
        elif self.profiles.shape[0] > n_users:
            self.profiles = self.profiles[:n_users].clone()
        users = np.asarray(users, dtype=np.int64)
        if len(users):
            profiles, (r, c, v) = prof.encode_profiles(self.encoder, seqs, users,
                                                       device=self.device)
            self.profiles[torch.as_tensor(users)] = profiles
            bu, bi, bv = self.bonus
            keep = ~np.isin(bu, users) & (bu < n_users)
            bu, bi, bv = (np.concatenate([bu[keep], users[r]]), np.concatenate([bi[keep], c]),
                          np.concatenate([bv[keep], v]))
            order = np.argsort(bu, kind="stable")  # kept sorted by customer for scoring
            self.bonus = (bu[order], bi[order], bv[order])
        sig = _signatures(seqs)
        if len(self._sig) != len(sig):  # customers added (or removed) since the last refresh
            grown = np.full((len(sig), 2), -1, dtype=np.int64)
            n = min(len(sig), len(self._sig))
            grown[:n] = self._sig[:n]
            self._sig = grown
        self._sig[np.asarray(users, dtype=np.int64)] = sig[np.asarray(users, dtype=np.int64)]
        has = torch.from_numpy(self._sig[:, 0] > 0)
        self._has = has
        # a customer with no events gets the average profile: popular, broadly liked items
        self.fallback = (self.profiles[has].mean(0) if has.any() else torch.zeros(d))

    # -- staying current ---------------------------------------------------------------------
    def changed_users(self, dataset: Dataset) -> np.ndarray:
        """Customers whose history differs from the one their stored profile was computed from."""
        sig = _signatures(prof.EventSequences(dataset))
        old = self._sig
        n = min(len(old), len(sig))
        changed = np.flatnonzero((sig[:n] != old[:n]).any(axis=1))
        return np.concatenate([changed, np.arange(n, len(sig))]).astype(np.int64)

    def update(self, dataset: Dataset, users: np.ndarray | None = None) -> None:
        """Attach ``dataset`` and re-encode ``users`` by a forward pass (None: every customer
        whose history changed since the profiles were computed); new items get text vectors."""
        self.dataset = dataset
        if self.encoder is None:
            return
        self._grow_items(dataset)
        seqs = prof.EventSequences(dataset)
        todo = self.changed_users(dataset) if users is None else np.asarray(users, np.int64)
        self._refresh(seqs, todo)
        self.last_refreshed = todo

    def _grow_items(self, dataset: Dataset) -> None:
        """Items added after training get a zero free embedding (their text vector, if any)."""
        enc = self.encoder
        assert enc is not None
        old = enc.config.n_items
        if dataset.n_items <= old:
            return
        extra = dataset.n_items - old
        cfg = prof.EncoderConfig(**{**json.loads(enc.config.to_json()), "n_items": dataset.n_items})
        text_vecs = None
        if cfg.text_dim:
            fresh = self._text(dataset, None, None)
            text_vecs = fresh if fresh is not None and fresh.shape[1] == cfg.text_dim else \
                torch.cat([enc.text.cpu(), torch.zeros(extra, cfg.text_dim)])
        grown = prof.SequenceEncoder(cfg, text_vecs)
        state = {k: v for k, v in enc.state_dict().items() if k != "text"}
        w = state["item_emb.weight"]
        state["item_emb.weight"] = torch.cat([w, torch.zeros(extra, w.shape[1], dtype=w.dtype)])
        grown.load_state_dict(state, strict=False)
        self.encoder = grown

    # Training takes minutes to its full budget: after calibration the engine continues from the
    # fitted model on the held-out tail (one short pass) instead of training a second time.
    refit_from_scratch = False

    def extend(self, dataset: Dataset, progress: ProgressFn | None = None,
               cancel: CancelToken | None = None) -> None:
        """One short pass over every customer's events, so the held-out tail is learned too."""
        self.fine_tune(dataset, np.arange(dataset.n_users), epochs=1, progress=progress,
                       cancel=cancel)

    def fine_tune(self, dataset: Dataset, users: np.ndarray, epochs: int = 1,
                  progress: ProgressFn | None = None, cancel: CancelToken | None = None) -> None:
        """Train briefly (``epochs`` passes at a tenth of the learning rate) on ``users``' events."""
        if self.encoder is None:
            raise RuntimeError("transformer: the model is not fitted")
        self._grow_items(dataset)
        self.dataset = dataset
        keep = np.isin(dataset.users, np.asarray(users))
        seqs = prof.EventSequences(dataset.with_events(keep))
        _, cfg = self._configs(dataset, seqs, 0)
        cfg = prof.TrainConfig(**{**cfg.__dict__, "lr": cfg.lr / 10, "max_epochs": epochs,
                                  "warmup_steps": 1, "n_val_users": 0, "reserve_s": 0.0,
                                  "reserve_epochs": 0.0, "reserve_max_s": math.inf,
                                  "time_budget_s": self.params.time_budget_min * 60.0 * PASS_SHARE})
        prof.train_encoder(self.encoder, seqs, cfg, device=self.device, seed=self.seed,
                           progress=progress, cancel=cancel, returning=_returning(dataset, cfg))
        self._refresh(prof.EventSequences(dataset), np.arange(dataset.n_users))

    # -- scoring ---------------------------------------------------------------------------
    def _user_vectors(self, users: np.ndarray) -> torch.Tensor:
        assert self.profiles is not None and self.fallback is not None
        users = np.asarray(users, dtype=np.int64)
        known = (users >= 0) & (users < self.profiles.shape[0])
        out = self.fallback.expand(len(users), -1).clone()
        if known.any():
            idx = torch.from_numpy(users[known])
            rows = self.profiles[idx]
            empty = ~self._has[idx] if len(self._has) >= self.profiles.shape[0] else \
                torch.zeros(len(idx), dtype=torch.bool)
            rows[empty] = self.fallback
            out[torch.from_numpy(known)] = rows
        return out

    def logits(self, users: np.ndarray, items: np.ndarray | None = None) -> np.ndarray:
        if self.profiles is None or self.items is None:
            raise RuntimeError("transformer: the model is not fitted")
        vecs = self.items
        cols = item_columns(items, vecs.shape[0])
        if cols is not None:
            vecs = vecs[torch.from_numpy(cols)]
        out = self._user_vectors(users) @ vecs.T
        out = self._add_repeat_bonus(out, np.asarray(users, dtype=np.int64), cols)
        return torch.nan_to_num(out, nan=0.0).numpy().astype(np.float32, copy=False)

    def _add_repeat_bonus(self, out: torch.Tensor, users: np.ndarray,
                          cols: np.ndarray | None) -> torch.Tensor:
        bu, bi, bv = self.bonus
        if not len(bu) or not len(users):
            return out
        rows, sel = _matches(bu, users)  # bonus entries of each requested customer
        items, vals = bi[sel], bv[sel]
        if cols is not None:  # the requested items' column positions (an item may repeat)
            order = np.argsort(cols, kind="stable")
            at, hit = _matches(cols[order], items)
            rows, items, vals = rows[at], order[hit], vals[at]
        return prof.add_bonus(out, (rows, items, vals))

    def similar_items(self, item: int, n: int = 10) -> list[tuple[int, float]]:
        if self.items is None or not 0 <= item < self.items.shape[0]:
            return []
        v = F.normalize(self.items, dim=1)
        sims = (v @ v[item]).numpy().astype(np.float64)
        sims[item] = -np.inf
        top = np.argsort(-sims, kind="stable")[:n]
        return [(int(j), float(sims[j])) for j in top if np.isfinite(sims[j]) and sims[j] > 0]

    def explain(self, user: int, item: int) -> list[Reason]:
        """The customer's history items whose vectors are closest to ``item``'s. (An item the
        customer already had, which the repeat term may score, is explained by the engine's
        list builder: "you looked at this recently".)"""
        history = user_history(self.dataset, user)
        if len(history) == 0 or self.items is None or not 0 <= item < self.items.shape[0]:
            return []
        history = history[history < self.items.shape[0]]
        v = self._unit_items()
        weights = (v[torch.from_numpy(history)] @ v[item]).numpy()
        return reasons_from_weights(self.dataset, user, history, weights)

    def reason_weights(self, user: int, history: np.ndarray, items: np.ndarray) -> np.ndarray | None:
        if self.items is None:
            return None
        # numpy, not torch: a (history x 10) product is microseconds, and torch's per-call
        # dispatch to its thread pool made it milliseconds on a busy CPU (3.8 ms against 29 us
        # a customer measured at load 11: two minutes for Amazon Video's 31k customers).
        v = self._unit_items().numpy()
        n = v.shape[0]
        history = np.asarray(history, dtype=np.int64)
        items = np.asarray(items, dtype=np.int64)
        out = np.zeros((len(history), len(items)))
        hk, ik = history < n, items < n  # items newer than the model say nothing
        if hk.any() and ik.any():
            out[np.ix_(hk, ik)] = v[history[hk]] @ v[items[ik]].T
        return out

    def _unit_items(self) -> torch.Tensor:
        """Unit-length item vectors, computed once per item matrix (lists explain ten items
        for every customer: normalising the whole matrix each time made lists for 22k
        customers take over 15 minutes)."""
        cached = getattr(self, "_unit_cache", None)
        if cached is None or cached[0] is not self.items:
            cached = (self.items, F.normalize(self.items, dim=1))
            self._unit_cache = cached
        return cached[1]

    # -- state -----------------------------------------------------------------------------
    def state_dict(self) -> dict[str, torch.Tensor]:
        if self.encoder is None or self.profiles is None:
            raise RuntimeError("transformer: the model is not fitted")
        state = {f"encoder.{k}": v.detach().cpu().contiguous()
                 for k, v in self.encoder.state_dict().items()}
        state["profiles"] = self.profiles.contiguous()
        state["signatures"] = torch.from_numpy(self._sig.copy())
        bu, bi, bv = self.bonus
        state["bonus_users"] = torch.from_numpy(np.ascontiguousarray(bu, dtype=np.int64))
        state["bonus_items"] = torch.from_numpy(np.ascontiguousarray(bi, dtype=np.int64))
        state["bonus_values"] = torch.from_numpy(np.ascontiguousarray(bv, dtype=np.float32))
        config = self.encoder.config.to_json().encode()
        state["config_json"] = torch.tensor(list(config), dtype=torch.uint8)
        return state

    def load_state_dict(self, state: dict[str, torch.Tensor]) -> None:
        cfg = prof.EncoderConfig.from_json(bytes(state["config_json"].tolist()).decode())
        enc = prof.SequenceEncoder(cfg, state.get("encoder.text"))
        enc.load_state_dict({k[8:]: v for k, v in state.items() if k.startswith("encoder.")})
        self.encoder = enc.to(self.device).eval()
        with torch.no_grad():
            self.items = enc.item_vectors().detach().float().cpu()
        self.profiles = state["profiles"].float().clone()
        self._sig = state["signatures"].numpy().astype(np.int64).copy()
        self._has = torch.from_numpy(self._sig[:, 0] > 0)
        self.fallback = (self.profiles[self._has].mean(0) if self._has.any()
                         else torch.zeros(cfg.d_model))
        self.bonus = ((state["bonus_users"].numpy().copy(), state["bonus_items"].numpy().copy(),
                       state["bonus_values"].numpy().copy()) if "bonus_users" in state
                      else prof.empty_bonus())


def _matches(sorted_keys: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair (j, k) with ``sorted_keys[k] == wanted[j]``, as arrays (j..., k...)."""
    lo = np.searchsorted(sorted_keys, wanted)
    n = np.searchsorted(sorted_keys, wanted, side="right") - lo
    total = int(n.sum())
    j = np.repeat(np.arange(len(wanted)), n)
    k = np.repeat(lo, n) + np.arange(total) - np.repeat(np.cumsum(n) - n, n)
    return j, k


def _signatures(seqs: prof.EventSequences) -> np.ndarray:
    """(U, 2) int64: each customer's event count and a position-weighted checksum of items."""
    lengths = seqs.lengths()
    users = np.repeat(np.arange(seqs.n_users), lengths)
    pos = np.arange(len(seqs.tokens)) - seqs.indptr[users]
    check_sum = np.bincount(users, weights=(seqs.tokens * (pos % 97 + 1)) % 1_000_003,
                            minlength=seqs.n_users)
    return np.stack([lengths, check_sum.astype(np.int64)], axis=1)


@hookimpl
def shoprec_strategies() -> list[StrategySpec]:
    return [
        StrategySpec(
            name="transformer",
            title="Transformer profiles",
            description="A causal transformer over each customer's event sequence; profiles "
                        "p_u and item vectors p_i, scored by <p_u, p_i> (plus a learned bonus "
                        "for items the customer recently had, where the shop's customers come "
                        "back to them). Best ranking quality.",
            params=TransformerParams,
            factory=TransformerStrategy,
            family="sequential",
        )
    ]
