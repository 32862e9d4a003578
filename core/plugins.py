"""The plugin manager: built-ins, entry points and plugin files, each isolated from the others.

Use :func:`get_plugin_manager` (a fresh manager per call, so each test gets its own) and the
``collect_*`` helpers, which call every implementation separately: a plugin that fails to import,
to register, or raises inside a hook is recorded in :attr:`ShopRecPluginManager.failures` and the
rest of ShopRec keeps working.

Switches (environment):
- ``SHOPREC_DISABLE_PLUGINS=name1,name2`` blocks plugins by name (built-in or third-party);
- ``SHOPREC_NO_ENTRY_POINTS=1`` skips entry-point autoloading (tests, troubleshooting);
- ``SHOPREC_PLUGIN_PATH=dir1:dir2`` loads every ``*.py`` file in those folders as a plugin.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import os
import sys
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pluggy

from . import __version__, hookspecs

ENTRY_POINT_GROUP = "shoprec"
HOOK_KINDS = {
    "shoprec_import_formats": "format",
    "shoprec_strategies": "strategy",
    "shoprec_exporters": "exporter",
    "shoprec_campaign_exporters": "campaign exporter",
}


@dataclass(frozen=True, kw_only=True)
class PluginInfo:
    """What ``shoprec plugins`` shows for one plugin."""

    name: str
    kinds: tuple[str, ...]
    source: str  # "built-in", "entry point", "path" or "registered"
    version: str
    status: str  # "ok", "disabled" or "failed"
    error: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kinds": list(self.kinds),
            "source": self.source,
            "version": self.version,
            "status": self.status,
            "error": self.error,
        }


def _short_name(module_name: str) -> str:
    """The name users see and can disable: the last dotted part for built-ins."""
    return module_name.rsplit(".", 1)[-1]


def _one_line(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".strip()
    return text.splitlines()[0] if text else type(exc).__name__


class ShopRecPluginManager(pluggy.PluginManager):
    """A pluggy manager that remembers where each plugin came from and what went wrong."""

    def __init__(self) -> None:
        super().__init__("shoprec")
        self.add_hookspecs(hookspecs)
        self.sources: dict[str, tuple[str, str]] = {}  # name -> (source, version)
        self.failures: dict[str, tuple[str, str, str]] = {}  # name -> (source, version, error)
        self.disabled: dict[str, tuple[str, str]] = {}

    # -- loading -------------------------------------------------------------------------
    def load(self, obj: object, name: str, source: str, version: str = __version__) -> None:
        if name in self.disabled or self.is_blocked(name):
            self.disabled.setdefault(name, (source, version))
            return
        try:
            self.register(obj, name=name)
        except Exception as exc:  # a broken plugin must not take ShopRec down
            self.failures[name] = (source, version, _one_line(exc))
            return
        self.sources[name] = (source, version)

    def load_module(self, module_name: str, name: str, source: str, version: str) -> None:
        if self.is_blocked(name):
            self.set_blocked(name)
            self.disabled[name] = (source, version)
            return
        try:
            module = importlib.import_module(module_name)
        except Exception as exc:
            self.failures[name] = (source, version, _one_line(exc))
            return
        self.load(module, name, source, version)

    def load_entry_points(self) -> None:
        for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            dist = getattr(ep, "dist", None)
            version = dist.version if dist is not None else ""
            if self.is_blocked(ep.name):
                self.disabled[ep.name] = ("entry point", version)
                continue
            try:
                obj = ep.load()
            except Exception as exc:
                self.failures[ep.name] = ("entry point", version, _one_line(exc))
                continue
            self.load(obj, ep.name, "entry point", version)

    def load_path(self, folder: Path) -> None:
        for path in sorted(Path(folder).glob("*.py")):
            name = path.stem
            if self.is_blocked(name):
                self.disabled[name] = ("path", "")
                continue
            try:
                spec = importlib.util.spec_from_file_location(f"shoprec_user_plugin_{name}", path)
                assert spec is not None and spec.loader is not None
                module = importlib.util.module_from_spec(spec)
                sys.modules[spec.name] = module
                spec.loader.exec_module(module)
            except Exception as exc:
                self.failures[name] = ("path", "", _one_line(exc))
                continue
            self.load(module, name, "path", getattr(module, "__version__", ""))

    # -- calling hooks, isolated -----------------------------------------------------------
    def collect(self, hook_name: str) -> list[tuple[str, Any]]:
        """Call ``hook_name`` on every plugin separately; returns ``(plugin name, item)`` pairs.

        A plugin whose hook raises is recorded as failed and contributes nothing.
        """
        caller = getattr(self.hook, hook_name)
        out: list[tuple[str, Any]] = []
        # get_hookimpls() is in registration order (pluggy *calls* them last-first).
        for impl in caller.get_hookimpls():
            name = self.get_name(impl.plugin) or repr(impl.plugin)
            try:
                result = impl.function()
            except Exception as exc:
                source, version = self.sources.get(name, ("registered", ""))
                self.failures[name] = (source, version, f"in {hook_name}: {_one_line(exc)}")
                continue
            for item in result or ():
                out.append((name, item))
        return out

    def plugin_infos(self) -> list[PluginInfo]:
        infos = []
        for name, plugin in self.list_name_plugin():
            if plugin is None:
                continue
            kinds = tuple(
                kind
                for hook, kind in HOOK_KINDS.items()
                if any(i.plugin is plugin for i in getattr(self.hook, hook).get_hookimpls())
            )
            source, version = self.sources.get(name, ("registered", ""))
            failed = self.failures.get(name)
            infos.append(
                PluginInfo(
                    name=name,
                    kinds=kinds,
                    source=source,
                    version=version,
                    status="failed" if failed else "ok",
                    error=failed[2] if failed else "",
                )
            )
        registered = {i.name for i in infos}
        for name, (source, version, error) in self.failures.items():
            if name not in registered:
                infos.append(
                    PluginInfo(name=name, kinds=(), source=source, version=version,
                               status="failed", error=error)
                )
        for name, (source, version) in self.disabled.items():
            infos.append(
                PluginInfo(name=name, kinds=(), source=source, version=version, status="disabled")
            )
        return infos


def _env_list(var: str, sep: str = ",") -> list[str]:
    return [part.strip() for part in os.environ.get(var, "").split(sep) if part.strip()]


def get_plugin_manager(
    *,
    builtins: Iterable[str] | None = None,
    entry_points: bool | None = None,
    disabled: Iterable[str] = (),
    paths: Iterable[str | os.PathLike[str]] | None = None,
) -> ShopRecPluginManager:
    """Build a fresh plugin manager with the built-ins, entry points and plugin folders loaded.

    ``disabled`` adds to ``SHOPREC_DISABLE_PLUGINS``; ``entry_points=None`` follows
    ``SHOPREC_NO_ENTRY_POINTS``; ``paths=None`` follows ``SHOPREC_PLUGIN_PATH``.
    """
    from ..plugins import BUILTIN_PLUGINS

    pm = ShopRecPluginManager()
    for name in [*_env_list("SHOPREC_DISABLE_PLUGINS"), *disabled]:
        pm.set_blocked(name)
    for module_name in BUILTIN_PLUGINS if builtins is None else builtins:
        pm.load_module(module_name, _short_name(module_name), "built-in", __version__)
    if entry_points is None:
        entry_points = os.environ.get("SHOPREC_NO_ENTRY_POINTS", "") in ("", "0")
    if entry_points:
        pm.load_entry_points()
    folders = _env_list("SHOPREC_PLUGIN_PATH", os.pathsep) if paths is None else list(paths)
    for folder in folders:
        pm.load_path(Path(folder))
    return pm


def format_traceback(exc: BaseException) -> str:
    """Full traceback text, for logs and the desktop's details box."""
    return "".join(traceback.format_exception(exc))
