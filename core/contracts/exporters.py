"""What an exporter plugin registers and receives (hook ``shoprec_exporters`` and
``shoprec_campaign_exporters``).

An exporter registers :class:`ExporterSpec` objects; its ``write(data, path)`` receives an
:class:`ExportData`: the run's per-customer lists (:class:`ExportList` of :class:`ExportLine`:
shop ids, e-mails, item titles, probabilities, reasons) plus item-to-item tables - related items
and "frequently bought together" rules - computed on first use for the product-feed exporters.
A campaign exporter receives a :class:`CampaignExport`: one campaign's send group.
:mod:`shoprec.core.shop.exporting` gathers these from the workspace and calls the exporter.

Spreadsheet safety: every text cell an exporter writes goes through :func:`safe_cell`, which
neutralises cells a spreadsheet would run as a formula (``= + - @``, tab, CR) with a leading
apostrophe, as WooCommerce's own exporter does (and its importer strips again).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class ExportError(Exception):
    """An export cannot be made (no such run, unknown exporter, nothing to export)."""



# ---------------------------------------------------------------------------------------------
# What exporters receive
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ItemInfo:
    """One catalog item as the shop knows it."""

    key: int  # workspace items.id
    item_id: str  # the shop's own id (SKU, product id or handle) exactly as imported
    sku: str  # "" when the shop gave none
    title: str
    product: str  # the product this item is a variant of (handle / parent id); itself if none
    category: str = ""
    vendor: str = ""
    price: float | None = None
    currency: str = ""
    url: str = ""
    published: bool | None = None
    stock: float | None = None
    variant_of: str = ""  # the parent a products export named ("" when none did)

    @property
    def sku_or_id(self) -> str:
        """What platforms match products by: the SKU, else the shop's own id."""
        return self.sku or self.item_id

    @property
    def handle_known(self) -> bool:
        """Whether the shop's own handle is known: a products export named the parent (Shopify
        products exports do for every row), or the product page's address shows it. Order
        exports alone never tell it: a handle made up from a title or a SKU could overwrite or
        create the wrong product in the shop."""
        return (bool(self.variant_of) and bool(_HANDLE.fullmatch(self.product))) or bool(
            _PRODUCT_URL.search(self.url))

    @property
    def handle(self) -> str:
        """The Shopify handle of the product when known (:attr:`handle_known`), else a guess
        from the title that only files marked for review may carry."""
        if self.handle_known and _HANDLE.fullmatch(self.product):
            return self.product
        match = _PRODUCT_URL.search(self.url)
        if match:
            return match.group(1)
        return slugify(self.title) or self.product


_HANDLE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_PRODUCT_URL = re.compile(r"/products/([a-z0-9][a-z0-9-]*)")


def slugify(text: str) -> str:
    """Shopify's default handle for a title: lower case, runs of other characters become ``-``."""
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "'": "", "’": ""})
    text = text.lower().translate(table)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


@dataclass(frozen=True, kw_only=True)
class ExportLine:
    """One row of a customer's list."""

    rank: int  # 1 = best
    item: ItemInfo
    score: float  # calibrated probability in [0, 1]
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class ExportList:
    """One customer's recommendations, best first."""

    customer_key: int
    customer_id: str  # the shop's own customer id (often the e-mail for Shopify exports)
    email: str
    name: str
    items: tuple[ExportLine, ...]


@dataclass(frozen=True, kw_only=True)
class RunInfo:
    """The stored run whose lists are exported."""

    id: int
    strategy: str
    created_at: int
    params: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)
    calibration: dict[str, Any] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def threshold(self) -> float:
        """The θ the stored lists were cut with (0: off, every list a full top-N)."""
        return float((self.info.get("lists") or {}).get("threshold", 0.0) or 0.0)


@dataclass(frozen=True, kw_only=True)
class ItemLink:
    """An item-to-item suggestion: ``target`` goes with ``source``.

    ``kind`` is ``related`` (similar items, alternatives) or ``together`` (bought in the same
    order). Association statistics are filled for ``together``: ``orders`` both were in,
    ``support`` = orders / all orders, ``confidence`` = P(target | source), ``lift`` =
    confidence / P(target).
    """

    source: ItemInfo
    target: ItemInfo
    kind: str
    score: float
    orders: int = 0
    support: float = 0.0
    confidence: float = 0.0
    lift: float = 0.0


#: ``(item key, n) -> [(item key, similarity), ...]``, best first; the run's strategy provides it.
SimilarFn = Callable[[int, int], list[tuple[int, float]]]

class ExportData:
    """Everything an exporter may use. Item-to-item tables are computed on first use."""

    def __init__(
        self,
        *,
        run: RunInfo | None,
        lists: list[ExportList],
        items: dict[int, ItemInfo],
        shop_url: str = "",
        top: int | None = None,
        threshold: float = 0.0,
        related: Callable[[int], dict[int, list[ItemLink]]] | None = None,
        together: Callable[[], dict[int, list[ItemLink]]] | None = None,
    ) -> None:
        self.run = run
        self.lists = lists
        self.items = items
        self.shop_url = shop_url.rstrip("/")
        self.top = top
        #: θ the exported lists were cut with: the run's own, or a stricter one asked at export.
        self.threshold = max(threshold, run.threshold if run is not None else 0.0)
        # Where the item-to-item tables come from (the workspace's statistics, the run's
        # strategy): asked once, on first use.
        self._related_source = related
        self._together_source = together
        #: What an exporter wants the owner to know about the file (items left out and why).
        self.notes: list[str] = []
        self._related: dict[int, list[ItemLink]] | None = None
        self._together: dict[int, list[ItemLink]] | None = None

    # -- per customer --------------------------------------------------------------------------
    def rows(self) -> Iterable[tuple[ExportList, ExportLine]]:
        for cl in self.lists:
            for rec in cl.items:
                yield cl, rec

    def product_url(self, item: ItemInfo) -> str:
        """The product page: ``<shop url>/products/<handle>`` when the shop's address and the
        product's handle are known; the item's own page address; else "" (never a guessed link)."""
        if self.shop_url and item.handle_known:
            return f"{self.shop_url}/products/{item.handle}"
        if item.url and not _IMAGE_URL.search(item.url):
            return item.url
        return ""

    # -- item to item --------------------------------------------------------------------------
    def related(self, item_key: int, n: int = 5) -> list[ItemLink]:
        """Items like ``item_key`` (other products, best first)."""
        if self._related is None:
            self._related = self._compute_related(max(n, 10))
        return self._related.get(item_key, [])[:n]

    def together(self, item_key: int, n: int = 5) -> list[ItemLink]:
        """Items bought in the same orders as ``item_key``, by lift (other products)."""
        if self._together is None:
            self._together = self._compute_together()
        return self._together.get(item_key, [])[:n]

    def together_rules(self) -> list[ItemLink]:
        """Every bought-together rule, grouped by source item in catalog order."""
        if self._together is None:
            self._together = self._compute_together()
        return [link for key in sorted(self._together) for link in self._together[key]]

    def _compute_related(self, n: int) -> dict[int, list[ItemLink]]:
        return self._related_source(n) if self._related_source is not None else {}

    def _compute_together(self) -> dict[int, list[ItemLink]]:
        return self._together_source() if self._together_source is not None else {}


_IMAGE_URL = re.compile(r"\.(?:jpe?g|png|gif|webp|avif)(?:\?|$)", re.IGNORECASE)


@dataclass(frozen=True, kw_only=True)
class ExporterSpec:
    """One export destination (hook ``shoprec_exporters``).

    ``write(data, path)`` writes the file and returns the number of data rows written.
    ``needs_run``: the exporter writes per-customer lists, so a stored run must exist; item-to-item
    exporters (product feeds, bought-together tables) work from the imported data alone.
    """

    name: str
    title: str
    description: str
    extension: str  # default file extension, e.g. "csv"
    write: Callable[[ExportData, Path], int]
    needs_run: bool = True
    item_links: bool = False  # uses related items: the run's strategy is loaded to find them
    platform: str = ""  # who reads the file: "Excel", "Shopify", "WooCommerce", ...



# ---------------------------------------------------------------------------------------------
# Cell safety
# ---------------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet would treat ``text`` as a formula (or hide it behind one)."""
    return text.startswith(_FORMULA_START)


def safe_cell(value: Any) -> Any:
    """A text cell made safe for spreadsheets: formula-like text gets a leading apostrophe.

    Numbers pass through unchanged (a negative number is not an injection).
    """
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def format_score(score: float) -> str:
    """Scores are probabilities, often small: six decimals keep 0.000032 from reading as 0."""
    return f"{score:.6f}"


# ---------------------------------------------------------------------------------------------
# Campaign audiences (hook ``shoprec_campaign_exporters``)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class CampaignExport:
    """What a campaign exporter receives: the campaign and its *send* group only.

    ``members`` are :class:`shoprec.core.shop.campaigns.MemberRow` (customer id, e-mail, name,
    probability, reason, the item keys the e-mail shows, best first); ``items`` the catalog by key.
    """

    campaign: Any  # shoprec.core.shop.campaigns.Campaign
    members: list[Any]
    items: dict[int, ItemInfo]
    shop_url: str = ""

    def product_url(self, item: ItemInfo) -> str:
        """The product page, as :meth:`ExportData.product_url` gives it."""
        if self.shop_url:
            return f"{self.shop_url.rstrip('/')}/products/{item.handle}"
        if item.url and not _IMAGE_URL.search(item.url):
            return item.url
        return ""

    def image_url(self, item: ItemInfo) -> str:
        """The product image where the catalog gave one (Shopify's ``Image Src``)."""
        return item.url if item.url and _IMAGE_URL.search(item.url) else ""

    def shown(self, member: Any) -> list[ItemInfo]:
        return [self.items[k] for k in member.items if k in self.items]


@dataclass(frozen=True, kw_only=True)
class CampaignExporterSpec:
    """One e-mail tool a campaign audience can go to (hook ``shoprec_campaign_exporters``).

    ``write(data, path)`` writes the file and returns the number of customers written.
    """

    name: str
    title: str
    description: str
    extension: str
    write: Callable[[CampaignExport, Path], int]
    platform: str = ""


