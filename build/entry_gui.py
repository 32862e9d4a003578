"""Entry point of the installed app's program: the ShopRec window, or the command line.

Called as ``shoprec-cli`` (a link to this program on Linux and macOS, a console program of its
own on Windows) it is the command line; called as ``ShopRec`` it opens the window, on the
workspace file given as its argument if any (what a double-click on Windows and Linux passes;
macOS sends a file-open event instead, handled by the desktop app).
"""

import os
import sys

CLI_NAME = "shoprec-cli"  # build/bundle.py's CLI_NAME (tests/test_build.py checks they agree)

if sys.argv[1:2] == ["--shoprec-import-parser"]:  # the importer's parser process (core/importing/child.py)
    from shoprec.core.importing.child import main as parser_main

    parser_main()
    sys.exit(0)

from shoprec.core.runtime import offline  # noqa: F401,E402  (before anything imports Hugging Face code)


def called_as_cli(argv0: str) -> bool:
    """True when the program was started under the command line's name."""
    name = os.path.basename(argv0 or "").lower()
    return name == CLI_NAME or name.startswith(CLI_NAME + ".")


def window(args: list[str]) -> int:
    """Open the window; ``--version`` prints the version instead (never taken as a workspace)."""
    if args[:1] == ["--version"]:
        from shoprec.core import __version__

        print(f"ShopRec {__version__}")
        return 0
    if args and args[0].startswith("-"):
        print(f"ShopRec: unknown option {args[0]} (the command line is {CLI_NAME})",
              file=sys.stderr)
        return 2
    from shoprec.desktop.app import run

    return run(args[0] if args else None)


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()  # a training child process (desktop/process_worker.py)
    if called_as_cli(sys.argv[0] if sys.argv else ""):
        if sys.argv[1:] == ["--bundle-check"]:
            from shoprec.core.cli.selfcheck import main as bundle_check

            sys.exit(bundle_check())
        from shoprec.core.cli import main

        main()
        sys.exit(0)
    sys.exit(window(sys.argv[1:]))
