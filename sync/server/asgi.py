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
import sys

from fastapi import FastAPI

from sync.server.app import ServerConfig, create_app
from sync.server.db import Database, default_url
from sync.server.startup import EXIT_SCHEMA, EXIT_UNREACHABLE, NotServing, SchemaMismatch, check_schema

__all__ = ["DB_ENV", "EXIT_SCHEMA", "EXIT_UNREACHABLE", "MIN_SCHEMA_ENV", "SchemaMismatch", "app", "check_schema"]

DB_ENV = "CASEAPP_SERVER_DB"
MIN_SCHEMA_ENV = "CASEAPP_SERVER_MIN_SCHEMA"


def app() -> FastAPI:
    db = Database(os.environ.get(DB_ENV) or default_url())
    try:
        check_schema(db)
    except NotServing as refused:
        db.dispose()
        print(refused, file=sys.stderr)
        raise
    return create_app(db, ServerConfig(min_schema=int(os.environ.get(MIN_SCHEMA_ENV) or 1)))
