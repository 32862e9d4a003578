"""The transformer's inputs: each customer's events as model tokens (item, event type, quantity,
time gap), laid out per customer, and the training windows cut from them."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import torch

from ...data.dataset import Dataset, type_codes

N_GAP_BUCKETS = 24  # log2 buckets of seconds since the previous event (0 = first event / same second)


# -- inputs ------------------------------------------------------------------------------------
class EventSequences:
    """Per-event model inputs grouped by user (only positive event types, i.e. no refunds).

    ``tokens`` (item + 1), ``types``, ``qty`` (log1p quantity), ``gaps`` (bucket) are length E';
    ``indptr`` (U + 1) slices each user's chronological events.
    """

    def __init__(self, dataset: Dataset) -> None:
        keep = np.isin(dataset.types, type_codes(None))
        users = dataset.users[keep]
        self.n_users = dataset.n_users
        self.n_items = dataset.n_items
        self.tokens = dataset.items[keep].astype(np.int64) + 1
        self.types = dataset.types[keep].astype(np.int64)
        q = np.nan_to_num(dataset.quantities[keep], nan=1.0)
        self.qty = np.log1p(np.clip(q, 0, None)).astype(np.float32)
        times = dataset.times[keep]
        counts = np.bincount(users, minlength=dataset.n_users)
        self.indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        gap = np.zeros(len(times), dtype=np.int64)
        if len(times) > 1:
            diff = np.diff(times).astype(np.float64)
            same_user = users[1:] == users[:-1]
            b = np.where(diff > 0, np.floor(np.log2(np.maximum(diff, 1))) + 1, 0)
            gap[1:] = np.where(same_user, np.clip(b, 0, N_GAP_BUCKETS - 1), 0)
        self.gaps = gap

    def lengths(self) -> np.ndarray:
        return np.diff(self.indptr)

    def spans(self, users: Iterable[int], max_len: int, drop_last: np.ndarray | None = None):
        """(user, start, end) of each user's latest ``max_len`` events (end excluded)."""
        for u in users:
            lo, hi = int(self.indptr[u]), int(self.indptr[u + 1])
            if drop_last is not None and drop_last[u]:
                hi -= 1
            yield u, max(lo, hi - max_len), hi

    def pad(self, spans: list[tuple[int, int]], length: int) -> dict[str, torch.Tensor]:
        """Left-padded tensors (B, length) for event ranges ``[start, end)``."""
        b = len(spans)
        tok = np.zeros((b, length), dtype=np.int64)
        typ = np.zeros((b, length), dtype=np.int64)
        qty = np.zeros((b, length), dtype=np.float32)
        gap = np.zeros((b, length), dtype=np.int64)
        for row, (lo, hi) in enumerate(spans):
            n = hi - lo
            if n <= 0:
                continue
            tok[row, length - n :] = self.tokens[lo:hi]
            typ[row, length - n :] = self.types[lo:hi]
            qty[row, length - n :] = self.qty[lo:hi]
            gap[row, length - n :] = self.gaps[lo:hi]
        return {
            "tokens": torch.from_numpy(tok),
            "types": torch.from_numpy(typ),
            "qty": torch.from_numpy(qty),
            "gaps": torch.from_numpy(gap),
        }


def training_windows(seqs: EventSequences, max_len: int, holdout: np.ndarray,
                     latest_only: bool = False) -> np.ndarray:
    """Windows ``(start, end)`` of ``max_len + 1`` events covering every next-event target once.

    Long histories are cut into several windows (latest first) so that each event of the shop's
    history is a target exactly once per epoch, not only the latest ``max_len``; with
    ``latest_only``, each customer's latest window alone (SASRec's practice).
    """
    out = []
    for u in range(seqs.n_users):
        lo, hi = int(seqs.indptr[u]), int(seqs.indptr[u + 1]) - int(holdout[u])
        end = hi
        while end - lo >= 2 and (end == hi or not latest_only):
            start = max(lo, end - max_len - 1)
            out.append((start, end))
            end = start + 1  # next window's last input is this window's first input
    return np.array(out, dtype=np.int64).reshape(-1, 2)


def repeat_share(seqs: EventSequences) -> float:
    """Share of events whose item the same customer already had an earlier event with."""
    n = len(seqs.tokens)
    if n == 0:
        return 0.0
    users = np.repeat(np.arange(seqs.n_users, dtype=np.int64), np.diff(seqs.indptr))
    pairs = users * (int(seqs.tokens.max()) + 1) + seqs.tokens
    return 1.0 - len(np.unique(pairs)) / n
