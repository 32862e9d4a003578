"""Magento 2 catalog CSV with related, cross-sell and up-sell SKUs.

Import it in System > Data Transfer > Import (entity "Products", behaviour "Add/Update"): rows are
matched by ``sku``; the ``*_skus`` columns take comma-separated SKUs and ``*_position`` their order.
"""

from __future__ import annotations

from pathlib import Path

from shoprec.core import hookimpl
from shoprec.core.contracts.exporters import ExportData, ExporterSpec

from ._common import product_groups, product_links, representative, write_csv
from .woocommerce import upsell_and_cross_sell

COLUMNS = ("sku", "related_skus", "related_position", "crosssell_skus", "crosssell_position",
           "upsell_skus", "upsell_position")
PER_PRODUCT = 5


def write_magento_catalog(data: ExportData, path: Path) -> int:
    groups = product_groups(data)
    heads = {product: representative(product, items) for product, items in groups.items()}
    related = product_links(data, "related", PER_PRODUCT)
    by_sku = {sku: (up, cross) for sku, _name, up, cross in upsell_and_cross_sell(data)}

    def positions(skus: list[str]) -> str:
        return ",".join(str(i) for i in range(1, len(skus) + 1))

    def rows():
        for product, head in heads.items():
            rel = [heads[p].sku_or_id for p, _ in related.get(product, []) if p in heads]
            up, cross = by_sku.get(head.sku_or_id, ([], []))
            if rel or up or cross:
                yield (head.sku_or_id, ",".join(rel), positions(rel), ",".join(cross), positions(cross),
                       ",".join(up), positions(up))

    return write_csv(path, COLUMNS, rows())


@hookimpl
def shoprec_exporters() -> list[ExporterSpec]:
    return [
        ExporterSpec(
            name="magento-catalog", title="Magento catalog (related / cross-sell / up-sell)",
            extension="csv", write=write_magento_catalog, needs_run=False, item_links=True, platform="Magento 2",
            description="Catalog import CSV keyed by sku with related_skus, crosssell_skus and "
            "upsell_skus.",
        )
    ]
