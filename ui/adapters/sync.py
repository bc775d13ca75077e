"""The sync client (``sync/``) as the screens call it: login, a sync with progress, conflict
resolution, and read-only views of the outbox and conflict tables. Screens call only this module, so
they do not depend on how the client is split up."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseapp.store.lock import sync_lock
from caseapp.store.tables import HELD, OUTBOX_STATES, REJECTED, ConflictRecord, JournalEntry
from caseapp.store.workspace import Workspace
from caseapp.store.writer import Writer, in_place
from sync import apply, conflicts, run

Progress = run.Progress


def login(ws: Workspace, url: str, user: str, password: str, ca_file: str = "") -> Any:
    """Register this device; the client keeps the token inside the encrypted workspace."""
    return run.login(ws, url, user, password, ca_file=ca_file or None)


def sync_now(ws: Workspace, progress: Progress | None = None, write: Writer = in_place) -> run.SyncReport:
    # The same lock as `caseapp sync`: one of them waits for the next attempt, neither fails mid-way.
    with sync_lock(ws.path):
        client = run.connect(ws)
        try:
            return run.sync(ws, client, progress=progress, write=write)
        finally:
            client.close()


def rebuild_index_if_stale(ws: Workspace, write: Writer = in_place) -> int:
    return apply.rebuild_index_if_stale(ws, write)


def resolve(ws: Workspace, conflict_id: str, *, keep: str | None = None, value: str | None = None) -> Any:
    """``keep`` "mine" or "theirs", or a typed ``value``; the resolution syncs like any edit."""
    return conflicts.resolve(ws, conflict_id, keep=keep, value=value)


# -- local views of the outbox and conflicts (tables owned by caseapp.store) ----------------------

def outbox(db: Session, limit: int = 500) -> list[JournalEntry]:
    """Changes not yet accepted by the server, and rejected ones (kept so the user sees why)."""
    states = (*OUTBOX_STATES, REJECTED, HELD)
    return list(db.scalars(select(JournalEntry).where(JournalEntry.state.in_(states))
                           .order_by(JournalEntry.seq).limit(limit)))


def open_conflicts(db: Session) -> list[ConflictRecord]:
    return list(db.scalars(select(ConflictRecord).where(ConflictRecord.status == "open")
                           .order_by(ConflictRecord.created_at)))
