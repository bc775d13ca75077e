"""The device's audit entries the server does not hold yet, in the exact form they were hashed in.

They travel with the pushes (``PushIn.audit``); the server answers with the highest sequence
number it holds for this device (``audit_ack``), kept here as ``sync.audit_sent``.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy import select

from caseapp.domain.types import format_datetime
from caseapp.store.tables import AuditEntry
from caseapp.store.workspace import Workspace
from sync import protocol as p

SENT = "sync.audit_sent"


def unsent(ws: Workspace, after: int, limit: int = p.MAX_AUDIT) -> list[p.AuditEntryIn]:
    # The columns, not ORM objects: a first push reads one entry per record (tens of thousands),
    # and building an identity-mapped instance of each cost more than the entry's own validation.
    table = AuditEntry.__table__
    with ws.read() as session:
        rows = session.execute(select(table).where(table.c.id > after).order_by(table.c.id).limit(limit)).all()
        return [_entry(r) for r in rows]


def _entry(row: Any) -> p.AuditEntryIn:
    """An entry to send, from a row of the audit table (its columns as attributes)."""
    values: dict[str, Any] = {"seq": row.id, "at": format_datetime(row.at), "actor": row.actor, "device": row.device,
                              "entity": row.entity, "row_id": row.row_id, "action": row.action,
                              "changes": row.changes, "prev_hash": row.prev_hash, "hash": row.hash}
    try:
        return p.AuditEntryIn(**values)
    except ValidationError:
        # Nothing the app writes looks like this, but an entry the server cannot take must not stop
        # every later sync: it goes with its text replaced, so the server marks it not intact.
        return p.AuditEntryIn(seq=row.id, at=format_datetime(row.at), actor="", device="", entity="", row_id="",
                              action="unshippable", changes="{}", prev_hash=row.prev_hash, hash=row.hash)
