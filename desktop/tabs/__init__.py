"""The main window's tabs, one module each; :func:`create_tabs` builds them in order.

The pages a shop owner thinks in: Start · Data · Customers · Recommendations (every strategy a
plugin registers is a choice inside it) · Compare · Campaigns (when that module is present) ·
Export. Plugins are listed under Help → Plugins.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..session import Session
    from .base import Tab

#: Tab keys in the order they appear; a tab module not listed here goes at the end.
TAB_ORDER = ("start", "data", "customers", "recommendations", "compare", "campaigns", "export")
#: Optional tab modules written separately: (module, class); skipped when absent.
OPTIONAL_TABS = (("campaigns", "CampaignsTab"),)


def tab_key(cls: type) -> str:
    return getattr(cls, "key", "") or cls.__module__.rsplit(".", 1)[-1]


def fixed_tab_classes() -> list[type[Tab]]:
    """Every tab class, in :data:`TAB_ORDER`."""
    from .compare import CompareTab
    from .customers import CustomersTab
    from .data import DataTab
    from .export import ExportTab
    from .recommendations import RecommendationsTab
    from .start import StartTab

    classes: list[type] = [StartTab, DataTab, CustomersTab, RecommendationsTab, CompareTab,
                           ExportTab]
    for module, name in OPTIONAL_TABS:
        try:
            classes.append(getattr(importlib.import_module(f"{__name__}.{module}"), name))
        except (ImportError, AttributeError):
            continue

    def rank(cls: type) -> tuple[int, int]:
        key = tab_key(cls)
        return (TAB_ORDER.index(key) if key in TAB_ORDER else len(TAB_ORDER),
                getattr(cls, "order", 100))

    return sorted(classes, key=rank)


def create_tabs(session: Session) -> list[Tab]:
    """Every tab for ``session``, in order."""
    return [cls(session) for cls in fixed_tab_classes()]
