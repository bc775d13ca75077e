"""The importable app factory that process managers serve, configured from the environment:

    uvicorn --factory sync.server.asgi:app --workers 4 --host 0.0.0.0 --port 8443
    gunicorn 'sync.server.asgi:app()' -k uvicorn_worker.UvicornWorker -w 4 -b 0.0.0.0:8443
    caseapp-server serve --workers 4          (the same factory, with JSON logs and metrics set up)

    CASEAPP_SERVER_DB           database URL (default: SQLite in the user data folder)
    CASEAPP_SERVER_MIN_SCHEMA   oldest workspace schema still served (default 1)

A serving process never migrates: several starting at once would race to change the schema. It
checks that the database is at the revision it was built for and refuses to start otherwise, with
one line saying to run ``caseapp-server migrate`` (once, under a lock: see db.py).
"""

from __future__ import annotations

import os

from fastapi import FastAPI
from sqlalchemy.exc import OperationalError

from sync.server.app import ServerConfig, create_app
from sync.server.db import Database, SchemaState, default_url

DB_ENV = "CASEAPP_SERVER_DB"
MIN_SCHEMA_ENV = "CASEAPP_SERVER_MIN_SCHEMA"
#: a serving process's exit status when the schema is not the one it knows (gunicorn's "worker
#: failed to boot", so gunicorn stops instead of restarting it forever)
EXIT_SCHEMA = 3


#: the database could not be reached at start-up (worth restarting: it may come up)
EXIT_UNREACHABLE = 1


class NotServing(SystemExit):
    """Raised at start-up; as a SystemExit it ends the process with one line and no traceback."""


class SchemaMismatch(NotServing):
    def __init__(self, state: SchemaState) -> None:
        super().__init__(EXIT_SCHEMA)
        self.state = state

    def __str__(self) -> str:
        return refusal(self.state)


class DatabaseUnreachable(NotServing):
    def __init__(self, error: Exception) -> None:
        super().__init__(EXIT_UNREACHABLE)
        self.kind = type(error).__name__

    def __str__(self) -> str:
        # the driver's message may name the host and user, never the password (hide_parameters)
        return f"caseapp-server: not serving: the database cannot be reached ({self.kind})"


def refusal(state: SchemaState) -> str:
    if state.current is None:
        why = "the database has no schema yet"
    elif not state.known:
        why = f"the database's schema {state.current} is newer than this server (it knows up to {state.head})"
    else:
        why = f"the database's schema {state.current} is older than this server's {state.head}"
    return f"caseapp-server: not serving: {why}; run `caseapp-server migrate` first (once, for all processes)"


def check_schema(db: Database) -> None:
    try:
        state = db.schema_state()
    except OperationalError as error:
        raise DatabaseUnreachable(error) from None
    if not state.at_head:
        raise SchemaMismatch(state)


def app() -> FastAPI:
    db = Database(os.environ.get(DB_ENV) or default_url())
    try:
        check_schema(db)
    except NotServing as refused:
        db.dispose()
        import sys

        print(refused, file=sys.stderr)
        raise
    return create_app(db, ServerConfig(min_schema=int(os.environ.get(MIN_SCHEMA_ENV) or 1)))
