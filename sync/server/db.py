"""The server's database: engine set-up, migrations, and the write lock that orders the log.

Positions in the change log must become visible in the order they are assigned, or a device could
pull position 12, move its cursor past it, and never see position 11 committed a moment later.
Pushes therefore assign positions inside a critical section that lasts until commit: on
PostgreSQL a transaction-scoped advisory lock (released by the commit itself, so several stateless
app processes share it), on SQLite a process-wide lock (SQLite allows one writer anyway). Other
processes writing the same SQLite file (an administration command beside the server, a second
``serve`` worker) are ordered by SQLite itself: every write transaction there begins IMMEDIATE,
taking the file's write lock, or waiting for it, before it reads. See docs/sync.md.

Migrations run once, under a lock (``migrate``): on PostgreSQL a transaction-scoped advisory lock,
on SQLite an operating-system lock on a file beside the database. Two migrators started at once
(two ``caseapp-server migrate``, an admin command beside a deploy) would otherwise both create the
same tables and one would fail half-way. Serving processes never migrate: they check the schema is
the one they know (``schema_state``) and refuse to start otherwise.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, Table, create_engine, event, text
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import QueuePool

from caseapp.fileio import make_private, private_file
from caseapp.resources import package_dir

# Any fixed 64-bit number; it names "the change log" among advisory locks.
PUSH_LOCK_KEY = 0x43415345_53594E43  # "CASESYNC"
# Another, naming "the schema migration"; held only by migrators.
MIGRATE_LOCK_KEY = 0x43415345_4D494752  # "CASEMIGR"
#: the standards table's adds (sync.server.standards): one at a time, so ids commit in order
STANDARDS_LOCK_KEY = 0x43415345_53544453  # "CASESTDS"
#: SQLite: the file beside the database that migrators lock (it holds nothing)
MIGRATE_LOCK_SUFFIX = ".migrate-lock"
#: SQLite: the execution option that makes a transaction begin by taking the write lock
_IMMEDIATE = "caseapp_begin_immediate"
#: SQLite: how long a write waits for another process's write to finish (PRAGMA busy_timeout)
BUSY_TIMEOUT_MS = 30_000


@dataclass(frozen=True)
class SchemaState:
    """Where a database's schema stands against the migrations this program carries."""

    current: str | None
    head: str | None
    known: bool  # the current revision is one of ours (None, an empty database, counts as known)

    @property
    def at_head(self) -> bool:
        return self.current == self.head


def default_url() -> str:
    folder = Path(platformdirs.user_data_dir("CaseApp-Server", "CaseApp"))
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    make_private(folder)  # the server's own folder: owner-only even if it was made 0755 before
    return f"sqlite:///{folder / 'server.db'}"


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self._write_lock = threading.Lock()
        if self.is_sqlite:
            _private_sqlite_files(url)
            # A small pool: reopening the file and re-running the pragmas on every request would
            # cost more than most requests. A connection is used by one thread at a time.
            self.engine: Engine = create_engine(url, poolclass=QueuePool, pool_size=8, max_overflow=16,
                                                hide_parameters=True,
                                                connect_args={"check_same_thread": False,
                                                              "timeout": BUSY_TIMEOUT_MS / 1000})
            _sqlite_pragmas(self.engine)
            # SQLite's reads pay no round trips, and switching its isolation costs a PRAGMA
            self._lookups = self.engine
        else:
            most = pool_limit()
            kept = max(1, most // 3)
            self.engine = create_engine(url, pool_size=kept, max_overflow=most - kept, pool_pre_ping=True,
                                        hide_parameters=True)
            # the same pool: a connection is put in autocommit when taken, and back when returned
            self._lookups = self.engine.execution_options(isolation_level="AUTOCOMMIT")

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def lookup(self) -> Iterator[Connection]:
        """A connection for one statement that reads (a request's token): outside any transaction
        on PostgreSQL, so the statement is its own snapshot and no BEGIN goes before it nor
        ROLLBACK after it (two of the four round trips a token lookup took, counting the pool's
        ping: 0.7 to 1.2 ms of server CPU per push-and-pull pair, bench/pair_cost.py). On SQLite
        it is ``read``."""
        with self._lookups.connect() as conn:
            yield conn

    @contextmanager
    def snapshot(self) -> Iterator[Connection]:
        """A read-only transaction over one consistent snapshot (a pull's top position, its page and
        the scope count it reports must agree, or devices would see phantom differences)."""
        with self.engine.connect() as conn:
            if not self.is_sqlite:
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    @contextmanager
    def write(self, *, ordered: bool = False) -> Iterator[Connection]:
        """A write transaction. ``ordered`` ones (pushes: they assign log positions) are serialised
        until commit; on SQLite every write is, since SQLite has a single writer anyway and taking
        the lock up front avoids its busy errors when two transactions upgrade to writing."""
        if self.is_sqlite:
            # BEGIN IMMEDIATE: another process writing the file (an admin command beside the server,
            # a second serve worker) is waited for (busy_timeout) before this transaction reads
            # anything. A deferred BEGIN would read first, and when the other's commit landed before
            # this one's first write, SQLite would refuse the write at once (SQLITE_BUSY_SNAPSHOT:
            # "database is locked", which no timeout waits out); the in-process lock orders only
            # this process's writers.
            with self._write_lock, self.engine.connect() as conn:
                conn.execution_options(**{_IMMEDIATE: True})
                with conn.begin():
                    yield conn
        else:
            with self.engine.begin() as conn:
                if ordered:
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PUSH_LOCK_KEY})
                yield conn

    def migrate(self) -> None:
        """Upgrade to the head revision, once: concurrent migrators wait for each other, and the
        later ones find nothing left to do."""
        with self._migration_lock(), self.engine.begin() as conn:
            if not self.is_sqlite:
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATE_LOCK_KEY})
            command.upgrade(_alembic_config(conn), "head")

    def revision(self) -> str | None:
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def schema_state(self) -> SchemaState:
        """The database's revision against ours (connects, so it also says the database answers)."""
        current = self.revision()
        scripts = ScriptDirectory.from_config(_alembic_config())
        known = current is None or any(rev.revision == current for rev in scripts.walk_revisions())
        return SchemaState(current=current, head=scripts.get_current_head(), known=known)

    @contextmanager
    def _migration_lock(self) -> Iterator[None]:
        path = make_url(self.url).database if self.is_sqlite else None
        if not path or path == ":memory:" or path.startswith("file:"):
            yield  # PostgreSQL: the advisory lock, taken inside the transaction; memory: one process
            return
        fd = os.open(path + MIGRATE_LOCK_SUFFIX, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
        try:
            _lock_blocking(fd)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def dispose(self) -> None:
        self.engine.dispose()


if sys.platform == "win32":
    import msvcrt

    def _lock_blocking(fd: int) -> None:
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # retries for 10 s, then raises
                return
            except OSError:
                continue
else:
    import fcntl

    def _lock_blocking(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)


def _private_sqlite_files(url: str) -> None:
    """The database holds every record, password hash and token hash: owner-only (0600), including
    a file an earlier version left 0644. Created empty before SQLite opens it, since SQLite gives
    the -wal and -shm files the database file's permissions."""
    path = make_url(url).database
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    for suffix in ("-wal", "-shm", MIGRATE_LOCK_SUFFIX):
        if Path(path + suffix).exists():
            private_file(Path(path + suffix))
    private_file(Path(path))


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide where transactions begin (pysqlite's own
        # transaction handling would otherwise defer BEGIN and break our serialisation).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = FULL")
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_IMMEDIATE) else "BEGIN")


#: The most PostgreSQL connections one app process holds (a third kept open between requests): N
#: processes need N times as many of the server's ``max_connections`` (100 by default, a few kept
#: for superusers). Set per deployment: four processes of the default 30 would ask for 120.
POOL_ENV = "CASEAPP_SERVER_POOL"
DEFAULT_POOL = 30


def pool_limit() -> int:
    """``CASEAPP_SERVER_POOL`` (2 to 1000), else ``DEFAULT_POOL``."""
    raw = os.environ.get(POOL_ENV, "").strip()
    if not raw:
        return DEFAULT_POOL
    if not raw.isdigit() or not 2 <= int(raw) <= 1000:
        raise ValueError(f"{POOL_ENV} must be a whole number from 2 to 1000, not {raw!r}")
    return int(raw)


#: PostgreSQL's errors that leave nothing written and pass: connection exceptions (08), too many
#: connections and other exhausted resources (53), a serialisation failure or deadlock that rolled
#: the transaction back (40), the server shutting down or starting (57P01-57P03; not 57014, a
#: statement cancelled by its timeout, which would only time out again)
_PASSING = ("08", "53", "40", "57P01", "57P02", "57P03")


def is_unavailable(error: BaseException) -> bool:
    """PostgreSQL could not be reached or could not take the transaction just now (a connection
    refused, every connection slot taken, the server restarting, a deadlock that rolled it back):
    nothing was written, and the same request may succeed in a moment."""
    if not isinstance(error, OperationalError):
        return False
    orig = error.orig
    if not type(orig).__module__.startswith("psycopg"):
        return False
    state = getattr(orig, "sqlstate", None)
    return state is None or str(state).startswith(_PASSING)  # no state: the connection itself failed


def is_busy(error: BaseException) -> bool:
    """A SQLite write that waited ``BUSY_TIMEOUT_MS`` for another process and gave up (SQLITE_BUSY
    or SQLITE_LOCKED, with any extended code)."""
    if not isinstance(error, OperationalError):
        return False
    code = getattr(error.orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (5, 6)
    return "database is locked" in str(error.orig)


def _alembic_config(conn: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(package_dir("sync.server.migrations", "env.py", "script.py.mako")))
    cfg.attributes["connection"] = conn
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def insert_for(conn: Connection, table: Table) -> pg.Insert | sqlite.Insert:
    """An INSERT with ``on_conflict_do_nothing/do_update`` in the connection's own dialect: both
    SQLite and PostgreSQL resolve a unique clash inside the one statement, which is what makes
    first-time rows (a new device id, a login counter) safe to create from concurrent requests."""
    if conn.dialect.name == "postgresql":
        return pg.insert(table)
    return sqlite.insert(table)
