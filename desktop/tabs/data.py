"""Data tab: import shop exports (with progress and Cancel), see each import's accounting, browse rejects.

Every file goes through :func:`shoprec.core.importing.import_file` on a worker thread with its own
workspace connection. The imports table shows, per file, rows read = imported + duplicates +
rejected; selecting an import lists its rejected rows with line number, reason and raw text.
Files can also be dropped onto the tab.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core.importing import import_file, known_formats
from ..models import QueryTableModel, fmt_number, fmt_time
from ..widgets import EmptyState, ProgressPanel
from ..worker import Job, start, start_in_workspace
from .base import Tab

DEMO_WORKSPACE = "demo-shop.shoprec"
FILE_FILTER = "Shop exports (*.csv *.tsv *.txt *.dat);;All files (*)"

IMPORTS_SQL = (
    "SELECT id, file_name, format, encoding, delimiter, rows_read, imported, duplicates, rejected, "
    "seconds, started_at FROM imports ORDER BY id DESC"
)
IMPORTS_HEADERS = ("#", "File", "Format", "Encoding", "Delimiter", "Rows read", "Imported",
                   "Duplicates", "Rejected", "Seconds", "When")
REJECTS_SQL = "SELECT line, reason, raw FROM rejects WHERE import_id = ? ORDER BY line, id"


def make_table(model: Any, stretch_last: bool = True) -> QTableView:
    """A read-only, row-selecting table view with sensible defaults."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(22)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(stretch_last)
    header.setHighlightSections(False)
    return view


def fit_columns(view: QTableView, max_width: int = 320) -> None:
    """Size columns to their contents, but never wider than ``max_width`` pixels."""
    view.resizeColumnsToContents()
    header = view.horizontalHeader()
    for col in range(header.count()):
        if header.sectionSize(col) > max_width:
            header.resizeSection(col, max_width)


def summary_text(summary: Any, file_name: str) -> str:
    """The accounting line a person reads after an import."""
    def get(name: str, default: Any = 0) -> Any:
        return getattr(summary, name, default) if not isinstance(summary, dict) else summary.get(
            name, default)

    read, imported = get("rows_read"), get("imported")
    dup, rej = get("duplicates"), get("rejected")
    details = ", ".join(
        str(x) for x in (get("format", ""), get("encoding", ""),
                         repr(get("delimiter", "")) if get("delimiter", "") else "") if x
    )
    seconds = get("seconds", None)
    text = (f"{file_name}: {fmt_number(read)} rows read = {fmt_number(imported)} imported + "
            f"{fmt_number(dup)} duplicates + {fmt_number(rej)} rejected")
    if details:
        text += f" ({details})"
    if seconds is not None:
        text += f" in {seconds:.1f} s"
    return text


class DataTab(Tab):
    title = "Data"
    tooltip = "Import your shop's exports and check what was imported"
    order = 10

    def __init__(self, session, parent=None) -> None:  # noqa: ANN001
        super().__init__(session, parent)
        self.setAcceptDrops(True)
        self.outer.addWidget(self.heading(
            "Data", "Import the CSV files your shop exports: orders, products, customers, "
                    "events. Every row is imported, recognised as a duplicate, or listed as a "
                    "reject with its reason."))
        self.counts = QLabel()
        self.counts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.outer.addWidget(self.counts)

        row = QHBoxLayout()
        self.import_button = QPushButton("Import files…")
        self.import_button.setToolTip("Choose one or more export files to import (Ctrl+I)")
        self.import_button.clicked.connect(self.choose_files)
        self.format_combo = QComboBox()
        self.format_combo.setToolTip("The file layout; detected from the headers unless you pick one")
        self.mapping_edit = QLineEdit()
        self.mapping_edit.setPlaceholderText("Column mapping, e.g. Customer Email=customer; Lineitem sku=item")
        self.mapping_edit.setToolTip(
            "Optional: override how columns map to fields, as 'Column=field' pairs separated by ';'")
        row.addWidget(self.import_button)
        row.addWidget(QLabel("Format:"))
        row.addWidget(self.format_combo)
        row.addWidget(self.mapping_edit, 1)
        self.outer.addLayout(row)
        self.progress = ProgressPanel()
        self.outer.addWidget(self.progress)

        self.format_titles: dict[str, str] = {}
        self.imports_model = QueryTableModel(None, headers=IMPORTS_HEADERS, formatters={
            10: fmt_time, 9: lambda v: "" if v is None else f"{v:.2f}",
            2: lambda v: self.format_titles.get(v, v or ""),
            4: lambda v: {"\t": "tab", None: ""}.get(v, v)})
        self.imports_view = make_table(self.imports_model, stretch_last=False)
        self.imports_view.selectionModel().currentRowChanged.connect(self._show_rejects)
        self.rejects_model = QueryTableModel(None, headers=("Line", "Reason", "Raw text"))
        self.rejects_view = make_table(self.rejects_model)
        self.rejects_label = QLabel()

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.rejects_label)
        lower_layout.addWidget(self.rejects_view, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.imports_view)
        splitter.addWidget(lower)
        splitter.setSizes([300, 250])
        self.empty = EmptyState(
            "No data yet.\n\nImport your shop's exports with “Import files…” (Ctrl+I), or drop "
            "the files here.\nShopify, WooCommerce, Square, Etsy, PrestaShop, Magento, MovieLens "
            "and plain event logs are recognised from their headers.")
        self.demo_button = QPushButton("Try the demo shop")
        self.demo_button.setToolTip(
            "Generate a made-up shop's exports (products, customers, orders, browsing) and "
            f"import them, exactly like real files, into a separate workspace ({DEMO_WORKSPACE})")
        self.demo_button.clicked.connect(self.load_demo)
        empty_page = QWidget()
        empty_layout = QVBoxLayout(empty_page)
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.empty)
        empty_layout.addWidget(self.demo_button, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addStretch(1)
        self.stack = QStackedWidget()
        self.stack.addWidget(empty_page)
        self.stack.addWidget(splitter)
        self.outer.addWidget(self.stack, 1)

        self.queue: list[Path] = []
        self._results: list[str] = []
        self._failures = ""
        self._mapping: dict[str, str] | None = None
        self.current_job: Job | None = None
        self._load_formats()

    # -- formats --------------------------------------------------------------------------------
    def _load_formats(self) -> None:
        self.format_combo.clear()
        self.format_combo.addItem("Detect automatically", None)
        try:
            formats = list(known_formats(self.session.pm))
        except Exception as exc:  # noqa: BLE001  (a broken format plugin: detection still works)
            self.message.show_error(f"Could not list the import formats: {exc}")
            formats = []
        for fmt in formats:
            name = getattr(fmt, "name", fmt)
            title = getattr(fmt, "title", name)
            self.format_combo.addItem(str(title), str(name))
            self.format_titles[str(name)] = str(title)

    def mapping(self) -> dict[str, str] | None:
        """The user's column mapping ``{"Column": "field"}`` (None when empty)."""
        text = self.mapping_edit.text().strip()
        if not text:
            return None
        out = {}
        for part in text.split(";"):
            if not part.strip():
                continue
            if "=" not in part:
                raise ValueError(f"mapping {part.strip()!r} should look like Column=field")
            col, field = part.rsplit("=", 1)
            out[col.strip()] = field.strip()
        return out

    # -- importing ---------------------------------------------------------------------------
    def choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Import shop exports", "", FILE_FILTER)
        if files:
            self.import_files([Path(f) for f in files])

    def import_files(self, files: list[Path]) -> None:
        """Import ``files`` one after the other, each atomically."""
        try:
            self._mapping = self.mapping()
        except ValueError as exc:
            self.message.show_error(str(exc))
            return
        if self.current_job is None:
            self._results = []  # a new batch: its summary replaces the last one
            self._failures = ""
            self.message.hide()
        self.queue.extend(files)
        if self.current_job is None:
            self._next()

    def _next(self) -> None:
        if not self.queue:
            self.current_job = None
            self.import_button.setEnabled(True)
            return
        path = self.queue.pop(0)
        self.import_button.setEnabled(False)
        kwargs: dict[str, Any] = {"pm": self.session.pm}
        fmt = self.format_combo.currentData()
        if fmt:
            kwargs["format"] = fmt
        if self._mapping:
            kwargs["mapping"] = self._mapping
        job = start_in_workspace(self.session.path, import_file, path, label=path.name, **kwargs)
        self.current_job = self.track(job)
        remaining = f" ({len(self.queue)} more queued)" if self.queue else ""
        self.progress.attach(job, f"Importing {path.name}{remaining}…")
        self.status(f"Importing {path.name}…")
        job.succeeded.connect(lambda summary, name=path.name: self._imported(name, summary))
        job.cancelled.connect(lambda name=path.name: self._cancelled(name))
        job.failed.connect(lambda msg, details, name=path.name: self._failed(name, msg, details))

    def _imported(self, name: str, summary: Any) -> None:
        text = summary_text(summary, name)
        self._results.append(text)
        self._show_results()
        self.status(text)
        self._after()

    def _failed(self, name: str, message: str, details: str) -> None:
        self._failures += details
        text = message if name in message else f"{name}: {message}"
        self._results.append("✗ " + text)
        self._show_results()
        self.status(f"Import failed: {text}")
        self._after(failed=True)

    def _show_results(self) -> None:
        text = "\n".join(self._results[-6:])
        if any(r.startswith("✗") for r in self._results):
            self.message.show_error(text, self._failures)
        else:
            self.message.show_ok(text)

    def _cancelled(self, name: str) -> None:
        dropped = len(self.queue)
        self.queue.clear()
        text = f"Import of {name} cancelled; the workspace is unchanged."
        if dropped:
            text += f" {dropped} queued file{'s' if dropped != 1 else ''} not imported."
        self.message.show_info(text)
        self.status(text)
        self._after()

    def _after(self, failed: bool = False) -> None:
        self.current_job = None
        self.session.notify_data_changed()
        if failed and self.queue:
            # Keep going with the other files; the message bar names the one that failed.
            self.status(f"Continuing with {len(self.queue)} more file(s)…")
        self._next()

    def load_demo(self) -> None:
        """Write the demo shop's exports and import them into the demo's own workspace
        (``demo-shop.shoprec`` beside this one), so it never mixes with a real shop's data."""
        from ...core.demo import generate_demo_shop

        if self.current_job is not None:
            return
        folder = self.session.path.parent / "demo-shop"
        target = self.session.path.parent / DEMO_WORKSPACE
        job = self.track(start(generate_demo_shop, folder, label="demo shop"))
        self.current_job = job
        self.import_button.setEnabled(False)
        self.demo_button.setEnabled(False)
        self.progress.attach(job, "Writing the demo shop's exports…")
        job.succeeded.connect(lambda shop: (
            self._demo_done(),
            self.session.open_requested.emit(str(target), [str(f) for f in shop.files])))
        job.failed.connect(lambda *_: self._demo_done())
        job.cancelled.connect(self._demo_done)

    def _demo_done(self) -> None:
        self.current_job = None
        self.import_button.setEnabled(True)
        self.demo_button.setEnabled(True)

    # -- drag and drop ---------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        files = [f for f in files if f.is_file()]
        if files:
            event.acceptProposedAction()
            self.import_files(files)

    # -- views --------------------------------------------------------------------------------
    def refresh(self) -> None:
        info = self.session.info()
        by_type = ", ".join(f"{fmt_number(n)} {t}" for t, n in info["events_by_type"].items())
        self.counts.setText(
            f"<b>{fmt_number(info['customers'])}</b> customers · "
            f"<b>{fmt_number(info['items'])}</b> items · "
            f"<b>{fmt_number(info['events'])}</b> events"
            + (f" ({by_type})" if by_type else "")
            + f" · {fmt_number(info['imports'])} imports · {fmt_number(info['rejects'])} rejects"
        )
        self.imports_model.set_query(self.session.conn, IMPORTS_SQL)
        has_imports = self.imports_model.rowCount() > 0
        self.stack.setCurrentIndex(1 if has_imports or info["items"] else 0)
        self.demo_button.setEnabled(self.current_job is None)
        fit_columns(self.imports_view)
        # The file name takes the spare width; the numbers keep their natural size.
        self.imports_view.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch)
        if has_imports:
            self.imports_view.selectRow(0)
        else:
            self.rejects_model.set_query(None, "")
            self.rejects_label.setText("")

    def _show_rejects(self, current, _previous=None) -> None:  # noqa: ANN001
        if not current.isValid():
            return
        row = self.imports_model.row(current.row())
        import_id, name, rejected = row[0], row[1], row[8]
        self.rejects_model.set_query(self.session.conn, REJECTS_SQL, (import_id,))
        if rejected:
            self.rejects_label.setText(
                f"<b>{fmt_number(rejected)}</b> rejected row{'s' if rejected != 1 else ''} "
                f"in {name}:")
        else:
            self.rejects_label.setText(f"No rejected rows in {name}: every row was imported or "
                                       "recognised as a duplicate.")
        fit_columns(self.rejects_view, 480)
