"""Campaigns tab: pick products (or a reminder / win-back), see the audience, create, export, report.

Everything runs through :mod:`shoprec.core.shop.campaigns` on worker threads: ``preview`` (who, with
probability and reason, the expected buyers against random customers and the difference the
campaign can detect), ``create`` (stores the audience with a seeded random holdout),
``export_campaign`` (the send group only) and ``report`` (send against holdout after the next
import, drawn as two bars with their 95 % intervals).
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..widgets import ProgressPanel
from ..worker import Job, start_in_workspace
from .base import Tab

SHOWN_ROWS = 500  # audience rows listed (the whole audience is stored and exported)


class SendHoldoutChart(QWidget):
    """Two bars, the buying rate of the e-mailed and of the held-back customers, with their
    95 % intervals as whiskers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(260, 150)
        self.bars: list[tuple[str, float, float, float]] = []  # label, rate, low, high

    def set_report(self, rep: dict[str, Any] | None) -> None:
        self.bars = []
        if rep:
            for label, key in ((self.tr("E-mailed"), "treated"), (self.tr("Held back"), "holdout")):
                g = rep[key]
                lo, hi = g["rate_ci95"]
                self.bars.append((label, g["rate"], lo, hi))
        self.update()

    def paintEvent(self, _event: Any) -> None:  # noqa: N802  (Qt's name)
        if not self.bars:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text = pal.color(pal.ColorRole.WindowText)
        w, h = self.width(), self.height()
        top, bottom, left = 10, h - 24, 46
        top_rate = max(max(b[3] for b in self.bars), 0.01) * 1.1
        p.setPen(QPen(text))
        p.drawLine(left, bottom, w - 8, bottom)
        p.drawText(QRectF(0, top - 6, left - 4, 14), Qt.AlignmentFlag.AlignRight,
                   f"{top_rate * 100:.1f} %")
        p.drawText(QRectF(0, bottom - 8, left - 4, 14), Qt.AlignmentFlag.AlignRight, "0 %")
        slot = (w - left - 8) / len(self.bars)
        colours = (QColor("#2e7d32"), QColor("#9e9e9e"))
        for n, (label, rate, lo, hi) in enumerate(self.bars):
            x = left + n * slot + slot * 0.25

            def y(v: float) -> float:
                return bottom - (bottom - top) * v / top_rate

            p.fillRect(QRectF(x, y(rate), slot * 0.5, bottom - y(rate)), colours[n % 2])
            mid = x + slot * 0.25
            p.setPen(QPen(text, 1.5))
            p.drawLine(int(mid), int(y(lo)), int(mid), int(y(hi)))
            p.drawLine(int(mid - 6), int(y(lo)), int(mid + 6), int(y(lo)))
            p.drawLine(int(mid - 6), int(y(hi)), int(mid + 6), int(y(hi)))
            p.drawText(QRectF(x - slot * 0.2, bottom + 4, slot * 0.9, 16),
                       Qt.AlignmentFlag.AlignCenter, f"{label} {rate * 100:.1f} %")
        p.end()


class CampaignsTab(Tab):
    title = "Campaigns"
    tooltip = "E-mail the customers most likely to buy, and see afterwards whether it worked"
    order = 75

    KINDS = ("items", "reorder", "winback")

    def __init__(self, session, parent=None) -> None:  # noqa: ANN001
        super().__init__(session, parent)
        self.outer.addWidget(self.heading(
            self.tr("Campaigns"),
            self.tr("Choose who gets an e-mail about a product, a reorder reminder or a win-back. "
                    "A random share is held back; after your next import the report compares "
                    "those who got the e-mail with those who did not.")))
        self.preview_result: Any = None
        self.report_result: dict[str, Any] | None = None
        self.job: Job | None = None

        # -- the audience form ----------------------------------------------------------------
        form_box = QGroupBox(self.tr("New campaign"))
        form = QFormLayout(form_box)
        self.kind_combo = QComboBox()
        for kind, label in zip(self.KINDS, (self.tr("Products: customers likely to buy them"),
                                            self.tr("Reorder reminder: customers due to buy again"),
                                            self.tr("Win-back: customers away unusually long")),
                               strict=True):
            self.kind_combo.addItem(label, kind)
        self.kind_combo.currentIndexChanged.connect(lambda _i: self._kind_changed())
        form.addRow(self.tr("Kind"), self.kind_combo)
        self.items_edit = QLineEdit()
        self.items_edit.setPlaceholderText(self.tr("SKUs or product ids, separated by commas"))
        form.addRow(self.tr("Products"), self.items_edit)
        self.category_edit = QLineEdit()
        self.category_edit.setPlaceholderText(self.tr("or a category, e.g. Coffee > Beans"))
        form.addRow(self.tr("Category"), self.category_edit)
        self.size_spin = QSpinBox()
        self.size_spin.setRange(0, 1_000_000)
        self.size_spin.setValue(500)
        self.size_spin.setSpecialValueText(self.tr("everyone who fits"))
        self.size_spin.setToolTip(self.tr("At most this many customers, the likeliest first"))
        form.addRow(self.tr("Customers"), self.size_spin)
        self.min_prob_spin = QDoubleSpinBox()
        self.min_prob_spin.setRange(0.0, 100.0)
        self.min_prob_spin.setSuffix(" %")
        self.min_prob_spin.setToolTip(self.tr("Only customers at least this likely to buy"))
        form.addRow(self.tr("At least"), self.min_prob_spin)
        self.holdout_spin = QSpinBox()
        self.holdout_spin.setRange(0, 90)
        self.holdout_spin.setValue(20)
        self.holdout_spin.setSuffix(" %")
        self.holdout_spin.setToolTip(self.tr(
            "Kept back at random and not e-mailed, to compare with. Without them nobody can "
            "tell whether the e-mail made a difference."))
        self.holdout_spin.valueChanged.connect(lambda _v: self._show_plan())
        form.addRow(self.tr("Hold back"), self.holdout_spin)
        self.window_spin = QSpinBox()
        self.window_spin.setRange(1, 120)
        self.window_spin.setValue(14)
        self.window_spin.setSuffix(self.tr(" days"))
        self.window_spin.setToolTip(self.tr("How long after sending a purchase counts"))
        form.addRow(self.tr("Count purchases for"), self.window_spin)
        self.preview_button = QPushButton(self.tr("Show audience"))
        self.preview_button.clicked.connect(self.show_audience)
        form.addRow(self.preview_button)

        # -- the audience -----------------------------------------------------------------------
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Customer"), self.tr("Chance"), self.tr("Why")])
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        create_row = QHBoxLayout()
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("Campaign name, e.g. espresso-may"))
        self.create_button = QPushButton(self.tr("Create campaign"))
        self.create_button.setEnabled(False)
        self.create_button.clicked.connect(self.create_campaign)
        create_row.addWidget(self.name_edit, 1)
        create_row.addWidget(self.create_button)
        audience_panel = QWidget()
        audience_layout = QVBoxLayout(audience_panel)
        audience_layout.setContentsMargins(0, 0, 0, 0)
        audience_layout.addWidget(self.summary)
        audience_layout.addWidget(self.table, 1)
        audience_layout.addLayout(create_row)

        # -- stored campaigns -------------------------------------------------------------------
        stored_box = QGroupBox(self.tr("Your campaigns"))
        stored = QVBoxLayout(stored_box)
        self.campaign_list = QListWidget()
        self.campaign_list.currentItemChanged.connect(lambda *_: self._campaign_changed())
        stored.addWidget(self.campaign_list, 1)
        export_row = QHBoxLayout()
        self.exporter_combo = QComboBox()
        self.export_button = QPushButton(self.tr("Export send group…"))
        self.export_button.setToolTip(self.tr(
            "Write the customers to e-mail (never those held back) for your e-mail tool"))
        self.export_button.clicked.connect(self.export_campaign)
        export_row.addWidget(self.exporter_combo, 1)
        export_row.addWidget(self.export_button)
        stored.addLayout(export_row)
        self.report_button = QPushButton(self.tr("Report"))
        self.report_button.setToolTip(self.tr(
            "Compare the e-mailed customers with those held back, from the orders imported so far"))
        self.report_button.clicked.connect(self.show_report)
        stored.addWidget(self.report_button)
        self.report_label = QLabel()
        self.report_label.setWordWrap(True)
        self.report_label.setTextFormat(Qt.TextFormat.RichText)
        stored.addWidget(self.report_label)
        self.chart = SendHoldoutChart()
        stored.addWidget(self.chart)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(form_box)
        left_layout.addWidget(stored_box, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(audience_panel)
        splitter.setSizes([380, 700])
        self.outer.addWidget(splitter, 1)
        self.progress = ProgressPanel()
        self.outer.addWidget(self.progress)
        self._kind_changed()
        self._update_buttons()

    # -- state ------------------------------------------------------------------------------------
    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def _kind_changed(self) -> None:
        items = self.kind() == "items"
        self.category_edit.setEnabled(items)
        self.items_edit.setPlaceholderText(
            self.tr("SKUs or product ids, separated by commas") if items
            else self.tr("optional: only these products"))
        self.items_edit.setEnabled(self.kind() != "winback")

    def _update_buttons(self) -> None:
        idle = self.job is None
        self.preview_button.setEnabled(idle)
        self.create_button.setEnabled(idle and self.preview_result is not None
                                      and self.preview_result.audience.size > 0)
        chosen = self.campaign_list.currentItem() is not None
        self.export_button.setEnabled(idle and chosen and self.exporter_combo.count() > 0)
        self.report_button.setEnabled(idle and chosen)

    def refresh(self) -> None:
        from shoprec.core.shop.campaigns import list_campaigns
        from shoprec.core.shop.exporting import campaign_exporters

        from ..texts import campaign_exporter_description, campaign_exporter_title

        if self.exporter_combo.count() == 0:
            for spec in campaign_exporters(self.session.pm).values():
                self.exporter_combo.addItem(campaign_exporter_title(spec), spec.name)
                self.exporter_combo.setItemData(self.exporter_combo.count() - 1,
                                                campaign_exporter_description(spec),
                                                Qt.ItemDataRole.ToolTipRole)
        current = self.selected_campaign()
        self.campaign_list.clear()
        kinds = {"items": self.tr("products"), "reorder": self.tr("reorder reminder"),
                 "winback": self.tr("win-back")}
        states = {"created": self.tr("created"), "exported": self.tr("exported"),
                  "running": self.tr("running"), "ready to report": self.tr("ready to report")}
        for c in list_campaigns(self.session.ws):
            text = self.tr("{name} · {kind} · {send} to send, {hold} held back · {state}").format(
                name=c["name"], kind=kinds.get(c["kind"], c["kind"]), send=c["sizes"]["send"],
                hold=c["sizes"]["holdout"], state=states.get(c["state"], c["state"]))
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, c["name"])
            self.campaign_list.addItem(item)
            if c["name"] == current:
                self.campaign_list.setCurrentItem(item)
        self._update_buttons()

    def selected_campaign(self) -> str | None:
        item = self.campaign_list.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def _campaign_changed(self) -> None:
        self.report_label.setText("")
        self.chart.set_report(None)
        self._update_buttons()

    def _run(self, job: Job, text: str) -> Job:
        self.job = self.track(job)
        self.progress.attach(job, text)
        job.finished.connect(self._done)
        self._update_buttons()
        return job

    def _done(self) -> None:
        self.job = None
        self._update_buttons()

    # -- audience ---------------------------------------------------------------------------------
    def show_audience(self) -> None:
        from shoprec.core.shop.campaigns import preview

        items = [s.strip() for s in self.items_edit.text().split(",") if s.strip()]
        size = self.size_spin.value() or None
        job = start_in_workspace(
            self.session.path, preview, self.kind(), item_ids=items,
            category=self.category_edit.text().strip(), size=size,
            min_probability=self.min_prob_spin.value() / 100.0,
            window_days=float(self.window_spin.value()), label="audience")
        job.succeeded.connect(self._audience_ready)
        self._run(job, self.tr("Choosing customers…"))

    def _audience_ready(self, chosen: Any) -> None:
        self.preview_result = chosen
        aud = chosen.audience
        self.table.setRowCount(min(aud.size, SHOWN_ROWS))
        for row, m in enumerate(aud.members[:SHOWN_ROWS]):
            self.table.setItem(row, 0, QTableWidgetItem(m.customer_id))
            chance = QTableWidgetItem(f"{m.probability * 100:.1f} %")
            chance.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 1, chance)
            self.table.setItem(row, 2, QTableWidgetItem(m.reason))
        self._show_plan()
        self._update_buttons()

    def _show_plan(self) -> None:
        chosen = self.preview_result
        if chosen is None:
            return
        aud = chosen.audience
        if not aud.size:
            self.summary.setText(self.tr("Nobody fits this audience: loosen the limits."))
            return
        plan = chosen.plan(self.holdout_spin.value() / 100.0)
        ratio = aud.expected / aud.random_expected if aud.random_expected > 0 else None
        lines = [self.tr("<b>{n} customers</b>: about {e} of them are expected to buy.").format(
            n=f"{aud.size:,}", e=f"{aud.expected:,.1f}")]
        if ratio is not None:
            lines.append(self.tr("The same number of random customers: about {r} (this audience: "
                                 "{x} times as many).")
                         .format(r=f"{aud.random_expected:,.1f}", x=f"{ratio:.1f}"))
        if plan.detectable is not None:
            lines.append(self.tr(
                "Sending to {s} and holding back {h}, the report can tell an effect of {d} "
                "percentage points or more (about {b} extra buyers) in 8 campaigns out of 10.")
                .format(s=f"{plan.send:,}", h=f"{plan.holdout:,}",
                        d=f"{plan.detectable * 100:.1f}", b=f"{plan.detectable_buyers:,.0f}"))
        else:
            lines.append(self.tr("With nobody held back, the report cannot tell whether the "
                                 "e-mail made a difference."))
        lines.append("<span style='color:#666'>" + html.escape(
            self.tr("Chance: {event}.").format(event=aud.event)) + "</span>")
        self.summary.setText("<br>".join(lines))

    # -- create, export, report -------------------------------------------------------------------
    def create_campaign(self) -> None:
        from shoprec.core.shop.campaigns import create

        name = self.name_edit.text().strip()
        if not name:
            self.message.show_error(self.tr("Give the campaign a name first."))
            return
        job = start_in_workspace(self.session.path, create, name, self.preview_result,
                                 holdout=self.holdout_spin.value() / 100.0, label="campaign")
        job.succeeded.connect(self._created)
        self._run(job, self.tr("Storing the campaign…"))

    def _created(self, campaign: Any) -> None:
        self.message.show_ok(self.tr(
            "Campaign {name} stored: {send} to e-mail, {hold} held back. Export the send group "
            "for your e-mail tool.").format(name=campaign.name, send=campaign.sizes["send"],
                                             hold=campaign.sizes["holdout"]))
        self.stale = False
        self.refresh()
        for i in range(self.campaign_list.count()):
            if self.campaign_list.item(i).data(Qt.ItemDataRole.UserRole) == campaign.name:
                self.campaign_list.setCurrentRow(i)

    def export_campaign(self, path: str | None = None) -> None:
        from shoprec.core.shop.campaigns import export_campaign

        name = self.selected_campaign()
        exporter = self.exporter_combo.currentData()
        if name is None or exporter is None:
            return
        if not path:
            suggested = str(self.session.path.parent / f"{name}-{exporter}.csv")
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export send group"), suggested,
                                                  self.tr("CSV files (*.csv)"))
            if not path:
                return
        job = start_in_workspace(self.session.path, export_campaign, name, exporter, Path(path),
                                 label="export")
        job.succeeded.connect(lambda r: self.message.show_ok(self.tr(
            "Wrote {path}: {rows} customers to e-mail.").format(path=r["path"], rows=r["rows"])))
        job.succeeded.connect(lambda _r: self.refresh())
        self._run(job, self.tr("Writing the file…"))

    def show_report(self) -> None:
        from shoprec.core.shop.campaigns import report

        name = self.selected_campaign()
        if name is None:
            return
        job = start_in_workspace(self.session.path, report, name, label="report")
        job.succeeded.connect(self._report_ready)
        self._run(job, self.tr("Counting purchases…"))

    def _report_ready(self, rep: dict[str, Any]) -> None:
        self.report_result = rep
        t, h = rep["treated"], rep["holdout"]
        lo, hi = rep["lift"]["ci95"]
        lines = [
            "<b>" + html.escape(rep["verdict"][0].upper() + rep["verdict"][1:]) + "</b>",
            self.tr("E-mailed: {b} of {n} bought · held back: {hb} of {hn}").format(
                b=t["converted"], n=t["size"], hb=h["converted"], hn=h["size"]),
            self.tr("Difference {d} points (95 % interval {lo} to {hi}); in the whole shop "
                    "{base} % of customers bought.").format(
                d=f"{rep['lift']['difference'] * 100:+.1f}", lo=f"{lo * 100:+.1f}",
                hi=f"{hi * 100:+.1f}", base=f"{rep['base_rate'] * 100:.1f}"),
        ]
        self.report_label.setText("<br>".join(lines))
        self.chart.set_report(rep)
