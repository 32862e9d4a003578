"""Etsy "Sold Order Items" CSV (EtsySoldOrderItems<YYYY>.csv): one row per item sold."""

from __future__ import annotations

from shoprec.core import hookimpl
from shoprec.core.contracts.formats import FormatSpec

SOLD_ORDER_ITEMS = FormatSpec(
    name="etsy_sold_order_items",
    title="Etsy sold order items",
    description="EtsySoldOrderItems CSV: Sale Date (MM/DD/YY), Item Name, Buyer, Quantity, Price, Listing ID...",
    columns={
        "time": ("Sale Date",),
        "title": ("Item Name",),
        "customer": ("Buyer",),
        "quantity": ("Quantity",),
        "value": ("Item Total",),
        "price": ("Price",),
        "currency": ("Currency",),
        "order": ("Order ID",),
        "item": ("Listing ID",),
        "sku": ("SKU",),
    },
    required=("time", "customer", "quantity"),
    signature=("Sale Date", "Item Name", "Buyer", "Listing ID", "Transaction ID", "Ship Name",
               "Order Shipping", "Coupon Details", "InPerson Discount", "Listings Type"),
    date_formats=("%m/%d/%y", "%m/%d/%Y"),
)


@hookimpl
def shoprec_import_formats() -> list[FormatSpec]:
    return [SOLD_ORDER_ITEMS]
