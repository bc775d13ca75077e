"""The importable app factory that process managers serve, configured from the environment:

    uvicorn --factory caseapp.server_entry:app --workers 4 --host 0.0.0.0 --port 8443
    gunicorn 'caseapp.server_entry:app()' -k uvicorn_worker.UvicornWorker -w 4 -b 0.0.0.0:8443
    caseapp-server serve --workers 4          (the same factory, with JSON logs and metrics set up)

(caseapp.server_entry:app is this module's ``app``, reachable from an installed wheel too, whose
``sync`` is importable only once ``caseapp`` is: see setup.py.)

    CASEAPP_SERVER_DB           database URL (default: SQLite in the user data folder)
    CASEAPP_SERVER_MIN_SCHEMA   oldest workspace schema still served (default 1)
    CASEAPP_SERVER_MIN_CLIENT   oldest program release still served, e.g. 1.2 (default: any)
    CASEAPP_SERVER_LATEST_CLIENT  the newest release, which older clients tell their users of

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

__all__ = ["DB_ENV", "EXIT_SCHEMA", "EXIT_UNREACHABLE", "LATEST_CLIENT_ENV", "MIN_CLIENT_ENV", "MIN_SCHEMA_ENV",
           "SchemaMismatch", "app", "check_schema", "config_from_environment"]

DB_ENV = "CASEAPP_SERVER_DB"
MIN_SCHEMA_ENV = "CASEAPP_SERVER_MIN_SCHEMA"
MIN_CLIENT_ENV = "CASEAPP_SERVER_MIN_CLIENT"
LATEST_CLIENT_ENV = "CASEAPP_SERVER_LATEST_CLIENT"


def app() -> FastAPI:
    db = Database(os.environ.get(DB_ENV) or default_url())
    try:
        check_schema(db)
    except NotServing as refused:
        db.dispose()
        print(refused, file=sys.stderr)
        raise
    return create_app(db, config_from_environment())


def config_from_environment() -> ServerConfig:
    """The served versions as the environment sets them (ValueError names a bad release number)."""
    return ServerConfig(min_schema=int(os.environ.get(MIN_SCHEMA_ENV) or 1),
                        min_client=os.environ.get(MIN_CLIENT_ENV, "").strip(),
                        latest_client=os.environ.get(LATEST_CLIENT_ENV, "").strip())
