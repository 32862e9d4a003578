"""Customers tab: find a customer, see their history, their portrait and their current lists.

The search matches the shop's customer id, e-mail or name. For the selected customer the tab shows
the portrait (top categories and brands, price band, RFM segment, nearest items — from
:mod:`shoprec.core.shop.portrait` when it is available, else a summary computed from the history), the
events in reverse time order, and the list each trained strategy stored for them in the workspace.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from shoprec.core.store import queries
from shoprec.core.store.runs import list_runs

from .. import style
from ..models import QueryTableModel, fmt_date, fmt_number, fmt_prob, fmt_time
from ..reasons import reason_text
from ..texts import event_count_text, event_text, segment_text, strategy_title_by_name
from ..widgets import EmptyState
from ..worker import Job, start, start_in_workspace
from .base import Tab
from .data import fit_columns, make_table


def _reason(value: str | None) -> str:
    code, title, stored = ((value or "").split(queries.REASON_SEPARATOR) + ["", "", ""])[:3]
    return reason_text(code or None, title, stored)

translate = QCoreApplication.translate


def compute_portrait(
    path: Any, customer: str, run_id: int | None, cache: dict[str, Any]
) -> Any:
    """The core portrait of shop customer ``customer``, with nearest items from ``run_id``'s
    model when given. Runs on a worker thread with its own workspace connection; ``cache`` keeps
    the dataset and loaded runs between calls."""
    from shoprec.core import engine
    from shoprec.core.data.dataset import Dataset
    from shoprec.core.shop.portrait import customer_portrait
    from shoprec.core.store.workspace import Workspace

    ws = Workspace(path)
    try:
        if "dataset" not in cache:
            cache["dataset"] = Dataset.from_workspace(ws)
        ds = cache["dataset"]
        strategy = None
        if run_id is not None:
            key = f"run{run_id}"
            if key not in cache:
                try:
                    cache[key] = engine.load_run(ws, int(run_id), device="cpu")
                except Exception:  # noqa: BLE001  (an old or foreign run: portrait without it)
                    cache[key] = None
            loaded = cache[key]
            if loaded is not None:
                strategy, ds_run = loaded.strategy, loaded.dataset
                users = ds_run.user_index([customer])
                if len(users) and users[0] >= 0:
                    return customer_portrait(ds_run, int(users[0]), strategy)
        users = ds.user_index([customer])
        if not len(users) or users[0] < 0:
            return None
        return customer_portrait(ds, int(users[0]))
    finally:
        ws.close()


def portrait_lines(p: Any, source: str) -> list[str]:
    """The portrait as a few lines of rich text."""
    def share(pairs: list[tuple[str, float]]) -> str:
        return ", ".join(f"{html.escape(str(name))} ({weight:.0%})" for name, weight in pairs)

    lines = []
    if p.segment and p.segment != "no history":
        facts = [translate("CustomersTab", "<b>Kind of customer:</b> {segment}").format(
            segment=html.escape(segment_text(p.segment)))]
        if p.recency_days is not None:
            facts.append(translate("CustomersTab", "last active {days} days before the newest "
                                                   "data").format(days=f"{p.recency_days:.0f}"))
        if p.frequency:
            facts.append(translate("CustomersTab", "{n} orders").format(n=fmt_number(p.frequency)))
        if p.monetary:
            facts.append(translate("CustomersTab", "spent {money}").format(
                money=f"{p.monetary:,.2f}"))
        lines.append(" · ".join(facts))
    bands = {"budget": translate("CustomersTab", "budget"),
             "mid-range": translate("CustomersTab", "mid-range"),
             "premium": translate("CustomersTab", "premium")}
    if p.price_band != "unknown":
        lines.append(translate("CustomersTab", "<b>Prices they pay:</b> {band}").format(
            band=bands.get(p.price_band, p.price_band))
            + (translate("CustomersTab", " (typically {price})").format(
                price=f"{p.median_price:,.2f}") if p.median_price is not None else ""))
    if p.top_categories:
        lines.append(translate("CustomersTab", "<b>Likes:</b> {what}").format(
            what=share(p.top_categories)))
    if p.top_brands:
        lines.append(translate("CustomersTab", "<b>Brands:</b> {what}").format(
            what=share(p.top_brands)))
    if p.nearest_items:
        names = ", ".join(html.escape(title or item) for item, title, _ in p.nearest_items)
        lines.append(translate("CustomersTab", "<b>Closest to their taste</b> ({source}): "
                                               "{names}").format(source=html.escape(source),
                                                                 names=names))
    return lines


class CustomersTab(Tab):
    key = "customers"
    title = "Customers"
    tooltip = "Find a customer: their history, portrait and recommendation lists"
    order = 20

    def label(self) -> str:
        return self.tr("Customers")

    def hint(self) -> str:
        return self.tr("Find a customer: their history, what they like and their lists")

    def __init__(self, session, parent=None) -> None:  # noqa: ANN001
        super().__init__(session, parent)
        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search customers by id, e-mail or name (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)  # search as you type, without a query per keystroke
        self._search_timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        self.search.returnPressed.connect(self.run_search)
        QShortcut(QKeySequence.StandardKey.Find, self, self._focus_search)
        self.count_label = QLabel()
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)
        self.forget_button = QPushButton(self.tr("Forget this customer…"))
        self.forget_button.setObjectName("forget_customer")
        self.forget_button.setToolTip(self.tr(
            "Erase this customer from the workspace for good (a data-deletion request)"))
        self.forget_button.setEnabled(False)
        self.forget_button.clicked.connect(self.ask_forget)
        top.addWidget(self.forget_button)
        self.outer.addLayout(top)

        self.customers_model = QueryTableModel(
            None, headers=("", self.tr("Customer"), self.tr("Name"), self.tr("E-mail"),
                           self.tr("Events"), self.tr("Last seen")), formatters={5: fmt_date})
        self.customers_view = make_table(self.customers_model)
        self.customers_view.setColumnHidden(0, True)
        self.customers_view.selectionModel().currentRowChanged.connect(self._select)

        # Detail side: portrait on top, then History / Lists sub-tabs.
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(6, 0, 0, 0)
        self.portrait = QLabel()
        self.portrait.setWordWrap(True)
        self.portrait.setTextFormat(Qt.TextFormat.RichText)
        self.portrait.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.portrait.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.portrait.setStyleSheet(style.panel_style())
        detail_layout.addWidget(self.portrait)
        self.detail_tabs = QTabWidget()
        self.history_model = QueryTableModel(
            None, headers=(self.tr("When"), self.tr("Event"), self.tr("Item"), self.tr("Title"),
                           self.tr("Qty"), self.tr("Value"), self.tr("Order")),
            formatters={0: fmt_time, 1: event_text})
        self.history_view = make_table(self.history_model)
        self.detail_tabs.addTab(self.history_view, self.tr("History"))
        lists = QWidget()
        lists_layout = QVBoxLayout(lists)
        lists_layout.setContentsMargins(0, 4, 0, 0)
        run_row = QHBoxLayout()
        run_row.addWidget(QLabel(self.tr("List from:")))
        self.run_combo = QComboBox()
        self.run_combo.setToolTip(self.tr("The stored lists of a learned method (newest first)"))
        self.run_combo.currentIndexChanged.connect(
            lambda _: (self._show_list(), self._request_portrait()))
        run_row.addWidget(self.run_combo, 1)
        lists_layout.addLayout(run_row)
        self.list_model = QueryTableModel(
            None, headers=(self.tr("Rank"), self.tr("Item"), self.tr("Title"), self.tr("Chance"),
                           self.tr("Why")),
            formatters={3: fmt_prob, 4: _reason})
        self.list_view = make_table(self.list_model)
        self.list_empty = EmptyState()
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.list_view)
        self.list_stack.addWidget(self.list_empty)
        lists_layout.addWidget(self.list_stack, 1)
        self.detail_tabs.addTab(lists, self.tr("Current list"))
        detail_layout.addWidget(self.detail_tabs, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.customers_view)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([560, 760])
        self.empty = EmptyState()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(splitter)
        self.outer.addWidget(self.stack, 1)
        self.customer_id: int | None = None
        self.portrait_job: Job | None = None
        self._portrait_pending = False
        # Dataset and loaded runs for portraits, filled on the worker thread; replaced (never
        # cleared in place) when the data change, so a running job keeps a consistent one.
        self._cache: dict[str, Any] = {}

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # -- searching --------------------------------------------------------------------------
    def run_search(self) -> None:
        text = self.search.text().strip()
        query = queries.customers_query(text)
        self.customers_model.set_query(self.session.conn, query.sql, query.params)
        shown = self.customers_model.rowCount()
        more = "+" if self.customers_model.canFetchMore() else ""
        total = self.session.info()["customers"]
        if text:
            self.count_label.setText(self.tr("{shown} of {total} match").format(
                shown=f"{fmt_number(shown)}{more}", total=fmt_number(total)))
        else:
            self.count_label.setText(self.tr("{n} customers").format(n=fmt_number(total)))
        fit_columns(self.customers_view, 240)
        if shown:
            self.customers_view.selectRow(0)
        else:
            self._clear_detail(
                self.tr("No customer matches “{text}”.").format(text=html.escape(text)) if text
                else self.tr("No customers yet."))

    def refresh(self) -> None:
        self._cache = {}
        total = self.session.info()["customers"]
        if total == 0:
            self.empty.setText(self.tr(
                "No customers yet.\n\nImport your orders or an event list in the Data tab; "
                "customers appear here with their history and their lists."))
            self.stack.setCurrentIndex(0)
            self.search.setEnabled(False)
            self.count_label.setText("")
            self.customers_model.set_query(None, "")
            self._clear_detail("")
            return
        self.search.setEnabled(True)
        self.stack.setCurrentIndex(1)
        # Shopify uses the e-mail as the customer id: an e-mail column would only repeat it.
        self.customers_view.setColumnHidden(3, not queries.emails_differ_from_ids(self.session.ws))
        self._load_runs()
        self.run_search()

    # -- the selected customer ------------------------------------------------------------
    def _clear_detail(self, text: str) -> None:
        self.customer_id = None
        self.forget_button.setEnabled(False)
        self.portrait.setText(text)
        self.history_model.set_query(None, "")
        self.list_model.set_query(None, "")

    def _select(self, current, _previous=None) -> None:  # noqa: ANN001
        if not current.isValid():
            return
        row = self.customers_model.row(current.row())
        self.select_customer(int(row[0]))

    def select_customer(self, customer_id: int) -> None:
        self.customer_id = customer_id
        self.forget_button.setEnabled(True)
        history = queries.history_query(customer_id)
        self.history_model.set_query(self.session.conn, history.sql, history.params)
        fit_columns(self.history_view, 280)
        self.portrait.setText(self.portrait_html(customer_id))
        self._show_list()
        self._request_portrait()

    def portrait_html(self, customer_id: int, brief: bool = False) -> str:
        """Who the customer is (name, ids) and a summary of their history, straight from SQL;
        the computed portrait (:meth:`_request_portrait`) is added when it arrives."""
        who = queries.customer(self.session.ws, customer_id)
        ext, email, name = who.external_id, who.email, who.name
        title = name or email or ext
        sub = " · ".join(html.escape(x) for x in dict.fromkeys((ext, email)) if x and x != title)
        title = html.escape(title)
        lines = [f"<b style='font-size:14px'>{title}</b>"
                 + (f" <span style='color:{style.muted()}'>{sub}</span>" if sub else "")]
        summary = self._history_summary(customer_id)
        lines.extend(summary[:1] if brief else summary)
        return "<br>".join(lines)

    # -- the computed portrait (core.portrait), off the GUI thread -------------------------
    def _request_portrait(self) -> None:
        if self.customer_id is None:
            return
        if self.portrait_job is not None and self.portrait_job.running:
            self._portrait_pending = True  # one at a time; the newest selection wins
            return
        who = queries.customer(self.session.ws, self.customer_id)
        if who is None:
            return
        customer_id, run_id = self.customer_id, self.run_combo.currentData()
        job = self.track(start(compute_portrait, self.session.path, who.external_id, run_id, self._cache,
                               label="portrait"))
        self.portrait_job = job
        job.succeeded.connect(lambda p: self._show_portrait(customer_id, run_id, p))
        job.finished.connect(self._portrait_finished)

    def _portrait_finished(self) -> None:
        self.portrait_job = None
        if self._portrait_pending:
            self._portrait_pending = False
            self._request_portrait()

    def _show_portrait(self, customer_id: int, run_id: Any, portrait: Any) -> None:
        if portrait is None or customer_id != self.customer_id:
            return
        base = self.portrait_html(customer_id, brief=True)  # the portrait has the rest
        index = self.run_combo.findData(run_id)
        source = self.run_combo.itemText(index).split(" — ")[0] if index >= 0 else ""
        label = (self.tr("{source}, run {run}").format(source=source, run=run_id) if source
                 else self.tr("run {run}").format(run=run_id))
        self.portrait.setText(base + "<br>" + "<br>".join(portrait_lines(portrait, label)))

    def _history_summary(self, customer_id: int) -> list[str]:
        act = queries.activity(self.session.ws, customer_id)
        if not act.events:
            return [f"<span style='color:{style.muted()}'>"
                    + self.tr("No events for this customer yet.") + "</span>"]
        lines = [self.tr("<b>Activity:</b> {what} from {first} to {last}").format(
            what=", ".join(event_count_text(t, fmt_number(c)) for t, c in act.by_type),
            first=fmt_time(act.first)[:10], last=fmt_time(act.last)[:10])]
        if act.orders:
            lines.append(self.tr("<b>Orders:</b> {n}").format(n=fmt_number(act.orders))
                         + (self.tr(", spent {money}").format(money=f"{act.spent:,.2f}")
                            if act.spent else ""))
        if act.top_categories:
            lines.append(self.tr("<b>Top categories:</b> {what}").format(
                what=html.escape(", ".join(act.top_categories))))
        return lines

    # -- stored lists ---------------------------------------------------------------------
    def _load_runs(self) -> None:
        previous = self.run_combo.currentData()
        self.run_combo.blockSignals(True)
        self.run_combo.clear()
        for run in list_runs(self.session.ws):
            self.run_combo.addItem(self.tr("{strategy} — {when} (run {run})").format(
                strategy=strategy_title_by_name(run.strategy), when=fmt_time(run.created_at),
                run=run.id), run.id)
        index = self.run_combo.findData(previous)
        self.run_combo.setCurrentIndex(index if index >= 0 else 0)
        self.run_combo.blockSignals(False)

    def _show_list(self) -> None:
        run_id = self.run_combo.currentData()
        if run_id is None:
            self.list_empty.setText(self.tr(
                "No lists yet.\n\nLet ShopRec learn in the Recommendations tab; the lists "
                "appear here for every customer."))
            self.list_stack.setCurrentIndex(1)
            return
        if self.customer_id is None:
            return
        stored = queries.stored_list_query(run_id, self.customer_id)
        self.list_model.set_query(self.session.conn, stored.sql, stored.params)
        if self.list_model.rowCount() == 0:
            self.list_empty.setText(self.tr(
                "There is no list for this customer (no item passed the filter, or they were "
                "not included)."))
            self.list_stack.setCurrentIndex(1)
        else:
            self.list_stack.setCurrentIndex(0)
            fit_columns(self.list_view, 300)

    # -- forgetting a customer (core.forget) ------------------------------------------------
    def forget_question(self) -> tuple[str, str] | None:
        """The selected customer's shop id and the confirmation naming what will be removed."""
        if self.customer_id is None:
            return None
        from shoprec.core.store.erasure import plan

        who = queries.customer(self.session.ws, self.customer_id)
        ext, email, name = who.external_id, who.email, who.name
        p = plan(self.session.ws, [ext])
        who = " · ".join(x for x in dict.fromkeys((name, ext, email)) if x)
        events = sum(n for table, n in p.rows.items() if table == "events")
        lists = p.rows.get("run_lists", 0)
        other = sum(n for table, n in p.rows.items()
                    if table not in ("customers", "events", "run_lists"))
        text = self.tr(
            "Permanently erase {who}?\n\n"
            "This removes the customer, {events} events, {lists} list entries and {other} other "
            "rows naming them, and rebuilds the workspace file so nothing of them is left in it. "
            "{runs} trained run(s) learned from them: their models are removed too (train again "
            "afterwards).\n\n"
            "A backup is made first; it still holds the customer. Your own export files are not "
            "changed. This cannot be undone."
        ).format(who=who, events=events, lists=lists, other=other, runs=len(p.runs))
        return ext, text

    def ask_forget(self) -> None:
        question = self.forget_question()
        if question is None:
            return
        ext, text = question
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Forget this customer"), text,
                          QMessageBox.StandardButton.Cancel, self)
        erase = box.addButton(self.tr("Erase"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is erase:
            self.forget_now(ext)

    def forget_now(self, external_id: str) -> Job:
        """Erase ``external_id`` on a worker thread; the tabs refresh when it is done."""
        from shoprec.core.store.erasure import forget

        self.forget_button.setEnabled(False)
        self._clear_detail(self.tr("Erasing the customer…"))
        job = self.track(start_in_workspace(
            self.session.path, forget, [external_id], command="desktop: Customers",
            label="forget"))
        job.succeeded.connect(self._forgotten)
        return job

    def _forgotten(self, result: Any) -> None:
        self.message.show_ok(self.tr(
            "Erased {n} customer(s) and {events} events. A backup made just before is in {folder}; "
            "it still holds them.").format(
                n=result.customers, events=result.rows.get("events", 0),
                folder=str(result.backup.parent) if result.backup else "-"))
        self.session.notify_data_changed()
