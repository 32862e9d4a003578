"""Full-ranking metrics for the benchmarks, a chunk of customers at a time.

Helper module, not a benchmark: imported by ``sequential.py``, ``baselines.py``,
``ml1m_all_users.py`` and ``ml1m_cli.py``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from shoprec.core.ranking import metrics

CHUNK = 1024  # customers scored at once: 1,024 x a 200k catalog is 800 MB of float32


def ranks(scores: np.ndarray | Callable, targets: np.ndarray, seen: list[np.ndarray] | None,
          users: np.ndarray | None = None) -> np.ndarray:
    """Each row's 0-based rank of its target, its ``seen`` items excluded.

    ``targets`` and ``seen`` are row-aligned. ``scores`` is an array with the same rows, or a
    function from user indices to score rows (big catalogs); ``users`` are the indices it gets
    (default: the row numbers)."""
    targets = np.asarray(targets)
    if seen is None:
        seen = [np.zeros(0, dtype=np.int64)] * len(targets)
    rows = np.arange(len(targets)) if users is None else np.asarray(users)
    out = []
    for lo in range(0, len(rows), CHUNK):
        s = scores(rows[lo : lo + CHUNK]) if callable(scores) else scores[lo : lo + CHUNK]
        s = torch.from_numpy(np.ascontiguousarray(s, dtype=np.float32))
        out.append(metrics.target_ranks(s, targets[lo : lo + CHUNK],
                                     [np.asarray(x) for x in seen[lo : lo + CHUNK]]).numpy())
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)


def ndcg_hr(rank: np.ndarray, k: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """Per-row NDCG@k and hit@k from 0-based ranks (:func:`shoprec.core.ranking.metrics.ndcg_hr`)."""
    return metrics.ndcg_hr(np.asarray(rank), k)
