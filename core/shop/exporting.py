"""Exporting: what an exporter plugin registers, what it receives, and the export call itself.

An exporter plugin registers :class:`ExporterSpec` objects (hook ``shoprec_exporters``). Its
``write(data, path)`` receives an :class:`ExportData`: the run's per-customer lists (shop ids,
e-mails, item titles, scores, reasons) plus lazily computed item-to-item tables - related items
and "frequently bought together" rules - for the product-feed exporters. :func:`export` gathers
that from the workspace and calls the exporter; the CLI and the desktop both go through it.

Spreadsheet safety: every text cell an exporter writes goes through :func:`safe_cell`, which
neutralises cells a spreadsheet would run as a formula (``= + - @``, tab, CR) with a leading
apostrophe, as WooCommerce's own exporter does (and its importer strips again).
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from ..contracts.progress import Cancelled, CancelToken, ProgressFn, check, report
from ..ranking.reasons import LANGUAGES, render
from ..store.workspace import Workspace

if TYPE_CHECKING:
    from ..registry import ShopRecPluginManager


class ExportError(Exception):
    """An export cannot be made (no such run, unknown exporter, nothing to export)."""


# ---------------------------------------------------------------------------------------------
# What exporters receive
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ItemInfo:
    """One catalog item as the shop knows it."""

    key: int  # workspace items.id
    item_id: str  # the shop's own id (SKU, product id or handle) exactly as imported
    sku: str  # "" when the shop gave none
    title: str
    product: str  # the product this item is a variant of (handle / parent id); itself if none
    category: str = ""
    vendor: str = ""
    price: float | None = None
    currency: str = ""
    url: str = ""
    published: bool | None = None
    stock: float | None = None
    variant_of: str = ""  # the parent a products export named ("" when none did)

    @property
    def sku_or_id(self) -> str:
        """What platforms match products by: the SKU, else the shop's own id."""
        return self.sku or self.item_id

    @property
    def handle_known(self) -> bool:
        """Whether the shop's own handle is known: a products export named the parent (Shopify
        products exports do for every row), or the product page's address shows it. Order
        exports alone never tell it: a handle made up from a title or a SKU could overwrite or
        create the wrong product in the shop."""
        return (bool(self.variant_of) and bool(_HANDLE.fullmatch(self.product))) or bool(
            _PRODUCT_URL.search(self.url))

    @property
    def handle(self) -> str:
        """The Shopify handle of the product when known (:attr:`handle_known`), else a guess
        from the title that only files marked for review may carry."""
        if self.handle_known and _HANDLE.fullmatch(self.product):
            return self.product
        match = _PRODUCT_URL.search(self.url)
        if match:
            return match.group(1)
        return slugify(self.title) or self.product


_HANDLE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_PRODUCT_URL = re.compile(r"/products/([a-z0-9][a-z0-9-]*)")


def slugify(text: str) -> str:
    """Shopify's default handle for a title: lower case, runs of other characters become ``-``."""
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "'": "", "’": ""})
    text = text.lower().translate(table)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


@dataclass(frozen=True, kw_only=True)
class Recommendation:
    """One row of a customer's list."""

    rank: int  # 1 = best
    item: ItemInfo
    score: float  # calibrated probability in [0, 1]
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class CustomerList:
    """One customer's recommendations, best first."""

    customer_key: int
    customer_id: str  # the shop's own customer id (often the e-mail for Shopify exports)
    email: str
    name: str
    items: tuple[Recommendation, ...]


@dataclass(frozen=True, kw_only=True)
class RunInfo:
    """The stored run whose lists are exported."""

    id: int
    strategy: str
    created_at: int
    params: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)
    calibration: dict[str, Any] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def threshold(self) -> float:
        """The θ the stored lists were cut with (0: off, every list a full top-N)."""
        return float((self.info.get("lists") or {}).get("threshold", 0.0) or 0.0)


@dataclass(frozen=True, kw_only=True)
class ItemLink:
    """An item-to-item suggestion: ``target`` goes with ``source``.

    ``kind`` is ``related`` (similar items, alternatives) or ``together`` (bought in the same
    order). Association statistics are filled for ``together``: ``orders`` both were in,
    ``support`` = orders / all orders, ``confidence`` = P(target | source), ``lift`` =
    confidence / P(target).
    """

    source: ItemInfo
    target: ItemInfo
    kind: str
    score: float
    orders: int = 0
    support: float = 0.0
    confidence: float = 0.0
    lift: float = 0.0


#: ``(item key, n) -> [(item key, similarity), ...]``, best first; the run's strategy provides it.
SimilarFn = Callable[[int, int], list[tuple[int, float]]]


class ExportData:
    """Everything an exporter may use. Item-to-item tables are computed on first use."""

    def __init__(
        self,
        ws: Workspace,
        *,
        run: RunInfo | None,
        lists: list[CustomerList],
        items: dict[int, ItemInfo],
        similar: SimilarFn | None = None,
        shop_url: str = "",
        top: int | None = None,
        threshold: float = 0.0,
    ) -> None:
        self.ws = ws
        self.run = run
        self.lists = lists
        self.items = items
        self.shop_url = shop_url.rstrip("/")
        self.top = top
        #: θ the exported lists were cut with: the run's own, or a stricter one asked at export.
        self.threshold = max(threshold, run.threshold if run is not None else 0.0)
        self._similar = similar
        #: What an exporter wants the owner to know about the file (items left out and why).
        self.notes: list[str] = []
        self._related: dict[int, list[ItemLink]] | None = None
        self._together: dict[int, list[ItemLink]] | None = None

    # -- per customer --------------------------------------------------------------------------
    def rows(self) -> Iterable[tuple[CustomerList, Recommendation]]:
        for cl in self.lists:
            for rec in cl.items:
                yield cl, rec

    def product_url(self, item: ItemInfo) -> str:
        """The product page: ``<shop url>/products/<handle>`` when the shop's address and the
        product's handle are known; the item's own page address; else "" (never a guessed link)."""
        if self.shop_url and item.handle_known:
            return f"{self.shop_url}/products/{item.handle}"
        if item.url and not _IMAGE_URL.search(item.url):
            return item.url
        return ""

    # -- item to item --------------------------------------------------------------------------
    def related(self, item_key: int, n: int = 5) -> list[ItemLink]:
        """Items like ``item_key`` (other products, best first)."""
        if self._related is None:
            self._related = self._compute_related(max(n, 10))
        return self._related.get(item_key, [])[:n]

    def together(self, item_key: int, n: int = 5) -> list[ItemLink]:
        """Items bought in the same orders as ``item_key``, by lift (other products)."""
        if self._together is None:
            self._together = self._compute_together()
        return self._together.get(item_key, [])[:n]

    def together_rules(self) -> list[ItemLink]:
        """Every bought-together rule, grouped by source item in catalog order."""
        if self._together is None:
            self._together = self._compute_together()
        return [link for key in sorted(self._together) for link in self._together[key]]

    def _compute_related(self, n: int) -> dict[int, list[ItemLink]]:
        out: dict[int, list[ItemLink]] = {}
        if self._similar is not None:
            for key, item in self.items.items():
                links = []
                for other, score in self._similar(key, n + 5):
                    target = self.items.get(other)
                    if target is None or target.product == item.product:
                        continue
                    links.append(ItemLink(source=item, target=target, kind="related",
                                          score=float(score)))
                if links:
                    out[key] = links[:n]
            if out:
                return out
        # No strategy to ask: items viewed, carted or bought by the same customers (cosine).
        keys, matrix = _interaction_matrix(self.ws, ("view", "cart", "fav", "purchase", "rating"))
        for i, j, score in _top_pairs(matrix, n + 5):
            src, dst = self.items.get(int(keys[i])), self.items.get(int(keys[j]))
            if src is None or dst is None or src.product == dst.product:
                continue
            bucket = out.setdefault(src.key, [])
            if len(bucket) < n:
                bucket.append(ItemLink(source=src, target=dst, kind="related", score=score))
        return out

    def _compute_together(self) -> dict[int, list[ItemLink]]:
        rules = _association_rules(self.ws)
        out: dict[int, list[ItemLink]] = {}
        for src_key, dst_key, orders, support, confidence, lift in rules:
            src, dst = self.items.get(src_key), self.items.get(dst_key)
            if src is None or dst is None or src.product == dst.product:
                continue
            out.setdefault(src_key, []).append(
                ItemLink(source=src, target=dst, kind="together", score=lift, orders=orders,
                         support=support, confidence=confidence, lift=lift)
            )
        for links in out.values():
            links.sort(key=lambda link: (-link.lift, -link.orders, link.target.item_id))
        return out


_IMAGE_URL = re.compile(r"\.(?:jpe?g|png|gif|webp|avif)(?:\?|$)", re.IGNORECASE)


# ---------------------------------------------------------------------------------------------
# Item-to-item statistics from the workspace's events
# ---------------------------------------------------------------------------------------------


def _interaction_matrix(ws: Workspace, types: tuple[str, ...]) -> tuple[np.ndarray, sp.csr_matrix]:
    """Binary customer x item matrix of the given event types; (item keys by column, matrix)."""
    marks = ",".join("?" * len(types))
    rows = ws.conn.execute(
        f"SELECT DISTINCT customer_id, item_id FROM events WHERE type IN ({marks})", types
    ).fetchall()
    if not rows:
        return np.zeros(0, dtype=np.int64), sp.csr_matrix((0, 0))
    _, owner_idx = np.unique([r[0] for r in rows], return_inverse=True)
    keys, item_idx = np.unique(np.array([r[1] for r in rows], dtype=np.int64), return_inverse=True)
    data = np.ones(len(rows), dtype=np.float32)
    return keys, sp.csr_matrix((data, (owner_idx, item_idx)),
                               shape=(int(owner_idx.max()) + 1, len(keys)))


def _top_pairs(matrix: sp.csr_matrix, n: int, chunk: int = 512) -> Iterable[tuple[int, int, float]]:
    """For every column, its ``n`` most cosine-similar other columns (co-occurrence based)."""
    if matrix.shape[1] == 0:
        return
    cols = matrix.tocsc()
    norms = np.sqrt(np.asarray(cols.multiply(cols).sum(axis=0)).ravel())
    norms[norms == 0] = 1.0
    gram_t = cols.T.tocsr()
    for start in range(0, cols.shape[1], chunk):
        block = (gram_t[start : start + chunk] @ cols).toarray()
        block /= norms[start : start + chunk, None]
        block /= norms[None, :]
        for r in range(block.shape[0]):
            i = start + r
            block[r, i] = 0.0
            row = block[r]
            k = min(n, len(row) - 1)
            if k <= 0:
                continue
            top = np.argpartition(-row, k)[:k] if k < len(row) else np.arange(len(row))
            top = top[np.argsort(-row[top], kind="stable")]
            for j in top:
                if row[j] > 0:
                    yield i, int(j), float(row[j])


def _association_rules(
    ws: Workspace, *, min_count: int = 2, per_item: int = 10
) -> list[tuple[int, int, int, float, float, float]]:
    """Rules A -> B over orders (refunds excluded), by :func:`core.baskets.frequently_bought_together`.

    Returns (a key, b key, orders with both, support, confidence, lift) with workspace item keys.
    """
    from ..data.baskets import frequently_bought_together
    from ..data.dataset import Dataset

    ds = Dataset.from_workspace(ws, include_idle_customers=False)
    if ds.n_events == 0 or ds.item_keys is None:
        return []
    table = frequently_bought_together(ds, min_count=min_count, max_per_item=per_item)
    keys = ds.item_keys
    return [
        (int(keys[a]), int(keys[b]), int(n), float(s), float(c), float(lift))
        for a, b, n, s, c, lift in zip(
            table["item"], table["other"], table["count"], table["support"],
            table["confidence"], table["lift"], strict=True,
        )
    ]


# ---------------------------------------------------------------------------------------------
# Gathering a run from the workspace
# ---------------------------------------------------------------------------------------------


def load_items(ws: Workspace) -> dict[int, ItemInfo]:
    """Every catalog item, by workspace key."""
    out = {}
    for key, ext, sku, title, category, vendor, price, currency, url, published, stock, parent in ws.conn.execute(
        "SELECT id, external_id, sku, title, category, vendor, price, currency, url, published, "
        "stock, variant_of FROM items ORDER BY id"
    ):
        out[key] = ItemInfo(
            key=key,
            item_id=ext,
            sku=sku or "",
            title=title or ext,
            product=parent or ext,
            category=category or "",
            vendor=vendor or "",
            price=price,
            currency=currency or "",
            url=url or "",
            published=None if published is None else bool(published),
            stock=stock,
            variant_of=parent or "",
        )
    return out


def find_run(ws: Workspace, run_id: int | None = None, strategy: str | None = None) -> RunInfo | None:
    """The run asked for: by id, else the newest of ``strategy``, else the newest of all."""
    sql = "SELECT id, strategy, created_at, params, metrics, calibration, info FROM runs"
    if run_id is not None:
        row = ws.conn.execute(sql + " WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise ExportError(f"no run {run_id} in {ws.path or 'this workspace'}")
    elif strategy is not None:
        row = ws.conn.execute(
            sql + " WHERE strategy = ? ORDER BY created_at DESC, id DESC LIMIT 1", (strategy,)
        ).fetchone()
        if row is None:
            raise ExportError(
                f"no run of strategy {strategy!r} in {ws.path or 'this workspace'}: "
                f"run `shoprec train --strategy {strategy}` first"
            )
    else:
        row = ws.conn.execute(sql + " ORDER BY created_at DESC, id DESC LIMIT 1").fetchone()
        if row is None:
            return None

    def js(text: str | None) -> dict:
        try:
            value = json.loads(text) if text else {}
        except ValueError:
            value = {}
        return value if isinstance(value, dict) else {}

    return RunInfo(id=row[0], strategy=row[1], created_at=row[2], params=js(row[3]),
                   metrics=js(row[4]), calibration=js(row[5]), info=js(row[6]))


def load_lists(
    ws: Workspace,
    run: RunInfo,
    items: dict[int, ItemInfo],
    *,
    top: int | None = None,
    threshold: float = 0.0,
    language: str = "en",
) -> list[CustomerList]:
    """The run's per-customer lists, customers in workspace order, items by rank; with
    ``threshold`` θ > 0 only items scored at least θ; reasons in ``language`` (core.reasons)
    where the run stored their code."""
    lists: list[CustomerList] = []
    current: tuple | None = None
    recs: list[Recommendation] = []
    cursor = ws.conn.execute(
        "SELECT c.id, c.external_id, c.email, c.name, l.rank, l.item_id, l.score, l.reason, "
        "l.reason_code, l.reason_item FROM run_lists l JOIN customers c ON c.id = l.customer_id "
        "WHERE l.run_id = ? ORDER BY c.id, l.rank",
        (run.id,),
    )
    for ckey, cext, email, name, _rank, item_key, score, reason, code, reason_item in cursor:
        if code:
            named = items.get(reason_item) if reason_item is not None else None
            reason = render(code, named.title if named else "", language) or reason
        if current is None or current[0] != ckey:
            if current is not None:
                lists.append(_customer_list(current, recs))
            current, recs = (ckey, cext, email, name), []
        if top is not None and len(recs) >= top:
            continue
        item = items.get(item_key)
        if item is not None and score >= threshold:
            recs.append(Recommendation(rank=len(recs) + 1, item=item, score=float(score),
                                       reason=reason or ""))
    if current is not None:
        lists.append(_customer_list(current, recs))
    return lists


def _customer_list(head: tuple, recs: list[Recommendation]) -> CustomerList:
    ckey, cext, email, name = head
    if not email and "@" in (cext or ""):
        email = cext  # Shopify order exports know customers by their e-mail
    return CustomerList(customer_key=ckey, customer_id=cext, email=email or "", name=name or "",
                        items=tuple(recs))


def gather(
    ws: Workspace,
    *,
    run_id: int | None = None,
    strategy: str | None = None,
    top: int | None = None,
    threshold: float = 0.0,
    language: str = "en",
    shop_url: str = "",
    similar: SimilarFn | None = None,
) -> ExportData:
    """Collect what exporters receive: the chosen run's lists (if any run exists) and the catalog.

    ``similar`` gives related items from the run's strategy; without it related items come from
    customers' shared interactions.
    """
    items = load_items(ws)
    run = find_run(ws, run_id, strategy)
    lists = (load_lists(ws, run, items, top=top, threshold=threshold, language=language)
             if run is not None else [])
    return ExportData(ws, run=run, lists=lists, items=items, similar=similar,
                      shop_url=shop_url or (ws.get_setting("shop_url") or ""), top=top,
                      threshold=threshold)


# ---------------------------------------------------------------------------------------------
# The exporter contract and the export call
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ExporterSpec:
    """One export destination (hook ``shoprec_exporters``).

    ``write(data, path)`` writes the file and returns the number of data rows written.
    ``needs_run``: the exporter writes per-customer lists, so a stored run must exist; item-to-item
    exporters (product feeds, bought-together tables) work from the imported data alone.
    """

    name: str
    title: str
    description: str
    extension: str  # default file extension, e.g. "csv"
    write: Callable[[ExportData, Path], int]
    needs_run: bool = True
    item_links: bool = False  # uses related items: the run's strategy is loaded to find them
    platform: str = ""  # who reads the file: "Excel", "Shopify", "WooCommerce", ...


@dataclass(frozen=True, kw_only=True)
class ExportResult:
    """What an export wrote."""

    exporter: str
    path: Path
    rows: int
    run_id: int | None
    customers: int
    seconds: float
    related_source: str = ""  # where related items came from, for item-to-item exporters
    threshold: float = 0.0  # θ the exported lists were cut with (stored θ or a stricter one)
    customers_with_items: int = 0  # customers whose exported list has at least one item
    notes: tuple[str, ...] = ()  # what the exporter wants the owner to know about the file

    def as_dict(self) -> dict[str, Any]:
        return {"exporter": self.exporter, "path": str(self.path), "rows": self.rows,
                "run_id": self.run_id, "customers": self.customers,
                "customers_with_items": self.customers_with_items, "threshold": self.threshold,
                "notes": list(self.notes),
                "related_source": self.related_source, "seconds": round(self.seconds, 3)}


def exporters(pm: ShopRecPluginManager | None = None) -> dict[str, ExporterSpec]:
    """Every registered exporter by name (built-ins and plugins)."""
    if pm is None:
        from ..registry import get_plugin_manager

        pm = get_plugin_manager()
    found: dict[str, ExporterSpec] = {}
    for _plugin, spec in pm.collect("shoprec_exporters"):
        found.setdefault(spec.name, spec)
    # lists first, then product feeds; built-ins in a fixed order, third-party ones after
    rank = {name: i for i, name in enumerate(_BUILTIN_ORDER)}
    order = sorted(found, key=lambda n: (not found[n].needs_run, rank.get(n, len(rank)), n))
    return {name: found[name] for name in order}


_BUILTIN_ORDER = ("csv", "xlsx", "json", "email-feed", "shopify-products", "woocommerce-products",
                  "magento-catalog", "bought-together")


def export(
    ws: Workspace,
    exporter: str | ExporterSpec,
    path: str | Path,
    *,
    run_id: int | None = None,
    strategy: str | None = None,
    top: int | None = None,
    threshold: float = 0.0,
    language: str = "en",
    shop_url: str = "",
    similar: SimilarFn | None = None,
    pm: ShopRecPluginManager | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> ExportResult:
    """Write ``path`` with ``exporter`` from a stored run (newest, or by id / strategy).

    ``threshold`` θ > 0 keeps only items scored at least θ (on top of the θ the run's lists were
    stored with); ``language`` ("en" or "zh_CN") says the reasons in the customers' language. A per-customer export that would write no row is an error saying why, not an
    empty file. The file is written next to ``path`` first and moved into place when complete,
    so a failed or cancelled export never leaves half a file behind.
    """
    started = time.perf_counter()
    if isinstance(exporter, str):
        known = exporters(pm)
        if exporter not in known:
            raise ExportError(f"unknown exporter {exporter!r}; known: {', '.join(sorted(known))}")
        spec = known[exporter]
    else:
        spec = exporter
    path = Path(path)
    report(progress, 0, 3, "reading the run")
    if not 0.0 <= threshold <= 1.0:
        raise ExportError(f"threshold θ must lie in [0, 1] (got {threshold})")
    if language not in LANGUAGES:
        raise ExportError(f"unknown language {language!r} for reasons; known: {', '.join(LANGUAGES)}")
    data = gather(ws, run_id=run_id, strategy=strategy, top=top, threshold=threshold,
                  language=language, shop_url=shop_url, similar=similar)
    if spec.needs_run and data.run is None:
        raise ExportError(
            f"no recommendation run in {ws.path or 'this workspace'} yet: "
            "run `shoprec train --strategy NAME` first"
        )
    used = max(threshold, data.run.threshold) if data.run is not None else threshold
    if spec.needs_run and not any(cl.items for cl in data.lists):
        raise ExportError(_nothing_to_export(data.run, used))
    related_source = ""
    if spec.item_links:
        if similar is None and data.run is not None:
            similar, related_source = _run_similarity(ws, data.run)
            data._similar = similar
        elif similar is not None:
            related_source = "given"
        related_source = related_source or "customers' shared views, carts and orders"
    check(cancel)
    report(progress, 1, 3, f"writing {path.name}")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = partial_path(path)
    remove_stale_partials(path)
    try:
        try:
            rows = spec.write(data, partial)
        except (ExportError, Cancelled, OSError, KeyboardInterrupt, MemoryError):
            raise
        except Exception as exc:  # an exporter plugin's failure: one line, the old file kept
            first = (str(exc).splitlines() or [""])[0][:200]
            raise ExportError(f"exporter {spec.name} failed: {type(exc).__name__}: {first}; "
                              f"{path.name} was not changed") from exc
        check(cancel)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    report(progress, 3, 3, "done")
    return ExportResult(exporter=spec.name, path=path, rows=int(rows or 0),
                        run_id=data.run.id if data.run else None, customers=len(data.lists),
                        seconds=time.perf_counter() - started, related_source=related_source,
                        threshold=used, notes=tuple(data.notes),
                        customers_with_items=sum(1 for cl in data.lists if cl.items))


def _nothing_to_export(run: RunInfo | None, threshold: float) -> str:
    """Why a per-customer export would be empty, and what to do about it."""
    name = run.strategy if run is not None else "NAME"
    which = f"run {run.id} ({name})" if run is not None else "the run"
    if threshold > 0:
        return (f"nothing to export: no item in {which} is at least {threshold:g} likely (θ). "
                f"Store full lists with `shoprec recommend --strategy {name} --threshold 0 --save`, "
                "or export with a lower --threshold")
    return (f"nothing to export: {which} stored no lists. Train again "
            f"(`shoprec train --strategy {name}`) after importing orders")


def partial_path(path: Path) -> Path:
    """Where an export of ``path`` is written before the rename: hidden, one per process."""
    return path.with_name(f".{path.name}.{os.getpid()}.partial")


def remove_stale_partials(path: Path) -> list[Path]:
    """Delete the temporary files of earlier exports of ``path`` whose process is gone (killed
    or powered off mid-write); a running export's file is left alone."""
    removed = []
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.partial"):
        pid = stale.name[len(path.name) + 2:-len(".partial")]
        if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid), stale):
            continue
        with contextlib.suppress(OSError):
            stale.unlink()
            removed.append(stale)
    legacy = path.with_name(path.name + ".partial")  # the name older versions used
    if legacy.exists():
        with contextlib.suppress(OSError):
            legacy.unlink()
            removed.append(legacy)
    return removed


def _alive(pid: int, partial: Path) -> bool:
    if os.name == "nt":  # os.kill(pid, 0) would send Ctrl+C there: go by age instead
        try:
            return time.time() - partial.stat().st_mtime < 6 * 3600
        except OSError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def similar_from_strategy(strategy: Any) -> SimilarFn:
    """A :data:`SimilarFn` over workspace item keys from a fitted strategy's ``similar_items``."""
    keys = strategy.dataset.item_keys
    index = {int(k): i for i, k in enumerate(keys)}

    def similar(item_key: int, n: int) -> list[tuple[int, float]]:
        i = index.get(item_key)
        if i is None:
            return []
        return [(int(keys[j]), float(s)) for j, s in strategy.similar_items(i, n)]

    return similar


def _run_similarity(ws: Workspace, run: RunInfo) -> tuple[SimilarFn | None, str]:
    """The run's own strategy as the source of related items, when it can be loaded."""
    try:
        from ..engine import load_run_strategy

        strategy = load_run_strategy(ws, run.id, device="cpu")
        if strategy.dataset is None or strategy.dataset.item_keys is None:
            return None, ""
        probe = strategy.similar_items(0, 1) if strategy.dataset.n_items else []
    except Exception:  # an old or foreign run: related items then come from shared interactions
        return None, ""
    if not probe:
        return None, ""  # the strategy offers no item similarity
    return similar_from_strategy(strategy), f"{run.strategy} (run {run.id})"


# ---------------------------------------------------------------------------------------------
# Cell safety
# ---------------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet would treat ``text`` as a formula (or hide it behind one)."""
    return text.startswith(_FORMULA_START)


def safe_cell(value: Any) -> Any:
    """A text cell made safe for spreadsheets: formula-like text gets a leading apostrophe.

    Numbers pass through unchanged (a negative number is not an injection).
    """
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def format_score(score: float) -> str:
    """Scores are probabilities, often small: six decimals keep 0.000032 from reading as 0."""
    return f"{score:.6f}"


# ---------------------------------------------------------------------------------------------
# Campaign audiences (hook ``shoprec_campaign_exporters``)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class CampaignExport:
    """What a campaign exporter receives: the campaign and its *send* group only.

    ``members`` are :class:`shoprec.core.shop.campaigns.MemberRow` (customer id, e-mail, name,
    probability, reason, the item keys the e-mail shows, best first); ``items`` the catalog by key.
    """

    campaign: Any  # shoprec.core.shop.campaigns.Campaign
    members: list[Any]
    items: dict[int, ItemInfo]
    shop_url: str = ""

    def product_url(self, item: ItemInfo) -> str:
        """The product page, as :meth:`ExportData.product_url` gives it."""
        if self.shop_url:
            return f"{self.shop_url.rstrip('/')}/products/{item.handle}"
        if item.url and not _IMAGE_URL.search(item.url):
            return item.url
        return ""

    def image_url(self, item: ItemInfo) -> str:
        """The product image where the catalog gave one (Shopify's ``Image Src``)."""
        return item.url if item.url and _IMAGE_URL.search(item.url) else ""

    def shown(self, member: Any) -> list[ItemInfo]:
        return [self.items[k] for k in member.items if k in self.items]


@dataclass(frozen=True, kw_only=True)
class CampaignExporterSpec:
    """One e-mail tool a campaign audience can go to (hook ``shoprec_campaign_exporters``).

    ``write(data, path)`` writes the file and returns the number of customers written.
    """

    name: str
    title: str
    description: str
    extension: str
    write: Callable[[CampaignExport, Path], int]
    platform: str = ""


def campaign_exporters(pm: ShopRecPluginManager | None = None) -> dict[str, CampaignExporterSpec]:
    """Every registered campaign exporter by name (built-ins first, in a fixed order)."""
    if pm is None:
        from ..registry import get_plugin_manager

        pm = get_plugin_manager()
    found: dict[str, CampaignExporterSpec] = {}
    for _plugin, spec in pm.collect("shoprec_campaign_exporters"):
        found.setdefault(spec.name, spec)
    order = ("csv", "klaviyo", "mailchimp", "shopify-email")
    rank = {name: i for i, name in enumerate(order)}
    return {n: found[n] for n in sorted(found, key=lambda n: (rank.get(n, len(rank)), n))}
