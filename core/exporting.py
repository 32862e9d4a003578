"""Exporter contract: what an exporter plugin registers (hook ``shoprec_exporters``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, kw_only=True)
class ExporterSpec:
    """One export destination: writes recommendation lists to ``path``."""

    name: str
    title: str
    description: str
    extension: str  # default file extension, e.g. "csv"
    write: Callable[[Any, Path], None]  # (lists, path) -> None
