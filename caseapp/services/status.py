"""A summary of a workspace's state for `caseapp status` and the UI's status bar.

The counts are read in plain SQL over a DB-API connection, so that ``glance`` can answer
`caseapp status` without SQLAlchemy, the 33 record models or a migration check: those imports
took most of the command's second, and a script polling a laptop's outbox runs it often. The UI,
which has its workspace open, reads the same counts through ``workspace_status``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from caseapp.crypto import keyfile
from caseapp.errors import WorkspaceError
from caseapp.release import __version__, older
from caseapp.store import migrate, names
from caseapp.store.connect import open_dbapi
from caseapp.store.paths import DB_FILE, KEY_FILE

if TYPE_CHECKING:
    from caseapp.store.workspace import Workspace

#: the column every synced record table has (caseapp.domain.base.LOCAL_FIELDS; so do two of the
#: store's own tables; tests/core/test_status.py holds the two lists together)
RECORD_MARK = "server_pos"
#: setting: the audit entries up to this one have reached the server (sync.trail.SENT)
AUDIT_SENT = "sync.audit_sent"


def record_tables(conn: Any) -> list[str]:
    """The tables of synced records, found in the schema itself: those with a RECORD_MARK column,
    other than the store's own."""
    own = ", ".join("?" * len(names.OWN_TABLES))
    rows = conn.execute("SELECT m.name FROM sqlite_master AS m WHERE m.type = 'table' "
                        f"AND m.name NOT IN ({own}) AND EXISTS "
                        "(SELECT 1 FROM pragma_table_info(m.name) AS c WHERE c.name = ?) ORDER BY m.name",
                        (*names.OWN_TABLES, RECORD_MARK)).fetchall()
    return [str(row[0]) for row in rows]


def _setting(conn: Any, key: str, default: Any = None) -> Any:
    row = conn.execute(f"SELECT value FROM {names.SETTINGS} WHERE key = ?", (key,)).fetchone()
    return default if row is None else json.loads(row[0])


def _count(conn: Any, sql: str, *params: Any) -> int:
    return int(conn.execute(sql, params).fetchone()[0] or 0)


def read_status(conn: Any, path: Path, *, device: str, user: str, schema: int) -> dict[str, Any]:
    """The summary, read over the DB-API connection ``conn`` to the workspace at ``path``."""
    tables = record_tables(conn)
    records = _count(conn, "SELECT " + " + ".join(f'(SELECT count(*) FROM "{t}")' for t in tables)) if tables else 0
    in_outbox = ", ".join("?" * len(names.OUTBOX_STATES))
    pending = _count(conn, f"SELECT count(*) FROM {names.JOURNAL} WHERE state IN ({in_outbox})", *names.OUTBOX_STATES)
    rejected = _count(conn, f"SELECT count(*) FROM {names.JOURNAL} WHERE state = ?", names.REJECTED)
    held = _count(conn, f"SELECT count(*) FROM {names.JOURNAL} WHERE state = ?", names.HELD)
    conflicts = _count(conn, f"SELECT count(*) FROM {names.CONFLICTS} WHERE status = 'open'")
    # Audit entries after the last one the server acknowledged: the part of the trail that would
    # be lost with the laptop. The entries are numbered 1, 2, 3 … with no gap (caseapp.store.audit,
    # whose verify holds the count to them), so this is the chain's own count less what was
    # shipped: counting the rows read every page of the trail, half a second at 3,000 households.
    shipped = int(_setting(conn, AUDIT_SENT, 0) or 0)
    unshipped = max(0, _count(conn, f"SELECT audit_count FROM {names.DEVICE_STATE}") - shipped)
    latest = str(_setting(conn, "sync.latest_client", "") or "")
    return {
        "path": str(path),
        "device": device,
        "user": user,
        "schema": schema,
        "records": records,
        "pending": pending,
        "rejected": rejected,
        "held": held,
        "conflicts": conflicts,
        "audit_unsent": unshipped,
        "server": _setting(conn, "sync.server_url", "-") or "-",
        "last_sync": _setting(conn, "sync.last_sync", "-") or "-",
        "insecure_http": _setting(conn, "sync.insecure_http") or "-",
        "release": __version__,
        # the newer release the server named at the last sync, "-" if none is newer than this one
        "update": latest if latest and older(__version__, latest) else "-",
    }


def workspace_status(ws: Workspace) -> dict[str, Any]:
    """The summary of an open workspace."""
    raw = ws.engine.raw_connection()
    try:
        return read_status(raw.driver_connection, ws.path, device=ws.device_id, user=ws.actor,
                           schema=ws.schema_version)
    finally:
        raw.close()


def glance(path: Path, passphrase: str) -> dict[str, Any] | None:
    """The summary of the workspace at ``path``, unlocked with ``passphrase``, read without opening
    it as a Workspace (no ORM, nothing written). None where its schema is not this release's: the
    caller opens it the full way, which migrates an older one (backing it up first) and refuses a
    newer one with its own message."""
    path = Path(path)
    if not (path / DB_FILE).exists():
        raise WorkspaceError("workspace.not_found", path=str(path))
    key = keyfile.unlock(path / KEY_FILE, passphrase)
    conn = open_dbapi(path / DB_FILE, key)
    try:
        if migrate.stored_revision(conn) != migrate.head():
            return None
        row = conn.execute(f"SELECT device_id FROM {names.DEVICE_STATE}").fetchone()
        return read_status(conn, path, device=str(row[0]), user=names.actor(_setting(conn, names.USER_NAME)),
                           schema=migrate.schema_version())
    finally:
        conn.close()
