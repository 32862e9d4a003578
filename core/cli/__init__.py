"""``shoprec`` command line: a thin front end over the core.

Each command group lives in its own module and attaches itself to :data:`cli` here. Errors the user
can act on are :class:`click.ClickException` subclasses: one line, non-zero exit, no traceback.
"""

from __future__ import annotations

from .. import offline  # noqa: F401  (sets Hugging Face offline before anything imports it)
from . import campaign, data, demo, engine, export, gui, products, profiles, rights  # noqa: E402,F401  (register commands)
from .base import cli, main  # noqa: E402

__all__ = ["cli", "main"]
