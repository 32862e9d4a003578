"""Square item sales ("Item Details" export): one row per item sold; refunds are negative."""

from __future__ import annotations

from shoprec.core import hookimpl
from shoprec.core.contracts.formats import FormatSpec

ITEM_SALES = FormatSpec(
    name="square_item_sales",
    title="Square item sales",
    description="Item Details export: Date, Time, Item, Qty, SKU, Gross Sales, Customer ID...",
    columns={
        "time": ("Date",),
        "clock": ("Time",),
        "category": ("Category",),
        "title": ("Item",),
        "quantity": ("Qty",),
        "sku": ("SKU",),
        "value": ("Gross Sales", "Net Sales"),
        "order": ("Transaction ID",),
        "type": ("Event Type",),
        "customer": ("Customer ID", "Customer Reference ID", "Customer Name"),
    },
    required=("time", "title", "quantity", "customer"),
    signature=("Price Point Name", "Modifiers Applied", "Gross Sales", "Transaction ID",
               "Payment ID", "Device Name", "Dining Option", "Itemization Type", "Time Zone"),
    type_values={"payment": "purchase", "refund": "refund", "sale": "purchase"},
    date_formats=("%Y-%m-%d %H:%M:%S", "%m/%d/%Y %H:%M:%S", "%m/%d/%y %H:%M:%S"),
)


@hookimpl
def shoprec_import_formats() -> list[FormatSpec]:
    return [ITEM_SALES]
