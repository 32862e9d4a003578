"""``shoprec demo`` on a machine with no display: the whole flow in the terminal."""

from __future__ import annotations

import csv
import json
import shlex

import pytest
from click.testing import CliRunner
from shoprec.core.cli import cli
from shoprec.core.cli import demo as demo_cmd
from shoprec.core.store.runs import get_run
from shoprec.core.store.workspace import Workspace


@pytest.fixture
def headless(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(demo_cmd.sys, "platform", "linux")


@pytest.mark.slow
def test_demo_runs_the_whole_flow_headless(tmp_path, headless):
    folder = tmp_path / "demo"
    res = CliRunner().invoke(cli, ["demo", "--folder", str(folder), "--customers", "150",
                                   "--strategy", "popularity", "--show", "2"])
    assert res.exit_code == 0, res.output
    out = res.output
    for step in ("1/5", "2/5", "3/5", "4/5", "5/5"):
        assert step in out
    # each file's accounting is printed
    for name in ("products_export.csv", "customers_export.csv", "orders_export_1.csv",
                 "events_export.csv"):
        line = next(ln for ln in out.splitlines() if name in ln and "rows read" in ln)
        assert "0 rejected" in line
    assert out.count("recently bought:") == 2
    assert "No display found" in out or "no display" in out.lower()
    workspace = folder / "demo.shoprec"
    assert str(workspace) in out
    # the exported lists are real: customers of the demo shop with ranked items
    with open(folder / "exports" / "recommendations.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all("@" in r["customer_id"] for r in rows)
    assert {r["rank"] for r in rows} >= {"1", "2"}
    assert (folder / "exports" / "shopify-products.csv").stat().st_size > 0
    # the demo trains as `shoprec train` does: the kept model also learned the held-out events
    with Workspace(workspace) as ws:
        assert get_run(ws, 1).info["refit"] is True
    # the printed Compare command runs, on the demo's own settings
    compare = next(ln for ln in out.splitlines() if ln.strip().startswith("Compare:"))
    args = shlex.split(compare.split("shoprec", 1)[1])
    assert args[-2:] == ["--strategy", "ease,popularity"]
    res_cmp = CliRunner().invoke(cli, args)
    assert res_cmp.exit_code == 0, res_cmp.output
    assert "settings of the newest run: popularity (run 1)" in res_cmp.output
    # running again starts from a fresh workspace: nothing doubles
    res2 = CliRunner().invoke(cli, ["demo", "--folder", str(folder), "--customers", "150",
                                    "--strategy", "popularity", "--json"])
    assert res2.exit_code == 0, res2.output
    summary = json.loads(res2.output)
    first_imports = [(i["imported"], i["duplicates"]) for i in summary["imports"]]
    assert first_imports[1:] == [(i, 0) for i, _ in first_imports[1:]]
    assert summary["workspace"] == str(workspace) and summary["run_id"] == 1


def test_demo_never_touches_the_users_own_workspace(tmp_path, headless, monkeypatch):
    own = tmp_path / "own.shoprec"
    monkeypatch.setenv("SHOPREC_WORKSPACE", str(own))
    res = CliRunner().invoke(cli, ["demo", "--folder", str(tmp_path / "d"), "--customers", "20",
                                   "--strategy", "nope"])
    assert res.exit_code != 0 and "unknown strategy 'nope'" in res.output
    assert not own.exists() and not (tmp_path / "d").exists()  # checked before any work


def test_display_detection(monkeypatch):
    monkeypatch.setattr(demo_cmd.sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert not demo_cmd.has_display()
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert demo_cmd.has_display()
    monkeypatch.setattr(demo_cmd.sys, "platform", "win32")
    monkeypatch.delenv("WAYLAND_DISPLAY")
    assert demo_cmd.has_display()


def test_with_a_display_the_desktop_app_opens_on_the_demo_workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(demo_cmd.sys, "platform", "linux")
    opened = []
    monkeypatch.setattr(demo_cmd, "_desktop_runner", lambda: (lambda path: opened.append(path) or 0))
    # a Windows console or pipe in cp1252 cannot encode θ: the demo must still run
    res = CliRunner(charset="cp1252").invoke(cli, ["demo", "--folder", str(tmp_path),
                                                   "--customers", "40", "--strategy",
                                                   "popularity", "--show", "1"])
    assert res.exit_code == 0, res.output
    assert "`--threshold` ? keeps only items" in res.output
    assert opened == [tmp_path / "demo.shoprec"]
    assert "Opening the desktop app" in res.output


def test_an_explicit_workspace_is_used_for_the_demo(tmp_path, headless):
    chosen = tmp_path / "mine.shoprec"
    res = CliRunner().invoke(cli, ["--workspace", str(chosen), "demo", "--folder",
                                   str(tmp_path / "d"), "--customers", "30", "--strategy",
                                   "popularity", "--show", "0", "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.output)
    assert summary["workspace"] == str(chosen) and chosen.exists()
    assert not (tmp_path / "d" / "demo.shoprec").exists()
    assert summary["lists"]["customers"] == 30


@pytest.fixture
def transformer_breaks(monkeypatch):
    from shoprec.core import engine

    real_train = engine.train

    def train(ws, strategy, *args, **kwargs):
        if strategy == "transformer":
            raise RuntimeError("text model failed to load")
        return real_train(ws, strategy, *args, **kwargs)

    monkeypatch.setattr(engine, "train", train)


def test_in_the_terminal_a_failed_strategy_is_an_error_not_a_quiet_fallback(
        tmp_path, headless, transformer_breaks):
    res = CliRunner().invoke(cli, ["demo", "--terminal", "--folder", str(tmp_path),
                                   "--customers", "40", "--show", "0"])
    assert res.exit_code == 1, res.output
    assert "training transformer failed: text model failed to load" in res.output
    assert "Training ease" not in res.output and "5/5" not in res.output


def test_before_opening_the_window_a_failed_strategy_gives_way_loudly(
        tmp_path, monkeypatch, transformer_breaks):
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(demo_cmd.sys, "platform", "linux")
    opened = []
    monkeypatch.setattr(demo_cmd, "_desktop_runner", lambda: (lambda path: opened.append(path) or 0))
    monkeypatch.setattr(demo_cmd, "_window_problem", lambda: None)
    res = CliRunner().invoke(cli, ["demo", "--folder", str(tmp_path), "--customers", "40",
                                   "--show", "0"])
    assert res.exit_code == 0, res.output
    assert ("transformer FAILED (RuntimeError: text model failed to load); the demo uses ease "
            "instead") in res.output
    assert opened == [tmp_path / "demo.shoprec"]


def test_the_hints_name_the_program_the_user_typed(tmp_path, headless):
    res = CliRunner().invoke(cli, ["demo", "--folder", str(tmp_path), "--customers", "30",
                                   "--strategy", "popularity", "--show", "0"],
                             prog_name="shoprec-cli")
    assert res.exit_code == 0, res.output
    hints = [ln for ln in res.output.splitlines() if ln.startswith("  ") and ":" in ln]
    assert any(ln.split(":", 1)[1].strip().startswith("shoprec-cli --workspace") for ln in hints)
    assert "shoprec-cli import orders_export.csv" in res.output
