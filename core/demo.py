"""The built-in demo shop: a seeded generator that writes realistic shop exports.

"Lindenhof Living" is an invented German home-and-lifestyle web shop (EUR, Europe/Berlin). The
generator writes the files such a shop really gets out of Shopify and its tracking tool, in their
real layouts, so the demo goes through the importer exactly like a shop owner's own files:

- ``products_export.csv`` - Shopify products export: one row per variant (product-level fields
  only on a product's first row), extra image rows, drafts, out-of-stock variants, EAN barcodes;
- ``customers_export.csv`` - Shopify customers export;
- ``orders_export_1.csv`` - Shopify orders export: one row per line item, order-level fields only
  on each order's first row, dates like ``2025-10-07 09:50:26 +0200``, zips with a leading
  apostrophe, multi-line notes, some cancelled orders (``Cancelled at``);
- ``events_export.csv`` - a generic browsing log (product views and add-to-carts).

Customers have lasting tastes - favourite departments, vendors and a price band - and some keep
re-ordering consumables (coffee, dog food, candles), so a good recommender has something real to
find. Nothing random comes from outside the seed: the same seed writes the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .contracts.progress import CancelToken, ProgressFn, check, report

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
# The catalog vocabulary: departments, their product kinds, modifiers, vendors and price ranges.
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


DEPARTMENTS: tuple[Department, ...] = (
    Department(
        "COF", "Coffee & Tea > Coffee Beans", "Coffee",
        ("Espresso Blend", "Single Origin Beans", "Filter Roast", "Decaf Roast", "Crema Blend"),
        ("Ethiopia Yirgacheffe", "Colombia Huila", "Brazil Cerrado", "Guatemala Antigua",
         "Kenya Nyeri", "Sumatra Mandheling", "Peru Cajamarca", "Costa Rica Tarrazu",
         "Honduras Marcala", "Rwanda Huye"),
        ("Röstwerk Nord", "Bohnenberg", "Kaffeekontor Hamburg"), (8.5, 32.0), 500,
        ("Size", ("250 g", "500 g", "1 kg")), True, ("BRW",),
        ("dark chocolate", "red berries", "caramel", "citrus", "hazelnut", "jasmine", "brown sugar"),
    ),
    Department(
        "TEA", "Coffee & Tea > Tea", "Tea",
        ("Loose Leaf Tea", "Tea Blend", "Herbal Infusion", "Organic Tea"),
        ("Sencha", "Darjeeling First Flush", "Earl Grey", "Chamomile", "Rooibos Vanilla",
         "Assam", "Jasmine Green", "Peppermint", "Chai Spice", "Lemon Verbena"),
        ("Teehaus Lindner", "Blattwerk"), (5.9, 19.0), 150,
        ("Size", ("100 g", "250 g")), True, ("BRW",),
        ("malty", "floral", "fresh", "spicy", "smooth", "honeyed"),
    ),
    Department(
        "BRW", "Coffee & Tea > Brewing Gear", "Brewing Gear",
        ("French Press", "Pour-Over Dripper", "Hand Grinder", "Gooseneck Kettle", "Moka Pot",
         "Milk Frother", "Cold Brew Jar", "Tea Infuser", "Paper Filters", "Coffee Scale"),
        ("Glass", "Stainless Steel", "Ceramic", "Copper", "Matte Black"),
        ("Brühwerk", "Nordic Brew Co."), (9.0, 119.0), 700,
        None, False, ("COF", "TEA"),
        ("precise", "durable", "easy to clean", "heat-resistant", "barista-grade"),
    ),
    Department(
        "CKW", "Kitchen > Cookware", "Cookware",
        ("Cast Iron Skillet", "Dutch Oven", "Saucepan", "Wok", "Stock Pot", "Grill Pan",
         "Frying Pan"),
        ("Enamelled", "Pre-Seasoned", "Tri-Ply", "Carbon Steel", "Non-Stick"),
        ("Eisenhammer", "Küchenmeister", "Ferro Cucina"), (24.0, 189.0), 2400,
        ("Size", ("20 cm", "24 cm", "28 cm")), False, ("UTN", "PAN"),
        ("even heat", "oven-safe", "induction-ready", "lifetime durability"),
    ),
    Department(
        "KNF", "Kitchen > Knives", "Knives",
        ("Chef's Knife", "Santoku Knife", "Paring Knife", "Bread Knife", "Knife Block",
         "Whetstone", "Utility Knife"),
        ("Damascus", "German Steel", "Olive Wood", "Ceramic", "Forged"),
        ("Solinger Klinge", "Kiyomi"), (19.0, 159.0), 300,
        None, False, ("CKW",),
        ("razor-sharp", "balanced", "hand-honed", "full-tang"),
    ),
    Department(
        "UTN", "Kitchen > Utensils & Baking", "Kitchen Utensils",
        ("Wooden Spoon Set", "Silicone Spatula", "Balloon Whisk", "Baking Tray", "Springform Tin",
         "Rolling Pin", "Mixing Bowl Set", "Measuring Cups", "Pastry Brush"),
        ("Beech", "Bamboo", "Silicone", "Enamel", "Stoneware"),
        ("Küchenmeister", "Backstube"), (4.9, 39.0), 400,
        None, False, ("CKW", "PAN"),
        ("dishwasher-safe", "heat-proof", "sturdy", "food-safe"),
    ),
    Department(
        "PAN", "Kitchen > Pantry", "Pantry",
        ("Extra Virgin Olive Oil", "Balsamic Vinegar", "Sea Salt Flakes", "Spice Blend",
         "Wildflower Honey", "Bronze-Cut Pasta", "Pesto"),
        ("Sicilian", "Cretan", "Andalusian", "Smoked", "Herb", "Chili", "Lemon"),
        ("Feinkost Adler", "Mediterra"), (3.9, 24.0), 500,
        None, True, ("CKW",),
        ("small-batch", "cold-pressed", "aromatic", "organic"),
    ),
    Department(
        "CND", "Home > Candles & Scents", "Candles",
        ("Scented Candle", "Reed Diffuser", "Wax Melts", "Incense Sticks", "Room Spray"),
        ("Lavender", "Cedarwood", "Fig Leaf", "Sea Salt", "Vanilla Bean", "Amber", "Eucalyptus",
         "Orange Blossom"),
        ("Lichtwerk", "Duftmanufaktur"), (6.9, 34.0), 350,
        None, True, ("TXT", "DEC"),
        ("soy wax", "cotton wick", "long-lasting", "hand-poured"),
    ),
    Department(
        "TXT", "Home > Textiles", "Home Textiles",
        ("Linen Throw", "Cushion Cover", "Wool Blanket", "Table Runner", "Tea Towel Set",
         "Waffle Blanket"),
        ("Stonewashed", "Herringbone", "Chunky Knit", "Striped", "Organic Cotton"),
        ("Leinenhaus", "Nordwolle"), (12.0, 129.0), 800,
        ("Color", ("Sand", "Sage", "Charcoal", "Terracotta")), False, ("DEC", "CND"),
        ("soft", "breathable", "OEKO-TEX certified", "pre-washed"),
    ),
    Department(
        "DEC", "Home > Decor", "Decor",
        ("Ceramic Vase", "Wall Mirror", "Photo Frame", "Bookends", "Wall Clock", "Serving Tray",
         "Storage Basket"),
        ("Speckled", "Rattan", "Brass", "Oak", "Glazed", "Minimalist"),
        ("Formhaus", "Atelier Weiss"), (14.0, 149.0), 1200,
        None, False, ("TXT", "CND"),
        ("handmade", "Scandinavian", "timeless", "one of a kind"),
    ),
    Department(
        "SED", "Garden > Seeds & Bulbs", "Seeds",
        ("Seed Packet", "Bulb Collection", "Herb Seed Kit", "Wildflower Mix"),
        ("Heirloom Tomato", "Genovese Basil", "Sunflower", "Tulip", "Sweet Pea", "Chili Pepper",
         "Lettuce", "Dahlia"),
        ("Saatgut Sonnenfeld", "Grünling"), (2.9, 19.0), 50,
        None, True, ("GTL", "PLT"),
        ("organic", "open-pollinated", "easy to grow", "bee-friendly"),
    ),
    Department(
        "GTL", "Garden > Tools", "Garden Tools",
        ("Pruning Shears", "Hand Trowel", "Watering Can", "Garden Gloves", "Kneeling Pad",
         "Garden Hose", "Hori Hori Knife"),
        ("Ash Handle", "Stainless", "Ergonomic", "Galvanised", "Waxed Canvas"),
        ("Gartenfreund", "Sneeboer & Söhne"), (7.9, 79.0), 600,
        None, False, ("SED", "PLT"),
        ("rust-proof", "sturdy", "comfortable grip", "made to last"),
    ),
    Department(
        "PLT", "Garden > Planters", "Planters",
        ("Terracotta Pot", "Raised Bed", "Hanging Basket", "Window Box", "Self-Watering Planter"),
        ("Frost-Proof", "Glazed", "Cedar", "Zinc", "Recycled"),
        ("Gartenfreund", "Tonwerk"), (9.9, 149.0), 2500,
        ("Size", ("Small", "Medium", "Large")), False, ("SED", "GTL"),
        ("drainage hole", "weatherproof", "generous", "UV-stable"),
    ),
    Department(
        "DOG", "Pets > Dog Food & Treats", "Dog Food",
        ("Grain-Free Dry Food", "Training Treats", "Dental Chews", "Wet Food Tray",
         "Senior Formula"),
        ("Lamb & Rice", "Salmon", "Turkey", "Duck & Potato", "Beef", "Venison"),
        ("Pfotenglück", "Wolfsblut Natur"), (4.5, 59.0), 2000,
        ("Size", ("1 kg", "4 kg", "12 kg")), True, ("DGA",),
        ("high-protein", "no artificial additives", "vet-approved", "gentle digestion"),
    ),
    Department(
        "DGA", "Pets > Dog Accessories", "Dog Accessories",
        ("Leather Leash", "Padded Collar", "Orthopedic Dog Bed", "Rope Toy", "Food Bowl",
         "Travel Water Bottle"),
        ("Reflective", "Waterproof", "Vegan Leather", "Heavy-Duty", "Ceramic"),
        ("Pfotenglück", "Hundeglück Berlin"), (8.9, 99.0), 900,
        ("Size", ("S", "M", "L")), False, ("DOG",),
        ("chew-resistant", "washable", "adjustable", "comfortable"),
    ),
    Department(
        "CAT", "Pets > Cat Supplies", "Cat Supplies",
        ("Clumping Litter", "Scratching Post", "Feather Wand Toy", "Cat Food Pouches",
         "Cat Bed", "Catnip Pillow"),
        ("Tofu", "Sisal", "Chicken", "Tuna", "Felt", "Organic"),
        ("Samtpfote", "Katzenliebe"), (3.9, 69.0), 1500,
        None, True, ("CAT",),
        ("low-dust", "playful", "natural", "cosy"),
    ),
    Department(
        "SOP", "Bath & Body > Soap & Shower", "Soap",
        ("Olive Oil Soap", "Shower Gel", "Shampoo Bar", "Conditioner Bar", "Bath Salts"),
        ("Lavender", "Rosemary Mint", "Unscented", "Oatmeal", "Citrus", "Charcoal"),
        ("Seifenmanufaktur Elbe", "Badegut"), (3.5, 16.0), 150,
        None, True, ("SKN", "TWL"),
        ("vegan", "palm-oil free", "plastic-free", "gentle"),
    ),
    Department(
        "SKN", "Bath & Body > Skincare", "Skincare",
        ("Face Cream", "Lip Balm", "Hand Cream", "Body Oil", "Facial Serum"),
        ("Rosehip", "Shea", "Calendula", "Aloe", "Hemp", "Sea Buckthorn"),
        ("Hautnah Naturkosmetik", "Badegut"), (4.9, 39.0), 100,
        None, True, ("SOP",),
        ("natural", "fragrance-free", "nourishing", "dermatologically tested"),
    ),
    Department(
        "TWL", "Bath & Body > Towels", "Towels",
        ("Bath Towel", "Hand Towel", "Bath Robe", "Bath Mat", "Hammam Towel"),
        ("Waffle", "Organic Cotton", "Linen", "Terry", "Turkish Cotton"),
        ("Leinenhaus", "Frottierwerk"), (9.0, 89.0), 600,
        ("Color", ("White", "Sand", "Slate", "Sage")), False, ("SOP",),
        ("absorbent", "quick-drying", "soft", "long-lasting"),
    ),
    Department(
        "HIK", "Outdoor > Hiking", "Hiking",
        ("Daypack", "Insulated Water Bottle", "Headlamp", "Trekking Poles", "Merino Socks",
         "Trail Map Case"),
        ("Alpine", "Ultralight", "Waterproof", "Recycled", "Merino"),
        ("Bergzeit Gear", "Fjellkraft"), (9.9, 139.0), 700,
        None, False, ("CMP",),
        ("lightweight", "weather-resistant", "packable", "trail-tested"),
    ),
    Department(
        "CMP", "Outdoor > Camping", "Camping",
        ("Two-Person Tent", "Sleeping Bag", "Camp Stove", "Enamel Camping Mug", "LED Lantern",
         "Folding Chair"),
        ("Three-Season", "Ultralight", "Compact", "Enamel", "Solar"),
        ("Bergzeit Gear", "Lagerfeuer Co."), (9.9, 249.0), 1800,
        None, False, ("HIK",),
        ("compact", "easy set-up", "rugged", "weatherproof"),
    ),
)

FIRST_NAMES = (
    "Anna", "Lukas", "Mia", "Leon", "Emma", "Finn", "Hannah", "Paul", "Lea", "Jonas", "Sophie",
    "Elias", "Marie", "Noah", "Lena", "Felix", "Laura", "Ben", "Clara", "Max", "Julia", "Tim",
    "Sarah", "David", "Lisa", "Jan", "Nina", "Tobias", "Katharina", "Moritz", "Ida", "Emil",
    "Greta", "Oskar", "Frieda", "Anton", "Mathilda", "Karl", "Helena", "Theo", "Zoë", "Jürgen",
    "Sabine", "Özlem", "Mehmet", "Agnieszka", "Piotr", "Chiara", "Luca", "Inès", "Søren",
)
LAST_NAMES = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
    "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Braun",
    "Zimmermann", "Krüger", "Hartmann", "Lange", "Werner", "Krause", "Lehmann", "Köhler",
    "Yılmaz", "Kowalski", "Nowak", "Rossi", "Dubois", "Jensen", "van der Berg", "O'Neill",
)
CITIES = (  # city, zip prefix, province code, province name
    ("Berlin", "10", "BE", "Berlin"), ("Hamburg", "20", "HH", "Hamburg"),
    ("München", "80", "BY", "Bayern"), ("Köln", "50", "NW", "Nordrhein-Westfalen"),
    ("Frankfurt am Main", "60", "HE", "Hessen"), ("Stuttgart", "70", "BW", "Baden-Württemberg"),
    ("Düsseldorf", "40", "NW", "Nordrhein-Westfalen"), ("Leipzig", "04", "SN", "Sachsen"),
    ("Dresden", "01", "SN", "Sachsen"), ("Bremen", "28", "HB", "Bremen"),
    ("Hannover", "30", "NI", "Niedersachsen"), ("Nürnberg", "90", "BY", "Bayern"),
    ("Freiburg im Breisgau", "79", "BW", "Baden-Württemberg"), ("Kiel", "24", "SH",
    "Schleswig-Holstein"), ("Potsdam", "14", "BB", "Brandenburg"),
)
STREETS = (
    "Hauptstraße", "Lindenallee", "Gartenweg", "Schillerstraße", "Goethestraße", "Bahnhofstraße",
    "Am Markt", "Kastanienweg", "Mühlenstraße", "Rosenweg", "Birkenstraße", "Ringstraße",
)
MAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example.de")
NOTES = (
    "Bitte beim Nachbarn abgeben.",
    "Gift - please no invoice in the parcel.\nThank you!",
    "Leave at the back door",
    "Geschenk für meine Mutter\nBitte hübsch verpacken",
)

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
ORDER_COLUMNS: tuple[str, ...] = (
    "Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at",
    "Accepts Marketing", "Currency", "Subtotal", "Shipping", "Taxes", "Total", "Discount Code",
    "Discount Amount", "Shipping Method", "Created at", "Lineitem quantity", "Lineitem name",
    "Lineitem price", "Lineitem compare at price", "Lineitem sku", "Lineitem requires shipping",
    "Lineitem taxable", "Lineitem fulfillment status", "Billing Name", "Billing Street",
    "Billing Address1", "Billing Address2", "Billing Company", "Billing City", "Billing Zip",
    "Billing Province", "Billing Country", "Billing Phone", "Shipping Name", "Shipping Street",
    "Shipping Address1", "Shipping Address2", "Shipping Company", "Shipping City", "Shipping Zip",
    "Shipping Province", "Shipping Country", "Shipping Phone", "Notes", "Note Attributes",
    "Cancelled at", "Payment Method", "Payment Reference", "Refunded Amount", "Vendor",
    "Outstanding Balance", "Employee", "Location", "Device ID", "Id", "Tags", "Risk Level",
    "Source", "Lineitem discount", "Tax 1 Name", "Tax 1 Value", "Tax 2 Name", "Tax 2 Value",
    "Tax 3 Name", "Tax 3 Value", "Tax 4 Name", "Tax 4 Value", "Tax 5 Name", "Tax 5 Value",
    "Phone", "Receipt Number", "Duties", "Billing Province Name", "Shipping Province Name",
    "Payment ID", "Payment Terms Name", "Next Payment Due At", "Payment References",
)
# A tracking tool's export: one row per storefront event; customers are known by their e-mail
# (the key Shopify's order export uses too), products by SKU.
EVENT_COLUMNS: tuple[str, ...] = (
    "event_time", "event_type", "customer_id", "product_sku", "product_name", "quantity",
    "session_id",
)
EVENT_NAMES = {"view": "view", "cart": "add_to_cart"}


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class DemoShop:
    """What :func:`generate_demo_shop` wrote: the folder, its files in import order, counts."""

    folder: Path
    files: tuple[Path, ...]
    products: int
    variants: int
    customers: int
    orders: int
    line_items: int
    cancelled_orders: int
    events: int
    seed: int
    counts: dict[str, int] = field(default_factory=dict)  # data rows per file name


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


# ---------------------------------------------------------------------------------------------
# Behaviour: sessions of views and carts; some end in an order
# ---------------------------------------------------------------------------------------------


@dataclass
class _Order:
    ts: float
    customer: int
    lines: list[tuple[int, int, int]]  # (product, variant, quantity)
    cancelled_ts: float | None = None


class _Simulator:
    def __init__(self, rng: np.random.Generator, products: list[_Product], customers: list[_Customer]):
        self.rng = rng
        self.products = products
        self.customers = customers
        self.by_dept: list[np.ndarray] = [
            np.array([i for i, p in enumerate(products) if p.dept == d and p.published])
            for d in range(len(DEPARTMENTS))
        ]
        self.log_appeal = np.log(np.array([p.appeal for p in products]))
        self.log_price = np.log(np.array([p.prices[0] for p in products]))
        self.dept_mid = np.array([math.log(math.sqrt(d.price[0] * d.price[1])) for d in DEPARTMENTS])
        self.code_index = {d.code: i for i, d in enumerate(DEPARTMENTS)}
        self.events: list[tuple[float, str, int, int, int, int, str]] = []
        self.orders: list[_Order] = []

    def utility(self, c: _Customer, candidates: np.ndarray) -> np.ndarray:
        p = self.products
        vendor = np.array([c.vendor_aff[p[i].vendor] for i in candidates])
        depts = np.array([p[i].dept for i in candidates])
        target = self.dept_mid[depts] + math.log(c.price_target)
        price_fit = -1.2 * np.abs(self.log_price[candidates] - target)
        return self.log_appeal[candidates] + vendor + price_fit

    def pick(self, c: _Customer, dept: int, n: int) -> list[int]:
        candidates = self.by_dept[dept]
        if len(candidates) == 0:
            return []
        u = self.utility(c, candidates) + self.rng.gumbel(size=len(candidates)) * 0.7
        top = np.argsort(-u)[: min(n, len(candidates))]
        return [int(candidates[i]) for i in top]

    def run(self, cancel: CancelToken | None, progress: ProgressFn | None) -> None:
        end = PERIOD_END.timestamp()
        start = PERIOD_START.timestamp()
        n = len(self.customers)
        for ci, c in enumerate(self.customers):
            if ci % 100 == 0:
                check(cancel)
                report(progress, ci, n, "simulating customers")
            t = max(c.joined, start)
            last_dept: int | None = None
            due: dict[int, float] = {}  # staple product -> when it runs out
            owned: set[int] = set()
            session = 0
            while True:
                t += self.rng.exponential(30 * 86400 / c.rate)
                if t >= end:
                    break
                session += 1
                sid = f"s{ci:05d}-{session:03d}"
                # replenishment: a staple has run out, the customer comes back for it
                running_out = [i for i, when in due.items() if when <= t]
                if running_out and self.rng.random() < 0.8:
                    item = running_out[0]
                    variant = min(1, len(self.products[item].skus) - 1)
                    self._view(t, ci, item, variant, sid)
                    extra = self.pick(c, self.products[item].dept, 2)
                    lines = [(item, variant, int(self.rng.integers(1, 3)))]
                    for j in extra:
                        self._view(t + 40, ci, j, 0, sid)
                    if extra and self.rng.random() < 0.25 and extra[0] != item:
                        lines.append((extra[0], 0, 1))
                        owned.add(extra[0])
                    self._order(t + 300, ci, lines, sid)
                    due[item] = t + self.rng.normal(35, 6) * 86400
                    last_dept = self.products[item].dept
                    continue
                dept = self._choose_dept(c, last_dept)
                viewed = self.pick(c, dept, int(self.rng.integers(1, 7)))
                carted: list[tuple[int, int, int]] = []
                for k, item in enumerate(viewed):
                    p = self.products[item]
                    variant = int(self.rng.integers(len(p.skus)))
                    ts = t + 25 * k + self.rng.integers(5, 60)
                    self._view(ts, ci, item, variant, sid)
                    if item in owned and not DEPARTMENTS[p.dept].consumable:
                        continue  # nobody buys the same tent twice; they still look at it
                    if p.stock[variant] > 0 and self.rng.random() < (0.45 if k == 0 else 0.15):
                        qty = int(self.rng.integers(1, 3)) if DEPARTMENTS[p.dept].consumable else 1
                        self.events.append((ts + 20, "cart", ci, item, variant, qty, sid))
                        carted.append((item, variant, qty))
                if carted and self.rng.random() < 0.55:
                    # a complementary add-on, found on the product page ("goes well with")
                    comp = DEPARTMENTS[dept].complements
                    if comp and self.rng.random() < 0.35:
                        extra = self.pick(c, self.code_index[comp[int(self.rng.integers(len(comp)))]], 1)
                        if extra:
                            self._view(t + 400, ci, extra[0], 0, sid)
                            if extra[0] not in owned:
                                carted.append((extra[0], 0, 1))
                    self._order(t + 600, ci, carted, sid)
                    owned.update(item for item, _, _ in carted)
                    for item, _, _ in carted:
                        if DEPARTMENTS[self.products[item].dept].consumable and (
                            item in due or self.rng.random() < 0.5
                        ):
                            due[item] = t + self.rng.normal(35, 8) * 86400
                last_dept = dept
        report(progress, n, n, "simulating customers")

    def _choose_dept(self, c: _Customer, last: int | None) -> int:
        # what someone buys next depends on what they bought last (skillet -> spatula)
        if last is not None and DEPARTMENTS[last].complements and self.rng.random() < 0.3:
            comp = DEPARTMENTS[last].complements
            return self.code_index[comp[int(self.rng.integers(len(comp)))]]
        return int(self.rng.choice(len(DEPARTMENTS), p=c.dept_pref))

    def _view(self, ts: float, ci: int, item: int, variant: int, sid: str) -> None:
        self.events.append((ts, "view", ci, item, variant, 1, sid))

    def _order(self, ts: float, ci: int, lines: list[tuple[int, int, int]], sid: str) -> None:
        merged: dict[tuple[int, int], int] = {}
        for item, variant, qty in lines:
            merged[(item, variant)] = merged.get((item, variant), 0) + qty
        lines = [(i, v, q) for (i, v), q in merged.items()]
        cancelled = ts + self.rng.uniform(600, 2 * 86400) if self.rng.random() < 0.03 else None
        if ts < PERIOD_END.timestamp():
            self.orders.append(_Order(ts=ts, customer=ci, lines=lines, cancelled_ts=cancelled))


def _money(x: float) -> str:
    return f"{x:.2f}"


def _write_orders(path: Path, sim: _Simulator, customers: list[_Customer], rng: np.random.Generator) -> tuple[int, int]:
    products = sim.products
    orders = sorted(sim.orders, key=lambda o: o.ts)
    end = PERIOD_END.timestamp()
    rows = cancelled = 0
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(ORDER_COLUMNS)
        # Numbered oldest first (a welcome code on some first orders), written newest first
        # as Shopify exports them.
        seen: set[int] = set()
        welcome: set[int] = set()
        for number, order in enumerate(orders, start=1001):
            if order.customer not in seen and order.customer % 7 == 0:
                welcome.add(number)
            seen.add(order.customer)
        numbered = list(enumerate(orders, start=1001))
        for number, order in reversed(numbered):
            c = customers[order.customer]
            c_city = CITIES[c.city]
            subtotal = sum(products[i].prices[v] * q for i, v, q in order.lines)
            code = ""
            discount = 0.0
            if number in welcome:
                code, discount = "WILLKOMMEN10", round(subtotal * 0.10, 2)
            shipping = 0.0 if subtotal - discount >= 49 else 4.90
            total = round(subtotal - discount + shipping, 2)
            taxes = round(total * 19 / 119, 2)  # German VAT, included in prices
            is_cancelled = order.cancelled_ts is not None
            fulfilled = not is_cancelled and order.ts < end - 2 * 86400
            fulfilled_ts = order.ts + rng.uniform(0.5, 3) * 86400
            zip_text = f"'{c.zip}" if c.zip.startswith("0") else c.zip  # Shopify's Excel guard
            name = f"{c.first} {c.last}"
            order_id = str(5_600_000_000_000 + number * 7919)
            payment = ("Shopify Payments", "PayPal Express Checkout", "Klarna")[number % 3]
            if not is_cancelled:
                c.spent += total
                c.orders += 1
            else:
                cancelled += 1
            for k, (item, variant, qty) in enumerate(order.lines):
                p = products[item]
                row = dict.fromkeys(ORDER_COLUMNS, "")
                label = p.option_values[variant]
                row.update({
                    "Name": f"#{number}", "Email": c.email, "Created at": shopify_time(order.ts),
                    "Lineitem quantity": str(qty),
                    "Lineitem name": f"{p.title} - {label}" if label else p.title,
                    "Lineitem price": _money(p.prices[variant]),
                    "Lineitem compare at price": "" if p.compare_at[variant] is None else _money(p.compare_at[variant]),
                    "Lineitem sku": p.skus[variant], "Lineitem requires shipping": "true",
                    "Lineitem taxable": "true",
                    "Lineitem fulfillment status": "fulfilled" if fulfilled else "pending",
                    "Vendor": p.vendor, "Lineitem discount": "0.00",
                })
                if k == 0:
                    row.update({
                        "Financial Status": "refunded" if is_cancelled else "paid",
                        "Paid at": shopify_time(order.ts + 2),
                        "Fulfillment Status": "fulfilled" if fulfilled else "unfulfilled",
                        "Fulfilled at": shopify_time(fulfilled_ts) if fulfilled else "",
                        "Accepts Marketing": "yes" if c.accepts_marketing else "no",
                        "Currency": CURRENCY, "Subtotal": _money(subtotal - discount),
                        "Shipping": _money(shipping), "Taxes": _money(taxes), "Total": _money(total),
                        "Discount Code": code, "Discount Amount": _money(discount),
                        "Shipping Method": "DHL Paket" if shipping else "Kostenloser Versand",
                        "Billing Name": name, "Billing Street": c.street, "Billing Address1": c.street,
                        "Billing City": c_city[0], "Billing Zip": zip_text,
                        "Billing Province": c_city[2], "Billing Country": "DE", "Billing Phone": c.phone,
                        "Shipping Name": name, "Shipping Street": c.street,
                        "Shipping Address1": c.street, "Shipping City": c_city[0],
                        "Shipping Zip": zip_text, "Shipping Province": c_city[2],
                        "Shipping Country": "DE", "Shipping Phone": c.phone,
                        "Notes": NOTES[number % len(NOTES)] if number % 23 == 0 else "",
                        "Cancelled at": shopify_time(order.cancelled_ts) if is_cancelled else "",
                        "Payment Method": payment,
                        "Payment Reference": f"c{order_id[-9:]}.1",
                        "Refunded Amount": _money(total if is_cancelled else 0.0),
                        "Outstanding Balance": "0.00", "Id": order_id, "Risk Level": "Low",
                        "Source": "web", "Tax 1 Name": "DE MwSt. 19%", "Tax 1 Value": _money(taxes),
                        "Phone": c.phone, "Billing Province Name": c_city[3],
                        "Shipping Province Name": c_city[3], "Payment ID": f"c{order_id[-9:]}.1",
                        "Payment References": f"c{order_id[-9:]}.1",
                    })
                out.writerow(row.values())
                rows += 1
    return rows, cancelled


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


def _write_events(path: Path, sim: _Simulator, customers: list[_Customer]) -> int:
    events = sorted(sim.events, key=lambda e: (e[0], e[2]))
    end = PERIOD_END.timestamp()
    rows = 0
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(EVENT_COLUMNS)
        for ts, kind, ci, item, variant, qty, sid in events:
            if ts >= end:
                continue
            p = sim.products[item]
            out.writerow([
                iso_time(ts), EVENT_NAMES[kind], customers[ci].email, p.skus[variant], p.title,
                str(qty), sid,
            ])
            rows += 1
    return rows


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def default_demo_folder() -> Path:
    """Where ``shoprec demo`` writes the shop: ``demo-shop`` in ShopRec's user data folder."""
    import os

    home = os.environ.get("SHOPREC_HOME")
    if home:
        return Path(home).expanduser() / "demo-shop"
    import platformdirs

    return Path(platformdirs.user_data_dir("ShopRec", appauthor=False)) / "demo-shop"


def generate_demo_shop(
    folder: str | Path | None = None,
    *,
    seed: int = DEFAULT_SEED,
    n_products: int = 420,
    n_customers: int = 1500,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> DemoShop:
    """Write the demo shop's exports into ``folder`` (created if needed) and say what was written.

    The same ``seed`` and sizes always write the same bytes. Existing demo files are replaced;
    other files in the folder are left alone. ``n_products`` is a target: each department offers
    at most its vocabulary's noun x modifier combinations (the result says how many were made).
    """
    if n_products < len(DEPARTMENTS):
        raise ValueError(f"n_products must be at least {len(DEPARTMENTS)} (one per department)")
    if n_customers < 1:
        raise ValueError("n_customers must be at least 1")
    folder = Path(folder) if folder is not None else default_demo_folder()
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    report(progress, 0, 5, "designing the catalog")
    products = _make_catalog(np.random.default_rng(rng.integers(2**63)), n_products)
    customers = _make_customers(np.random.default_rng(rng.integers(2**63)), n_customers)
    sim_rng = np.random.default_rng(rng.integers(2**63))
    write_rng = np.random.default_rng(rng.integers(2**63))
    check(cancel)
    sim = _Simulator(sim_rng, products, customers)

    def sim_progress(update: Any) -> None:  # customers simulated -> steps 1..2 of 5
        report(progress, 1 + (update.fraction or 0.0), 5, update.message)

    sim.run(cancel, sim_progress if progress is not None else None)
    report(progress, 2, 5, "writing exports")
    counts = {PRODUCTS_FILE: _write_products(folder / PRODUCTS_FILE, products)}
    check(cancel)
    # orders first: the customers export carries each customer's total spent and order count
    counts[ORDERS_FILE], cancelled = _write_orders(folder / ORDERS_FILE, sim, customers, write_rng)
    report(progress, 3, 5, "writing exports")
    counts[CUSTOMERS_FILE] = _write_customers(folder / CUSTOMERS_FILE, customers, write_rng)
    check(cancel)
    counts[EVENTS_FILE] = _write_events(folder / EVENTS_FILE, sim, customers)
    report(progress, 5, 5, "demo shop written")
    return DemoShop(
        folder=folder,
        files=tuple(folder / name for name in FILES),
        products=len(products),
        variants=sum(len(p.skus) for p in products),
        customers=len(customers),
        orders=len(sim.orders),
        line_items=counts[ORDERS_FILE],
        cancelled_orders=cancelled,
        events=counts[EVENTS_FILE],
        seed=seed,
        counts=counts,
    )


# ---------------------------------------------------------------------------------------------
# The demo workspace: generated files imported into a fresh workspace
# ---------------------------------------------------------------------------------------------

DEMO_WORKSPACE = "demo.shoprec"


def remove_workspace(path: Path) -> None:
    """Delete a workspace file with its WAL and shared-memory companions."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def import_demo_shop(
    shop: DemoShop,
    workspace: Path,
    *,
    fresh: bool = True,
    on_file: Callable[[Any], None] | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> list[Any]:
    """Import the demo files into ``workspace`` (recreated when ``fresh``); the import summaries.

    ``on_file(summary)`` is called after each file, so a front end can show it at once.
    """
    from .importing import import_file
    from .store.workspace import Workspace

    if fresh:
        remove_workspace(workspace)
    summaries = []
    with Workspace(workspace) as ws:
        for path in shop.files:
            check(cancel)
            summary = import_file(ws, path, progress=progress, cancel=cancel)
            summaries.append(summary)
            if on_file is not None:
                on_file(summary)
    return summaries
