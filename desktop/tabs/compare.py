"""Compare tab: measure methods side by side the same honest way, say which is best, use it.

Runs :func:`shoprec.core.engine.evaluate` on a worker thread (leave-one-out or a temporal split,
full ranking over the whole catalogue, already-seen items excluded). The answer comes first in
words — "X puts the product a customer chose next in their top 10 for 1 in 7 customers, twice as
often as Best sellers" — with a button that makes the selected method the shop's (it then feeds
Recommendations and Export). The metrics stay visible below for the curious (hit rate, NDCG,
recall, MRR at K, coverage, variety, calibration error, timings; the best of each in bold), and
selecting a row draws its reliability diagram. The last report is kept in the workspace.

Why one module: one page: its widgets, the verdict in words, the table and the diagram read
the same report object and its slots; split, each part would reach into the others' widgets.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from shoprec.core.store import queries
from shoprec.core.store.runs import latest_run

from .. import style
from ..models import RowsTableModel, fmt_number
from ..texts import strategy_description, strategy_title, strategy_title_by_name
from ..widgets import EmptyState, ProgressPanel, plain_tooltip
from ..worker import Job, start_in_workspace
from .base import Tab
from .data import fit_columns, make_table

LAST_REPORT_SETTING = "desktop.last_evaluation"
HEAVY_FAMILIES = ("sequential", "hybrid")  # unticked by default: minutes of training each
# ... unless their newest training took at most this long (the demo's one-minute transformer).
QUICK_TRAINING_S = 180.0
translate = QCoreApplication.translate


def _columns(k: int) -> list[tuple[str, str, str, bool]]:
    """(report key, header, tooltip, higher is better)."""
    def t(text: str) -> str:
        return text.replace("{k}", str(k))

    return [
        (f"hr@{k}", t(translate("CompareTab", "Hits in top {k}")),
         t(translate("CompareTab", "Share of customers whose next product is in their top {k} "
                                   "(HR@{k})")), True),
        (f"ndcg@{k}", t(translate("CompareTab", "Ranked hits @{k}")),
         translate("CompareTab", "Like hits, but a hit counts more the higher it is ranked "
                                 "(NDCG)"), True),
        (f"recall@{k}", t(translate("CompareTab", "Found in top {k}")),
         t(translate("CompareTab", "Share of each customer's next products found in the top "
                                   "{k} (recall)")), True),
        ("mrr", translate("CompareTab", "Rank score"),
         translate("CompareTab", "Mean reciprocal rank of the next product over the whole "
                                 "catalogue (MRR)"), True),
        ("coverage", translate("CompareTab", "Coverage"),
         translate("CompareTab", "Share of your products that appear in some list"), True),
        ("intra_list_diversity", translate("CompareTab", "Variety"),
         translate("CompareTab", "How different the products within a list are"), True),
        ("ece", translate("CompareTab", "Chance error"),
         translate("CompareTab", "How far the shown chances are from how often they came true "
                                 "(ECE; lower is better)"), False),
        ("train_seconds", translate("CompareTab", "Learning (s)"),
         translate("CompareTab", "Seconds to learn, the checking pass included"), False),
        ("score_seconds", translate("CompareTab", "Scoring (s)"),
         translate("CompareTab", "Seconds to rank the whole catalogue for every test customer"),
         False),
    ]


def verdict(report: dict[str, Any], titles: dict[str, str]) -> tuple[str | None, str]:
    """(best strategy, one or two sentences saying which is best and by how much)."""
    k = int(report["k"])
    key = f"hr@{k}"
    scored = [(res[key], name) for name, res in report["results"].items()
              if "error" not in res and isinstance(res.get(key), (int, float))]
    if not scored:
        return None, translate("CompareTab", "No method could be measured.")
    best_hr, best = max(scored, key=lambda t: t[0])  # a tie goes to the first measured
    title = titles.get(best, best)
    if best_hr <= 0:
        return None, translate(
            "CompareTab", "None of the methods put the product a customer chose next in their "
                          "top {k}. The shop may need more history.").format(k=k)
    one_in = max(1, round(1 / best_hr))
    text = translate("CompareTab", "{title} puts the product a customer chose next in their top "
                                   "{k} for 1 in {n} customers").format(title=title, k=k, n=one_in)
    baseline = "popularity" if best != "popularity" else None
    base = report["results"].get(baseline or "", {})
    base_hr = base.get(key) if isinstance(base, dict) and "error" not in base else None
    if len(scored) == 1 or not isinstance(base_hr, (int, float)):
        others = [(hr, n) for hr, n in scored if n != best]
        if others:
            base_hr, baseline = max(others, key=lambda t: t[0])
    if baseline and isinstance(base_hr, (int, float)):
        other = titles.get(baseline, baseline)
        if base_hr <= 0:
            text += translate("CompareTab", "; {other} never does.").format(other=other)
        else:
            ratio = best_hr / base_hr
            if ratio >= 1.95:
                times = (translate("CompareTab", "twice") if ratio < 2.5
                         else translate("CompareTab", "{x} times").format(x=f"{ratio:.0f}"
                                                                          if ratio >= 10
                                                                          else f"{ratio:.1f}"))
                text += translate("CompareTab", ", {times} as often as {other}.").format(
                    times=times, other=other)
            elif ratio > 1.05:
                text += translate("CompareTab", ", {pct} % more often than {other}.").format(
                    pct=f"{100 * (ratio - 1):.0f}", other=other)
            else:
                text += translate("CompareTab", ", about as often as {other}.").format(
                    other=other)
    else:
        text += "."
    cut = [titles.get(name, name) for name, res in report["results"].items()
           if "error" not in res and res.get("learning_cap_min")
           and (res.get("training") or {}).get("stopped") == "budget"]
    if cut:
        text += " " + translate(
            "CompareTab", "{names}: stopped learning early to fit the comparison's time, so it "
                          "may do better than shown here.").format(names=", ".join(cut))
    return best, text


class _ResultsModel(RowsTableModel):
    """Metrics rows; the best value of each metric column is bold."""

    def __init__(self) -> None:
        super().__init__((translate("CompareTab", "Method"),))
        self.best: dict[int, int] = {}
        self.errors: dict[int, str] = {}

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.FontRole and self.best.get(index.column()) == index.row():
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and index.row() in self.errors:
            return QColor(style.bad())
        if role == Qt.ItemDataRole.ToolTipRole and index.row() in self.errors:
            return self.errors[index.row()]
        return super().data(index, role)


def _value(res: dict[str, Any], key: str) -> Any:
    """A report value; ``train_seconds`` is the first fit plus the final pass."""
    if key == "train_seconds":
        fit = res.get("fit_seconds")
        return None if fit is None else fit + (res.get("update_seconds") or 0.0)
    return res.get(key)


def _fmt_metric(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, str):
        return v
    return f"{v:.4f}"


SHARES = ("hr@", "recall@", "coverage")  # shares of customers or products: read as percentages


def _fmt_share(v: Any) -> str:
    return _fmt_metric(v) if not isinstance(v, (int, float)) else f"{v:.1%}"


def _fmt_seconds(v: Any) -> str:
    return "—" if v is None else f"{v:.2f}"


class ReliabilityDiagram(QWidget):
    """Predicted score (x) against observed frequency (y) per bin; the diagonal is perfect.

    Bins are tenths of the listed items by score where the report has them: a shop's scores
    often all lie below 10 %, and equal-width bins would draw them as a single dot.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, float]] = []
        self.title = ""
        self.caption = translate("CompareTab", "chance shown")
        self.setMinimumSize(260, 240)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

    def set_table(self, title: str, rows: list[dict[str, float]] | None,
                  by_share: bool = False) -> None:
        self.title = title
        self.rows = [r for r in (rows or []) if r.get("count", 0) > 0]
        self.caption = (translate("CompareTab", "chance shown (a dot per tenth of the listed "
                                                "items)") if by_share
                        else translate("CompareTab", "chance shown"))
        self.update()

    def scale(self) -> float:
        """Upper end of both axes: calibrated shop scores are often all below 10%, and a
        diagram squeezed into the bottom-left corner would say nothing."""
        top = max([r["predicted"] for r in self.rows] + [r["observed"] for r in self.rows] + [0.0])
        for nice in (0.02, 0.05, 0.1, 0.2, 0.5, 1.0):
            if top <= nice * 0.95:
                return nice
        return 1.0

    def paintEvent(self, _event) -> None:  # noqa: ANN001
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.Text)
        grid = pal.color(QPalette.ColorRole.Mid)
        line = QColor(style.accent())
        p.fillRect(self.rect(), pal.color(QPalette.ColorRole.Base))
        m_left, m_top, m_right, m_bottom = 60, 26, 14, 36
        side = min(self.width() - m_left - m_right, self.height() - m_top - m_bottom)
        if side < 40:
            return
        plot = QRectF(m_left, m_top, side, side)
        scale = self.scale()
        p.setPen(QPen(text))
        p.drawText(QRectF(0, 2, self.width(), 20), Qt.AlignmentFlag.AlignCenter,
                   self.title or translate("CompareTab", "How true the chances are"))
        p.setPen(QPen(grid))
        p.drawRect(plot)
        for t in (0.25, 0.5, 0.75):
            p.drawLine(QPointF(plot.left() + t * side, plot.bottom()),
                       QPointF(plot.left() + t * side, plot.bottom() + 4))
            p.drawLine(QPointF(plot.left() - 4, plot.bottom() - t * side),
                       QPointF(plot.left(), plot.bottom() - t * side))
        p.setPen(QPen(grid, 1, Qt.PenStyle.DashLine))
        p.drawLine(plot.bottomLeft(), plot.topRight())
        p.setPen(QPen(text))
        small = QFont(p.font())
        small.setPointSizeF(max(6.0, small.pointSizeF() - 1))
        p.setFont(small)
        for t in (0.0, 0.5, 1.0):
            label = f"{t * scale:.0%}" if scale >= 0.1 else f"{t * scale:.1%}"
            p.drawText(QRectF(plot.left() + t * side - 24, plot.bottom() + 4, 48, 14),
                       Qt.AlignmentFlag.AlignCenter, label)
            p.drawText(QRectF(20, plot.bottom() - t * side - 7, m_left - 26, 14),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
        p.drawText(QRectF(0, plot.bottom() + 18, self.width(), 16),
                   Qt.AlignmentFlag.AlignCenter, self.caption)
        p.save()
        p.translate(12, plot.center().y())
        p.rotate(-90)
        p.drawText(QRectF(-side / 2, -8, side, 16), Qt.AlignmentFlag.AlignCenter,
                   translate("CompareTab", "came true"))
        p.restore()
        if not self.rows:
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter,
                       translate("CompareTab", "no chances to show"))
            return
        total = sum(r["count"] for r in self.rows) or 1.0

        def point(r: dict[str, float]) -> QPointF:
            x = min(r["predicted"] / scale, 1.0)
            y = min(r["observed"] / scale, 1.0)
            return QPointF(plot.left() + x * side, plot.bottom() - y * side)

        points = [point(r) for r in self.rows]
        p.setPen(QPen(line, 2))
        for a, b in zip(points, points[1:], strict=False):
            p.drawLine(a, b)
        p.setBrush(line)
        for pt, r in zip(points, self.rows, strict=True):
            radius = 2.5 + 5.0 * (r["count"] / total) ** 0.5  # dot area ~ share of scores
            p.drawEllipse(pt, radius, radius)


class CompareTab(Tab):
    key = "compare"
    title = "Compare"
    tooltip = "Measure strategies side by side on this shop's own data"
    order = 70

    def label(self) -> str:
        return self.tr("Compare")

    def hint(self) -> str:
        return self.tr("Which method suits your shop best, measured on your own customers")

    def __init__(self, session, parent=None) -> None:  # noqa: ANN001
        super().__init__(session, parent)
        self.outer.addWidget(self.heading(
            self.tr("Which method suits your shop?"),
            self.tr("Each method learns from the past and is checked on what customers really "
                    "did next (products a customer already has do not count).")))
        top = QHBoxLayout()
        pick_box = QGroupBox(self.tr("Methods"))
        pick_layout = QVBoxLayout(pick_box)
        self.strategy_list = QListWidget()
        self.strategy_list.setMaximumHeight(150)
        self._ticks_touched = False  # the shop owner changed a tick: keep their choice
        self.strategy_list.itemChanged.connect(self._tick_changed)
        pick_layout.addWidget(self.strategy_list)
        top.addWidget(pick_box, 2)

        options_box = QGroupBox(self.tr("How to test"))
        options = QFormLayout(options_box)
        self.protocol_combo = QComboBox()
        self.protocol_combo.addItem(self.tr("Guess each customer's last product"), "loo")
        self.protocol_combo.addItem(self.tr("Learn before a date, check after it"), "temporal")
        self.protocol_combo.currentIndexChanged.connect(self._protocol_changed)
        options.addRow(self.tr("Test"), self.protocol_combo)
        cut_row = QHBoxLayout()
        self.cutoff_check = QCheckBox(self.tr("Split at"))
        self.cutoff_check.setToolTip(self.tr(
            "Unticked: ShopRec picks a date that leaves enough to check"))
        self.cutoff_edit = QDateEdit()
        self.cutoff_edit.setCalendarPopup(True)
        self.cutoff_edit.setDisplayFormat("yyyy-MM-dd")
        self.cutoff_check.toggled.connect(self.cutoff_edit.setEnabled)
        cut_row.addWidget(self.cutoff_check)
        cut_row.addWidget(self.cutoff_edit, 1)
        self.cutoff_widget = QWidget()
        self.cutoff_widget.setLayout(cut_row)
        cut_row.setContentsMargins(0, 0, 0, 0)
        options.addRow(self.tr("Date"), self.cutoff_widget)
        self.k_spin = QSpinBox()
        self.k_spin.setRange(1, 100)
        self.k_spin.setValue(10)
        self.k_spin.setToolTip(self.tr("How many products of each list count"))
        options.addRow(self.tr("List length"), self.k_spin)
        self.users_spin = QSpinBox()
        self.users_spin.setRange(0, 10_000_000)
        self.users_spin.setSpecialValueText(self.tr("all customers"))
        self.users_spin.setSingleStep(500)
        self.users_spin.setToolTip(self.tr(
            "Test on a random sample of customers for a faster answer"))
        options.addRow(self.tr("Customers"), self.users_spin)
        top.addWidget(options_box, 3)
        self.outer.addLayout(top)

        run_row = QHBoxLayout()
        self.evaluate_button = QPushButton(self.tr("Compare"))
        self.evaluate_button.setStyleSheet("font-weight:bold; padding:6px 18px;")
        self.evaluate_button.setToolTip(self.tr("Learn and check the ticked methods (Ctrl+R)"))
        self.evaluate_button.setShortcut("Ctrl+R")
        self.evaluate_button.clicked.connect(self.evaluate)
        self.evaluate_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        run_row.addWidget(self.evaluate_button)
        self.progress = ProgressPanel()
        run_row.addWidget(self.progress, 1)
        run_row.addStretch(0)
        self.outer.addLayout(run_row)

        verdict_row = QHBoxLayout()
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setTextFormat(Qt.TextFormat.RichText)
        self.verdict.setStyleSheet("font-size:14px;")
        verdict_row.addWidget(self.verdict, 1)
        self.use_button = QPushButton(self.tr("Use this strategy"))
        self.use_button.setToolTip(self.tr(
            "Make the selected method the one your lists come from (Recommendations and "
            "Export)"))
        self.use_button.setStyleSheet("font-weight:bold; padding:6px 14px;")
        self.use_button.clicked.connect(self.use_selected)
        self.use_button.hide()
        verdict_row.addWidget(self.use_button, 0, Qt.AlignmentFlag.AlignTop)
        self.outer.addLayout(verdict_row)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.outer.addWidget(self.summary)
        self.best: str | None = None
        self.model = _ResultsModel()
        self.table = make_table(self.model, stretch_last=False)
        self.table.selectionModel().currentRowChanged.connect(self._row_selected)
        self.diagram = ReliabilityDiagram()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.diagram)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([820, 320])
        self.empty = EmptyState()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(splitter)
        self.outer.addWidget(self.stack, 1)

        self.report: dict[str, Any] | None = None
        self.job: Job | None = None
        self._filled = False  # the strategies are listed on first use (they import torch)
        self._protocol_changed()

    # -- setup -----------------------------------------------------------------------------
    def _fill_strategies(self) -> None:
        from .strategy import family_rank

        self.strategy_list.blockSignals(True)
        self.strategy_list.clear()
        for spec in sorted(self.session.strategy_specs(), key=family_rank):
            item = QListWidgetItem(strategy_title(spec))
            item.setData(Qt.ItemDataRole.UserRole, spec.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            self.strategy_list.addItem(item)
        self.strategy_list.blockSignals(False)
        self._describe_strategies()

    def _describe_strategies(self) -> None:
        """Tooltips (which settings Evaluate uses) and, until the shop owner ticks something
        themselves, the default ticks: everything but the strategies that train for minutes,
        which are ticked too when their newest training was quick."""
        specs = {s.name: s for s in self.session.strategy_specs()}
        chosen = self.session.ws.get_setting("desktop.strategy")
        newest = self.session.cached("compare_newest_runs", lambda: {
            name: latest_run(self.session.ws, name) for name in specs})
        self.strategy_list.blockSignals(True)
        for i in range(self.strategy_list.count()):
            item = self.strategy_list.item(i)
            spec = specs.get(item.data(Qt.ItemDataRole.UserRole))
            if spec is None:
                continue
            record = newest.get(spec.name)
            seconds = (sum(v for v in record.timings.values() if isinstance(v, (int, float)))
                       if record is not None else None)
            heavy = getattr(spec, "family", "") in HEAVY_FAMILIES
            if record is None:
                note = self.tr("Checked with its default settings (it has not learned here "
                               "yet).")
            else:
                note = self.tr("Checked with the settings it last learned with (run {run}, "
                               "{seconds} s).").format(run=record.id, seconds=f"{seconds:.0f}")
            if heavy and (seconds is None or seconds > QUICK_TRAINING_S):
                note += "\n" + self.tr("Takes minutes to learn: tick it when you have time.")
            item.setToolTip(plain_tooltip(f"{strategy_description(spec)}\n{note}"))
            if not self._ticks_touched:
                # The shop's chosen method is always measured, however long it learns.
                quick = seconds is not None and seconds <= QUICK_TRAINING_S
                item.setCheckState(Qt.CheckState.Checked if not heavy or quick
                                   or spec.name == chosen else Qt.CheckState.Unchecked)
        self.strategy_list.blockSignals(False)

    def _tick_changed(self, _item: QListWidgetItem) -> None:
        self._ticks_touched = True

    def _protocol_changed(self) -> None:
        temporal = self.protocol_combo.currentData() == "temporal"
        self.cutoff_widget.setEnabled(temporal)
        self.cutoff_edit.setEnabled(temporal and self.cutoff_check.isChecked())

    def chosen(self) -> list[str]:
        return [
            self.strategy_list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.strategy_list.count())
            if self.strategy_list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def set_chosen(self, names: list[str]) -> None:
        self._ticks_touched = True
        for i in range(self.strategy_list.count()):
            item = self.strategy_list.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole)
                               in names else Qt.CheckState.Unchecked)

    # -- running ------------------------------------------------------------------------------
    def refresh(self) -> None:
        if not self._filled:
            self._filled = True
            self._fill_strategies()
        self._describe_strategies()
        events = self.session.info()["events"]
        has_data = events > 0
        self.evaluate_button.setEnabled(has_data and not self.busy())
        span = self.session.cached(
            "event_span", lambda: queries.event_span(self.session.ws))
        if span[0] is not None and not self.cutoff_check.isChecked() and self.report is None:
            # Default cut: 80% of the way through the data's time span.
            cut = dt.datetime.fromtimestamp(span[0] + 0.8 * (span[1] - span[0]))
            self.cutoff_edit.setDate(QDate(cut.year, cut.month, cut.day))
        if self.report is None:
            stored = self.session.ws.get_setting(LAST_REPORT_SETTING)
            if stored:
                try:
                    self.show_report(json.loads(stored), stored=True)
                    return
                except (ValueError, KeyError, TypeError):
                    pass  # an old or foreign report: just don't show it
        if self.report is None:
            self.empty.setText(
                self.tr("Tick the methods to compare and press Compare.") if has_data else
                self.tr("No data yet.\n\nImport your shop's exports in the Data tab; then "
                        "compare the methods here on your own customers."))
            self.stack.setCurrentIndex(0)
        if not self.session.strategy_specs():
            self.empty.setText(self.tr("No methods are installed (see Help → Plugins)."))
            self.evaluate_button.setEnabled(False)

    def evaluate(self) -> None:
        names = self.chosen()
        if not names:
            self.message.show_error(self.tr("Tick at least one method to compare."))
            return
        if self.busy():
            return
        from shoprec.core import engine

        kwargs: dict[str, Any] = {
            "protocol": self.protocol_combo.currentData(),
            "k": self.k_spin.value(),
            "settings": "trained",
            "budget_min": "auto",
            "pm": self.session.pm,
        }
        if kwargs["protocol"] == "temporal" and self.cutoff_check.isChecked():
            kwargs["cutoff"] = self.cutoff_edit.date().toString("yyyy-MM-dd")
        if self.users_spin.value():
            kwargs["max_users"] = self.users_spin.value()
        self.message.hide()
        job = self.track(start_in_workspace(self.session.path, engine.evaluate, names,
                                            label="evaluate", **kwargs))
        self.job = job
        self.evaluate_button.setEnabled(False)
        self.progress.attach(job, self.tr("Comparing {n} methods…").format(n=len(names)))
        self.progress.cancel_button.setToolTip(self.tr(
            "Stop comparing: the methods that finished are kept and shown (Esc)"))
        self.status(self.tr("Comparing…"))
        job.succeeded.connect(self._evaluated)
        job.cancelled.connect(lambda: self.message.show_info(self.tr("Comparison cancelled.")))
        job.finished.connect(self._finished)

    def _evaluated(self, report: dict[str, Any]) -> None:
        self.show_report(report)
        if report.get("stopped"):
            left = [strategy_title_by_name(n) for n in report.get("not_measured", [])]
            self.message.show_info(
                self.tr("Stopped. The {n} methods that finished are shown; not measured: "
                        "{names}.").format(n=len(report["results"]), names=", ".join(left)))
            self.status(self.tr("Comparison stopped"))
            return
        try:
            self.session.ws.set_setting(LAST_REPORT_SETTING, json.dumps(report, default=str))
        except Exception:  # noqa: BLE001  (keeping the report is a convenience, never an error)
            pass
        failed = [n for n, r in report["results"].items() if "error" in r]
        if failed:
            self.message.show_error(
                self.tr("{n} methods could not be measured: {errors}").format(
                    n=len(failed), errors="; ".join(
                        f"{strategy_title_by_name(n)}: {report['results'][n]['error']}"
                        for n in failed)))
        self.status(self.tr("Comparison done"))

    def _finished(self) -> None:
        self.job = None
        self.evaluate_button.setEnabled(self.session.info()["events"] > 0)

    # -- showing ----------------------------------------------------------------------------
    def show_report(self, report: dict[str, Any], stored: bool = False) -> None:
        k = int(report["k"])
        cols = _columns(k)
        titles = {s.name: strategy_title(s) for s in self.session.strategy_specs()}
        rows, errors = [], {}
        for r, (name, res) in enumerate(report["results"].items()):
            if "error" in res:
                errors[r] = res["error"]
                rows.append((titles.get(name, name), self.tr("failed"),
                             *[None] * (len(cols) - 1)))
            else:
                rows.append((titles.get(name, name), *[_value(res, key) for key, *_ in cols]))
        model = self.model
        model.headers = [self.tr("Method"), *[h for _, h, _, _ in cols]]
        model.tooltips = ["", *[t for _, _, t, _ in cols]]
        model.formatters = {i + 1: (_fmt_seconds if key.endswith("seconds")
                                    else _fmt_share if key.startswith(SHARES) else _fmt_metric)
                            for i, (key, *_) in enumerate(cols)}
        best = {}
        for c, (_key, _h, _t, higher) in enumerate(cols, start=1):
            values = [(row[c], r) for r, row in enumerate(rows)
                      if isinstance(row[c], (int, float)) and r not in errors]
            if len(values) > 1:
                best[c] = (max(values) if higher else min(values))[1]
        model.best, model.errors = best, errors
        model.set_rows(rows)
        self.report = report
        if report.get("cutoff") and not self.cutoff_check.isChecked():
            # Show the date ShopRec chose, so ticking "Cut at" starts from it.
            day = QDate.fromString(str(report["cutoff"])[:10], "yyyy-MM-dd")
            if day.isValid():
                self.cutoff_edit.setDate(day)
        protocol = {"loo": self.tr("Last product of each customer"),
                    "temporal": self.tr("Before / after {date}").format(
                        date=str(report.get("cutoff") or "")[:10])}.get(
            report["protocol"], report["protocol"])
        self.summary.setText(
            f"<span style='color:{style.muted()}'><b>{protocol}</b> · "
            + self.tr("{users} test customers · {items} products · lists of {k} · best value "
                      "per column in bold").format(users=fmt_number(report.get("users", 0)),
                                                   items=fmt_number(report.get("items", 0)),
                                                   k=k)
            + (" · " + self.tr("each method with the settings it last learned with, if any")
               if any(r.get("settings_run") for r in report["results"].values()) else "")
            + (" · <i>" + self.tr("last comparison, kept in this workspace") + "</i>"
               if stored else "") + "</span>")
        self.best, text = verdict(report, titles)
        self.verdict.setText(f"<b>{text}</b>")
        self.use_button.setVisible(self.best is not None)
        self.stack.setCurrentIndex(1)
        fit_columns(self.table, 260)
        if rows:
            names = list(report["results"])
            self.table.selectRow(names.index(self.best) if self.best in names else 0)

    def _row_selected(self, current, _previous=None) -> None:  # noqa: ANN001
        if not current.isValid() or self.report is None:
            return
        name = list(self.report["results"])[current.row()]
        res = self.report["results"][name]
        title = self.model.row(current.row())[0]
        self.use_button.setEnabled("error" not in res)
        self.use_button.setText(self.tr("Use “{title}” for my lists").format(title=title))
        ece = res.get("ece")
        by_share = res.get("reliability_by_share")  # reports saved before it lack it
        if isinstance(ece, (int, float)):
            title = self.tr("{title}: off by {ece}").format(title=title, ece=f"{ece:.3f}")
            gap = res.get("ece_by_share")
            if by_share and isinstance(gap, (int, float)):
                title += self.tr(", by tenths {gap}").format(gap=f"{gap:.3f}")
        self.diagram.set_table(title, by_share or res.get("reliability"), by_share=bool(by_share))

    def selected_name(self) -> str | None:
        index = self.table.currentIndex()
        if self.report is None or not index.isValid():
            return self.best
        return list(self.report["results"])[index.row()]

    def use_selected(self) -> None:
        """Make the selected method the shop's: Recommendations shows it, Export writes it."""
        name = self.selected_name()
        if name is None:
            return
        self.session.ws.set_setting("desktop.strategy", name)
        title = strategy_title_by_name(name)
        self.message.show_ok(self.tr(
            "Your lists now come from “{title}”. Recommendations shows it; if it has not "
            "learned yet, press “Learn from my shop” there.").format(title=title))
        self.status(self.tr("Using {title}").format(title=title))
        self.session.action_requested.emit(f"use:{name}")
