"""Customer portraits, and the `shoprec update` / `shoprec portrait` commands on a small shop."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner
from shop_fixtures import DAY, T0, build_shop
from shoprec.core import engine
from shoprec.core.cli import cli
from shoprec.core.data.dataset import Dataset
from shoprec.core.shop.portrait import customer_portrait

SMALL = {"d_model": "16", "n_heads": "1", "max_epochs": "6", "lr": "0.01"}


@pytest.fixture
def shop(ws_file):
    return build_shop(ws_file)


def test_portrait_of_a_coffee_drinker_names_coffee_and_a_segment(shop):
    ds = Dataset.from_workspace(shop)
    p = customer_portrait(ds, int(ds.user_index(["K000"])[0]))
    assert p.top_categories[0][0] in ("Beans", "Gear", "Supplies")
    assert sum(w for _, w in p.top_categories) == pytest.approx(1.0, abs=0.01)
    assert p.price_band in ("budget", "mid-range", "premium")
    assert len(p.rfm) == 3 and p.segment not in ("", "no history")
    assert p.frequency >= 2 and p.monetary > 0


def test_portrait_of_a_customer_with_no_history(shop):
    ds = Dataset.from_workspace(shop)
    p = customer_portrait(ds, int(ds.user_index(["NEW"])[0]))
    assert p.events == 0 and p.segment == "no history" and p.top_categories == []


def test_update_refreshes_only_customers_with_new_events_then_portrait(shop, tmp_path):
    engine.train(shop, "transformer", SMALL, device="cpu", refit=False)
    keys = {r[1]: r[0] for r in shop.conn.execute("SELECT id, external_id FROM customers")}
    tea = shop.conn.execute("SELECT id FROM items WHERE external_id = 'T03'").fetchone()[0]
    with shop.atomic() as conn:
        for cust in ("K000", "K002", "NEW"):
            conn.execute(
                "INSERT INTO events (customer_id, item_id, type, ts, order_id) "
                "VALUES (?, ?, 'purchase', ?, ?)", (keys[cust], tea, T0 + 400 * DAY, f"N-{cust}"),
            )
    path = str(shop.path)
    runner = CliRunner()
    result = runner.invoke(cli, ["--workspace", path, "update", "--json", "--device", "cpu"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["customers_refreshed"] == 3 and out["lists_rebuilt"]
    assert out["lists_rebuilt_for"] == 3  # only the refreshed customers' lists are rebuilt
    again = runner.invoke(cli, ["--workspace", path, "update", "--json", "--device", "cpu",
                                "--fine-tune", "1"])
    assert json.loads(again.output)["customers_refreshed"] == 0  # nothing new since

    portrait = runner.invoke(cli, ["--workspace", path, "portrait", "--customer", "NEW",
                                   "--json", "--device", "cpu"])
    assert portrait.exit_code == 0, portrait.output
    data = json.loads(portrait.output)
    assert data["events"] == 1 and data["top_categories"][0][0] == "Gear"
    assert len(data["nearest_items"]) == 5
    assert "T03" not in [i for i, _, _ in data["nearest_items"]]  # owned items are left out

    unknown = runner.invoke(cli, ["--workspace", path, "portrait", "--customer", "nobody"])
    assert unknown.exit_code != 0 and "unknown customer 'nobody'" in unknown.output


def test_update_without_a_trained_model_says_what_to_do(shop):
    result = CliRunner().invoke(cli, ["--workspace", str(shop.path), "update"])
    assert result.exit_code != 0 and "shoprec train --strategy transformer" in result.output


def test_update_fine_tune_changes_the_stored_model(shop):
    engine.train(shop, "transformer", SMALL, device="cpu", refit=False)
    model_id = engine.list_runs(shop)[0].model_id
    before = bytes(shop.conn.execute("SELECT state FROM models WHERE id=?", (model_id,)).fetchone()[0])
    keys = {r[1]: r[0] for r in shop.conn.execute("SELECT id, external_id FROM customers")}
    with shop.atomic() as conn:
        conn.execute("INSERT INTO events (customer_id, item_id, type, ts, order_id) "
                     "VALUES (?, 1, 'purchase', ?, 'X1')", (keys["K001"], T0 + 400 * DAY))
    result = CliRunner().invoke(cli, ["--workspace", str(shop.path), "update", "--json",
                                      "--device", "cpu", "--fine-tune", "2", "--no-lists"])
    assert result.exit_code == 0, result.output
    after = bytes(shop.conn.execute("SELECT state FROM models WHERE id=?", (model_id,)).fetchone()[0])
    assert after != before
    assert np.isfinite(engine.load_run(shop, engine.list_runs(shop)[0].id, device="cpu")
                       .strategy.logits(np.arange(3))).all()
