"""The transformer's training loop: :func:`train_encoder` (next-item objective on every
position, the loss, validation NDCG on held-out last events, early stopping on a smoothed curve,
the learning-rate schedule and cooldown, the time budget, checkpoints), returning a
:class:`TrainingOutcome`."""

from __future__ import annotations

import dataclasses
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.torch import load_file, save_file
from torch import nn

from ...contracts.progress import CancelToken, ProgressFn, check, report
from ...data.dataset import type_codes
from ...ranking.metrics import ndcg_hr, target_ranks
from .encoder import SequenceEncoder, _autocast, add_bonus, encode_profiles
from .sequences import EventSequences, training_windows

REPEAT_LR_SCALE = 10.0  # learning-rate multiplier of the repeat term's weights


@dataclass(frozen=True, kw_only=True)
class TrainConfig:
    """How :func:`train_encoder` trains; every field has a default a shop owner can keep."""

    loss: str = "ce"  # "ce": full softmax; "sce": softmax over sampled negatives; "gbce": gBCE
    negatives: int = 256  # sce and gBCE only
    gbce_t: float = 0.75  # gBCE calibration parameter t (Petrov & Macdonald 2023)
    lr: float = 1e-3
    weight_decay: float = 0.0
    warmup_steps: int = 100  # at most one epoch's worth of steps
    # "cosine": after warm-up the learning rate follows a half cosine from ``lr`` down to
    # ``lr * min_lr_ratio`` over the run's horizon, whichever of the time budget and max_epochs
    # ends first; "constant": ``lr`` throughout. Measured on ML-1M: the decay is what turns the
    # plateau of a constant rate into further gains in a fixed CPU budget (bench/RESULTS.md).
    schedule: str = "cosine"
    min_lr_ratio: float = 0.02
    batch_size: int = 128
    # On a small shop an epoch is only a few steps: the batch then shrinks (not below
    # MIN_BATCH) so that an epoch takes at least this many steps. 0: ``batch_size`` always.
    min_steps: int = 0
    max_epochs: int = 200
    patience: int = 5  # epochs without validation improvement before stopping
    # Stopping and the epoch kept read an exponential moving average of the validation NDCG,
    # this the newest epoch's weight (1.0: that epoch alone). One epoch's score moves by about
    # ±0.004 on ML-1M's 1,024 validation customers while the trend rises by 0.0005 an epoch, so
    # one lucky epoch used to stop a still-improving run half-way down its learning-rate decay
    # (bench/RESULTS.md, "Early stopping reads a smoothed validation curve").
    val_ema: float = 0.3
    # On a validation plateau while the learning rate is still above COOLDOWN_MIN_RATE of its
    # peak, training does not stop at once: the rate is first brought down to its floor by a
    # half cosine over this share of the epochs trained so far (at least ``patience`` epochs),
    # then training stops. 0: stop at once. Not when validation never rose above its first
    # epoch: on the demo shop that cooldown trained 23 s more (80 s against 58) and kept the
    # first epoch all the same; nor when it has fallen well below its best (COOLDOWN_MAX_DROP).
    # Why: on ML-1M, runs that stopped with the rate
    # still at 36-66 % of its peak kept 0.151 NDCG@10 on the 512, where runs carried through
    # the decay reached 0.157-0.164; a decay over the last fifth or so of training is known to
    # give what a full cosine gives. Measured where it fired (one run, patience 2): 0.150 ->
    # 0.154 for 3.6 more minutes, less than training on (bench/RESULTS.md, "A plateau cools the
    # learning rate down before training stops").
    cooldown: float = 0.25
    time_budget_s: float = 1800.0
    # What follows the loop in the caller's budget (profiles, calibration, lists) is kept free
    # at its end: the loop ends ``reserve`` seconds before ``time_budget_s``, where ``reserve``
    # is ``reserve_epochs`` times the loop's own measured epoch time, at least ``reserve_s``
    # and at most ``reserve_max_s``. The epoch time is what scales with the machine's load and
    # the data's size, as the work after the loop does (a forward pass over every customer is
    # about a third of an epoch); a fixed share of the budget left ML-1M's 30 minutes with
    # 9 minutes unused on a quiet machine and overran them under load (bench/RESULTS.md).
    reserve_s: float = 0.0
    reserve_epochs: float = 0.0
    reserve_max_s: float = math.inf
    n_val_users: int = 1024
    max_logit_elements: int = 1 << 26  # bounds memory of the softmax: tokens × items per chunk
    target_types: tuple[str, ...] | None = None  # which next events count as targets (None: all)
    # "latest": each customer's latest max_len + 1 events are the epoch's targets; "all": long
    # histories are cut into several windows so every event is a target once an epoch. Measured
    # on ML-1M: the same quality after 30 minutes, sooner, at 30 % less time an epoch (RESULTS.md,
    # run 6).
    windows: str = "latest"
    # True (full-softmax "ce" only): each step's softmax leaves out the items earlier in its
    # window, the step's own target excepted, as validation and the lists leave out what a
    # customer already had when there is no repeat term. The model then spends nothing on
    # pushing down items it will never be asked to rank.
    exclude_seen: bool = False


"""A sparse repeat bonus as COO triples (row, item, value)."""


SEEN_LOGIT = -1e4  # added to the logit of an item left out of a step's softmax (exp() is 0)


def seen_terms(tokens: torch.Tensor, targets: torch.Tensor,
               returning: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Additive logits that leave the window's earlier items out of each step's softmax.

    ``tokens`` (B, L): the input window (item index + 1, 0 = padding); ``targets`` (B, L): the
    next token of each step; ``returning`` (n_items,) bool: items never left out (those the
    lists may show again, as repeat purchases). Returns (B, L, L) item indices and values: for
    step t and window position s, ``SEEN_LOGIT`` when s ≤ t holds an item other than step t's
    target (and not returning), else 0.
    """
    b, length = tokens.shape
    idx = (tokens - 1).clamp(min=0).unsqueeze(1).expand(b, length, length)
    causal = torch.ones(length, length, dtype=torch.bool, device=tokens.device).tril()
    hide = causal.unsqueeze(0) & (tokens > 0).unsqueeze(1) & (tokens.unsqueeze(1) != targets.unsqueeze(2))
    if returning is not None:
        hide &= ~returning[idx]
    return idx, torch.where(hide, SEEN_LOGIT, 0.0)


VAL_ROWS = 128  # validation customers scored at a time (memory: rows × catalog floats, a few copies)


def ndcg_hr_per_row(
    scores: torch.Tensor, targets: np.ndarray, seen: list[np.ndarray], k: int = 10
) -> tuple[torch.Tensor, torch.Tensor]:
    """Each row's NDCG@k and hit@k of its target under full ranking (see
    :func:`shoprec.core.ranking.metrics.target_ranks`)."""
    return ndcg_hr(target_ranks(scores, targets, seen), k)


def ndcg_hr_at_k(
    scores: torch.Tensor, targets: np.ndarray, seen: list[np.ndarray], k: int = 10
) -> tuple[float, float]:
    """Mean NDCG@k and HR@k of ``targets`` under full ranking, each row's ``seen`` items excluded."""
    ndcg, hit = ndcg_hr_per_row(scores, targets, seen, k)
    return float(ndcg.mean()), float(hit.mean())


def _validate(encoder: SequenceEncoder, seqs: EventSequences, val_users: np.ndarray,
              val_mask: np.ndarray, targets: np.ndarray, seen: list[np.ndarray],
              device: torch.device) -> tuple[float, float]:
    """NDCG@10 and HR@10 of the validation customers' held-out events, :data:`VAL_ROWS`
    customers at a time: the scores of all 1,024 at once would take 3 GB on a 200k catalog."""
    prof, (r, c, v) = encode_profiles(encoder, seqs, val_users, device=device, drop_last=val_mask)
    item_t = encoder.item_vectors().detach().T
    ndcg = hr = 0.0
    for lo in range(0, len(val_users), VAL_ROWS):
        hi = min(lo + VAL_ROWS, len(val_users))
        with torch.no_grad():
            scores = (prof[lo:hi].to(device) @ item_t).float().cpu()
        part = (r >= lo) & (r < hi)
        n, h = ndcg_hr_at_k(add_bonus(scores, (r[part] - lo, c[part], v[part])), targets[lo:hi], seen[lo:hi])
        ndcg += n * (hi - lo)
        hr += h * (hi - lo)
    return ndcg / len(val_users), hr / len(val_users)


@dataclass
class TrainingOutcome:
    epochs: int
    best_epoch: int
    best_val_ndcg: float
    history: list[dict]
    stopped: str  # "early" (a plateau, after any cooldown), "budget", "max_epochs", "no data"
    cooldown_epoch: int = 0  # the epoch after which the rate was cooled down (0: never)


def validation_exclusions(seqs: EventSequences, users: np.ndarray, *, repeat: bool) -> list[np.ndarray]:
    """The items validation leaves out of each customer's ranking: everything earlier in the
    history (the held-out last event's item excepted), or nothing when the encoder has the repeat
    term. The term is there because the next event may revisit an item, so validation ranks the
    whole catalogue, as the task does. Excluding the history instead left the target the only
    item with a bonus, so a revisit ranked first whatever the model learned: on the Taobao head
    validation read 0.3478 at every epoch, with or without event features, and early stopping
    read nothing from it (now it moves, 0.158-0.175, and finds where the model starts to
    overfit; bench/RESULTS.md)."""
    if repeat:
        return [np.zeros(0, dtype=np.int64) for _ in users]
    return [seqs.tokens[seqs.indptr[u] : seqs.indptr[u + 1] - 1] - 1 for u in users]


def _pick_validation(seqs: EventSequences, n: int, rng: np.random.Generator) -> np.ndarray:
    """Boolean mask of users whose last event is held out for validation (need ≥ 3 events)."""
    eligible = np.flatnonzero(seqs.lengths() >= 3)
    mask = np.zeros(seqs.n_users, dtype=bool)
    n = min(n, len(eligible) // 5 if len(eligible) >= 5 else len(eligible))
    if n > 0:
        mask[rng.choice(eligible, size=n, replace=False)] = True
    return mask


def _loss(
    hidden: torch.Tensor, targets: torch.Tensor, items: torch.Tensor, cfg: TrainConfig,
    gen: torch.Generator, bonus: tuple[torch.Tensor, torch.Tensor] | None = None,
) -> torch.Tensor:
    """Mean next-item loss of hidden states (N, d) with target item indices (N,).

    ``bonus`` (CE only): additive logits as (items (N, M), values (N, M)): the repeat term,
    the items left out of the softmax (:func:`seen_terms`), or both side by side.
    """
    n_items = items.shape[0]
    if cfg.loss == "ce":
        chunk = max(1, cfg.max_logit_elements // max(1, n_items))
        total = hidden.new_zeros((), dtype=torch.float32)
        for k in range(0, hidden.shape[0], chunk):
            logits = (hidden[k : k + chunk] @ items.T).float()
            if bonus is not None:
                logits = logits.scatter_add(1, bonus[0][k : k + chunk], bonus[1][k : k + chunk])
            total = total + F.cross_entropy(logits, targets[k : k + chunk], reduction="sum")
        return total / hidden.shape[0]
    if bonus is not None:
        raise ValueError("the repeat term needs loss='ce'")
    if cfg.loss == "sce":
        # Softmax over the target and k uniformly sampled items shared by the batch (a sampled
        # item equal to a row's target is masked out); uniform sampling needs no log-q correction.
        k = min(cfg.negatives, max(1, n_items - 1))
        neg = torch.randint(0, n_items, (k,), generator=gen).to(hidden.device)
        pos_logit = (hidden * items[targets]).sum(-1, keepdim=True).float()
        neg_logit = (hidden @ items[neg].T).float()
        neg_logit = neg_logit.masked_fill(neg.unsqueeze(0) == targets.unsqueeze(1), -1e4)
        logits = torch.cat([pos_logit, neg_logit], dim=1)
        zero = torch.zeros(len(targets), dtype=torch.long, device=hidden.device)
        return F.cross_entropy(logits, zero)
    if cfg.loss == "gbce":
        k = min(cfg.negatives, max(1, n_items - 1))
        neg = torch.randint(0, n_items, (k,), generator=gen).to(hidden.device)
        pos_logit = (hidden * items[targets]).sum(-1).float()
        neg_logit = (hidden @ items[neg].T).float()
        neg_logit = neg_logit.masked_fill(neg.unsqueeze(0) == targets.unsqueeze(1), -1e4)
        alpha = k / max(1, n_items - 1)
        beta = alpha * (cfg.gbce_t * (1 - 1 / alpha) + 1 / alpha)
        # log σ(s+)^β = β log σ(s+); negatives as in BCE
        pos_term = -beta * F.logsigmoid(pos_logit)
        neg_term = -F.logsigmoid(-neg_logit).sum(-1)
        return (pos_term + neg_term).mean() / (1 + k)
    raise ValueError(f"unknown loss {cfg.loss!r}; choose 'ce', 'sce' or 'gbce'")


def _save_checkpoint(path: Path, encoder: nn.Module, best: dict[str, torch.Tensor],
                     opt: torch.optim.Optimizer, meta: dict) -> None:
    tensors = {f"model.{k}": v.detach().cpu().contiguous() for k, v in encoder.state_dict().items()}
    tensors.update({f"best.{k}": v.detach().cpu().contiguous() for k, v in best.items()})
    params = [p for g in opt.param_groups for p in g["params"]]
    for idx, p in enumerate(params):
        for key, val in opt.state.get(p, {}).items():
            if torch.is_tensor(val):
                tensors[f"opt.{idx}.{key}"] = val.detach().cpu().contiguous().reshape(val.shape)
    tensors["rng.torch"] = torch.get_rng_state()
    tmp = path.with_suffix(".tmp")
    save_file(tensors, str(tmp), metadata={"meta": json.dumps(meta)})
    tmp.replace(path)  # atomic: a crash mid-write never leaves a broken checkpoint


def _load_checkpoint(path: Path, encoder: nn.Module, opt: torch.optim.Optimizer,
                     fingerprint: str) -> tuple[dict, dict[str, torch.Tensor]] | None:
    from safetensors import safe_open

    with safe_open(str(path), framework="pt") as f:
        meta = json.loads((f.metadata() or {}).get("meta", "{}"))
    if meta.get("fingerprint") != fingerprint:
        return None  # another dataset or configuration: start afresh
    tensors = load_file(str(path))
    encoder.load_state_dict({k[6:]: v for k, v in tensors.items() if k.startswith("model.")})
    best = {k[5:]: v for k, v in tensors.items() if k.startswith("best.")}
    params = [p for g in opt.param_groups for p in g["params"]]
    for idx, p in enumerate(params):
        state = {k.split(".", 2)[2]: v.to(p.device) for k, v in tensors.items()
                 if k.startswith(f"opt.{idx}.")}
        if state:
            opt.state[p] = state
    torch.set_rng_state(tensors["rng.torch"])
    return meta, best


def train_encoder(
    encoder: SequenceEncoder,
    seqs: EventSequences,
    cfg: TrainConfig,
    *,
    device: torch.device | None = None,
    seed: int = 0,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
    checkpoint: Path | None = None,
    eval_hook: Callable[[SequenceEncoder, float], None] | None = None,
    returning: np.ndarray | None = None,
) -> TrainingOutcome:
    """Train ``encoder`` on next-event prediction over ``seqs``; keeps the best validation weights.

    Training ends at the time budget, at ``max_epochs``, or ``patience`` epochs into a plateau of
    the smoothed validation NDCG@10; a plateau met while the learning rate is still high, after
    validation had risen above its first epoch, first cools the rate down to its floor
    (``TrainConfig.cooldown``) and ends after that.
    ``checkpoint``: a safetensors file written after every epoch; when it exists and matches this
    data and configuration, training resumes from it. ``eval_hook(encoder, elapsed_s)`` is called
    after every epoch (benchmarks use it to record quality against training time).
    ``returning`` (n_items,) bool, with ``cfg.exclude_seen``: items that stay in the softmax
    when the window had them (the repeat purchases that lists show again).
    """
    device = device or torch.device("cpu")
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    gen = torch.Generator().manual_seed(seed + 1)
    max_len = encoder.config.max_len
    encoder.to(device).train()
    val_mask = _pick_validation(seqs, cfg.n_val_users, rng)
    val_users = np.flatnonzero(val_mask)
    val_targets = seqs.tokens[seqs.indptr[val_users + 1] - 1] - 1
    val_seen = validation_exclusions(seqs, val_users, repeat=encoder.config.repeat)
    if cfg.exclude_seen and cfg.loss != "ce":
        raise ValueError("exclude_seen needs loss='ce'")
    if cfg.windows not in ("latest", "all"):
        raise ValueError(f"unknown windows {cfg.windows!r}; choose 'latest' or 'all'")
    if not 0.0 < cfg.val_ema <= 1.0:
        raise ValueError(f"val_ema must be in (0, 1], got {cfg.val_ema}")
    if not 0.0 <= cfg.cooldown <= 10.0:
        raise ValueError(f"cooldown must be in [0, 10] (a share of the epochs trained), "
                         f"got {cfg.cooldown}")
    windows = training_windows(seqs, max_len, val_mask, latest_only=cfg.windows == "latest")
    target_ok = None
    if cfg.target_types is not None:
        target_ok = np.isin(seqs.types, type_codes(cfg.target_types))
    if len(windows) == 0:
        return TrainingOutcome(0, 0, 0.0, [], "no data")

    # The repeat term is a few dozen weights shared by every customer: it takes larger steps
    # (as in the multi-task strategy, where 10x was measured to learn it within one epoch).
    repeat_params = list(encoder.repeat.parameters()) if encoder.repeat is not None else []
    rest = [q for q in encoder.parameters() if all(q is not r for r in repeat_params)]
    groups: list[dict] = [{"params": rest, "lr_scale": 1.0}]
    if repeat_params:
        groups.append({"params": repeat_params, "lr_scale": REPEAT_LR_SCALE})
    opt = torch.optim.Adam(groups, lr=cfg.lr, weight_decay=cfg.weight_decay)
    back = None
    if cfg.exclude_seen and returning is not None and np.any(returning):
        back = torch.as_tensor(np.asarray(returning, dtype=bool)).to(device)
    fingerprint = json.dumps([encoder.config.to_json(), dataclasses.asdict(cfg), seed,
                              int(seqs.n_users), int(seqs.n_items), int(seqs.tokens.sum()),
                              0 if back is None else int(np.flatnonzero(returning).sum()) + 1])
    # "cooldown": None, or where the final decay began ({"epoch", "epochs", "from": the rate})
    # "improved_epoch": the last epoch whose smoothed validation rose (a tie does not count)
    meta = {"epoch": 0, "step": 0, "best_ndcg": -1.0, "best_epoch": 0, "improved_epoch": 0,
            "bad": 0, "elapsed": 0.0, "history": [], "rng": None, "cooldown": None, "lr": cfg.lr}
    best_state = {k: v.detach().clone() for k, v in encoder.state_dict().items()}
    if checkpoint is not None and Path(checkpoint).exists():
        loaded = _load_checkpoint(Path(checkpoint), encoder, opt, fingerprint)
        if loaded is not None:
            meta, best = loaded
            best_state = best or best_state
            rng.bit_generator.state = meta["rng"]["np"]
            gen.set_state(torch.tensor(meta["rng"]["gen"], dtype=torch.uint8))
    meta["fingerprint"] = fingerprint

    batch_size = epoch_batch(cfg, len(windows))
    steps_per_epoch = math.ceil(len(windows) / batch_size)
    # Warm-up never outlasts the first epoch: a small shop has only a few steps an epoch.
    warmup = max(1, min(cfg.warmup_steps, steps_per_epoch))
    start = time.monotonic() - meta["elapsed"]
    stopped = "max_epochs"
    epoch_times: list[float] = list(meta.get("epoch_times", []))
    horizon = loop_horizon(cfg, epoch_times)
    while meta["epoch"] < cfg.max_epochs:
        t0 = time.monotonic()
        order = rng.permutation(len(windows))
        total_loss, n_batches, cut = 0.0, 0, False
        for b in range(steps_per_epoch):
            check(cancel)
            if time.monotonic() - start > horizon:
                cut = True
                break  # the budget ends mid-epoch: validate what was learned so far
            chunk = windows[order[b * batch_size : (b + 1) * batch_size]]
            length = max_len + 1
            batch = seqs.pad([(int(s), int(e)) for s, e in chunk], length)
            inputs = {k: v[:, :-1].to(device) for k, v in batch.items()}
            tgt_tokens = batch["tokens"][:, 1:]
            valid = (tgt_tokens > 0) & (inputs["tokens"].cpu() > 0)
            if target_ok is not None:
                valid &= _target_mask(chunk, length, target_ok)
            if not valid.any():
                continue
            done = max((time.monotonic() - start) / max(horizon, 1e-9),
                       (meta["epoch"] + b / steps_per_epoch) / max(1, cfg.max_epochs))
            lr = _learning_rate(cfg, meta["step"], done, warmup)
            if meta.get("cooldown"):
                # counted to the step's end, so that the cooldown's last step is at the floor
                lr = min(lr, _cooldown_rate(cfg, meta["cooldown"],
                                            meta["epoch"] + (b + 1) / steps_per_epoch))
            meta["lr"] = lr
            for g in opt.param_groups:
                g["lr"] = lr * g.get("lr_scale", 1.0)
            valid_d = valid.to(device)
            with _autocast(device):
                items = encoder.item_vectors()
                states = encoder(**inputs, item_vectors=items)
                bonus = None
                if encoder.repeat is not None:
                    copy = encoder.repeat.bonus(states, inputs["types"], inputs["tokens"])
                    hist = (inputs["tokens"] - 1).clamp(min=0).unsqueeze(1).expand_as(copy)
                    bonus = (hist[valid_d], copy[valid_d].float())
                if cfg.exclude_seen:
                    idx, val = seen_terms(inputs["tokens"], tgt_tokens.to(device), back)
                    idx, val = idx[valid_d], val[valid_d]
                    bonus = (idx, val) if bonus is None else (torch.cat([bonus[0], idx], 1),
                                                              torch.cat([bonus[1], val], 1))
                loss = _loss(states[valid_d], (tgt_tokens.to(device)[valid_d] - 1), items, cfg,
                             gen, bonus)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            meta["step"] += 1
            total_loss += float(loss.detach())
            n_batches += 1
            if b % 10 == 0:
                # the share of the work done: epochs of max_epochs, or time of the budget,
                # whichever is further (a budgeted run ends long before its max_epochs)
                report(progress, 100 * min(1.0, done), 100, _stage(meta["epoch"] + 1, meta),
                       loss=total_loss / n_batches)
        meta["epoch"] += 1
        if not cut:  # a whole epoch (one cut short by the budget would shrink the reserve)
            epoch_times.append(time.monotonic() - t0)
        meta["epoch_times"] = epoch_times
        horizon = loop_horizon(cfg, epoch_times)
        ndcg = hr = 0.0
        if len(val_users):
            ndcg, hr = _validate(encoder, seqs, val_users, val_mask, val_targets, val_seen, device)
        meta["elapsed"] = time.monotonic() - start
        # The smoothed score: the first epoch starts the moving average. Written as a step
        # towards the new score so that a flat curve stays exactly flat (w*x + (1-w)*x can round
        # below x, and a tie must keep the later weights).
        prev = meta["history"][-1]["val_ndcg10_smoothed"] if meta["history"] else ndcg
        score = prev + cfg.val_ema * (ndcg - prev)
        row = {"epoch": meta["epoch"], "loss": total_loss / max(1, n_batches),
               "val_ndcg10": ndcg, "val_ndcg10_smoothed": score, "val_hr10": hr,
               "lr": meta["lr"], "elapsed_s": meta["elapsed"]}
        meta["history"].append(row)
        # A tie keeps the later weights (validation saturates on tiny or repetitive data, where
        # more training still helps) but does not reset the patience counter.
        if score >= meta["best_ndcg"] or not len(val_users):
            improved = score > meta["best_ndcg"] or not len(val_users)
            if score == 0.0 and meta["best_ndcg"] <= 0.0:
                # Validation has not yet put one held-out event in a top 10 (a large catalog,
                # early on): no signal to stop on, so progress is judged by the training loss.
                improved = _loss_fell(meta, row["loss"])
            meta["bad"] = 0 if improved else meta["bad"] + 1
            if improved:
                meta["improved_epoch"] = meta["epoch"]
            meta.update(best_ndcg=score, best_epoch=meta["epoch"])
            best_state = {k: v.detach().clone() for k, v in encoder.state_dict().items()}
        else:
            meta["bad"] += 1
        if eval_hook is not None:
            eval_hook(encoder, meta["elapsed"])
        finish = False
        cd = meta.get("cooldown")
        if cd:
            finish = meta["epoch"] >= cd["epoch"] + cd["epochs"]
        elif meta["bad"] >= cfg.patience:
            # No cooldown when validation never rose above its first epoch (a flat or
            # falling curve, as on the demo shop and the Taobao log): it cannot see what the
            # lower rate would do, and a cooldown epoch is only kept if it beats the best.
            rose = meta.get("improved_epoch", meta["best_epoch"]) > 1  # older checkpoints
            falling = score < (1.0 - COOLDOWN_MAX_DROP) * meta["best_ndcg"]
            if (cfg.cooldown > 0 and rose and not falling
                    and meta["lr"] > COOLDOWN_MIN_RATE * cfg.lr):
                cd = {"epoch": meta["epoch"], "from": meta["lr"],
                      "epochs": max(cfg.patience, math.ceil(cfg.cooldown * meta["epoch"]))}
                meta["cooldown"] = cd
            else:
                finish = True
        left_budget = horizon - meta["elapsed"]
        per_epoch = recent_epoch_s(epoch_times) or meta["elapsed"]
        last = cd["epoch"] + cd["epochs"] if cd else cfg.max_epochs
        eta = min(left_budget, per_epoch * (min(last, cfg.max_epochs) - meta["epoch"]))
        left = max(0.0, eta)
        # done as a share of the expected time: what was spent, against what is left
        spent = meta["elapsed"] / max(meta["elapsed"] + left, 1e-9)
        report(progress, 100 * min(1.0, spent), 100, _stage(meta["epoch"], meta),
               epoch=meta["epoch"], loss=row["loss"], val_ndcg10=ndcg, lr=meta["lr"],
               eta_s=left)
        if checkpoint is not None:
            meta["rng"] = {"np": rng.bit_generator.state, "gen": gen.get_state().tolist()}
            _save_checkpoint(Path(checkpoint), encoder, best_state, opt, meta)
        if finish:
            stopped = "early"
            break
        if meta["elapsed"] + 0.5 * per_epoch > horizon:
            stopped = "budget"
            break
    encoder.load_state_dict(best_state)
    encoder.eval()
    return TrainingOutcome(meta["epoch"], meta["best_epoch"], meta["best_ndcg"], meta["history"],
                       stopped, meta["cooldown"]["epoch"] if meta.get("cooldown") else 0)


#: The smallest batch :attr:`TrainConfig.min_steps` shrinks to.
MIN_BATCH = 16


def epoch_batch(cfg: TrainConfig, n_windows: int) -> int:
    """The batch size for ``n_windows`` training windows (see :attr:`TrainConfig.min_steps`)."""
    if cfg.min_steps <= 0 or cfg.batch_size <= MIN_BATCH:
        return cfg.batch_size
    return max(MIN_BATCH, min(cfg.batch_size, math.ceil(n_windows / cfg.min_steps)))


def recent_epoch_s(epoch_times: list[float]) -> float:
    """Seconds of an epoch now: the mean of the latest three whole epochs (0 before any)."""
    return float(np.mean(epoch_times[-3:])) if epoch_times else 0.0


def loop_horizon(cfg: TrainConfig, epoch_times: list[float]) -> float:
    """Seconds the loop may run: the budget less the reserve for what follows it
    (:attr:`TrainConfig.reserve_s`), sized from the mean of the latest epochs (the first
    epoch, before any was measured, keeps ``reserve_s`` alone)."""
    reserve = min(cfg.reserve_max_s, max(cfg.reserve_s,
                                         cfg.reserve_epochs * recent_epoch_s(epoch_times)))
    return max(0.0, cfg.time_budget_s - reserve)


#: While validation scores exactly zero, an epoch counts as progress when its training loss is
#: this much (relative) below the lowest so far.
LOSS_PROGRESS = 0.005


def _loss_fell(meta: dict, loss: float) -> bool:
    best = meta.get("best_loss")
    meta["best_loss"] = loss if best is None else min(best, loss)
    return best is None or loss < best * (1 - LOSS_PROGRESS)


def _learning_rate(cfg: TrainConfig, step: int, done: float, warmup: int | None = None) -> float:
    """The rate for ``step`` when a fraction ``done`` of the run's horizon has passed."""
    warm = min(1.0, (step + 1) / max(1, cfg.warmup_steps if warmup is None else warmup))
    if cfg.schedule == "constant":
        return cfg.lr * warm
    if cfg.schedule != "cosine":
        raise ValueError(f"unknown schedule {cfg.schedule!r}; choose 'cosine' or 'constant'")
    return cfg.lr * warm * _half_cosine(1.0, cfg.min_lr_ratio, done)


def _half_cosine(start: float, end: float, t: float) -> float:
    """From ``start`` at t = 0 down to ``end`` at t = 1 (t clamped to [0, 1]) along a half cosine."""
    return end + (start - end) * 0.5 * (1 + math.cos(math.pi * min(1.0, max(0.0, t))))


def _stage(epoch: int, meta: dict) -> str:
    return f"epoch {epoch}" + (", final cooldown" if meta.get("cooldown") else "")


#: A plateau reached with the learning rate at or below this share of its peak stops training at
#: once; above it, the rate is first cooled down (``TrainConfig.cooldown``).
COOLDOWN_MIN_RATE = 0.1

#: Nor is there a cooldown when the smoothed validation has fallen more than this share below
#: its best: the model is overfitting, not levelling off, and a lower rate does not bring back
#: what it lost (the best epoch is kept anyway). The ML-1M plateaus where the cooldown fired sat
#: 0.4 % and 1.1 % below their best; the Taobao head had fallen 16 %, and its cooldown trained
#: 5.5 more minutes for nothing (bench/RESULTS.md).
COOLDOWN_MAX_DROP = 0.05


def _cooldown_rate(cfg: TrainConfig, cd: dict, epoch: float) -> float:
    """The rate ``epoch`` (fractional) into a cooldown: a half cosine from the rate where it
    began down to the schedule's floor, reached when the cooldown's epochs are done."""
    floor = cfg.lr * cfg.min_lr_ratio
    return _half_cosine(max(cd["from"], floor), floor, (epoch - cd["epoch"]) / max(1, cd["epochs"]))


def _target_mask(chunk: np.ndarray, length: int, target_ok: np.ndarray) -> torch.Tensor:
    """(B, length-1) mask: True where the next event's type counts as a training target."""
    mask = np.zeros((len(chunk), length - 1), dtype=bool)
    for row, (s, e) in enumerate(chunk):
        n = int(e - s)
        mask[row, length - n : length - 1] = target_ok[s + 1 : e]
    return torch.from_numpy(mask)
