"""Languages: Simplified Chinese and English through Qt's own translators.

The catalogue is ``resources/i18n/shoprec_zh_CN.ts`` (edited with Qt Linguist or by hand, updated
with ``pyside6-lupdate``), compiled to ``shoprec_zh_CN.qm`` with ``pyside6-lrelease`` and shipped in
the package. The language follows the system locale unless Preferences names one (QSettings
``language``: ``""`` = system, ``en``, ``zh_CN``). Qt's own catalogue (qtbase) is loaded too, so
standard dialogs and buttons speak the same language.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

#: (setting value, name shown in Preferences): each language names itself.
LANGUAGES = (("", None), ("en", "English"), ("zh_CN", "简体中文"))
SUPPORTED = ("en", "zh_CN")

_installed: list[QTranslator] = []
_current = "en"


def catalogue_dir() -> Path:
    with resources.as_file(resources.files("shoprec.resources").joinpath("i18n")) as folder:
        return Path(folder)


def resolve(language: str | None) -> str:
    """A supported language for a setting ("" or None: the system's)."""
    if language in SUPPORTED:
        return language  # type: ignore[return-value]
    name = QLocale.system().name()  # e.g. zh_CN, zh_TW, en_GB
    return "zh_CN" if name.startswith("zh") else "en"


def current() -> str:
    return _current


def install(language: str | None) -> str:
    """Install the translators for ``language`` (replacing any), and return the one in use."""
    global _current
    app = QCoreApplication.instance()
    lang = resolve(language)
    for tr in _installed:
        if app is not None:
            app.removeTranslator(tr)
    _installed.clear()
    _current = lang
    QLocale.setDefault(QLocale(lang if lang != "en" else "en_US"))
    if lang == "en" or app is None:
        return lang
    ours = QTranslator()
    if ours.load(str(catalogue_dir() / f"shoprec_{lang}.qm")):
        app.installTranslator(ours)
        _installed.append(ours)
    qt = QTranslator()
    if qt.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    return lang
