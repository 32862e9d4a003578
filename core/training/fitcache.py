"""Fitted strategies shared inside one piece of work (a Compare), keyed by settings and data.

A Compare fits the transformer for the ``transformer`` strategy, again inside ``blend`` (as a
member) and again inside ``multitask`` (its single-task candidate). When the strategy, its
settings, the seed, the device and the events it learns from are the same, the fit is the same:
:func:`shared_fits` lets :func:`shoprec.core.training.fit_strategy` hand out a copy of the first
fit instead of training again. Outside a :func:`shared_fits` block nothing is cached.

Each caller gets its own deep copy (a strategy is changed in place by ``extend`` and
``update``); the dataset it was fitted on is shared, never copied.
"""

from __future__ import annotations

import contextlib
import contextvars
import copy
import hashlib
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

import numpy as np

from ..data.dataset import Dataset

#: Most fitted strategies one block keeps (oldest dropped first).
CAPACITY = 16

_active: contextvars.ContextVar[FitCache | None] = contextvars.ContextVar("shoprec_fits", default=None)


def fingerprint(ds: Dataset) -> str:
    """A digest of the events a strategy learns from (and the catalogue's size)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(np.array([ds.n_users, ds.n_items, ds.n_events], dtype=np.int64).tobytes())
    for arr in (ds.users, ds.items, ds.types, ds.times, ds.quantities, ds.values, ds.orders):
        h.update(np.ascontiguousarray(arr).tobytes())
    if ds.guest_items is not None:
        h.update(np.ascontiguousarray(ds.guest_items).tobytes())
        h.update(np.ascontiguousarray(ds.guest_baskets).tobytes())
    return h.hexdigest()


class FitCache:
    """Fitted strategies by (strategy, settings, seed, device, data)."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        self._fits: OrderedDict[tuple, Any] = OrderedDict()
        self._prints: dict[int, tuple[Dataset, str]] = {}
        self.hits = 0
        self.misses = 0

    def _print(self, ds: Dataset) -> str:
        known = self._prints.get(id(ds))
        if known is not None and known[0] is ds:
            return known[1]
        value = fingerprint(ds)
        self._prints[id(ds)] = (ds, value)
        return value

    def key(self, name: str, params_json: str, ds: Dataset, seed: int, device: Any) -> tuple:
        return (name, params_json, int(seed), str(device), self._print(ds))

    def get(self, key: tuple, ds: Dataset) -> Any | None:
        model = self._fits.get(key)
        if model is None:
            self.misses += 1
            return None
        self.hits += 1
        self._fits.move_to_end(key)
        return _copy(model, ds)

    def put(self, key: tuple, model: Any, ds: Dataset) -> None:
        self._fits[key] = _copy(model, ds)
        while len(self._fits) > self.capacity:
            self._fits.popitem(last=False)


def _copy(value: Any, ds: Dataset) -> Any:
    """A deep copy of ``value`` (a strategy, or a tuple holding one) sharing ``ds``."""
    memo: dict[int, Any] = {id(ds): ds}
    for part in value if isinstance(value, tuple) else (value,):
        for shared in ("dataset", "kit"):  # the data and the engine's kit are never copied
            if getattr(part, shared, None) is not None:
                memo[id(getattr(part, shared))] = getattr(part, shared)
    return copy.deepcopy(value, memo)


def active() -> FitCache | None:
    """The cache of the enclosing :func:`shared_fits` block, None outside one."""
    return _active.get()


@contextlib.contextmanager
def shared_fits(cache: FitCache | None = None) -> Iterator[FitCache]:
    """Within this block, equal fits are made once (see the module docstring)."""
    cache = cache or active() or FitCache()
    token = _active.set(cache)
    try:
        yield cache
    finally:
        _active.reset(token)
