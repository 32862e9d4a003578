"""Campaigns: an audience stored with a random holdout, exported, and reported on afterwards.

Typical use (the CLI and the desktop call exactly these)::

    from shoprec.core.shop import campaigns

    preview = campaigns.preview(ws, "items", item_ids=["COF-001"], size=500)   # nothing stored
    preview.audience.summary(), preview.plan(0.2).text()
    c = campaigns.create(ws, "espresso-may", preview, holdout=0.2, seed=7)
    campaigns.export_campaign(ws, "espresso-may", "klaviyo", "audience.csv")
    ...import the next orders export...
    campaigns.report(ws, "espresso-may")["verdict"]

A campaign stores its date, definition, the strategy run whose calibrated probabilities chose
the audience, each member's probability and their random assignment to *send* or *holdout*
(:func:`shoprec.core.shop.experiments.assign_groups`). Only the send group is exported. The report
counts, for both groups, the members who bought a campaign product (any product, for a
win-back) from the campaign's start for ``window_days``: the difference of the two buying rates,
with its 95 % interval, is what the e-mail did.

:func:`backtest` answers "would these audiences have bought?" before anything is sent: it fits a
strategy on the events before a date, picks each product's audience, and counts who bought in
the window after, against the shop-wide rate, random customers and the popularity strategy's
audience (which, scoring everyone alike, sends to the most recently active customers).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..contracts.progress import CancelToken, ProgressFn, check, sub_progress
from ..contracts.progress import report as report_progress
from ..data.dataset import TYPE_CODE, Dataset
from ..store.workspace import Workspace
from .audiences import (
    KINDS,
    Audience,
    AudienceError,
    Contacts,
    Scorer,
    WindowShift,
    build_audience,
    fit_window_shift,
    item_audience,
    resolve_items,
)
from .experiments import (
    HOLDOUT,
    SEND,
    PowerPlan,
    assign_groups,
    detectable_difference,
    difference_interval,
    needed_size,
    pct,
    plan,
    wilson,
)

if TYPE_CHECKING:
    from ..registry import ShopRecPluginManager

DAY = 86_400
DEFAULT_WINDOW_DAYS = 14.0
DEFAULT_HOLDOUT = 0.2


class CampaignError(Exception):
    """Something the user can fix (unknown or duplicate name, empty audience): one line."""


# -------------------------------------------------------------------------------------------
# Before creating: the audience and what the campaign can tell
# -------------------------------------------------------------------------------------------


@dataclass
class Preview:
    """An audience chosen from a stored run, not stored yet."""

    audience: Audience
    scorer: Scorer
    run_id: int
    strategy: str
    window_days: float

    def plan(self, holdout: float) -> PowerPlan:
        n = self.audience.size
        n_hold = int(round(holdout * n))
        return plan(self.audience.mean_probability, n - n_hold, n_hold)


def preview(
    ws: Workspace,
    kind: str,
    *,
    item_ids: Sequence[str] = (),
    category: str = "",
    size: int | None = None,
    min_probability: float = 0.0,
    recent_days: float = 30.0,
    window_days: float = DEFAULT_WINDOW_DAYS,
    run: int | str | None = None,
    window_check: bool = True,
    device: str = "cpu",
    pm: ShopRecPluginManager | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> Preview:
    """Choose an audience with a stored run's calibrated probabilities (the newest run unless
    ``run`` names one, by id or strategy).

    ``window_check``: turn the run's probabilities into "buys it within ``window_days``" with a
    :class:`WindowShift` measured on the shop's last window (one extra fit of the run's
    strategy on the events before it, cached in the workspace per run and window). Without it
    the probabilities keep the run's own event.
    """
    from .. import engine

    if kind not in KINDS:
        raise CampaignError(f"unknown campaign kind {kind!r}; choose one of {', '.join(KINDS)}")
    if run is None:
        record = engine.latest_run(ws)
        if record is None:
            raise CampaignError("no trained strategy yet: run shoprec train first")
        run_id = record.id
    else:
        try:
            run_id = engine.resolve_run(ws, run)
        except engine.EngineError as exc:
            raise CampaignError(str(exc)) from exc
    report_progress(progress, 0, 100, "loading the trained strategy")
    try:
        loaded = engine.load_run(ws, run_id, device=device, pm=pm)
    except engine.EngineError as exc:
        raise CampaignError(str(exc)) from exc
    scorer = Scorer.from_loaded(loaded)
    if window_check and kind != "winback":
        scorer.shift = window_shift(ws, loaded, window_days, device=device, pm=pm,
                                    progress=sub_progress(progress, 2, 60, "measuring the last window"),
                                    cancel=cancel)
    contacts = Contacts.from_workspace(ws, scorer.dataset)
    try:
        audience = build_audience(
            scorer, kind, item_ids=item_ids, category=category, size=size,
            min_probability=min_probability, recent_days=recent_days, window_days=window_days,
            contacts=contacts, progress=sub_progress(progress, 60, 100, "choosing customers"),
            cancel=cancel)
    except AudienceError as exc:
        raise CampaignError(str(exc)) from exc
    return Preview(audience, scorer, run_id, loaded.record.strategy, window_days)


def _fitter(spec: Any, params: Any, *, device: str, seed: int,
            progress: ProgressFn | None, cancel: CancelToken | None) -> Any:
    """``fit(past) -> Scorer``: the strategy fitted and calibrated as training does."""
    from .. import engine
    from ..runtime.devices import resolve_device

    def fit(past: Dataset) -> Scorer:
        fitted = engine.fit_calibrated(spec, params, past, device=resolve_device(device),
                                       seed=seed, progress=progress, cancel=cancel)
        return Scorer.from_fitted(fitted, past)

    return fit


def window_shift(
    ws: Workspace, loaded: Any, window_days: float, *, device: str = "cpu",
    pm: ShopRecPluginManager | None = None, progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> WindowShift | None:
    """The :class:`WindowShift` of a stored run for ``window_days``, measured once and kept in
    the workspace's settings; None when the data are too short to measure it."""
    from .. import engine

    key = f"campaigns.window_shift.{loaded.record.id}.{window_days:g}"
    cached = ws.get_setting(key)
    if cached:
        return WindowShift.from_dict(json.loads(cached))
    ds = loaded.dataset
    spec = engine.get_spec(loaded.record.strategy, pm, ws)
    params = engine.make_params(spec, loaded.record.params)
    fit = _fitter(spec, params, device=device, seed=int(loaded.record.info.get("seed", 0)),
                  progress=progress, cancel=cancel)
    try:
        shift = fit_window_shift(ds, fit, end=int(ds.times.max()) + 1, days=window_days,
                                 cancel=cancel)
    except (AudienceError, engine.EngineError):
        return None
    ws.set_setting(key, json.dumps(shift.as_dict()))
    return shift


# -------------------------------------------------------------------------------------------
# Stored campaigns
# -------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Campaign:
    id: int
    name: str
    kind: str
    created_at: int
    starts_at: int
    window_days: float
    holdout: float
    seed: int
    run_id: int | None
    strategy: str
    definition: dict[str, Any] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    exported_at: int | None = None
    sizes: dict[str, int] = field(default_factory=dict)  # members by assignment

    @property
    def ends_at(self) -> int:
        return self.starts_at + int(self.window_days * DAY)

    def state(self, data_until: int | None, now: float | None = None) -> str:
        """"created", "exported", "running" (window not over or not imported yet), "ready"."""
        now = time.time() if now is None else now
        if data_until is not None and data_until >= self.ends_at:
            return "ready to report"
        if now >= self.starts_at and self.exported_at is not None:
            return "running"
        return "exported" if self.exported_at is not None else "created"

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "kind": self.kind,
                "created_at": _iso(self.created_at), "starts_at": _iso(self.starts_at),
                "ends_at": _iso(self.ends_at), "window_days": self.window_days,
                "holdout": self.holdout, "seed": self.seed, "run_id": self.run_id,
                "strategy": self.strategy, "definition": self.definition,
                "summary": self.summary, "sizes": self.sizes,
                "exported_at": _iso(self.exported_at) if self.exported_at else None}


def _iso(ts: int | None) -> str:
    return "" if ts is None else dt.datetime.fromtimestamp(ts, dt.timezone.utc).strftime("%Y-%m-%d %H:%M")


def _day(ts: int) -> str:
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).strftime("%Y-%m-%d")


def parse_date(text: str) -> int:
    """``YYYY-MM-DD`` (UTC midnight) or ``YYYY-MM-DD HH:MM`` to unix seconds; one-line error."""
    for fmt in ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"):
        try:
            moment = dt.datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
        return int(moment.replace(tzinfo=dt.timezone.utc).timestamp())
    raise CampaignError(f"not a date: {text!r} (write it as YYYY-MM-DD)")


def create(
    ws: Workspace,
    name: str,
    chosen: Preview,
    *,
    holdout: float = DEFAULT_HOLDOUT,
    seed: int | None = None,
    starts_at: int | None = None,
) -> Campaign:
    """Store ``chosen``'s audience as campaign ``name`` with a seeded random holdout."""
    name = name.strip()
    if not name:
        raise CampaignError("give the campaign a name")
    if ws.conn.execute("SELECT 1 FROM campaigns WHERE name = ?", (name,)).fetchone():
        raise CampaignError(f"a campaign named {name!r} exists already; choose another name")
    audience = chosen.audience
    if not audience.size:
        raise CampaignError("the audience is empty: nobody to send to (loosen the limits)")
    if not 0.0 <= holdout < 1.0:
        raise CampaignError(f"--holdout must be a share from 0 to below 1 (got {holdout})")
    seed = secrets.randbelow(2**31) if seed is None else int(seed)
    groups = assign_groups(audience.size, holdout, seed)
    if not (groups == SEND).any():
        raise CampaignError(f"holding back {holdout:.0%} of {audience.size} customers leaves "
                            "nobody to send to: choose a larger audience or a smaller holdout")
    ds = chosen.scorer.dataset
    if ds.user_keys is None or ds.item_keys is None:
        raise CampaignError("campaigns can only be stored for data read from a workspace")
    now = int(time.time())
    n_hold = int((groups == HOLDOUT).sum())
    power = plan(audience.mean_probability, audience.size - n_hold, n_hold)
    summary = {"expected": audience.expected, "random_expected": audience.random_expected,
               "eligible": audience.eligible, "excluded": audience.excluded,
               "event": audience.event, "data_until": _iso(audience.as_of),
               "power": power.as_dict()}
    with ws.atomic() as conn:
        cid = conn.execute(
            "INSERT INTO campaigns (name, kind, created_at, starts_at, window_days, holdout, "
            "seed, run_id, strategy, definition, summary) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (name, audience.kind, now, int(starts_at if starts_at is not None else now),
             float(chosen.window_days), float(holdout), seed, chosen.run_id, chosen.strategy,
             json.dumps(audience.definition), json.dumps(summary)),
        ).lastrowid
        conn.executemany(
            "INSERT INTO campaign_items (campaign_id, item_id) VALUES (?, ?)",
            [(cid, int(ds.item_keys[i])) for i in audience.target_items])
        conn.executemany(
            "INSERT INTO campaign_members (campaign_id, customer_id, assignment, probability, "
            "reason, items) VALUES (?,?,?,?,?,?)",
            [(cid, int(ds.user_keys[m.user]), str(g), float(m.probability), m.reason,
              json.dumps([int(ds.item_keys[i]) for i in m.items]))
             for m, g in zip(audience.members, groups, strict=True)])
    return get(ws, name)


def _campaign(ws: Workspace, row: tuple) -> Campaign:
    (cid, name, kind, created, starts, window, holdout, seed, run_id, strategy, definition,
     summary, exported) = row
    sizes = dict(ws.conn.execute(
        "SELECT assignment, COUNT(*) FROM campaign_members WHERE campaign_id = ? "
        "GROUP BY assignment", (cid,)).fetchall())
    return Campaign(id=cid, name=name, kind=kind, created_at=created, starts_at=starts,
                    window_days=window, holdout=holdout, seed=seed, run_id=run_id,
                    strategy=strategy or "", definition=json.loads(definition or "{}"),
                    summary=json.loads(summary or "{}"), exported_at=exported,
                    sizes={SEND: sizes.get(SEND, 0), HOLDOUT: sizes.get(HOLDOUT, 0)})


_COLUMNS = ("id, name, kind, created_at, starts_at, window_days, holdout, seed, run_id, strategy, "
            "definition, summary, exported_at")


def get(ws: Workspace, name: str) -> Campaign:
    row = ws.conn.execute(f"SELECT {_COLUMNS} FROM campaigns WHERE name = ?", (name,)).fetchone()
    if row is None:
        known = [r[0] for r in ws.conn.execute("SELECT name FROM campaigns ORDER BY id")]
        hint = f"; campaigns: {', '.join(known)}" if known else "; there are no campaigns yet"
        raise CampaignError(f"no campaign named {name!r}{hint}")
    return _campaign(ws, row)


def list_campaigns(ws: Workspace) -> list[dict[str, Any]]:
    """Every campaign, newest first, with its state."""
    until = data_until(ws)
    out = []
    for row in ws.conn.execute(f"SELECT {_COLUMNS} FROM campaigns ORDER BY id DESC").fetchall():
        c = _campaign(ws, row)
        out.append({**c.as_dict(), "state": c.state(until)})
    return out


def delete(ws: Workspace, name: str) -> None:
    c = get(ws, name)
    with ws.atomic() as conn:
        conn.execute("DELETE FROM campaigns WHERE id = ?", (c.id,))


def data_until(ws: Workspace) -> int | None:
    row = ws.conn.execute("SELECT MAX(ts) FROM events").fetchone()
    return None if row is None or row[0] is None else int(row[0])


@dataclass(frozen=True, kw_only=True)
class MemberRow:
    customer_key: int
    customer_id: str
    email: str
    name: str
    assignment: str
    probability: float
    reason: str
    items: tuple[int, ...]  # items.id


def members(ws: Workspace, campaign: Campaign, assignment: str | None = None) -> list[MemberRow]:
    sql = ("SELECT c.id, c.external_id, c.email, c.name, m.assignment, m.probability, m.reason, "
           "m.items FROM campaign_members m JOIN customers c ON c.id = m.customer_id "
           "WHERE m.campaign_id = ?")
    params: tuple = (campaign.id,)
    if assignment is not None:
        sql += " AND m.assignment = ?"
        params += (assignment,)
    out = []
    for key, ext, email, name, group, prob, reason, items in ws.conn.execute(
            sql + " ORDER BY m.probability DESC, c.id", params):
        if not email and "@" in (ext or ""):
            email = ext
        out.append(MemberRow(customer_key=key, customer_id=ext, email=email or "",
                             name=name or "", assignment=group, probability=prob,
                             reason=reason or "", items=tuple(json.loads(items or "[]"))))
    return out


# -------------------------------------------------------------------------------------------
# Export: the send group only
# -------------------------------------------------------------------------------------------


def export_campaign(
    ws: Workspace,
    name: str,
    exporter: str,
    path: str | Path,
    *,
    shop_url: str = "",
    pm: ShopRecPluginManager | None = None,
) -> dict[str, Any]:
    """Write the campaign's *send* group with ``exporter`` (see :mod:`shoprec.core.shop.exporting`'s
    :class:`CampaignExporterSpec`); the file is written next to ``path`` and moved into place."""
    from .exporting import CampaignExport, ExportError, campaign_exporters, load_items

    known = campaign_exporters(pm)
    if exporter not in known:
        raise CampaignError(f"unknown campaign exporter {exporter!r}; known: {', '.join(known)}")
    spec = known[exporter]
    campaign = get(ws, name)
    rows = members(ws, campaign, SEND)
    data = CampaignExport(campaign=campaign, members=rows, items=load_items(ws),
                          shop_url=shop_url or (ws.get_setting("shop_url") or ""))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    try:
        written = spec.write(data, partial)
        partial.replace(path)
    except ExportError as exc:
        raise CampaignError(str(exc)) from exc
    finally:
        partial.unlink(missing_ok=True)
    with ws.atomic() as conn:
        conn.execute("UPDATE campaigns SET exported_at = ? WHERE id = ?",
                     (int(time.time()), campaign.id))
    skipped = len(rows) - int(written)
    return {"campaign": name, "exporter": exporter, "path": str(path), "rows": int(written),
            "send_group": len(rows), "left_out_without_email": max(skipped, 0)}


# -------------------------------------------------------------------------------------------
# The report
# -------------------------------------------------------------------------------------------


def _buyers(ws: Workspace, start: int, end: int) -> dict[int, list[tuple[int, float]]]:
    """customer key -> [(item key, revenue)] of purchases in [start, end)."""
    out: dict[int, list[tuple[int, float]]] = {}
    for cust, item, value, qty, price in ws.conn.execute(
        "SELECT e.customer_id, e.item_id, e.value, e.quantity, i.price FROM events e "
        "JOIN items i ON i.id = e.item_id WHERE e.type = 'purchase' AND e.ts >= ? AND e.ts < ?",
        (start, end),
    ):
        revenue = value if value is not None else (price * (qty or 1) if price is not None else float("nan"))
        out.setdefault(cust, []).append((item, float(revenue)))
    return out


def report(ws: Workspace, name: str, *, window_days: float | None = None) -> dict[str, Any]:
    """Send against holdout after the campaign: the JSON ``shoprec campaign report`` prints."""
    campaign = get(ws, name)
    window = float(window_days if window_days is not None else campaign.window_days)
    start, end = campaign.starts_at, campaign.starts_at + int(window * DAY)
    until = data_until(ws)
    bought = _buyers(ws, start, end)
    targets = {r[0] for r in ws.conn.execute(
        "SELECT item_id FROM campaign_items WHERE campaign_id = ?", (campaign.id,))}
    any_purchase = campaign.kind == "winback"

    def converted(items: Sequence[tuple[int, float]], mine: tuple[int, ...]) -> tuple[bool, float]:
        wanted = targets or set(mine)
        hits = [rev for item, rev in items if any_purchase or item in wanted]
        known = [r for r in hits if r == r]
        return bool(hits), float(sum(known))

    groups: dict[str, dict[str, Any]] = {}
    union: set[int] = set(targets)
    for group in (SEND, HOLDOUT):
        rows = members(ws, campaign, group)
        conv = rev = 0.0
        for m in rows:
            union.update(m.items)
            hit, money = converted(bought.get(m.customer_key, []), m.items)
            conv += hit
            rev += money if hit else 0.0
        n = len(rows)
        groups[group] = {"size": n, "converted": int(conv),
                         "expected": float(sum(m.probability for m in rows)),
                         "rate": conv / n if n else 0.0, "rate_ci95": list(wilson(int(conv), n)),
                         "revenue": round(rev, 2)}
    t, h = groups[SEND], groups[HOLDOUT]
    diff, (lo, hi) = difference_interval(t["converted"], t["size"], h["converted"], h["size"])
    # the shop-wide rate: customers with history before the start who bought in the window
    history = [r[0] for r in ws.conn.execute(
        "SELECT DISTINCT customer_id FROM events WHERE ts < ? AND type != 'refund'", (start,))]
    wanted = union
    base_hits = sum(
        1 for c in history
        if any(any_purchase or item in wanted for item, _ in bought.get(c, [])))
    base_rate = base_hits / len(history) if history else 0.0
    complete = until is not None and until >= end - 1
    out = {
        "campaign": campaign.name, "kind": campaign.kind, "strategy": campaign.strategy,
        "run_id": campaign.run_id,
        "window": {"start": _iso(start), "end": _iso(end), "days": window,
                   "data_until": _iso(until) if until is not None else None,
                   "started": until is not None and until >= start, "complete": complete},
        "treated": t, "holdout": h,
        "lift": {"difference": diff, "ci95": [lo, hi], "buyers": diff * t["size"],
                 "buyers_ci95": [lo * t["size"], hi * t["size"]]},
        "base_rate": base_rate, "base_customers": len(history),
        "event": campaign.summary.get("event", ""),
    }
    out["verdict"] = verdict(out)
    return out


def verdict(rep: dict[str, Any]) -> str:
    """The report in one or two plain sentences."""
    t, h, lift = rep["treated"], rep["holdout"], rep["lift"]
    win = rep["window"]
    if not win.get("started", True):
        return (f"no orders imported since the campaign started ({win['start']}; orders imported "
                f"up to {win['data_until'] or 'nothing yet'}): import your next orders export, "
                "then ask for the report again.")
    prefix = "" if win["complete"] else (
        f"So far (orders imported up to {win['data_until'] or 'nothing yet'}; the window ends "
        f"{win['end']}): ")
    if h["size"] == 0:
        return prefix + (f"{t['converted']} of {t['size']} customers bought; with nobody held "
                         "back there is nothing to compare with.")
    d, (lo, hi) = lift["difference"], lift["ci95"]
    n = t["size"]
    rates = f" ({pct(t['rate'])} of those e-mailed bought, {pct(h['rate'])} of those held back)"
    if lo > 0:
        return prefix + (f"the e-mail added about {d * n:.0f} buyers "
                         f"({max(lo * n, 0):.0f}–{hi * n:.0f}){rates}.")
    if hi < 0:
        return prefix + (f"customers who got the e-mail bought less: about {-d * n:.0f} fewer "
                         f"buyers ({-hi * n:.0f}–{-lo * n:.0f}){rates}.")
    total = t["size"] + h["size"]
    if d > 0:
        need = needed_size(h["rate"], d, max(h["size"] / total, 1e-9))
        if need is not None and total < need <= 10 * total:
            return prefix + (f"too few customers to tell: about {need - total:,} more needed "
                             f"to confirm an effect this size{rates}.")
    return prefix + (f"no clear effect: somewhere between {-lo * n:.0f} fewer and {hi * n:.0f} "
                     f"more buyers{rates}.")


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


__all__ = [
    "Backtest", "Campaign", "CampaignError", "ItemBacktest", "MemberRow", "Preview",
    "backtest", "create", "data_until", "delete", "detectable_difference", "export_campaign",
    "get", "list_campaigns", "members", "parse_date", "popular_categories", "popular_items",
    "preview", "report",
    "verdict",
]
