"""Preferences: language and colours, remembered in QSettings."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from . import settings
from .i18n import LANGUAGES


class PreferencesDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Preferences"))
        form = QFormLayout(self)
        self.language_combo = QComboBox()
        for value, name in LANGUAGES:
            self.language_combo.addItem(name or self.tr("Same as the system"), value)
        self.language_combo.setCurrentIndex(
            max(0, self.language_combo.findData(settings.get("language", ""))))
        form.addRow(self.tr("Language"), self.language_combo)
        self.scheme_combo = QComboBox()
        for value, name in (("system", self.tr("Same as the system")),
                            ("light", self.tr("Light")), ("dark", self.tr("Dark"))):
            self.scheme_combo.addItem(name, value)
        self.scheme_combo.setCurrentIndex(
            max(0, self.scheme_combo.findData(settings.get("scheme", "system"))))
        form.addRow(self.tr("Colours"), self.scheme_combo)
        note = QLabel(self.tr("Changes apply at once."))
        form.addRow(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def language(self) -> str:
        return self.language_combo.currentData()

    def scheme(self) -> str:
        return self.scheme_combo.currentData()
