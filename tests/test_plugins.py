"""The plugin manager: built-ins like third-party plugins, failures isolated, blocking by name."""

import textwrap

from shoprec.core import hookimpl
from shoprec.core.contracts.strategy import StrategySpec
from shoprec.core.registry import get_plugin_manager


class _GoodPlugin:
    @hookimpl
    def shoprec_strategies(self):
        return [StrategySpec(name="good", title="Good", description="", params=dict, factory=dict)]


class _RaisingPlugin:
    @hookimpl
    def shoprec_strategies(self):
        raise RuntimeError("kaboom")


def test_a_raising_hook_is_isolated_and_reported():
    pm = get_plugin_manager(builtins=(), entry_points=False, paths=())
    pm.load(_RaisingPlugin(), "bad", "registered")
    pm.load(_GoodPlugin(), "good", "registered")
    names = [spec.name for _, spec in pm.collect("shoprec_strategies")]
    assert names == ["good"]
    info = {i.name: i for i in pm.plugin_infos()}
    assert info["bad"].status == "failed" and "kaboom" in info["bad"].error
    assert info["good"].status == "ok" and info["good"].kinds == ("strategy",)


def test_a_module_that_fails_to_import_is_reported_not_raised():
    pm = get_plugin_manager(builtins=("shoprec.plugins.no_such_module",), entry_points=False, paths=())
    info = {i.name: i for i in pm.plugin_infos()}
    assert info["no_such_module"].status == "failed"
    assert "ModuleNotFoundError" in info["no_such_module"].error


def test_plugins_from_a_folder_and_blocking_by_name(tmp_path, monkeypatch):
    (tmp_path / "myplug.py").write_text(
        textwrap.dedent(
            """
            from shoprec.core import hookimpl
            __version__ = "1.2"

            @hookimpl
            def shoprec_exporters():
                return []
            """
        )
    )
    (tmp_path / "broken.py").write_text("raise ImportError('missing dependency foo')\n")
    pm = get_plugin_manager(builtins=(), entry_points=False, paths=[tmp_path])
    info = {i.name: i for i in pm.plugin_infos()}
    assert info["myplug"].source == "path" and info["myplug"].version == "1.2"
    assert info["myplug"].kinds == ("exporter",)
    assert info["broken"].status == "failed" and "missing dependency foo" in info["broken"].error

    monkeypatch.setenv("SHOPREC_DISABLE_PLUGINS", "myplug")
    pm = get_plugin_manager(builtins=(), entry_points=False, paths=[tmp_path])
    info = {i.name: i for i in pm.plugin_infos()}
    assert info["myplug"].status == "disabled"
    assert pm.get_plugin("myplug") is None


def test_collect_keeps_registration_order_so_builtins_win_a_name():
    class _Second:
        @hookimpl
        def shoprec_strategies(self):
            return [StrategySpec(name="good", title="Other", description="", params=dict, factory=dict)]

    pm = get_plugin_manager(builtins=(), entry_points=False, paths=())
    pm.load(_GoodPlugin(), "first", "registered")
    pm.load(_Second(), "second", "registered")
    assert [(name, spec.title) for name, spec in pm.collect("shoprec_strategies")] == [
        ("first", "Good"),
        ("second", "Other"),
    ]
