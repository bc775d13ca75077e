"""Who read whose personal data: a household opened, records exported.

PIPL Art. 51 asks for access to personal information to be limited and logged. Reads go into the
same hash-chained audit trail as changes (so they are as tamper-evident, and reach the server with
the next sync), under their own actions so the change history leaves them out.
"""

from __future__ import annotations

from typing import Any

from caseapp.domain.types import utcnow
from caseapp.store import audit
from caseapp.store.workspace import Workspace

VIEW, EXPORT = audit.READ_ACTIONS


def note(ws: Workspace, action: str, entity: str, row_id: str, details: dict[str, Any] | None = None) -> None:
    """Append one read to the trail (in its own transaction)."""
    with ws.write_engine.begin() as conn:
        audit.append(conn, [audit.AuditItem(utcnow(), ws.actor, ws.device_id, entity, row_id, action,
                                            details or {})])


def reads(ws: Workspace, row_ids: list[str], limit: int = 200) -> list[dict[str, Any]]:
    """The reads of these records, newest first."""
    with ws.engine.connect() as conn:
        return audit.history(conn, row_ids, limit, actions=audit.READ_ACTIONS)
