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

from .. import offline  # noqa: F401  (sets Hugging Face offline before anything imports it)
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
}
cli.lazy.update(COMMANDS)

__all__ = ["COMMANDS", "cli", "main"]
