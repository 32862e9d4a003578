"""WooCommerce products CSV filling Upsells and Cross-sells (by SKU).

Import it with WooCommerce's product importer, ticking "Update existing products": rows are
matched by SKU and only Upsells / Cross-sells change. Upsells are similar products at the same
price or above (what WooCommerce shows as "You may also like"); cross-sells are products bought
in the same orders (shown in the cart).
"""

from __future__ import annotations

from pathlib import Path

from shoprec.core import hookimpl
from shoprec.core.contracts.exporters import ExportData, ExporterSpec

from ._common import product_groups, product_links, product_title, representative, write_csv

COLUMNS = ("SKU", "Name", "Upsells", "Cross-sells")
PER_PRODUCT = 4


def upsell_and_cross_sell(data: ExportData) -> list[tuple[str, str, list[str], list[str]]]:
    """(product SKU, name, upsell SKUs, cross-sell SKUs) for each product with any."""
    groups = product_groups(data)
    heads = {product: representative(product, items) for product, items in groups.items()}
    related = product_links(data, "related", 3 * PER_PRODUCT)
    together = product_links(data, "together", PER_PRODUCT)
    out = []
    for product, head in heads.items():
        price = head.price or 0.0
        similar = [heads[p] for p, _ in related.get(product, []) if p in heads]
        # an upsell is an alternative worth as much or more; fall back to any similar product
        up = [h for h in similar if (h.price or 0.0) >= price] or similar
        cross = [heads[p] for p, _ in together.get(product, []) if p in heads]
        up_skus = [h.sku_or_id for h in up[:PER_PRODUCT]]
        cross_skus = [h.sku_or_id for h in cross]
        if up_skus or cross_skus:
            out.append((head.sku_or_id, product_title(product, groups[product]), up_skus,
                        cross_skus))
    return out


def write_woocommerce_products(data: ExportData, path: Path) -> int:
    rows = ((sku, name, ", ".join(up), ", ".join(cross))
            for sku, name, up, cross in upsell_and_cross_sell(data))
    # WooCommerce's own exporter writes a BOM; its importer expects and strips it.
    return write_csv(path, COLUMNS, rows, bom=True)


@hookimpl
def shoprec_exporters() -> list[ExporterSpec]:
    return [
        ExporterSpec(
            name="woocommerce-products", title="WooCommerce products (upsells / cross-sells)",
            extension="csv", write=write_woocommerce_products, needs_run=False, item_links=True,
            platform="WooCommerce",
            description="Product CSV matched by SKU that fills Upsells (similar, same price or "
            "higher) and Cross-sells (bought together).",
        )
    ]
