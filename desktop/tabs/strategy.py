"""One strategy's page inside the Recommendations tab, for any registered
:class:`~shoprec.core.contracts.strategy.StrategySpec` (a plugin's strategy needs no GUI code).

Left: the plain-words name and description, the settings (built generically by
:class:`~shoprec.desktop.forms.ParamsForm`; rarely needed ones under "Advanced"), where to learn
(device), Learn with progress in phases and time left, and what the last learning measured.
Right: one customer's list from the newest run with each item's chance and reason, the top-N,
variety, and the opt-in filter "only items at least X % likely" (off by default: full lists).
"Use for all customers" stores the lists cut that way, which is what the Export tab writes.

Learning calls :func:`shoprec.core.engine.train` on a worker thread with its own workspace
connection; the interactive list reuses the loaded run (:func:`shoprec.core.engine.load_run`) so
changing the controls only re-cuts scores. torch is imported only when a device list or a model
is needed, never when the window opens.

Why one module: one page whose settings form, learning controls and customer list all act on
the same loaded run; their slots hand it between them.
"""

from __future__ import annotations

import html
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from shoprec.core.store import queries
from shoprec.core.store.runs import latest_run

from .. import style
from ..forms import ParamsForm
from ..models import RowsTableModel, fmt_number, fmt_prob, fmt_time
from ..reasons import reason_text
from ..texts import RECOMMENDED, strategy_description, strategy_title
from ..widgets import EmptyState, ProgressPanel, training_phase
from ..worker import Job, start, start_in_workspace
from .base import Tab
from .data import fit_columns, make_table

MAX_CUSTOMERS_IN_PICKER = 500
FAMILY_ORDER = ("sequential", "hybrid", "collaborative", "content", "basket", "popularity")


translate = QCoreApplication.translate


def available_devices() -> list[tuple[str, str]]:
    """(label, value) for the device combo: automatic first, then what this computer has."""
    import torch  # only when a strategy page is opened: torch takes seconds to import
    from shoprec.core.runtime.devices import DEVICE_CHOICES

    cuda = torch.cuda.is_available()
    mps = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
    auto_target = (translate("StrategyTab", "graphics card") if cuda else translate("StrategyTab", "Apple graphics") if mps
                   else translate("StrategyTab", "processor"))
    out = [(translate("StrategyTab", "Automatic ({target})").format(target=auto_target), "auto"),
           (translate("StrategyTab", "Processor (CPU)"), "cpu")]
    if cuda:
        out.append((translate("StrategyTab", "Graphics card: {name}").format(name=torch.cuda.get_device_name(0)),
                    "cuda"))
    if mps:
        out.append((translate("StrategyTab", "Apple graphics (MPS)"), "mps"))
    assert all(v in DEVICE_CHOICES for _, v in out)
    return out


def short_title(title: str) -> str:
    """A label: the title without its parenthesised explanation."""
    head = title.split(" (", 1)[0].strip()
    return head or title


def family_rank(spec: Any) -> tuple[int, int]:
    """Strategies go in a fixed order of families, the recommended one first."""
    family = getattr(spec, "family", "other")
    rank = FAMILY_ORDER.index(family) if family in FAMILY_ORDER else len(FAMILY_ORDER)
    return (0 if spec.name == RECOMMENDED else 1, rank)


def customer_list(
    loaded: Any, customer: str, *, top_n: int, threshold: float, diversity: float
) -> tuple[Any, float | None]:
    """One customer's list from a loaded run, and — when nothing reaches the filter — the best
    chance they have, so the page can say how low it must go. Runs on a worker thread."""
    from shoprec.core import engine

    lists = engine.recommend(None, loaded.record.id, [customer], loaded=loaded, top_n=top_n,
                             threshold=threshold, diversity=diversity)
    cl = lists[0] if lists else None
    return cl, (cl.best_score if cl is not None and not cl.items else None)


def _active_customers(ws: Any, limit: int) -> list[tuple[str, str, int]]:
    return queries.most_active_customers(ws, limit)


def similar_items(loaded: Any, item: int, n: int = 6) -> list[tuple[str, str]]:
    """(shop id, title) of the items the run's model finds most similar to ``item``."""
    ds = loaded.dataset
    return [(str(ds.item_ids[j]), str(ds.catalog.title[j] or ""))
            for j, _ in loaded.strategy.similar_items(int(item), n)]


def lists_sentence(filled: int, total: int) -> str:
    """ "Lists for 1,498 of 1,500 customers" — the truth about how many got one."""
    return translate("StrategyTab", "Lists for {filled} of {total} customers").format(
        filled=fmt_number(filled), total=fmt_number(total))


def learning_sentence(training: dict[str, Any], minutes: Any) -> str:
    """How the learning ended, for a method with a training loop ("" for the others)."""
    epochs, stopped = training.get("epochs"), training.get("stopped")
    if not epochs:
        return ""
    rounds = (translate("StrategyTab", "one round") if epochs == 1
              else translate("StrategyTab", "{n} rounds").format(n=epochs))
    if stopped == "budget":
        if isinstance(minutes, (int, float)):
            return translate("StrategyTab", "<b>Learning</b> used all of its {minutes} min "
                             "({rounds} through the history): with more time it may learn "
                             "more").format(minutes=f"{float(minutes):g}", rounds=rounds)
        return translate("StrategyTab", "<b>Learning</b> used all of its time ({rounds} through "
                         "the history): with more time it may learn more").format(rounds=rounds)
    if stopped == "early":
        return translate("StrategyTab", "<b>Learning</b> ended by itself after {rounds} through "
                         "the history, when it stopped getting better").format(rounds=rounds)
    return translate("StrategyTab", "<b>Learning</b> made all of its {rounds} through the "
                     "history").format(rounds=rounds)


class StrategyTab(Tab):
    """Settings, learning and lists for one strategy; ``spec`` gives name and parameters."""

    key: ClassVar[str] = "strategy"
    title: ClassVar[str] = "Strategy"
    order: ClassVar[int] = 50

    def __init__(self, session, spec: Any, parent=None) -> None:  # noqa: ANN001
        self.spec = spec
        super().__init__(session, parent)
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
        splitter.setSizes([380, 700])
        self.outer.addWidget(splitter, 1)
        self._recut_timer = QTimer(self)
        self._recut_timer.setSingleShot(True)
        self._recut_timer.setInterval(150)  # spin boxes move fast; re-cut once they rest
        self._recut_timer.timeout.connect(self.show_list)

    def label(self) -> str:
        return strategy_title(self.spec)

    def hint(self) -> str:
        return strategy_description(self.spec)

    # -- construction -----------------------------------------------------------------------
    def _build_settings(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.addWidget(self.heading(strategy_title(self.spec), strategy_description(self.spec)))
        box = QGroupBox(self.tr("Settings"))
        box_layout = QVBoxLayout(box)
        others = [(s.name, strategy_title(s)) for s in sorted(
            self.session.strategy_specs(), key=family_rank) if s.name != self.spec.name]
        self.form = ParamsForm(self.spec.params, strategy=self.spec.name, strategies=others)
        box_layout.addWidget(self.form)
        device_row = QFormLayout()
        self.device_combo = QComboBox()
        for label, value in available_devices():
            self.device_combo.addItem(label, value)
        self.device_combo.setToolTip(self.tr(
            "Where the learning runs; Automatic uses a graphics card when there is one"))
        device_row.addRow(self.tr("Learn on"), self.device_combo)
        box_layout.addLayout(device_row)
        self.defaults_button = QPushButton(self.tr("Restore defaults"))
        self.defaults_button.clicked.connect(self.form.reset)
        box_layout.addWidget(self.defaults_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(box)

        self.train_button = QPushButton(self.tr("Learn from my shop"))
        self.train_button.setToolTip(self.tr(
            "Learn from all the data in this workspace, then store every customer's list "
            "(Ctrl+T)"))
        self.train_button.setStyleSheet("font-weight:bold; padding:6px 18px;")
        self.train_button.clicked.connect(self.train)
        QShortcut(QKeySequence("Ctrl+T"), self, self.train,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        layout.addWidget(self.train_button)
        self.progress = ProgressPanel(phases=training_phase)
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
        self.customer_combo.lineEdit().setPlaceholderText(self.tr("Customer id"))
        self.customer_combo.setToolTip(self.tr(
            "The most active customers are listed; type any customer id and press Enter"))
        self.customer_combo.activated.connect(lambda _: self.show_list())
        self.customer_combo.lineEdit().returnPressed.connect(self.show_list)
        row.addWidget(QLabel(self.tr("Customer")))
        row.addWidget(self.customer_combo, 1)
        layout.addLayout(row)

        controls = QHBoxLayout()
        # θ is an opt-in filter: lists are full top-N unless the owner asks for likely items only.
        self.theta_check = QCheckBox(self.tr("Only items at least"))
        self.theta_check.setToolTip(self.tr(
            "Off: every customer gets a full list. On: items less likely than this are left "
            "out, so some lists get shorter or empty."))
        self.theta_spin = QDoubleSpinBox()
        self.theta_spin.setRange(0.1, 100.0)
        self.theta_spin.setDecimals(1)
        self.theta_spin.setSingleStep(0.5)
        self.theta_spin.setValue(5.0)
        self.theta_spin.setSuffix(" %")
        self.theta_spin.setEnabled(False)
        self.theta_spin.setToolTip(self.tr(
            "The chance that the customer takes the item, as the model estimates it"))
        self.theta_check.toggled.connect(self.theta_spin.setEnabled)
        self.theta_check.toggled.connect(self._controls_changed)
        self.theta_spin.valueChanged.connect(self._controls_changed)
        self.theta_after = QLabel(self.tr("likely"))
        self.top_spin = QSpinBox()
        self.top_spin.setRange(1, 100)
        self.top_spin.setValue(10)
        self.top_spin.setToolTip(self.tr("At most this many items per list"))
        self.top_spin.valueChanged.connect(self._controls_changed)
        self.diversity_spin = QDoubleSpinBox()
        self.diversity_spin.setRange(0.0, 1.0)
        self.diversity_spin.setSingleStep(0.1)
        self.diversity_spin.setDecimals(1)
        self.diversity_spin.setToolTip(self.tr(
            "0 lists the likeliest items only; higher values mix in more different items"))
        self.diversity_spin.valueChanged.connect(self._controls_changed)
        controls.addWidget(QLabel(self.tr("Items per list")))
        controls.addWidget(self.top_spin)
        controls.addSpacing(12)
        controls.addWidget(QLabel(self.tr("Variety")))
        controls.addWidget(self.diversity_spin)
        controls.addSpacing(12)
        controls.addWidget(self.theta_check)
        controls.addWidget(self.theta_spin)
        controls.addWidget(self.theta_after)
        controls.addStretch(1)
        layout.addLayout(controls)

        self.list_note = QLabel()
        self.list_note.setWordWrap(True)
        layout.addWidget(self.list_note)
        self.list_model = RowsTableModel(
            (self.tr("Rank"), self.tr("Item"), self.tr("Title"), self.tr("Chance"),
             self.tr("Why")),
            formatters={3: fmt_prob},
            tooltips=("", self.tr("The shop's item id"), "",
                      self.tr("How likely the customer takes it, as the model estimates"),
                      self.tr("What in the customer's history led to it")))
        self.list_view = make_table(self.list_model)
        self.list_empty = EmptyState()
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.list_empty)
        self.list_stack.addWidget(self.list_view)
        layout.addWidget(self.list_stack, 1)
        self.similar_label = QLabel()
        self.similar_label.setWordWrap(True)
        self.similar_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.similar_label)
        self.list_view.selectionModel().currentRowChanged.connect(
            lambda current, _prev: self.show_similar(current.row()))

        bottom = QHBoxLayout()
        bottom.addStretch(1)
        self.apply_button = QPushButton(self.tr("Use these settings for all customers"))
        self.apply_button.setToolTip(self.tr(
            "Store every customer's list with these settings; the Export tab writes the stored "
            "lists"))
        self.apply_button.clicked.connect(self.apply_to_all)
        bottom.addWidget(self.apply_button)
        layout.addLayout(bottom)
        return panel

    # -- state -------------------------------------------------------------------------------
    def _engine(self):  # noqa: ANN202
        from shoprec.core import engine  # imported late: heavy (torch)

        return engine

    def _latest_run(self) -> Any:
        return latest_run(self.session.ws, self.spec.name)

    def refresh(self) -> None:
        info = self.session.info()
        has_data = info["events"] > 0
        self.train_button.setEnabled(has_data and self.train_job is None)
        record = self._latest_run()
        if not has_data:
            self._show_empty(self.tr("No data yet.\n\nImport your shop's exports in the Data "
                                     "tab, then let ShopRec learn from them here."))
            self.run_info.setText("")
            self._set_run(None)
            return
        self._fill_customers()
        if record is None:
            self._show_empty(self.tr("Not learned yet.\n\nPress “Learn from my shop” on the left "
                                     "to make a list for every customer."))
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
        """What the newest learning measured, in a few lines a shop owner can read."""
        lists = record.metrics.get("lists", {})
        seconds = sum(v for v in record.timings.values() if isinstance(v, (int, float)))
        device = record.info.get("device", "?")
        lines = [translate("StrategyTab", "<b>Learned</b> {when} on the {device} in {seconds} s (run {run})").format(
            when=fmt_time(record.created_at),
            device=translate("StrategyTab", "graphics card") if str(device).startswith(("cuda", "mps"))
            else translate("StrategyTab", "processor"),
            seconds=f"{seconds:.1f}", run=record.id)]
        learning = learning_sentence(record.info.get("training") or {},
                                     record.params.get("time_budget_min"))
        if learning:
            lines.append(learning)
        ece = record.metrics.get("ece")
        if ece is not None and record.metrics.get("calibrated", True):
            lines.append(translate("StrategyTab", "<b>Chances</b> checked against what customers really did: off by "
                             "{points} percentage points on average").format(
                points=f"{100 * ece:.1f}"))
        elif ece is not None:
            lines.append(translate("StrategyTab", "<b>Chances</b> are rough: there was too little data to check them"))
        if lists:
            total = int(lists.get("customers", 0))
            filled = total - int(lists.get("empty_lists", 0))
            lines.append("<b>" + lists_sentence(filled, total) + "</b>" + translate("StrategyTab",
                ", {mean} items each on average; {coverage} of your products are in some "
                "list").format(mean=f"{lists.get('mean_length', 0):.1f}",
                               coverage=f"{lists.get('coverage', 0):.0%}"))
            if lists.get("fallback_lists"):
                lines.append(translate("StrategyTab", "{n} customers without history get the best sellers").format(
                    n=fmt_number(lists["fallback_lists"])))
        settings = record.info.get("lists", {})
        threshold = float(settings.get("threshold", 0.0) or 0.0)
        if (threshold > 0 and lists and lists.get("customers")
                and lists.get("empty_lists", 0) > lists["customers"] / 2):
            from shoprec.core.ranking.scoring import half_full_theta

            full = half_full_theta(lists)
            text = translate("StrategyTab", "Most lists are empty with the filter at {theta}: few items are that "
                       "likely. Lower it or switch it off on the right, then press “Use these "
                       "settings for all customers”.").format(theta=fmt_prob(threshold))
            if full is not None:
                text += " " + translate("StrategyTab", "At {theta} half the customers get a full list.").format(
                    theta=fmt_prob(full))
            lines.append(f"<span style='color:{style.warn()}'>{text}</span>")
        return "<br>".join(lines)

    def _fill_customers(self) -> None:
        """The most active customers, counted off the GUI thread (a GROUP BY over a million
        events takes a moment), then put in the picker."""
        key = "active_customers"
        if key in self.session._cache:
            self._put_customers(self.session._cache[key])
            return
        version = self.session.data_version
        job = self.track(start_in_workspace(
            self.session.path, _active_customers, MAX_CUSTOMERS_IN_PICKER,
            label="active customers"))
        job.succeeded.connect(lambda rows: self._customers_counted(version, rows))

    def _customers_counted(self, version: int, rows: list) -> None:
        if version == self.session.data_version:
            self.session._cache["active_customers"] = rows
        had = bool(self.customer_id())
        self._put_customers(rows)
        if not had and self.loaded is not None:
            self.show_list()

    def _put_customers(self, rows: list) -> None:
        current = self.customer_combo.currentText()
        self.customer_combo.blockSignals(True)
        self.customer_combo.clear()
        for ext, name, n in rows:
            events = self.tr("{n} events").format(n=n)
            label = f"{ext} — {name} ({events})" if name else f"{ext} ({events})"
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

    # -- learning -----------------------------------------------------------------------------
    def train(self) -> None:
        if self.train_job is not None or not self.train_button.isEnabled():
            return
        try:
            params = self.form.params()
        except (TypeError, ValueError) as exc:
            self.message.show_error(self.tr("Check the settings: {error}").format(error=exc))
            return
        engine = self._engine()
        from shoprec.core.ranking.scoring import ListSettings

        self.message.hide()
        device = self.device_combo.currentData()
        # The lists stored with the run are cut as this page shows them: full top-N unless the
        # owner switched the filter on.
        lists = ListSettings(top_n=self.top_spin.value(), threshold=self.threshold(),
                             diversity=self.diversity_spin.value())
        from .. import process_worker

        if process_worker.enabled():
            # Its own process: torch and numpy would hold the lock a GUI thread needs.
            job = process_worker.start_in_process(
                self.session.path, engine.train, self.spec.name, params, device=device,
                settings=lists, label=f"train {self.spec.name}")
        else:
            job = start_in_workspace(
                self.session.path, engine.train, self.spec.name, params, device=device,
                settings=lists, pm=self.session.pm, label=f"train {self.spec.name}")
        self.train_job = self.track(job)
        self.train_button.setEnabled(False)
        title = strategy_title(self.spec)
        self.progress.attach(job, self.tr("Getting ready to learn {title}…").format(title=title))
        self.status(self.tr("Learning {title}…").format(title=title))
        job.succeeded.connect(self._trained)
        job.cancelled.connect(self._train_cancelled)
        job.finished.connect(self._train_finished)

    def _trained(self, result: Any) -> None:
        seconds = sum(result.timings.values()) if getattr(result, "timings", None) else 0.0
        record = self._latest_run()
        lists = record.metrics.get("lists", {}) if record is not None else {}
        text = self.tr("{title} learned in {seconds} s.").format(
            title=strategy_title(self.spec), seconds=f"{seconds:.1f}")
        if lists:
            total = int(lists.get("customers", 0))
            text += " " + lists_sentence(total - int(lists.get("empty_lists", 0)), total) + "."
        self.message.show_ok(text)
        self.status(self.tr("{title} learned").format(title=strategy_title(self.spec)))
        self.session.notify_data_changed()

    def _train_cancelled(self) -> None:
        self.message.show_info(self.tr(
            "Learning cancelled; the lists from before (if any) are unchanged."))
        self.status(self.tr("Learning cancelled"))

    def _train_finished(self) -> None:
        self.train_job = None
        self.train_button.setEnabled(self.session.info()["events"] > 0)

    # -- lists ------------------------------------------------------------------------------
    def _load_run(self) -> None:
        if self.run_id is None:
            return
        engine = self._engine()
        self._show_empty(self.tr("Loading what was learned…"))
        run_id = self.run_id
        job = self.track(start_in_workspace(
            self.session.path, engine.load_run, run_id, device=self.device_combo.currentData(),
            pm=self.session.pm, label=f"load run {run_id}"))
        job.succeeded.connect(lambda loaded: self._loaded(run_id, loaded))
        job.failed.connect(lambda msg, _d: self._show_empty(
            self.tr("Could not load what was learned: {error}").format(error=msg)))

    def _loaded(self, run_id: int, loaded: Any) -> None:
        if run_id != self.run_id:
            return  # a newer run arrived meanwhile
        self.loaded = loaded
        self._enable_list_controls(True)
        settings = loaded.record.info.get("lists", {})
        self.set_threshold(float(settings.get("threshold", 0.0) or 0.0), recut=False)
        self.top_spin.blockSignals(True)
        self.top_spin.setValue(int(settings.get("top_n", 10)))
        self.top_spin.blockSignals(False)
        self.diversity_spin.blockSignals(True)
        self.diversity_spin.setValue(float(settings.get("diversity", 0.0)))
        self.diversity_spin.blockSignals(False)
        if loaded.new_items:
            self.message.show_info(self.tr(
                "{n} items were added since this was learned; they are not suggested until you "
                "let it learn again.").format(n=fmt_number(loaded.new_items)))
        self.show_list()

    def _enable_list_controls(self, on: bool) -> None:
        """List controls only make sense once a learned model is loaded."""
        for w in (self.customer_combo, self.theta_check, self.top_spin, self.diversity_spin,
                  self.apply_button):
            w.setEnabled(on)
        self.theta_spin.setEnabled(on and self.theta_check.isChecked())

    def threshold(self) -> float:
        """The filter as a probability; 0 when it is off (full lists)."""
        if not self.theta_check.isChecked():
            return 0.0
        return round(self.theta_spin.value() / 100.0, 4)

    def set_threshold(self, value: float, recut: bool = True) -> None:
        """Switch the filter on at ``value`` (a probability), or off when ``value`` is 0."""
        for w in (self.theta_check, self.theta_spin):
            w.blockSignals(True)
        self.theta_check.setChecked(value > 0)
        if value > 0:
            self.theta_spin.setValue(value * 100.0)
        self.theta_spin.setEnabled(value > 0 and self.theta_check.isEnabled())
        for w in (self.theta_check, self.theta_spin):
            w.blockSignals(False)
        if recut:
            self._recut_timer.start()

    def _controls_changed(self) -> None:
        self._recut_timer.start()

    def show_list(self) -> None:
        """Re-cut the selected customer's list with the current settings."""
        if self.loaded is None:
            return
        customer = self.customer_id()
        if not customer:
            self._show_empty(self.tr("Choose a customer above to see their list."))
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
            (r.rank, r.item_id, r.title, r.score,
             reason_text(r.reason_code or None, r.reason_title, r.reason)) for r in cl.items]
        self._items = [] if cl is None else [(r.item, r.title or r.item_id) for r in cl.items]
        self.list_model.set_rows(rows)
        self.similar_label.setText(
            f"<span style='color:{style.muted()}'>"
            + self.tr("Select an item to see what is similar to it.") + "</span>"
            if rows else "")
        notes = []
        source = getattr(cl, "source", "")
        if source == "fallback":
            notes.append(self.tr("This customer has no usable history yet: the list shows the "
                                 "best sellers."))
        elif source == "unknown":
            notes.append(self.tr("This customer id is not in the workspace: the list shows the "
                                 "best sellers."))
        above = getattr(cl, "candidates_above_threshold", 0)
        if rows:
            if self.threshold() > 0:
                notes.append(self.tr("{n} items are at least {theta} likely; showing the top "
                                     "{shown}.").format(n=fmt_number(above),
                                                        theta=fmt_prob(self.threshold()),
                                                        shown=len(rows)))
            self.list_stack.setCurrentIndex(1)
            fit_columns(self.list_view, 320)
        else:
            hint = (self.tr("Their likeliest item is {best}; lower the filter below that or "
                            "switch it off.").format(best=fmt_prob(best))
                    if best is not None else self.tr("Switch the filter off to see a full list."))
            self._show_empty(self.tr("No item is at least {theta} likely for customer "
                                     "{customer}.\n\n{hint}").format(
                theta=fmt_prob(self.threshold()), customer=customer, hint=hint))
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
                f"<span style='color:{style.muted()}'>"
                + html.escape(self.tr("This method does not tell which items are similar to "
                                      "{title}.").format(title=title)) + "</span>")
            return
        names = ", ".join(html.escape(t or i) for i, t in rows)
        self.similar_label.setText(
            "<b>" + html.escape(self.tr("Similar to {title}:").format(title=title))
            + f"</b> {names}")

    def apply_to_all(self) -> None:
        if self.loaded is None or self.busy():
            return
        engine = self._engine()
        job = self.track(start_in_workspace(
            self.session.path, engine.recommend, self.run_id, None, loaded=self.loaded,
            top_n=self.top_spin.value(), threshold=self.threshold(),
            diversity=self.diversity_spin.value(), save=True, label="store lists"))
        self.apply_button.setEnabled(False)
        self.progress.attach(job, self.tr("Preparing every customer's list…"))
        job.succeeded.connect(self._stored)
        job.finished.connect(lambda: self.apply_button.setEnabled(self.loaded is not None))

    def _stored(self, lists: Any) -> None:
        filled = sum(1 for cl in lists if cl.items)
        text = lists_sentence(filled, len(lists)) + " " + self.tr(
            "stored ({top} items each at most{filter}); the Export tab writes them.").format(
            top=self.top_spin.value(),
            filter=(self.tr(", only items at least {theta} likely").format(
                theta=fmt_prob(self.threshold())) if self.threshold() > 0 else ""))
        self.message.show_ok(text)
        self.session.notify_data_changed()
