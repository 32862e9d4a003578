"""Multi-task: one transformer profile, several heads trained together, scored for purchases.

The customer encoder is the core's :class:`~shoprec.core.models.transformer.SequenceEncoder` (a causal
GPT-2 stack over every event: item, event type, quantity, time gap, and the item's text vector
when the catalog has real text). On the hidden state ``h`` after each event it learns:

- **next item**: the next event of any kind;
- **next purchase**: the item of the coming purchase, learned from the events just before
  purchases (``purchase_horizon``; measured on Taobao: horizon 1 ranked next purchases with
  NDCG@10 0.394 against 0.298 for "the next purchase, however far");
- **next category**: the category of the next event (when the catalog has categories);
- **rating**: the value of the next rating, ``<R h, p_i> + c`` (only where ratings exist).

The two item heads score ``<W h, p_i> + b_i + copy_i`` (tied item vectors ``p_i``; ``W`` starts as
the identity; ``b_i`` learns which items sell). ``copy_i`` is a learned *repeat* term: shoppers
mostly buy what they looked at, so every item in the customer's recent events gets
``log(1 + Σ exp(π))`` over its occurrences, where ``π`` depends on ``h``, the event type (view,
cart, ...) and how many events ago it happened. Items outside the history get 0, so new
discoveries still compete on ``<W h, p_i>``.

The loss is ``Σ w_k · loss_k``; every head's loss is reported with progress and kept in
:attr:`MultiTask.history`. Views are plentiful and purchases rare: the item and category heads
teach the shared encoder from all behaviour, the purchase head turns it into what a shop sells.
``logits`` are the purchase head's (the item head's when the data has no purchases).

Large catalogs use a sampled softmax (``negatives`` uniform negatives shared by a batch, plus every
other item of the customer's window as a hard negative), small ones the full softmax. Early
stopping watches next-purchase NDCG@10 on held-out last purchases of a sample of customers.

Why one module: a plugin is one module (one entry point); the heads, their losses and the
head selection are one model's training, built on the shared encoder in core/models.
"""

from __future__ import annotations

import dataclasses
import json
import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from shoprec.core import hookimpl
from shoprec.core.contracts.progress import CancelToken, ProgressFn, check, report
from shoprec.core.contracts.strategy import Reason, Strategy, StrategySpec, param, params_from_dict
from shoprec.core.data.dataset import EVENT_VERBS as _VERBS
from shoprec.core.data.dataset import TYPE_CODE, Dataset, type_codes
from shoprec.core.data.split import holdout_last
from shoprec.core.models.transformer import (
    EncoderConfig,
    EventSequences,
    RepeatScorer,
    SequenceEncoder,
    training_windows,
)
from shoprec.core.ranking.metrics import ndcg_hr
from shoprec.core.runtime.devices import autocast_dtype
from torch import nn

PURCHASE = TYPE_CODE["purchase"]
RATING = TYPE_CODE["rating"]
HEADS = ("item", "purchase", "category", "rating")
#: Share of ``time_budget_min`` the heads model's training loop gets (as the transformer's).
TRAIN_SHARE = 0.65
#: Customers whose held-back last event decides between single-task and the extra heads.
VALIDATION_USERS = 4000


@dataclass
class MultiTaskParams:
    d_model: int = param(64, help="Width of the profile vectors", min=8, max=1024)
    n_layers: int = param(2, help="Transformer layers", min=1, max=12, advanced=True)
    n_heads: int = param(
        2, help="Attention heads (must divide the width)", min=1, max=16, advanced=True
    )
    max_len: int = param(
        50, help="How many latest events of a customer the model reads", min=2, max=1024
    )
    dropout: float = param(
        0.2, help="Dropout inside the transformer", min=0.0, max=0.9, advanced=True
    )
    w_item: float = param(1.0, help="Loss weight: next item (any event)", min=0.0, max=10.0)
    w_purchase: float = param(1.0, help="Loss weight: next purchase", min=0.0, max=10.0)
    purchase_horizon: int = param(
        1,
        help="Next-purchase targets come from events at most this many events before the "
        "purchase (1: the event just before it; 0: any distance)",
        min=0,
        max=10000,
        advanced=True,
    )
    w_category: float = param(0.3, help="Loss weight: next category", min=0.0, max=10.0)
    w_rating: float = param(
        0.3, help="Loss weight: rating value (where ratings exist)", min=0.0, max=10.0
    )
    score_head: str = param(
        "auto",
        help="What the scores rank by: next purchase, next item of any kind, or auto "
        "(purchase when the data has purchases)",
        choices=("auto", "purchase", "item"),
    )
    repeat: bool = param(
        True, help="Let items from the customer's recent events score a learned repeat bonus"
    )
    negatives: int = param(
        1024,
        help="Sampled negatives per batch for large catalogs (full softmax when the catalog "
        "is no larger)",
        min=16,
        max=65536,
        advanced=True,
    )
    epochs: int = param(
        0, help="Training epochs (0 = automatic, with early stopping)", min=0, max=1000, zero="auto"
    )
    time_budget_min: float = param(
        30.0, help="Minutes each model may learn (the single-task transformer and the model "
        "with the extra heads; a Compare may give less)", min=0.05, max=10000.0
    )
    heads: str = param(
        "auto",
        help="auto: the extra heads only where this shop's event types give them something to "
        "learn and they beat the single-task transformer on held-back customers; single: the "
        "single-task transformer alone; multi: always the model with the extra heads",
        choices=("auto", "single", "multi"),
    )
    lr: float = param(1e-3, help="Learning rate", min=1e-5, max=1e-1, advanced=True)
    batch_size: int = param(128, help="Windows per training step", min=1, max=4096, advanced=True)
    use_text: bool = param(
        True,
        help="Feed item titles/descriptions through the text encoder when the catalog has them",
    )


@dataclass
class _Targets:
    """Per-event training targets, aligned with the EventSequences arrays (-1 / NaN = none)."""

    next_purchase: np.ndarray  # item bought next after this event, however many events later
    category: np.ndarray  # category code of each event's item
    rating: np.ndarray  # rating value of the event, NaN when it is not a rating


class MultiTaskModel(nn.Module):
    """The shared encoder plus one head per task."""

    def __init__(
        self,
        config: EncoderConfig,
        n_categories: int,
        with_rating: bool,
        repeat: bool,
        text_vectors: torch.Tensor | None = None,
    ) -> None:
        super().__init__()
        self.encoder = SequenceEncoder(config, text_vectors)
        d = config.d_model
        self.purchase_proj = nn.Linear(d, d, bias=False)
        with torch.no_grad():
            self.purchase_proj.weight.copy_(torch.eye(d))
        self.purchase_bias = nn.Parameter(torch.zeros(config.n_items))
        self.item_bias = nn.Parameter(torch.zeros(config.n_items))
        self.repeat = nn.ModuleDict(
            {"item": RepeatScorer(d), "purchase": RepeatScorer(d)} if repeat else {}
        )
        self.category_head = nn.Linear(d, n_categories) if n_categories >= 2 else None
        self.rating_proj = nn.Linear(d, d, bias=False) if with_rating else None
        self.rating_bias = nn.Parameter(torch.zeros(1)) if with_rating else None

    def head_state(self, head: str, h: torch.Tensor) -> torch.Tensor:
        return self.purchase_proj(h) if head == "purchase" else h

    def head_bias(self, head: str) -> torch.Tensor:
        return self.purchase_bias if head == "purchase" else self.item_bias


def _autocast(device: torch.device):
    dtype = autocast_dtype(device)
    if dtype is None:
        return torch.autocast(device_type="cpu", enabled=False)
    return torch.autocast(device_type=device.type, dtype=dtype)


def _head_loss(
    model: MultiTaskModel,
    head: str,
    h: torch.Tensor,
    tokens: torch.Tensor,
    types: torch.Tensor,
    target: torch.Tensor,
    items: torch.Tensor,
    negatives: int,
    gen: torch.Generator,
) -> torch.Tensor | None:
    """Cross-entropy of ``target`` (B, L; item index, -1 none) for every position of a window."""
    valid = target >= 0
    if not bool(valid.any()):
        return None
    q = model.head_state(head, h)
    bias = model.head_bias(head)
    tgt = target.clamp(min=0)
    n_items = items.shape[0]
    hist = (tokens - 1).clamp(min=0)  # (B, L) item index of each history event
    scorer = model.repeat[head] if head in model.repeat else None
    if scorer is not None:
        ev = scorer.evidence(h, types, tokens)  # (B, Lt, Ls)
        same = (tokens.unsqueeze(2) == tokens.unsqueeze(1)) & (tokens > 0).unsqueeze(2)
        # evidence for the item of history event s: summed over all its occurrences s' ≤ t
        copy_hist = torch.log1p(ev @ same.float())
        length = tokens.shape[1]
        strictly_after = torch.ones(length, length, device=h.device).triu(1)
        upto = torch.ones(length, length, device=h.device).tril()
        later = upto @ (same.float() * strictly_after).transpose(1, 2)  # same item again by t
        last_occ = (ev > 0) & (later == 0)  # each history item counted once per query
    if n_items <= negatives:
        logits = (q @ items.T + bias).float()  # (B, L, I)
        if scorer is not None:
            idx = hist.unsqueeze(1).expand_as(copy_hist)
            logits = logits.scatter_add(2, idx, torch.where(last_occ, copy_hist, 0.0))
        return F.cross_entropy(logits[valid], tgt[valid])
    pos = (q * items[tgt]).sum(-1) + bias[tgt]
    neg = torch.randint(0, n_items, (negatives,), generator=gen).to(h.device)
    negl = q @ items[neg].T + bias[neg]
    negl = negl.masked_fill(neg.view(1, 1, -1) == tgt.unsqueeze(-1), -1e4)
    parts = [pos.unsqueeze(-1), negl]
    if scorer is not None:
        is_tgt = tokens.unsqueeze(1) == (tgt + 1).unsqueeze(2)  # (B, Lt, Ls)
        pos = pos + torch.log1p((ev * is_tgt).sum(-1))
        # other items of the window are the hardest negatives: seen, not chosen
        hl = (q @ items[hist].transpose(1, 2) + bias[hist].unsqueeze(1) + copy_hist).float()
        hl = hl.masked_fill(~last_occ | is_tgt, -1e4)
        parts = [pos.unsqueeze(-1), negl, hl]
    logits = torch.cat([p.float() for p in parts], dim=-1)[valid]
    return F.cross_entropy(logits, torch.zeros(logits.shape[0], dtype=torch.long, device=h.device))


class HeadsModel(Strategy):
    """The model with the extra heads (next purchase, category, rating) on one encoder."""

    name = "multitask"
    Params = MultiTaskParams

    def __init__(self, params: MultiTaskParams | None = None) -> None:
        super().__init__(params)
        self.model: MultiTaskModel | None = None
        self.profiles: torch.Tensor | None = None  # (U, d): encoder state after latest event
        #: repeat bonus of the scoring head as COO triples (user, item, value)
        self.repeat_bonus: tuple[np.ndarray, np.ndarray, np.ndarray] = _empty_bonus()
        self.history: list[dict] = []
        self.head_used = "item"
        self._n_categories = 0
        self._with_rating = False

    # -- data preparation ------------------------------------------------------------------
    @staticmethod
    def _targets(
        dataset: Dataset, seqs: EventSequences, limit: np.ndarray, horizon: int = 0
    ) -> _Targets:
        """Targets per event; events of user u from index ``limit[u]`` on are held out."""
        keep = np.isin(dataset.types, type_codes(None))
        values = dataset.values[keep]
        n = len(seqs.tokens)
        items = seqs.tokens - 1
        ev_user = np.repeat(np.arange(seqs.n_users), np.diff(seqs.indptr))
        ev_limit = limit[ev_user] if n else np.zeros(0, dtype=np.int64)
        buys = np.flatnonzero((seqs.types == PURCHASE) & (np.arange(n) < ev_limit))
        nxt = np.full(n, -1, dtype=np.int64)
        if len(buys):
            j = np.searchsorted(buys, np.arange(n), side="right")
            ok = j < len(buys)
            cand = np.where(ok, buys[np.minimum(j, len(buys) - 1)], 0)
            ok &= ev_user[cand] == ev_user
            if horizon > 0:
                ok &= cand - np.arange(n) <= horizon
            nxt[ok] = items[cand[ok]]
        codes: dict[str, int] = {}
        item_cat = np.array(
            [codes.setdefault(c, len(codes)) if c else -1 for c in dataset.catalog.category],
            dtype=np.int64,
        )
        rating = np.where(seqs.types == RATING, values, np.nan).astype(np.float32)
        return _Targets(nxt, item_cat[items] if n else np.zeros(0, np.int64), rating)

    def _text_vectors(self, dataset: Dataset, cancel: CancelToken | None) -> torch.Tensor | None:
        """Item text vectors when most items have a title or description (not just a code)."""
        if not self.params.use_text or dataset.n_items == 0:
            return None
        cat = dataset.catalog
        informative = sum(
            bool(t) or bool(d) for t, d in zip(cat.title, cat.description, strict=True)
        )
        if informative < 0.5 * dataset.n_items:
            return None
        from shoprec.core.models.text import dataset_texts, encode_items

        vecs = encode_items(
            dataset_texts(dataset), device=self.device, cancel=cancel, cache=dataset.workspace_path
        )
        return torch.from_numpy(vecs)

    @staticmethod
    def _last_purchase(seqs: EventSequences, u: int) -> int:
        lo, hi = int(seqs.indptr[u]), int(seqs.indptr[u + 1])
        buys = np.flatnonzero(seqs.types[lo:hi] == PURCHASE)
        return lo + int(buys[-1]) if len(buys) else hi

    def _pick_validation(
        self, seqs: EventSequences, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Up to 512 customers whose last purchase (and what follows it) is held out.

        Returns (users, target items, index of each held-out purchase). Without any purchase in
        the data, the last event is held out instead.
        """
        has_buys = bool((seqs.types == PURCHASE).any())
        eligible, targets, cuts = [], [], []
        for u in range(seqs.n_users):
            lo, hi = int(seqs.indptr[u]), int(seqs.indptr[u + 1])
            cut = self._last_purchase(seqs, u) if has_buys else hi - 1
            if cut < hi and cut - lo >= 2:
                eligible.append(u)
                targets.append(int(seqs.tokens[cut]) - 1)
                cuts.append(cut)
        n = min(512, len(eligible) // 5)
        if n < 1:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        pick = np.sort(rng.choice(len(eligible), size=n, replace=False))
        return (
            np.array(eligible, dtype=np.int64)[pick],
            np.array(targets, dtype=np.int64)[pick],
            np.array(cuts, dtype=np.int64)[pick],
        )

    # -- fitting ---------------------------------------------------------------------------
    def fit(
        self,
        dataset: Dataset,
        progress: ProgressFn | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        # Multi-threaded CPU kernels sum in varying order; the deterministic ones make a seed
        # reproduce the same model bit for bit (GPUs keep their fast kernels).
        was = torch.are_deterministic_algorithms_enabled()
        was_warn = torch.is_deterministic_algorithms_warn_only_enabled()
        if self.device.type == "cpu":
            torch.use_deterministic_algorithms(True, warn_only=True)
        try:
            self._fit(dataset, progress, cancel)
        finally:
            torch.use_deterministic_algorithms(was, warn_only=was_warn)

    def _fit(
        self, dataset: Dataset, progress: ProgressFn | None, cancel: CancelToken | None
    ) -> None:
        p = self.params
        self.dataset = dataset
        torch.manual_seed(self.seed)
        rng = np.random.default_rng(self.seed)
        gen = torch.Generator().manual_seed(self.seed + 1)
        device = self.device
        seqs = EventSequences(dataset)
        text = self._text_vectors(dataset, cancel)
        has_buys = bool((seqs.types == PURCHASE).any())
        self.head_used = (
            p.score_head if p.score_head != "auto" else ("purchase" if has_buys else "item")
        )
        self._n_categories = len({c for c in dataset.catalog.category if c})

        # Validation: a sample of customers' last purchase is held out (with what follows it).
        limit = seqs.indptr[1:].copy()
        val_users, val_targets, cuts = self._pick_validation(seqs, rng)
        limit[val_users] = cuts
        targets = self._targets(dataset, seqs, limit, p.purchase_horizon)
        self._with_rating = bool(np.isfinite(targets.rating).any()) and p.w_rating > 0
        config = EncoderConfig(
            n_items=dataset.n_items,
            d_model=p.d_model,
            n_layers=p.n_layers,
            n_heads=p.n_heads,
            max_len=p.max_len,
            dropout=p.dropout,
            text_dim=0 if text is None else text.shape[1],
        )
        self.model = MultiTaskModel(
            config, self._n_categories, self._with_rating, p.repeat, text
        ).to(device)
        self.history = []
        windows = training_windows(seqs, p.max_len, seqs.indptr[1:] - limit)
        if len(windows) == 0 or dataset.n_items == 0:
            report(progress, 1, 1, "Multi-task: not enough events to train")
            self.model.eval()
            self._refresh(seqs, np.arange(dataset.n_users))
            return

        max_epochs = p.epochs or (100 if len(val_users) >= 5 else 10)
        patience = 3
        weights = {
            "item": p.w_item,
            "purchase": p.w_purchase,
            "category": p.w_category,
            "rating": p.w_rating,
        }
        # The repeat scorers are a few dozen parameters shared by every customer: they can take
        # bigger steps than the item table, and learn "bought after carting" within one epoch.
        repeat_params = list(self.model.repeat.parameters())
        ids = {id(q) for q in repeat_params}
        groups = [{"params": [q for q in self.model.parameters() if id(q) not in ids]}]
        if repeat_params:
            groups.append({"params": repeat_params, "lr": p.lr * 10})
        opt = torch.optim.Adam(groups, lr=p.lr)
        steps = math.ceil(len(windows) / p.batch_size)
        best, best_score, bad = None, -1.0, 0
        start = time.monotonic()
        for epoch in range(max_epochs):
            self.model.train()
            sums = dict.fromkeys(HEADS, 0.0)
            counts = dict.fromkeys(HEADS, 0)
            order = rng.permutation(len(windows))
            for b in range(steps):
                check(cancel)
                chunk = windows[order[b * p.batch_size : (b + 1) * p.batch_size]]
                losses = self._step_losses(seqs, targets, chunk, gen)
                terms = [weights[k] * v for k, v in losses.items() if v.requires_grad]
                if not terms:
                    continue
                loss = torch.stack(terms).sum()
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                for k, v in losses.items():
                    sums[k] += float(v.detach())
                    counts[k] += 1
                report(progress, epoch + (b + 1) / steps, max_epochs, f"epoch {epoch + 1}")
            row: dict[str, float] = {f"loss_{k}": sums[k] / counts[k] for k in HEADS if counts[k]}
            row["epoch"] = epoch + 1
            row["elapsed_s"] = time.monotonic() - start
            if len(val_users):
                row["val_ndcg10"], row["val_hr10"] = self._validate(
                    seqs, val_users, val_targets, limit
                )
            self.history.append(row)
            report(
                progress,
                epoch + 1,
                max_epochs,
                f"epoch {epoch + 1}",
                **{k: round(v, 4) for k, v in row.items() if k != "epoch"},
            )
            score = row.get("val_ndcg10", 0.0)
            # ties go to the later epoch (more training), but only a gain resets the patience
            bad = 0 if score > best_score else bad + 1
            if not len(val_users) or score >= best_score:
                best_score = score
                best = {k: v.detach().clone() for k, v in self.model.state_dict().items()}
            per_epoch = row["elapsed_s"] / (epoch + 1)
            if bad >= patience or row["elapsed_s"] + per_epoch > p.time_budget_min * 60 * TRAIN_SHARE:
                break
        if best is not None:
            self.model.load_state_dict(best)
        self.model.eval()
        self._refresh(seqs, np.arange(dataset.n_users))
        report(progress, max_epochs, max_epochs, "Multi-task: profiles ready")

    def _step_losses(
        self, seqs: EventSequences, t: _Targets, chunk: np.ndarray, gen: torch.Generator
    ) -> dict[str, torch.Tensor]:
        p, model, device = self.params, self.model, self.device
        # the encoder reads fixed windows of max_len events (inputs are the first max_len)
        length = model.encoder.config.max_len + 1
        batch = seqs.pad([(int(s), int(e)) for s, e in chunk], length)
        # global event index of every cell (-1 for padding), to look targets up
        gidx = np.full((len(chunk), length), -1, dtype=np.int64)
        for row, (s, e) in enumerate(chunk):
            gidx[row, length - (e - s) :] = np.arange(s, e)
        inp, nxt = gidx[:, :-1], gidx[:, 1:]
        inputs = {k: v[:, :-1].to(device) for k, v in batch.items()}
        tokens, types = inputs["tokens"], inputs["types"]

        def per_cell(values: np.ndarray, cells: np.ndarray, fill) -> np.ndarray:
            out = np.full(cells.shape, fill, dtype=values.dtype)
            ok = cells >= 0
            out[ok] = values[cells[ok]]
            return out

        next_item = np.where(nxt >= 0, per_cell(seqs.tokens, nxt, 0) - 1, -1)
        next_item[inp < 0] = -1
        next_buy = per_cell(t.next_purchase, inp, -1)
        losses: dict[str, torch.Tensor] = {}
        with _autocast(device):
            items = model.encoder.item_vectors()
            h = model.encoder(**inputs, item_vectors=items)
            for head, target, w in (
                ("item", next_item, p.w_item),
                ("purchase", next_buy, p.w_purchase),
            ):
                if w > 0:
                    loss = _head_loss(
                        model, head, h, tokens, types,
                        torch.from_numpy(target).to(device), items, p.negatives, gen,
                    )  # fmt: skip
                    if loss is not None:
                        losses[head] = loss
            valid = torch.from_numpy((inp >= 0) & (nxt >= 0)).to(device)
            if model.category_head is not None and p.w_category > 0:
                cat = np.where(nxt >= 0, t.category[np.maximum(nxt, 0)], -1)
                ok = torch.from_numpy(cat >= 0).to(device) & valid
                if bool(ok.any()):
                    logits = model.category_head(h[ok]).float()
                    losses["category"] = F.cross_entropy(
                        logits, torch.from_numpy(cat).to(device)[ok]
                    )
            if model.rating_proj is not None:
                val = np.where(nxt >= 0, t.rating[np.maximum(nxt, 0)], np.nan)
                ok = torch.from_numpy(np.isfinite(val)).to(device) & valid
                if bool(ok.any()):
                    tgt_items = torch.from_numpy(np.maximum(next_item, 0)).to(device)[ok]
                    pred = (model.rating_proj(h[ok]) * items[tgt_items]).sum(-1)
                    pred = pred + model.rating_bias
                    target = torch.from_numpy(np.nan_to_num(val).astype(np.float32)).to(device)
                    losses["rating"] = F.mse_loss(pred.float(), target[ok])
        return losses

    # -- profiles and scores ---------------------------------------------------------------
    def _encode(
        self, seqs: EventSequences, users: np.ndarray, ends: np.ndarray, batch_size: int = 256
    ) -> tuple[torch.Tensor, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """State after each user's latest event before ``ends[u]`` (zeros: no events), and the
        scoring head's repeat bonus of the items in that window as COO (row, item, value)."""
        model, device = self.model, self.device
        max_len = model.encoder.config.max_len
        out = torch.zeros(len(users), model.encoder.config.d_model)
        rows, cols, vals = [], [], []
        scorer = model.repeat[self.head_used] if self.head_used in model.repeat else None
        with torch.no_grad():
            items = model.encoder.item_vectors()
            for k in range(0, len(users), batch_size):
                us = users[k : k + batch_size]
                spans = [
                    (max(int(seqs.indptr[u]), int(ends[u]) - max_len), int(ends[u])) for u in us
                ]
                length = max_len
                batch = {n: v.to(device) for n, v in seqs.pad(spans, length).items()}
                with _autocast(device):
                    hs = model.encoder(**batch, item_vectors=items)
                    h = hs[:, -1].float().cpu()
                    if scorer is not None:
                        ev = scorer.evidence(hs, batch["types"], batch["tokens"])[:, -1].cpu()
                has = torch.tensor([hi > lo for lo, hi in spans])
                out[k : k + len(us)] = torch.where(has.unsqueeze(1), h, 0.0)
                if scorer is not None:
                    tok = batch["tokens"].cpu().numpy()
                    r, c = np.nonzero(tok > 0)
                    rows.append(r + k)
                    cols.append(tok[r, c] - 1)
                    vals.append(ev.numpy()[r, c])
        if not rows:
            return out, _empty_bonus()
        r, c, v = np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)
        # sum the evidence of repeated occurrences, then log1p (as in training)
        key = r.astype(np.int64) * max(1, seqs.n_items) + c
        uniq, inv = np.unique(key, return_inverse=True)
        total = np.bincount(inv, weights=v.astype(np.float64))
        bonus_r, bonus_c = uniq // max(1, seqs.n_items), uniq % max(1, seqs.n_items)
        return out, (bonus_r, bonus_c, np.log1p(total).astype(np.float32))

    def _refresh(self, seqs: EventSequences, users: np.ndarray) -> None:
        """Recompute the profiles and repeat bonuses of ``users`` from their latest events."""
        prof, (r, c, v) = self._encode(seqs, users, seqs.indptr[1:])
        if self.profiles is None or len(self.profiles) != seqs.n_users:
            self.profiles = torch.zeros(seqs.n_users, self.params.d_model)
            self.repeat_bonus = _empty_bonus()
        self.profiles[torch.from_numpy(users.astype(np.int64))] = prof
        ou, oi, ov = self.repeat_bonus
        keep = ~np.isin(ou, users)
        self.repeat_bonus = (
            np.concatenate([ou[keep], users[r]]).astype(np.int64),
            np.concatenate([oi[keep], c]).astype(np.int64),
            np.concatenate([ov[keep], v]).astype(np.float32),
        )

    def _validate(
        self, seqs: EventSequences, users: np.ndarray, targets: np.ndarray, limit: np.ndarray
    ) -> tuple[float, float]:
        self.model.eval()
        prof, bonus = self._encode(seqs, users, limit)
        scores = self._scores(prof, None, bonus, np.arange(len(users)))
        tgt = scores[np.arange(len(users)), targets]
        ndcg, hit = ndcg_hr((scores > tgt[:, None]).sum(1), 10)  # ties rank the target first
        return float(ndcg.mean()), float(hit.mean())

    def set_head(self, head: str, dataset: Dataset) -> None:
        """Rank by ``head`` ("item" or "purchase") from now on (profiles recomputed)."""
        self.head_used = head
        self.dataset = dataset
        self.profiles = None
        self._refresh(EventSequences(dataset), np.arange(dataset.n_users))

    def _scores(
        self,
        prof: torch.Tensor,
        items: np.ndarray | None,
        bonus: tuple[np.ndarray, np.ndarray, np.ndarray],
        bonus_rows: np.ndarray,
    ) -> np.ndarray:
        """Scores (len(prof), items) of the scoring head; ``bonus_rows[j]`` is the bonus row
        id (user) of profile row j."""
        model, head = self.model, self.head_used
        with torch.no_grad():
            vecs = model.encoder.item_vectors().float().cpu()
            bias = model.head_bias(head).detach().float().cpu()
            q = model.head_state(head, prof.to(next(model.parameters()).device)).float().cpu()
            out = (q @ vecs.T + bias).numpy()
        br, bc, bv = bonus
        if len(br):
            pos = {int(u): j for j, u in enumerate(bonus_rows)}
            sel = np.isin(br, bonus_rows)
            rows = np.array([pos[int(u)] for u in br[sel]], dtype=np.int64)
            np.add.at(out, (rows, bc[sel]), bv[sel])
        if items is not None:
            out = out[:, np.asarray(items, dtype=np.int64)]
        return out.astype(np.float32)

    def _ready(self) -> tuple[MultiTaskModel, torch.Tensor]:
        if self.model is None or self.profiles is None:
            raise RuntimeError("multitask: the model is not fitted")
        return self.model, self.profiles

    def logits(self, users: np.ndarray, items: np.ndarray | None = None) -> np.ndarray:
        _, profiles = self._ready()
        users = np.asarray(users, dtype=np.int64)
        known = (users >= 0) & (users < len(profiles))
        prof = torch.zeros(len(users), profiles.shape[1])
        if known.any():
            prof[torch.from_numpy(np.flatnonzero(known))] = profiles[torch.from_numpy(users[known])]
        # unknown users map to a row id no bonus has
        rows = np.where(known, users, -1 - np.arange(len(users)))
        out = self._scores(prof, items, self.repeat_bonus, rows)
        return np.nan_to_num(out, nan=0.0, posinf=0.0, neginf=0.0)

    def update(self, dataset: Dataset, users: np.ndarray | None = None) -> None:
        """Refresh profiles after new events by a forward pass (no retraining)."""
        model, _ = self._ready()
        if dataset.n_items != model.encoder.config.n_items:
            raise ValueError(
                "multitask: the catalog changed size; train again to include new items"
            )
        self.dataset = dataset
        seqs = EventSequences(dataset)
        if users is None or self.profiles is None or len(self.profiles) != dataset.n_users:
            self.profiles = None
            users = np.arange(dataset.n_users)
        self._refresh(seqs, np.asarray(users, dtype=np.int64))

    def _unit_items(self) -> torch.Tensor:
        with torch.no_grad():
            return F.normalize(self.model.encoder.item_vectors().float().cpu(), dim=1)

    def similar_items(self, item: int, n: int = 10) -> list[tuple[int, float]]:
        self._ready()
        vecs = self._unit_items()
        sims = (vecs @ vecs[int(item)]).numpy().copy()
        sims[int(item)] = -np.inf
        top = np.argsort(-sims, kind="stable")[:n]
        return [(int(j), float(sims[j])) for j in top if sims[j] > 0]

    def explain(self, user: int, item: int) -> list[Reason]:
        """A repeat ("you viewed it recently") first, then the recent history items whose
        learned vectors are closest to ``item``."""
        self._ready()
        ds = self.dataset
        if ds is None or user < 0 or user >= ds.n_users:
            return []
        lo, hi = int(ds.indptr[user]), int(ds.indptr[user + 1])
        lo = max(lo, hi - int(self.params.max_len))
        items, types = ds.items[lo:hi], ds.types[lo:hi]
        keep = types != TYPE_CODE["refund"]
        items, types = items[keep], types[keep]
        if not len(items):
            return []
        out: list[Reason] = []
        br, bc, bv = self.repeat_bonus
        hit = (br == user) & (bc == item)
        if hit.any():
            times = int((items == item).sum())
            verb = _VERBS.get(int(types[items == item][-1]), "bought")
            label = str(ds.catalog.title[item]) or str(ds.item_ids[item])
            often = "" if times == 1 else f" ({times} times)"
            out.append(Reason(item=int(item), weight=float(bv[hit][0]),
                              text=f"you {verb} {label} recently{often}"))  # fmt: skip
        vecs = self._unit_items()
        recency = 0.5 ** (np.arange(len(items) - 1, -1, -1) / 10.0)
        sims = (vecs[torch.from_numpy(items.astype(np.int64))] @ vecs[int(item)]).numpy()
        best: dict[int, tuple[float, int]] = {}
        for h, s, t in zip(items.tolist(), (sims * recency).tolist(), types.tolist(), strict=True):
            if h != item and (h not in best or s > best[h][0]):
                best[h] = (s, t)
        for h, (s, t) in sorted(best.items(), key=lambda kv: -kv[1][0])[: 3 - len(out)]:
            if s <= 0:
                break
            label = str(ds.catalog.title[h]) or str(ds.item_ids[h])
            out.append(
                Reason(
                    item=h, weight=float(s), text=f"because you {_VERBS.get(t, 'bought')} {label}"
                )
            )
        return out

    # -- state -----------------------------------------------------------------------------
    def state_dict(self) -> dict[str, torch.Tensor]:
        model, profiles = self._ready()
        meta = json.dumps(
            {
                "config": json.loads(model.encoder.config.to_json()),
                "n_categories": self._n_categories,
                "with_rating": self._with_rating,
                "repeat": len(model.repeat) > 0,
                "head": self.head_used,
            }
        )
        state = {f"model.{k}": v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
        state["profiles"] = profiles.contiguous()
        br, bc, bv = self.repeat_bonus
        state["bonus.user"] = torch.from_numpy(br.astype(np.int64))
        state["bonus.item"] = torch.from_numpy(bc.astype(np.int64))
        state["bonus.value"] = torch.from_numpy(bv.astype(np.float32))
        state["meta"] = torch.frombuffer(bytearray(meta.encode()), dtype=torch.uint8).clone()
        return state

    def load_state_dict(self, state: dict[str, torch.Tensor]) -> None:
        meta = json.loads(bytes(state["meta"].tolist()).decode())
        config = EncoderConfig(**meta["config"])
        self._n_categories = int(meta["n_categories"])
        self._with_rating = bool(meta["with_rating"])
        self.head_used = meta["head"]
        text = state.get("model.encoder.text")
        self.model = MultiTaskModel(
            config, self._n_categories, self._with_rating, bool(meta["repeat"]), text
        )
        self.model.load_state_dict({k[6:]: v for k, v in state.items() if k.startswith("model.")})
        self.model.to(self.device).eval()
        self.profiles = state["profiles"].float()
        self.repeat_bonus = (
            state["bonus.user"].numpy().astype(np.int64),
            state["bonus.item"].numpy().astype(np.int64),
            state["bonus.value"].numpy().astype(np.float32),
        )


# -------------------------------------------------------------------------------------------
# The strategy: the single-task transformer, or the extra heads where they earn their place
# -------------------------------------------------------------------------------------------


def extra_heads(dataset: Dataset) -> list[str]:
    """What this shop's events give extra heads to learn: "purchase" (purchases beside other
    kinds of events: views, carts...), "rating" (ratings of more than one value), "category"
    (a catalogue with categories). Empty: one kind of event, nothing beyond the next item."""
    keep = dataset.types != TYPE_CODE["refund"]
    kinds = set(np.unique(dataset.types[keep]).tolist())
    out = []
    if PURCHASE in kinds and len(kinds) > 1:
        out.append("purchase")
    rated = dataset.values[keep & (dataset.types == RATING)]
    if len(np.unique(rated[np.isfinite(rated)])) > 1:
        out.append("rating")
    if len({c for c in dataset.catalog.category if c}) >= 2 and out:
        out.append("category")
    return out


def validation_gains(model: Strategy, train: Dataset, users: np.ndarray, targets: np.ndarray,
                     k: int = 10, batch: int = 512) -> np.ndarray:
    """NDCG@k of each held-back item over the full catalogue, the customer's items in
    ``train`` excluded (as a Compare measures); ties count half."""
    seen = train.matrix().tocsr()
    out = np.zeros(len(users))
    for lo in range(0, len(users), batch):
        us = users[lo : lo + batch]
        scores = np.asarray(model.logits(us), dtype=np.float64)
        scores = np.nan_to_num(scores, nan=-np.inf, posinf=np.finfo(np.float64).max)
        rows = seen[us]
        r = np.repeat(np.arange(len(us)), np.diff(rows.indptr))
        scores[r, rows.indices] = -np.inf
        tgt = scores[np.arange(len(us)), targets[lo : lo + batch]]
        rank = (scores > tgt[:, None]).sum(1) + ((scores == tgt[:, None]).sum(1) - 1) / 2.0
        out[lo : lo + len(us)] = np.where((rank < k) & np.isfinite(tgt),
                                          1.0 / np.log2(rank + 2.0), 0.0)
    return out


def _beats(gains: np.ndarray, base: np.ndarray) -> bool:
    """The blend's rule: better on average by at least one standard error of the difference."""
    diff = gains - base
    if len(diff) < 2:
        return False
    se = float(diff.std(ddof=1) / math.sqrt(len(diff)))
    return bool(diff.mean() > 0 and diff.mean() >= se)


class MultiTask(Strategy):
    """The single-task transformer, or the model with extra heads where they beat it.

    ``fit`` looks at the shop's event types (:func:`extra_heads`). With nothing for extra heads
    to learn (one kind of event) it *is* the single-task transformer (``reduced_to``), trained
    exactly as the ``transformer`` strategy trains, so in a Compare the two share one fit.
    Otherwise each customer's last event is held back (as the blend holds it back), both the
    transformer and the heads model learn the rest, and the heads model, ranking by its
    next-item or its next-purchase head, must beat the transformer on those customers by more
    than the noise (one standard error), or the strategy reduces to the transformer. The winner
    then learns the held-back events: the transformer with one short pass, the heads model by
    recomputing the profiles.
    """

    name = "multitask"
    Params = MultiTaskParams
    refit_from_scratch = False

    def __init__(self, params: MultiTaskParams | None = None) -> None:
        super().__init__(params)
        self.inner: Strategy | None = None
        #: "transformer" when no extra head beat the single-task transformer (or none applied)
        self.reduced_to = ""
        self.why = ""
        self.head_used = "item"
        self.validation: dict[str, float] = {}

    def _transformer_params(self) -> Any:
        from .transformer import TransformerParams

        # the transformer's own defaults, within this strategy's time: the same settings as the
        # `transformer` strategy under the same budget, so a Compare fits it once for both
        return TransformerParams(time_budget_min=self.params.time_budget_min)

    def _fit_transformer(self, data: Dataset, progress: ProgressFn | None,
                         cancel: CancelToken | None) -> Strategy:
        if self.kit is None:
            raise ValueError("multitask: fit it through the engine, which lends it the "
                             "transformer strategy (shoprec.core.engine.fit_strategy)")
        spec = self.kit.specs()["transformer"]
        return self.kit.fit(spec, self._transformer_params(), data, device=self.device,
                            seed=self.seed, progress=progress, cancel=cancel)

    def _fit_heads(self, data: Dataset, progress: ProgressFn | None,
                   cancel: CancelToken | None) -> HeadsModel:
        heads = HeadsModel(self.params)
        heads.device, heads.seed = self.device, self.seed
        heads.fit(data, progress, cancel)
        heads.dataset = data
        return heads

    def fit(self, dataset: Dataset, progress: ProgressFn | None = None,
            cancel: CancelToken | None = None) -> None:
        check(cancel)
        self.dataset = dataset
        self.validation = {}
        mode = self.params.heads
        found = extra_heads(dataset)
        if mode == "multi":
            self.inner = self._fit_heads(dataset, progress, cancel)
            self.reduced_to, self.why = "", "the extra heads, as set"
            self.head_used = self.inner.head_used
            return
        if mode == "single" or not found:
            self.inner = self._fit_transformer(dataset, progress, cancel)
            self.reduced_to = "transformer"
            self.why = ("as set" if mode == "single" else
                        "this shop has one kind of event: nothing for extra heads to learn")
            self.head_used = "item"
            return
        train, users, positives = holdout_last(dataset, 1)
        if len(users) < 10:  # too few customers to tell: the single-task transformer
            self.inner = self._fit_transformer(dataset, progress, cancel)
            self.reduced_to, self.why = "transformer", "too few customers to check extra heads on"
            return
        rng = np.random.default_rng(self.seed)
        pick = np.sort(rng.choice(len(users), size=min(VALIDATION_USERS, len(users)),
                                  replace=False))
        vusers = users[pick]
        targets = np.array([positives[j][0] for j in pick], dtype=np.int64)
        report(progress, 0, 3, "multitask: learning the single-task transformer")
        single = self._fit_transformer(train, None, cancel)
        base = validation_gains(single, train, vusers, targets)
        report(progress, 1, 3, "multitask: learning the extra heads (" + ", ".join(found) + ")")
        heads = self._fit_heads(train, None, cancel)
        options = ["item"] + (["purchase"] if heads.head_used == "purchase" else [])
        best, best_gains = None, base
        self.validation = {"transformer": float(base.mean())}
        for head in options:
            check(cancel)
            heads.set_head(head, train)
            g = validation_gains(heads, train, vusers, targets)
            self.validation[f"heads:{head}"] = float(g.mean())
            if _beats(g, best_gains):
                best, best_gains = head, g
        report(progress, 2, 3, "multitask: bringing the chosen model up to all events")
        if best is None:
            self.reduced_to = "transformer"
            self.why = (f"the extra heads ({', '.join(found)}) did not beat it on "
                        f"{len(vusers)} held-back customers")
            single.extend(dataset, None, cancel)
            single.dataset = dataset
            self.inner, self.head_used = single, "item"
        else:
            self.reduced_to = ""
            self.why = (f"the {', '.join(found)} heads, ranking by the next "
                        f"{'purchase' if best == 'purchase' else 'item'}, beat the single-task "
                        f"transformer on {len(vusers)} held-back customers")
            heads.set_head(best, dataset)
            self.inner, self.head_used = heads, best
        report(progress, 3, 3, "multitask: " + self.describe())

    def describe(self) -> str:
        if self.reduced_to:
            return f"{self.reduced_to} alone: {self.why}"
        return self.why

    # -- delegation --------------------------------------------------------------------------
    def _ready(self) -> Strategy:
        if self.inner is None:
            raise RuntimeError("multitask: the model is not fitted")
        self.inner.device = self.device
        if self.dataset is not None and self.inner.dataset is not self.dataset:
            self.inner.dataset = self.dataset
        return self.inner

    def logits(self, users: np.ndarray, items: np.ndarray | None = None) -> np.ndarray:
        return self._ready().logits(users, items)

    def training_summary(self) -> dict[str, Any]:
        return {} if self.inner is None else self.inner.training_summary()

    def similar_items(self, item: int, n: int = 10) -> list[tuple[int, float]]:
        return self._ready().similar_items(item, n)

    def explain(self, user: int, item: int) -> list[Reason]:
        return self._ready().explain(user, item)

    def reason_weights(self, user: int, history: np.ndarray, items: np.ndarray):
        return self._ready().reason_weights(user, history, items)

    def update(self, dataset: Dataset, users: np.ndarray | None = None) -> None:
        self.dataset = dataset
        inner = self._ready()
        inner.update(dataset, users)
        inner.dataset = dataset

    def extend(self, dataset: Dataset, progress: ProgressFn | None = None,
               cancel: CancelToken | None = None) -> None:
        inner = self._ready()
        if isinstance(inner, HeadsModel):
            inner.update(dataset)
        else:
            inner.extend(dataset, progress, cancel)
        inner.dataset = self.dataset = dataset

    # -- state ---------------------------------------------------------------------------------
    def state_dict(self) -> dict[str, torch.Tensor]:
        inner = self._ready()
        kind = "heads" if isinstance(inner, HeadsModel) else "transformer"
        blob = json.dumps({"kind": kind, "reduced_to": self.reduced_to, "why": self.why,
                           "head": self.head_used, "validation": self.validation,
                           "params": dataclasses.asdict(inner.params)}).encode()
        state = {f"inner.{k}": v for k, v in inner.state_dict().items()}
        state["multitask_json"] = torch.tensor(list(blob), dtype=torch.uint8)
        return state

    def load_state_dict(self, state: dict[str, torch.Tensor]) -> None:
        if "multitask_json" not in state:  # saved before the strategy could reduce: heads model
            inner = HeadsModel(self.params)
            inner.device = self.device
            inner.load_state_dict(state)
            self.inner, self.reduced_to, self.head_used = inner, "", inner.head_used
            return
        meta = json.loads(bytes(state["multitask_json"].tolist()).decode())
        own = {k[len("inner."):]: v for k, v in state.items() if k.startswith("inner.")}
        if meta["kind"] == "heads":
            inner = HeadsModel(self.params)
        else:
            from .transformer import TransformerParams, TransformerStrategy

            inner = TransformerStrategy(params_from_dict(TransformerParams, meta["params"]))
        inner.device = self.device
        inner.load_state_dict(own)
        self.inner = inner
        self.reduced_to, self.why = meta.get("reduced_to", ""), meta.get("why", "")
        self.head_used = meta.get("head", "item")
        self.validation = meta.get("validation", {})


def _empty_bonus() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32)


@hookimpl
def shoprec_strategies() -> list[StrategySpec]:
    return [
        StrategySpec(
            name="multitask",
            title="Multi-task transformer (next purchase)",
            description="The transformer with extra heads learned from every kind of behaviour "
            "(next purchase from views and carts, categories, rating values), used only where "
            "they beat the plain transformer on customers held back from learning; otherwise it "
            "is the plain transformer and says so.",
            params=MultiTaskParams,
            factory=MultiTask,
            family="sequential",
        )
    ]
