"""``shoprec`` command line: a thin front end over the core.

Each command lives in a module of this package and registers itself with ``@cli.command(name)``
from :mod:`.base`. :data:`COMMANDS` below is the one table of commands: name → (module, the
command's one-line help, shown by ``shoprec --help``). A module is imported only when its command runs (or its
own ``--help`` is asked for), so start-up loads neither torch, transformers nor pandas: command
modules import heavy things inside their functions. Adding a command = a module + one row here.

Errors the user can act on are :class:`click.ClickException` subclasses: one line, non-zero exit,
no traceback.
"""

from __future__ import annotations

from ..runtime import offline  # noqa: F401  (sets Hugging Face offline before anything imports it)
from .base import cli, main

#: command name -> (module in this package, one-line help for ``shoprec --help``)
COMMANDS: dict[str, tuple[str, str]] = {
    "import": ("data", "Import shop exports (CSV and similar) into the workspace."),
    "info": ("data", "Counts of customers, items, events by type, imports and rejects."),
    "rejects": ("data", "Rows that were not imported: file, line number, reason and raw text."),
    "formats": ("data", "The file formats ShopRec recognises (built-in and from plugins)."),
    "demo": ("demo", "Run ShopRec on the built-in demo shop: generate, import, train, recommend, export."),
    "train": ("engine", "Train a strategy on the workspace and store the run with every customer's list."),
    "recommend": ("engine", "Print recommendation lists (ids are the shop's own customer and item ids)."),
    "evaluate": ("engine", "Measure strategies with full ranking (HR, NDCG, MRR at K, coverage, diversity, ECE)."),
    "plugins": ("engine", "List plugins: name, kind, source, version, status and error."),
    "export": ("export", "Export recommendation lists: CSV, Excel, JSON, Shopify, WooCommerce, Magento, e-mail tools."),
    "gui": ("gui", "Open the ShopRec desktop app on this workspace."),
    "update": ("profiles", "Refresh customer profiles after new events were imported: seconds, no retraining."),
    "portrait": ("profiles", "A customer's portrait: top categories and brands, price band, RFM segment, nearest items."),
    "exclude": ("products", "Keep items out of every list and audience (by item id or SKU)."),
    "campaign": ("campaign", "E-mail campaigns: who to send what, with a holdout that shows whether it worked."),
    "forget": ("rights", "Erase customers: their events, lists, profiles and every row naming them."),
    "backup": ("rights", "Copy the workspace to TARGET (safe while ShopRec is open elsewhere)."),
    "restore": ("rights", "Replace the workspace with the backup SOURCE (the current one is backed up first)."),
    "check": ("rights", "Check the workspace: integrity, links between tables, models, import accounting."),
    "trust-model": ("rights", "Allow ShopRec to load the text model in FOLDER on this computer."),
}
cli.lazy.update(COMMANDS)

__all__ = ["COMMANDS", "cli", "main"]
