"""Export tab (placeholder until exporters land)."""

from __future__ import annotations

from ..widgets import EmptyState
from .base import Tab


class ExportTab(Tab):
    title = "Export"
    tooltip = "Write recommendation lists for your shop or e-mail tool"
    order = 80

    def __init__(self, session, parent=None) -> None:  # noqa: ANN001
        super().__init__(session, parent)
        self.outer.addWidget(EmptyState("Exporting is not available yet."), 1)
