"""Magento 2 catalog export (System › Export › Products): one row per product and store view."""

from __future__ import annotations

from typing import Any

import pandas as pd
from shoprec.core import hookimpl
from shoprec.core.contracts.formats import FormatSpec


def _prepare(df: pd.DataFrame, state: dict[str, Any]) -> pd.DataFrame:
    """Categories look like ``Default Category/Gear/Bags,Default Category/Gear``; keep the first
    path as ``Gear > Bags``. ``product_online`` is 1 (enabled) or 2 (disabled)."""
    df = df.copy()
    if "category" in df:
        first = df["category"].str.split(",", n=1).str[0].fillna("")
        parts = first.str.split("/")
        df["category"] = parts.map(lambda p: " > ".join(x for x in p[1:] or p if x) if p else "")
    return df


CATALOG = FormatSpec(
    name="magento_catalog",
    title="Magento catalog export",
    description="catalog_product CSV: sku, name, description, categories, price, qty, related_skus...",
    kind="catalog",
    columns={
        "sku": ("sku",),
        "title": ("name",),
        "description": ("description", "short_description"),
        "category": ("categories",),
        "price": ("price",),
        "stock": ("qty",),
        "published": ("product_online",),
        "url": ("url_key",),
    },
    required=("sku", "title"),
    signature=("store_view_code", "attribute_set_code", "product_type", "product_websites",
               "url_key", "related_skus", "crosssell_skus", "upsell_skus", "product_online",
               "visibility", "additional_attributes"),
    prepare=_prepare,
)


@hookimpl
def shoprec_import_formats() -> list[FormatSpec]:
    return [CATALOG]
