"""Frozen-app entry point of the desktop app (the ShopRec window)."""

import sys

if sys.argv[1:2] == ["--shoprec-import-parser"]:  # the importer's parser process (core/importing/worker.py)
    from shoprec.core.importing.worker import main as parser_main

    parser_main()
    sys.exit(0)

from shoprec.core import offline  # noqa: F401  (before anything imports Hugging Face code)
from shoprec.desktop.app import run

if __name__ == "__main__":
    sys.exit(run(sys.argv[1] if len(sys.argv) > 1 else None))
