"""Chinese and English: a complete catalogue, no English left in the Chinese window, a switch
in Preferences that is remembered."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import (  # noqa: E402
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QTabWidget,
    QWidget,
)
from shoprec.desktop import i18n, settings  # noqa: E402
from shoprec.desktop.main_window import MainWindow  # noqa: E402
from shoprec.desktop.session import Session  # noqa: E402

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "resources" / "i18n" / "shoprec_zh_CN.ts"
#: words allowed in the Chinese window: product and platform names, units, keys
ALLOWED = {
    "shoprec", "csv", "json", "excel", "xlsx", "shopify", "woocommerce", "square", "etsy",
    "prestashop", "magento", "movielens", "klaviyo", "mailchimp", "brevo", "sku", "cpu", "gpu",
    "mps", "apple", "ece", "hr", "ndcg", "mrr", "ctrl", "alt", "esc", "shift", "tab", "https",
    "example", "analytics", "userbehavior", "db", "sqlite", "tsv", "txt", "dat", "item", "u",
    "k", "qm", "ts", "minilm",
}


@pytest.fixture
def chinese():
    i18n.install("zh_CN")
    yield
    i18n.install("en")


def english_words(text: str) -> list[str]:
    """Latin words of two letters or more that are not product names, in ``text``."""
    plain = re.sub(r"<[^>]+>", " ", text or "")
    plain = re.sub(r"https?://\S+|\S+\.(shoprec|csv|txt)\b|\([*.\w ;]+\)", " ", plain)
    return [w for w in re.findall(r"[A-Za-z]{2,}", plain) if w.lower() not in ALLOWED]


def texts_of(widget: QWidget) -> list[str]:
    """What a person reads on ``widget``: its text, title, items, headers and tooltip."""
    out = [widget.toolTip()]
    if isinstance(widget, (QLabel, QAbstractButton)):
        out.append(widget.text())
    if isinstance(widget, QGroupBox):
        out.append(widget.title())
    if isinstance(widget, QLineEdit):
        out.append(widget.placeholderText())
    if isinstance(widget, QComboBox) and not widget.isEditable():
        out += [widget.itemText(i) for i in range(widget.count())]
    if isinstance(widget, QTabWidget):
        out += [widget.tabText(i) for i in range(widget.count())]
    if isinstance(widget, QTableView) and widget.model() is not None:
        model = widget.model()
        out += [str(model.headerData(c, __import__("PySide6.QtCore").QtCore.Qt.Orientation
                                     .Horizontal) or "") for c in range(model.columnCount())]
    return out


def leftover_english(root: QWidget, skip: tuple[QWidget, ...] = ()) -> list[tuple[str, str]]:
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible() or widget in skip:
            continue
        for text in texts_of(widget):
            words = english_words(text)
            if words:
                found.append((type(widget).__name__, text))
    return found


def test_the_chinese_catalogue_is_complete_and_covers_every_string():
    root = ET.parse(CATALOGUE).getroot()
    messages = list(root.iter("message"))
    assert len(messages) > 500
    unfinished = [m.findtext("source") for m in messages
                  if m.find("translation").get("type") in ("unfinished", "vanished", "obsolete")
                  or not (m.findtext("translation") or "").strip()]
    assert unfinished == []
    assert (CATALOGUE.with_suffix(".qm")).stat().st_size > 10_000  # compiled and shipped
    lupdate = shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent))
    if lupdate is None:
        pytest.skip("pyside6-lupdate not installed")


def test_every_tr_string_in_the_code_is_in_the_catalogue(tmp_path):
    lupdate = shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent))
    if lupdate is None:
        pytest.skip("pyside6-lupdate not installed")
    copy = tmp_path / "check.ts"
    shutil.copy(CATALOGUE, copy)
    sources = sorted(str(p) for p in (ROOT / "desktop").rglob("*.py"))
    out = subprocess.run([lupdate, *sources, "-ts", str(copy)], capture_output=True, text=True,
                         check=True).stdout
    new = re.search(r"\((\d+) new", out)
    assert new is not None and new.group(1) == "0", out  # run resources/i18n/update.sh


def test_no_english_is_left_in_the_chinese_window(chinese, qtbot, tmp_path):
    session = Session(tmp_path / "店铺.shoprec")
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    found = []
    for i in range(window.tabs.count()):
        window.tabs.setCurrentIndex(i)
        qtbot.wait(10)
        found += leftover_english(window.tabs.widget(i))
    for menu in window.menuBar().findChildren(QMenu):
        found += [("menu", a.text()) for a in [menu.menuAction(), *menu.actions()]
                  if english_words(a.text().replace("&", ""))]
    # Every strategy page too (settings, tooltips, empty states), and the dialogs.
    rec = window.tab("recommendations")
    for name in [s.name for s in rec.specs]:
        page = window.strategy_page(name)
        page.form.advanced_toggle.setChecked(True)
        qtbot.wait(5)
        found += leftover_english(page)
    found += leftover_english(window.statusBar(), skip=(window.workspace_label,))
    dialog = window.show_plugins()
    found += [f for f in leftover_english(dialog) if f[0] != "QTableView"]
    dialog.close()
    window.close()
    assert found == []


def test_reasons_read_in_chinese_with_the_product_named(chinese):
    from shoprec.desktop.reasons import reason_text

    assert reason_text(None, stored="because you bought 茉莉花茶 100克") == "因为您购买了茉莉花茶 100克"
    assert reason_text(None, stored="you looked at this recently") == "您最近看过这件商品"
    assert reason_text("cart", "绿茶") == "因为您把绿茶加入了购物车"
    assert reason_text(None, stored="something a plugin says") == "something a plugin says"
    assert reason_text(None, stored="popular: chosen by 1,204 customers") == "热门：1,204 位顾客选过"


def test_reasons_in_english_are_the_stored_sentences():
    from shoprec.desktop.reasons import reason_text

    i18n.install("en")
    assert reason_text(None, stored="because you viewed Jasmine tea") == \
        "because you viewed Jasmine tea"
    assert reason_text("bought", "Jasmine tea") == "because you bought Jasmine tea"


def test_the_language_switch_applies_at_once_and_is_remembered(qtbot, tmp_path):
    session = Session(tmp_path / "shop.shoprec")
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    try:
        assert window.tabs.tabText(0) == "Start"
        assert window.apply_preferences("zh_CN", "system")
        assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
            "开始", "数据", "顾客", "推荐", "比较", "营销活动", "导出"]
        assert window.menuBar().actions()[0].text() == "文件(&F)"
        assert "离线" in window.offline_label.text()
        assert settings.get("language") == "zh_CN"
        # The next start reads it (app.application() installs the remembered language).
        i18n.install("en")
        assert i18n.install(settings.get("language")) == "zh_CN"
        assert window.apply_preferences("en", "dark")
        assert window.tabs.tabText(0) == "Start" and settings.get("scheme") == "dark"
        from shoprec.desktop import style

        assert style.is_dark()
        assert window.apply_preferences("", "light")  # "" follows the system's language
        assert not style.is_dark()
    finally:
        i18n.install("en")
        window.close()


def test_the_system_locale_picks_the_language(monkeypatch):
    from PySide6.QtCore import QLocale

    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale("zh_TW")))
    assert i18n.resolve("") == "zh_CN"
    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale("de_DE")))
    assert i18n.resolve(None) == "en"
    assert i18n.resolve("zh_CN") == "zh_CN"
