"""ShopRec's log: a rotating file in the user's log folder, written by the CLI and the desktop.

A windowed program has no console (on Windows ``sys.stderr`` is None), so what went wrong must be
kept somewhere a shop owner can find and send: Help ▸ Open log folder in the app, and the path is
in every error dialog. Folder: platformdirs' user log folder for "ShopRec" (e.g.
``~/.local/state/ShopRec/log``, ``~/Library/Logs/ShopRec``, ``%LOCALAPPDATA%\\ShopRec\\Logs``),
or ``$SHOPREC_LOG_DIR``. Logging never stops the app: a folder that cannot be written is skipped.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import platform
import sys
from pathlib import Path

from .. import __version__

LOGGER = "shoprec"
MAX_BYTES = 1_000_000
BACKUPS = 3
_FORMAT = "%(asctime)s %(levelname)-7s %(process)d %(name)s: %(message)s"


def log_folder() -> Path:
    """Where the log files are (not created here)."""
    env = os.environ.get("SHOPREC_LOG_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_log_dir("ShopRec", appauthor=False))


def log_file(program: str) -> Path:
    """The current log file of ``program`` ("cli" or "desktop")."""
    return log_folder() / f"{program}.log"


def setup_logging(program: str, level: int = logging.INFO) -> Path | None:
    """Send ShopRec's log records (and Python warnings) to ``<log folder>/<program>.log``.

    Rotates at 1 MB, keeping three old files. Idempotent per file. Returns the file, or None when
    the folder cannot be written (the app goes on without a log).
    """
    path = log_file(program)
    root = logging.getLogger()
    for handler in root.handlers:
        if getattr(handler, "baseFilename", None) == str(path.resolve()):
            return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.setLevel(level)
    root.addHandler(handler)
    if root.level > level or root.level == logging.NOTSET:
        root.setLevel(level)
    # libraries' chatter stays out unless it is a warning
    for noisy in ("transformers", "huggingface_hub", "urllib3", "httpx", "PIL", "matplotlib"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    logging.captureWarnings(True)
    frozen = " (installed app)" if getattr(sys, "frozen", False) else ""
    logging.getLogger(LOGGER).info(
        "ShopRec %s %s started%s: Python %s on %s", __version__, program, frozen,
        platform.python_version(), platform.platform())
    return path
