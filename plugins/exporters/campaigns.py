"""Campaign audiences for e-mail tools: the *send* group only, one row per customer.

Each file carries merge fields for the products the e-mail shows, best first (title, product
page, image where the catalog has one, price): a template writes "{{ item_1_title }}" (Klaviyo),
``*|ITEM1TITLE|*`` (Mailchimp) or reads the customer metafield (Shopify). Customers without an
e-mail address cannot be mailed and are left out (the export says how many).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from shoprec.core import hookimpl
from shoprec.core.contracts.exporters import (
    CampaignExport,
    CampaignExporterSpec,
    ItemInfo,
    format_score,
)

from ._common import write_csv

SLOTS = 3  # products per customer


def _split(name: str) -> tuple[str, str]:
    parts = (name or "").split()
    return (parts[0], " ".join(parts[1:])) if parts else ("", "")


def _price(item: ItemInfo) -> str:
    return "" if item.price is None else f"{item.price:.2f}"


def _slot_values(data: CampaignExport, member: Any) -> list[list[str]]:
    """Per slot: title, url, image, price, sku ('' where the member has fewer products)."""
    shown = data.shown(member)[:SLOTS]
    out = [[i.title, data.product_url(i), data.image_url(i), _price(i), i.sku_or_id] for i in shown]
    return out + [[""] * 5 for _ in range(SLOTS - len(out))]


def _tag(data: CampaignExport) -> str:
    return f"shoprec-{data.campaign.name}"


def _writer(
    header: Sequence[str], row: Callable[[CampaignExport, Any], list[Any]], *, bom: bool = False
) -> Callable[[CampaignExport, Path], int]:
    def write(data: CampaignExport, path: Path) -> int:
        def rows() -> Iterable[list[Any]]:
            for member in data.members:
                if member.email:
                    yield row(data, member)

        return write_csv(path, header, rows(), bom=bom)

    return write


# -- plain CSV ---------------------------------------------------------------------------------
CSV_COLUMNS = ["email", "customer_id", "first_name", "last_name", "probability", "reason"] + [
    f"item_{n}_{f}" for n in range(1, SLOTS + 1) for f in ("title", "url", "image", "price", "sku")
]


def _csv_row(data: CampaignExport, m: Any) -> list[Any]:
    first, last = _split(m.name)
    return [m.email, m.customer_id, first, last, format_score(m.probability), m.reason] + [
        v for slot in _slot_values(data, m) for v in slot]


# -- Klaviyo: list import, standard "Email" / "First Name" / "Last Name", the rest custom ---------
KLAVIYO_COLUMNS = ["Email", "First Name", "Last Name", "External ID", "shoprec_campaign"] + [
    f"item_{n}_{f}" for n in range(1, SLOTS + 1) for f in ("title", "url", "image", "price")
]


def _klaviyo_row(data: CampaignExport, m: Any) -> list[Any]:
    first, last = _split(m.name)
    return [m.email, first, last, m.customer_id, data.campaign.name] + [
        v for slot in _slot_values(data, m) for v in slot[:4]]


# -- Mailchimp: audience import; merge tags are at most 10 upper-case characters ---------------
MAILCHIMP_COLUMNS = ["Email Address", "First Name", "Last Name", "Tags"] + [
    f"ITEM{n}{f}" for n in range(1, SLOTS + 1) for f in ("TITLE", "URL", "IMG", "PRICE")
]


def _mailchimp_row(data: CampaignExport, m: Any) -> list[Any]:
    first, last = _split(m.name)
    return [m.email, first, last, _tag(data)] + [
        v for slot in _slot_values(data, m) for v in slot[:4]]


# -- Shopify Email: customer import tagging the send group, products as customer metafields ---
SHOPIFY_COLUMNS = ["First Name", "Last Name", "Email", "Tags"] + [
    f"Metafield: shoprec.item_{n}_{f} [{kind}]" for n in range(1, SLOTS + 1)
    for f, kind in (("title", "single_line_text_field"), ("url", "url"), ("image", "url"))
]


def _shopify_row(data: CampaignExport, m: Any) -> list[Any]:
    first, last = _split(m.name)
    return [first, last, m.email, _tag(data)] + [
        v for slot in _slot_values(data, m) for v in slot[:3]]


@hookimpl
def shoprec_campaign_exporters() -> list[CampaignExporterSpec]:
    return [
        CampaignExporterSpec(
            name="csv", title="Audience (CSV)", extension="csv",
            write=_writer(CSV_COLUMNS, _csv_row, bom=True), platform="Excel, any e-mail tool",
            description="The send group: e-mail, name, probability, reason and "
            f"{SLOTS} product slots (item_1_title, item_1_url, item_1_image, ...)."),
        CampaignExporterSpec(
            name="klaviyo", title="Klaviyo list import", extension="csv",
            write=_writer(KLAVIYO_COLUMNS, _klaviyo_row), platform="Klaviyo",
            description="Import into a new Klaviyo list; item_1_title ... become profile "
            "properties a template shows as {{ person|lookup:'item_1_title' }}."),
        CampaignExporterSpec(
            name="mailchimp", title="Mailchimp audience import", extension="csv",
            write=_writer(MAILCHIMP_COLUMNS, _mailchimp_row), platform="Mailchimp",
            description="Import into your audience tagged shoprec-<campaign>; map ITEM1TITLE ... "
            "to merge fields and write *|ITEM1TITLE|* in the e-mail."),
        CampaignExporterSpec(
            name="shopify-email", title="Shopify Email (customer import)", extension="csv",
            write=_writer(SHOPIFY_COLUMNS, _shopify_row), platform="Shopify Email",
            description="Import as customers (overwrite on) to tag the send group "
            "shoprec-<campaign>; send to the segment customer_tags CONTAINS that tag."),
    ]
