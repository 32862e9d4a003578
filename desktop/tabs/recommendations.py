"""Recommendations tab: choose how lists are made, learn, and read any customer's list.

Left, every registered strategy in plain words — its name, one sentence, "recommended" on the one
we suggest, "learned" once it has lists — with no strategy-specific code, so a plugin's strategy
appears here by registering. Right, the chosen strategy's page
(:class:`~shoprec.desktop.tabs.strategy.StrategyTab`), built the first time it is chosen. The
choice is remembered in the workspace (``desktop.strategy``); Compare's "Use this strategy" sets it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from shoprec.core.store.runs import latest_run

from ..texts import RECOMMENDED, strategy_description, strategy_title
from ..widgets import EmptyState
from .base import Tab
from .strategy import StrategyTab, family_rank

CHOSEN_SETTING = "desktop.strategy"


class RecommendationsTab(Tab):
    key = "recommendations"
    title = "Recommendations"
    tooltip = "Choose how lists are made, let ShopRec learn, and read each customer's list"
    order = 40

    def label(self) -> str:
        return self.tr("Recommendations")

    def hint(self) -> str:
        return self.tr("Choose how lists are made, let ShopRec learn, and read each "
                       "customer's list")

    def __init__(self, session, parent=None) -> None:  # noqa: ANN001
        super().__init__(session, parent)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 6, 0)
        left_layout.addWidget(self.heading(
            self.tr("How to choose products"),
            self.tr("Pick a method; each learns from your shop's own history. Compare them in "
                    "the Compare tab.")))
        self.picker = QListWidget()
        self.picker.setWordWrap(True)
        self.picker.setSpacing(2)
        self.picker.setMinimumWidth(230)
        self.picker.currentItemChanged.connect(lambda *_: self._picked())
        left_layout.addWidget(self.picker, 1)
        self.pages = QStackedWidget()
        self.empty = EmptyState(self.tr("No methods are installed (see Help → Plugins)."))
        self.pages.addWidget(self.empty)
        self.panels: dict[str, StrategyTab] = {}
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 1000])
        self.outer.addWidget(splitter, 1)
        self.specs: list[Any] = []
        self._loaded = False  # the strategies are read on first use (they import torch)

    # -- the choice ---------------------------------------------------------------------------
    def _ensure_loaded(self) -> None:
        if not self._loaded:
            self._loaded = True
            self.specs = sorted(self.session.strategy_specs(), key=family_rank)
            self._fill_picker()

    def _fill_picker(self) -> None:
        self.picker.blockSignals(True)
        self.picker.clear()
        for spec in self.specs:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, spec.name)
            item.setToolTip(strategy_description(spec))
            self.picker.addItem(item)
        self.picker.blockSignals(False)
        self._label_items()
        chosen = self.chosen_name()
        names = [s.name for s in self.specs]
        if names:
            self.picker.setCurrentRow(names.index(chosen) if chosen in names else 0)

    def _label_items(self) -> None:
        learned = self.session.cached("learned_strategies", lambda: {
            s.name for s in self.specs if latest_run(self.session.ws, s.name) is not None})
        for i in range(self.picker.count()):
            item = self.picker.item(i)
            spec = self.specs[i]
            tags = []
            if spec.name == RECOMMENDED:
                tags.append(self.tr("★ recommended"))
            if spec.name in learned:
                tags.append(self.tr("✓ learned"))
            head = strategy_title(spec) + (f"  ({', '.join(tags)})" if tags else "")
            item.setText(f"{head}\n{strategy_description(spec)}")
            font = item.font()
            font.setBold(spec.name == RECOMMENDED)
            item.setFont(font)

    def chosen_name(self) -> str:
        """The strategy the shop uses: the remembered choice, else the recommended one."""
        stored = self.session.ws.get_setting(CHOSEN_SETTING)
        names = [s.name for s in self.specs]
        if stored in names:
            return stored
        return RECOMMENDED if RECOMMENDED in names else (names[0] if names else "")

    def choose(self, name: str, remember: bool = True) -> StrategyTab | None:
        """Show strategy ``name`` (and remember it as the shop's choice)."""
        self._ensure_loaded()
        names = [s.name for s in self.specs]
        if name not in names:
            return None
        if remember:
            self.session.ws.set_setting(CHOSEN_SETTING, name)
        self.picker.setCurrentRow(names.index(name))
        return self.panels.get(name)

    def _picked(self) -> None:
        item = self.picker.currentItem()
        if item is None:
            self.pages.setCurrentWidget(self.empty)
            return
        panel = self.panel(item.data(Qt.ItemDataRole.UserRole))
        self.pages.setCurrentWidget(panel)
        panel.ensure_fresh()

    def panel(self, name: str) -> StrategyTab:
        """The page of strategy ``name``, built the first time it is needed."""
        self._ensure_loaded()
        if name not in self.panels:
            spec = next(s for s in self.specs if s.name == name)
            panel = StrategyTab(self.session, spec)
            self.panels[name] = panel
            self.pages.addWidget(panel)
        return self.panels[name]

    def current_panel(self) -> StrategyTab | None:
        widget = self.pages.currentWidget()
        return widget if isinstance(widget, StrategyTab) else None

    # -- refreshing ---------------------------------------------------------------------------
    def refresh(self) -> None:
        self._ensure_loaded()
        for panel in self.panels.values():
            panel.stale = True
        self._label_items()
        if not self.specs:
            self.pages.setCurrentWidget(self.empty)
            return
        panel = self.current_panel()
        if panel is not None:
            panel.ensure_fresh()

    def all_jobs(self) -> list[Any]:
        return [job for panel in self.panels.values() for job in panel.jobs]



