"""Import format contract: what a format plugin registers (hook ``shoprec_import_formats``).

A :class:`FormatSpec` says which columns a layout has (header names in any language, matched after
:func:`normalize_header`), what kind of table it fills (events, catalog items or customers) and,
optionally, a ``prepare`` step for what plain column mapping cannot express (Shopify's order-level
fields on the first line item only, WooCommerce's ``2× Name`` baskets, Square's split date/time).

Fields a column can map to are listed in :data:`FIELDS`; ``--map "COLUMN=FIELD"`` uses the same names.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import pandas as pd

Kind = Literal["events", "catalog", "customers"]

#: Every field a column can be mapped to, with what it means.
FIELDS: dict[str, str] = {
    "customer": "customer id (or e-mail, user name) as written by the shop",
    "email": "customer e-mail",
    "customer_name": "customer's full name",
    "first_name": "customer's first name",
    "last_name": "customer's last name",
    "item": "product id as written by the shop",
    "sku": "stock keeping unit (preferred item id when present)",
    "title": "product name",
    "description": "product description",
    "category": "category path 'Parent > Child'",
    "price": "unit price",
    "value": "line total (money)",
    "currency": "currency code",
    "stock": "stock quantity",
    "published": "published / visible flag",
    "vendor": "vendor or brand",
    "variant_of": "id of the parent product of a variant",
    "url": "product page or image URL",
    "option": "variant option value (e.g. size)",
    "requires_shipping": "whether the product is shipped (false: a service, fee, download or gift card)",
    "gift_card": "whether the product is a gift card or voucher",
    "quantity": "quantity (negative means a return)",
    "type": "event type: view, cart, fav, purchase, rating, refund (many spellings)",
    "time": "date or date-time of the event",
    "clock": "time of day, when date and time are separate columns",
    "order": "order or invoice number",
    "rating": "rating value",
    "status": "order or payment status (refunded / cancelled orders become refunds)",
    "cancelled": "cancellation date (non-empty means the order was cancelled)",
    "products": "packed basket like '2× Name, 1× Name'",
    "ignore": "column deliberately not imported",
}


def normalize_header(name: str) -> str:
    """Header text reduced to what identifies it: case, spaces and punctuation ignored.

    ``"Lineitem SKU"``, ``"lineitem_sku"`` and ``"\\ufeffLineitem-sku"`` all give ``lineitemsku``;
    Chinese headers keep their characters (``"用户 ID"`` gives ``用户id``).
    """
    text = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in text if ch.isalnum())


@dataclass(frozen=True, kw_only=True)
class FormatSpec:
    """One file layout the importer recognises.

    ``columns`` maps a field of :data:`FIELDS` to the header names that carry it, most specific
    first. ``required`` fields must all be found for the layout to apply. Each ``signature``
    header found (headers typical of exactly this layout) counts extra when detecting the format,
    and a layout with a signature needs ``min_signature`` of them to be detected at all (forcing
    it with ``format=`` skips that).
    A layout with ``headerless`` (one field per column position, ``""`` to skip a column) also
    reads files without a header row; ``headerless_check`` then decides from a few sample rows.
    ``prepare(frame, state)`` receives the chunk's mapped columns as strings (plus ``_k``, the
    record index) and returns the frame to import; ``state`` persists across chunks of a file.
    """

    name: str
    title: str
    description: str = ""
    kind: Kind = "events"
    columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    signature: tuple[str, ...] = ()
    min_signature: int = 1  # signature headers a file must have to be detected as this layout
    headerless: tuple[str, ...] = ()
    headerless_check: Callable[[list[list[str]]], bool] | None = None
    delimiters: tuple[str, ...] = ()  # for headerless files: the delimiters this layout uses
    file_names: tuple[str, ...] = ()  # lower-case file names typical of this layout
    default_type: str = "purchase"  # event type when the file has no type column
    type_values: Mapping[str, str] = field(default_factory=dict)  # extra raw type -> canonical
    date_formats: tuple[str, ...] = ()  # strptime formats tried before the generic ones
    day_first: bool = False  # 03/04/2026 is 3 April (Europe) rather than March 4 (US)
    refund_invoice_prefix: str = ""  # order ids starting with this are returns (e.g. "C")
    prepare: Callable[[pd.DataFrame, dict[str, Any]], pd.DataFrame] | None = None
    priority: int = 0  # tie-break between layouts that match equally well (generic ones < 0)

    def __post_init__(self) -> None:
        unknown = [f for f in (*self.columns, *self.required, *self.headerless) if f and f not in FIELDS]
        if unknown:
            raise ValueError(f"format {self.name!r}: unknown field(s) {unknown}")

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.columns)

    def header_index(self) -> dict[str, str]:
        """normalised header -> field, first mention wins."""
        out: dict[str, str] = {}
        for fld, names in self.columns.items():
            for name in names:
                out.setdefault(normalize_header(name), fld)
        return out

    def match(self, header: list[str]) -> tuple[dict[int, str], int]:
        """Map header columns to fields; returns ``(column index -> field, signature hits)``.

        Each field takes the column whose header appears earliest in its synonym list, so the
        most specific name wins ("Lineitem sku" over "Sku").
        """
        norm = [normalize_header(h) for h in header]
        taken: dict[int, str] = {}
        for fld, names in self.columns.items():
            for name in names:
                key = normalize_header(name)
                hits = [i for i, h in enumerate(norm) if h == key and i not in taken]
                if hits:
                    taken[hits[0]] = fld
                    break
        sig = {normalize_header(s) for s in self.signature}
        return taken, sum(1 for h in set(norm) if h in sig)


#: Canonical event types and the spellings found in exports (English, Chinese, platform codes).
TYPE_SYNONYMS: dict[str, str] = {
    **{k: "view" for k in ("view", "views", "pv", "pageview", "page_view", "click", "clicks",
                             "detail", "visit", "impression", "浏览", "点击", "查看", "访问")},
    **{k: "cart" for k in ("cart", "addtocart", "add_to_cart", "add to cart", "basket",
                             "加购", "加入购物车", "购物车")},
    **{k: "fav" for k in ("fav", "favorite", "favourite", "wishlist", "like", "save", "收藏",
                            "关注", "喜欢")},
    **{k: "purchase" for k in ("purchase", "buy", "order", "sale", "sales", "payment",
                                 "transaction", "bought", "checkout", "paid", "completed",
                                 "购买", "下单", "成交", "支付", "付款", "订单")},
    **{k: "rating" for k in ("rating", "rate", "review", "评分", "评价", "打分")},
    **{k: "refund" for k in ("refund", "refunded", "return", "returned", "cancel", "cancelled",
                               "canceled", "cancellation", "退款", "退货", "取消")},
}
