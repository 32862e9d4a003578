"""The example third-party plugin of plugins/README.md: installed with pip, found through its
entry point, listed, disabled by name, trained and explained like a built-in strategy."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from shop_fixtures import build_shop
from shoprec.core import engine
from shoprec.core.contracts.strategy import describe_params
from shoprec.core.ranking.scoring import ListSettings
from shoprec.core.registry import get_plugin_manager

EXAMPLE = Path(__file__).parent / "example_plugin"


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """pip-install the example package into a private folder (offline, no dependencies)."""
    work = tmp_path_factory.mktemp("plugin")
    source = work / "src"
    shutil.copytree(EXAMPLE, source)  # keep build leftovers out of the repository
    target = work / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--no-index", "--target", str(target), str(source)],
        check=True, capture_output=True, text=True,
    )
    return target


@pytest.fixture
def on_path(installed, monkeypatch):
    monkeypatch.syspath_prepend(str(installed))
    yield installed
    for name in [m for m in sys.modules if m.startswith("shoprec_also_bought")]:
        del sys.modules[name]


@pytest.mark.slow
def test_the_example_plugin_loads_through_its_entry_point(on_path, ws):
    pm = get_plugin_manager(entry_points=True, paths=())
    info = {i.name: i for i in pm.plugin_infos()}
    assert info["also_bought"].source == "entry point"
    assert info["also_bought"].version == "1.0.0"
    assert info["also_bought"].kinds == ("strategy",) and info["also_bought"].status == "ok"
    spec = engine.strategy_specs(pm)["also_bought"]
    assert [f.name for f in describe_params(spec.params)] == ["recent", "shrink"]

    build_shop(ws)
    result = engine.train(ws, "also_bought", {"recent": "3"}, pm=pm,
                          settings=ListSettings(threshold=0.0, top_n=3))
    lists = engine.recommend(ws, result.run_id, ["K001"], threshold=0.0, pm=pm)
    reasons = [r.reason for r in lists[0].items]
    assert reasons and any("also bought this" in r for r in reasons)
    scores = np.array([r.score for r in lists[0].items])
    assert np.all((scores >= 0) & (scores <= 1))


@pytest.mark.slow
def test_the_example_plugin_can_be_disabled_by_name(on_path, monkeypatch):
    monkeypatch.setenv("SHOPREC_DISABLE_PLUGINS", "also_bought")
    pm = get_plugin_manager(entry_points=True, paths=())
    info = {i.name: i for i in pm.plugin_infos()}
    assert info["also_bought"].status == "disabled"
    assert "also_bought" not in engine.strategy_specs(pm)
