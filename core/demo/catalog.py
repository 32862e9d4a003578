"""The demo shop's catalogue and customers: its vocabulary (resources/demo/catalog.json), the
products with their variants, and customers with lasting tastes; each written as its Shopify export."""


from __future__ import annotations

import csv
import datetime as dt
import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

SHOP_NAME = "Lindenhof Living"
SHOP_DOMAIN = "lindenhof-living.example"
CURRENCY = "EUR"
DEFAULT_SEED = 2025
# A fixed window keeps the output independent of today's date (and therefore reproducible).
PERIOD_START = dt.datetime(2025, 5, 1, tzinfo=dt.timezone.utc)
PERIOD_END = dt.datetime(2025, 11, 1, tzinfo=dt.timezone.utc)

PRODUCTS_FILE = "products_export.csv"
CUSTOMERS_FILE = "customers_export.csv"
ORDERS_FILE = "orders_export_1.csv"
EVENTS_FILE = "events_export.csv"
#: Import order that lets every later file find its customers and items.
FILES: tuple[str, ...] = (PRODUCTS_FILE, CUSTOMERS_FILE, ORDERS_FILE, EVENTS_FILE)


# ---------------------------------------------------------------------------------------------
# The catalog vocabulary (resources/demo/catalog.json): departments, their product kinds,
# modifiers, vendors and price ranges; names and places for the customers.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Department:
    """One sub-category of the shop and how its products are made up."""

    code: str  # SKU prefix
    path: str  # category path, "Parent > Child" as the shop's Product Category
    kind: str  # Shopify "Type"
    nouns: tuple[str, ...]
    modifiers: tuple[str, ...]
    vendors: tuple[str, ...]
    price: tuple[float, float]  # typical low / high price in EUR
    grams: int
    option: tuple[str, tuple[str, ...]] | None = None  # variant option name and values
    consumable: bool = False  # bought again and again
    complements: tuple[str, ...] = ()  # codes of departments bought alongside
    notes: tuple[str, ...] = ()  # words for descriptions


def _vocabulary() -> dict[str, Any]:
    """The demo shop's words and numbers (resources/demo/catalog.json), read once."""
    return json.loads((resources.files("shoprec.resources") / "demo" / "catalog.json")
                      .read_text(encoding="utf-8"))


def _department(entry: dict[str, Any]) -> Department:
    option = entry.get("option")
    return Department(
        **{**entry,
           **{key: tuple(entry[key]) for key in ("nouns", "modifiers", "vendors", "price",
                                                   "complements", "notes") if key in entry},
           "option": (option[0], tuple(option[1])) if option else None})


_VOCABULARY = _vocabulary()
DEPARTMENTS: tuple[Department, ...] = tuple(map(_department, _VOCABULARY["departments"]))
FIRST_NAMES: tuple[str, ...] = tuple(_VOCABULARY["first_names"])
LAST_NAMES: tuple[str, ...] = tuple(_VOCABULARY["last_names"])
CITIES: tuple[tuple[str, str, str, str], ...] = tuple(map(tuple, _VOCABULARY["cities"]))  # city, zip prefix, province code, name
STREETS: tuple[str, ...] = tuple(_VOCABULARY["streets"])
MAIL_DOMAINS: tuple[str, ...] = tuple(_VOCABULARY["mail_domains"])
NOTES: tuple[str, ...] = tuple(_VOCABULARY["notes"])

PRODUCT_COLUMNS: tuple[str, ...] = (
    "Handle", "Title", "Body (HTML)", "Vendor", "Product Category", "Type", "Tags", "Published",
    "Option1 Name", "Option1 Value", "Option2 Name", "Option2 Value", "Option3 Name",
    "Option3 Value", "Variant SKU", "Variant Grams", "Variant Inventory Tracker",
    "Variant Inventory Qty", "Variant Inventory Policy", "Variant Fulfillment Service",
    "Variant Price", "Variant Compare At Price", "Variant Requires Shipping", "Variant Taxable",
    "Variant Barcode", "Image Src", "Image Position", "Image Alt Text", "Gift Card", "SEO Title",
    "SEO Description", "Google Shopping / Google Product Category", "Variant Image",
    "Variant Weight Unit", "Variant Tax Code", "Cost per item", "Status",
)
CUSTOMER_COLUMNS: tuple[str, ...] = (
    "First Name", "Last Name", "Email", "Accepts Email Marketing", "Company", "Address1",
    "Address2", "City", "Province", "Province Code", "Country", "Country Code", "Zip", "Phone",
    "Accepts SMS Marketing", "Total Spent", "Total Orders", "Tags", "Note", "Tax Exempt",
)


# ---------------------------------------------------------------------------------------------
# Time: the shop is in Berlin, so Shopify writes local times with +0100 / +0200 offsets.
# ---------------------------------------------------------------------------------------------


def _last_sunday(year: int, month: int) -> dt.date:
    day = dt.date(year, month + 1, 1) - dt.timedelta(days=1) if month < 12 else dt.date(year, 12, 31)
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def berlin_offset_hours(moment: dt.datetime) -> int:
    """+2 in EU summer time (last Sunday of March to last Sunday of October, 01:00 UTC), else +1.

    Written out instead of zoneinfo so the demo needs no tz database (Windows has none).
    """
    utc = moment.astimezone(dt.timezone.utc)
    start = dt.datetime.combine(_last_sunday(utc.year, 3), dt.time(1), dt.timezone.utc)
    end = dt.datetime.combine(_last_sunday(utc.year, 10), dt.time(1), dt.timezone.utc)
    return 2 if start <= utc < end else 1


def shopify_time(ts: float) -> str:
    """Unix seconds as Shopify writes them: ``2025-10-07 09:50:26 +0200`` (shop's local time)."""
    utc = dt.datetime.fromtimestamp(int(ts), dt.timezone.utc)
    hours = berlin_offset_hours(utc)
    local = utc.astimezone(dt.timezone(dt.timedelta(hours=hours)))
    return local.strftime("%Y-%m-%d %H:%M:%S ") + f"+{hours:02d}00"


def iso_time(ts: float) -> str:
    """Unix seconds as an ISO 8601 local time with offset (tracking tools write these)."""
    utc = dt.datetime.fromtimestamp(int(ts), dt.timezone.utc)
    hours = berlin_offset_hours(utc)
    return utc.astimezone(dt.timezone(dt.timedelta(hours=hours))).isoformat()


# ---------------------------------------------------------------------------------------------
# The catalog
# ---------------------------------------------------------------------------------------------


@dataclass
class _Product:
    handle: str
    title: str
    dept: int
    vendor: str
    description: str
    tags: str
    published: bool
    status: str
    appeal: float
    skus: list[str]
    option_values: list[str]
    prices: list[float]
    compare_at: list[float | None]
    stock: list[int]
    barcodes: list[str]


def _slug(text: str) -> str:
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "'": "", "&": "and",
                           "ı": "i", "ø": "o"})
    text = text.lower().translate(table)
    # e-mail addresses and handles are ASCII: "Inès" -> "ines", "Özlem" -> "oezlem"
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    out = "".join(ch if ch.isalnum() else "-" for ch in text)
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")


def _ean13(rng: np.random.Generator) -> str:
    digits = [4] + [int(d) for d in rng.integers(0, 10, 11)]  # 4 = German GS1 prefix range
    check_digit = (10 - sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10) % 10
    return "".join(map(str, digits)) + str(check_digit)


def _make_catalog(rng: np.random.Generator, n_products: int) -> list[_Product]:
    per_dept = np.full(len(DEPARTMENTS), n_products // len(DEPARTMENTS))
    per_dept[: n_products % len(DEPARTMENTS)] += 1
    products: list[_Product] = []
    handles: set[str] = set()
    for d, (dept, count) in enumerate(zip(DEPARTMENTS, per_dept, strict=True)):
        # "Merino Merino Socks" reads like a bug: skip modifiers the noun already says
        combos = [(n, m) for n in dept.nouns for m in dept.modifiers
                  if m.split()[0].lower() not in n.lower()]
        picks = rng.permutation(len(combos))[: int(count)]
        for k, pick in enumerate(sorted(picks)):
            noun, modifier = combos[pick]
            vendor = dept.vendors[int(rng.integers(len(dept.vendors)))]
            title = f"{modifier} {noun}"
            handle = _slug(title)
            if handle in handles:
                handle = f"{handle}-{k}"
            handles.add(handle)
            lo, hi = dept.price
            base = float(np.exp(rng.uniform(np.log(lo), np.log(hi))))
            notes = rng.choice(len(dept.notes), size=min(3, len(dept.notes)), replace=False)
            words = [dept.notes[int(i)] for i in notes]
            description = (
                f"<p>{title} by {vendor}: {words[0]} and {words[1]}.</p>"
                f"<p>Part of our {dept.path.split(' > ')[-1].lower()} range - "
                f"{words[-1]}, chosen for everyday use.</p>"
            )
            options = list(dept.option[1]) if dept.option else [""]
            if dept.option and rng.random() < 0.25:
                options = options[:1]  # some products come in one size only
            number = len(products) + 1
            skus, prices, compare, stock, barcodes = [], [], [], [], []
            for v, value in enumerate(options):
                suffix = f"-{_slug(value).upper()}" if value else ""
                # leading zeros on purpose: ids must survive as text
                skus.append(f"{dept.code}-{number:04d}{suffix}")
                price = round(base * (1.0 + 0.8 * v), 1) - 0.01
                prices.append(round(max(price, 1.99), 2))
                compare.append(round(price * 1.25, 2) if rng.random() < 0.12 else None)
                stock.append(0 if rng.random() < 0.05 else int(rng.integers(3, 140)))
                barcodes.append(_ean13(rng))
            status = "active"
            if rng.random() < 0.03:
                status = "draft"
            elif rng.random() < 0.01:
                status = "archived"
            tags = ", ".join([dept.kind.lower(), vendor.split()[0].lower()] + words[:1])
            products.append(
                _Product(
                    handle=handle,
                    title=title,
                    dept=d,
                    vendor=vendor,
                    description=description,
                    tags=tags,
                    published=status == "active",
                    status=status,
                    appeal=float(rng.lognormal(0.0, 0.8)),
                    skus=skus,
                    option_values=[v for v in options],
                    prices=prices,
                    compare_at=compare,
                    stock=stock,
                    barcodes=barcodes,
                )
            )
    return products


def _write_products(path: Path, products: Sequence[_Product]) -> int:
    rows = 0
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(PRODUCT_COLUMNS)
        for p in products:
            dept = DEPARTMENTS[p.dept]
            for v, sku in enumerate(p.skus):
                row = dict.fromkeys(PRODUCT_COLUMNS, "")
                row["Handle"] = p.handle
                if v == 0:
                    row.update({
                        "Title": p.title, "Body (HTML)": p.description, "Vendor": p.vendor,
                        "Product Category": dept.path, "Type": dept.kind, "Tags": p.tags,
                        "Published": "TRUE" if p.published else "FALSE",
                        "Option1 Name": dept.option[0] if dept.option else "Title",
                        "Image Src": f"https://cdn.{SHOP_DOMAIN}/files/{p.handle}-1.jpg",
                        "Image Position": "1", "Image Alt Text": p.title, "Gift Card": "FALSE",
                        "SEO Title": f"{p.title} | {SHOP_NAME}", "Status": p.status,
                    })
                row["Option1 Value"] = p.option_values[v] or "Default Title"
                row.update({
                    "Variant SKU": sku, "Variant Grams": str(dept.grams * (1 + v)),
                    "Variant Inventory Tracker": "shopify", "Variant Inventory Qty": str(p.stock[v]),
                    "Variant Inventory Policy": "deny", "Variant Fulfillment Service": "manual",
                    "Variant Price": f"{p.prices[v]:.2f}",
                    "Variant Compare At Price": "" if p.compare_at[v] is None else f"{p.compare_at[v]:.2f}",
                    "Variant Requires Shipping": "TRUE", "Variant Taxable": "TRUE",
                    "Variant Barcode": p.barcodes[v], "Variant Weight Unit": "kg",
                    "Cost per item": f"{p.prices[v] * 0.45:.2f}",
                })
                out.writerow(row.values())
                rows += 1
            # a second picture: Shopify writes it as a row with only the handle and image columns
            row = dict.fromkeys(PRODUCT_COLUMNS, "")
            row.update({"Handle": p.handle, "Image Src": f"https://cdn.{SHOP_DOMAIN}/files/{p.handle}-2.jpg",
                        "Image Position": "2"})
            out.writerow(row.values())
            rows += 1
    return rows


# ---------------------------------------------------------------------------------------------
# Customers and their lasting tastes
# ---------------------------------------------------------------------------------------------


@dataclass
class _Customer:
    first: str
    last: str
    email: str
    city: int
    street: str
    zip: str
    phone: str
    accepts_marketing: bool
    dept_pref: np.ndarray  # probability of shopping in each department
    vendor_aff: dict[str, float]
    price_target: float  # multiplier of the department's typical price they are comfortable with
    joined: float  # unix seconds
    rate: float  # shopping sessions per 30 days
    staples: list[int] = field(default_factory=list)  # consumable products they keep re-ordering
    spent: float = 0.0
    orders: int = 0


def _make_customers(rng: np.random.Generator, n: int) -> list[_Customer]:
    start, end = PERIOD_START.timestamp(), PERIOD_END.timestamp()
    n_dept = len(DEPARTMENTS)
    # Departments are grouped (coffee & tea, kitchen, ...): tastes cluster at the group level.
    groups = sorted({d.path.split(" > ")[0] for d in DEPARTMENTS})
    group_of = np.array([groups.index(d.path.split(" > ")[0]) for d in DEPARTMENTS])
    all_vendors = sorted({v for d in DEPARTMENTS for v in d.vendors})
    emails: set[str] = set()
    customers = []
    for _ in range(n):
        first = FIRST_NAMES[int(rng.integers(len(FIRST_NAMES)))]
        last = LAST_NAMES[int(rng.integers(len(LAST_NAMES)))]
        base = _slug(f"{first}.{last}").replace("-", ".")
        email = f"{base}@{MAIL_DOMAINS[int(rng.integers(len(MAIL_DOMAINS)))]}"
        k = 2
        while email in emails:
            email = f"{base}{k}@{email.split('@')[1]}"
            k += 1
        emails.add(email)
        group_pref = rng.dirichlet(np.full(len(groups), 0.35))
        dept_pref = group_pref[group_of] * rng.dirichlet(np.full(n_dept, 1.0)) * n_dept
        dept_pref = dept_pref / dept_pref.sum()
        vendor_aff = {v: float(rng.normal(0.0, 0.9)) for v in all_vendors}
        city = int(rng.integers(len(CITIES)))
        joined = start - 120 * 86400 + rng.random() * (end - start + 60 * 86400)
        customers.append(
            _Customer(
                first=first,
                last=last,
                email=email,
                city=city,
                street=f"{STREETS[int(rng.integers(len(STREETS)))]} {int(rng.integers(1, 120))}",
                zip=CITIES[city][1] + f"{int(rng.integers(0, 1000)):03d}",
                phone=f"+49 1{int(rng.integers(50, 79))} {int(rng.integers(1000000, 9999999))}",
                accepts_marketing=bool(rng.random() < 0.55),
                dept_pref=dept_pref,
                vendor_aff=vendor_aff,
                price_target=float(rng.lognormal(0.0, 0.45)),
                joined=min(max(joined, start - 120 * 86400), end - 86400),
                rate=float(np.clip(rng.lognormal(0.3, 0.8), 0.15, 12.0)),
            )
        )
    return customers


def _write_customers(path: Path, customers: list[_Customer], rng: np.random.Generator) -> int:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(CUSTOMER_COLUMNS)
        for c in customers:
            city = CITIES[c.city]
            tags = "VIP" if c.spent > 400 else ("newsletter" if c.accepts_marketing else "")
            out.writerow([
                c.first, c.last, c.email, "yes" if c.accepts_marketing else "no", "", c.street, "",
                city[0], city[3], city[2], "Germany", "DE",
                f"'{c.zip}" if c.zip.startswith("0") else c.zip, c.phone,
                "yes" if rng.random() < 0.1 else "no", _money(c.spent), str(c.orders), tags, "",
                "no",
            ])
    return len(customers)


def _money(x: float) -> str:
    return f"{x:.2f}"
