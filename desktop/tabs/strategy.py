"""Strategy tab (placeholder until the engine lands)."""

from __future__ import annotations

from typing import Any

from ..forms import ParamsForm
from .base import Tab


class StrategyTab(Tab):
    title = "Strategy"
    order = 50

    def __init__(self, session, spec: Any, parent=None) -> None:  # noqa: ANN001
        self.spec = spec
        self.title = spec.title  # type: ignore[misc]
        self.tooltip = spec.description  # type: ignore[misc]
        super().__init__(session, parent)
        self.form = ParamsForm(spec.params)
        self.outer.addWidget(self.form)
        self.outer.addStretch(1)
