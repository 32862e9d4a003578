"""What the front ends read from the workspace, in one place: the desktop's tables and
summaries and the command line's listings ask here instead of writing SQL of their own.

A :class:`Query` is a read the desktop pages through (its table models fetch a page at a time
as the user scrolls); the functions return small answers directly.
"""

from __future__ import annotations

from dataclasses import dataclass

from .runs import RunRecord, list_runs
from .workspace import Workspace


@dataclass(frozen=True)
class Query:
    """A read of many rows: its SQL and parameters, run a page at a time by the caller."""

    sql: str
    params: tuple = ()


def imports_query() -> Query:
    """Every import, newest first: id, file, format, encoding, delimiter, rows read, imported,
    anonymous, duplicates, rejected, seconds, started."""
    return Query("SELECT id, file_name, format, encoding, delimiter, rows_read, imported, anonymous, "
                 "duplicates, rejected, seconds, started_at FROM imports ORDER BY id DESC")


def rejects_query(import_id: int) -> Query:
    """An import's rejected lines in file order: line, reason, raw text."""
    return Query("SELECT line, reason, raw FROM rejects WHERE import_id = ? ORDER BY line, id",
                 (import_id,))


def customers_query(search: str = "") -> Query:
    """Customers in workspace order, optionally those whose id, e-mail or name contains
    ``search``: key, shop id, name, e-mail (blank where it is the id), events, last seen."""
    where, params = "", ()
    text = search.strip().replace("%", "").replace("_", "")
    if text:
        where = "WHERE c.external_id LIKE ? OR c.email LIKE ? OR c.name LIKE ?"
        params = (f"%{text}%",) * 3
    return Query(f"""
SELECT c.id, c.external_id, COALESCE(c.name, ''),
       CASE WHEN c.email = c.external_id THEN '' ELSE COALESCE(c.email, '') END,
       (SELECT COUNT(*) FROM events e WHERE e.customer_id = c.id) AS n_events,
       (SELECT MAX(ts) FROM events e WHERE e.customer_id = c.id) AS last_seen
FROM customers c
{where}
ORDER BY c.id
""", params)


def history_query(customer: int) -> Query:
    """A customer's events, newest first: time, type, item id, title, quantity, value, order."""
    return Query("""
SELECT e.ts, e.type, i.external_id, COALESCE(i.title, ''), e.quantity, e.value, e.order_id
FROM events e JOIN items i ON i.id = e.item_id
WHERE e.customer_id = ?
ORDER BY e.ts DESC, e.order_id, e.line_no
""", (customer,))


#: Separates the parts of :func:`stored_list_query`'s reason column.
REASON_SEPARATOR = "\x1f"


def stored_list_query(run_id: int, customer: int) -> Query:
    """A customer's stored list of a run: rank, item id, title, probability, and the reason as
    code, title of the item it names and the stored English text, joined by REASON_SEPARATOR
    (a front end says the code in its user's language)."""
    return Query("""
SELECT l.rank, i.external_id, COALESCE(i.title, ''), l.score,
       COALESCE(l.reason_code, '') || char(31) || COALESCE(r.title, r.external_id, '')
       || char(31) || COALESCE(l.reason, '')
FROM run_lists l JOIN items i ON i.id = l.item_id LEFT JOIN items r ON r.id = l.reason_item
WHERE l.run_id = ? AND l.customer_id = ?
ORDER BY l.rank
""", (run_id, customer))


@dataclass(frozen=True)
class Customer:
    """Who a customer is: the shop's id, e-mail and name ("" where unknown)."""

    key: int
    external_id: str
    email: str
    name: str


def customer(ws: Workspace, key: int) -> Customer | None:
    row = ws.conn.execute("SELECT external_id, COALESCE(email, ''), COALESCE(name, '') "
                          "FROM customers WHERE id = ?", (key,)).fetchone()
    return Customer(key, *row) if row is not None else None


def emails_differ_from_ids(ws: Workspace) -> bool:
    """Whether any customer has an e-mail other than their id (Shopify uses the e-mail as the
    id: an e-mail column would only repeat it)."""
    return bool(ws.conn.execute(
        "SELECT EXISTS(SELECT 1 FROM customers WHERE COALESCE(email, '') NOT IN ('', external_id))"
    ).fetchone()[0])


@dataclass(frozen=True)
class Activity:
    """A customer's history in numbers."""

    events: int
    first: int | None
    last: int | None
    by_type: tuple[tuple[str, int], ...]  # most frequent first
    orders: int
    spent: float | None
    top_categories: tuple[str, ...]


def activity(ws: Workspace, key: int, categories: int = 3) -> Activity:
    conn = ws.conn
    n, first, last = conn.execute(
        "SELECT COUNT(*), MIN(ts), MAX(ts) FROM events WHERE customer_id = ?", (key,)).fetchone()
    by_type = conn.execute(
        "SELECT type, COUNT(*) FROM events WHERE customer_id = ? GROUP BY type "
        "ORDER BY COUNT(*) DESC", (key,)).fetchall()
    orders, spent = conn.execute(
        "SELECT COUNT(DISTINCT NULLIF(order_id, '')), SUM(value) FROM events "
        "WHERE customer_id = ? AND type = 'purchase'", (key,)).fetchone()
    cats = conn.execute(
        "SELECT i.category, COUNT(*) FROM events e JOIN items i ON i.id = e.item_id "
        "WHERE e.customer_id = ? AND COALESCE(i.category, '') != '' "
        "GROUP BY i.category ORDER BY COUNT(*) DESC LIMIT ?", (key, categories)).fetchall()
    return Activity(int(n), first, last, tuple((t, int(c)) for t, c in by_type), int(orders or 0),
                    spent, tuple(c for c, _ in cats))


def most_active_customers(ws: Workspace, limit: int) -> list[tuple[str, str, int]]:
    """The ``limit`` customers with the most events: shop id, name (or e-mail), events."""
    return ws.conn.execute("""
SELECT c.external_id, COALESCE(NULLIF(c.name, ''), NULLIF(c.email, ''), ''), t.n
FROM (SELECT customer_id, COUNT(*) AS n FROM events GROUP BY customer_id
      ORDER BY n DESC, customer_id LIMIT ?) t
JOIN customers c ON c.id = t.customer_id
ORDER BY t.n DESC, c.id
""", (limit,)).fetchall()


def event_span(ws: Workspace) -> tuple[int | None, int | None]:
    """The first and last event's time (None, None without events)."""
    first, last = ws.conn.execute("SELECT MIN(ts), MAX(ts) FROM events").fetchone()
    return first, last


def runs_with_lists(ws: Workspace) -> list[tuple[RunRecord, int]]:
    """Every run, newest first, with how many customers have a stored list in it."""
    counts = dict(ws.conn.execute(
        "SELECT run_id, COUNT(DISTINCT customer_id) FROM run_lists GROUP BY run_id").fetchall())
    return [(run, int(counts.get(run.id, 0))) for run in list_runs(ws)]


def rejects(ws: Workspace, import_id: int | None = None, limit: int = 0) -> list[tuple]:
    """Rejected lines (of one import, or all), in file order: import id, file, line, reason, raw."""
    sql = ("SELECT r.import_id, i.file_name, r.line, r.reason, r.raw FROM rejects r "
           "JOIN imports i ON i.id = r.import_id")
    params: tuple = ()
    if import_id is not None:
        sql += " WHERE r.import_id = ?"
        params = (import_id,)
    sql += " ORDER BY r.import_id, r.line"
    if limit > 0:
        sql += f" LIMIT {int(limit)}"
    return ws.conn.execute(sql, params).fetchall()


def best_listed_score(ws: Workspace, run_id: int) -> float | None:
    """The highest probability in a run's stored lists."""
    return ws.conn.execute("SELECT MAX(score) FROM run_lists WHERE run_id = ?", (run_id,)).fetchone()[0]


def regulars_with_lists(ws: Workspace, run_id: int, min_orders: int = 3) -> list[tuple[int, str, str, int]]:
    """Customers with a stored list in the run and at least ``min_orders`` orders: key, shop id,
    name, orders."""
    return ws.conn.execute(
        "SELECT l.customer_id, c.external_id, c.name, COUNT(DISTINCT e.order_id) AS orders "
        "FROM (SELECT DISTINCT customer_id FROM run_lists WHERE run_id = ?) l "
        "JOIN customers c ON c.id = l.customer_id "
        "JOIN events e ON e.customer_id = l.customer_id AND e.type = 'purchase' "
        "GROUP BY l.customer_id HAVING orders >= ? ORDER BY l.customer_id",
        (run_id, min_orders)).fetchall()


def recent_purchases(ws: Workspace, customer: int, n: int = 4) -> list[tuple[str, int]]:
    """A customer's ``n`` latest distinct purchases: title, time of the last purchase."""
    return ws.conn.execute(
        "SELECT i.title, MAX(e.ts) AS t FROM events e JOIN items i ON i.id = e.item_id "
        "WHERE e.customer_id = ? AND e.type = 'purchase' GROUP BY e.item_id ORDER BY t DESC LIMIT ?",
        (customer, n)).fetchall()


def stored_list_head(ws: Workspace, run_id: int, customer: int, n: int = 5) -> list[tuple]:
    """The first ``n`` lines of a customer's stored list: rank, title, SKU, probability, reason."""
    return ws.conn.execute(
        "SELECT l.rank, i.title, i.sku, l.score, l.reason FROM run_lists l "
        "JOIN items i ON i.id = l.item_id WHERE l.run_id = ? AND l.customer_id = ? "
        "ORDER BY l.rank LIMIT ?", (run_id, customer, n)).fetchall()


def item_keys(ws: Workspace, item_ids: list[str]) -> tuple[list[int], list[str]]:
    """The workspace keys of items named by the shop's own id or SKU, and the names not found."""
    keys: list[int] = []
    missing: list[str] = []
    for ext in item_ids:
        row = ws.conn.execute(
            "SELECT id FROM items WHERE external_id = ? OR (sku = ? AND sku != '') ORDER BY id LIMIT 1",
            (ext, ext)).fetchone()
        if row is None:
            missing.append(ext)
        else:
            keys.append(int(row[0]))
    return keys, missing


def set_item_choices(ws: Workspace, keys: list[int], recommend: int | None, now: int) -> None:
    """Store the owner's choice for items (``recommend`` 0 or 1), or forget it (None)."""
    table = ws.db["item_choices"]
    with ws.atomic():
        if recommend is None:
            for key in keys:
                table.delete_where("item_id = ?", [key])
        else:
            table.upsert_all([{"item_id": k, "recommend": int(recommend), "set_at": now} for k in keys],
                             pk="item_id")
