"""The workspace: one SQLite file per shop (WAL mode), opened through sqlite-utils.

Tables (schema version in ``schema_migrations``):

- ``customers`` / ``items``: integer surrogate keys ``id``; the shop's own id kept as text exactly
  as written in ``external_id`` (leading zeros, long numbers - never floats).
- ``events``: one behaviour event (view, cart, fav, purchase, rating, refund) of a customer on an
  item, with quantity, value, unix timestamp (UTC seconds), order id and the import it came from.
  Keyed by its identity (customer, time, order, order line, item, type) without a rowid, so
  duplicates are refused by the table itself and a scan is in each customer's time order.
- ``imports`` / ``rejects``: the accounting of every file imported: rows read = imported +
  anonymous + duplicates + rejected, and every reject with its line number, raw text and reason.
- ``anonymous_lines``: order lines without a customer (guest checkouts), kept as baskets.
- ``runs`` / ``run_lists`` / ``models``: trained strategies, their metrics and stored lists;
  model state as safetensors bytes (never pickle: a workspace may come from someone else).
- ``text_embeddings``: cached item text vectors (see ``core.text``), by encoder and text hash.
- ``item_choices``: the owner's word on what lists may show (see ``core.merchandise``).
- ``campaigns`` / ``campaign_items`` / ``campaign_members``: e-mail campaigns with their audience,
  each member's probability and random send / holdout assignment (see ``core.campaigns``).

- ``erasures`` / ``forgotten``: the audit log of ``shoprec forget`` (when, how many, which
  command; no personal data) and salted hashes of forgotten ids and e-mails (see ``core.forget``).

Use :meth:`Workspace.atomic` for all-or-nothing writes (savepoints when nested). Opening is
defensive: a file that is not a ShopRec workspace, a damaged one, or one carrying triggers or
views ShopRec did not create is refused with one line before anything in it changes;
``readonly=True`` never writes (no WAL switch, no migration); a write that finds another process
writing waits (``on_wait`` is told once) up to ``lock_timeout`` seconds.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import sqlite_utils

from .migrations import MIGRATIONS, SCHEMA_VERSION

EVENT_TYPES: tuple[str, ...] = ("view", "cart", "fav", "purchase", "rating", "refund")
"""Canonical event types. ``refund`` covers refunds, cancellations and returns."""


class WorkspaceError(Exception):
    """A workspace cannot be opened or is not a ShopRec workspace."""


class SchemaTooNew(WorkspaceError):
    """The workspace was written by a newer ShopRec than this one."""


class WorkspaceNotFound(WorkspaceError):
    """A command that only reads was given a path where no workspace exists."""


class WorkspaceBusy(WorkspaceError):
    """Another process kept the workspace locked for longer than the wait allowed."""


class HostileSchema(WorkspaceError):
    """The workspace carries triggers or views ShopRec did not create."""


#: Triggers and views a ShopRec migration creates (none so far). Anything else on the workspace's
#: tables could change or hide rows behind the importer's back, so opening refuses it.
KNOWN_SCHEMA_OBJECTS: frozenset[str] = frozenset()

#: Tables every ShopRec workspace has once migration 1 ran.
CORE_TABLES: tuple[str, ...] = (
    "customers", "items", "events", "imports", "rejects", "models", "runs", "run_lists", "settings",
)

#: Workspace files this process has connections to (resolved path -> how many), so that the
#: header check never opens and closes a file SQLite holds locks on (see ``_open_file``).
_OPEN_FILES: dict[str, int] = {}
_OPEN_LOCK = threading.Lock()

LOCK_TIMEOUT_S = 600.0
"""Default wait for another process's write (``SHOPREC_LOCK_TIMEOUT`` overrides)."""


def _lock_timeout() -> float:
    try:
        return float(os.environ.get("SHOPREC_LOCK_TIMEOUT", LOCK_TIMEOUT_S))
    except ValueError:
        return LOCK_TIMEOUT_S


def describe_sqlite_error(exc: BaseException) -> str:
    """The real cause of a SQLite failure in a shop owner's words."""
    text = str(exc)
    low = text.lower()
    if "disk is full" in low or "database or disk is full" in low:
        return "the disk is full; free some space and try again (nothing was changed)"
    if "readonly" in low or "read-only" in low:
        return "the workspace file is read-only; nothing was changed"
    if "locked" in low or "busy" in low:
        return "another program is writing to the workspace; try again when it has finished"
    if "malformed" in low or "not a database" in low or "corrupt" in low:
        return f"the workspace file is damaged ({text}); restore a backup (`shoprec restore`)"
    if "unable to open" in low:
        return "the workspace file cannot be opened (missing folder or no permission)"
    return text


def unknown_schema_objects(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """``(kind, name, table)`` of every trigger and view ShopRec did not create."""
    rows = conn.execute(
        "SELECT type, name, tbl_name FROM sqlite_master WHERE type IN ('trigger', 'view') "
        "ORDER BY type, name"
    ).fetchall()
    return [(k, n, t) for k, n, t in rows if n not in KNOWN_SCHEMA_OBJECTS]


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


class Workspace:
    """One shop's data. ``Workspace(path)`` opens or creates; ``Workspace.memory()`` for tests.

    ``create=False`` refuses a path where no workspace exists (commands that only read);
    ``readonly=True`` opens without writing anything (implies ``create=False``); ``on_wait`` is
    called with a message when a write has to wait for another process; ``allow_unknown_schema``
    opens a workspace with foreign triggers or views (``shoprec check`` uses it to drop them).
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        memory: bool = False,
        readonly: bool = False,
        create: bool = True,
        on_wait: Callable[[str], None] | None = None,
        lock_timeout: float | None = None,
        allow_unknown_schema: bool = False,
        backup_before_migration: bool = True,
    ):
        self.readonly = bool(readonly and not memory and path is not None)
        self.on_wait = on_wait
        self.lock_timeout = _lock_timeout() if lock_timeout is None else float(lock_timeout)
        #: Objects with ``begin(conn)`` / ``before_commit(conn)``, called around every outermost
        #: transaction (``core.forget`` keeps forgotten customers out of imports this way).
        self.tx_hooks: list = []
        self._depth = 0
        if memory or path is None:
            self.path: Path | None = None
            self.db = sqlite_utils.Database(memory=True)
            self.conn: sqlite3.Connection = self.db.conn
            self.conn.isolation_level = None
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.migrate()
        else:
            self.path = Path(path)
            try:
                self._open_file(create=create and not self.readonly,
                                allow_unknown_schema=allow_unknown_schema,
                                backup_before_migration=backup_before_migration)
            except sqlite3.DatabaseError as exc:
                with contextlib.suppress(Exception):
                    self.close()
                raise WorkspaceError(f"{self.path}: {describe_sqlite_error(exc)}") from None
            except BaseException:
                if hasattr(self, "conn"):
                    with contextlib.suppress(Exception):
                        self.close()
                raise
        self._install_hooks()

    def _open_file(self, *, create: bool, allow_unknown_schema: bool,
                   backup_before_migration: bool) -> None:
        path = self.path
        assert path is not None
        exists = path.exists()
        if exists and path.is_dir():
            raise WorkspaceError(f"{path}: is a folder, not a ShopRec workspace")
        if not exists and not create:
            raise WorkspaceNotFound(
                f"{path}: no workspace there (`shoprec import FILE` or `shoprec demo` creates one)"
            )
        # Read the header only when this process has no connection to the file yet: closing
        # any handle on a file drops every POSIX lock the process holds on it, so a second
        # Workspace opened beside a reading or writing one would leave that one unprotected
        # ("disk I/O error" in the desktop while the command line wrote).
        key = str(path.resolve())
        with _OPEN_LOCK:
            first = _OPEN_FILES.get(key, 0) == 0
        if first and exists and path.stat().st_size > 0:
            with open(path, "rb") as fh:
                if fh.read(16) != b"SQLite format 3\x00":
                    raise WorkspaceError(f"{path}: not a ShopRec workspace (not SQLite)")
        if self.readonly:
            self.conn = self._connect_readonly(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(str(path), timeout=2.0, check_same_thread=False)
        with _OPEN_LOCK:
            _OPEN_FILES[key] = _OPEN_FILES.get(key, 0) + 1
        self._open_key = key
        self.conn.isolation_level = None
        # A workspace may come from someone else: schema code (views, triggers) may not call
        # functions with side effects.
        self.conn.execute("PRAGMA trusted_schema=OFF")
        self.db = sqlite_utils.Database(self.conn)
        self._check_is_shoprec(allow_unknown_schema)
        if self.readonly:
            self.conn.execute("PRAGMA query_only=ON")
            version = self.schema_version
            if version > SCHEMA_VERSION:
                raise SchemaTooNew(
                    f"{path}: workspace schema v{version} is newer than this ShopRec (v{SCHEMA_VERSION})"
                )
            if version < SCHEMA_VERSION:
                raise WorkspaceError(
                    f"{path}: written by an older ShopRec (schema v{version}); any command that "
                    "writes (e.g. `shoprec check`) upgrades it, after a backup"
                )
            self.conn.execute("PRAGMA foreign_keys=ON")
            return
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        version = self.schema_version
        if backup_before_migration and 0 < version < SCHEMA_VERSION:
            self.auto_backup(f"before-upgrade-v{version}")
        self.migrate()

    @staticmethod
    def _connect_readonly(path: Path) -> sqlite3.Connection:
        uri = f"{path.resolve().as_uri()}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=5.0, check_same_thread=False)
        try:
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            # A WAL workspace on a read-only disk with no -shm file beside it: SQLite can only
            # read it as immutable (nothing else can be writing it there anyway).
            conn.close()
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True,
                                   check_same_thread=False)
        return conn

    def _check_is_shoprec(self, allow_unknown_schema: bool) -> None:
        """Refuse another program's database, a damaged one, or one with foreign triggers."""
        rows = self.conn.execute("SELECT type, name, tbl_name FROM sqlite_master").fetchall()
        tables = {name for kind, name, _ in rows if kind == "table"}
        if not tables:
            if self.readonly:
                raise WorkspaceError(f"{self.path}: an empty SQLite file, not a ShopRec workspace")
            return
        if "schema_migrations" not in tables:
            shown = ", ".join(sorted(t for t in tables if not t.startswith("sqlite_"))[:5])
            raise WorkspaceError(
                f"{self.path}: not a ShopRec workspace (a database of another program, with tables "
                f"{shown}); nothing was changed"
            )
        missing = [t for t in CORE_TABLES if t not in tables]
        if missing:
            raise WorkspaceError(
                f"{self.path}: damaged workspace, table {missing[0]} is missing; restore a backup "
                "(`shoprec restore`)"
            )
        if allow_unknown_schema:
            return
        foreign = unknown_schema_objects(self.conn)
        if foreign:
            kind, name, table = foreign[0]
            raise HostileSchema(
                f"{self.path}: has a {kind} {name!r} on {table} that ShopRec did not create (it "
                "could change or hide rows); `shoprec check --repair` removes it"
            )

    def _install_hooks(self) -> None:
        if self.readonly:
            return
        from .reimport import install_reimport_guard

        install_reimport_guard(self)

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
        if "schema_migrations" not in self.db.table_names():
            with self.atomic():
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

    # -- backups ---------------------------------------------------------------------------
    def backup_to(self, target: str | os.PathLike[str],
                  progress: Callable[[int, int], None] | None = None) -> Path:
        """Copy the workspace to ``target`` with SQLite's online backup API (safe while others
        read or write it); written beside the target first, then moved into place."""
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
        partial.unlink(missing_ok=True)
        dst = sqlite3.connect(str(partial))
        try:
            def step(_status: int, remaining: int, total: int) -> None:
                if progress is not None:
                    progress(total - remaining, total)

            self.conn.backup(dst, pages=4096, progress=step)
            dst.execute("PRAGMA journal_mode=DELETE")
            dst.close()
            os.replace(partial, target)
        except BaseException:
            dst.close()
            partial.unlink(missing_ok=True)
            raise
        return target

    def backups_dir(self) -> Path | None:
        """Where automatic backups go: ``<workspace>.backups`` beside the workspace file."""
        return None if self.path is None else self.path.with_name(self.path.name + ".backups")

    def auto_backup(self, kind: str, keep: int = 3) -> Path | None:
        """A backup before a risky change (an upgrade, a forget); the newest ``keep`` of a kind."""
        folder = self.backups_dir()
        if folder is None or self.readonly:
            return None
        stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
        target = folder / f"{kind}-{stamp}.shoprec"
        n = 1
        while target.exists():
            n += 1
            target = folder / f"{kind}-{stamp}-{n}.shoprec"
        self.backup_to(target)
        old = sorted(folder.glob(f"{kind}-*.shoprec"), key=lambda p: p.stat().st_mtime)
        for stale in old[:-keep] if keep > 0 else old:
            stale.unlink(missing_ok=True)
        return target

    # -- transactions ----------------------------------------------------------------------
    def _begin(self) -> None:
        """BEGIN IMMEDIATE, waiting (and saying so once) while another process writes."""
        if self.readonly:
            raise WorkspaceError(f"{self.path}: opened read-only")
        deadline = time.monotonic() + self.lock_timeout
        told = False
        while True:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                if not told and self.on_wait is not None:
                    self.on_wait(
                        f"Waiting for another ShopRec process that is writing to {self.path} "
                        f"(up to {self.lock_timeout:g} s)..."
                    )
                told = True
                if time.monotonic() >= deadline:
                    raise WorkspaceBusy(
                        f"{self.path}: another ShopRec process kept the workspace busy for "
                        f"{self.lock_timeout:g} s; try again when it has finished "
                        "(SHOPREC_LOCK_TIMEOUT sets the wait)"
                    ) from None
                time.sleep(0.2)

    def _rollback(self, statement: str) -> None:
        # After a disk-full or I/O error SQLite may already have rolled back; a second rollback
        # would then raise "no transaction is active" and hide the real cause.
        if self.conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute(statement)

    @contextlib.contextmanager
    def atomic(self) -> Iterator[sqlite3.Connection]:
        """All-or-nothing block; nested blocks become savepoints."""
        name = f"sp{self._depth}"
        if self._depth == 0 and not self.conn.in_transaction:
            self._begin()
            outer = True
            try:
                for hook in self.tx_hooks:
                    hook.begin(self.conn)
            except BaseException:
                self._rollback("ROLLBACK")
                raise
        else:
            self.conn.execute(f"SAVEPOINT {name}")
            outer = False
        self._depth += 1
        try:
            yield self.conn
            if outer:
                for hook in self.tx_hooks:
                    hook.before_commit(self.conn)
        except BaseException:
            self._depth -= 1
            if outer:
                self._rollback("ROLLBACK")
            else:
                self._rollback(f"ROLLBACK TO {name}")
                self._rollback(f"RELEASE {name}")
            raise
        else:
            self._depth -= 1
            if outer:
                try:
                    self.conn.execute("COMMIT")
                except BaseException:
                    self._rollback("ROLLBACK")
                    raise
                for hook in self.tx_hooks:
                    after = getattr(hook, "after_commit", None)
                    if after is not None:
                        after(self)
            else:
                self.conn.execute(f"RELEASE {name}")

    # -- small conveniences ----------------------------------------------------------------
    def count(self, table: str, where: str = "", params: tuple = ()) -> int:
        sql = f"SELECT COUNT(*) FROM [{table}]" + (f" WHERE {where}" if where else "")
        return int(self.conn.execute(sql, params).fetchone()[0])

    def has_table(self, name: str) -> bool:
        return self.db[name].exists()

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else row[0]

    def set_setting(self, key: str, value: str) -> None:
        with self.atomic():
            self.db["settings"].upsert({"key": key, "value": value}, pk="key")

    def info(self) -> dict:
        """Counts shown by ``shoprec info``."""
        by_type = dict(self.conn.execute("SELECT type, COUNT(*) FROM events GROUP BY type"))
        guests = self.has_table("anonymous_lines")
        return {
            "workspace": str(self.path) if self.path else ":memory:",
            "schema_version": self.schema_version,
            "customers": self.count("customers"),
            "items": self.count("items"),
            "events": sum(by_type.values()),
            "events_by_type": {t: by_type.get(t, 0) for t in EVENT_TYPES if by_type.get(t)},
            # (a workspace opened read-only before its upgrade has no anonymous_lines yet)
            "anonymous_lines": self.count("anonymous_lines") if guests else 0,
            "anonymous_orders": int(self.conn.execute(
                "SELECT COUNT(DISTINCT order_id) FROM anonymous_lines").fetchone()[0]) if guests else 0,
            "imports": self.count("imports"),
            # A file imported twice stores its rejects twice (each import keeps its own
            # accounting); the count shown is of distinct rejected rows (text and reason).
            "rejects": int(self.conn.execute(
                "SELECT COUNT(*) FROM (SELECT DISTINCT raw, reason FROM rejects)").fetchone()[0]),
            "rejects_all_imports": self.count("rejects"),
            "runs": self.count("runs"),
        }

    def close(self) -> None:
        self.conn.close()
        key = getattr(self, "_open_key", None)
        if key is not None:
            self._open_key = None
            with _OPEN_LOCK:
                left = _OPEN_FILES.get(key, 1) - 1
                if left > 0:
                    _OPEN_FILES[key] = left
                else:
                    _OPEN_FILES.pop(key, None)

    def scrub(self) -> None:
        """Make the file itself forget deleted rows: checkpoint the WAL into the file and empty
        it, rebuild the file without free pages (VACUUM), and empty the WAL again."""
        if self.path is None:
            return
        self.conn.execute("PRAGMA secure_delete=ON")
        deadline = time.monotonic() + self.lock_timeout
        while True:
            try:
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                self.conn.execute("VACUUM")
                busy = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                if not (busy and busy[0]):
                    return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
            if time.monotonic() >= deadline:
                raise WorkspaceBusy(
                    f"{self.path}: the rows are erased, but another program kept the workspace "
                    "open, so the file could not be rebuilt yet; close ShopRec elsewhere and run "
                    "`shoprec check --repair` to finish"
                )
            time.sleep(0.2)

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
