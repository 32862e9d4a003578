"""Before an import: how each file will be read, with the column mapping editable.

For every file the dialog shows the detected format, encoding and separator and the first rows
as ShopRec will read them, with one drop-down per column saying which field it fills. Changing a
drop-down (or the format) checks the file again at once, so a mapping that leaves out a needed
field is caught before anything is written. :meth:`ImportPreviewDialog.options` gives, per
file, the ``format`` and ``mapping`` arguments of :func:`shoprec.core.importing.import_file`.
Only the file's first bytes are read here (the core's own sniffing and detection).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shoprec.core.importing import FIELDS, ImportFailed, known_formats
from shoprec.core.importing.detect import detect
from shoprec.core.importing.sniff import sniff

from . import style
from .texts import field_text, format_title

PREVIEW_ROWS = 8
DELIMITER_NAMES = {",": ",", ";": ";", "\t": "Tab", "|": "|"}


def read_preview(path: Path, specs: list[Any], format_name: str | None,
                 mapping: dict[str, str] | None) -> dict[str, Any]:
    """How ``path`` will be read: encoding, separator, format, header, column → field, rows,
    or the one-line problem (``error``) when it cannot be read that way."""
    out: dict[str, Any] = {"encoding": "", "delimiter": "", "format": "", "header": [],
                           "columns": {}, "rows": [], "error": ""}
    try:
        sniffed = sniff(path)
    except ImportFailed as exc:
        out["error"] = str(exc)
        return out
    out["encoding"] = sniffed.label
    out["delimiter"] = sniffed.delimiter
    rows = sniffed.sample_rows
    try:
        layout = detect(path, rows, sniffed.delimiter, specs, format_name=format_name,
                        user_mapping=mapping)
    except ImportFailed as exc:
        out["error"] = str(exc)
        width = max((len(r) for r in rows[:20]), default=0)
        out["header"] = [c.strip().lstrip("\ufeff") for c in rows[0]] if rows else []
        out["header"] += [str(i + 1) for i in range(len(out["header"]), width)]
        out["rows"] = rows[1:PREVIEW_ROWS + 1]
        return out
    out["format"] = format_title(layout.spec.name, layout.spec.title)
    out["header"] = layout.header
    out["columns"] = dict(layout.columns)
    out["rows"] = rows[1 if layout.has_header else 0:][:PREVIEW_ROWS]
    return out


class ImportPreviewDialog(QDialog):
    """Preview and mapping for the files about to be imported."""

    def __init__(self, files: list[Path], pm: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import shop exports"))
        self.resize(900, 520)
        self.files = list(files)
        self.specs = known_formats(pm)
        #: per file: (format name or None, user mapping {column: field})
        self.choices: dict[Path, tuple[str | None, dict[str, str]]] = {
            f: (None, {}) for f in self.files}
        self.previews: dict[Path, dict[str, Any]] = {}

        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Check how your files will be read. Each column's drop-down "
                               "says what it holds; change one if ShopRec guessed wrong."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.file_combo = QComboBox()
        for f in self.files:
            self.file_combo.addItem(f.name, str(f))
        self.file_combo.currentIndexChanged.connect(lambda _: self._show())
        form.addRow(self.tr("File"), self.file_combo)
        self.format_combo = QComboBox()
        self.format_combo.addItem(self.tr("Detect automatically"), None)
        for spec in self.specs:
            self.format_combo.addItem(format_title(spec.name, spec.title), spec.name)
        self.format_combo.currentIndexChanged.connect(self._format_changed)
        form.addRow(self.tr("Layout"), self.format_combo)
        layout.addLayout(form)
        self.detected = QLabel()
        self.detected.setWordWrap(True)
        self.detected.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.detected)
        self.table = QTableWidget()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table, 1)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(self.tr("Import"),
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.field_combos: list[QComboBox] = []
        self._show()

    # -- the shown file ---------------------------------------------------------------------
    def current_file(self) -> Path:
        return Path(self.file_combo.currentData())

    def _format_changed(self) -> None:
        path = self.current_file()
        _, mapping = self.choices[path]
        self.choices[path] = (self.format_combo.currentData(), mapping)
        self._show()

    def _show(self) -> None:
        path = self.current_file()
        fmt, mapping = self.choices[path]
        preview = read_preview(path, self.specs, fmt, mapping or None)
        self.previews[path] = preview
        self.format_combo.blockSignals(True)
        index = self.format_combo.findData(fmt)
        self.format_combo.setCurrentIndex(index if index >= 0 else 0)
        self.format_combo.blockSignals(False)
        parts = []
        if preview["format"]:
            parts.append(self.tr("Layout: <b>{format}</b>").format(format=preview["format"]))
        if preview["encoding"]:
            parts.append(self.tr("Encoding: <b>{encoding}</b>").format(
                encoding=preview["encoding"]))
        if preview["delimiter"]:
            sep = DELIMITER_NAMES.get(preview["delimiter"], preview["delimiter"])
            parts.append(self.tr("Separator: <b>{sep}</b>").format(
                sep=self.tr("Tab") if sep == "Tab" else sep))
        self.detected.setText(" · ".join(parts))
        self._fill_table(preview)
        if preview["error"]:
            self.problem.setText(
                f"<span style='color:{style.bad()}'>"
                + self.tr("This file cannot be read this way: {error}").format(
                    error=preview["error"])
                + "</span><br>" + self.tr("Choose what the columns hold, or the layout above."))
        else:
            self.problem.setText("")
        self._update_ready()

    def _fill_table(self, preview: dict[str, Any]) -> None:
        header, columns, rows = preview["header"], preview["columns"], preview["rows"]
        self.table.clear()
        self.table.setColumnCount(len(header))
        self.table.setRowCount(len(rows) + 1)
        self.table.setHorizontalHeaderLabels(header)
        self.field_combos = []
        for c, name in enumerate(header):
            combo = QComboBox()
            combo.addItem(field_text("ignore"), "ignore")
            for field in FIELDS:
                if field != "ignore":
                    combo.addItem(field_text(field), field)
            combo.setCurrentIndex(max(0, combo.findData(columns.get(c, "ignore"))))
            combo.setToolTip(self.tr("What column “{name}” holds").format(name=name))
            combo.currentIndexChanged.connect(
                lambda _i, col=name, box=combo: self._mapping_changed(col, box.currentData()))
            self.table.setCellWidget(0, c, combo)
            self.field_combos.append(combo)
        for r, row in enumerate(rows, start=1):
            for c in range(len(header)):
                self.table.setItem(r, c, QTableWidgetItem(row[c] if c < len(row) else ""))
        self.table.resizeColumnsToContents()
        for c in range(len(header)):
            self.table.setColumnWidth(c, min(max(self.table.columnWidth(c), 120), 260))

    def _mapping_changed(self, column: str, field: str) -> None:
        path = self.current_file()
        fmt, mapping = self.choices[path]
        self.choices[path] = (fmt, {**mapping, column: field})
        self._show()

    def set_field(self, column: str, field: str) -> None:
        """Say that ``column`` of the shown file holds ``field`` (what the drop-down does)."""
        header = self.previews[self.current_file()]["header"]
        combo = self.field_combos[header.index(column)]
        combo.setCurrentIndex(combo.findData(field))

    def _update_ready(self) -> None:
        self.import_button.setEnabled(all(not p["error"] for p in self.previews.values()))

    # -- the answer ----------------------------------------------------------------------------
    def options(self) -> dict[Path, tuple[str | None, dict[str, str] | None]]:
        """Per file: (format name or None to detect, column mapping or None)."""
        return {f: (fmt, mapping or None) for f, (fmt, mapping) in self.choices.items()}
