"""Shopify products CSV filling the Search & Discovery related / complementary product metafields.

Import it in Shopify admin (Products > Import, "Overwrite products with matching handles"): only
the columns present are updated. The metafields are lists of product references, written as
product handles separated by commas.
"""

from __future__ import annotations

from pathlib import Path

from shoprec.core import hookimpl
from shoprec.core.contracts.exporters import ExportData, ExportError, ExporterSpec

from ._common import product_groups, product_links, product_title, representative, write_csv

RELATED = "Related products (product.metafields.shopify--discovery--product_recommendation.related_products)"
COMPLEMENTARY = (
    "Complementary products "
    "(product.metafields.shopify--discovery--product_recommendation.complementary_products)"
)
COLUMNS = ("Handle", "Title", RELATED, COMPLEMENTARY)
PER_PRODUCT = 5  # Search & Discovery shows up to 10; five keeps the picks strong


def write_shopify_products(data: ExportData, path: Path) -> int:
    groups = product_groups(data)
    # Only real handles: Shopify matches rows by handle, and a guessed one would create or
    # overwrite the wrong product. Products whose handle no products export gave are left out.
    known = {product: representative(product, items) for product, items in groups.items()}
    handles = {product: item.handle for product, item in known.items() if item.handle_known}
    if not handles:
        raise ExportError(
            "the Shopify file needs your products' real handles, and no products export has "
            "been imported: export products in Shopify admin (Products > Export) and run "
            "`shoprec import products_export.csv` first"
        )
    left_out = len(groups) - len(handles)
    if left_out:
        data.notes.append(f"{left_out} products left out: no products export gave their handle")
    related = product_links(data, "related", PER_PRODUCT)
    together = product_links(data, "together", PER_PRODUCT)

    def rows():
        for product, items in groups.items():
            if product not in handles:
                continue
            rel = [handles[p] for p, _ in related.get(product, []) if p in handles]
            comp = [handles[p] for p, _ in together.get(product, []) if p in handles]
            if rel or comp:
                yield handles[product], product_title(product, items), ", ".join(rel), ", ".join(comp)

    return write_csv(path, COLUMNS, rows())


@hookimpl
def shoprec_exporters() -> list[ExporterSpec]:
    return [
        ExporterSpec(
            name="shopify-products", title="Shopify products (related / complementary)",
            extension="csv", write=write_shopify_products, needs_run=False, item_links=True, platform="Shopify",
            description="Products CSV keyed by Handle that fills Shopify Search & Discovery's "
            "Related products (similar items) and Complementary products (bought together).",
        )
    ]
