"""Start tab: the first page. Open the demo shop, import your exports (button or drop them on
the window), or open a workspace; recent workspaces; and, once there is data, what to do next.

The tab only asks; the main window does the work (:attr:`Session.action_requested`), so the
same actions behave the same from the menus, the keyboard and a drop.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
)

from .. import settings, style
from ..models import fmt_number
from .base import Tab


class StartTab(Tab):
    key = "start"
    title = "Start"
    tooltip = "Begin here: the demo shop, your own exports, or a saved workspace"
    order = 5

    def label(self) -> str:
        return self.tr("Start")

    def hint(self) -> str:
        return self.tr("Begin here: the demo shop, your own exports, or a saved workspace")

    def __init__(self, session, parent=None) -> None:  # noqa: ANN001
        super().__init__(session, parent)
        self.outer.addWidget(self.heading(
            self.tr("Welcome to ShopRec"),
            self.tr("Suggest the right products to each of your customers, learned from your "
                    "shop's own exports. Everything stays on this computer.")))
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.state.setTextFormat(Qt.TextFormat.RichText)
        self.outer.addWidget(self.state)

        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        self.demo_button = self._big_button(self.tr("Open the demo shop"))
        self.import_button = self._big_button(self.tr("Import my shop's exports…"))
        self.open_button = self._big_button(self.tr("Open a workspace…"))
        captions = (
            self.tr("A made-up shop with products, customers and orders, to try everything "
                    "first. It gets its own workspace."),
            self.tr("Orders, products or customers exported from Shopify, WooCommerce, Square, "
                    "Etsy, PrestaShop, Magento or a plain list. You can also drop the files "
                    "anywhere on this window."),
            self.tr("A ShopRec workspace file saved before (.shoprec)."),
        )
        for col, (button, caption) in enumerate(zip(
                (self.demo_button, self.import_button, self.open_button), captions, strict=True)):
            grid.addWidget(button, 0, col)
            label = QLabel(caption)
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            label.setStyleSheet(f"color:{style.muted()};")
            grid.addWidget(label, 1, col)
            grid.setColumnStretch(col, 1)
        self.demo_button.clicked.connect(lambda: session.action_requested.emit("demo"))
        self.import_button.clicked.connect(lambda: session.action_requested.emit("import"))
        self.open_button.clicked.connect(lambda: session.action_requested.emit("open"))
        self.outer.addLayout(grid)

        self.next_steps = QLabel()
        self.next_steps.setWordWrap(True)
        self.next_steps.setTextFormat(Qt.TextFormat.RichText)
        self.outer.addWidget(self.next_steps)

        recent_box = QGroupBox(self.tr("Recent workspaces"))
        recent_layout = QVBoxLayout(recent_box)
        self.recent_list = QListWidget()
        self.recent_list.setToolTip(self.tr("Double-click to open"))
        self.recent_list.itemActivated.connect(self._open_recent)
        self.recent_empty = QLabel(self.tr("None yet: workspaces you open are listed here."))
        self.recent_empty.setStyleSheet(f"color:{style.muted()};")
        recent_layout.addWidget(self.recent_list)
        recent_layout.addWidget(self.recent_empty)
        self.recent_list.setMaximumHeight(180)
        self.outer.addWidget(recent_box)
        self.outer.addStretch(1)

    def _big_button(self, text: str) -> QPushButton:
        button = QPushButton(text)
        button.setMinimumHeight(44)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        button.setStyleSheet("font-weight:bold; font-size:13px; padding:8px 14px;")
        return button

    def _open_recent(self, item: QListWidgetItem) -> None:
        self.session.action_requested.emit("open:" + item.data(Qt.ItemDataRole.UserRole))

    def refresh(self) -> None:
        info = self.session.info()
        name = html.escape(self.session.path.name)
        if info["events"] == 0 and info["items"] == 0:
            self.state.setText(self.tr("The workspace <b>{name}</b> is empty: start with the "
                                       "demo shop or your own exports.").format(name=name))
            self.next_steps.setText("")
        else:
            self.state.setText(self.tr(
                "<b>{name}</b>: {customers} customers · {items} products · {events} "
                "events").format(name=name, customers=fmt_number(info["customers"]),
                                 items=fmt_number(info["items"]),
                                 events=fmt_number(info["events"])))
            runs = self.session.ws.count("runs")
            steps = (self.tr("Next: open <b>Recommendations</b> and let ShopRec learn from your "
                             "shop; then check the lists in <b>Customers</b>.") if runs == 0
                     else self.tr("Lists are ready. See them in <b>Customers</b>, check which "
                                  "method works best in <b>Compare</b>, and write them out in "
                                  "<b>Export</b>."))
            self.next_steps.setText(steps)
        self.recent_list.clear()
        current = str(self.session.path)
        for path in settings.recent_workspaces():
            if path == current:
                continue
            item = QListWidgetItem(f"{Path(path).name}   —   {Path(path).parent}")
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(path)
            self.recent_list.addItem(item)
        has_recent = self.recent_list.count() > 0
        self.recent_list.setVisible(has_recent)
        self.recent_empty.setVisible(not has_recent)
