"""Plugins tab: every plugin ShopRec found, where it came from, and whether it works.

Mirrors ``shoprec plugins``: name, kind (format / strategy / exporter), source (built-in, entry
point, path), version, status (ok / failed / disabled) and the error of a failed plugin. Failed
plugins are listed first and tinted, so a broken third-party plugin is easy to spot.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
)

from .. import style
from ..models import RowsTableModel
from .base import Tab


class _PluginsModel(RowsTableModel):
    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and index.isValid():
            status = self.rows[index.row()][4]
            if status == "failed":
                return QBrush(QColor("#5a2420" if style.is_dark() else "#fdecea"))
            return None
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid():
            if self.rows[index.row()][4] == "disabled":
                return QBrush(QColor(style.muted()))
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid() and index.column() == 5:
            return self.rows[index.row()][5] or None
        return super().data(index, role)


class PluginsTab(Tab):
    """The plugin list, shown in Help → Plugins."""

    key = "plugins"
    title = "Plugins"
    tooltip = "Strategies, exporters and import formats, built in or installed"
    order = 90

    def label(self) -> str:
        return self.tr("Plugins")

    def __init__(self, session, parent=None) -> None:  # noqa: ANN001
        super().__init__(session, parent)
        self.outer.addWidget(
            self.heading(
                self.tr("Plugins"),
                self.tr("Built-in features and installed add-ons work the same way. A plugin "
                        "that fails is listed with its error; the rest keep working."),
            )
        )
        self.summary = QLabel()
        self.outer.addWidget(self.summary)
        self.model = _PluginsModel((self.tr("Name"), self.tr("Kind"), self.tr("Source"),
                                    self.tr("Version"), self.tr("Status"), self.tr("Error")))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.outer.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.toggle_button = QPushButton(self.tr("Disable"))
        self.toggle_button.setToolTip(self.tr(
            "Switch the selected plugin off (or on again) for this workspace; tabs are rebuilt"))
        self.toggle_button.clicked.connect(self.toggle_selected)
        self.toggle_button.setEnabled(False)
        row.addWidget(self.toggle_button)
        row.addStretch(1)
        self.outer.addLayout(row)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selection_changed())

    def selected(self) -> tuple | None:
        index = self.table.currentIndex()
        return self.model.row(index.row()) if index.isValid() else None

    def _selection_changed(self) -> None:
        row = self.selected()
        self.toggle_button.setEnabled(row is not None)
        self.toggle_button.setText(self.tr("Enable") if row is not None and row[4] == "disabled"
                                   else self.tr("Disable"))

    def toggle_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        name, enable = row[0], row[4] == "disabled"
        try:
            self.session.set_plugin_enabled(name, enable)
        except Exception as exc:  # noqa: BLE001
            self.message.show_error(self.tr("Could not switch {name}: {error}").format(
                name=name, error=exc))
            return
        self.status((self.tr("Plugin {name} enabled") if enable
                     else self.tr("Plugin {name} disabled")).format(name=name))

    def rows(self) -> list[tuple[str, str, str, str, str, str]]:
        order = {"failed": 0, "ok": 1, "disabled": 2}
        infos = sorted(
            self.session.pm.plugin_infos(), key=lambda i: (order.get(i.status, 3), i.name)
        )
        return [
            (i.name, ", ".join(i.kinds) or "—", i.source, i.version, i.status, i.error)
            for i in infos
        ]

    def refresh(self) -> None:
        # Strategy/exporter hooks may record failures lazily; collect them before listing.
        for hook in ("shoprec_strategies", "shoprec_exporters", "shoprec_import_formats"):
            self.session.specs(hook)
        rows = self.rows()
        self.model.set_rows(rows)
        failed = sum(1 for r in rows if r[4] == "failed")
        ok = sum(1 for r in rows if r[4] == "ok")
        text = self.tr("{n} plugins loaded").format(n=ok)
        if failed:
            text += (f", <span style='color:{style.bad()}'><b>"
                     + self.tr("{n} failed").format(n=failed) + "</b></span> "
                     + self.tr("(hover the error for details)"))
        disabled = sum(1 for r in rows if r[4] == "disabled")
        if disabled:
            text += ", " + self.tr("{n} disabled").format(n=disabled)
        self.summary.setText(text if rows else self.tr("No plugins found."))
