"""Render resources/icons/shoprec.svg to the PNG the installers use as their icon.

PyInstaller turns the PNG into a Windows .ico or macOS .icns when Pillow is installed. Runs with
Qt's offscreen platform, so it works on a build server without a display.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "resources" / "icons" / "shoprec.svg"
# in the (git-ignored) PyInstaller work folder: a build product, not a source file
PNG = Path(__file__).resolve().parent / "pyinstaller-work" / "icon-1024.png"


def render(size: int = 1024, out: Path = PNG) -> Path:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(out)):
        raise SystemExit(f"{out}: cannot write")
    return out


if __name__ == "__main__":
    print(render())
