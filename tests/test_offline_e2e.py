"""Offline for certain: import -> train -> recommend -> export with every network socket blocked.

The whole flow runs through the real CLI in-process; any attempt to open a connection (a hub
download, telemetry, a DNS lookup) fails the test instead of silently succeeding on a connected
developer machine.
"""

from __future__ import annotations

import csv
import json
import socket

import pytest
from click.testing import CliRunner
from shoprec.core.cli import cli
from shoprec.core.demo import generate_demo_shop


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    attempts: list[str] = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args[:2]))
        raise NetworkUsed(f"network access attempted: {args[:2]!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield attempts
    assert attempts == [], f"ShopRec tried to reach the network: {attempts}"


def _run(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.slow
def test_import_train_recommend_export_without_network(tmp_path, no_network):
    shop = generate_demo_shop(tmp_path / "shop", n_products=60, n_customers=120, seed=7)
    ws = str(tmp_path / "offline.shoprec")
    runner = CliRunner()

    summaries = json.loads(_run(runner, "--workspace", ws, "import", *map(str, shop.files), "--json"))
    assert all(s["rejected"] == 0 for s in summaries["imports"])
    assert sum(s["imported"] for s in summaries["imports"]) > 0

    # The transformer with item text: loads the bundled MiniLM from its package folder.
    run = json.loads(
        _run(
            runner, "--workspace", ws, "train", "--strategy", "transformer",
            "--param", "time_budget_min=0.1", "--param", "text=minilm",
            "--device", "cpu", "--threshold", "0", "--json",
        )
    )
    assert run

    listed = json.loads(
        _run(runner, "--workspace", ws, "recommend", "--strategy", "transformer",
             "--top", "5", "--threshold", "0", "--json")
    )
    assert listed, "every customer gets a list at θ = 0"

    out = tmp_path / "lists.csv"
    _run(runner, "--workspace", ws, "export", "--exporter", "csv", "--out", str(out))
    with open(out, newline="", encoding="utf-8-sig") as fh:
        exported = list(csv.DictReader(fh))
    assert len(exported) > 0
