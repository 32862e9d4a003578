"""The transformer itself: :class:`SequenceEncoder` (GPT-2 blocks over event features, tied item
vectors), the optional learned repeat term (:class:`RepeatScorer`), and encoding customers into
profiles (:func:`encode_users`, :func:`encode_profiles`)."""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from ...runtime.devices import autocast_dtype
from ...store.workspace import EVENT_TYPES
from .sequences import N_GAP_BUCKETS, EventSequences

N_AGE = 16  # buckets of "events ago" for the repeat term: 2·log2(1 + age)


# -- configuration ----------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class EncoderConfig:
    """Sizes of a :class:`SequenceEncoder`; ``text_dim`` 0 means no text features."""

    n_items: int
    d_model: int = 64
    n_layers: int = 2
    n_heads: int = 2
    max_len: int = 200
    dropout: float = 0.2
    # Item vectors enter the blocks times sqrt(d_model), as in SASRec (the transformer strategy
    # turns it on for new models without the repeat term; models saved before it existed load
    # with it off). Measured on ML-1M: the plateau in half the time.
    scale_items: bool = False
    text_dim: int = 0
    use_types: bool = True
    use_quantity: bool = True
    use_gaps: bool = True
    repeat: bool = False  # learned repeat term (RepeatScorer) on top of <p_u, p_i>

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> EncoderConfig:
        return cls(**json.loads(text))


# -- the model ---------------------------------------------------------------------------------
def _age_buckets(length: int, device: torch.device) -> torch.Tensor:
    """(L, L) bucket of ``t - s`` (events ago) for query t and history event s ≤ t."""
    t = torch.arange(length, device=device)
    age = (t.unsqueeze(1) - t.unsqueeze(0)).clamp(min=0).float()
    return (2 * torch.log2(age + 1)).floor().clamp(max=N_AGE - 1).long()


class RepeatScorer(nn.Module):
    """Learned evidence that the customer returns to an item they met ``age`` events ago."""

    def __init__(self, d: int) -> None:
        super().__init__()
        self.query = nn.Linear(d, d, bias=False)
        self.type_key = nn.Embedding(len(EVENT_TYPES), d)
        self.age_key = nn.Embedding(N_AGE, d)
        self.bias = nn.Parameter(torch.zeros(len(EVENT_TYPES), N_AGE))
        for w in (self.query.weight, self.type_key.weight, self.age_key.weight):
            nn.init.normal_(w, std=0.02)

    def evidence(self, h: torch.Tensor, types: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
        """(B, L, L): exp π[t, s] of history event s for the state after event t; 0 when s > t."""
        b, length, _ = h.shape
        q = self.query(h)
        ages = _age_buckets(length, h.device).unsqueeze(0).expand(b, length, length)
        pi = q @ self.type_key(types).transpose(1, 2)
        pi = pi + torch.gather(q @ self.age_key.weight.T, 2, ages)
        pi = pi + self.bias[types.unsqueeze(1).expand(b, length, length), ages]
        causal = torch.ones(length, length, dtype=torch.bool, device=h.device).tril()
        mask = causal.unsqueeze(0) & (tokens > 0).unsqueeze(1)
        return torch.where(mask, pi.float().clamp(max=15.0).exp(), torch.zeros((), device=h.device))

    def bonus(self, h: torch.Tensor, types: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
        """(B, L, L): the repeat bonus ``copy[t, s]`` of the item of history event s for the state
        after event t, summed over that item's occurrences up to t and put on its last one (0 on
        every other occurrence, on padding and for s > t), so that adding ``copy[t]`` at the
        items ``tokens - 1`` counts each history item once."""
        ev = self.evidence(h, types, tokens)
        same = ((tokens.unsqueeze(2) == tokens.unsqueeze(1)) & (tokens > 0).unsqueeze(2)).float()
        total = torch.log1p(ev @ same)  # evidence of s's item, all its occurrences s' ≤ t
        length = tokens.shape[1]
        after = torch.ones(length, length, device=h.device).triu(1)
        upto = torch.ones(length, length, device=h.device).tril()
        again = upto @ (same * after).transpose(1, 2)  # [t, s]: s's item occurs again by t
        seen = upto.bool().unsqueeze(0) & (tokens > 0).unsqueeze(1)
        return torch.where(seen & (again == 0), total, torch.zeros((), device=h.device))


Bonus = tuple[np.ndarray, np.ndarray, np.ndarray]


def empty_bonus() -> Bonus:
    return (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))


def add_bonus(scores: torch.Tensor, bonus: Bonus) -> torch.Tensor:
    """``scores`` (rows, all items) plus the bonus, in place."""
    r, c, v = bonus
    if len(r):
        scores.index_put_((torch.from_numpy(np.asarray(r, np.int64)),
                           torch.from_numpy(np.asarray(c, np.int64))),
                          torch.from_numpy(np.asarray(v, np.float32)).to(scores.dtype),
                          accumulate=True)
    return scores


class SequenceEncoder(nn.Module):
    """Event features → GPT-2 blocks → hidden states; tied item vectors for scoring."""

    def __init__(self, config: EncoderConfig, text_vectors: torch.Tensor | None = None) -> None:
        super().__init__()
        from transformers import GPT2Config, GPT2Model

        self.config = config
        d = config.d_model
        self.item_emb = nn.Embedding(config.n_items + 1, d, padding_idx=0)
        nn.init.normal_(self.item_emb.weight, std=0.02)
        with torch.no_grad():
            self.item_emb.weight[0].zero_()
        self.type_emb = nn.Embedding(len(EVENT_TYPES), d) if config.use_types else None
        self.gap_emb = nn.Embedding(N_GAP_BUCKETS, d) if config.use_gaps else None
        self.qty_vec = nn.Parameter(torch.zeros(d)) if config.use_quantity else None
        for emb in (self.type_emb, self.gap_emb):
            if emb is not None:
                nn.init.normal_(emb.weight, std=0.02)
        if config.text_dim:
            if text_vectors is None:
                text_vectors = torch.zeros(config.n_items, config.text_dim)
            self.register_buffer("text", text_vectors.float().contiguous())
            self.text_proj = nn.Linear(config.text_dim, d, bias=False)
            nn.init.normal_(self.text_proj.weight, std=0.02)
        else:
            self.text_proj = None
        gpt = GPT2Config(
            n_embd=d,
            n_layer=config.n_layers,
            n_head=config.n_heads,
            n_positions=config.max_len,
            vocab_size=1,
            resid_pdrop=config.dropout,
            embd_pdrop=config.dropout,
            # no attention dropout and no padding mask: both push CPU SDPA off its fused causal
            # kernel (measured 6x slower); padding is instead fixed to max_len everywhere
            attn_pdrop=0.0,
            activation_function="relu",
            bos_token_id=None,
            eos_token_id=None,
        )
        gpt._attn_implementation = "sdpa"
        self.backbone = GPT2Model(gpt)
        self.repeat = RepeatScorer(d) if config.repeat else None

    def item_vectors(self) -> torch.Tensor:
        """p_i for every item, (n_items, d): free embedding + projected text embedding."""
        vec = self.item_emb.weight[1:]
        if self.text_proj is not None:
            vec = vec + self.text_proj(self.text)
        return vec

    def forward(
        self,
        tokens: torch.Tensor,
        types: torch.Tensor | None = None,
        qty: torch.Tensor | None = None,
        gaps: torch.Tensor | None = None,
        item_vectors: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """Hidden states (B, L, d) for left-padded event tensors (B, L); token 0 is padding."""
        if item_vectors is None:
            item_vectors = self.item_vectors()
        table = torch.cat([item_vectors.new_zeros(1, item_vectors.shape[1]), item_vectors])
        x = table[tokens]
        if self.config.scale_items:
            x = x * math.sqrt(self.config.d_model)
        real = (tokens > 0).unsqueeze(-1).to(x.dtype)
        extra = torch.zeros_like(x)
        if self.type_emb is not None and types is not None:
            extra = extra + self.type_emb(types)
        if self.gap_emb is not None and gaps is not None:
            extra = extra + self.gap_emb(gaps)
        if self.qty_vec is not None and qty is not None:
            extra = extra + qty.unsqueeze(-1) * self.qty_vec
        x = x + extra * real
        length = tokens.shape[1]
        if length != self.config.max_len:
            raise ValueError(f"event tensors must be padded to max_len={self.config.max_len}")
        # Causal attention without a padding mask (SASRec does the same): padding is always
        # max_len - n zero events in front, so a profile is a fixed function of the history.
        out = self.backbone(inputs_embeds=x)
        return out.last_hidden_state


# -- evaluation --------------------------------------------------------------------------------
def encode_users(
    encoder: SequenceEncoder,
    seqs: EventSequences,
    users: np.ndarray,
    *,
    device: torch.device,
    batch_size: int = 256,
    drop_last: np.ndarray | None = None,
) -> torch.Tensor:
    """Profiles p_u (len(users), d) on the CPU: the state after each user's latest event.

    Users without events get a zero row (callers substitute a fallback).
    """
    return encode_profiles(encoder, seqs, users, device=device, batch_size=batch_size,
                           drop_last=drop_last, with_bonus=False)[0]


def encode_profiles(
    encoder: SequenceEncoder,
    seqs: EventSequences,
    users: np.ndarray,
    *,
    device: torch.device,
    batch_size: int = 256,
    drop_last: np.ndarray | None = None,
    with_bonus: bool = True,
) -> tuple[torch.Tensor, Bonus]:
    """Profiles as :func:`encode_users` and, when the encoder has a repeat term, each user's
    repeat bonus as COO (row in ``users``, item, value); empty otherwise."""
    was_training = encoder.training
    encoder.eval()
    max_len = encoder.config.max_len
    out = torch.zeros(len(users), encoder.config.d_model)
    spans = list(seqs.spans(users, max_len, drop_last))
    scorer = encoder.repeat if with_bonus else None
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    with torch.no_grad():
        items = encoder.item_vectors()
        for k in range(0, len(spans), batch_size):
            chunk = spans[k : k + batch_size]
            batch = {n: t.to(device) for n, t in seqs.pad([(lo, hi) for _, lo, hi in chunk],
                                                          max_len).items()}
            with _autocast(device):
                hs = encoder(**batch, item_vectors=items)
                h = hs[:, -1]
                if scorer is not None:
                    copy = scorer.bonus(hs, batch["types"], batch["tokens"])[:, -1].float().cpu()
            has = torch.tensor([hi > lo for _, lo, hi in chunk])
            out[k : k + len(chunk)] = torch.where(has.unsqueeze(1), h.float().cpu(), 0.0)
            if scorer is not None:
                tok = batch["tokens"].cpu().numpy()
                r, c = np.nonzero(copy.numpy() > 0)
                rows.append(r + k)
                cols.append(tok[r, c] - 1)
                vals.append(copy.numpy()[r, c])
    encoder.train(was_training)
    if not rows:
        return out, empty_bonus()
    return out, (np.concatenate(rows).astype(np.int64), np.concatenate(cols).astype(np.int64),
                 np.concatenate(vals).astype(np.float32))


# -- training ----------------------------------------------------------------------------------
def _autocast(device: torch.device):
    dtype = autocast_dtype(device)
    if dtype is None:
        return torch.autocast(device_type="cpu", enabled=False)
    return torch.autocast(device_type=device.type, dtype=dtype)
