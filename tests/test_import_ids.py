"""Customer and item ids while importing: every import, in one process or with its parser
process, codes the shop's id texts and resolves each through a code book (core/importing/parser_process.py),
looking the workspace up only when an id may already be there. Whatever the chunking, the code
book's restarts and what the workspace holds already, each shop id is one customer or item."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from shoprec.core.importing import import_file, run
from shoprec.core.importing import parser_process as worker
from shoprec.core.store.workspace import Workspace

HEAD = "customer,sku,event,quantity,datetime\n"


def events_file(tmp_path: Path, name: str, rows: list[tuple[str, str]]) -> Path:
    path = tmp_path / name
    path.write_text(HEAD + "".join(f"{c},{s},view,1,2026-01-01 10:{i % 60:02d}:{i // 60 % 60:02d}\n"
                                   for i, (c, s) in enumerate(rows)), encoding="utf-8")
    return path


def by_shop_id(ws: Workspace) -> list[tuple[str, str]]:
    """Every event as (customer id, item id) as the shop wrote them."""
    return sorted(ws.conn.execute(
        "SELECT c.external_id, i.external_id FROM events e JOIN customers c ON c.id = e.customer_id "
        "JOIN items i ON i.id = e.item_id").fetchall())


@pytest.fixture(params=["one process", "parser process"])
def mode(request, monkeypatch):
    monkeypatch.setattr(run, "CHUNK_ROWS", 7)
    if request.param == "one process":
        monkeypatch.setenv("SHOPREC_IMPORT_PROCESSES", "1")
    else:
        monkeypatch.delenv("SHOPREC_IMPORT_PROCESSES", raising=False)
        monkeypatch.setattr(worker, "PARALLEL_MIN_BYTES", 0)
        monkeypatch.setattr(worker, "HANDOFF_AT", 1)
        monkeypatch.setattr("os.cpu_count", lambda: 2)
    return request.param


def test_customers_and_items_are_numbered_in_the_order_the_file_names_them(tmp_path, mode):
    rows = [(f"c{(i * 7) % 23}", f"s{(i * 5) % 13}") for i in range(60)]
    ws = Workspace.memory()
    import_file(ws, events_file(tmp_path, "a.csv", rows))
    first_seen = list(dict.fromkeys(c for c, _ in rows))
    assert [c for (c,) in ws.conn.execute("SELECT external_id FROM customers ORDER BY id")] == first_seen
    assert [s for (s,) in ws.conn.execute("SELECT external_id FROM items ORDER BY id")] == list(
        dict.fromkeys(s for _, s in rows))


def test_a_later_file_finds_the_customers_and_items_already_there(tmp_path, mode):
    ws = Workspace.memory()
    old = [(f"c{i}", f"s{i % 4}") for i in range(20)]
    new = [(f"c{i}", f"s{i % 6}") for i in range(10, 40)]  # half the customers, most items known
    import_file(ws, events_file(tmp_path, "old.csv", old))
    s = import_file(ws, events_file(tmp_path, "new.csv", new))
    assert (s.imported, s.rejected) == (30, 0)
    assert ws.count("customers") == 40 and ws.count("items") == 6
    assert by_shop_id(ws) == sorted(old + new)


def test_ids_met_again_after_the_code_book_restarts_are_the_same_customers(tmp_path, mode, monkeypatch):
    """A small cap makes the codes restart every chunk or two: ids this very import created
    before a restart are then found in the workspace, never created twice."""
    monkeypatch.setattr(run, "IdCodes", functools.partial(worker.IdCodes, cap=12))
    rows = [(f"c{i % 31}", f"s{i % 17}") for i in range(150)]
    ws = Workspace.memory()
    s = import_file(ws, events_file(tmp_path, "cycle.csv", rows))
    assert (s.rows_read, s.rejected) == (150, 0)
    assert ws.count("customers") == 31 and ws.count("items") == 17
    assert by_shop_id(ws) == sorted(rows)


def test_items_first_seen_on_guest_order_lines_are_found_by_later_customers(tmp_path, monkeypatch):
    """A guest line (order, no customer) creates its item outside the code book: a customer's
    line for the same item in a later chunk must find it."""
    monkeypatch.setenv("SHOPREC_IMPORT_PROCESSES", "1")
    monkeypatch.setattr(run, "CHUNK_ROWS", 1)
    path = tmp_path / "orders.csv"
    path.write_text("customer,order,sku,datetime\n,o1,s1,2026-01-01\n,o2,s2,2026-01-01\n"
                    "c1,o3,s1,2026-01-02\nc2,o4,s2,2026-01-03\nc1,o5,s3,2026-01-04\n", encoding="utf-8")
    ws = Workspace.memory()
    s = import_file(ws, path)
    assert (s.imported, s.anonymous, s.rejected) == (3, 2, 0)
    assert ws.count("items") == 3
    assert by_shop_id(ws) == [("c1", "s1"), ("c1", "s3"), ("c2", "s2")]
