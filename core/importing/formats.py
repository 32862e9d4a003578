"""Import format contract: what a format plugin registers (hook ``shoprec_import_formats``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class FormatSpec:
    """One file layout the importer recognises (to be completed by the importing module)."""

    name: str
    title: str
