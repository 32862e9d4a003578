"""The plugin manager: built-ins, entry points and plugin files, each isolated from the others.

Use :func:`get_plugin_manager` (a fresh manager per call, so each test gets its own) and the
``collect_*`` helpers, which call every implementation separately: a plugin that fails to import,
to register, or raises inside a hook is recorded in :attr:`ShopRecPluginManager.failures` and the
rest of ShopRec keeps working.

Switches (environment):
- ``SHOPREC_DISABLE_PLUGINS=name1,name2`` blocks plugins by name (built-in or third-party);
- ``SHOPREC_NO_ENTRY_POINTS=1`` skips entry-point autoloading (tests, troubleshooting);
- ``SHOPREC_PLUGIN_PATH=dir1:dir2`` loads every ``*.py`` file in those folders as a plugin;
- ``SHOPREC_PLUGIN_TIMEOUT=seconds`` (default 20): a third-party plugin that takes longer to load
  or to answer a registration hook is disabled with a message (it may not hang the app).

Isolation: ``SystemExit`` and any exception from a plugin (at import, registration or in a hook),
a hook that returns something other than a list of the spec its hook promises, or a plugin that
takes too long, disables that plugin (recorded in :attr:`ShopRecPluginManager.failures`, shown by
``shoprec plugins``); never the app.
"""

from __future__ import annotations

import functools
import importlib
import importlib.metadata
import importlib.util
import os
import sys
import threading
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pluggy

from . import __version__
from .contracts import hookspecs

ENTRY_POINT_GROUP = "shoprec"
#: ShopRec's own distribution: its entry points in ENTRY_POINT_GROUP are the built-in plugins,
#: named ``<kind>.<plugin>`` (pyproject.toml, ``[project.entry-points.shoprec]``).
BUILTIN_DIST = "shoprec"
#: Kinds of built-in plugin, in the order they register.
BUILTIN_KINDS = ("formats", "strategies", "exporters")
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


#: The spec class each registration hook must return a list of: (module, class name).
HOOK_RESULT_TYPES = {
    "shoprec_import_formats": ("shoprec.core.contracts.formats", "FormatSpec"),
    "shoprec_strategies": ("shoprec.core.contracts.strategy", "StrategySpec"),
    "shoprec_exporters": ("shoprec.core.contracts.exporters", "ExporterSpec"),
}
PLUGIN_TIMEOUT_S = 20.0


class PluginFailure(Exception):
    """A plugin broke a rule (wrong return type, too slow); the message says which."""


def _timeout() -> float:
    try:
        return float(os.environ.get("SHOPREC_PLUGIN_TIMEOUT", PLUGIN_TIMEOUT_S))
    except ValueError:
        return PLUGIN_TIMEOUT_S


def call_limited(fn: Any, seconds: float | None, what: str) -> Any:
    """``fn()`` on a helper thread, given up after ``seconds`` (the thread is left to finish on
    its own: Python cannot stop it, but the app goes on). ``SystemExit`` comes back as an error."""
    if seconds is None:
        return fn()
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001  (SystemExit included: reported, not obeyed)
            box["error"] = exc

    thread = threading.Thread(target=target, name=f"plugin {what}", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise PluginFailure(f"{what} took more than {seconds:g} s; disabled")
    if "error" in box:
        raise box["error"]
    return box.get("value")


def _expected_type(hook_name: str) -> type | None:
    where = HOOK_RESULT_TYPES.get(hook_name)
    if where is None:
        return None
    return getattr(importlib.import_module(where[0]), where[1])


def validate_result(hook_name: str, result: Any) -> list[Any]:
    """The hook's items, after checking they are what the hook's spec promises."""
    if result is None:
        return []
    if not isinstance(result, (list, tuple)):
        raise PluginFailure(f"{hook_name} returned {type(result).__name__}, not a list")
    expected = _expected_type(hook_name)
    items = list(result)
    for item in items:
        if expected is not None and not isinstance(item, expected):
            raise PluginFailure(f"{hook_name} returned a {type(item).__name__}, "
                                f"not a {expected.__name__}")
        name = getattr(item, "name", None)
        if not isinstance(name, str) or not name.strip():
            raise PluginFailure(f"{hook_name} returned a {type(item).__name__} without a name")
        for attr in ("factory", "write"):
            if hasattr(item, attr) and not callable(getattr(item, attr)):
                raise PluginFailure(f"{hook_name}: {name}.{attr} is not callable")
    return items


def _dist_name(ep: importlib.metadata.EntryPoint) -> str:
    dist = getattr(ep, "dist", None)
    return (dist.metadata["Name"] or "").lower() if dist is not None else ""


@functools.lru_cache(maxsize=1)
def _builtin_entry_points() -> tuple[tuple[int, str, str], ...]:
    """(kind rank, plugin name, module) of every built-in, sorted; read once per process (the
    installed distribution does not change while ShopRec runs, and each scan reads every
    installed package's metadata)."""
    found = []
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if _dist_name(ep) != BUILTIN_DIST:
            continue
        group, _, name = ep.name.partition(".")
        rank = BUILTIN_KINDS.index(group) if group in BUILTIN_KINDS else len(BUILTIN_KINDS)
        found.append((rank, f"{group}.{name}", ep.value))
    return tuple(sorted(found))


def builtin_plugins(kind: str | None = None) -> list[tuple[str, str]]:
    """``(plugin name, module)`` of ShopRec's own plugins of ``kind`` (all kinds when None).

    They are found like any other plugin, through the ``shoprec`` entry points, here those of
    ShopRec's own distribution; by kind, then by name. The core imports no plugin by name.
    """
    found = _builtin_entry_points()
    if not found:
        raise RuntimeError("ShopRec's built-in plugins are not registered with Python: install "
                           "ShopRec again (from a source checkout: pip install -e .)")
    return [(full.partition(".")[2], module) for _, full, module in found
            if kind is None or full.partition(".")[0] == kind]


def builtin_modules(kind: str | None = None) -> tuple[str, ...]:
    """The modules of :func:`builtin_plugins`, in the order they register."""
    return tuple(module for _, module in builtin_plugins(kind))


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
        self._failed_kinds: dict[str, tuple[str, ...]] = {}

    # -- loading -------------------------------------------------------------------------
    def load(self, obj: object, name: str, source: str, version: str = __version__) -> None:
        if name in self.disabled or self.is_blocked(name):
            self.disabled.setdefault(name, (source, version))
            return
        try:
            self.register(obj, name=name)
        except (Exception, SystemExit) as exc:  # a broken plugin must not take ShopRec down
            self.failures[name] = (source, version, _one_line(exc))
            return
        self.sources[name] = (source, version)

    def load_module(self, module_name: str, name: str, source: str, version: str) -> None:
        if self.is_blocked(name):
            self.set_blocked(name)
            self.disabled[name] = (source, version)
            return
        limit = None if source == "built-in" else _timeout()
        try:
            module = call_limited(lambda: importlib.import_module(module_name), limit, "loading")
        except (Exception, SystemExit) as exc:
            self.failures[name] = (source, version, _one_line(exc))
            return
        self.load(module, name, source, version)

    def load_entry_points(self) -> None:
        for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            if _dist_name(ep) == BUILTIN_DIST:
                continue  # the built-ins, loaded (or left out) by get_plugin_manager's builtins
            dist = getattr(ep, "dist", None)
            version = dist.version if dist is not None else ""
            if self.is_blocked(ep.name):
                self.disabled[ep.name] = ("entry point", version)
                continue
            try:
                obj = call_limited(ep.load, _timeout(), "loading")
            except (Exception, SystemExit) as exc:
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
                call_limited(functools.partial(spec.loader.exec_module, module), _timeout(), "loading")
            except (Exception, SystemExit) as exc:
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
            source, version = self.sources.get(name, ("registered", ""))
            limit = None if source == "built-in" else _timeout()
            try:
                items = call_limited(lambda f=impl.function: validate_result(hook_name, f()), limit,
                                     hook_name)
            except (Exception, SystemExit) as exc:
                self.disable_failed(name, f"in {hook_name}: {_one_line(exc)}")
                continue
            out.extend((name, item) for item in items)
        return out

    def disable_failed(self, name: str, error: str) -> None:
        """Record ``name`` as failed and unregister it, so none of its hooks is called again."""
        source, version = self.sources.get(name, ("registered", ""))
        kinds = self.kinds_of(name)
        self.failures[name] = (source, version, error)
        self._failed_kinds[name] = kinds
        plugin = self.get_plugin(name)
        if plugin is not None:
            self.unregister(plugin)

    def kinds_of(self, name: str) -> tuple[str, ...]:
        plugin = self.get_plugin(name)
        if plugin is None:
            return self._failed_kinds.get(name, ())
        return tuple(kind for hook, kind in HOOK_KINDS.items()
                     if any(i.plugin is plugin for i in getattr(self.hook, hook).get_hookimpls()))

    def check_all(self) -> None:
        """Call every registration hook of every plugin, so statuses are real, not assumed."""
        for hook_name in HOOK_KINDS:
            self.collect(hook_name)

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
                    PluginInfo(name=name, kinds=self._failed_kinds.get(name, ()), source=source,
                               version=version, status="failed", error=error)
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
    pm = ShopRecPluginManager()
    for name in [*_env_list("SHOPREC_DISABLE_PLUGINS"), *disabled]:
        pm.set_blocked(name)
    for module_name in builtin_modules() if builtins is None else builtins:
        pm.load_module(module_name, _short_name(module_name), "built-in", __version__)
    if entry_points is None:
        entry_points = os.environ.get("SHOPREC_NO_ENTRY_POINTS", "") in ("", "0")
    if entry_points:
        pm.load_entry_points()
    folders = _env_list("SHOPREC_PLUGIN_PATH", os.pathsep) if paths is None else list(paths)
    for folder in folders:
        pm.load_path(Path(folder))
    return pm


def collect_strategy_specs(pm: ShopRecPluginManager) -> dict[str, Any]:
    """Every :class:`~shoprec.core.contracts.strategy.StrategySpec` ``pm``'s plugins offer, by
    name (the first plugin wins a name)."""
    from .contracts.strategy import StrategySpec  # torch comes with it: not for --help

    specs: dict[str, Any] = {}
    for _plugin, spec in pm.collect("shoprec_strategies"):
        if isinstance(spec, StrategySpec):
            specs.setdefault(spec.name, spec)
    return specs


def collect_by_name(pm: ShopRecPluginManager, hook: str, order: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every spec ``hook``'s plugins return, by name (the first plugin wins a name): the names in
    ``order`` first, in that order, then the others alphabetically."""
    found: dict[str, Any] = {}
    for _plugin, spec in pm.collect(hook):
        found.setdefault(spec.name, spec)
    rank = {name: i for i, name in enumerate(order)}
    return {n: found[n] for n in sorted(found, key=lambda n: (rank.get(n, len(rank)), n))}


def format_traceback(exc: BaseException) -> str:
    """Full traceback text, for logs and the desktop's details box."""
    return "".join(traceback.format_exception(exc))
