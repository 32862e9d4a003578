"""Exporting: gather a run's lists from the workspace and hand them to an exporter plugin.

What an exporter registers and receives (:class:`ExporterSpec`, :class:`ExportData`, ...) is the
plugin contract in :mod:`shoprec.core.contracts.exporters`. :func:`export` reads the stored lists,
the catalog and the item-to-item statistics (related items, bought-together rules) from the
workspace, calls the exporter and writes the file atomically; the CLI and the desktop both go
through it.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from ..contracts.exporters import (
    CampaignExporterSpec,
    ExportData,
    ExportError,
    ExporterSpec,
    ExportLine,
    ExportList,
    ItemInfo,
    ItemLink,
    RunInfo,
    SimilarFn,
)
from ..contracts.progress import Cancelled, CancelToken, ProgressFn, check, report
from ..data.similarity import top_pairs
from ..ranking.reasons import LANGUAGES, render
from ..store.workspace import Workspace

if TYPE_CHECKING:
    from ..registry import ShopRecPluginManager


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
) -> list[ExportList]:
    """The run's per-customer lists, customers in workspace order, items by rank; with
    ``threshold`` θ > 0 only items scored at least θ; reasons in ``language`` (core.reasons)
    where the run stored their code."""
    lists: list[ExportList] = []
    current: tuple | None = None
    recs: list[ExportLine] = []
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
            recs.append(ExportLine(rank=len(recs) + 1, item=item, score=float(score),
                                       reason=reason or ""))
    if current is not None:
        lists.append(_customer_list(current, recs))
    return lists


def _customer_list(head: tuple, recs: list[ExportLine]) -> ExportList:
    ckey, cext, email, name = head
    if not email and "@" in (cext or ""):
        email = cext  # Shopify order exports know customers by their e-mail
    return ExportList(customer_key=ckey, customer_id=cext, email=email or "", name=name or "",
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
    return ExportData(run=run, lists=lists, items=items,
                      related=lambda n: related_links(ws, items, similar, n),
                      together=lambda: together_links(ws, items),
                      shop_url=shop_url or (ws.get_setting("shop_url") or ""), top=top,
                      threshold=threshold)


# ---------------------------------------------------------------------------------------------
# The exporter contract and the export call
# ---------------------------------------------------------------------------------------------


def related_links(ws: Workspace, items: dict[int, ItemInfo], similar: SimilarFn | None,
                  n: int) -> dict[int, list[ItemLink]]:
    """Items like each item, best first: the run strategy's own similarity where it has one,
    else items viewed, carted or bought by the same customers (cosine)."""
    out: dict[int, list[ItemLink]] = {}
    if similar is not None:
        for key, item in items.items():
            links = []
            for other, score in similar(key, n + 5):
                target = items.get(other)
                if target is None or target.product == item.product:
                    continue
                links.append(ItemLink(source=item, target=target, kind="related",
                                      score=float(score)))
            if links:
                out[key] = links[:n]
        if out:
            return out
    # No strategy to ask: items viewed, carted or bought by the same customers (cosine).
    keys, matrix = _interaction_matrix(ws, ("view", "cart", "fav", "purchase", "rating"))
    for i, j, score in top_pairs(matrix, n + 5):
        src, dst = items.get(int(keys[i])), items.get(int(keys[j]))
        if src is None or dst is None or src.product == dst.product:
            continue
        bucket = out.setdefault(src.key, [])
        if len(bucket) < n:
            bucket.append(ItemLink(source=src, target=dst, kind="related", score=score))
    return out

def together_links(ws: Workspace, items: dict[int, ItemInfo]) -> dict[int, list[ItemLink]]:
    rules = _association_rules(ws)
    out: dict[int, list[ItemLink]] = {}
    for src_key, dst_key, orders, support, confidence, lift in rules:
        src, dst = items.get(src_key), items.get(dst_key)
        if src is None or dst is None or src.product == dst.product:
            continue
        out.setdefault(src_key, []).append(
            ItemLink(source=src, target=dst, kind="together", score=lift, orders=orders,
                     support=support, confidence=confidence, lift=lift)
        )
    for links in out.values():
        links.sort(key=lambda link: (-link.lift, -link.orders, link.target.item_id))
    return out



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
    from ..registry import collect_by_name, get_plugin_manager

    pm = pm or get_plugin_manager()
    found = collect_by_name(pm, "shoprec_exporters", _BUILTIN_ORDER)
    # lists first, then product feeds; built-ins in a fixed order, third-party ones after
    return {n: found[n] for n in sorted(found, key=lambda n: not found[n].needs_run)}


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


def campaign_exporters(pm: ShopRecPluginManager | None = None) -> dict[str, CampaignExporterSpec]:
    """Every registered campaign exporter by name (built-ins first, in a fixed order)."""
    from ..registry import collect_by_name, get_plugin_manager

    return collect_by_name(pm or get_plugin_manager(), "shoprec_campaign_exporters",
                           ("csv", "klaviyo", "mailchimp", "shopify-email"))
