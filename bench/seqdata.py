"""Loaders for the sequential benchmarks (ml-1m gSASRec split, Amazon Video, Taobao head).

Each returns plain arrays in index space; nothing here is part of the app.

Helper module, not a benchmark: imported by ``sequential.py``, ``engine_eval.py``,
``ml1m_all_users.py``, ``ml1m_cli.py`` and the ML-1M probes in ``bench/probes/``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from shoprec.core.data.dataset import TYPE_CODE, Dataset

DATA = Path(os.environ.get("SHOPREC_BENCH_DATA")
            or Path(__file__).resolve().parents[1].parent / "shared" / "data")


def _lines(path: Path) -> list[list[int]]:
    return [[int(x) - 1 for x in line.split()] for line in path.read_text().splitlines()]


@dataclass
class Ml1m:
    train: list[list[int]]  # 6040 train lines (0-based items)
    val_users: np.ndarray  # 512 user indices
    val_input: list[list[int]]
    val_output: np.ndarray
    test: np.ndarray  # 6040 targets
    n_items: int

    def history_512(self) -> list[list[int]]:
        """Training histories: train lines, val users with val input + val output."""
        seqs = [list(s) for s in self.train]
        for k, u in enumerate(self.val_users):
            seqs[u] = self.val_input[k] + [int(self.val_output[k])]
        return seqs


def load_ml1m() -> Ml1m:
    root = DATA / "ml-1m-gsasrec"
    train = _lines(root / "train" / "input.txt")
    val_in = _lines(root / "val" / "input.txt")
    val_out = np.array([s[0] for s in _lines(root / "val" / "output.txt")])
    test = np.array([s[0] for s in _lines(root / "test" / "output.txt")])
    # validation users: the train line is a prefix of the val input
    by_key: dict[tuple, list[int]] = {}
    for u, s in enumerate(train):
        by_key.setdefault(tuple(s[:3]), []).append(u)
    val_users = []
    for s in val_in:
        cands = [u for u in by_key.get(tuple(s[:3]), []) if s[: len(train[u])] == train[u]
                 and len(s) > len(train[u])]
        if len(cands) != 1:
            raise ValueError(f"cannot match a validation user uniquely ({len(cands)} candidates)")
        val_users.append(cands[0])
    n_items = 1 + max(max(max(s) for s in train if s), int(test.max()), int(val_out.max()))
    return Ml1m(train, np.array(val_users), val_in, val_out, test, n_items)


def load_amazon_video() -> tuple[list[list[int]], int]:
    pairs = np.loadtxt(DATA / "amazon-video-sasrec" / "Video.txt", dtype=np.int64)
    users, items = pairs[:, 0] - 1, pairs[:, 1] - 1
    n_users, n_items = int(users.max()) + 1, int(items.max()) + 1
    bounds = np.searchsorted(users, np.arange(n_users + 1))
    return [items[bounds[u] : bounds[u + 1]].tolist() for u in range(n_users)], n_items


def load_taobao() -> Dataset:
    """The Taobao head as a Dataset with event types (the truncated last line is skipped)."""
    users, items, types, times = [], [], [], []
    names = {"pv": "view", "cart": "cart", "fav": "fav", "buy": "purchase"}
    path = DATA / "taobao-userbehavior-head" / "UserBehavior.csv"
    for line in path.read_text().splitlines():
        parts = line.split(",")
        if len(parts) != 5:
            continue  # the file's truncated last line
        users.append(parts[0])
        items.append(parts[1])
        types.append(TYPE_CODE[names[parts[3]]])
        times.append(int(parts[4]))
    uid, u = np.unique(np.array(users), return_inverse=True)
    iid, i = np.unique(np.array(items), return_inverse=True)
    n = len(u)
    return Dataset(user_ids=uid.astype(object), item_ids=iid.astype(object), users=u, items=i,
                   types=np.array(types), times=np.array(times), quantities=np.ones(n),
                   values=np.full(n, np.nan), orders=np.full(n, -1))
