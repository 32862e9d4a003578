"""Data tab: import shop exports (with progress and Cancel), see each import's accounting, browse rejects.

Every file goes through :func:`shoprec.core.importing.import_file` on a worker thread with its own
workspace connection, with the layout and column mapping the import preview settled
(:mod:`shoprec.desktop.import_preview`). The imports table shows, per file, rows read = imported +
duplicates + rejected; selecting an import lists its rejected rows with line number, reason and
raw text. Files dropped anywhere on the window come here through the preview.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from shoprec.core.importing import import_file, known_formats
from shoprec.core.store import queries

from .. import process_worker
from ..models import QueryTableModel, fmt_number, fmt_time
from ..texts import event_count_text, format_title, non_product_reason
from ..widgets import EmptyState, ProgressPanel
from ..worker import Job, start, start_in_workspace
from .base import Tab

DEMO_WORKSPACE = "demo-shop.shoprec"
translate = QCoreApplication.translate

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

    details = ", ".join(
        str(x) for x in (get("format", ""), get("encoding", ""),
                         repr(get("delimiter", "")) if get("delimiter", "") else "") if x
    )
    numbers = dict(file=file_name, read=fmt_number(get("rows_read")),
                   imported=fmt_number(get("imported")), dup=fmt_number(get("duplicates")),
                   rej=fmt_number(get("rejected")), anon=fmt_number(get("anonymous")))
    if get("anonymous"):  # order lines without a customer, kept as baskets
        text = translate("DataTab", "{file}: {read} rows read = {imported} imported + {anon} "
                                    "guest order lines + {dup} duplicates + {rej} rejected"
                         ).format(**numbers)
    else:
        text = translate("DataTab", "{file}: {read} rows read = {imported} imported + {dup} "
                                    "duplicates + {rej} rejected").format(**numbers)
    if details:
        text += f" ({details})"
    seconds = get("seconds", None)
    if seconds is not None:
        text += translate("DataTab", " in {seconds} s").format(seconds=f"{seconds:.1f}")
    return text


class DataTab(Tab):
    key = "data"
    title = "Data"
    tooltip = "Import your shop's exports and check what was imported"
    order = 10

    def label(self) -> str:
        return self.tr("Data")

    def hint(self) -> str:
        return self.tr("Import your shop's exports and check what was imported")

    def __init__(self, session, parent=None) -> None:  # noqa: ANN001
        super().__init__(session, parent)
        self.outer.addWidget(self.heading(
            self.tr("Data"),
            self.tr("Import the files your shop exports: orders, products, customers, events. "
                    "Every row is imported, recognised as a duplicate, or listed as rejected "
                    "with its reason.")))
        self.counts = QLabel()
        self.counts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.outer.addWidget(self.counts)

        row = QHBoxLayout()
        self.import_button = QPushButton(self.tr("Import files…"))
        self.import_button.setToolTip(self.tr(
            "Choose one or more export files; you see how they will be read before anything is "
            "imported (Ctrl+I). You can also drop files on the window."))
        self.import_button.clicked.connect(lambda: session.action_requested.emit("import"))
        row.addWidget(self.import_button)
        row.addStretch(1)
        self.outer.addLayout(row)
        self.progress = ProgressPanel()
        self.outer.addWidget(self.progress)

        self.format_titles: dict[str, str] = {}
        self.imports_model = QueryTableModel(None, headers=(
            "#", self.tr("File"), self.tr("Layout"), self.tr("Encoding"), self.tr("Separator"),
            self.tr("Rows read"), self.tr("Imported"), self.tr("Guest lines"),
            self.tr("Duplicates"), self.tr("Rejected"), self.tr("Seconds"), self.tr("When")),
            formatters={
            11: fmt_time, 10: lambda v: "" if v is None else f"{v:.2f}",
            2: lambda v: self.format_titles.get(v, v or ""),
            4: lambda v: {"\t": self.tr("Tab"), None: ""}.get(v, v)})
        self.imports_view = make_table(self.imports_model, stretch_last=False)
        self.imports_view.selectionModel().currentRowChanged.connect(self._show_rejects)
        self.rejects_model = QueryTableModel(None, headers=(
            self.tr("Line"), self.tr("Reason"), self.tr("Raw text")))
        self.rejects_view = make_table(self.rejects_model)
        self.rejects_label = QLabel()

        rejects = QWidget()
        rejects_layout = QVBoxLayout(rejects)
        rejects_layout.setContentsMargins(0, 4, 0, 0)
        rejects_layout.addWidget(self.rejects_label)
        rejects_layout.addWidget(self.rejects_view, 1)
        lower = QTabWidget()
        lower.addTab(rejects, self.tr("Rejected rows"))
        lower.addTab(self._build_non_products(), self.tr("Not recommended"))
        self.lower_tabs = lower
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.imports_view)
        splitter.addWidget(lower)
        splitter.setSizes([300, 250])
        self.empty = EmptyState(self.tr(
            "No data yet.\n\nImport your shop's exports with “Import files…” (Ctrl+I), or drop "
            "the files on this window.\nExports from Shopify, WooCommerce, Square, Etsy, "
            "PrestaShop and Magento, MovieLens ratings and plain event lists are recognised."))
        self.demo_button = QPushButton(self.tr("Try the demo shop"))
        self.demo_button.setToolTip(self.tr(
            "Make up a shop's exports (products, customers, orders, browsing) and import them, "
            "exactly like real files, into a separate workspace ({name})").format(
            name=DEMO_WORKSPACE))
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

        #: files waiting to be imported: (path, format or None, column mapping or None)
        self.queue: list[tuple[Path, str | None, dict[str, str] | None]] = []
        self._results: list[str] = []
        self._failures = ""
        self.current_job: Job | None = None

    # -- what lists never show --------------------------------------------------------------
    def _build_non_products(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        self.non_products_label = QLabel(self.tr(
            "Postage, fees, discounts, gift cards and vouchers are never recommended. ShopRec "
            "finds them from names, prices and orders; you have the last word."))
        self.non_products_label.setWordWrap(True)
        layout.addWidget(self.non_products_label)
        self.non_products = QTableWidget(0, 4)
        self.non_products.setHorizontalHeaderLabels(
            [self.tr("Item"), self.tr("Title"), self.tr("Why"), self.tr("Status")])
        self.non_products.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.non_products.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.non_products.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.non_products.verticalHeader().hide()
        self.non_products.horizontalHeader().setStretchLastSection(True)
        self.non_products.itemSelectionChanged.connect(self._non_product_buttons)
        layout.addWidget(self.non_products, 1)
        buttons = QHBoxLayout()
        self.keep_out_button = QPushButton(self.tr("Keep an item out…"))
        self.keep_out_button.setToolTip(self.tr(
            "Never recommend an item (by its id or SKU), for example a fee ShopRec did not "
            "recognise"))
        self.keep_out_button.clicked.connect(self.ask_keep_out)
        self.allow_button = QPushButton(self.tr("Recommend it after all"))
        self.allow_button.setToolTip(self.tr("The selected item is a real product: let it into "
                                             "lists again"))
        self.allow_button.clicked.connect(lambda: self._choose_selected("allow"))
        self.undo_button = QPushButton(self.tr("Undo my choice"))
        self.undo_button.setToolTip(self.tr("Let ShopRec decide about the selected item again"))
        self.undo_button.clicked.connect(lambda: self._choose_selected("reset"))
        for button in (self.keep_out_button, self.allow_button, self.undo_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self._non_product_rows: list[tuple[str, str]] = []  # (item id, "out" | "in" by owner?)
        self._non_product_buttons()
        return page

    def load_non_products(self) -> Job | None:
        """Find the non-products on a worker thread (it reads every event) and show them."""
        from shoprec.core.data.merchandise import overview

        if self.session.path is None:
            return None
        job = self.track(start_in_workspace(self.session.path, overview, label="non-products"))
        job.succeeded.connect(self._show_non_products)
        return job

    def _show_non_products(self, result: Any) -> None:
        out, back = result
        table = self.non_products
        table.setRowCount(0)
        self._non_product_rows = []
        for n in out:
            self._add_non_product(n.item_id, n.title,
                                  non_product_reason(n.kind, n.detail, n.reason),
                                  self.tr("kept out by you") if n.source == "owner"
                                  else self.tr("kept out"), "owner" if n.source == "owner" else "auto")
        for item_id, title in back:
            self._add_non_product(item_id, title, "", self.tr("recommended: your choice"), "owner")
        self.lower_tabs.setTabText(1, self.tr("Not recommended ({n})").format(n=len(out)))
        table.resizeColumnsToContents()
        self._non_product_buttons()

    def _add_non_product(self, item_id: str, title: str, why: str, status: str, who: str) -> None:
        table = self.non_products
        row = table.rowCount()
        table.insertRow(row)
        for col, text in enumerate((item_id, title, why, status)):
            table.setItem(row, col, QTableWidgetItem(text))
        self._non_product_rows.append((item_id, who))

    def _selected_non_product(self) -> tuple[str, str] | None:
        rows = self.non_products.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self._non_product_rows):
            return None
        return self._non_product_rows[rows[0].row()]

    def _non_product_buttons(self) -> None:
        chosen = self._selected_non_product()
        self.allow_button.setEnabled(chosen is not None and chosen[1] == "auto")
        self.undo_button.setEnabled(chosen is not None and chosen[1] == "owner")

    def ask_keep_out(self) -> None:
        item_id, ok = QInputDialog.getText(self, self.tr("Keep an item out"),
                                           self.tr("Item id or SKU of the item never to recommend:"))
        if ok and item_id.strip():
            self.choose(item_id.strip(), "out")

    def _choose_selected(self, what: str) -> None:
        chosen = self._selected_non_product()
        if chosen is not None:
            self.choose(chosen[0], what)

    def choose(self, item_id: str, what: str) -> None:
        """Remember the owner's word on ``item_id``: "out", "allow" or "reset"."""
        from shoprec.core.data.merchandise import (
            OWNER_ALLOWED,
            OWNER_EXCLUDED,
            UnknownItems,
            set_owner_choice,
        )

        choice = {"out": OWNER_EXCLUDED, "allow": OWNER_ALLOWED, "reset": None}[what]
        try:
            set_owner_choice(self.session.ws, [item_id], choice)
        except UnknownItems:
            self.message.show_error(self.tr("There is no item “{item}” in this workspace.").format(
                item=item_id))
            return
        self.message.show_info(self.tr(
            "Saved. Lists change the next time you learn or rebuild them."))
        self.load_non_products()

    # -- formats --------------------------------------------------------------------------------
    def _load_formats(self) -> None:
        try:
            formats = list(known_formats(self.session.pm))
        except Exception as exc:  # noqa: BLE001  (a broken format plugin: detection still works)
            self.message.show_error(self.tr("Could not list the file layouts: {error}").format(
                error=exc))
            formats = []
        for fmt in formats:
            name = getattr(fmt, "name", fmt)
            self.format_titles[str(name)] = format_title(str(name), str(getattr(fmt, "title", name)))

    # -- importing ---------------------------------------------------------------------------
    def choose_files(self) -> None:
        self.session.action_requested.emit("import")

    def import_files(self, files: list[Path],
                     options: dict[Path, tuple[str | None, dict[str, str] | None]] | None = None
                     ) -> None:
        """Import ``files`` one after the other, each atomically; ``options`` gives a file's
        layout and column mapping (from the import preview), else both are detected."""
        if self.current_job is None:
            self._results = []  # a new batch: its summary replaces the last one
            self._failures = ""
            self.message.hide()
        for f in files:
            fmt, mapping = (options or {}).get(Path(f), (None, None))
            self.queue.append((Path(f), fmt, mapping))
        if self.current_job is None:
            self._next()

    def _next(self) -> None:
        if not self.queue:
            self.current_job = None
            self.import_button.setEnabled(True)
            return
        path, fmt, mapping = self.queue.pop(0)
        self.import_button.setEnabled(False)
        kwargs: dict[str, Any] = {"pm": self.session.pm}
        if fmt:
            kwargs["format"] = fmt
        if mapping:
            kwargs["mapping"] = mapping
        if process_worker.enabled():
            # In a process of its own, as learning is: the window never waits on the import's
            # Python work (a thread's import paused it for up to 322 ms on a million rows).
            # The child finds the formats as `shoprec import` does.
            kwargs.pop("pm")
            job = process_worker.start_in_process(self.session.path, import_file, path,
                                                  label=path.name, **kwargs)
        else:
            job = start_in_workspace(self.session.path, import_file, path, label=path.name,
                                     **kwargs)
        self.current_job = self.track(job)
        text = (self.tr("Importing {file} ({n} more waiting)…").format(
            file=path.name, n=len(self.queue)) if self.queue
            else self.tr("Importing {file}…").format(file=path.name))
        self.progress.attach(job, text)
        self.status(self.tr("Importing {file}…").format(file=path.name))
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
        self.status(self.tr("Import failed: {error}").format(error=text))
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
        text = self.tr("Import of {file} cancelled; the workspace is unchanged.").format(
            file=name)
        if dropped:
            text += " " + self.tr("{n} waiting files not imported.").format(n=dropped)
        self.message.show_info(text)
        self.status(text)
        self._after()

    def _after(self, failed: bool = False) -> None:
        self.current_job = None
        self.session.notify_data_changed()
        if failed and self.queue:
            # Keep going with the other files; the message bar names the one that failed.
            self.status(self.tr("Continuing with {n} more files…").format(n=len(self.queue)))
        self._next()

    def load_demo(self) -> None:
        """Write the demo shop's exports and import them into the demo's own workspace
        (``demo-shop.shoprec`` beside this one), so it never mixes with a real shop's data."""
        from shoprec.core.demo import generate_demo_shop

        if self.current_job is not None:
            return
        folder = self.session.path.parent / "demo-shop"
        target = self.session.path.parent / DEMO_WORKSPACE
        if target.exists() and str(target) != str(self.session.path):
            self.session.action_requested.emit(f"open:{target}")  # made before: just open it
            return
        job = self.track(start(generate_demo_shop, folder, label="demo shop"))
        self.current_job = job
        self.import_button.setEnabled(False)
        self.demo_button.setEnabled(False)
        self.progress.attach(job, self.tr("Writing the demo shop's exports…"))
        job.succeeded.connect(lambda shop: (
            self._demo_done(),
            self.session.open_requested.emit(str(target), [str(f) for f in shop.files])))
        job.failed.connect(lambda *_: self._demo_done())
        job.cancelled.connect(self._demo_done)

    def _demo_done(self) -> None:
        self.current_job = None
        self.import_button.setEnabled(True)
        self.demo_button.setEnabled(True)

    # -- views --------------------------------------------------------------------------------
    def refresh(self) -> None:
        if not self.format_titles:
            self._load_formats()  # on first use: the plugin manager imports torch
        info = self.session.info()
        by_type = ", ".join(event_count_text(t, fmt_number(n))
                            for t, n in info["events_by_type"].items())
        self.counts.setText(
            self.tr("<b>{customers}</b> customers · <b>{items}</b> products · <b>{events}</b> "
                    "events").format(customers=fmt_number(info["customers"]),
                                     items=fmt_number(info["items"]),
                                     events=fmt_number(info["events"]))
            + (f" ({by_type})" if by_type else "")
            + " · " + self.tr("{imports} imports · {rejects} rejected rows").format(
                imports=fmt_number(info["imports"]), rejects=fmt_number(info["rejects"])))
        self.imports_model.set_query(self.session.conn, queries.imports_query().sql)
        has_imports = self.imports_model.rowCount() > 0
        if info["items"]:
            self.load_non_products()
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
        import_id, name, rejected = row[0], row[1], row[9]
        rejects = queries.rejects_query(import_id)
        self.rejects_model.set_query(self.session.conn, rejects.sql, rejects.params)
        if rejected:
            self.rejects_label.setText(self.tr("Rejected rows in {file}: <b>{n}</b>").format(
                n=fmt_number(rejected), file=name))
        else:
            self.rejects_label.setText(self.tr(
                "No rejected rows in {file}: every row was imported or recognised as a "
                "duplicate.").format(file=name))
        fit_columns(self.rejects_view, 480)
