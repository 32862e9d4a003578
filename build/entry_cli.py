"""Frozen-app entry point of the command line, ``shoprec-cli`` (``shoprec`` in a source install).

``shoprec-cli --bundle-check`` (installers) proves the bundle works offline and prints one verdict
line (see :mod:`shoprec.core.selfcheck`); CI and ``build/check_bundle.sh`` run it on each build.
"""

import sys

if sys.argv[1:2] == ["--shoprec-import-parser"]:  # the importer's parser process (core/importing/worker.py)
    from shoprec.core.importing.worker import main as parser_main

    parser_main()
    sys.exit(0)

from shoprec.core import offline  # noqa: F401  (before anything imports Hugging Face code)

if __name__ == "__main__":
    if sys.argv[1:] == ["--bundle-check"]:
        from shoprec.core.selfcheck import main as bundle_check

        sys.exit(bundle_check())
    from shoprec.core.cli import main

    main()
