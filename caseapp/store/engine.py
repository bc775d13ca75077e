"""SQLAlchemy engines over the workspace's DB-API connections (``caseapp.store.connect``, which says
how each is keyed and configured, and why), and the mark of a writing transaction."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.pool import QueuePool

from caseapp.store.connect import BUSY_TIMEOUT_MS, open_dbapi
from caseapp.store.faults import from_sqlite

__all__ = ["BUSY_TIMEOUT_MS", "WRITES", "make_engine", "open_dbapi", "writes"]

#: the execution option that marks a write transaction (``writes``)
WRITES = "caseapp_writes"


def make_engine(db_path: Path, key: bytes | None, pool_size: int = 4) -> Engine:
    """An engine whose connections all open ``db_path`` with ``key`` (None: plain SQLite)."""
    module = sqlite3 if key is None else sqlcipher3.dbapi2
    engine = create_engine(
        "sqlite://",
        module=module,
        creator=lambda: open_dbapi(db_path, key),
        poolclass=QueuePool,
        pool_size=pool_size,
        max_overflow=4,
        # reuse the most recently returned connection: its page cache is the warm one
        pool_use_lifo=True,
        hide_parameters=True,
    )

    # The driver runs in autocommit mode (isolation_level=None); SQLAlchemy's transaction boundaries
    # then map to explicit BEGIN/COMMIT, which keeps SAVEPOINT and DDL transactional. A write (a
    # connection of ``writes(engine)``) begins IMMEDIATE: it takes the write lock before its first
    # read, waiting (busy timeout) while another program writes. Deferred, another program's commit
    # between its first read and its first change makes SQLite refuse the change at once.
    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITES) else "BEGIN")

    @event.listens_for(engine, "handle_error")
    def _typed(context: ExceptionContext) -> BaseException | None:
        # Raised in place of SQLAlchemy's wrapper, after its clean-up (the transaction rolls back).
        return from_sqlite(context.original_exception, db_path)

    return engine


def writes(engine: Engine) -> Engine:
    """The same engine (pool and all), whose transactions are writes: they begin IMMEDIATE."""
    return engine.execution_options(**{WRITES: True})
