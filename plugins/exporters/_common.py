"""Helpers shared by the built-in exporters: safe CSV writing and product-level grouping."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from shoprec.core.contracts.exporters import ExportData, ItemInfo, safe_cell


def write_csv(
    path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]], *, bom: bool = False
) -> int:
    """Write a CSV (UTF-8, ``,``, minimal quoting) with every text cell neutralised; returns rows.

    ``bom``: files people open in Excel get a byte-order mark, or Excel misreads UTF-8.
    """
    count = 0
    with open(path, "w", newline="", encoding="utf-8-sig" if bom else "utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(header)
        for row in rows:
            out.writerow([safe_cell(cell) for cell in row])
            count += 1
    return count


def product_groups(data: ExportData) -> dict[str, list[ItemInfo]]:
    """Catalog items grouped by product (variants together), in catalog order."""
    groups: dict[str, list[ItemInfo]] = {}
    for item in data.items.values():
        groups.setdefault(item.product, []).append(item)
    return groups


def representative(product: str, variants: list[ItemInfo]) -> ItemInfo:
    """The item standing for a product: the parent row when it has a SKU (WooCommerce, Magento
    parents), else the first variant with one (Shopify exports give SKUs to variants only)."""
    for item in variants:
        if item.item_id == product and item.sku:
            return item
    for item in variants:
        if item.sku:
            return item
    for item in variants:
        if item.item_id == product:
            return item
    return variants[0]


def product_title(product: str, variants: list[ItemInfo]) -> str:
    """The product's own title: the parent row's, else the variants' shared "Title - Option" stem.

    Product-update files must carry the product's title, never a variant's, or the import renames
    the product.
    """
    for item in variants:
        if item.item_id == product and item.title and item.title != item.item_id:
            return item.title
    titles = [item.title for item in variants if item.title]
    if not titles:
        return product
    stems = {t.rsplit(" - ", 1)[0] if " - " in t else t for t in titles}
    return stems.pop() if len(stems) == 1 else titles[0]


def product_links(
    data: ExportData, kind: str, n: int, *, per_item: int = 10
) -> dict[str, list[tuple[str, float]]]:
    """Product -> up to ``n`` other products (best first), from item links of all its variants.

    ``kind``: ``related`` or ``together``. A target reached through several variants keeps its
    best score.
    """
    out: dict[str, list[tuple[str, float]]] = {}
    for product, variants in product_groups(data).items():
        best: dict[str, float] = {}
        for item in variants:
            links = data.related(item.key, per_item) if kind == "related" else data.together(item.key, per_item)
            for link in links:
                target = link.target.product
                if target != product and link.score > best.get(target, float("-inf")):
                    best[target] = link.score
        if best:
            ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
            out[product] = ranked[:n]
    return out
