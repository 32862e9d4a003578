"""Standing rules of the codebase, checked mechanically."""

import ast
import subprocess
import sys
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[1]


def test_core_never_imports_qt_or_desktop():
    offenders = []
    for path in (ROOT / "core").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [("." * node.level) + (node.module or "")]
            for name in names:
                if name.split(".")[0] in ("PySide6", "PyQt5", "PyQt6", "qtpy") or "desktop" in name:
                    offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []


def test_importing_the_whole_core_loads_no_qt():
    code = (
        "import importlib, pkgutil, sys, shoprec.core as c\n"
        "for m in pkgutil.walk_packages(c.__path__, 'shoprec.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "print(any(k.startswith('PySide6') for k in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_every_package_folder_is_installed():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    declared = set(config["packages"])
    mapping = config["package-dir"]
    found = set()
    for top_pkg, folder in mapping.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / folder)
            found.add(".".join([top_pkg, *rel.parts]) if rel.parts else top_pkg)
    assert found - declared == set(), "add these packages to pyproject.toml"


def test_no_pickle_anywhere_in_model_state():
    for folder in ("core", "plugins"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert "import pickle" not in text, path
            assert "weights_only=False" not in text, path
