"""Compare tab (placeholder until the engine's evaluate lands)."""

from __future__ import annotations

from ..widgets import EmptyState
from .base import Tab


class CompareTab(Tab):
    title = "Compare"
    tooltip = "Evaluate strategies side by side"
    order = 70

    def __init__(self, session, parent=None) -> None:  # noqa: ANN001
        super().__init__(session, parent)
        self.outer.addWidget(EmptyState("Evaluation is not available yet."), 1)
