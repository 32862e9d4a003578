"""Transformer customer profiles: a causal encoder over each customer's chronological events.

The reusable pieces (other strategies, e.g. multi-task, build on them):

- :class:`EncoderConfig` — sizes and switches of the encoder (a frozen dataclass).
- :class:`SequenceEncoder` (``encoder.py``) — ``nn.Module``: event features → GPT-2 blocks (HF ``GPT2Model`` fed
  with ``inputs_embeds``) → hidden states ``(B, L, d)``. ``item_vectors()`` is the tied item table
  ``p_i`` ``(n_items, d)``: a free embedding plus, when the catalog has text, a learned projection
  of each item's frozen sentence embedding (:mod:`shoprec.core.models.text`), so rarely seen items
  still get meaningful vectors.
- :class:`EventSequences` (``sequences.py``) — the per-event model inputs (item, event type, quantity, time gap)
  laid out per user; ``batch(users)`` gives left-padded tensors of each user's latest events.
- :func:`train_encoder` (``loop.py``) — the training loop: next-item objective on every position, full softmax
  cross-entropy (``loss="ce"``), a softmax over sampled negatives (``loss="sce"``) or gBCE with
  sampled negatives (``loss="gbce"``), validation NDCG@10
  on held-out last events, early stopping, a time budget, progress/cancel, checkpoint/resume,
  CPU-reproducible seeds (when ``max_epochs`` ends the run; a run that the time budget ends
  follows the machine's speed, in its epoch count and its learning-rate schedule), mixed
  precision on CUDA.
- :func:`compute_profiles` — ``p_u``: the encoder state after each customer's latest event.
- :class:`RepeatScorer` — the optional learned *repeat* term (``EncoderConfig.repeat``): shoppers
  mostly buy what they looked at, so each item of the customer's recent events gets a bonus
  ``log(1 + Σ exp π)`` over its occurrences, ``π`` from the profile, the event type and how many
  events ago. The score of item ``i`` is then ``<p_u, p_i> + copy_ui`` (``copy`` is 0 for items
  outside the history). :func:`encode_profiles` returns the bonus next to the profiles.

Shapes: U users, I items, d model width, L = ``max_len``. Item index ``i`` is token ``i + 1``;
token 0 is padding. Every window is left-padded to ``max_len`` and attention is causal with no
padding mask (as in SASRec): that keeps CPU attention on its fused kernel (6x faster, measured)
and makes a profile a fixed function of the history, whatever batch it is computed in.
"""

from .encoder import (
    Bonus,
    EncoderConfig,
    RepeatScorer,
    SequenceEncoder,
    add_bonus,
    empty_bonus,
    encode_profiles,
    encode_users,
)
from .loop import (
    TrainConfig,
    TrainingOutcome,
    ndcg_hr_at_k,
    ndcg_hr_per_row,
    train_encoder,
    validation_exclusions,
)
from .sequences import EventSequences, repeat_share, training_windows

__all__ = [
    "Bonus",
    "EncoderConfig",
    "EventSequences",
    "RepeatScorer",
    "SequenceEncoder",
    "TrainConfig",
    "TrainingOutcome",
    "add_bonus",
    "empty_bonus",
    "encode_profiles",
    "encode_users",
    "ndcg_hr_at_k",
    "ndcg_hr_per_row",
    "repeat_share",
    "train_encoder",
    "training_windows",
    "validation_exclusions",
]
