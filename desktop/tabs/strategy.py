"""A strategy tab, one per registered :class:`~shoprec.core.strategy.StrategySpec`.

Left: the strategy's settings form (built generically by :class:`~shoprec.desktop.forms.ParamsForm`
from its params dataclass), the device choice, Train with a progress bar and Cancel, and what the
last training measured. Right: one customer's list from the newest run, with the calibrated score,
the θ slider, top-N and diversity, and the reason for each item. "Use for all customers" stores
lists cut with the current θ/top-N/diversity, which is what the Export tab writes.

Training calls :func:`shoprec.core.engine.train` on a worker thread with its own workspace
connection; the interactive list reuses the loaded run (:func:`shoprec.core.engine.load_run`) so
moving the slider only re-cuts scores.
"""

from __future__ import annotations

import html
from typing import Any, ClassVar

import torch
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSlider,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.devices import DEVICE_CHOICES
from ...core.runs import latest_run
from ...core.scoring import half_full_theta
from ..forms import ParamsForm
from ..models import RowsTableModel, fmt_prob, fmt_time
from ..widgets import EmptyState, ProgressPanel
from ..worker import Job, start, start_in_workspace
from .base import Tab
from .data import fit_columns, make_table

LIST_HEADERS = ("Rank", "Item", "Title", "Score", "Why")
ACTIVE_CUSTOMERS_SQL = """
SELECT c.external_id, COALESCE(NULLIF(c.name, ''), NULLIF(c.email, ''), ''), t.n
FROM (SELECT customer_id, COUNT(*) AS n FROM events GROUP BY customer_id
      ORDER BY n DESC, customer_id LIMIT ?) t
JOIN customers c ON c.id = t.customer_id
ORDER BY t.n DESC, c.id
"""
MAX_CUSTOMERS_IN_PICKER = 500
THETA_STEPS = 1000
SOURCE_NOTES = {
    "fallback": "This customer has no usable history yet: the list shows what is popular.",
    "unknown": "This customer id is not in the workspace: the list shows what is popular.",
}


def available_devices() -> list[tuple[str, str]]:
    """(label, value) for the device combo: auto first, then what this computer has."""
    cuda = torch.cuda.is_available()
    mps = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
    auto_target = "GPU (CUDA)" if cuda else "Apple GPU (MPS)" if mps else "CPU"
    out = [(f"Automatic ({auto_target})", "auto"), ("CPU", "cpu")]
    if cuda:
        out.append((f"GPU: {torch.cuda.get_device_name(0)}", "cuda"))
    if mps:
        out.append(("Apple GPU (MPS)", "mps"))
    assert all(v in DEVICE_CHOICES for _, v in out)
    return out


FAMILY_ORDER = ("sequential", "hybrid", "collaborative", "content", "basket", "popularity")


def short_title(title: str) -> str:
    """A tab label: the title without its parenthesised explanation."""
    head = title.split(" (", 1)[0].strip()
    return head or title


def family_rank(spec: Any) -> int:
    """Strategy tabs go in a fixed order of families: the transformer models first."""
    family = getattr(spec, "family", "other")
    return FAMILY_ORDER.index(family) if family in FAMILY_ORDER else len(FAMILY_ORDER)


def customer_list(
    loaded: Any, customer: str, *, top_n: int, threshold: float, diversity: float
) -> tuple[Any, float | None]:
    """One customer's list from a loaded run, and — when nothing reaches θ — the best score
    they have, so the tab can say how low θ must go. Runs on a worker thread."""
    from ...core import engine

    lists = engine.recommend(None, loaded.record.id, [customer], loaded=loaded, top_n=top_n,
                             threshold=threshold, diversity=diversity)
    cl = lists[0] if lists else None
    return cl, (cl.best_score if cl is not None and not cl.items else None)


def similar_items(loaded: Any, item: int, n: int = 6) -> list[tuple[str, str]]:
    """(shop id, title) of the items the run's model finds most similar to ``item``."""
    ds = loaded.dataset
    return [(str(ds.item_ids[j]), str(ds.catalog.title[j] or ""))
            for j, _ in loaded.strategy.similar_items(int(item), n)]


class StrategyTab(Tab):
    """Settings, training and lists for one strategy; ``spec`` gives title and parameters."""

    title: ClassVar[str] = "Strategy"
    order: ClassVar[int] = 50

    def __init__(self, session, spec: Any, parent=None) -> None:  # noqa: ANN001
        self.spec = spec
        super().__init__(session, parent)
        # Per-instance metadata: each strategy tab is titled after its strategy, shortened so
        # that a dozen strategies fit the tab bar ("EASE (item-item)" → "EASE").
        self.title = short_title(spec.title)  # type: ignore[misc]
        self.tooltip = spec.description  # type: ignore[misc]
        self.setObjectName(f"tab_strategy_{spec.name}")
        self.loaded: Any = None  # engine.LoadedRun of the newest run, loaded off the GUI thread
        self.run_id: int | None = None
        self.train_job: Job | None = None
        self.list_job: Job | None = None
        self._list_pending = False
        self._data_version: tuple[int, int, int] | None = None
        self._items: list[tuple[int, str]] = []  # (dataset index, title) of the shown list

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._build_settings())
        splitter.addWidget(self._build_results())
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([400, 800])
        self.outer.addWidget(splitter, 1)
        self._recut_timer = QTimer(self)
        self._recut_timer.setSingleShot(True)
        self._recut_timer.setInterval(150)  # the slider moves fast; re-cut once it rests
        self._recut_timer.timeout.connect(self.show_list)

    # -- construction -----------------------------------------------------------------------
    def _build_settings(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.addWidget(self.heading(self.spec.title, self.spec.description))
        box = QGroupBox("Settings")
        box_layout = QVBoxLayout(box)
        self.form = ParamsForm(self.spec.params)
        box_layout.addWidget(self.form)
        device_row = QFormLayout()
        self.device_combo = QComboBox()
        for label, value in available_devices():
            self.device_combo.addItem(label, value)
        self.device_combo.setToolTip("Where training runs; Automatic picks a GPU when there is one")
        device_row.addRow("Device", self.device_combo)
        box_layout.addLayout(device_row)
        self.defaults_button = QPushButton("Restore defaults")
        self.defaults_button.clicked.connect(self.form.reset)
        box_layout.addWidget(self.defaults_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(box)

        self.train_button = QPushButton("Train")
        self.train_button.setToolTip("Learn from all the data in this workspace (Ctrl+T)")
        self.train_button.setStyleSheet("font-weight:bold; padding:6px 18px;")
        self.train_button.clicked.connect(self.train)
        QShortcut(QKeySequence("Ctrl+T"), self, self.train,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        layout.addWidget(self.train_button)
        self.progress = ProgressPanel()
        layout.addWidget(self.progress)
        self.run_info = QLabel()
        self.run_info.setWordWrap(True)
        self.run_info.setTextFormat(Qt.TextFormat.RichText)
        self.run_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.run_info)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(panel)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(340)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        return scroll

    def _build_results(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(6, 0, 0, 0)
        row = QHBoxLayout()
        self.customer_combo = QComboBox()
        self.customer_combo.setEditable(True)
        self.customer_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.customer_combo.setMinimumWidth(220)
        self.customer_combo.lineEdit().setPlaceholderText("Customer id")
        self.customer_combo.setToolTip(
            "The most active customers are listed; type any customer id and press Enter")
        self.customer_combo.activated.connect(lambda _: self.show_list())
        self.customer_combo.lineEdit().returnPressed.connect(self.show_list)
        row.addWidget(QLabel("Customer"))
        row.addWidget(self.customer_combo, 1)
        layout.addLayout(row)

        controls = QHBoxLayout()
        # θ: a slider for feel and a spin box for precision (shop probabilities are often a few
        # percent, so the slider works in steps of 0.001).
        self.theta_slider = QSlider(Qt.Orientation.Horizontal)
        self.theta_slider.setRange(0, THETA_STEPS)
        self.theta_slider.setValue(THETA_STEPS // 2)
        self.theta_slider.setPageStep(THETA_STEPS // 100)
        self.theta_slider.setToolTip(
            "θ: only items whose calibrated score reaches this probability are listed")
        self.theta_spin = QDoubleSpinBox()
        self.theta_spin.setRange(0.0, 1.0)
        self.theta_spin.setDecimals(3)
        self.theta_spin.setSingleStep(0.005)
        self.theta_spin.setValue(0.5)
        self.theta_spin.setToolTip(self.theta_slider.toolTip())
        self.theta_slider.valueChanged.connect(
            lambda v: self._sync_theta(v / THETA_STEPS, from_slider=True))
        self.theta_spin.valueChanged.connect(lambda v: self._sync_theta(v, from_slider=False))
        self.top_spin = QSpinBox()
        self.top_spin.setRange(1, 100)
        self.top_spin.setValue(10)
        self.top_spin.setToolTip("At most this many items per list")
        self.top_spin.valueChanged.connect(self._controls_changed)
        self.diversity_spin = QDoubleSpinBox()
        self.diversity_spin.setRange(0.0, 1.0)
        self.diversity_spin.setSingleStep(0.1)
        self.diversity_spin.setDecimals(2)
        self.diversity_spin.setToolTip(
            "Balance: 0 lists by score only; higher values trade score for variety")
        self.diversity_spin.valueChanged.connect(self._controls_changed)
        controls.addWidget(QLabel("θ"))
        controls.addWidget(self.theta_slider, 2)
        controls.addWidget(self.theta_spin)
        controls.addSpacing(12)
        controls.addWidget(QLabel("Top"))
        controls.addWidget(self.top_spin)
        controls.addSpacing(12)
        controls.addWidget(QLabel("Diversity"))
        controls.addWidget(self.diversity_spin)
        layout.addLayout(controls)

        self.list_note = QLabel()
        self.list_note.setWordWrap(True)
        self.list_note.setStyleSheet("color:#444;")
        layout.addWidget(self.list_note)
        self.list_model = RowsTableModel(
            LIST_HEADERS, formatters={3: fmt_prob},
            tooltips=("", "The shop's item id", "", "Calibrated probability of the run's event",
                      "The history items that drove this recommendation"))
        self.list_view = make_table(self.list_model)
        self.list_empty = EmptyState()
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.list_empty)
        self.list_stack.addWidget(self.list_view)
        layout.addWidget(self.list_stack, 1)
        self.similar_label = QLabel()
        self.similar_label.setWordWrap(True)
        self.similar_label.setTextFormat(Qt.TextFormat.RichText)
        self.similar_label.setStyleSheet("color:#333;")
        layout.addWidget(self.similar_label)
        self.list_view.selectionModel().currentRowChanged.connect(
            lambda current, _prev: self.show_similar(current.row()))

        bottom = QHBoxLayout()
        bottom.addStretch(1)
        self.apply_button = QPushButton("Use these settings for all customers")
        self.apply_button.setToolTip(
            "Store every customer's list cut with this θ, top-N and diversity; "
            "the Export tab writes the stored lists")
        self.apply_button.clicked.connect(self.apply_to_all)
        bottom.addWidget(self.apply_button)
        layout.addLayout(bottom)
        return panel

    # -- state -------------------------------------------------------------------------------
    def _engine(self):  # noqa: ANN202
        from ...core import engine  # imported late: heavy (torch), and lands with the engine

        return engine

    def _latest_run(self) -> Any:
        return latest_run(self.session.ws, self.spec.name)

    def refresh(self) -> None:
        info = self.session.info()
        has_data = info["events"] > 0
        self.train_button.setEnabled(has_data and self.train_job is None)
        record = self._latest_run()
        if not has_data:
            self.train_button.setToolTip("Import data in the Data tab first")
            self._show_empty("No data yet.\n\nImport your shop's exports in the Data tab, then "
                             "train this strategy here.")
            self.run_info.setText("")
            self._set_run(None)
            return
        self.train_button.setToolTip("Learn from all the data in this workspace (Ctrl+T)")
        self._fill_customers()
        if record is None:
            self._show_empty(f"Not trained yet.\n\nChoose the settings on the left and press "
                             f"Train to learn {self.spec.title} from this shop's data.")
            self.run_info.setText("")
            self._set_run(None)
            return
        self.run_info.setText(self.run_summary(record))
        # New events (an import) change every list: reload the run with them, as a new run.
        version = (info["events"], info["imports"], info["items"])
        if record.id != self.run_id or version != self._data_version:
            if record.id != self.run_id:
                self.form.set_values(record.params)
            self._set_run(record.id)
            self._data_version = version
            self._load_run()

    def _set_run(self, run_id: int | None) -> None:
        self.run_id = run_id
        self.loaded = None
        self._enable_list_controls(False)
        if run_id is None:
            self.list_model.set_rows([])
            self.list_note.setText("")

    def _show_empty(self, text: str) -> None:
        self.list_empty.setText(text)
        self.list_stack.setCurrentIndex(0)

    def run_summary(self, record: Any) -> str:
        """What the newest run measured, in a few lines a shop owner can read."""
        cal = record.calibration.get("strategy", {})
        lists = record.metrics.get("lists", {})
        seconds = sum(v for k, v in record.timings.items() if isinstance(v, (int, float)))
        lines = [
            f"<b>Trained</b> {fmt_time(record.created_at)} on "
            f"{record.info.get('device', '?')} in {seconds:.1f} s (run {record.id})",
        ]
        if cal.get("event"):
            lines.append(f"<b>Score</b> = the probability that {cal['event']}")
        ece = record.metrics.get("ece")
        if ece is not None:
            calibrated = record.metrics.get("calibrated", True)
            shape = ("an isotonic curve" if cal.get("method") == "isotonic" else "a sigmoid")
            if cal.get("rows") == "z":
                shape += " of each customer's standardised scores"
            lines.append(f"<b>Calibration error</b> (ECE) {ece:.3f}"
                         + (f", scores mapped by {shape}" if calibrated else " — not calibrated"))
        if lists:
            lines.append(
                f"<b>Lists</b>: {lists.get('customers', 0):,} customers, "
                f"{lists.get('mean_length', 0):.1f} items on average, "
                f"catalog coverage {lists.get('coverage', 0):.0%}"
                + (f", {lists['fallback_lists']:,} on the popularity fallback"
                   if lists.get("fallback_lists") else ""))
        settings = record.info.get("lists", {})
        if lists and lists.get("customers") and lists.get("empty_lists", 0) > lists["customers"] / 2:
            full = half_full_theta(lists)
            lines.append(
                f"<span style='color:#8a5a00'>Most stored lists are empty at θ = "
                f"{settings.get('threshold', 0.5):.2f}: few items are that likely. Lower θ on the "
                "right"
                + (f" (at θ = {full:g} half the customers get a full list)"
                   if full is not None else "")
                + " and press “Use these settings for all customers”.</span>")
        if cal.get("note"):
            lines.append(f"<span style='color:#666'>Calibration: {html.escape(cal['note'])}</span>")
        return "<br>".join(lines)

    def _fill_customers(self) -> None:
        current = self.customer_combo.currentText()
        rows = self.session.cached("active_customers", lambda: self.session.conn.execute(
            ACTIVE_CUSTOMERS_SQL, (MAX_CUSTOMERS_IN_PICKER,)).fetchall())
        self.customer_combo.blockSignals(True)
        self.customer_combo.clear()
        for ext, name, n in rows:
            label = f"{ext} — {name} ({n} events)" if name else f"{ext} ({n} events)"
            self.customer_combo.addItem(label, ext)
        if current:
            index = self.customer_combo.findText(current)
            if index >= 0:
                self.customer_combo.setCurrentIndex(index)
            else:
                self.customer_combo.setEditText(current)
        self.customer_combo.blockSignals(False)

    def customer_id(self) -> str:
        """The selected customer's shop id (typed text counts as an id)."""
        text = self.customer_combo.currentText().strip()
        index = self.customer_combo.findText(text)
        if index >= 0 and self.customer_combo.itemData(index) is not None:
            return str(self.customer_combo.itemData(index))
        return text

    # -- training -----------------------------------------------------------------------------
    def train(self) -> None:
        if self.train_job is not None or not self.train_button.isEnabled():
            return
        try:
            params = self.form.params()
        except (TypeError, ValueError) as exc:
            self.message.show_error(f"Check the settings: {exc}")
            return
        engine = self._engine()
        self.message.hide()
        device = self.device_combo.currentData()
        job = start_in_workspace(
            self.session.path, engine.train, self.spec.name, params, device=device,
            pm=self.session.pm, label=f"train {self.spec.name}")
        self.train_job = self.track(job)
        self.train_button.setEnabled(False)
        self.progress.attach(job, f"Training {self.spec.title}…")
        self.status(f"Training {self.spec.title}…")
        job.succeeded.connect(self._trained)
        job.cancelled.connect(self._train_cancelled)
        job.finished.connect(self._train_finished)

    def _trained(self, result: Any) -> None:
        seconds = sum(result.timings.values()) if getattr(result, "timings", None) else 0.0
        self.message.show_ok(f"{self.spec.title} trained in {seconds:.1f} s "
                             f"(run {result.run_id}); lists stored for every customer.")
        self.status(f"{self.spec.title} trained")
        self.session.notify_data_changed()

    def _train_cancelled(self) -> None:
        self.message.show_info("Training cancelled; the previous model (if any) is unchanged.")
        self.status("Training cancelled")

    def _train_finished(self) -> None:
        self.train_job = None
        self.train_button.setEnabled(self.session.info()["events"] > 0)

    # -- lists ------------------------------------------------------------------------------
    def _load_run(self) -> None:
        if self.run_id is None:
            return
        engine = self._engine()
        self._show_empty("Loading the trained model…")
        run_id = self.run_id
        job = self.track(start_in_workspace(
            self.session.path, engine.load_run, run_id, device=self.device_combo.currentData(),
            pm=self.session.pm, label=f"load run {run_id}"))
        job.succeeded.connect(lambda loaded: self._loaded(run_id, loaded))
        job.failed.connect(lambda msg, _d: self._show_empty(f"Could not load the model: {msg}"))

    def _loaded(self, run_id: int, loaded: Any) -> None:
        if run_id != self.run_id:
            return  # a newer run arrived meanwhile
        self.loaded = loaded
        self._enable_list_controls(True)
        settings = loaded.record.info.get("lists", {})
        self.set_threshold(float(settings.get("threshold", 0.5)), recut=False)
        self.top_spin.blockSignals(True)
        self.top_spin.setValue(int(settings.get("top_n", 10)))
        self.top_spin.blockSignals(False)
        self.diversity_spin.blockSignals(True)
        self.diversity_spin.setValue(float(settings.get("diversity", 0.0)))
        self.diversity_spin.blockSignals(False)
        if loaded.new_items:
            self.message.show_info(
                f"{loaded.new_items:,} items were added since this model was trained; they are "
                "not recommended until you train again.")
        self.show_list()

    def _enable_list_controls(self, on: bool) -> None:
        """List controls only make sense once a trained model is loaded."""
        for w in (self.customer_combo, self.theta_slider, self.theta_spin, self.top_spin,
                  self.diversity_spin, self.apply_button):
            w.setEnabled(on)

    def threshold(self) -> float:
        return round(self.theta_spin.value(), 3)

    def set_threshold(self, value: float, recut: bool = True) -> None:
        self._sync_theta(value, from_slider=False, recut=recut)
        self.theta_spin.blockSignals(True)
        self.theta_spin.setValue(value)
        self.theta_spin.blockSignals(False)

    def _sync_theta(self, value: float, *, from_slider: bool, recut: bool = True) -> None:
        widget = self.theta_spin if from_slider else self.theta_slider
        widget.blockSignals(True)
        if from_slider:
            self.theta_spin.setValue(value)
        else:
            self.theta_slider.setValue(round(value * THETA_STEPS))
        widget.blockSignals(False)
        if recut:
            self._recut_timer.start()

    def _controls_changed(self) -> None:
        self._recut_timer.start()

    def show_list(self) -> None:
        """Re-cut the selected customer's list with the current θ, top-N and diversity."""
        if self.loaded is None:
            return
        customer = self.customer_id()
        if not customer:
            self._show_empty("Choose a customer above to see their list.")
            return
        if self.list_job is not None and self.list_job.running:
            self._list_pending = True  # one scoring at a time; the newest request wins
            return
        job = self.track(start(
            customer_list, self.loaded, customer, top_n=self.top_spin.value(),
            threshold=self.threshold(), diversity=self.diversity_spin.value(), label="recommend"))
        self.list_job = job
        job.succeeded.connect(lambda result: self._show_customer_list(customer, *result))
        job.finished.connect(self._list_finished)

    def _list_finished(self) -> None:
        self.list_job = None
        if self._list_pending:
            self._list_pending = False
            self.show_list()

    def _show_customer_list(self, customer: str, cl: Any, best: float | None) -> None:
        rows = [] if cl is None else [
            (r.rank, r.item_id, r.title, r.score, r.reason) for r in cl.items]
        self._items = [] if cl is None else [(r.item, r.title or r.item_id) for r in cl.items]
        self.list_model.set_rows(rows)
        self.similar_label.setText(
            "<span style='color:#666'>Select an item to see what is similar to it.</span>"
            if rows else "")
        notes = []
        source_note = SOURCE_NOTES.get(getattr(cl, "source", ""), "")
        if source_note:
            notes.append(source_note)
        above = getattr(cl, "candidates_above_threshold", 0)
        if rows:
            notes.append(f"{above:,} item{'s' if above != 1 else ''} reach θ = "
                         f"{self.threshold():.3g}; showing the top {len(rows)}.")
            self.list_stack.setCurrentIndex(1)
            fit_columns(self.list_view, 320)
        else:
            hint = (f"Their best item scores {fmt_prob(best)}; lower θ below that to see it."
                    if best is not None else "Lower θ with the slider to see less likely items.")
            self._show_empty(
                f"No item reaches θ = {self.threshold():.3g} for customer {customer}.\n\n{hint}")
        self.list_note.setText(" ".join(notes))

    def show_similar(self, row: int) -> None:
        """Items the model finds similar to the list's ``row``-th item ("customers also…")."""
        if self.loaded is None or not 0 <= row < len(self._items):
            self.similar_label.setText("")
            return
        item, title = self._items[row]
        job = self.track(start(similar_items, self.loaded, item, label="similar items"))
        job.succeeded.connect(lambda rows: self._show_similar(title, rows))

    def _show_similar(self, title: str, rows: list[tuple[str, str]]) -> None:
        if not rows:
            self.similar_label.setText(
                f"<span style='color:#666'>This strategy does not tell which items are similar "
                f"to {html.escape(title)}.</span>")
            return
        names = ", ".join(html.escape(t or i) for i, t in rows)
        self.similar_label.setText(f"<b>Similar to {html.escape(title)}:</b> {names}")

    def apply_to_all(self) -> None:
        if self.loaded is None or self.busy():
            return
        engine = self._engine()
        job = self.track(start_in_workspace(
            self.session.path, engine.recommend, self.run_id, None, loaded=self.loaded,
            top_n=self.top_spin.value(), threshold=self.threshold(),
            diversity=self.diversity_spin.value(), save=True, label="store lists"))
        self.apply_button.setEnabled(False)
        self.progress.attach(job, "Storing every customer's list…")
        job.succeeded.connect(lambda lists: (
            self.message.show_ok(
                f"Stored {len(lists):,} lists (θ {self.threshold():.3g}, top "
                f"{self.top_spin.value()}, diversity {self.diversity_spin.value():.2f}); "
                "the Export tab writes them."),
            self.session.notify_data_changed()))
        job.finished.connect(lambda: self.apply_button.setEnabled(self.loaded is not None))
