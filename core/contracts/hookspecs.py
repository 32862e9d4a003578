"""Every hook a ShopRec plugin can implement.

A plugin is a module or object with functions decorated by ``shoprec.core.hookimpl``. Built-in
features in ``shoprec.plugins`` are registered through exactly these hooks, like third-party
plugins found through the ``shoprec`` entry-point group. Registration hooks return lists of frozen
spec dataclasses; ShopRec gathers them from every plugin. Implementations may accept fewer
arguments than a spec names, so specs can grow arguments without breaking plugins.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from .exporters import CampaignExporterSpec, ExporterSpec
    from .formats import FormatSpec
    from .strategy import StrategySpec

hookspec = pluggy.HookspecMarker("shoprec")


@hookspec
def shoprec_import_formats() -> list[FormatSpec]:
    """Called once when the importer gathers formats; returns the file formats this plugin reads."""


@hookspec
def shoprec_strategies() -> list[StrategySpec]:
    """Called once when the engine gathers strategies; returns the strategies this plugin offers."""


@hookspec
def shoprec_exporters() -> list[ExporterSpec]:
    """Called once when the exporter list is gathered; returns the exporters this plugin offers."""


@hookspec
def shoprec_campaign_exporters() -> list[CampaignExporterSpec]:
    """Called when a campaign is exported; returns the e-mail tools this plugin writes audiences for."""
