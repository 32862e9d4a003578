"""The desktop's own preferences (QSettings): window geometry and state, recent workspaces,
language and colour scheme.

Tests and portable installs point ``SHOPREC_HOME`` at a folder; the settings are then an INI file
there, never the user's real registry or plist.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

MAX_RECENT = 8


def settings() -> QSettings:
    home = os.environ.get("SHOPREC_HOME")
    if home:
        return QSettings(str(Path(home) / "shoprec-desktop.ini"), QSettings.Format.IniFormat)
    return QSettings("ShopRec", "ShopRec")


def get(key: str, default: str = "") -> str:
    value = settings().value(key, default)
    return "" if value is None else str(value)


def put(key: str, value: object) -> None:
    s = settings()
    s.setValue(key, value)
    s.sync()


def recent_workspaces() -> list[str]:
    """Workspace files opened lately, newest first, only those that still exist."""
    value = settings().value("recent_workspaces", [])
    if isinstance(value, str):
        value = [value] if value else []
    return [p for p in (value or []) if Path(p).exists()][:MAX_RECENT]


def add_recent_workspace(path: str | os.PathLike[str]) -> None:
    text = str(Path(path))
    items = [p for p in recent_workspaces() if p != text]
    put("recent_workspaces", [text, *items][:MAX_RECENT])
