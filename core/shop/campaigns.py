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

from ..contracts.progress import CancelToken, ProgressFn, sub_progress
from ..contracts.progress import report as report_progress
from ..data.dataset import Dataset
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
)
from .experiments import (
    HOLDOUT,
    SEND,
    PowerPlan,
    assign_groups,
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
    from ..contracts.exporters import CampaignExport, ExportError
    from .exporting import campaign_exporters, load_items

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


__all__ = [
    "Campaign", "CampaignError", "MemberRow", "Preview",
    "create", "data_until", "delete", "export_campaign",
    "get", "list_campaigns", "members", "parse_date", "preview", "report",
    "verdict",
]
