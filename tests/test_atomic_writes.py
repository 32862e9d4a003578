"""Multi-step writes are all or nothing; a busy workspace waits visibly; a full disk says so."""

from __future__ import annotations

import os
import sqlite3
import threading

import pytest
from click.testing import CliRunner
from shop_fixtures import run_cli as run
from shoprec.core import engine
from shoprec.core.cli import cli
from shoprec.core.shop.exporting import export, partial_path
from shoprec.core.store.maintenance import check
from shoprec.core.store.workspace import Workspace, WorkspaceBusy
from test_forget import write_events


@pytest.fixture
def shop(tmp_path):
    ws_path = tmp_path / "shop.shoprec"
    assert run(ws_path, "import", str(write_events(tmp_path / "orders.csv"))).exit_code == 0
    return ws_path


def disk_full(*_args, **_kwargs):
    raise sqlite3.OperationalError("database or disk is full")


def test_train_on_a_full_disk_leaves_no_model_run_or_list(shop, monkeypatch):
    # the disk fills up after the model row went in, while the lists are written
    monkeypatch.setattr(engine.runstore, "replace_lists", disk_full)
    with Workspace(shop) as ws:
        with pytest.raises(sqlite3.OperationalError, match="full"):
            engine.train(ws, "popularity")
        assert ws.count("models") == 0 and ws.count("runs") == 0 and ws.count("run_lists") == 0
        assert check(ws).ok


def test_recommend_save_on_a_full_disk_keeps_the_old_lists_and_settings(shop, monkeypatch):
    with Workspace(shop) as ws:
        result = engine.train(ws, "popularity", settings=engine.ListSettings(top_n=5, threshold=0))
        before = ws.conn.execute("SELECT * FROM run_lists ORDER BY 1, 2, 3").fetchall()
        info = ws.conn.execute("SELECT info, metrics FROM runs").fetchone()
        real = engine.runstore.update_run_json
        calls = []

        def second_write_fails(*args, **kwargs):  # lists written, info written, then full
            calls.append(1)
            if len(calls) == 2:
                disk_full()
            return real(*args, **kwargs)

        monkeypatch.setattr(engine.runstore, "update_run_json", second_write_fails)
        with pytest.raises(sqlite3.OperationalError, match="full"):
            engine.recommend(ws, result.run_id, top_n=2, threshold=0, save=True)
        assert ws.conn.execute("SELECT * FROM run_lists ORDER BY 1, 2, 3").fetchall() == before
        assert ws.conn.execute("SELECT info, metrics FROM runs").fetchone() == info


def test_cli_says_the_disk_is_full_in_one_line(shop, monkeypatch):
    monkeypatch.setattr(engine.runstore, "replace_lists", disk_full)
    res = run(shop, "train", "--strategy", "popularity")
    assert res.exit_code == 1
    assert res.output.strip() == (f"Error: {shop}: the disk is full; free some space and try again "
                                  "(nothing was changed)")
    with Workspace(shop) as ws:
        assert ws.count("models") == 0


def test_a_write_waits_for_another_process_and_says_so(shop):
    holder = sqlite3.connect(shop, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    released = threading.Timer(3.5, holder.execute, ("COMMIT",))
    released.start()
    messages: list[str] = []
    with Workspace(shop, on_wait=messages.append) as ws:
        ws.set_setting("x", "1")  # waits for the holder, then goes through
        assert ws.get_setting("x") == "1"
    released.join()
    holder.close()
    assert len(messages) == 1 and messages[0].startswith("Waiting for another ShopRec process")


def test_a_write_gives_up_after_the_timeout_with_one_line(shop):
    holder = sqlite3.connect(shop, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with Workspace(shop, lock_timeout=0.5) as ws:
            with pytest.raises(WorkspaceBusy, match="another ShopRec process kept the workspace busy"):
                ws.set_setting("x", "1")
        res = CliRunner(env={"SHOPREC_LOCK_TIMEOUT": "0.5"}).invoke(
            cli, ["--workspace", str(shop), "train", "--strategy", "popularity"])
        assert res.exit_code == 1 and "Traceback" not in res.output
        assert "Waiting for another ShopRec process" in res.output
        assert "another ShopRec process kept the workspace busy for 0.5 s" in res.output
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_an_export_killed_earlier_leaves_a_temporary_file_the_next_export_removes(shop, tmp_path):
    with Workspace(shop) as ws:
        engine.train(ws, "popularity", settings=engine.ListSettings(top_n=3, threshold=0))
    target = tmp_path / "out" / "lists.csv"
    target.parent.mkdir()
    target.write_text("last week's export")
    dead = target.with_name(f".{target.name}.999999999.partial")  # no such process
    dead.write_text("half an export")
    with Workspace(shop, readonly=True) as ws:
        export(ws, "csv", target)
    assert sorted(p.name for p in target.parent.iterdir()) == ["lists.csv"]
    assert "CUST0001" in target.read_text(encoding="utf-8")
    assert partial_path(target).name == f".lists.csv.{os.getpid()}.partial"


def test_a_reader_goes_on_while_a_writer_holds_the_lock(shop):
    # reading never waits: a reader goes on while a writer holds the lock (WAL)
    holder = sqlite3.connect(shop, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO settings VALUES ('held', '1')")
    try:
        with Workspace(shop, readonly=True) as ws:
            assert ws.count("customers") == 30
            assert ws.get_setting("held") is None  # not committed: not seen
    finally:
        holder.execute("ROLLBACK")
        holder.close()
