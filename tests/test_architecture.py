"""Standing rules of the codebase, checked mechanically."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
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


# -- the layers (pyproject.toml, [tool.importlinter]) --------------------------------------------


@pytest.fixture(scope="module")
def staged(tmp_path_factory) -> Path:
    """The source folders laid out as the ``shoprec`` package they install as, so that the
    import graph is read from the files themselves (an editable install maps them by a hook
    that graph builders cannot walk)."""
    stage = tmp_path_factory.mktemp("stage")
    (stage / "shoprec").mkdir()
    for folder in ("core", "plugins", "desktop", "resources"):
        (stage / "shoprec" / folder).symlink_to(ROOT / folder, target_is_directory=True)
    return stage


def _run_in_stage(staged: Path, code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(staged)}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          cwd=ROOT)


def test_the_layer_contracts_hold(staged):
    done = _run_in_stage(staged, "import sys\nfrom importlinter.cli import lint_imports\n"
                                 "sys.exit(lint_imports(no_cache=True))")
    assert "4 kept, 0 broken" in done.stdout, done.stdout[-3000:] + done.stderr[-2000:]
    assert done.returncode == 0


def test_no_import_cycles_function_level_imports_included(staged):
    code = """
import grimp
graph = grimp.build_graph("shoprec", cache_dir=None, exclude_type_checking_imports=True)
mods = sorted(m for m in graph.modules if m.startswith("shoprec."))
edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in mods}
index, low, stack, on, cycles, counter = {}, {}, [], set(), [], [0]
def visit(v):
    index[v] = low[v] = counter[0]; counter[0] += 1; stack.append(v); on.add(v)
    for w in edges.get(v, ()):
        if w not in index:
            visit(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        part = []
        while True:
            w = stack.pop(); on.discard(w); part.append(w)
            if w == v:
                break
        if len(part) > 1:
            cycles.append(sorted(part))
import sys
sys.setrecursionlimit(10000)
for m in mods:
    if m not in index:
        visit(m)
print(len(mods), "modules;", "cycles:", cycles)
"""
    done = _run_in_stage(staged, code)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().endswith("cycles: []"), done.stdout
    assert int(done.stdout.split()[0]) > 100  # the graph really was read



LONG_MODULE = 600


def test_a_long_module_says_why_it_is_long():
    """A module over LONG_MODULE lines states at its top why it stays one module."""
    unexplained = []
    for folder in ("core", "plugins", "desktop"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if text.count("\n") > LONG_MODULE:
                doc = ast.get_docstring(ast.parse(text)) or ""
                if "Why one module:" not in doc:
                    unexplained.append(f"{path.relative_to(ROOT)} ({text.count(chr(10))} lines)")
    assert unexplained == [], "split these, or say 'Why one module:' in their docstring"


def test_the_front_ends_run_no_sql_of_their_own():
    """The desktop and the command line ask core/store (store/queries.py) for what they show;
    only the desktop's paging table model runs a query it is handed."""
    offenders = []
    for folder in ("desktop", "core/cli"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.name == "models.py" and folder == "desktop":
                continue
            text = path.read_text(encoding="utf-8")
            if ".execute(" in text or "executemany(" in text or "SELECT " in text:
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
