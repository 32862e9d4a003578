"""An e-mail tool feed (Klaviyo, Mailchimp, Brevo): one row per customer with item slots.

Import it as a contact list update keyed by e-mail; each ``item_N_*`` column becomes a custom
property / merge field that a campaign template shows ("Picked for you: {{ item_1_title }}").
Customers without a known e-mail address cannot be mailed and are left out.
"""

from __future__ import annotations

from pathlib import Path

from shoprec.core import hookimpl
from shoprec.core.contracts.exporters import ExportData, ExporterSpec, format_score

from ._common import write_csv

SLOTS = 5
SLOT_FIELDS = ("title", "url", "sku", "price", "score")


def header(slots: int = SLOTS) -> list[str]:
    cols = ["email", "customer_id", "first_name", "recommendation_count"]
    for n in range(1, slots + 1):
        cols += [f"item_{n}_{f}" for f in SLOT_FIELDS]
    return cols


def write_email_feed(data: ExportData, path: Path) -> int:
    slots = min(SLOTS, data.top) if data.top else SLOTS

    def rows():
        for cl in data.lists:
            if not cl.email or not cl.items:
                continue
            first = cl.name.split()[0] if cl.name else ""
            row = [cl.email, cl.customer_id, first, min(len(cl.items), slots)]
            for n in range(slots):
                if n < len(cl.items):
                    rec = cl.items[n]
                    price = "" if rec.item.price is None else f"{rec.item.price:.2f}"
                    row += [rec.item.title, data.product_url(rec.item), rec.item.sku_or_id,
                            price, format_score(rec.score)]
                else:
                    row += [""] * len(SLOT_FIELDS)
            yield row

    return write_csv(path, header(slots), rows())


@hookimpl
def shoprec_exporters() -> list[ExporterSpec]:
    return [
        ExporterSpec(
            name="email-feed", title="E-mail tool feed (Klaviyo / Mailchimp)", extension="csv",
            write=write_email_feed, platform="Klaviyo, Mailchimp, Brevo",
            description=f"One row per customer with an e-mail address and {SLOTS} item slots "
            "(item_1_title, item_1_url, item_1_sku, item_1_price, item_1_score, ...).",
        )
    ]
