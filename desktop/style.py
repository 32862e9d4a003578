"""Colours that follow the palette, so light and dark mode both read well.

Nothing in the desktop hard-codes a light colour: muted text, warnings and the message bar's
tints are derived here from the application palette at the moment they are drawn. The optional
dark scheme (Preferences → Colours) is Qt's Fusion style with a dark palette; "follow the system"
leaves the platform's own palette alone.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette

SCHEMES = ("system", "light", "dark")


def palette() -> QPalette:
    return QGuiApplication.palette()


def is_dark() -> bool:
    """True when the window background is dark (system dark mode or our dark scheme)."""
    return palette().color(QPalette.ColorRole.Window).lightness() < 128


def muted() -> str:
    """Secondary text: between the text and the background."""
    pal = palette()
    text, base = pal.color(QPalette.ColorRole.WindowText), pal.color(QPalette.ColorRole.Window)
    mix = QColor((text.red() + base.red() * 0.8) / 1.8, (text.green() + base.green() * 0.8) / 1.8,
                 (text.blue() + base.blue() * 0.8) / 1.8)
    return mix.name()


def warn() -> str:
    """Text that asks for attention (not an error)."""
    return "#e0a040" if is_dark() else "#8a5a00"


def bad() -> str:
    return "#ff8a80" if is_dark() else "#a00000"


def good() -> str:
    return "#81c784" if is_dark() else "#2e6b30"


def accent() -> str:
    return palette().color(QPalette.ColorRole.Highlight).name()


def message_style(kind: str) -> str:
    """Background, text and border of the message bar for ``kind`` (error / info / ok)."""
    if is_dark():
        styles = {
            "error": "background:#4a1f1c; color:#ffd7d3; border:1px solid #7a3530;",
            "info": "background:#1c3147; color:#d6e8fb; border:1px solid #36567a;",
            "ok": "background:#1f3b22; color:#d5f0d6; border:1px solid #3c6b40;",
        }
    else:
        styles = {
            "error": "background:#fdecea; color:#611a15; border:1px solid #f5c2c0;",
            "info": "background:#e8f1fb; color:#0b3a66; border:1px solid #bcd6f2;",
            "ok": "background:#edf7ed; color:#1e4620; border:1px solid #c3e6c3;",
        }
    return styles[kind]


def panel_style() -> str:
    """A quiet box (the customer portrait): the base colour with a mid-tone border."""
    pal = palette()
    return (f"background:{pal.color(QPalette.ColorRole.Base).name()};"
            f"border:1px solid {pal.color(QPalette.ColorRole.Mid).name()}; padding:8px;")


def dark_palette() -> QPalette:
    pal = QPalette()
    window, base, text = QColor(45, 45, 48), QColor(30, 30, 32), QColor(230, 230, 230)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        pal.setColor(group, QPalette.ColorRole.Window, window)
        pal.setColor(group, QPalette.ColorRole.WindowText, text)
        pal.setColor(group, QPalette.ColorRole.Base, base)
        pal.setColor(group, QPalette.ColorRole.AlternateBase, QColor(40, 40, 43))
        pal.setColor(group, QPalette.ColorRole.ToolTipBase, QColor(60, 60, 64))
        pal.setColor(group, QPalette.ColorRole.ToolTipText, text)
        pal.setColor(group, QPalette.ColorRole.PlaceholderText, QColor(150, 150, 150))
        pal.setColor(group, QPalette.ColorRole.Text, text)
        pal.setColor(group, QPalette.ColorRole.Button, QColor(55, 55, 58))
        pal.setColor(group, QPalette.ColorRole.ButtonText, text)
        pal.setColor(group, QPalette.ColorRole.BrightText, QColor(255, 120, 120))
        pal.setColor(group, QPalette.ColorRole.Link, QColor(100, 170, 255))
        pal.setColor(group, QPalette.ColorRole.Highlight, QColor(42, 110, 190))
        pal.setColor(group, QPalette.ColorRole.HighlightedText, QColor(255, 255, 255))
        pal.setColor(group, QPalette.ColorRole.Mid, QColor(80, 80, 84))
        pal.setColor(group, QPalette.ColorRole.Dark, QColor(25, 25, 27))
        pal.setColor(group, QPalette.ColorRole.Light, QColor(75, 75, 78))
    disabled = QColor(120, 120, 120)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Window, window)
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Base, base)
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Button, QColor(50, 50, 53))
    return pal


def apply_scheme(app, scheme: str) -> None:  # noqa: ANN001  (QApplication)
    """``system`` keeps the platform palette; ``light``/``dark`` use Fusion with our palette."""
    if scheme == "dark":
        app.setStyle("Fusion")
        app.setPalette(dark_palette())
    elif scheme == "light":
        app.setStyle("Fusion")
        app.setPalette(app.style().standardPalette())
    else:
        app.setPalette(app.style().standardPalette())
