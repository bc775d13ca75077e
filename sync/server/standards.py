"""Standards an administrator adds on the server (``caseapp-server standards add``, ``POST
/api/v1/standards``): checked by the rules of the packaged table (caseapp.refdata.check_entry), kept
in the ``standards`` table, and sent to devices with a pull when their copy is older
(``PullOut.standards``). Rows are only added, so the table's version is its newest id: a device
that holds it is sent nothing.

The server's own checks on push (the amount of a case against its computed one) use the same table
as the devices: ``installed`` puts it in force in this process before they run.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from sqlalchemy import Connection, func, select, text

from caseapp.refdata import Standards, check_entry, default_standards, install_standards, standards, with_server_rows
from sync.server import auth, schema
from sync.server.auth import Principal
from sync.server.db import STANDARDS_LOCK_KEY
from sync.server.errors import ApiError

_lock = threading.Lock()
#: the version this process put in force, and the table it made of it
_installed: tuple[str, Standards | None] = ("", None)


#: the newest row's id (every push and pull asks: built once)
NEWEST = select(func.max(schema.standards.c.id))


def version(conn: Connection) -> str:
    """"" while no administrator has added a figure, else the newest row's id."""
    return version_of(conn.execute(NEWEST).scalar_one_or_none())


def version_of(newest: int | None) -> str:
    """The version a table whose newest row is ``newest`` has (``version``)."""
    return "" if newest is None else str(newest)


def rows(conn: Connection) -> list[dict[str, Any]]:
    """Every figure added, oldest first, in the form devices receive."""
    return [json.loads(text) for text in
            conn.execute(select(schema.standards.c.row).order_by(schema.standards.c.id)).scalars()]


def listed(conn: Connection) -> list[dict[str, Any]]:
    """Every figure added with who added it and when (``caseapp-server standards list``)."""
    s = schema.standards.c
    return [{"id": r.id, "row": json.loads(r.row), "added_by": r.added_by, "added_ms": r.added_ms}
            for r in conn.execute(select(s.id, s.row, s.added_by, s.added_ms).order_by(s.id))]


def add(conn: Connection, row: Any, added_by: str) -> int:
    """Add one figure (ApiError 422 ``standards.invalid`` naming the rule it breaks); its id.

    Adds are one at a time until commit (on PostgreSQL a transaction-scoped advisory lock, which the
    CLI and several app processes share; SQLite has one writer anyway): the version is the newest id,
    so an add that took a lower id and committed after a higher one would never reach a device that
    already holds the higher, and each add checks the whole table as the adds before it left it."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": STANDARDS_LOCK_KEY})
    try:
        canonical = check_entry(row, "standard")
        with_server_rows([*rows(conn), canonical])  # the whole server table, this row included
    except ValueError as bad:
        raise ApiError(422, "standards.invalid", problem=str(bad)) from None
    result = conn.execute(schema.standards.insert().values(
        kind=canonical["kind"], district=canonical["district"], effective_from=canonical["effective_from"],
        row=json.dumps(canonical, ensure_ascii=False, sort_keys=True), added_by=added_by, added_ms=auth.now_ms()))
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def add_as(conn: Connection, who: Principal, row: Any) -> int:
    """``add`` for an authenticated device: administrators only (403 ``standards.admin_only``)."""
    if who.role != "admin":
        raise ApiError(403, "standards.admin_only")
    return add(conn, row, who.user)


def for_device(conn: Connection, held: str | None, current: str | None = None) -> dict[str, Any] | None:
    """What a pull sends a device that holds version ``held``: None when it is current (or did not
    say: an older client), else the version and every row. ``current``: the version, when the
    caller read it in this transaction already."""
    if held is None:
        return None
    if current is None:
        current = version(conn)
    if held == current:
        return None
    return {"version": current, "rows": rows(conn)}


def installed(conn: Connection) -> None:
    """Put the server's table in force in this process (once per version)."""
    global _installed
    current = version(conn)
    held, table = _installed
    if not current:
        if standards() is not default_standards():
            install_standards(None)
        return
    if held == current and standards() is table:
        return
    with _lock:
        table = with_server_rows(rows(conn)) if current else None
        install_standards(table)
        _installed = (current, table)
