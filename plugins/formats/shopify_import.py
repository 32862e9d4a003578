"""Shopify admin exports: orders (one row per line item), products and customers."""

from __future__ import annotations

from typing import Any

import pandas as pd
from shoprec.core import hookimpl
from shoprec.core.contracts.formats import FormatSpec
from shoprec.core.contracts.prepare import fill_order_fields

# Shopify writes these only on the first line item of each order.
ORDER_LEVEL = ("email", "customer", "customer_name", "time", "cancelled", "status", "currency")


def _prepare_orders(df: pd.DataFrame, state: dict[str, Any]) -> pd.DataFrame:
    return fill_order_fields(df, state, ORDER_LEVEL)


def _prepare_products(df: pd.DataFrame, state: dict[str, Any]) -> pd.DataFrame:
    """Variant rows carry only the handle and variant columns: take the product's from its first row.

    Extra image rows carry only the handle and an image: the image is added to the product's first
    item (``attrs.images``), so a re-import finds it there and counts the row as a duplicate.
    """
    blank = [c for c in ("title", "option", "sku", "price", "stock") if c in df]
    image_only = df[blank].apply(lambda c: c.str.strip() == "").all(axis=1)
    handle = df["item"].str.strip()
    df = df.rename(columns={"item": "order"})  # fill_order_fields groups by "order"
    df = fill_order_fields(df, state, ("title", "description", "category", "vendor", "published", "gift_card"))
    df = df.rename(columns={"order": "item"})
    # Every row names its product's handle: exporters need the real handle, never one guessed
    # from a title or a SKU.
    df["variant_of"] = df["item"]
    if "option" in df:  # "Product - Variant", the way order line items name a variant
        opt = df["option"].str.strip()
        plain = opt.isin(["", "Default Title"])
        df["title"] = df["title"].where(plain, df["title"] + " - " + opt)
        has_sku = df["sku"].str.strip() != "" if "sku" in df else pd.Series(False, index=df.index)
        # Variants without a SKU get "handle:option" as their id so they stay apart.
        df["item"] = df["item"].where(plain | has_sku, df["item"] + ":" + opt)
    # The item each handle's images belong to: its first variant (as the importer will key it).
    key = df["sku"].str.strip() if "sku" in df else pd.Series("", index=df.index)
    key = key.where(key != "", df["item"])
    first: dict[str, str] = state.setdefault("first_item", {})
    for h, k in zip(handle[~image_only], key[~image_only], strict=True):
        first.setdefault(h, k)
    if image_only.any():
        url = df["url"] if "url" in df else pd.Series("", index=df.index)
        df["_image"] = url.where(image_only, "")
        df.loc[image_only, "item"] = handle[image_only].map(lambda h: first.get(h, h))
        for col in ("sku", "url", "title", "description", "category", "vendor", "published", "variant_of",
                    "requires_shipping", "gift_card"):
            if col in df:
                df.loc[image_only, col] = ""
    return df


ORDERS = FormatSpec(
    name="shopify_orders",
    title="Shopify orders export",
    description="orders_export.csv from Shopify admin: one row per line item; refunds from Cancelled at / Financial Status.",
    columns={
        "order": ("Name",),
        "email": ("Email",),
        "customer_name": ("Billing Name",),
        "time": ("Created at", "Paid at"),
        "quantity": ("Lineitem quantity",),
        "title": ("Lineitem name",),
        "price": ("Lineitem price",),
        "sku": ("Lineitem sku",),
        "currency": ("Currency",),
        "status": ("Financial Status",),
        "cancelled": ("Cancelled at",),
        "vendor": ("Vendor",),
        "requires_shipping": ("Lineitem requires shipping",),
    },
    required=("order", "email", "time", "quantity", "title"),
    signature=("Lineitem name", "Lineitem quantity", "Lineitem sku", "Financial Status",
               "Fulfillment Status", "Lineitem price"),
    prepare=_prepare_orders,
)

PRODUCTS = FormatSpec(
    name="shopify_products",
    title="Shopify products export",
    description="products_export.csv: one row per variant/image, grouped by Handle.",
    kind="catalog",
    columns={
        "item": ("Handle",),
        "title": ("Title",),
        "description": ("Body (HTML)",),
        "vendor": ("Vendor",),
        "category": ("Product Category", "Type"),
        "published": ("Status", "Published"),
        "option": ("Option1 Value",),
        "sku": ("Variant SKU",),
        "stock": ("Variant Inventory Qty",),
        "price": ("Variant Price",),
        "url": ("Image Src",),
        "requires_shipping": ("Variant Requires Shipping",),
        "gift_card": ("Gift Card",),
    },
    required=("item", "title"),
    signature=("Handle", "Body (HTML)", "Variant SKU", "Variant Price", "Option1 Name",
               "Variant Inventory Qty"),
    prepare=_prepare_products,
)

CUSTOMERS = FormatSpec(
    name="shopify_customers",
    title="Shopify customers export",
    description="customers_export.csv: customers keyed by e-mail (or Customer ID when present).",
    kind="customers",
    columns={
        "customer": ("Customer ID",),
        "email": ("Email",),
        "first_name": ("First Name",),
        "last_name": ("Last Name",),
    },
    required=("email",),
    signature=("Accepts Email Marketing", "Total Spent", "Total Orders", "Tax Exempt",
               "Province Code", "Accepts Marketing", "Accepts SMS Marketing"),
)


@hookimpl
def shoprec_import_formats() -> list[FormatSpec]:
    return [ORDERS, PRODUCTS, CUSTOMERS]
