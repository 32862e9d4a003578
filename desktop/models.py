"""Qt table models over workspace queries and plain row lists.

:class:`QueryTableModel` shows the rows of one SQL query and fetches them lazily in batches
(``canFetchMore``/``fetchMore``), so a table of a million events opens instantly and only loads
what is scrolled to. :class:`RowsTableModel` shows a list of already computed rows (plugins,
evaluation results, a customer's list). Both format numbers for people and right-align them.
"""

from __future__ import annotations

import datetime as _dt
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

Index = QModelIndex | QPersistentModelIndex
Formatter = Callable[[Any], str]

BATCH = 256


def fmt_number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return (QCoreApplication.translate("Format", "yes") if value
                else QCoreApplication.translate("Format", "no"))
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        if value == int(value) and abs(value) < 1e15:
            return f"{int(value):,}"
        return f"{value:,.4g}" if abs(value) < 1e5 else f"{value:,.0f}"
    return str(value)


def fmt_prob(value: Any) -> str:
    """A probability as a percentage with the precision small shop probabilities need."""
    if value is None:
        return ""
    p = float(value)
    if p != p:
        return ""
    if p >= 0.01:
        return f"{p:.1%}"
    if p >= 0.0001:  # two significant digits, kept when the second is 0 ("0.40%", not "0.4%")
        return f"{p * 100:#.2g}%"
    return "< 0.01%" if p > 0 else "0%"


def fmt_date(value: Any) -> str:
    """Unix seconds (UTC) → local ``YYYY-MM-DD``."""
    return fmt_time(value)[:10]


def fmt_time(value: Any) -> str:
    """Unix seconds (UTC) → local ``YYYY-MM-DD HH:MM``."""
    if value is None or value == "":
        return ""
    try:
        return _dt.datetime.fromtimestamp(int(value)).strftime("%Y-%m-%d %H:%M")
    except (OverflowError, OSError, ValueError):
        return str(value)


def fmt_text(value: Any, limit: int = 200) -> str:
    if value is None:
        return ""
    text = str(value).replace("\r", " ").replace("\n", " ⏎ ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _BaseModel(QAbstractTableModel):
    def __init__(
        self,
        headers: Sequence[str],
        formatters: dict[int, Formatter] | None = None,
        tooltips: Sequence[str] | None = None,
    ) -> None:
        super().__init__()
        self.headers = list(headers)
        self.formatters = formatters or {}
        self.tooltips = list(tooltips or [])
        self.rows: list[Sequence[Any]] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole and section < len(self.headers):
                return self.headers[section]
            if role == Qt.ItemDataRole.ToolTipRole and section < len(self.tooltips):
                return self.tooltips[section] or None
        elif role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def raw(self, row: int, column: int) -> Any:
        return self.rows[row][column]

    def row(self, row: int) -> Sequence[Any]:
        return self.rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        value = self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            fmt = self.formatters.get(index.column())
            if fmt is not None:
                return fmt(value)
            if isinstance(value, (int, float)):
                return fmt_number(value)
            return fmt_text(value)
        if role == Qt.ItemDataRole.ToolTipRole and isinstance(value, str) and len(value) > 60:
            return value[:2000]
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, (int, float)):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return value
        return None


class RowsTableModel(_BaseModel):
    """A table over a list of row tuples computed elsewhere."""

    def __init__(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[Any]] = (),
        formatters: dict[int, Formatter] | None = None,
        tooltips: Sequence[str] | None = None,
    ) -> None:
        super().__init__(headers, formatters, tooltips)
        self.rows = [tuple(r) for r in rows]

    def set_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        self.beginResetModel()
        self.rows = [tuple(r) for r in rows]
        self.endResetModel()


class QueryTableModel(_BaseModel):
    """Rows of ``sql`` on ``conn``, fetched lazily in batches of :data:`BATCH` as the view scrolls.

    ``sql`` must not end in LIMIT/OFFSET (they are appended per batch) and should have an ORDER BY
    so batches are stable. The connection belongs to the GUI thread.
    """

    def __init__(
        self,
        conn: sqlite3.Connection | None,
        sql: str = "",
        params: Sequence[Any] = (),
        headers: Sequence[str] = (),
        formatters: dict[int, Formatter] | None = None,
        tooltips: Sequence[str] | None = None,
        batch: int = BATCH,
    ) -> None:
        super().__init__(headers, formatters, tooltips)
        self.conn = conn
        self.sql = sql
        self.params = tuple(params)
        self.batch = batch
        self._exhausted = True
        self.set_query(conn, sql, params)

    def set_query(
        self, conn: sqlite3.Connection | None, sql: str, params: Sequence[Any] = ()
    ) -> None:
        """Show a new query (or nothing when ``conn`` is None or ``sql`` empty)."""
        self.beginResetModel()
        self.conn, self.sql, self.params = conn, sql, tuple(params)
        self.rows = []
        self._exhausted = conn is None or not sql
        self.endResetModel()
        if not self._exhausted:
            self.fetchMore(QModelIndex())

    def refresh(self) -> None:
        self.set_query(self.conn, self.sql, self.params)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted or self.conn is None:
            return
        try:
            batch = self.conn.execute(
                f"{self.sql} LIMIT ? OFFSET ?", (*self.params, self.batch, len(self.rows))
            ).fetchall()
        except sqlite3.Error:
            # A table that is being migrated or a workspace closed under us: show what we have.
            self._exhausted = True
            return
        if len(batch) < self.batch:
            self._exhausted = True
        if batch:
            start = len(self.rows)
            self.beginInsertRows(QModelIndex(), start, start + len(batch) - 1)
            self.rows.extend(batch)
            self.endInsertRows()

    def fetch_all(self, limit: int = 1_000_000) -> None:
        while self.canFetchMore() and len(self.rows) < limit:
            self.fetchMore()
