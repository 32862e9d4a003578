"""Settings forms built generically from a strategy's params dataclass.

:class:`ParamsForm` reads :func:`shoprec.core.contracts.strategy.describe_params` and builds one editor per
field, with no strategy-specific code: ``choices`` → combo box, ``bool`` → check box, ``int`` →
spin box, ``float`` → double spin box (ranges from ``min``/``max``), ``str``/paths → line edit
(paths get a Browse… button), ``X | None`` → line edit where empty means None. Help text becomes
the tooltip of the field and its (dotted-underlined) label; fields marked ``advanced`` go into a
collapsed "Advanced" section.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .texts import choice_text, setting_text
from .widgets import plain_tooltip

if TYPE_CHECKING:
    from shoprec.core.contracts.strategy import ParamField

INT_LIMIT = 2_000_000_000  # QSpinBox holds a C int


def _unwrap_optional(tp: Any) -> tuple[Any, bool]:
    """``(X, True)`` for ``X | None`` / ``Optional[X]``, else ``(tp, False)``."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return tp, False


def label_for(name: str) -> str:
    """``learning_rate`` → ``Learning rate``."""
    text = name.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _float_decimals(pf: ParamField) -> int:
    """Enough decimals to show the default and the smallest allowed value, no more
    (a learning rate 3e-4 needs 5; a time budget of 30 minutes with minimum 0.05 needs 2)."""
    decimals = 2
    default = abs(float(pf.default or 0.0))
    if 0 < default < 1:
        decimals = max(decimals, math.ceil(-math.log10(default)) + 1)
    if pf.min is not None and 0 < float(pf.min) < 1:
        decimals = max(decimals, math.ceil(-math.log10(float(pf.min)) - 1e-9))
    return min(decimals, 8)


class _PathEdit(QWidget):
    """A line edit with a Browse… button (folder or file)."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit(text)
        self.button = QPushButton(self.tr("Browse…"))
        self.button.clicked.connect(self._browse)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose a folder"),
                                                  self.edit.text())
        if folder:
            self.edit.setText(folder)


class _NamesChecklist(QListWidget):
    """A comma-separated list of strategy names as ticks (Blend's members): the value is still
    the text ``"a,b,c"``, so any params dataclass with such a field needs nothing more."""

    changed = Signal()

    def __init__(self, names: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for name, title in names:
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.addItem(item)
        self.setMaximumHeight(22 * min(len(names), 8) + 6)
        self.itemChanged.connect(lambda _i: self.changed.emit())

    def text(self) -> str:
        return ",".join(self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())
                        if self.item(i).checkState() == Qt.CheckState.Checked)

    def setText(self, text: str) -> None:  # noqa: N802  (reads like QLineEdit's)
        wanted = {t.strip() for t in (text or "").split(",") if t.strip()}
        self.blockSignals(True)
        for i in range(self.count()):
            item = self.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole)
                               in wanted else Qt.CheckState.Unchecked)
        self.blockSignals(False)


class ParamsForm(QWidget):
    """Editors for every field of a params dataclass; :meth:`params` returns a validated instance."""

    changed = Signal()

    def __init__(self, params_cls: type, parent: QWidget | None = None,
                 strategy: str = "", strategies: list[tuple[str, str]] | None = None) -> None:
        super().__init__(parent)
        self.strategy = strategy
        #: (name, title) of the registered strategies: a text field whose default is a
        #: comma-separated list of them is edited as ticks.
        self.strategies = strategies or []
        if not dataclasses.is_dataclass(params_cls):
            raise TypeError(f"{params_cls!r} is not a dataclass")
        self.params_cls = params_cls
        from shoprec.core.contracts.strategy import (
            describe_params,  # the core's strategy module loads torch
        )

        self.fields: list[ParamField] = describe_params(params_cls)
        self.editors: dict[str, QWidget] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        basic = QFormLayout()
        # Advanced fields live in a container that an "Advanced" toggle shows and hides.
        self.advanced_toggle = QToolButton()
        self.advanced_toggle.setText(self.tr("Advanced"))
        self.advanced_toggle.setToolTip(self.tr("Settings that rarely need changing"))
        self.advanced_toggle.setCheckable(True)
        self.advanced_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.advanced_toggle.setAutoRaise(True)
        self.advanced_widget = QWidget()
        advanced = QFormLayout(self.advanced_widget)
        advanced.setContentsMargins(0, 0, 0, 0)
        n_advanced = 0
        for pf in self.fields:
            editor = self._make_editor(pf)
            self.editors[pf.name] = editor
            text, help_text = setting_text(self.strategy, pf.name, label_for(pf.name), pf.help)
            label = QLabel(text)
            label.setWordWrap(True)
            if help_text:
                label.setToolTip(plain_tooltip(help_text))
                editor.setToolTip(plain_tooltip(help_text))
                # A dotted underline says "hover me for help" without special glyphs.
                label.setStyleSheet("QLabel { text-decoration: underline dotted; }")
            (advanced if pf.advanced else basic).addRow(label, editor)
            n_advanced += pf.advanced
        if not self.fields:
            basic.addRow(QLabel(self.tr("This method has no settings.")))
        layout.addLayout(basic)
        if n_advanced:
            self.advanced_toggle.toggled.connect(self._toggle_advanced)
            layout.addWidget(self.advanced_toggle)
            layout.addWidget(self.advanced_widget)
        else:
            self.advanced_toggle.hide()
        self.advanced_widget.hide()
        self.set_values(self.defaults())

    def _toggle_advanced(self, on: bool) -> None:
        self.advanced_toggle.setArrowType(
            Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self.advanced_widget.setVisible(on)

    # -- editors -------------------------------------------------------------------------------
    def _make_editor(self, pf: ParamField) -> QWidget:
        tp, optional = _unwrap_optional(pf.type)
        if pf.choices:
            combo = QComboBox()
            for choice in pf.choices:
                combo.addItem(choice_text(choice), choice)
            combo.currentIndexChanged.connect(self.changed)
            return combo
        if tp is bool and not optional:
            box = QCheckBox()
            # Fixed size: the box must not stretch across the form, so a click lands on it.
            box.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            box.toggled.connect(self.changed)
            return box
        if tp is int and not optional:
            spin = QSpinBox()
            spin.setRange(
                int(pf.min) if pf.min is not None else -INT_LIMIT,
                int(pf.max) if pf.max is not None else INT_LIMIT,
            )
            spin.setAccelerated(True)
            spin.setGroupSeparatorShown(True)
            if pf.zero and pf.min is not None:
                spin.setSpecialValueText(choice_text(pf.zero))  # Qt shows it at the minimum
            spin.valueChanged.connect(self.changed)
            return spin
        if tp is float and not optional:
            spin = QDoubleSpinBox()
            decimals = _float_decimals(pf)
            spin.setDecimals(decimals)
            spin.setRange(
                float(pf.min) if pf.min is not None else -1e12,
                float(pf.max) if pf.max is not None else 1e12,
            )
            default = abs(float(pf.default or 0.0))
            spin.setSingleStep(10 ** math.floor(math.log10(default)) if default else 10**-decimals)
            spin.setAccelerated(True)
            if pf.zero and pf.min is not None:
                spin.setSpecialValueText(choice_text(pf.zero))  # Qt shows it at the minimum
            spin.valueChanged.connect(self.changed)
            return spin
        known = {name for name, _ in self.strategies}
        if (tp is str and isinstance(pf.default, str) and "," in pf.default and known
                and {t.strip() for t in pf.default.split(",")} <= known):
            checklist = _NamesChecklist(self.strategies)
            checklist.changed.connect(self.changed)
            return checklist
        if tp is Path or (isinstance(tp, type) and issubclass(tp, Path)):
            path_edit = _PathEdit("")
            path_edit.edit.textChanged.connect(self.changed)
            return path_edit
        edit = QLineEdit()
        if optional:
            edit.setPlaceholderText(self.tr("(not set)"))
        edit.textChanged.connect(self.changed)
        return edit

    # -- values ------------------------------------------------------------------------------
    def defaults(self) -> dict[str, Any]:
        return {pf.name: pf.default for pf in self.fields}

    def set_values(self, values: dict[str, Any]) -> None:
        """Fill the editors from ``values`` (e.g. a stored run's JSON); unknown keys and values
        that do not fit an editor are left at what the editor shows."""
        for pf in self.fields:
            if pf.name not in values:
                continue
            value = values[pf.name]
            editor = self.editors[pf.name]
            try:
                if isinstance(editor, QComboBox):
                    index = editor.findData(value)
                    index = index if index >= 0 else editor.findText(str(value))
                    if index >= 0:
                        editor.setCurrentIndex(index)
                elif isinstance(editor, QCheckBox):
                    editor.setChecked(bool(value))
                elif isinstance(editor, QSpinBox):
                    editor.setValue(int(value))
                elif isinstance(editor, QDoubleSpinBox):
                    editor.setValue(float(value))
                elif isinstance(editor, _PathEdit):
                    editor.edit.setText("" if value is None else str(value))
                elif isinstance(editor, _NamesChecklist):
                    editor.setText("" if value is None else str(value))
                elif isinstance(editor, QLineEdit):
                    editor.setText("" if value is None else str(value))
            except (TypeError, ValueError, OverflowError):
                continue  # e.g. None stored for a number: keep the editor's value

    def set_params(self, params: Any) -> None:
        self.set_values(dataclasses.asdict(params))

    def reset(self) -> None:
        """Restore every field's default."""
        self.set_values(self.defaults())

    def values(self) -> dict[str, Any]:
        """The raw editor values, typed (raises ValueError naming a field that does not parse)."""
        out: dict[str, Any] = {}
        for pf in self.fields:
            editor = self.editors[pf.name]
            tp, optional = _unwrap_optional(pf.type)
            if isinstance(editor, QComboBox):
                out[pf.name] = editor.currentData()
            elif isinstance(editor, QCheckBox):
                out[pf.name] = editor.isChecked()
            elif isinstance(editor, QSpinBox):
                out[pf.name] = int(editor.value())
            elif isinstance(editor, QDoubleSpinBox):
                out[pf.name] = float(editor.value())
            else:
                text = (editor.edit if isinstance(editor, _PathEdit)
                        else editor).text().strip()  # type: ignore[union-attr]
                if optional and not text:
                    out[pf.name] = None
                elif tp in (int, float):
                    try:
                        out[pf.name] = tp(text)
                    except ValueError as exc:
                        raise ValueError(
                            f"{label_for(pf.name)}: {text!r} is not a valid {tp.__name__}"
                        ) from exc
                elif isinstance(tp, type) and issubclass(tp, Path):
                    out[pf.name] = tp(text) if text else pf.default
                else:
                    out[pf.name] = text
        return out

    def params(self) -> Any:
        """A validated params dataclass (raises ValueError naming the offending field)."""
        from shoprec.core.contracts.strategy import validate_params

        params = self.params_cls(**self.values())
        validate_params(params)
        return params
