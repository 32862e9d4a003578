"""How a Compare spends its time: quick strategies first, a budget split over the long ones.

A Compare of every strategy used to train the transformer three times to its own 30-minute
budget (alone, inside ``blend``, inside ``multitask``): 44 minutes on a 610-customer shop. Now

- equal fits are made once (:mod:`shoprec.core.training.fitcache`);
- the quick strategies run first; the long-trained ones (a ``time_budget_min`` or
  ``time_budget_s`` setting, or a blend of them) share what is left of the Compare's budget: each
  training gets an equal share, and a strategy whose own budget is larger is capped to it
  (``learning_cap_min`` in the report says so; where a strategy stops earlier by itself, the
  cap changes nothing);
- a strategy measured before in this program with the same settings on the same data is not
  measured again (:func:`finished_before`), so pressing Compare again after a stop, or with one
  more strategy ticked, only measures what is new.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from ..contracts.progress import ProgressFn, sub_progress

#: The budget "auto" picks: this many minutes for shops up to ``SMALL_EVENTS`` events, else
#: ``LARGE_MINUTES``.
SMALL_MINUTES = 10.0
LARGE_MINUTES = 30.0
SMALL_EVENTS = 200_000
#: Share of the long strategies' time kept for calibrating and ranking after they learned.
RESERVE = 0.2
#: A blend of long-trained strategies counts as this many trainings (its quick members too).
BLEND_WEIGHT = 1.5
#: A long strategy never gets less than this many minutes of learning.
MIN_CAP_MIN = 0.5
#: How many measured strategies a program remembers (:func:`finished_before`).
REMEMBERED = 64

_BUDGET_FIELDS = {"time_budget_min": 1.0, "time_budget_s": 1.0 / 60.0}  # field -> minutes per unit
_finished: OrderedDict[tuple, dict[str, Any]] = OrderedDict()


def default_budget_min(n_events: int) -> float:
    """The Compare budget "auto" chooses for a shop of ``n_events`` events."""
    return SMALL_MINUTES if n_events <= SMALL_EVENTS else LARGE_MINUTES


def finished_before(key: tuple) -> dict[str, Any] | None:
    """The result of a strategy measured earlier in this program under ``key``, if any."""
    found = _finished.get(key)
    if found is not None:
        _finished.move_to_end(key)
    return None if found is None else dict(found)


def remember(key: tuple, result: dict[str, Any]) -> None:
    if "error" in result:
        return
    _finished[key] = dict(result)
    while len(_finished) > REMEMBERED:
        _finished.popitem(last=False)


def forget_all() -> None:
    """Forget every remembered result (tests; a changed plugin)."""
    _finished.clear()


def _budget_field(params: Any) -> tuple[str, float] | None:
    if not dataclasses.is_dataclass(params):
        return None
    for f in dataclasses.fields(params):
        if f.name in _BUDGET_FIELDS:
            return f.name, _BUDGET_FIELDS[f.name]
    return None


class ComparePlan:
    """The order, the learning caps and the progress lines of one Compare."""

    def __init__(self, names: Sequence[str], specs: dict[str, Any], budget_min: float | None,
                 started: float, dataset: Any = None, device: Any = None) -> None:
        self.dataset, self.device = dataset, device
        self.names = list(names)
        self.specs = specs
        self.budget_s = None if budget_min is None else 60.0 * float(budget_min)
        self.started = started
        self.weights = [self._weight(name) for name in self.names]
        if "multitask" in self.names and any(n in self.names for n in ("transformer", "blend")):
            # multitask's single-task candidate is the same fit as theirs: it mostly shares
            self.weights = [w * 0.5 if n == "multitask" else w
                            for n, w in zip(self.names, self.weights, strict=True)]
        #: quick strategies first (stable), then the long ones
        self.order = sorted(range(len(self.names)), key=lambda i: self.weights[i] > 0)
        self.cap_min: float | None = None  # minutes of learning per long training, once known
        self._done = 0

    def _weight(self, name: str) -> float:
        spec = self.specs.get(name)
        if spec is None:
            return 0.0
        try:
            params = spec.params()
        except Exception:  # noqa: BLE001  (a plugin's params that do not build: no weight)
            return 0.0
        if _budget_field(params) is not None:
            return 1.0
        members = getattr(params, "members", None)
        if isinstance(members, str) and hasattr(params, "member_settings"):
            # a blend learns its long members and every quick one again on held-back data
            heavy = [m.strip() for m in members.split(",") if self._weight(m.strip()) > 0]
            return BLEND_WEIGHT if heavy else 0.0
        return 0.0

    def expected_s(self, name: str) -> float | None:
        """Seconds one fit of ``name`` is expected to take here, where its plugin says
        (``expected_seconds(dataset, device)`` on its class); None where it does not."""
        spec = self.specs.get(name)
        guess = getattr(getattr(spec, "factory", None), "expected_seconds", None)
        if self.dataset is None or not callable(guess):
            return None
        try:
            return float(guess(self.dataset, self.device))
        except Exception:  # noqa: BLE001  (a plugin's guess that fails: no guess)
            return None

    def too_long(self, name: str) -> str | None:
        """Why ``name`` is not measured in what is left of the budget (its fit and its refit on
        the held-out events would outlast it), or None."""
        left = self.left_s()
        guess = self.expected_s(name)
        if left is None or guess is None or 2 * guess <= left:
            return None
        return (f"not measured: it would take about {math.ceil(2 * guess / 60)} min on this "
                f"computer, more than the {max(1, math.floor(left / 60))} min left of the "
                f"comparison's time (measure it alone with --minutes none)")

    # -- the budget ------------------------------------------------------------------------
    def left_s(self) -> float | None:
        if self.budget_s is None:
            return None
        return max(0.0, self.budget_s - (time.monotonic() - self.started))

    def _cap(self) -> float | None:
        """Minutes of learning for each long training, fixed when the first long one starts
        (one value for all of them, so that equal fits stay equal and are shared)."""
        if self.budget_s is None:
            return None
        if self.cap_min is None:
            left = self.left_s() or 0.0
            trainings = sum(self.weights[i] for i in self.order[self._done:]) or 1.0
            self.cap_min = max(MIN_CAP_MIN, (1.0 - RESERVE) * left / 60.0 / trainings)
        return self.cap_min

    def capped(self, spec: Any, params: Any) -> tuple[Any, float | None]:
        """``params`` with its learning time capped to this Compare's share, and the cap in
        minutes (None when nothing was capped)."""
        if self.budget_s is None or self._weight(spec.name) == 0:
            return params, None
        cap = self._cap()
        assert cap is not None
        found = _budget_field(params)
        if found is not None:
            name, per_unit = found
            own = float(getattr(params, name)) * per_unit
            if own <= cap:
                return params, None
            value = cap / per_unit
            return dataclasses.replace(params, **{name: round(value, 3)}), round(cap, 3)
        # a blend: members that would outlast its share are left out, long ones are capped
        share_s = 60.0 * cap * BLEND_WEIGHT
        kept = [m.strip() for m in str(params.members).split(",") if m.strip()]
        slow = [m for m in kept if (self.expected_s(m) or 0.0) > share_s]
        if slow:
            params = dataclasses.replace(params, members=",".join(m for m in kept
                                                                  if m not in slow))
        settings = str(getattr(params, "member_settings", "") or "")
        given = {part.split("=", 1)[0].strip().split(".", 1)[0]
                 for part in settings.split(";") if "=" in part}
        extra = []
        for member in str(params.members).split(","):
            member = member.strip()
            spec_m = self.specs.get(member)
            if not member or member in given or spec_m is None or self._weight(member) == 0:
                continue
            found = _budget_field(spec_m.params())
            if found is None:
                continue
            name, per_unit = found
            own = float(getattr(spec_m.params(), name)) * per_unit
            if own > cap:
                extra.append(f"{member}.{name}={round(cap / per_unit, 3)}")
        if not extra:
            return params, (round(cap, 3) if slow else None)
        joined = "; ".join([s for s in [settings.strip()] if s] + extra)
        return dataclasses.replace(params, member_settings=joined), round(cap, 3)

    # -- progress --------------------------------------------------------------------------
    def done_share(self, n: int) -> float:
        """Percent of the Compare done when the ``n``-th strategy (in running order) starts."""
        total = sum(w or 0.1 for w in self.weights) or 1.0
        done = sum(self.weights[i] or 0.1 for i in self.order[:n])
        return 100.0 * done / total

    def label(self, name: str, n: int, what: str) -> str:
        text = f"{name} ({n + 1} of {len(self.names)}): {what}"
        left = self.left_s()
        if left is not None:
            text += f" · about {max(1, math.ceil(left / 60))} min left"
        return text

    def metrics(self) -> dict[str, Any]:
        left = self.left_s()
        return {} if left is None else {"eta_s": round(left)}

    def stage(self, progress: ProgressFn | None, name: str, n: int, lo: float, hi: float,
              what: str) -> ProgressFn | None:
        """[lo, hi] of the ``n``-th strategy's share of the whole, in percent."""
        start, end = self.done_share(n), self.done_share(n + 1)
        return sub_progress(progress, start + (end - start) * lo, start + (end - start) * hi,
                            self.label(name, n, what))

    def finish(self, n: int) -> None:
        self._done = n + 1
