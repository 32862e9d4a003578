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

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..contracts.progress import CancelToken, ProgressFn, check, report
from .catalog import (
    CURRENCY,
    CUSTOMERS_FILE,
    DEFAULT_SEED,
    DEPARTMENTS,
    EVENTS_FILE,
    FILES,
    ORDERS_FILE,
    PERIOD_END,
    PERIOD_START,
    PRODUCTS_FILE,
    SHOP_DOMAIN,
    SHOP_NAME,
    _make_catalog,
    _make_customers,
    _write_customers,
    _write_products,
)
from .orders import _Simulator, _write_events, _write_orders

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
    from ..importing import import_file
    from ..store.workspace import Workspace

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


__all__ = [
    "CURRENCY", "CUSTOMERS_FILE", "DEFAULT_SEED", "DEMO_WORKSPACE", "DEPARTMENTS", "EVENTS_FILE", "FILES",
    "ORDERS_FILE", "PERIOD_END", "PERIOD_START", "PRODUCTS_FILE", "SHOP_DOMAIN", "SHOP_NAME",
    "DemoShop", "default_demo_folder", "generate_demo_shop", "import_demo_shop", "remove_workspace",
]
