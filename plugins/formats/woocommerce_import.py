"""WooCommerce exports: products (core exporter, English/French/German headers) and orders
(line-item exports from order-export plugins, and Analytics › Orders with ``2× Name`` baskets)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from shoprec.core import hookimpl
from shoprec.core.contracts.formats import FormatSpec
from shoprec.core.contracts.prepare import explode_baskets, fill_order_fields


def _prepare_products(df: pd.DataFrame, state: dict[str, Any]) -> pd.DataFrame:
    """Sale price wins over regular price; ``Parent`` may be ``id:123``; categories keep ``>``."""
    df = df.copy()
    if "variant_of" in df and "item" in df:
        # "Parent" is "id:101" (or a SKU); name the parent by the id it was imported under.
        known: dict[str, str] = state.setdefault("external_by_id", {})
        sku = df["sku"].str.strip() if "sku" in df else pd.Series("", index=df.index)
        ids = df["item"].str.strip()
        known.update(zip(ids, sku.where(sku != "", ids), strict=True))
        parent = df["variant_of"].str.strip().str.replace(r"^id:", "", regex=True)
        df["variant_of"] = parent.map(lambda p: known.get(p, p))
    if "category" in df:
        # Several categories are joined with ", "; the first path is the item's category.
        df["category"] = df["category"].str.split(r"(?<!\\),\s*", n=1, regex=True).str[0].fillna("")
    return df


PRODUCTS = FormatSpec(
    name="woocommerce_products",
    title="WooCommerce product export",
    description="Products CSV from WooCommerce's built-in exporter (English, French or German headers).",
    kind="catalog",
    columns={
        "item": ("ID",),
        "sku": ("SKU", "UGS", "Artikelnummer", "Référence"),
        "title": ("Name", "Nom", "Name des Produkts"),
        "published": ("Published", "Publié", "Veröffentlicht"),
        "description": ("Description", "Beschreibung", "Short description", "Description courte",
                        "Kurzbeschreibung"),
        "stock": ("Stock", "Lager", "Bestand"),
        "price": ("Regular price", "Tarif régulier", "Prix régulier", "Regulärer Preis"),
        "category": ("Categories", "Catégories", "Kategorien"),
        "variant_of": ("Parent", "Übergeordnetes Produkt"),
        "url": ("Images", "Bilder"),
    },
    required=("item", "title"),
    signature=("Is featured?", "Visibility in catalog", "Short description", "Regular price",
               "Tax status", "In stock?", "Backorders allowed?", "Mis en avant ?",
               "Visibilité dans le catalogue", "Description courte", "Tarif régulier", "En stock ?",
               "Ist hervorgehoben?", "Sichtbarkeit im Katalog", "Kurzbeschreibung",
               "Regulärer Preis", "Vorrätig?", "Steuerstatus", "État de la TVA"),
    prepare=_prepare_products,
)


def _prepare_line_items(df: pd.DataFrame, state: dict[str, Any]) -> pd.DataFrame:
    return fill_order_fields(df, state, ("email", "customer", "customer_name", "time", "status"))


ORDER_ITEMS = FormatSpec(
    name="woocommerce_order_items",
    title="WooCommerce orders (line items)",
    description="One row per ordered product, as order-export plugins write them.",
    columns={
        "order": ("Order ID", "Order Number", "Order #", "Order"),
        "email": ("Billing Email", "Customer Email", "Billing Email Address", "Email (Billing)",
                  "E-mail de facturation"),
        "customer": ("Customer User ID", "Customer ID", "Customer Username"),
        "customer_name": ("Customer Name", "Billing Full Name"),
        "time": ("Order Date", "Date", "Order Created", "Paid Date"),
        "status": ("Order Status", "Status"),
        "sku": ("SKU", "Item SKU", "Product SKU"),
        "item": ("Product ID", "Item ID", "Product Id"),
        "title": ("Item Name", "Product Name", "Product", "Item"),
        "quantity": ("Quantity", "Qty", "Item Quantity", "Quantity (- Refund)"),
        "value": ("Item Total", "Line Total", "Order Line Total", "Item Cost (total)"),
        "price": ("Item Cost", "Item Price", "Price"),
        "currency": ("Order Currency", "Currency"),
    },
    required=("order", "time", "quantity"),
    signature=("Order ID", "Order Number", "Order Status", "Billing Email", "Item Name",
               "Item SKU", "Item Cost", "Order Date", "Customer User ID", "Order Line Total",
               "Billing First Name"),
    prepare=_prepare_line_items,
)


def _prepare_analytics(df: pd.DataFrame, state: dict[str, Any]) -> pd.DataFrame:
    return explode_baskets(df, "products")


ANALYTICS_ORDERS = FormatSpec(
    name="woocommerce_analytics_orders",
    title="WooCommerce Analytics orders",
    description="Analytics › Orders download: one row per order, Product(s) like '2× Name, 1× Name'.",
    columns={
        "time": ("Date",),
        "order": ("Order #",),
        "status": ("Status",),
        "customer": ("Customer",),
        "products": ("Product(s)",),
        "value": ("Net sales", "Net Sales"),
    },
    required=("time", "order", "customer", "products"),
    signature=("Order #", "Customer type", "Product(s)", "Items sold", "Coupon(s)", "Net sales",
               "Attribution"),
    prepare=_prepare_analytics,
)


@hookimpl
def shoprec_import_formats() -> list[FormatSpec]:
    return [PRODUCTS, ORDER_ITEMS, ANALYTICS_ORDERS]
