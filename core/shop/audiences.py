"""Audiences: which customers to e-mail, each with the chance they buy and a reason.

Three kinds, all read from one :class:`Scorer` (a trained strategy, its calibration and the
popularity fallback, exactly as the lists use them; nothing here changes how scores are made):

- **items** (:func:`item_audience`): customers ranked by the calibrated probability of taking
  one of the chosen products (``1 − Π(1 − pᵢ)`` over their five likeliest, products assumed
  independent), cut
  by size and a minimum probability. Customers who bought one of them recently are left out,
  and so are past buyers of products that are not bought again (they have it already).
- **reorder** (:func:`reorder_audience`): for products the shop's own data shows being bought
  again (:func:`shoprec.core.ranking.rules.repeat_items`), each customer whose next purchase is due in
  the coming window: their last purchase plus their own typical interval for that product (the
  product's typical interval when they bought it only once).
- **winback** (:func:`winback_audience`): customers whose time since their last order is at
  least ``factor`` times their own typical time between orders (and longer than the shop's).
  The model scores products, not "comes back at all", so their chance is measured on the shop's
  own history: the share of customers lapsed the same way one window earlier who ordered again
  within the window.

Every audience says how many buyers it expects (the sum of its members' probabilities) and what
the same number of random customers would give (the mean over every customer it could have
picked). Rules shared by all: customers need an e-mail address and must not be unsubscribed
(``customers.attrs`` keys such as ``accepts_marketing: "no"`` where the export says so).

Why one module: the three kinds share one :class:`Scorer`, one contact filter, one
:class:`Audience` type and the window shift fitted on audience rows; split by kind, each part
would import the others back.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..contracts.progress import CancelToken, ProgressFn, check, report
from ..contracts.strategy import Strategy
from ..data.dataset import TYPE_CODE, Dataset
from ..data.merchandise import non_products
from ..ranking.calibration import Calibration
from ..ranking.rules import ListRules, _under, catalog_allowed, repeat_items
from ..ranking.scoring import ListBuilder, ListSettings
from ..store.workspace import Workspace

DAY = 86_400
KINDS = ("items", "reorder", "winback")
#: What an item probability is read as when a campaign counts buyers (see the module notes).
MERGE_ITEMS = 3  # products per customer carried into an export's merge fields

#: ``customers.attrs`` keys that say whether a customer accepts marketing e-mail, and the
#: values that mean "no". Shopify customer exports name the column "Accepts Email Marketing"
#: (older ones "Accepts Marketing").
CONSENT_KEYS = ("accepts_email_marketing", "accepts_marketing", "Accepts Email Marketing",
                "Accepts Marketing", "email_marketing_consent", "subscribed")
NO_CONSENT = {"no", "false", "0", "n", "unsubscribed", "not_subscribed", "declined"}


class AudienceError(Exception):
    """An audience cannot be built (unknown product, nothing to target): one line."""


# -------------------------------------------------------------------------------------------
# Which items an audience may target
# -------------------------------------------------------------------------------------------


def campaign_items_allowed(ds: Dataset) -> np.ndarray:
    """Items a campaign may promote: the one place audiences filter items.

    Published and not sold out, as lists require, and a product: never postage, a fee or a
    voucher (core.merchandise, with the owner's choices).
    """
    allowed = catalog_allowed(ds.catalog, ListRules(in_stock_only=True, published_only=True))
    return allowed & ~non_products(ds)[0]


def resolve_items(ds: Dataset, item_ids: Sequence[str] = (), category: str = "") -> np.ndarray:
    """Dataset indices of the chosen products: shop ids (SKU, product id, handle) and/or every
    item under a category path; a product id names all its variants."""
    chosen: list[int] = []
    lookup = {str(s): i for i, s in enumerate(ds.item_ids)}
    parents = np.asarray(ds.catalog.variant_of, dtype=object)
    for raw in item_ids:
        key = str(raw).strip()
        hits = [lookup[key]] if key in lookup else []
        hits += [int(i) for i in np.flatnonzero(parents == key) if int(i) not in hits]
        if not hits:
            raise AudienceError(f"unknown product {key!r}: no item has this id, SKU or handle")
        chosen += hits
    if category:
        under = np.flatnonzero(_under(ds.catalog.category, (category,)))
        if not len(under):
            raise AudienceError(f"no product lies in the category {category!r}")
        chosen += [int(i) for i in under]
    if not chosen:
        raise AudienceError("choose at least one product (--item) or a category (--category)")
    return np.array(sorted(set(chosen)), dtype=np.int64)


# -------------------------------------------------------------------------------------------
# Scoring and contacts
# -------------------------------------------------------------------------------------------


@dataclass
class Scorer:
    """A fitted strategy with its calibration and popularity fallback, over one dataset."""

    dataset: Dataset
    strategy: Strategy
    calibration: Calibration
    fallback: Strategy
    fallback_calibration: Calibration
    #: Log-odds added to every probability so that it reads "buys it within the campaign's
    #: window" (:func:`fit_window_shift`); None: the run's own event.
    shift: WindowShift | None = None
    _builder: ListBuilder | None = None

    @classmethod
    def from_loaded(cls, loaded: Any) -> Scorer:
        """From :class:`shoprec.core.engine.LoadedRun` (a stored run)."""
        return cls(loaded.dataset, loaded.strategy, loaded.calibration, loaded.fallback,
                   loaded.fallback_calibration)

    @classmethod
    def from_fitted(cls, fitted: Any, ds: Dataset) -> Scorer:
        """From :class:`shoprec.core.engine.Fitted` (a fit in memory, as backtests make)."""
        return cls(ds, fitted.model, fitted.calibration, fitted.fallback,
                   fitted.fallback_calibration)

    @property
    def event(self) -> str:
        return self.shift.event if self.shift is not None else self.calibration.event

    @property
    def builder(self) -> ListBuilder:
        if self._builder is None:
            self._builder = ListBuilder(
                self.dataset, self.strategy, self.calibration, ListSettings(top_n=MERGE_ITEMS,
                                                                            threshold=0.0),
                fallback=self.fallback, fallback_calibration=self.fallback_calibration)
        return self._builder

    def has_history(self) -> np.ndarray:
        ds = self.dataset
        positive = np.bincount(ds.users[ds.types != TYPE_CODE["refund"]], minlength=ds.n_users)
        return positive > 0

    def probabilities(
        self, items: np.ndarray, users: np.ndarray | None = None, *, batch: int = 512,
        progress: ProgressFn | None = None, cancel: CancelToken | None = None,
    ) -> np.ndarray:
        """Calibrated probabilities, shape (len(users), len(items)); customers without history
        are scored by the fallback, as their lists are."""
        ds = self.dataset
        users = np.arange(ds.n_users) if users is None else np.asarray(users, dtype=np.int64)
        items = np.asarray(items, dtype=np.int64)
        warm = self.has_history()[users]
        out = np.zeros((len(users), len(items)), dtype=np.float64)
        done = 0
        for cold, (model, cal) in enumerate(((self.strategy, self.calibration),
                                             (self.fallback, self.fallback_calibration))):
            rows = np.flatnonzero(~warm if cold else warm)
            for start in range(0, len(rows), batch):
                check(cancel)
                pick = rows[start : start + batch]
                logits = np.asarray(model.logits(users[pick]), dtype=np.float64)
                logits = np.nan_to_num(logits, nan=-1e30, posinf=1e30, neginf=-1e30)
                out[pick] = cal.row_probabilities(logits)[:, items]
                done += len(pick)
                report(progress, done, len(users), "scoring customers")
        return self.shift.apply(out) if self.shift is not None else out

    def reason(self, user: int, item: int) -> str:
        text, _code, _item = self.builder.reason(int(user), int(item))
        return text

    def top_items(self, users: np.ndarray) -> list[tuple[int, ...]]:
        """Each customer's best few listable products (their list's head), for merge fields."""
        lists = self.builder.build(np.asarray(users, dtype=np.int64))
        return [tuple(r.item for r in cl.items) for cl in lists]


@dataclass(frozen=True)
class Contacts:
    """Per dataset customer: an e-mail address ('' unknown) and whether they opted out."""

    email: np.ndarray
    unsubscribed: np.ndarray

    @classmethod
    def everyone(cls, n: int) -> Contacts:
        """No contact data (benchmarks): everyone mailable."""
        return cls(np.full(n, "x@example.invalid", dtype=object), np.zeros(n, dtype=bool))

    @classmethod
    def from_workspace(cls, ws: Workspace, ds: Dataset) -> Contacts:
        rows = {key: (ext, email, attrs) for key, ext, email, attrs in ws.conn.execute(
            "SELECT id, external_id, email, attrs FROM customers")}
        email = np.full(ds.n_users, "", dtype=object)
        unsub = np.zeros(ds.n_users, dtype=bool)
        keys = ds.user_keys if ds.user_keys is not None else np.zeros(0, dtype=np.int64)
        for u, key in enumerate(keys):
            ext, mail, attrs = rows.get(int(key), ("", "", None))
            if not mail and "@" in (ext or ""):
                mail = ext  # Shopify order exports know customers by their e-mail
            email[u] = mail or ""
            unsub[u] = opted_out(attrs)
        return cls(email, unsub)


def opted_out(attrs: str | None) -> bool:
    """True when a customer's kept export columns say they do not accept marketing e-mail."""
    if not attrs:
        return False
    try:
        data = json.loads(attrs)
    except ValueError:
        return False
    if not isinstance(data, dict):
        return False
    for key in CONSENT_KEYS:
        value = data.get(key)
        if value is not None and str(value).strip().lower() in NO_CONSENT:
            return True
    return False


# -------------------------------------------------------------------------------------------
# From "within the next interactions" to "buys it within the window"
# -------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class WindowShift:
    """A log-odds shift that turns the run's probabilities into "buys it within ``days``".

    The run's calibrated event (an interaction within the customer's next few interactions,
    whenever they come) is not a campaign's: did they *buy* it within the window. Fitted on the
    shop's own last window (:func:`fit_window_shift`): the same strategy learns from the events
    before it, and ``b`` is chosen so that the shifted probabilities of the audiences of the
    shop's most-bought products (or, with fewer than 10 buyers among them, of each customer's
    likeliest products) add up to the purchases that really followed. Ranking is unchanged.
    """

    b: float
    days: float
    predicted: float  # sum of the unshifted probabilities over the fitted rows
    observed: int  # purchases that followed, on the same rows
    rows: int

    @property
    def event(self) -> str:
        return (f"the customer buys it within {self.days:g} days (the model's scores matched to "
                f"the purchases in the shop's last {self.days:g} days)")

    def apply(self, p: np.ndarray) -> np.ndarray:
        p = np.clip(np.asarray(p, dtype=np.float64), 1e-9, 1 - 1e-9)
        return 1.0 / (1.0 + np.exp(-(np.log(p / (1 - p)) + self.b)))

    def as_dict(self) -> dict[str, Any]:
        return {"b": self.b, "days": self.days, "predicted": self.predicted,
                "observed": self.observed, "rows": self.rows}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> WindowShift:
        return cls(**{k: data[k] for k in ("b", "days", "predicted", "observed", "rows")})


def solve_shift(p: np.ndarray, observed: float, *, lo: float = -20.0, hi: float = 20.0) -> float:
    """The ``b`` with ``Σ σ(logit(p) + b) = observed`` (bisection; the sum rises with ``b``)."""
    p = np.clip(np.asarray(p, dtype=np.float64), 1e-9, 1 - 1e-9)
    z = np.log(p / (1 - p))
    target = min(max(observed, 0.5), len(p) - 0.5)  # no purchases at all: half a buyer, not -inf
    for _ in range(80):
        mid = (lo + hi) / 2
        if (1.0 / (1.0 + np.exp(-(z + mid)))).sum() < target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def fit_window_shift(
    ds: Dataset,
    fit: Any,
    *,
    end: int,
    days: float,
    per_customer: int = 20,
    max_customers: int = 2000,
    seed: int = 0,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> WindowShift:
    """Fit :class:`WindowShift` on the window ``[end - days, end)`` of ``ds``.

    ``fit(past) -> Scorer`` learns the same strategy from the events before the window. Rows: each
    of (at most ``max_customers``) customers' ``per_customer`` likeliest products.
    """
    start = end - int(days * DAY)
    past = ds.with_events(ds.times < start)
    if past.n_events == 0:
        raise AudienceError(f"too little history to measure a {days:g}-day window")
    scorer = fit(past)
    users = np.flatnonzero(scorer.has_history())
    rng = np.random.default_rng(seed)
    if len(users) > max_customers:
        users = np.sort(rng.choice(users, max_customers, replace=False))
    window = (ds.types == TYPE_CODE["purchase"]) & (ds.times >= start) & (ds.times < end)
    bought = set(zip(ds.users[window].tolist(), ds.items[window].tolist(), strict=True))
    allowed = campaign_items_allowed(past)
    preds, hits = [], 0
    every = np.arange(past.n_items)
    for n, lo in enumerate(range(0, len(users), 256)):
        check(cancel)
        chunk = users[lo : lo + 256]
        probs = scorer.probabilities(every, chunk)
        probs[:, ~allowed] = -1.0
        k = min(per_customer, past.n_items)
        top = np.argpartition(-probs, k - 1, axis=1)[:, :k]
        for row, u in enumerate(chunk):
            picked = top[row][probs[row, top[row]] >= 0]
            preds.append(probs[row, picked])
            hits += sum((int(u), int(i)) in bought for i in picked)
        report(progress, n + 1, (len(users) + 255) // 256, "measuring the last window")
    p = np.concatenate(preds) if preds else np.zeros(0)
    if not len(p):
        raise AudienceError(f"nobody to measure the last {days:g} days on")
    # Rows like a product campaign's, where there are enough buyers to go by: the audiences of
    # the shop's most-bought products before the window. A map that is right on average over
    # everyone's candidates can still promise too much where campaigns pick (the likeliest
    # customers of one product).
    aud_p, aud_hits = _audience_rows(past, scorer, bought, allowed, start)
    if aud_hits >= AUDIENCE_ROWS_MIN_BUYERS:
        p, hits = aud_p, aud_hits
    return WindowShift(b=solve_shift(p, hits), days=days, predicted=float(p.sum()),
                       observed=int(hits), rows=len(p))


AUDIENCE_ROWS_MIN_BUYERS = 10  # fewer buyers in the audience rows: everyone's candidates instead


def _audience_rows(past: Dataset, scorer: Scorer, bought: set[tuple[int, int]],
                   allowed: np.ndarray, start: int, products: int = 10,
                   per_product: int = 100) -> tuple[np.ndarray, int]:
    """(chances, buyers) of the ``per_product`` likeliest customers of each of the ``products``
    most-bought products of the 60 days before ``start``, past buyers left out."""
    keep = (past.types == TYPE_CODE["purchase"]) & (past.times >= start - 60 * DAY)
    if not keep.any():
        return np.zeros(0), 0
    pairs = np.unique(np.stack([past.users[keep], past.items[keep]]), axis=1)
    counts = np.bincount(pairs[1], minlength=past.n_items) * allowed
    top = [int(i) for i in np.argsort(-counts, kind="stable")[:products] if counts[i] > 0]
    users = np.flatnonzero(scorer.has_history())
    if not top or not len(users):
        return np.zeros(0), 0
    probs = scorer.probabilities(np.array(top), users)
    owned = past.types == TYPE_CODE["purchase"]
    had = set(zip(past.users[owned].tolist(), past.items[owned].tolist(), strict=True))
    preds, hits = [], 0
    for j, i in enumerate(top):
        order = np.argsort(-probs[:, j], kind="stable")
        picked = [int(users[r]) for r in order if (int(users[r]), i) not in had][:per_product]
        preds.append(probs[np.searchsorted(users, picked), j])
        hits += sum((u, i) in bought for u in picked)
    return np.concatenate(preds), hits


# -------------------------------------------------------------------------------------------
# The audience
# -------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Member:
    """One customer of an audience (``user``: dataset index)."""

    user: int
    customer_id: str
    probability: float
    reason: str
    items: tuple[int, ...]  # dataset indices: what the e-mail shows (and, for items and
    # reorder audiences, what counts as buying)


@dataclass(frozen=True, kw_only=True)
class Audience:
    kind: str
    definition: dict[str, Any]
    members: tuple[Member, ...]
    eligible: int  # customers the audience could have picked from
    random_expected: float  # expected buyers among as many random eligible customers
    excluded: dict[str, int] = field(default_factory=dict)  # why customers were left out
    event: str = ""  # what a probability estimates
    as_of: int = 0  # unix time of "now" for this audience (the data's last event)
    target_items: tuple[int, ...] = ()  # buying one counts (items kind); empty: see members

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def expected(self) -> float:
        return float(sum(m.probability for m in self.members))

    @property
    def mean_probability(self) -> float:
        return self.expected / self.size if self.size else 0.0

    def summary(self) -> str:
        """Expected buyers against random customers, in one plain sentence."""
        if not self.size:
            return "Nobody fits this audience."
        times = self.expected / self.random_expected if self.random_expected > 0 else None
        vs = (f", about {times:.1f} times as many as {self.size:,} random customers "
              f"({self.random_expected:,.1f})" if times else "")
        return (f"{self.size:,} customers; about {self.expected:,.1f} of them are expected to "
                f"buy{vs}.")

    def as_dict(self, ds: Dataset | None = None) -> dict[str, Any]:
        def ids(items: Sequence[int]) -> list:
            return [str(ds.item_ids[i]) for i in items] if ds is not None else list(items)

        return {
            "kind": self.kind, "definition": self.definition, "size": self.size,
            "expected": self.expected, "random_expected": self.random_expected,
            "eligible": self.eligible, "excluded": self.excluded, "event": self.event,
            "summary": self.summary(),
            "members": [{"customer_id": m.customer_id, "probability": m.probability,
                         "reason": m.reason, "items": ids(m.items)} for m in self.members],
        }


def _eligible_base(scorer: Scorer, contacts: Contacts | None,
                   excluded: dict[str, int]) -> np.ndarray:
    """Customers with history, an e-mail address and no opt-out; counts why others were not."""
    ds = scorer.dataset
    ok = scorer.has_history()
    if contacts is not None:
        no_mail = ok & (contacts.email == "")
        excluded["no e-mail address"] = int(no_mail.sum())
        ok &= ~no_mail
        unsub = ok & contacts.unsubscribed
        excluded["unsubscribed"] = int(unsub.sum())
        ok &= ~unsub
    return np.flatnonzero(ok[: ds.n_users])


def _purchases(ds: Dataset, before: int | None = None) -> np.ndarray:
    keep = ds.types == TYPE_CODE["purchase"]
    if before is not None:
        keep &= ds.times < before
    return np.flatnonzero(keep)


def _cut(order: np.ndarray, probs: np.ndarray, size: int | None, min_probability: float) -> np.ndarray:
    order = order[probs[order] >= min_probability] if min_probability > 0 else order
    return order[:size] if size is not None else order


#: How many of a customer's likeliest products of a set count towards "buys one of them".
ANY_OF = 5


def chance_of_any(probs: np.ndarray, top: int = ANY_OF) -> np.ndarray:
    """Per row, the chance of buying one of the row's products: ``1 − Π(1 − p)`` over its
    ``top`` likeliest. Over a whole category, the small floor every calibration map gives the
    least likely products would otherwise add up to near-certainty (Taobao: 96 % promised for
    categories of hundreds of products, 0.8 % bought)."""
    if probs.shape[1] > top:
        probs = -np.sort(-probs, axis=1)[:, :top]
    return 1.0 - np.prod(1.0 - probs, axis=1)


def item_audience(
    scorer: Scorer,
    items: np.ndarray,
    *,
    size: int | None = None,
    min_probability: float = 0.0,
    recent_days: float = 30.0,
    contacts: Contacts | None = None,
    reasons: bool = True,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> Audience:
    """Customers most likely to buy one of ``items`` (dataset indices), best first.

    ``reasons=False`` leaves each member's reason empty (backtests rank thousands of customers
    per product and never show why)."""
    ds = scorer.dataset
    items = np.asarray(items, dtype=np.int64)
    allowed = campaign_items_allowed(ds)
    blocked = [str(ds.item_ids[i]) for i in items if not allowed[i]]
    items = items[allowed[items]]
    if not len(items):
        raise AudienceError(
            f"none of the chosen products can be promoted (unpublished or sold out: "
            f"{', '.join(blocked[:5])})")
    as_of = int(ds.times.max()) if ds.n_events else 0
    excluded: dict[str, int] = {}
    base = _eligible_base(scorer, contacts, excluded)
    # past buyers: recently (any product), or ever for products nobody buys twice
    repeat = repeat_items(ds)
    bought = _purchases(ds)
    on_items = bought[np.isin(ds.items[bought], items)]
    recent = on_items[ds.times[on_items] >= as_of - recent_days * DAY]
    once = on_items[~repeat[ds.items[on_items]]]
    skip = np.zeros(ds.n_users, dtype=bool)
    skip[ds.users[recent]] = True
    excluded["bought it recently"] = int(np.isin(base, ds.users[recent]).sum())
    has_it = np.zeros(ds.n_users, dtype=bool)
    has_it[ds.users[once]] = True
    excluded["already have it"] = int((has_it[base] & ~skip[base]).sum())
    skip |= has_it
    eligible = base[~skip[base]]
    probs = scorer.probabilities(items, eligible, progress=progress, cancel=cancel)
    p_any = chance_of_any(probs)
    order = np.lexsort((eligible, -p_any))
    picked = _cut(order, p_any, size, min_probability)
    members = []
    for row in picked:
        check(cancel)
        u = int(eligible[row])
        by_prob = np.argsort(-probs[row], kind="stable")
        shown = tuple(int(items[j]) for j in by_prob[:MERGE_ITEMS])
        members.append(Member(user=u, customer_id=str(ds.user_ids[u]),
                              probability=float(p_any[row]),
                              reason=scorer.reason(u, shown[0]) if reasons else "", items=shown))
    n = len(members)
    return Audience(
        kind="items",
        definition={"items": [str(ds.item_ids[i]) for i in items], "size": size,
                    "min_probability": min_probability, "recent_days": recent_days},
        members=tuple(members), eligible=len(eligible),
        random_expected=float(n * p_any.mean()) if len(p_any) else 0.0,
        excluded=excluded, event=scorer.event, as_of=as_of, target_items=tuple(int(i) for i in items),
    )


def _occasions(ds: Dataset, before: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct (customer, item, moment) purchase occasions, sorted: (users, items, times)."""
    rows = _purchases(ds, before)
    if not len(rows):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    trip = np.unique(np.stack([ds.users[rows].astype(np.int64), ds.items[rows].astype(np.int64),
                               ds.times[rows]]), axis=1)
    return trip[0], trip[1], trip[2]


def _due(ds: Dataset, as_of: int, window_days: float, repeat: np.ndarray,
         ok: np.ndarray) -> dict[int, list[tuple[int, float, float, int]]]:
    """Customer -> [(product, interval, due moment, last purchase)] for the repeat products
    they are due to buy again by ``as_of + window`` (events before ``as_of`` only)."""
    users, its, times = _occasions(ds, before=as_of)
    keep = repeat[its]
    users, its, times = users[keep], its[keep], times[keep]
    if not len(users):
        return {}
    # gaps between consecutive occasions of the same customer and product
    same = (users[1:] == users[:-1]) & (its[1:] == its[:-1])
    gaps = (times[1:] - times[:-1])[same]
    gap_items = its[1:][same]
    typical = {int(i): float(np.median(gaps[gap_items == i])) for i in np.unique(gap_items)}
    # per (customer, product): last occasion and own median gap
    pair_end = np.r_[~same, True]  # last occasion of each (customer, product) run
    due: dict[int, list[tuple[int, float, float, int]]] = {}
    start = 0
    for end in np.flatnonzero(pair_end):
        u, i = int(users[end]), int(its[end])
        own = np.diff(times[start : end + 1])
        start = end + 1
        if not ok[u] or i not in typical:
            continue
        interval = max(float(np.median(own)) if len(own) else typical[i], DAY)
        when = float(times[end]) + interval
        # due within the window, or overdue by less than one interval (not lapsed for good)
        if as_of - interval <= when <= as_of + window_days * DAY:
            due.setdefault(u, []).append((i, interval, when, int(times[end])))
    return due


def _reminder_rate(ds: Dataset, as_of: int, window_days: float, repeat: np.ndarray,
                   ok: np.ndarray) -> tuple[int, int]:
    """(customers due one window before ``as_of``, how many of them bought one of their due
    products within that window): what a reminder's chance is measured on."""
    window = int(window_days * DAY)
    then = _due(ds, as_of - window, window_days, repeat, ok)
    rows = _purchases(ds)
    rows = rows[(ds.times[rows] >= as_of - window) & (ds.times[rows] < as_of)]
    later = set(zip(ds.users[rows].tolist(), ds.items[rows].tolist(), strict=True))
    hits = sum(any((u, i) in later for i, *_ in items) for u, items in then.items())
    return len(then), hits


def reorder_audience(
    scorer: Scorer,
    *,
    window_days: float = 14.0,
    items: np.ndarray | None = None,
    size: int | None = None,
    min_probability: float = 0.0,
    contacts: Contacts | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> Audience:
    """Customers due to buy a repeat product again within ``window_days`` of the data's end."""
    ds = scorer.dataset
    as_of = int(ds.times.max()) if ds.n_events else 0
    repeat = repeat_items(ds) & campaign_items_allowed(ds)
    if items is not None:
        only = np.zeros(ds.n_items, dtype=bool)
        only[np.asarray(items, dtype=np.int64)] = True
        repeat &= only
    if not repeat.any():
        raise AudienceError("no product in this shop is bought again often enough for reminders "
                            "(3 or more buyers, a fifth of them buying again)")
    excluded: dict[str, int] = {}
    base = _eligible_base(scorer, contacts, excluded)
    ok = np.zeros(ds.n_users, dtype=bool)
    ok[base] = True
    due = _due(ds, as_of + 1, window_days, repeat, ok)
    due_users = np.array(sorted(due), dtype=np.int64)
    due_items = sorted({i for rows in due.values() for i, *_ in rows})
    if not len(due_users):
        return Audience(kind="reorder", definition={"window_days": window_days, "size": size},
                        members=(), eligible=0, random_expected=0.0, excluded=excluded,
                        event=scorer.event, as_of=as_of)
    col = {i: j for j, i in enumerate(due_items)}
    probs = scorer.probabilities(np.array(due_items), due_users, progress=progress, cancel=cancel)
    # a reminder names at most MERGE_ITEMS products: its chance is that of buying one of them
    p_any = np.array([1 - np.prod(1 - np.sort([probs[r, col[i]] for i, *_ in due[int(u)]])
                                  [::-1][:MERGE_ITEMS]) for r, u in enumerate(due_users)])
    # The model ranks; the level comes from the shop's own reminders one window earlier (the
    # run's event is about interactions, and a due customer's repeat is what it misses most).
    n_then, hits = _reminder_rate(ds, as_of + 1, window_days, repeat, ok)
    event = scorer.event
    raw_mean = float(p_any.mean())
    if n_then >= 20 and p_any.mean() > 0:
        p_any = np.clip(p_any * (hits / n_then) / p_any.mean(), 0.0, 1.0)
        event = (f"the customer buys one of these products within {window_days:g} days "
                 f"(customers due one window earlier: {hits} of {n_then} did)")
    order = np.lexsort((due_users, -p_any))
    picked = _cut(order, p_any, size, min_probability)
    members = []
    for r in picked:
        u = int(due_users[r])
        rows = sorted(due[u], key=lambda t: -probs[r, col[t[0]]])
        i, interval, when, last = rows[0]
        title = str(ds.catalog.title[i] or ds.item_ids[i])
        reason = (f"buys {title} about every {interval / DAY:.0f} days; last on {_date(last)}, "
                  f"due around {_date(int(when))}")
        members.append(Member(user=u, customer_id=str(ds.user_ids[u]),
                              probability=float(p_any[r]), reason=reason,
                              items=tuple(t[0] for t in rows[:MERGE_ITEMS])))
    # random: each member's products sent to a random eligible customer instead (on the same
    # scale as the members' chances)
    everyone = scorer.probabilities(np.array(due_items), base, cancel=cancel)
    mean_item = everyone.mean(axis=0) if len(base) else np.zeros(len(due_items))
    if event != scorer.event:
        mean_item = np.clip(mean_item * (hits / n_then) / max(raw_mean, 1e-12), 0.0, 1.0)
    random_expected = float(sum(1 - np.prod([1 - mean_item[col[i]] for i in m.items])
                                for m in members))
    return Audience(
        kind="reorder",
        definition={"window_days": window_days, "size": size, "min_probability": min_probability,
                    "items": [str(ds.item_ids[i]) for i in due_items]},
        members=tuple(members), eligible=len(due_users),
        random_expected=random_expected, excluded=excluded, event=event,
        as_of=as_of,
    )


def _lapsed(ds: Dataset, at: int, factor: float, min_orders: int) -> tuple[np.ndarray, dict]:
    """Customers lapsed at time ``at`` (events before it only), with (typical gap, gap now).

    A customer's typical gap is their average time between ordering days, first to last (a
    burst of orders on consecutive days does not make them a daily buyer); lapsed means the
    time since their last order is at least ``factor`` times that, and longer than the typical
    gap of half the shop's repeat customers.
    """
    users, _, times = _occasions(ds, before=at)
    if not len(users):
        return np.zeros(0, dtype=np.int64), {}
    u, t = np.unique(np.stack([users, times // DAY]), axis=1)  # one occasion per ordering day
    t = t * DAY
    bounds = np.searchsorted(u, np.arange(ds.n_users + 1))
    typical: dict[int, tuple[float, float, int]] = {}
    for c in np.unique(u):
        days = t[bounds[c] : bounds[c + 1]]
        if len(days) < min_orders:
            continue
        typical[int(c)] = (float(days[-1] - days[0]) / (len(days) - 1), float(at - days[-1]),
                           len(days))
    if not typical:
        return np.zeros(0, dtype=np.int64), {}
    shop_gap = float(np.median([g for g, _, _ in typical.values()]))
    out = [c for c, (gap, since, _) in typical.items()
           if since >= factor * max(gap, DAY) and since > shop_gap]
    return np.array(sorted(out), dtype=np.int64), {c: typical[c] for c in out}


def _came_back(ds: Dataset, users: np.ndarray, start: int, end: int) -> np.ndarray:
    rows = _purchases(ds)
    rows = rows[(ds.times[rows] >= start) & (ds.times[rows] < end)]
    back = np.zeros(ds.n_users, dtype=bool)
    back[ds.users[rows]] = True
    return back[users]


def winback_audience(
    scorer: Scorer,
    *,
    window_days: float = 14.0,
    factor: float = 2.0,
    min_orders: int = 3,
    size: int | None = None,
    contacts: Contacts | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> Audience:
    """Customers whose gap since their last order is unusually long for them."""
    ds = scorer.dataset
    as_of = int(ds.times.max()) + 1 if ds.n_events else 0
    excluded: dict[str, int] = {}
    base = _eligible_base(scorer, contacts, excluded)
    ok = np.zeros(ds.n_users, dtype=bool)
    ok[base] = True
    lapsed, info = _lapsed(ds, as_of, factor, min_orders)
    lapsed = lapsed[ok[lapsed]]
    # their chance, measured on the shop's own history one window earlier
    window = int(window_days * DAY)
    before, _ = _lapsed(ds, as_of - window, factor, min_orders)
    rate = float(_came_back(ds, before, as_of - window, as_of).mean()) if len(before) else 0.0
    with_history = np.flatnonzero(scorer.has_history())
    shop_rate = float(_came_back(ds, with_history, as_of - window, as_of).mean()) if len(with_history) else 0.0
    # most valuable first: the customers who ordered on the most days
    order = sorted(lapsed.tolist(), key=lambda c: (-info[c][2], info[c][0], c))
    if size is not None:
        order = order[:size]
    report(progress, 0, 1, "choosing products to show")
    shown = scorer.top_items(np.array(order, dtype=np.int64)) if order else []
    members = tuple(
        Member(user=c, customer_id=str(ds.user_ids[c]), probability=rate,
               reason=(f"ordered on {info[c][2]} days, about every {info[c][0] / DAY:.0f} days; "
                       f"last order {info[c][1] / DAY:.0f} days ago"), items=items)
        for c, items in zip(order, shown, strict=True)
    )
    return Audience(
        kind="winback",
        definition={"window_days": window_days, "factor": factor, "min_orders": min_orders,
                    "size": size},
        members=members, eligible=len(lapsed), random_expected=len(members) * shop_rate,
        excluded=excluded,
        event=(f"the customer orders anything within {window_days:g} days (the share of "
               f"customers lapsed the same way who came back, one window earlier)"),
        as_of=as_of,
    )


def _date(ts: int) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).strftime("%Y-%m-%d")


def build_audience(
    scorer: Scorer,
    kind: str,
    *,
    item_ids: Sequence[str] = (),
    category: str = "",
    size: int | None = None,
    min_probability: float = 0.0,
    recent_days: float = 30.0,
    window_days: float = 14.0,
    contacts: Contacts | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> Audience:
    """One entry point for the three kinds (what the CLI and the desktop call)."""
    if kind == "items":
        items = resolve_items(scorer.dataset, item_ids, category)
        audience = item_audience(scorer, items, size=size, min_probability=min_probability,
                                 recent_days=recent_days, contacts=contacts, progress=progress,
                                 cancel=cancel)
        if category:
            audience.definition["category"] = category
        return audience
    if kind == "reorder":
        items = resolve_items(scorer.dataset, item_ids, category) if (item_ids or category) else None
        return reorder_audience(scorer, window_days=window_days, items=items, size=size,
                                min_probability=min_probability, contacts=contacts,
                                progress=progress, cancel=cancel)
    if kind == "winback":
        return winback_audience(scorer, window_days=window_days, size=size, contacts=contacts,
                                progress=progress, cancel=cancel)
    raise AudienceError(f"unknown audience kind {kind!r}; choose one of {', '.join(KINDS)}")
