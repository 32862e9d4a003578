"""The statistics of a send / holdout campaign: random assignment, intervals, power.

Everything here is closed-form arithmetic on counts (standard library and numpy only), so a
reader can check it by hand:

- :func:`assign_groups`: a seeded random split of an audience into *send* and *holdout*, with
  exactly ``round(holdout × n)`` customers held out.
- :func:`wilson`: the Wilson score interval of one proportion.
- :func:`difference_interval`: Newcombe's hybrid score interval (his method 10, 1998) for the
  difference of two proportions. Unlike the textbook Wald interval it stays inside [-1, 1] and
  keeps its coverage with a handful of buyers, which is what small shops have.
- :func:`detectable_difference` / :func:`needed_holdout`: the two-proportion power calculation
  (two-sided test at 5 %, power 80 % by default) behind "this campaign can tell an effect of
  X percentage points or more".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

SEND = "send"
HOLDOUT = "holdout"
Z95 = NormalDist().inv_cdf(0.975)  # 1.959964...


def assign_groups(n: int, holdout: float, seed: int) -> np.ndarray:
    """A random *send* / *holdout* label for each of ``n`` audience members (array of str).

    Exactly ``round(holdout * n)`` are held out, chosen by a seeded shuffle: the same ``n``,
    ``holdout`` and ``seed`` always give the same split.
    """
    if not 0.0 <= holdout < 1.0:
        raise ValueError(f"holdout must be a share in [0, 1) (got {holdout})")
    if n < 0:
        raise ValueError(f"audience size must not be negative (got {n})")
    n_hold = int(round(holdout * n))
    labels = np.full(n, SEND, dtype=object)
    order = np.random.default_rng(seed).permutation(n)
    labels[order[:n_hold]] = HOLDOUT
    return labels


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of ``successes / n``; (0, 1) when ``n`` is 0."""
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def difference_interval(
    x1: int, n1: int, x2: int, n2: int, z: float = Z95
) -> tuple[float, tuple[float, float]]:
    """``x1/n1 − x2/n2`` and its 95 % interval by Newcombe's hybrid score method.

    Reference (Newcombe 1998, Stat. Med. 17:873, table II, example (a)): 56/70 vs 48/80 gives
    0.2 with interval (0.0524, 0.3339).
    """
    if n1 <= 0 or n2 <= 0:
        return 0.0, (-1.0, 1.0)
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson(x1, n1, z)
    l2, u2 = wilson(x2, n2, z)
    d = p1 - p2
    lower = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    upper = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, (max(-1.0, lower), min(1.0, upper))


def _z_power(power: float, alpha: float) -> float:
    return NormalDist().inv_cdf(1 - alpha / 2) + NormalDist().inv_cdf(power)


def detectable_difference(
    base_rate: float, n_send: int, n_holdout: int, *, power: float = 0.8, alpha: float = 0.05
) -> float | None:
    """The smallest rise in the buying rate (send minus holdout, a share) that a two-sided test
    at level ``alpha`` finds with probability ``power``, for groups of these sizes whose rate
    without the e-mail is ``base_rate``. None when a group is empty.

    Solves ``δ = (z₁₋α/₂ + z_power) · sqrt(p₁(1−p₁)/n_send + p₀(1−p₀)/n_holdout)`` with
    ``p₁ = p₀ + δ`` by fixed-point iteration (the variance grows with the effect).
    """
    if n_send <= 0 or n_holdout <= 0:
        return None
    p0 = min(max(base_rate, 1e-6), 1 - 1e-6)
    z = _z_power(power, alpha)
    delta = z * math.sqrt(p0 * (1 - p0) * (1 / n_send + 1 / n_holdout))
    for _ in range(100):
        p1 = min(p0 + delta, 1 - 1e-9)
        new = z * math.sqrt(p1 * (1 - p1) / n_send + p0 * (1 - p0) / n_holdout)
        if abs(new - delta) < 1e-10:
            delta = new
            break
        delta = new
    return min(delta, 1 - p0)


def needed_size(
    base_rate: float, difference: float, holdout: float, *, power: float = 0.8,
    alpha: float = 0.05,
) -> int | None:
    """How many customers in all (send + holdout, holdout a ``holdout`` share) a campaign needs
    to detect a rise of ``difference`` over ``base_rate``; None when it cannot (no rise, or no
    holdout)."""
    if difference <= 0 or not 0 < holdout < 1:
        return None
    p0 = min(max(base_rate, 1e-6), 1 - 1e-6)
    p1 = min(p0 + difference, 1 - 1e-6)
    z = _z_power(power, alpha)
    # n_send = (1 - h) N, n_holdout = h N  =>  N = z² (p1 q1 / (1-h) + p0 q0 / h) / δ²
    total = z * z * (p1 * (1 - p1) / (1 - holdout) + p0 * (1 - p0) / holdout) / difference**2
    return int(math.ceil(total))


@dataclass(frozen=True, kw_only=True)
class PowerPlan:
    """What a campaign of this size and holdout can tell, in numbers and in words."""

    send: int
    holdout: int
    base_rate: float  # expected buying rate without the e-mail (mean probability)
    detectable: float | None  # smallest rise in the rate found 8 times out of 10
    power: float = 0.8

    @property
    def detectable_buyers(self) -> float | None:
        """The same rise as extra buyers among the *send* group."""
        return None if self.detectable is None else self.detectable * self.send

    def as_dict(self) -> dict:
        return {"send": self.send, "holdout": self.holdout, "base_rate": self.base_rate,
                "detectable_difference": self.detectable,
                "detectable_buyers": self.detectable_buyers, "power": self.power,
                "text": self.text()}

    def text(self) -> str:
        if self.detectable is None:
            if self.holdout == 0:
                return ("With no holdout group nobody is kept back to compare with, so the report "
                        "cannot tell whether the e-mail made a difference.")
            return "The audience is empty: there is nothing to send."
        rate = self.base_rate
        to = min(rate + self.detectable, 1.0)
        return (
            f"Sending to {self.send:,} customers and keeping {self.holdout:,} back, of whom about "
            f"{pct(rate)} would buy anyway, the report can tell an effect of "
            f"{self.detectable * 100:.1f} percentage points or more ({pct(rate)} → {pct(to)}, "
            f"about {self.detectable_buyers:,.0f} extra buyers) in {round(self.power * 10)} "
            f"campaigns out of 10. A smaller effect will most likely read "
            f"\"too few customers to tell\"."
        )


def plan(base_rate: float, n_send: int, n_holdout: int, power: float = 0.8) -> PowerPlan:
    return PowerPlan(send=n_send, holdout=n_holdout, base_rate=base_rate,
                     detectable=detectable_difference(base_rate, n_send, n_holdout, power=power),
                     power=power)


def pct(share: float) -> str:
    """A share in plain words: 0.0432 -> "4.3 %", 0.0004 -> "0.04 %"."""
    value = share * 100
    if value == 0:
        return "0 %"
    if abs(value) < 1:
        return f"{value:.2f} %"
    return f"{value:.1f} %"
