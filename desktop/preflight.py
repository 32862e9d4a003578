"""Can Qt open a window here? Checked before Qt is loaded, so a missing system library is a
one-line error instead of Qt's abort.

On Linux, Qt draws through its X11 ("xcb") platform plugin, which links against a dozen
``libxcb-*`` libraries that minimal desktop installs often lack (and, since Qt 6.5, loads
``libxcb-cursor`` at run time). When one is missing, Qt prints a misleading hint about
``xcb-cursor0``, aborts the process and leaves the shop owner with a core dump. This module
finds the missing libraries by asking the dynamic linker about the plugin, names them, and
names the Debian/Ubuntu packages that provide them.

Nothing here imports Qt: ``shoprec gui`` and the demo call it first.
"""

from __future__ import annotations

import ctypes.util
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

# What Qt's xcb plugin loads at run time rather than links (so ``ldd`` cannot see it).
RUNTIME_LIBRARIES = ("libxcb-cursor.so.0",)


def qt_platform(env: Mapping[str, str] | None = None, platform: str | None = None) -> str | None:
    """The platform plugin Qt will pick ("xcb", "wayland", "offscreen", ...); None off Linux."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux"):
        return None
    chosen = env.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        # "xcb:option=value" or a fallback list "wayland;xcb": the first entry is tried first
        return re.split(r"[;:]", chosen, maxsplit=1)[0].strip() or None
    if env.get("WAYLAND_DISPLAY") and env.get("XDG_SESSION_TYPE", "").lower() == "wayland":
        return "wayland"
    return "xcb"


def xcb_plugin() -> Path | None:
    """The xcb platform plugin inside the installed PySide6, found without importing it."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        plugin = Path(root) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if plugin.exists():
            return plugin
    return None


def unresolved(ldd_output: str) -> list[str]:
    """The libraries ``ldd`` reports as "not found", each once, in order."""
    names: list[str] = []
    for line in ldd_output.splitlines():
        match = re.match(r"\s*(\S+)\s+=>\s+not found", line)
        if match and match.group(1) not in names:
            names.append(match.group(1))
    return names


def _ldd(path: Path) -> str | None:
    tool = shutil.which("ldd")
    if tool is None:
        return None
    try:
        done = subprocess.run([tool, str(path)], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout


def _first_unloadable(path: Path) -> list[str]:
    """Without ``ldd``: load the plugin, and read the first missing library off the error."""
    try:
        ctypes.CDLL(str(path))
    except OSError as exc:
        match = re.search(r"(lib[\w.+-]+\.so[\w.]*): cannot open shared object file", str(exc))
        return [match.group(1)] if match else []
    return []


def missing_libraries(
    plugin: Path,
    *,
    ldd: Callable[[Path], str | None] = _ldd,
    find_library: Callable[[str], str | None] = ctypes.util.find_library,
) -> list[str]:
    """System libraries the xcb plugin needs and the machine lacks (sonames)."""
    output = ldd(plugin)
    missing = unresolved(output) if output is not None else _first_unloadable(plugin)
    for soname in RUNTIME_LIBRARIES:
        short = soname[3:].split(".so", 1)[0]  # "libxcb-cursor.so.0" -> "xcb-cursor"
        if soname not in missing and find_library(short) is None:
            missing.append(soname)
    return missing


def debian_package(soname: str) -> str:
    """The Debian/Ubuntu package that usually ships a library: "libxcb-icccm.so.4" ->
    "libxcb-icccm4", "libxkbcommon-x11.so.0" -> "libxkbcommon-x11-0" (Debian's naming rule:
    a dash before the version when the name ends in a digit)."""
    name, _, version = soname.partition(".so")
    major = version.lstrip(".").split(".", 1)[0]
    name = name.lower()
    if not major:
        return name
    return f"{name}-{major}" if name[-1].isdigit() else f"{name}{major}"


def platform_problem(
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
    *,
    plugin: Path | None = None,
    missing: Callable[[Path], list[str]] = missing_libraries,
    then: str = "run `shoprec gui` again",
) -> str | None:
    """Why Qt would fail to open a window here, in one line ending with what to do ``then``;
    None when nothing is known wrong."""
    if qt_platform(env, platform) != "xcb":
        return None
    plugin = plugin or xcb_plugin()
    if plugin is None:
        return None  # not a PySide6 layout we know: let Qt speak for itself
    lacking = missing(plugin)
    if not lacking:
        return None
    packages = " ".join(dict.fromkeys(debian_package(s) for s in lacking))
    return (f"the desktop app cannot open a window: Qt's X11 platform needs system libraries this "
            f"machine lacks ({', '.join(lacking)}); on Debian or Ubuntu install them with "
            f"`sudo apt install {packages}`, then {then}")
