"""What every tab shares: the open workspace, the plugin manager, and "data changed" signals.

The :class:`Session` owns one read connection on the GUI thread (table models query it; WAL mode
lets workers write meanwhile) and the plugin manager. Work that writes runs through
:mod:`shoprec.desktop.worker` with its own connection; when it is done the tab calls
:meth:`Session.notify_data_changed` and every tab refreshes.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from shoprec.core.registry import ShopRecPluginManager, get_plugin_manager
from shoprec.core.store.workspace import Workspace

DISABLED_SETTING = "plugins.disabled"  # core.engine.DISABLED_SETTING


class Session(QObject):
    """The open workspace and plugins, shared by the main window and its tabs."""

    #: The workspace file changed (a new one was opened); tabs rebuild everything.
    workspace_changed = Signal()
    #: Data inside the workspace changed (an import, a training run); tabs refresh their views.
    data_changed = Signal()
    #: Plugins were enabled or disabled; the window rebuilds its tabs.
    plugins_changed = Signal()
    #: A tab asks the window to open workspace ``path`` and import ``files`` there.
    open_requested = Signal(str, list)
    #: A page asks the window to act: "demo", "import", "open" or "open:PATH".
    action_requested = Signal(str)
    #: A short message for the status bar.
    status = Signal(str)

    def __init__(
        self,
        workspace_path: str | os.PathLike[str],
        plugin_manager: ShopRecPluginManager | None = None,
    ) -> None:
        super().__init__()
        self.path = Path(workspace_path)
        self.ws = Workspace(self.path)
        # The plugin manager imports every built-in plugin, and the strategies import torch
        # (seconds): it is built on first use, or ahead of time by :meth:`preload` after the
        # window is visible.
        self._pm: ShopRecPluginManager | None = plugin_manager
        self._pm_lock = threading.Lock()
        self._specs: dict[str, list[tuple[str, Any]]] = {}
        #: Bumped whenever the data change; derived values are cached per version, so a dozen
        #: tabs refreshing after an import ask SQLite once (a 1M-event COUNT is not free).
        self.data_version = 0
        self._cache: dict[str, Any] = {}

    @property
    def pm(self) -> ShopRecPluginManager:
        with self._pm_lock:
            if self._pm is None:
                self._pm = self._default_pm()
            return self._pm

    @pm.setter
    def pm(self, value: ShopRecPluginManager) -> None:
        with self._pm_lock:
            self._pm = value

    def preload(self) -> threading.Thread:
        """Build the plugin manager (and so import torch) on a background thread, so the tabs
        that need it are ready by the time someone opens them."""
        def work() -> None:
            try:
                _ = self.pm
            except Exception:  # noqa: BLE001  (the tab that needs it will say what failed)
                pass

        thread = threading.Thread(target=work, name="shoprec-preload", daemon=True)
        thread.start()
        return thread

    def _default_pm(self) -> ShopRecPluginManager:
        """A manager honouring the workspace's disabled plugins, as the engine's does
        (``core.engine.plugin_manager``) — read here without importing the engine, which
        loads torch: the window must open in a moment."""
        raw = self.ws.get_setting(DISABLED_SETTING, "") or ""
        return get_plugin_manager(disabled=[n for n in raw.split(",") if n.strip()])

    # -- workspace -----------------------------------------------------------------------------
    @property
    def conn(self):  # noqa: ANN201  (sqlite3.Connection of the GUI thread)
        return self.ws.conn

    def open(self, path: str | os.PathLike[str]) -> None:
        """Switch to another workspace file (created when missing)."""
        new = Workspace(Path(path))  # raises WorkspaceError before we drop the old one
        self.ws.close()
        self.ws, self.path = new, Path(path)
        self._bump()
        # Disabled plugins are a workspace setting: reload them for the new workspace.
        self.pm = self._default_pm()
        self._specs.clear()
        self.workspace_changed.emit()
        self.data_changed.emit()

    def _bump(self) -> None:
        self.data_version += 1
        self._cache = {}

    def notify_data_changed(self) -> None:
        self._bump()
        self.data_changed.emit()

    def cached(self, key: str, compute: Any) -> Any:
        """``compute()``, remembered until the data change."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def info(self) -> dict[str, Any]:
        """``Workspace.info()`` counts, cached until the data change."""
        return self.cached("info", self.ws.info)

    def is_empty(self) -> bool:
        return self.ws.count("events") == 0 and self.ws.count("items") == 0

    def close(self) -> None:
        try:
            self.ws.close()
        except Exception:  # noqa: BLE001  (already closed)
            pass

    # -- plugins ----------------------------------------------------------------------------
    def specs(self, hook: str) -> list[tuple[str, Any]]:
        """``(plugin name, spec)`` pairs from ``hook``, collected once per session."""
        if hook not in self._specs:
            self._specs[hook] = self.pm.collect(hook)
        return self._specs[hook]

    def set_plugin_enabled(self, name: str, enabled: bool) -> None:
        """Enable or disable a plugin in this workspace, then reload every plugin."""
        from shoprec.core.engine import set_plugin_disabled

        set_plugin_disabled(self.ws, name, not enabled)
        self.reload_plugins()

    def reload_plugins(self) -> None:
        self.pm = self._default_pm()
        self._specs.clear()
        self.plugins_changed.emit()

    def strategy_specs(self) -> list[Any]:
        """Registered strategies, one per name (the first plugin wins a name, as in the engine)."""
        from shoprec.core.contracts.strategy import StrategySpec

        seen: dict[str, Any] = {}
        for _, spec in self.specs("shoprec_strategies"):
            if isinstance(spec, StrategySpec):
                seen.setdefault(spec.name, spec)
        return list(seen.values())

    def exporter_specs(self) -> list[Any]:
        return [spec for _, spec in self.specs("shoprec_exporters")]
