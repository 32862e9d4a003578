"""Frozen-app entry point of the desktop app (the ShopRec window)."""

import sys

from shoprec.core import offline  # noqa: F401  (before anything imports Hugging Face code)
from shoprec.desktop.app import run

if __name__ == "__main__":
    sys.exit(run(sys.argv[1] if len(sys.argv) > 1 else None))
