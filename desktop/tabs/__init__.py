"""The main window's tabs, one module each; :func:`create_tabs` builds them in order.

Fixed tabs (Data, Customers, Compare, Export, Plugins) plus one strategy tab per
:class:`~shoprec.core.strategy.StrategySpec` the plugins register, placed after Customers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..session import Session
    from .base import Tab


def fixed_tab_classes() -> list[type[Tab]]:
    """The tabs every workspace has, sorted by their ``order`` attribute."""
    from .compare import CompareTab
    from .customers import CustomersTab
    from .data import DataTab
    from .export import ExportTab
    from .plugins import PluginsTab

    return sorted([DataTab, CustomersTab, CompareTab, ExportTab, PluginsTab], key=lambda c: c.order)


def create_tabs(session: Session) -> list[Tab]:
    """Every tab for ``session``: fixed tabs, with the strategy tabs at order 50."""
    from .strategy import StrategyTab, family_rank

    tabs: list[Tab] = [cls(session) for cls in fixed_tab_classes()]
    for spec in sorted(session.strategy_specs(), key=family_rank):
        tabs.append(StrategyTab(session, spec))
    return sorted(tabs, key=lambda t: t.order)
