"""Server databases at head for tests, without running Alembic for each one.

Every test gets a server database of its own, and running the server's migrations into each cost
about 0.33 s on SQLite and 0.55 s or more on PostgreSQL, most of it Alembic's own work (loading the
revisions, asking for the current one, one step at a time), paid by some 400 tests.

- SQLite: a template file is migrated once per process (each xdist worker has its own) in a
  private temporary folder removed at exit, and each test's database starts as a copy of that file
  (a few milliseconds).
- PostgreSQL: the first schema a process makes is migrated by Alembic as before, and the statements
  the migrations sent are recorded; each later schema gets those statements replayed, in order, in
  one transaction (about half the time: PostgreSQL still creates every table, but nothing of
  Alembic's is left). They name no schema (the search path places them), so they build the same
  tables in another. A database copied with ``CREATE DATABASE ... TEMPLATE`` was measured too and
  is slower here than migrating: PostgreSQL copies the whole database and checkpoints to drop it.

Both are checked against real migrations (tests/sync/test_server_template.py), and the tests that
prove the migrations run from empty ask for a migrated database (``fresh_database(migrate=True)``).
When a copy cannot be made (no temporary folder, statements that name their schema), the test's
database is migrated instead, which reports what is wrong if the migrations are.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import event

from caseapp.fileio import private_file
from sync.server.db import Database

_LOCK = threading.Lock()


# --- SQLite: a migrated file, copied ------------------------------------------------------------

@cache
def _sqlite_template() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="caseapp-server-schema-"))
    atexit.register(shutil.rmtree, folder, True)
    path = folder / "head.db"
    db = Database(f"sqlite:///{path}")
    try:
        db.migrate()
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the one file
    finally:
        db.dispose()
    return path


def sqlite_at_head(path: Path) -> Database:
    """A server database at head in ``path`` (not yet existing): a copy of the template, owner-only
    like any server database, or, when the template cannot be made, migrated itself."""
    with _LOCK:
        try:
            template: Path | None = _sqlite_template()
        except Exception:
            template = None
    if template is not None:
        private_file(path)  # created 0600 first: copyfile keeps an existing file's mode
        shutil.copyfile(template, path)
    db = Database(f"sqlite:///{path}")
    if template is None:
        db.migrate()
    return db


# --- PostgreSQL: the migrations' statements, recorded once and replayed ---------------------------

@dataclass
class _Recording:
    statements: list[tuple[str, Any, bool]] = field(default_factory=list)  # statement, parameters, many
    usable: bool = False
    tried: bool = False


_RECORDING = _Recording()


def migrate_postgres_schema(db: Database, schema: str) -> None:
    """Bring ``db`` (an empty PostgreSQL schema, ``schema``, on its search path) to head: by
    replaying the recorded migrations when there are some, else by migrating it, recording what the
    migrations send for the next schema."""
    with _LOCK:
        if _RECORDING.usable and _replay(db):
            return
        if _RECORDING.tried:
            db.migrate()
            return
        _RECORDING.tried = True
        sent: list[tuple[str, Any, bool]] = []

        def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
            if not statement.lstrip().upper().startswith("SELECT"):  # reads change nothing
                sent.append((statement, parameters, executemany))

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            db.migrate()
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        _RECORDING.statements = sent
        # Statements naming their schema would build into this one again, not the next.
        _RECORDING.usable = bool(sent) and not any(schema in statement for statement, _, _ in sent)


def _replay(db: Database) -> bool:
    """The recorded statements, in one transaction; False (rolled back, nothing left) if one fails."""
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        try:
            for statement, parameters, many in _RECORDING.statements:
                if many:
                    cursor.executemany(statement, parameters)
                else:
                    cursor.execute(statement, parameters or None)
        except Exception:
            raw.rollback()
            _RECORDING.usable = False
            return False
        raw.commit()
        return True
    finally:
        raw.close()
