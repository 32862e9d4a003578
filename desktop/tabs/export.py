"""Export tab: write recommendation lists (or item-to-item tables) for a shop platform or mail tool.

Pick an exporter (each is a plugin: CSV/XLSX/JSON lists, Shopify and WooCommerce product feeds,
bought-together tables, e-mail feeds, …), the stored run whose lists to write, and the file; the
export runs through :func:`shoprec.core.shop.exporting.export` on a worker thread and is written
atomically (never half a file). Lists are those stored by the last training or by "Use these
settings for all customers" in a strategy tab.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from shoprec.core.store import queries

from .. import style
from ..models import fmt_number, fmt_time
from ..texts import (
    EXPORTERS,
    exporter_description,
    exporter_title,
    platform_text,
    strategy_title_by_name,
)
from ..widgets import EmptyState, ProgressPanel, plain_tooltip
from ..worker import Job, start_in_workspace
from .base import Tab


class ExportTab(Tab):
    key = "export"
    title = "Export"
    tooltip = "Write recommendation lists for your shop or e-mail tool"
    order = 80

    def label(self) -> str:
        return self.tr("Export")

    def hint(self) -> str:
        return self.tr("Write the lists for your shop or e-mail tool")

    def __init__(self, session, parent=None) -> None:  # noqa: ANN001
        super().__init__(session, parent)
        self.outer.addWidget(self.heading(
            self.tr("Export"),
            self.tr("Write the lists as a file your shop, spreadsheet or e-mail tool can "
                    "import. Cells a spreadsheet would run as a formula are made harmless.")))
        self.exporter_list = QListWidget()
        self.exporter_list.setMinimumWidth(300)
        self.exporter_list.setSpacing(3)
        self.exporter_list.setWordWrap(True)
        self.exporter_list.currentItemChanged.connect(lambda *_: self._exporter_changed())

        form_panel = QWidget()
        form_layout = QVBoxLayout(form_panel)
        form_layout.setContentsMargins(8, 0, 0, 0)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setTextFormat(Qt.TextFormat.RichText)
        form_layout.addWidget(self.description)
        form = QFormLayout()
        self.run_combo = QComboBox()
        self.run_combo.setToolTip(self.tr("Which lists to write: those of a learned method"))
        self.run_combo.currentIndexChanged.connect(
            lambda _: (self._suggest_path(), self._update_ready()))
        form.addRow(self.tr("Lists from"), self.run_combo)
        self.top_spin = QSpinBox()
        self.top_spin.setRange(0, 100)
        self.top_spin.setSpecialValueText(self.tr("all stored"))
        self.top_spin.setToolTip(self.tr("At most this many items per customer"))
        form.addRow(self.tr("Items per customer"), self.top_spin)
        self.shop_url = QLineEdit()
        self.shop_url.setPlaceholderText(
            self.tr("https://your-shop.example (optional, for product links)"))
        form.addRow(self.tr("Shop address"), self.shop_url)
        path_row = QHBoxLayout()
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(self.tr("Where to write the file"))
        # The suggested file name follows the exporter and run until the user types their own.
        self._auto_path = True
        self.path_edit.textEdited.connect(lambda _: setattr(self, "_auto_path", False))
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self.choose_path)
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        form.addRow(self.tr("File"), path_row)
        form_layout.addLayout(form)
        buttons = QHBoxLayout()
        self.export_button = QPushButton(self.tr("Export"))
        self.export_button.setStyleSheet("font-weight:bold; padding:6px 18px;")
        self.export_button.setToolTip(self.tr("Write the file (Ctrl+S)"))
        self.export_button.setShortcut("Ctrl+S")
        self.export_button.clicked.connect(self.export)
        self.open_folder_button = QPushButton(self.tr("Show folder"))
        self.open_folder_button.setToolTip(self.tr("Open the folder the file was written to"))
        self.open_folder_button.clicked.connect(self.open_folder)
        self.open_folder_button.setEnabled(False)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.open_folder_button)
        buttons.addStretch(1)
        form_layout.addLayout(buttons)
        self.progress = ProgressPanel()
        form_layout.addWidget(self.progress)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color:{style.warn()};")
        form_layout.addWidget(self.note)
        form_layout.addStretch(1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.exporter_list)
        splitter.addWidget(form_panel)
        splitter.setSizes([300, 800])
        self.empty = EmptyState()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(splitter)
        self.outer.addWidget(self.stack, 1)
        self.job: Job | None = None
        self.last_path: Path | None = None
        self._filled = False  # the exporters are listed on first use (plugins import torch)

    # -- choices ---------------------------------------------------------------------------
    def _fill_exporters(self) -> None:
        self.exporter_list.clear()
        # Per-customer lists first (what most shops want), then item-to-item tables.
        order = list(EXPORTERS)  # the built-ins in the order a shop most often wants them
        specs = sorted(self.session.exporter_specs(),
                       key=lambda s: (not getattr(s, "needs_run", True),
                                      order.index(s.name) if s.name in order else len(order),
                                      s.title))
        for spec in specs:
            platform = getattr(spec, "platform", "")
            item = QListWidgetItem(exporter_title(spec) + (
                "\n    " + self.tr("for {platform}").format(platform=platform_text(platform))
                if platform else ""))
            item.setData(Qt.ItemDataRole.UserRole, spec)
            item.setToolTip(plain_tooltip(exporter_description(spec)))
            self.exporter_list.addItem(item)
        if self.exporter_list.count():
            self.exporter_list.setCurrentRow(0)

    def selected_spec(self) -> Any:
        item = self.exporter_list.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def _exporter_changed(self) -> None:
        spec = self.selected_spec()
        if spec is None:
            return
        needs_run = getattr(spec, "needs_run", True)
        self.description.setText(
            f"<b>{exporter_title(spec)}</b><br>{exporter_description(spec)}"
            + ("" if needs_run else f"<br><span style='color:{style.muted()}'>"
               + self.tr("Works from the imported orders alone; nothing needs to be learned "
                         "first.") + "</span>"))
        self._suggest_path()
        self._update_ready()

    def _suggest_path(self) -> None:
        spec = self.selected_spec()
        if spec is None:
            return
        current = self.path_edit.text().strip()
        if current and not self._auto_path:
            return
        folder = Path(current).parent if current else self.session.path.parent
        strategy = self.run_combo.currentData(Qt.ItemDataRole.UserRole + 1) or "lists"
        self.path_edit.setText(str(folder / f"{spec.name}-{strategy}.{spec.extension}"))

    def choose_path(self) -> None:
        spec = self.selected_spec()
        ext = spec.extension if spec is not None else "csv"
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export to"), self.path_edit.text(),
            self.tr("{kind} files (*.{ext});;All files (*)").format(kind=ext.upper(), ext=ext))
        if path:
            if not Path(path).suffix:
                path += f".{ext}"
            self.path_edit.setText(path)
            self._auto_path = False

    def _update_ready(self) -> None:
        spec = self.selected_spec()
        has_run = self.run_combo.count() > 0
        needs_run = spec is not None and getattr(spec, "needs_run", True)
        ready = spec is not None and (has_run or not needs_run) and not self.busy()
        self.export_button.setEnabled(ready)
        self.run_combo.setEnabled(has_run)
        stored = self.run_combo.currentData(Qt.ItemDataRole.UserRole + 2)
        if spec is not None and needs_run and not has_run:
            self.note.setText(self.tr("No lists yet: let ShopRec learn in the Recommendations "
                                      "tab first; the lists for every customer are then "
                                      "stored and can be written here."))
        elif spec is not None and needs_run and stored == 0:
            self.note.setText(self.tr("These lists are empty for everyone: no item passed the "
                                      "filter. In Recommendations, switch the filter off and "
                                      "press “Use these settings for all customers”, then "
                                      "export."))
        else:
            self.note.setText("")

    # -- state -------------------------------------------------------------------------------
    def refresh(self) -> None:
        if not self._filled:
            self._filled = True
            self._fill_exporters()
        if not self.session.exporter_specs():
            self.empty.setText(self.tr("No export formats are installed (see Help → Plugins)."))
            self.stack.setCurrentIndex(0)
            return
        if self.session.info()["items"] == 0:
            self.empty.setText(self.tr("No data yet.\n\nImport your shop's exports in the Data "
                                       "tab and let ShopRec learn; then write the lists here."))
            self.stack.setCurrentIndex(0)
            return
        self.stack.setCurrentIndex(1)
        previous = self.run_combo.currentData()
        self.run_combo.blockSignals(True)
        self.run_combo.clear()
        chosen = self.session.ws.get_setting("desktop.strategy")
        chosen_run = None
        for run, customers in queries.runs_with_lists(self.session.ws):
            if run.strategy == chosen and chosen_run is None:
                chosen_run = run.id
            self.run_combo.addItem(self.tr("{strategy} — {when} (run {run}, {n} customers)").format(
                strategy=strategy_title_by_name(run.strategy), when=fmt_time(run.created_at),
                run=run.id, n=fmt_number(customers)), run.id)
            self.run_combo.setItemData(self.run_combo.count() - 1, run.strategy,
                                       Qt.ItemDataRole.UserRole + 1)
            self.run_combo.setItemData(self.run_combo.count() - 1, customers,
                                       Qt.ItemDataRole.UserRole + 2)
        # The shop's chosen method (Compare's "Use this strategy") comes first, then the last pick.
        index = self.run_combo.findData(previous if previous is not None else chosen_run)
        if chosen_run is not None and chosen_run != getattr(self, "_chosen_run", None):
            index = self.run_combo.findData(chosen_run)
        self._chosen_run = chosen_run
        self.run_combo.setCurrentIndex(index if index >= 0 else 0)
        self.run_combo.blockSignals(False)
        self._suggest_path()
        self._update_ready()

    # -- exporting ------------------------------------------------------------------------
    def export(self) -> None:
        spec = self.selected_spec()
        if spec is None or self.busy():
            return
        text = self.path_edit.text().strip()
        if not text:
            self.message.show_error(self.tr("Choose where to write the file."))
            return
        path = Path(text).expanduser()
        if path.is_dir():
            self.message.show_error(self.tr("{path} is a folder; choose a file name.").format(
                path=path))
            return
        from shoprec.core.shop.exporting import export

        kwargs: dict[str, Any] = {"pm": self.session.pm, "shop_url": self.shop_url.text().strip()}
        if self.run_combo.count() and self.run_combo.currentData() is not None:
            kwargs["run_id"] = int(self.run_combo.currentData())
        if self.top_spin.value():
            kwargs["top"] = self.top_spin.value()
        self.message.hide()
        job = self.track(start_in_workspace(self.session.path, export, spec.name, path,
                                            label=f"export {spec.name}", **kwargs))
        self.job = job
        self.export_button.setEnabled(False)
        self.progress.attach(job, self.tr("Writing {file}…").format(file=path.name))
        job.succeeded.connect(self._exported)
        job.cancelled.connect(lambda: self.message.show_info(
            self.tr("Export cancelled; {file} was not written.").format(file=path.name)))
        job.finished.connect(self._finished)

    def _exported(self, result: Any) -> None:
        self.last_path = Path(result.path)
        if result.customers:
            text = self.tr("Wrote {rows} rows for {n} customers to {path} in {seconds} s.")
        else:
            text = self.tr("Wrote {rows} rows to {path} in {seconds} s.")
        text = text.format(rows=fmt_number(result.rows), n=fmt_number(result.customers),
                           path=result.path, seconds=f"{result.seconds:.1f}")
        if getattr(result, "related_source", ""):
            source = result.related_source
            if source == "customers' shared views, carts and orders":
                source = self.tr("customers' shared views, carts and orders")
            text += " " + self.tr("Related items from {source}.").format(
                source=strategy_title_by_name(source))
        self.message.show_ok(text)
        self.open_folder_button.setEnabled(True)
        self.status(self.tr("Exported {file}").format(file=Path(result.path).name))

    def _finished(self) -> None:
        self.job = None
        self._update_ready()

    def open_folder(self) -> None:
        if self.last_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_path.parent)))
