"""Backtests of campaign audiences on the shop's own history: learn from the events before a
date, build the audience as a campaign would, and count who bought in the window after it,
against customers picked at random (the same numbers a campaign report gives, for campaigns the
shop never sent). ``shoprec campaign backtest``; bench/campaign_backtest.py runs it on real data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..contracts.progress import CancelToken, ProgressFn, check, sub_progress
from ..contracts.progress import report as report_progress
from ..data.dataset import TYPE_CODE, Dataset
from ..store.workspace import Workspace
from .audiences import (
    AudienceError,
    Scorer,
    fit_window_shift,
    item_audience,
    resolve_items,
)
from .campaigns import CampaignError, _day, _fitter
from .experiments import (
    HOLDOUT,
    SEND,
    assign_groups,
    difference_interval,
    pct,
    wilson,
)

if TYPE_CHECKING:
    pass

DAY = 86_400
DEFAULT_WINDOW_DAYS = 14.0
DEFAULT_HOLDOUT = 0.2


# -------------------------------------------------------------------------------------------
# Backtest on history
# -------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ItemBacktest:
    item: str
    title: str
    size: int
    eligible: int
    expected: float
    bought: int  # audience members who bought in the window
    rate: float
    rate_ci95: tuple[float, float]
    base_rate: float  # share of all eligible customers who bought
    random_bought: int  # a seeded random sample of the same size
    random_rate_ci95: tuple[float, float]
    popular_bought: int  # the popularity strategy's audience (most recently active)
    vs_popular: float  # difference of buying rates, audience minus popularity audience
    vs_popular_ci95: tuple[float, float]
    send_holdout: float  # A/A: a random split of the audience, nothing sent
    send_holdout_ci95: tuple[float, float]

    @property
    def lift(self) -> float | None:
        """How many times the shop-wide rate the audience bought at."""
        return self.rate / self.base_rate if self.base_rate > 0 else None

    def as_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        out["lift"] = self.lift
        return out


@dataclass(frozen=True, kw_only=True)
class Backtest:
    as_of: str
    window_days: float
    strategy: str
    size: int
    items: tuple[ItemBacktest, ...]
    event: str = ""

    def totals(self) -> dict[str, Any]:
        size = sum(r.size for r in self.items)
        bought = sum(r.bought for r in self.items)
        pop = sum(r.popular_bought for r in self.items)
        rnd = sum(r.random_bought for r in self.items)
        base = sum(r.base_rate * r.size for r in self.items)
        lifts = [r.lift for r in self.items if r.lift is not None]
        diff, ci = difference_interval(bought, size, pop, size)
        return {"audience_size": size, "bought": bought, "expected": sum(r.expected for r in self.items),
                "random_bought": rnd, "base_expected": base, "popular_bought": pop,
                "mean_lift": float(np.mean(lifts)) if lifts else None,
                "pooled_lift": bought / base if base > 0 else None,
                "vs_popular": diff, "vs_popular_ci95": list(ci)}

    def as_dict(self) -> dict[str, Any]:
        return {"as_of": self.as_of, "window_days": self.window_days, "strategy": self.strategy,
                "size": self.size, "event": self.event,
                "items": [r.as_dict() for r in self.items], "totals": self.totals()}

    def table(self) -> str:
        """A plain-text table, one product a line, and the totals."""
        lines = [f"{'product':<28} {'aud':>5} {'bought':>6} {'rate':>7} {'95% interval':>15} "
                 f"{'shop':>7} {'lift':>6} {'random':>6} {'popular':>7} {'A/A diff':>9}"]
        for r in self.items:
            lo, hi = r.rate_ci95
            lift = f"{r.lift:.1f}x" if r.lift is not None else "-"
            lines.append(
                f"{r.title[:28]:<28} {r.size:>5} {r.bought:>6} {pct(r.rate):>7} "
                f"{pct(lo) + '–' + pct(hi):>15} {pct(r.base_rate):>7} {lift:>6} "
                f"{r.random_bought:>6} {r.popular_bought:>7} {r.send_holdout * 100:>+8.1f}%")
        t = self.totals()
        mean = f"{t['mean_lift']:.1f}x" if t["mean_lift"] else "-"
        lo, hi = t["vs_popular_ci95"]
        lines.append(
            f"all {len(self.items)} products: {t['bought']} of {t['audience_size']} bought "
            f"(expected {t['expected']:.1f}; {t['base_expected']:.1f} at the shop-wide rate, "
            f"{t['random_bought']} in random samples, {t['popular_bought']} in the popularity "
            f"audiences); mean targeting lift {mean}; vs popularity "
            f"{t['vs_popular'] * 100:+.1f} points ({lo * 100:+.1f} to {hi * 100:+.1f})")
        return "\n".join(lines)


def popular_items(ds: Dataset, before: int, k: int, days: float = 60.0) -> list[str]:
    """The ``k`` products with the most distinct buyers in the ``days`` before ``before``."""
    keep = (ds.types == TYPE_CODE["purchase"]) & (ds.times < before) & (ds.times >= before - days * DAY)
    if not keep.any():
        return []
    pairs = np.unique(np.stack([ds.users[keep], ds.items[keep]]), axis=1)
    counts = np.bincount(pairs[1], minlength=ds.n_items)
    order = np.argsort(-counts, kind="stable")[:k]
    return [str(ds.item_ids[i]) for i in order if counts[i] > 0]


def popular_categories(ds: Dataset, before: int, k: int, days: float = 60.0) -> list[str]:
    """The ``k`` categories with the most distinct buyers in the ``days`` before ``before``."""
    keep = (ds.types == TYPE_CODE["purchase"]) & (ds.times < before) & (ds.times >= before - days * DAY)
    cats = np.asarray(ds.catalog.category, dtype=object)
    counts: dict[str, set[int]] = {}
    for u, i in zip(ds.users[keep].tolist(), ds.items[keep].tolist(), strict=True):
        if cats[i]:
            counts.setdefault(str(cats[i]), set()).add(u)
    ranked = sorted(counts, key=lambda c: (-len(counts[c]), c))
    return ranked[:k]


CATEGORY_PREFIX = "category:"


def _past_scorer(
    past: Dataset, as_of: int, strategy: str, params: dict[str, Any] | None, *,
    window_days: float, seed: int, window_check: bool, device: str,
    progress: ProgressFn | None, cancel: CancelToken | None,
) -> Scorer:
    """``strategy`` fitted and calibrated on ``past`` (the events before ``as_of``), with the
    window shift measured on the window before ``as_of`` when ``window_check``."""
    from .. import engine
    from ..runtime.devices import resolve_device

    try:
        spec = engine.get_spec(strategy)
        fitted = engine.fit_calibrated(
            spec, engine.make_params(spec, params), past, device=resolve_device(device),
            seed=seed, progress=sub_progress(progress, 0, 70, "learning from the past"),
            cancel=cancel)
    except engine.EngineError as exc:
        raise CampaignError(str(exc)) from exc
    scorer = Scorer.from_fitted(fitted, past)
    if window_check:  # "buys it within the window", measured on the window before as_of
        fit = _fitter(spec, engine.make_params(spec, params), device=device, seed=seed,
                      progress=None, cancel=cancel)
        try:
            scorer.shift = fit_window_shift(past, fit, end=as_of, days=window_days, cancel=cancel)
        except AudienceError:
            scorer.shift = None
    return scorer


def _check_dates(ds: Dataset, as_of: int, window_days: float) -> tuple[Dataset, int]:
    past = ds.with_events(ds.times < as_of)
    if past.n_events == 0:
        raise CampaignError(f"no events before {_day(as_of)}: choose a later --as-of date")
    end = as_of + int(window_days * DAY)
    if not ((ds.times >= as_of) & (ds.times < end)).any():
        raise CampaignError(f"no events from {_day(as_of)} to {_day(end)}: choose an earlier "
                            "--as-of date, so that the window after it lies in your data")
    return past, end


def backtest(
    data: Workspace | Dataset,
    item_ids: Sequence[str],
    *,
    as_of: int,
    size: int = 100,
    strategy: str = "ease",
    params: dict[str, Any] | None = None,
    window_days: float = DEFAULT_WINDOW_DAYS,
    holdout: float = DEFAULT_HOLDOUT,
    seed: int = 0,
    window_check: bool = True,
    device: str = "cpu",
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> Backtest:
    """Fit ``strategy`` on events before ``as_of``, pick each product's audience and count who
    bought it in the ``window_days`` after (nothing was sent: the A/A split must read zero).

    ``item_ids``: shop product ids, or ``"category:PATH"`` for everything in a category (buying
    any of it counts)."""

    ds = Dataset.from_workspace(data) if isinstance(data, Workspace) else data
    if not item_ids:
        raise CampaignError("choose at least one product to backtest")
    past, end = _check_dates(ds, as_of, window_days)
    scorer = _past_scorer(past, as_of, strategy, params, window_days=window_days, seed=seed,
                          window_check=window_check, device=device, progress=progress,
                          cancel=cancel)
    future = (ds.types == TYPE_CODE["purchase"]) & (ds.times >= as_of) & (ds.times < end)
    rng = np.random.default_rng(seed)
    # the popularity strategy scores every customer alike for a product: its audience is, in
    # its tie order, the customers seen most recently
    last_seen = np.full(ds.n_users, -1, dtype=np.int64)
    np.maximum.at(last_seen, past.users, past.times)
    rows = []
    for n, item_id in enumerate(item_ids):
        check(cancel)
        report_progress(progress, 70 + 30 * n // max(len(item_ids), 1), 100, f"backtesting {item_id}")
        try:
            if str(item_id).startswith(CATEGORY_PREFIX):
                category = str(item_id)[len(CATEGORY_PREFIX):]
                items = resolve_items(past, (), category)
                title = f"category {category}"
            else:
                items = resolve_items(past, [item_id])
                title = str(past.catalog.title[items[0]] or item_id)
            aud = item_audience(scorer, items, size=None, reasons=False, cancel=cancel)
        except AudienceError as exc:
            raise CampaignError(str(exc)) from exc
        if not aud.size:
            continue
        buyers = np.zeros(ds.n_users, dtype=bool)
        buyers[ds.users[future & np.isin(ds.items, items)]] = True
        pool = np.array([m.user for m in aud.members], dtype=np.int64)  # everyone eligible, best first
        picked = pool[:size]
        k = len(picked)
        bought = int(buyers[picked].sum())
        base = float(buyers[pool].mean())
        rnd = rng.choice(pool, k, replace=False)
        rnd_bought = int(buyers[rnd].sum())
        popular = pool[np.lexsort((pool, -last_seen[pool]))][:k]
        pop_bought = int(buyers[popular].sum())
        groups = assign_groups(k, holdout, seed + n)
        send, hold = picked[groups == SEND], picked[groups == HOLDOUT]
        aa, aa_ci = difference_interval(int(buyers[send].sum()), len(send),
                                        int(buyers[hold].sum()), len(hold))
        vs, vs_ci = difference_interval(bought, k, pop_bought, k)
        rows.append(ItemBacktest(
            item=str(item_id), title=title, size=k,
            eligible=len(pool), expected=float(sum(m.probability for m in aud.members[:k])),
            bought=bought, rate=bought / k, rate_ci95=wilson(bought, k), base_rate=base,
            random_bought=rnd_bought, random_rate_ci95=wilson(rnd_bought, k),
            popular_bought=pop_bought, vs_popular=vs, vs_popular_ci95=vs_ci,
            send_holdout=aa, send_holdout_ci95=aa_ci))
    report_progress(progress, 100, 100, "done")
    return Backtest(as_of=_day(as_of), window_days=window_days, strategy=strategy, size=size,
                    items=tuple(rows), event=scorer.event)


def backtest_reorder(
    data: Workspace | Dataset,
    *,
    as_of: int,
    strategy: str = "ease",
    params: dict[str, Any] | None = None,
    window_days: float = DEFAULT_WINDOW_DAYS,
    seed: int = 0,
    window_check: bool = True,
    device: str = "cpu",
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> dict[str, Any]:
    """Reorder reminders on history: the customers due on ``as_of`` against everyone else who
    bought those products before, counting who bought one of their products in the window."""
    from .audiences import reorder_audience

    ds = Dataset.from_workspace(data) if isinstance(data, Workspace) else data
    past, end = _check_dates(ds, as_of, window_days)
    scorer = _past_scorer(past, as_of, strategy, params, window_days=window_days, seed=seed,
                          window_check=window_check, device=device, progress=progress,
                          cancel=cancel)
    try:
        aud = reorder_audience(scorer, window_days=window_days, cancel=cancel)
    except AudienceError as exc:
        raise CampaignError(str(exc)) from exc
    future = (ds.types == TYPE_CODE["purchase"]) & (ds.times >= as_of) & (ds.times < end)
    later = set(zip(ds.users[future].tolist(), ds.items[future].tolist(), strict=True))
    due = {m.user for m in aud.members}
    products = {i for m in aud.members for i in m.items}
    bought = sum(any((m.user, i) in later for i in m.items) for m in aud.members)
    # everyone else who bought one of these products before: did they buy one of theirs again?
    before = (past.types == TYPE_CODE["purchase"]) & np.isin(past.items, list(products))
    theirs: dict[int, set[int]] = {}
    for u, i in zip(past.users[before].tolist(), past.items[before].tolist(), strict=True):
        if u not in due:
            theirs.setdefault(u, set()).add(i)
    others = sum(any((u, i) in later for i in items) for u, items in theirs.items())
    n, m = aud.size, len(theirs)
    diff, ci = difference_interval(bought, n, others, m)
    return {"as_of": _day(as_of), "window_days": window_days, "strategy": strategy,
            "due": n, "due_bought": bought, "due_rate": bought / n if n else 0.0,
            "due_rate_ci95": list(wilson(bought, n)), "expected": aud.expected,
            "others": m, "others_bought": others, "others_rate": others / m if m else 0.0,
            "others_rate_ci95": list(wilson(others, m)), "difference": diff,
            "difference_ci95": list(ci), "products": len(products), "event": scorer.event}
