"""Which catalogue lines are not things a customer can buy: postage, fees, discounts, vouchers.

Order exports mix real products with lines that only move money: postage and shipping,
payment and marketplace fees, discounts, manual adjustments, gift cards and vouchers, samples.
Recommending them ("you buy POSTAGE again from time to time") would go straight into customer
e-mails, so they are kept out of lists, audiences and reasons by default. They stay in the
data: customers' histories and the models still see them.

:func:`detect` finds them from what the shop's own data says, each with a plain reason:

- **the name**: every word of the title (or of the id, when there is no title) is a word of
  postage, fees, discounts, vouchers or samples, in English, French, German, Spanish or
  Chinese, allowing numbers, amounts and filler ("Next Day Delivery", "DOTCOM POSTAGE",
  "Gift Voucher - R 500.00", "运费", "补运费差价"); or a voucher/gift card name with an amount
  ("Shopname Gift Voucher £40.00"). A product that merely mentions such a word keeps its place
  ("Gift card holder", "Postage stamp necklace", "茉莉花茶 样品装");
- **the price**: a catalogue price of zero or less, or every charged order line at price 0;
- **the platform**: a Shopify products export's ``Gift Card`` column (``attrs.gift_card``);
- **baskets**: a line on a large share of orders that is never bought on its own, as a
  postage line is.

The owner has the last word (:func:`set_owner_choice`, ``shoprec exclude``): an item can be
kept out, or let back in, and that choice is remembered in the workspace (``item_choices``).
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from ..store import queries
from ..store.workspace import Workspace
from .dataset import TYPE_CODE, Dataset

OWNER_EXCLUDED = 0  # items_choices.recommend: the owner keeps the item out of every list
OWNER_ALLOWED = 1  # the owner lets a detected item back in

# Words that, alone or together, name a line that is not merchandise. Several languages, since
# the admin's language decides what an export says.
_FEE_WORDS = {
    # English
    "postage", "shipping", "shipment", "delivery", "carriage", "freight", "courier", "handling",
    "fee", "fees", "charge", "charges", "surcharge", "commission", "tip", "gratuity", "deposit",
    "manual", "adjustment", "adjust", "bad", "debt", "discount", "discounts", "coupon",
    "voucher", "vouchers", "gift", "card", "certificate", "credit", "store", "sample", "samples",
    "tester", "packaging", "wrap", "wrapping", "rounding", "insurance", "customs", "duty",
    "duties", "tax", "vat", "refund", "return", "returns", "cost", "costs", "service", "bank",
    "transaction", "payment", "processing", "cod", "egift", "e-gift", "giftcard", "protection",
    "code", "promo", "promotion", "postal",
    # French, German, Spanish, Italian, Dutch
    "frais", "port", "livraison", "envoi", "remise", "bon", "achat", "carte", "cadeau",
    "échantillon", "echantillon", "versand", "versandkosten", "porto", "gutschein", "rabatt",
    "geschenkkarte", "muster", "verpackung", "envío", "envio", "gastos", "descuento", "tarjeta",
    "regalo", "muestra", "spedizione", "spese", "sconto", "buono", "verzending", "verzendkosten",
    "korting", "cadeaubon",
}
#: Words that can stand next to fee words without making the line a product.
_FILLER = {
    "the", "and", "a", "an", "of", "for", "to", "in", "on", "per", "order", "item", "items",
    "standard", "express", "priority", "next", "day", "days", "working", "business", "same",
    "free", "flat", "rate", "international", "domestic", "national", "worldwide", "uk", "us",
    "usa", "eu", "europe", "dotcom", "online", "amazon", "ebay", "etsy", "paypal", "stripe",
    "shopify", "cruk", "de", "des", "du", "la", "le", "les", "et", "und", "der", "die", "das",
    "y", "el", "los", "di", "van", "kosten", "r", "rs", "usd", "eur", "gbp", "cny", "rmb",
    "only", "extra", "additional", "small", "large", "fixed", "value", "amount", "off", "by",
    "route", "package", "parcel", "tracked", "signed", "with", "weeks", "week", "hours",
}
#: Chinese names of fees and non-products; a title that is only these (plus filler) is one.
_ZH_FEE = ("运费险", "补运费", "运费", "邮费", "快递费", "配送费", "包装费", "手续费", "服务费",
           "优惠券", "代金券", "礼品卡", "礼券", "购物卡", "储值卡", "折扣", "优惠", "样品",
           "补差价", "差价", "补差", "定金", "押金", "小费", "税费", "关税", "退款", "保价费")
_ZH_FILLER = ("顺丰", "国内", "国际", "加急", "包邮", "专拍", "链接", "补", "元", "块", "的", "费用",
              "额外", "订单")
#: A voucher or gift card named with an amount: "Gift Voucher £40.00", "礼品卡 100元".
_VOUCHER = re.compile(r"gift\s*(voucher|card|certificate)|e-?gift|礼品卡|代金券|购物卡|储值卡|gutschein|"
                      r"carte cadeau|bon d'achat|tarjeta regalo", re.IGNORECASE)
_AMOUNT = re.compile(r"[£$€¥₹]\s*\d|\d[\d.,]*\s*(元|块|eur|usd|gbp|€|£|\$)|\b(r|rs)\s*\d", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*", re.UNICODE)
_NUMBERISH = re.compile(r"^[\d.,-]+[a-z]{0,3}$|^[a-z]{0,3}[\d.,-]+$")
_CJK = re.compile(r"[\u3400-\u9fff]")

# Basket rule: a line on at least this share of orders (and this many), almost never alone.
BASKET_MIN_SHARE = 0.10
BASKET_MIN_ORDERS = 50
BASKET_MAX_ALONE = 0.01
#: Order lines at price 0 needed before "never charged for" counts.
FREE_MIN_LINES = 3


#: Why an item is kept out, by kind; ``{detail}`` is a word, a share or a count. Front ends
#: say the kind in their language (the desktop's table has the same keys).
REASONS: dict[str, str] = {
    "fee_name": "the name says it is postage, a fee, a discount or a voucher ({detail})",
    "fee_name_zh": "the name says it is a fee or voucher, not a product ({detail})",
    "voucher_name": "the name says it is a gift card or voucher",
    "gift_card": "a gift card in the products export",
    "catalogue_price_0": "its price in the catalogue is 0",
    "all_lines_free": "all {detail} order lines were at price 0",
    "basket": "added to {detail} % of orders but never bought on its own, as postage or a fee is",
    "owner": "kept out of lists by you",
}


def say(kind: str, detail: object = "") -> str:
    """The English reason for ``kind``."""
    return REASONS[kind].format(detail=detail)


@dataclass(frozen=True, kw_only=True)
class NonProduct:
    """A catalogue line kept out of lists, with why and who decided."""

    item: int  # dataset index
    item_id: str  # the shop's own id
    title: str
    reason: str
    source: str  # "detected" or "owner"
    kind: str = ""  # a key of REASONS
    detail: str = ""  # what fills its {detail}


def name_reason(title: str) -> str:
    """Why a title names something other than a product ("" when it names a product)."""
    kind, detail = name_kind(title)
    return say(kind, detail) if kind else ""


def name_kind(title: str) -> tuple[str, str]:
    """(reason kind, detail) when a title names something other than a product, else ("", "")."""
    text = unicodedata.normalize("NFKC", str(title or "")).strip()
    if not text:
        return "", ""
    if _CJK.search(text):
        rest = text
        found = [w for w in _ZH_FEE if w in rest]
        if found:
            for w in sorted(found, key=len, reverse=True):
                rest = rest.replace(w, " ")
            for w in _ZH_FILLER:
                rest = rest.replace(w, " ")
            rest = re.sub(r"[\W\d_a-zA-Z]+", "", rest)
            if not rest:
                return "fee_name_zh", found[0]
    words = [w.casefold() for w in _WORD.findall(text)]
    if words:
        fee = [w for w in words if w in _FEE_WORDS]
        other = [w for w in words if w not in _FEE_WORDS and w not in _FILLER
                 and not _NUMBERISH.match(w)]
        if fee and not other:
            return "fee_name", " ".join(fee[:3])
    if _VOUCHER.search(text) and _AMOUNT.search(text):
        return "voucher_name", ""
    return "", ""


def _basket_reasons(ds: Dataset, known: np.ndarray) -> dict[int, tuple[str, str]]:
    """Lines on a large share of orders that are (almost) never bought on their own; lines
    already ``known`` as non-products do not count as company (an order of a cup and postage
    is the cup bought on its own)."""
    keep = (ds.orders >= 0) & np.isin(ds.types, [TYPE_CODE["purchase"], TYPE_CODE["refund"]])
    keep &= ~known[ds.items]
    if not keep.any():
        return {}
    pairs = np.unique(np.stack([ds.orders[keep], ds.items[keep].astype(np.int64)]), axis=1)
    orders, items = pairs
    n_orders = len(np.unique(orders))
    if n_orders < BASKET_MIN_ORDERS:
        return {}
    lines_per_order = np.bincount(orders)
    alone = lines_per_order[orders] == 1
    per_item = np.bincount(items, minlength=ds.n_items)
    alone_per_item = np.bincount(items[alone], minlength=ds.n_items)
    share = per_item / n_orders
    hit = ((per_item >= BASKET_MIN_ORDERS) & (share >= BASKET_MIN_SHARE)
           & (alone_per_item <= BASKET_MAX_ALONE * per_item))
    return {int(i): ("basket", f"{100 * share[i]:.0f}") for i in np.flatnonzero(hit)}


def _free_reasons(ds: Dataset) -> dict[int, tuple[str, str]]:
    """Items whose catalogue price is 0 or less, or whose every charged line was at price 0."""
    out: dict[int, tuple[str, str]] = {}
    price = ds.catalog.price
    for i in np.flatnonzero(~np.isnan(price) & (price <= 0)):
        out[int(i)] = ("catalogue_price_0", "")
    buy = (ds.types == TYPE_CODE["purchase"]) & ~np.isnan(ds.values)
    if buy.any():
        items = ds.items[buy]
        lines = np.bincount(items, minlength=ds.n_items)
        charged = np.bincount(items[ds.values[buy] > 0], minlength=ds.n_items)
        for i in np.flatnonzero((lines >= FREE_MIN_LINES) & (charged == 0)):
            out.setdefault(int(i), ("all_lines_free", str(int(lines[i]))))
    return out


def detect_kinds(ds: Dataset) -> np.ndarray:
    """Per item, ``(kind, detail)`` when the data says it is not merchandise, else None.
    Computed once per dataset (kept on it: the data does not change under a built dataset);
    callers get a copy."""
    cached = ds.__dict__.get("_non_product_kinds")
    if cached is None:
        cached = ds.__dict__["_non_product_kinds"] = _detect_kinds(ds)
    return cached.copy()


def _detect_kinds(ds: Dataset) -> np.ndarray:
    kinds = np.full(ds.n_items, None, dtype=object)
    cat = ds.catalog
    for i in range(ds.n_items):
        kind, detail = name_kind(str(cat.title[i] or "") or str(ds.item_ids[i]))
        if kind:
            kinds[i] = (kind, detail)
    for i in np.flatnonzero(cat.gift_card):
        if kinds[i] is None:
            kinds[i] = ("gift_card", "")
    for i, r in _free_reasons(ds).items():
        if kinds[i] is None:
            kinds[i] = r
    known = np.array([k is not None for k in kinds], dtype=bool)
    for i, r in _basket_reasons(ds, known).items():
        kinds[i] = r
    return kinds


def detect(ds: Dataset) -> tuple[np.ndarray, np.ndarray]:
    """(mask of items that are not merchandise, reason per item) from the data alone."""
    kinds = detect_kinds(ds)
    reasons = np.array([say(*k) if k is not None else "" for k in kinds], dtype=object)
    return reasons != "", reasons


def _decided(ds: Dataset) -> tuple[np.ndarray, np.ndarray]:
    """(mask, (kind, detail) per item): detection, then the owner's choices on top. Computed
    once per dataset (kept on it: the data does not change under a built dataset)."""
    cached = ds.__dict__.get("_non_products")
    if cached is not None:
        return cached
    kinds = detect_kinds(ds)
    choice = ds.catalog.owner_choice
    for i in np.flatnonzero(choice == OWNER_EXCLUDED):
        kinds[i] = ("owner", "")
    for i in np.flatnonzero(choice == OWNER_ALLOWED):
        kinds[i] = None
    mask = np.array([k is not None for k in kinds], dtype=bool)
    ds.__dict__["_non_products"] = (mask, kinds)
    return mask, kinds


def non_products(ds: Dataset) -> tuple[np.ndarray, np.ndarray]:
    """(mask, reason per item): :func:`detect`, then the owner's choices on top."""
    mask, kinds = _decided(ds)
    return mask, np.array([say(*k) if k is not None else "" for k in kinds], dtype=object)


def list_non_products(ds: Dataset) -> list[NonProduct]:
    """Every item kept out of lists, detected or by the owner's choice, in catalogue order."""
    mask, kinds = _decided(ds)
    owner = ds.catalog.owner_choice == OWNER_EXCLUDED
    return [
        NonProduct(item=int(i), item_id=str(ds.item_ids[i]), title=str(ds.catalog.title[i] or ""),
                   reason=say(*kinds[i]), source="owner" if owner[i] else "detected",
                   kind=kinds[i][0], detail=str(kinds[i][1]))
        for i in np.flatnonzero(mask)
    ]


def overview(ws: Workspace) -> tuple[list[NonProduct], list[tuple[str, str]]]:
    """(items kept out of lists, detected items the owner let back in) of a workspace: what the
    desktop's Data page and ``shoprec exclude --list`` show."""
    ds = Dataset.from_workspace(ws)
    return list_non_products(ds), allowed_back(ds)


def allowed_back(ds: Dataset) -> list[tuple[str, str]]:
    """(item id, title) of detected items the owner let back into lists."""
    detected = np.array([k is not None for k in detect_kinds(ds)], dtype=bool)
    back = (ds.catalog.owner_choice == OWNER_ALLOWED) & detected
    return [(str(ds.item_ids[i]), str(ds.catalog.title[i] or "")) for i in np.flatnonzero(back)]


class UnknownItems(ValueError):
    """Item ids that the workspace does not have."""


def set_owner_choice(ws: Workspace, item_ids: Iterable[str], choice: int | None) -> int:
    """Remember the owner's choice for items (by the shop's own id or SKU):
    :data:`OWNER_EXCLUDED`, :data:`OWNER_ALLOWED`, or None to go back to detection.
    Returns how many items changed; unknown ids raise :class:`UnknownItems` and change nothing."""
    ids = [str(i).strip() for i in item_ids if str(i).strip()]
    keys, missing = queries.item_keys(ws, ids)
    if missing:
        raise UnknownItems(f"no item {', '.join(repr(m) for m in missing[:5])} in the workspace")
    queries.set_item_choices(ws, keys, choice, int(time.time()))
    return len(keys)
