"""A summary of a workspace's state for `caseapp status` and the UI's status bar."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from caseapp.domain import ENTITIES
from caseapp.release import __version__, older
from caseapp.store.tables import HELD, OUTBOX_STATES, REJECTED, AuditEntry, ConflictRecord, JournalEntry
from caseapp.store.workspace import Workspace


def workspace_status(ws: Workspace) -> dict[str, Any]:
    with ws.read() as session:
        records = sum(session.scalar(select(func.count()).select_from(cls)) or 0 for cls in ENTITIES.values())
        pending = session.scalar(select(func.count()).select_from(JournalEntry)
                                 .where(JournalEntry.state.in_(OUTBOX_STATES))) or 0
        rejected = session.scalar(select(func.count()).select_from(JournalEntry)
                                  .where(JournalEntry.state == REJECTED)) or 0
        held = session.scalar(select(func.count()).select_from(JournalEntry).where(JournalEntry.state == HELD)) or 0
        conflicts = session.scalar(select(func.count()).select_from(ConflictRecord)
                                   .where(ConflictRecord.status == "open")) or 0
        # Audit entries after the last one the server acknowledged (sync.audit_sent): the part of
        # the trail that would be lost with the laptop.
        shipped = int(ws.get_setting("sync.audit_sent", 0) or 0)
        unshipped = session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.id > shipped)) or 0
    return {
        "path": str(ws.path),
        "device": ws.device_id,
        "user": ws.actor,
        "schema": ws.schema_version,
        "records": records,
        "pending": pending,
        "rejected": rejected,
        "held": held,
        "conflicts": conflicts,
        "audit_unsent": unshipped,
        "server": ws.get_setting("sync.server_url", "-") or "-",
        "last_sync": ws.get_setting("sync.last_sync", "-") or "-",
        "insecure_http": ws.get_setting("sync.insecure_http") or "-",
        "release": __version__,
        # the newer release the server named at the last sync, "-" if none is newer than this one
        "update": latest if (latest := str(ws.get_setting("sync.latest_client", "") or "")) and older(
            __version__, latest) else "-",
    }
