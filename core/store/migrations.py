"""The workspace schema: numbered, append-only migrations (``MIGRATIONS``; the workspace's
``schema_migrations`` table records which have run).

Never edit a migration that has shipped: add a new one at the end. The tables are written as
SQL on purpose: they need what sqlite-utils' ``create()`` cannot say (``WITHOUT ROWID``
tables, CHECK constraints, composite and partial indexes, foreign keys with ``ON DELETE``);
sqlite-utils serves the store where it can (introspection, small writes).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable


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


def _migration_sendable_lists(conn: sqlite3.Connection) -> None:
    # The owner's word on what lists may show (core.merchandise): 0 keeps an item out of every
    # list (a fee the detector missed), 1 lets a detected non-product back in. And each list
    # line's reason as a code plus the history item it names (core.reasons), so that front
    # ends say it in the owner's language.
    _run_script(
        conn,
        """
        CREATE TABLE item_choices (
            item_id INTEGER PRIMARY KEY REFERENCES items(id),
            recommend INTEGER NOT NULL,
            set_at INTEGER NOT NULL
        );
        ALTER TABLE run_lists ADD COLUMN reason_code TEXT;
        ALTER TABLE run_lists ADD COLUMN reason_item INTEGER;
        """,
    )


def _migration_anonymous_lines(conn: sqlite3.Connection) -> None:
    # Order lines without a customer id (guest checkouts, walk-in invoices): real baskets for
    # bought-together and item similarity, though no customer's history. Keyed like events by
    # their identity, so a re-import adds nothing; ``imports.anonymous`` counts the new ones
    # (rows read = imported + anonymous + duplicates + rejected).
    _run_script(
        conn,
        """
        CREATE TABLE anonymous_lines (
            order_id TEXT NOT NULL,
            ts INTEGER NOT NULL,
            line_no INTEGER NOT NULL DEFAULT 0,
            item_id INTEGER NOT NULL REFERENCES items(id),
            type TEXT NOT NULL,
            quantity REAL NOT NULL DEFAULT 1,
            value REAL,
            import_id INTEGER REFERENCES imports(id),
            PRIMARY KEY (order_id, ts, line_no, item_id, type)
        ) WITHOUT ROWID;
        ALTER TABLE imports ADD COLUMN anonymous INTEGER NOT NULL DEFAULT 0;
        """,
    )
    # items.attrs.lines / zero_price_lines (purchase lines, those at a price of 0) are kept up
    # to date by every import from now on; count what is there already, once.
    conn.execute(
        "UPDATE items SET attrs = json_patch(COALESCE(attrs, '{}'), json_object('lines', c.n, "
        "'zero_price_lines', c.z)) FROM (SELECT item_id, COUNT(*) AS n, SUM(value = 0) AS z FROM events "
        "WHERE type = 'purchase' GROUP BY item_id) AS c WHERE items.id = c.item_id"
    )


def _migration_erasures(conn: sqlite3.Connection) -> None:
    # Erasures (core.forget): an audit log holding no personal data, and salted hashes of the ids
    # and e-mails of forgotten customers, so that re-importing an old export keeps them out.
    _run_script(
        conn,
        """
        CREATE TABLE erasures (
            id INTEGER PRIMARY KEY,
            at INTEGER NOT NULL,        -- unix seconds, UTC
            command TEXT NOT NULL,      -- e.g. "shoprec forget", "desktop: Customers"
            identifiers INTEGER NOT NULL,  -- ids / e-mails asked for
            customers INTEGER NOT NULL,    -- customers found and erased
            rows TEXT,                  -- JSON: rows removed or scrubbed per table
            runs_marked INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE forgotten (
            hash TEXT PRIMARY KEY,      -- sha256(salt + normalised id or e-mail), hex
            person TEXT NOT NULL,       -- random token shared by one customer's id and e-mail
            erasure_id INTEGER REFERENCES erasures(id),
            created_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,
    )


def _migration_campaigns(conn: sqlite3.Connection) -> None:
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


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _migration_1, _migration_2, _migration_3, _migration_sendable_lists, _migration_anonymous_lines,
    _migration_erasures, _migration_campaigns,
)


SCHEMA_VERSION = len(MIGRATIONS)
