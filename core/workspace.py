"""The workspace: one SQLite file per shop (WAL mode), opened through sqlite-utils.

Tables (schema version in ``schema_migrations``):

- ``customers`` / ``items``: integer surrogate keys ``id``; the shop's own id kept as text exactly
  as written in ``external_id`` (leading zeros, long numbers - never floats).
- ``events``: one behaviour event (view, cart, fav, purchase, rating, refund) of a customer on an
  item, with quantity, value, unix timestamp (UTC seconds), order id and the import it came from.
  Keyed by its identity (customer, time, order, order line, item, type) without a rowid, so
  duplicates are refused by the table itself and a scan is in each customer's time order.
- ``imports`` / ``rejects``: the accounting of every file imported: rows read = imported +
  duplicates + rejected, and every reject with its line number, raw text and reason.
- ``runs`` / ``run_lists`` / ``models``: trained strategies, their metrics and stored lists;
  model state as safetensors bytes (never pickle: a workspace may come from someone else).
- ``text_embeddings``: cached item text vectors (see ``core.text``), by encoder and text hash.
- ``campaigns`` / ``campaign_items`` / ``campaign_members``: e-mail campaigns with their audience,
  each member's probability and random send / holdout assignment (see ``core.campaigns``).

Use :meth:`Workspace.atomic` for all-or-nothing writes (savepoints when nested).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import sqlite_utils

EVENT_TYPES: tuple[str, ...] = ("view", "cart", "fav", "purchase", "rating", "refund")
"""Canonical event types. ``refund`` covers refunds, cancellations and returns."""


class WorkspaceError(Exception):
    """A workspace cannot be opened or is not a ShopRec workspace."""


class SchemaTooNew(WorkspaceError):
    """The workspace was written by a newer ShopRec than this one."""


def default_workspace_path() -> Path:
    """``$SHOPREC_WORKSPACE`` if set, else ``shop.shoprec`` in the platform's user data dir."""
    env = os.environ.get("SHOPREC_WORKSPACE")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("ShopRec", appauthor=False)) / "shop.shoprec"


# ---------------------------------------------------------------------------------------------
# Migrations: append only. Each takes the raw sqlite3 connection inside a transaction.
# ---------------------------------------------------------------------------------------------


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run statements one by one (``executescript`` would commit the enclosing transaction)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement in migration: {statement[:60]!r}")


def _migration_1(conn: sqlite3.Connection) -> None:
    _run_script(
        conn,
        """
        CREATE TABLE customers (
            id INTEGER PRIMARY KEY,
            external_id TEXT NOT NULL UNIQUE,
            email TEXT,
            name TEXT,
            first_seen INTEGER,
            attrs TEXT              -- JSON object of extra columns kept from the export
        );
        CREATE TABLE items (
            id INTEGER PRIMARY KEY,
            external_id TEXT NOT NULL UNIQUE,   -- SKU, product id or handle as written
            sku TEXT,
            title TEXT,
            description TEXT,
            category TEXT,          -- category path, "Parent > Child"
            price REAL,
            currency TEXT,
            stock REAL,
            published INTEGER,      -- 1 published, 0 not, NULL unknown
            vendor TEXT,
            variant_of TEXT,        -- external id of the parent product, for variants
            url TEXT,
            updated_at INTEGER,
            attrs TEXT
        );
        CREATE TABLE imports (
            id INTEGER PRIMARY KEY,
            file_name TEXT NOT NULL,
            path TEXT,
            sha256 TEXT,
            size_bytes INTEGER,
            format TEXT,
            encoding TEXT,
            delimiter TEXT,
            rows_read INTEGER NOT NULL DEFAULT 0,
            imported INTEGER NOT NULL DEFAULT 0,
            duplicates INTEGER NOT NULL DEFAULT 0,
            rejected INTEGER NOT NULL DEFAULT 0,
            started_at INTEGER,
            seconds REAL,
            mapping TEXT            -- JSON: column -> field actually used
        );
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            customer_id INTEGER NOT NULL REFERENCES customers(id),
            item_id INTEGER NOT NULL REFERENCES items(id),
            type TEXT NOT NULL,
            quantity REAL NOT NULL DEFAULT 1,
            value REAL,
            ts INTEGER NOT NULL,    -- unix seconds, UTC
            order_id TEXT NOT NULL DEFAULT '',
            line_no INTEGER NOT NULL DEFAULT 0,  -- position of the line among its order's lines
            import_id INTEGER REFERENCES imports(id)
        );
        -- The same customer, item, type, moment, order and order line is the same event:
        -- re-importing a file or two overlapping exports add nothing, while an order listing
        -- the same SKU on two lines keeps both.
        CREATE UNIQUE INDEX events_identity
            ON events (customer_id, ts, item_id, type, order_id, line_no);
        CREATE TABLE rejects (
            id INTEGER PRIMARY KEY,
            import_id INTEGER NOT NULL REFERENCES imports(id),
            line INTEGER,
            raw TEXT,
            reason TEXT NOT NULL
        );
        CREATE INDEX rejects_import ON rejects (import_id);
        CREATE TABLE models (
            id INTEGER PRIMARY KEY,
            strategy TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            params TEXT,            -- JSON
            state BLOB              -- safetensors bytes
        );
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            strategy TEXT NOT NULL,
            model_id INTEGER REFERENCES models(id),
            created_at INTEGER NOT NULL,
            params TEXT,            -- JSON
            metrics TEXT,           -- JSON
            timings TEXT,           -- JSON
            calibration TEXT,       -- JSON: a, b, event and horizon the score estimates
            info TEXT               -- JSON: device, seed, item/customer space, list settings
        );
        CREATE INDEX runs_strategy ON runs (strategy);
        CREATE TABLE run_lists (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            customer_id INTEGER NOT NULL REFERENCES customers(id),
            rank INTEGER NOT NULL,
            item_id INTEGER NOT NULL REFERENCES items(id),
            score REAL NOT NULL,
            reason TEXT,
            PRIMARY KEY (run_id, customer_id, rank)
        ) WITHOUT ROWID;
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT
        );
        """
    )


def _migration_2(conn: sqlite3.Connection) -> None:
    # Item text vectors (core.text), keyed by encoder and text hash: re-encoding is only needed
    # for items whose text changed. Vectors are little-endian float32 bytes, never pickle.
    _run_script(
        conn,
        """
        CREATE TABLE text_embeddings (
            encoder TEXT NOT NULL,      -- model identity and settings, e.g. hf:model:abc123@128
            text_hash TEXT NOT NULL,    -- sha1 prefix of the item text
            dim INTEGER NOT NULL,
            vector BLOB NOT NULL,       -- float32 little-endian
            created_at INTEGER NOT NULL,
            PRIMARY KEY (encoder, text_hash)
        ) WITHOUT ROWID;
        """,
    )


def _migration_3(conn: sqlite3.Connection) -> None:
    # Events keyed by their identity (WITHOUT ROWID): the table is the identity index. One B-tree
    # to write per event instead of a rowid table plus a unique index, half the file, and a scan
    # comes out in each customer's time order, the lines of an order at one moment in their
    # order. (The integer ``events.id`` only broke ties in time in the desktop's history list,
    # which now lists an order's lines in their order too.)
    _run_script(
        conn,
        """
        CREATE TABLE events_v3 (
            customer_id INTEGER NOT NULL REFERENCES customers(id),
            item_id INTEGER NOT NULL REFERENCES items(id),
            type TEXT NOT NULL,
            quantity REAL NOT NULL DEFAULT 1,
            value REAL,
            ts INTEGER NOT NULL,
            order_id TEXT NOT NULL DEFAULT '',
            line_no INTEGER NOT NULL DEFAULT 0,
            import_id INTEGER REFERENCES imports(id),
            PRIMARY KEY (customer_id, ts, order_id, line_no, item_id, type)
        ) WITHOUT ROWID;
        INSERT INTO events_v3 (customer_id, item_id, type, quantity, value, ts, order_id, line_no,
                               import_id)
            SELECT customer_id, item_id, type, quantity, value, ts, order_id, line_no, import_id
            FROM events ORDER BY customer_id, ts, order_id, line_no, item_id, type;
        DROP TABLE events;
        ALTER TABLE events_v3 RENAME TO events;
        """,
    )


def _migration_4(conn: sqlite3.Connection) -> None:
    # Campaigns (core.campaigns): an audience stored with its random send / holdout split, so
    # that a report after the next import compares the two. ``campaign_members.customer_id``
    # cascades, so forgetting a customer removes them from every campaign.
    _run_script(
        conn,
        """
        CREATE TABLE campaigns (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,         -- items, reorder or winback
            created_at INTEGER NOT NULL,
            starts_at INTEGER NOT NULL, -- when the e-mail goes out: purchases count from here
            window_days REAL NOT NULL,  -- how long after the start a purchase counts
            holdout REAL NOT NULL,      -- share of the audience kept back
            seed INTEGER NOT NULL,      -- of the random split: the same seed, the same split
            run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
            strategy TEXT,
            definition TEXT,            -- JSON: products, size, rules
            summary TEXT,               -- JSON: expected buyers, random, power plan, event
            exported_at INTEGER
        );
        CREATE TABLE campaign_items (
            campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
            item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            PRIMARY KEY (campaign_id, item_id)
        ) WITHOUT ROWID;
        CREATE TABLE campaign_members (
            campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
            customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
            assignment TEXT NOT NULL CHECK (assignment IN ('send', 'holdout')),
            probability REAL NOT NULL,
            reason TEXT,
            items TEXT,                 -- JSON list of items.id the e-mail shows
            PRIMARY KEY (campaign_id, customer_id)
        ) WITHOUT ROWID;
        CREATE INDEX campaign_members_customer ON campaign_members (customer_id);
        """,
    )


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_migration_1, _migration_2, _migration_3,
                                                                _migration_4)
SCHEMA_VERSION = len(MIGRATIONS)


class Workspace:
    """One shop's data. ``Workspace(path)`` opens or creates; ``Workspace.memory()`` for tests."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, memory: bool = False):
        if memory or path is None:
            self.path: Path | None = None
            self.db = sqlite_utils.Database(memory=True)
        else:
            self.path = Path(path)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.path.exists() and self.path.stat().st_size > 0:
                with open(self.path, "rb") as fh:
                    if fh.read(16) != b"SQLite format 3\x00":
                        raise WorkspaceError(f"{self.path}: not a ShopRec workspace (not SQLite)")
            self.db = sqlite_utils.Database(self.path)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
        self.conn: sqlite3.Connection = self.db.conn
        # Autocommit outside explicit transactions: every write goes through atomic().
        self.conn.isolation_level = None
        self.conn.execute("PRAGMA foreign_keys=ON")
        self._depth = 0
        self.migrate()

    @classmethod
    def memory(cls) -> Workspace:
        return cls(memory=True)

    # -- schema ----------------------------------------------------------------------------
    @property
    def schema_version(self) -> int:
        if "schema_migrations" not in self.db.table_names():
            return 0
        row = self.conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    def migrate(self) -> None:
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)"
        )
        current = self.schema_version
        if current > SCHEMA_VERSION:
            raise SchemaTooNew(
                f"{self.path}: workspace schema v{current} is newer than this ShopRec (v{SCHEMA_VERSION})"
            )
        for version in range(current + 1, SCHEMA_VERSION + 1):
            with self.atomic():
                MIGRATIONS[version - 1](self.conn)
                self.conn.execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                    (version, int(time.time())),
                )

    # -- transactions ----------------------------------------------------------------------
    @contextlib.contextmanager
    def atomic(self) -> Iterator[sqlite3.Connection]:
        """All-or-nothing block; nested blocks become savepoints."""
        name = f"sp{self._depth}"
        if self._depth == 0 and not self.conn.in_transaction:
            self.conn.execute("BEGIN IMMEDIATE")
            outer = True
        else:
            self.conn.execute(f"SAVEPOINT {name}")
            outer = False
        self._depth += 1
        try:
            yield self.conn
        except BaseException:
            self._depth -= 1
            if outer:
                self.conn.execute("ROLLBACK")
            else:
                self.conn.execute(f"ROLLBACK TO {name}")
                self.conn.execute(f"RELEASE {name}")
            raise
        else:
            self._depth -= 1
            if outer:
                self.conn.execute("COMMIT")
            else:
                self.conn.execute(f"RELEASE {name}")

    # -- small conveniences ----------------------------------------------------------------
    def count(self, table: str, where: str = "", params: tuple = ()) -> int:
        sql = f"SELECT COUNT(*) FROM [{table}]" + (f" WHERE {where}" if where else "")
        return int(self.conn.execute(sql, params).fetchone()[0])

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else row[0]

    def set_setting(self, key: str, value: str) -> None:
        with self.atomic():
            self.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def info(self) -> dict:
        """Counts shown by ``shoprec info``."""
        by_type = dict(self.conn.execute("SELECT type, COUNT(*) FROM events GROUP BY type"))
        return {
            "workspace": str(self.path) if self.path else ":memory:",
            "schema_version": self.schema_version,
            "customers": self.count("customers"),
            "items": self.count("items"),
            "events": sum(by_type.values()),
            "events_by_type": {t: by_type.get(t, 0) for t in EVENT_TYPES if by_type.get(t)},
            "imports": self.count("imports"),
            "rejects": self.count("rejects"),
            "runs": self.count("runs"),
        }

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
