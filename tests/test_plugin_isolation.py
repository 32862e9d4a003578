"""Hostile plugins: wrong return types, SystemExit, exceptions, slowness, NaN scores, broken
exporters disable that plugin with a message, never the app."""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from shoprec.core import engine, hookimpl
from shoprec.core.cli import cli
from shoprec.core.contracts.exporters import ExportError, ExporterSpec
from shoprec.core.contracts.strategy import StrategySpec
from shoprec.core.registry import get_plugin_manager
from shoprec.core.shop.exporting import export
from shoprec.core.store.workspace import Workspace
from test_forget import write_events


class _WrongType:
    @hookimpl
    def shoprec_strategies(self):
        return {"name": "not a spec"}


class _WrongItem:
    @hookimpl
    def shoprec_exporters(self):
        return ["csv"]


class _Exits:
    @hookimpl
    def shoprec_strategies(self):
        raise SystemExit(3)

    @hookimpl
    def shoprec_import_formats(self):  # never called once the plugin failed
        raise AssertionError("a failed plugin was called again")


def pm_with(*plugins):
    pm = get_plugin_manager(entry_points=False, paths=())
    for i, plugin in enumerate(plugins):
        pm.load(plugin, f"hostile{i}", "registered")
    return pm


def test_wrong_types_and_system_exit_disable_only_that_plugin():
    pm = pm_with(_WrongType(), _WrongItem(), _Exits())
    strategies = {spec.name for _, spec in pm.collect("shoprec_strategies")}
    assert "popularity" in strategies
    pm.check_all()
    info = {i.name: i for i in pm.plugin_infos()}
    assert info["hostile0"].status == "failed"
    assert "shoprec_strategies returned dict, not a list" in info["hostile0"].error
    assert "returned a str, not a ExporterSpec" in info["hostile1"].error
    assert info["hostile2"].status == "failed" and "SystemExit" in info["hostile2"].error
    assert info["hostile2"].kinds == ("format", "strategy")
    assert info["popularity"].status == "ok"


def test_a_plugin_that_exits_or_hangs_at_import_is_disabled_with_a_message(tmp_path, monkeypatch):
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "quitter.py").write_text("import sys\nsys.exit(3)\n")
    (folder / "sleeper.py").write_text("import time\ntime.sleep(30)\n")
    monkeypatch.setenv("SHOPREC_PLUGIN_PATH", str(folder))
    monkeypatch.setenv("SHOPREC_PLUGIN_TIMEOUT", "0.5")
    res = CliRunner().invoke(cli, ["--workspace", str(tmp_path / "none.shoprec"), "plugins"])
    assert res.exit_code == 0, res.output
    lines = {line.split()[0]: line for line in res.output.splitlines()[1:]}
    assert "failed" in lines["quitter"] and "SystemExit: 3" in lines["quitter"]
    assert "failed" in lines["sleeper"] and "took more than 0.5 s" in lines["sleeper"]
    assert "ok" in lines["popularity"]


def test_plugins_command_reports_a_hook_that_fails_as_failed(tmp_path, monkeypatch):
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "liar.py").write_text(textwrap.dedent('''
        from shoprec.core import hookimpl

        @hookimpl
        def shoprec_exporters():
            raise ValueError("cannot find my template")
    '''))
    monkeypatch.setenv("SHOPREC_PLUGIN_PATH", str(folder))
    res = CliRunner().invoke(cli, ["--workspace", str(tmp_path / "none.shoprec"), "plugins"])
    line = next(line for line in res.output.splitlines() if line.startswith("liar"))
    assert "failed" in line and "cannot find my template" in line


class _NaNStrategy:
    """A strategy plugin whose scores are NaN."""

    @hookimpl
    def shoprec_strategies(self):
        from shoprec.plugins.strategies.popularity import PopularityParams, PopularityStrategy

        class NaNs(PopularityStrategy):
            def logits(self, users, items=None):
                out = super().logits(users, items)
                return out * np.nan

        return [StrategySpec(name="nans", title="NaN", description="", params=PopularityParams,
                             factory=NaNs)]


class _FitRaises:
    @hookimpl
    def shoprec_strategies(self):
        from shoprec.plugins.strategies.popularity import PopularityParams, PopularityStrategy

        class Boom(PopularityStrategy):
            def fit(self, dataset, progress=None, cancel=None):
                raise ZeroDivisionError("oops")

        return [StrategySpec(name="boom", title="Boom", description="", params=PopularityParams,
                             factory=Boom)]


@pytest.fixture
def shop(tmp_path) -> Path:
    ws_path = tmp_path / "shop.shoprec"
    CliRunner().invoke(cli, ["--workspace", str(ws_path), "import", str(write_events(tmp_path / "o.csv"))])
    return ws_path


def test_nan_scores_are_refused_and_nothing_is_stored(shop):
    pm = pm_with(_NaNStrategy())
    with Workspace(shop) as ws:
        with pytest.raises(engine.BadScores, match="strategy nans gave scores that are not numbers"):
            engine.train(ws, "nans", pm=pm)
        assert ws.count("runs") == 0 and ws.count("models") == 0


def test_a_strategy_whose_fit_raises_is_one_engine_error(shop):
    pm = pm_with(_FitRaises())
    with Workspace(shop) as ws:
        with pytest.raises(engine.EngineError,
                           match="strategy boom failed while learning: ZeroDivisionError: oops"):
            engine.train(ws, "boom", pm=pm)


def test_an_exporter_that_raises_keeps_the_old_file(shop, tmp_path):
    def write(data, path):
        Path(path).write_text("half")
        raise KeyError("column")

    spec = ExporterSpec(name="broken", title="Broken", description="", extension="csv", write=write,
                        needs_run=False)
    target = tmp_path / "feed.csv"
    target.write_text("yesterday")
    with Workspace(shop, readonly=True) as ws:
        with pytest.raises(ExportError, match="exporter broken failed: KeyError"):
            export(ws, spec, target)
    assert target.read_text() == "yesterday"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []
