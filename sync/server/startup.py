"""What a serving process checks before it serves: the database answers, at the schema it knows.

Kept apart from the app (no FastAPI import), so ``caseapp-server`` commands that do not serve start
quickly. A refusal is a SystemExit: one line, no traceback, an exit status a supervisor can act on.
"""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from sync.server.db import Database, SchemaState

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
