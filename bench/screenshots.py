"""Pictures of every page, in English and Chinese, light and dark, on the demo shop.

    xvfb-run -a -s "-screen 0 1600x1000x24" python bench/screenshots.py [--out docs/screenshots]

Prepares a demo-shop workspace once (the demo exports imported, three quick methods learned and
compared), then opens the real window on it for each language and colour scheme and saves a PNG
of each page: ``{page}-{language}-{scheme}.png``. Run it under Xvfb (or any display); without
one it falls back to offscreen rendering. Look at every picture: truncated labels, overlaps,
English left in the Chinese ones, empty states.

A documentation tool, not a benchmark (not timed: it learns three quick methods on the demo shop,
then photographs every page).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

PAGES = ("start", "data", "customers", "recommendations", "compare", "campaigns", "export")
QUICK = ("popularity", "itemknn", "ease")


def prepare(folder: Path) -> Path:
    """The demo shop's workspace with lists and a comparison (made once, reused)."""
    from shoprec.core import engine
    from shoprec.core.demo import generate_demo_shop
    from shoprec.core.importing import import_file
    from shoprec.core.ranking.scoring import ListSettings
    from shoprec.core.store.workspace import Workspace

    path = folder / "demo-shop.shoprec"
    if path.exists():
        return path
    shop = generate_demo_shop(folder / "exports", n_customers=600)
    ws = Workspace(path)
    try:
        for f in shop.files:
            import_file(ws, f)
        for name in QUICK:
            engine.train(ws, name, device="cpu", settings=ListSettings(threshold=0.0, top_n=10))
        report = engine.evaluate(ws, list(QUICK), protocol="loo", k=10, settings="trained")
        ws.set_setting("desktop.last_evaluation", json.dumps(report, default=str))
        ws.set_setting("desktop.strategy", "itemknn")
    finally:
        ws.close()
    return path


def settle(app, seconds: float = 0.6) -> None:  # noqa: ANN001
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.02)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--work", default=None, help="folder for the demo workspace (kept)")
    parser.add_argument("--languages", default="en,zh_CN")
    parser.add_argument("--schemes", default="light,dark")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    work = Path(args.work or tempfile.mkdtemp(prefix="shoprec-shots-"))
    os.environ["SHOPREC_HOME"] = str(work)  # settings of this run only
    os.environ["SHOPREC_PRELOAD"] = "0"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    workspace = prepare(work)

    from shoprec.desktop import i18n, style
    from shoprec.desktop.app import application
    from shoprec.desktop.main_window import MainWindow
    from shoprec.desktop.session import Session

    app = application()
    for language in args.languages.split(","):
        for scheme in args.schemes.split(","):
            style.apply_scheme(app, scheme)
            i18n.install(language)
            window = MainWindow(Session(workspace))
            window.resize(1280, 800)
            window.show()
            settle(app)
            for page in PAGES:
                tab = window.show_tab(page)
                if page == "customers":
                    tab.customers_view.selectRow(2)
                    tab.detail_tabs.setCurrentIndex(1)
                if page == "recommendations":
                    panel = tab.choose("itemknn", remember=False) or tab.panel("itemknn")
                    deadline = time.perf_counter() + 60
                    while (panel.loaded is None or panel.list_job is not None) \
                            and time.perf_counter() < deadline:
                        settle(app, 0.2)
                    panel.list_view.selectRow(0)
                settle(app, 2.0 if page in ("customers", "recommendations") else 0.6)
                name = out / f"{page}-{language}-{scheme}.png"
                window.grab().save(str(name))
                print(name)
            window.close()
            settle(app, 0.2)


if __name__ == "__main__":
    main()
