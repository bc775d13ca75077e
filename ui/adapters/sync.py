"""The sync client (``sync/``) as the screens call it: login, a sync with progress, the outbox,
conflicts and their resolution.

Kept in one place so the screens never depend on how the client is split into modules. A build
without ``sync/`` raises SyncUnavailable, shown as "sync is not available in this version".
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseapp.store.tables import OUTBOX_STATES, REJECTED, ConflictRecord, JournalEntry
from caseapp.store.workspace import Workspace

#: progress(stage, done): stage is "push", "pull" or "attachments"
Progress = Callable[[str, int], None]


class SyncUnavailable(Exception):
    """This build has no sync client."""


def _module(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ImportError:
        raise SyncUnavailable() from None


def available() -> bool:
    try:
        _module("sync.run")
    except SyncUnavailable:
        return False
    return True


def login(ws: Workspace, url: str, user: str, password: str, ca_file: str = "") -> Any:
    """Register this device; the token is stored inside the encrypted workspace by the client."""
    return _module("sync.run").login(ws, url, user, password, ca_file=ca_file or None)


def sync_now(ws: Workspace, progress: Progress | None = None) -> Any:
    run = _module("sync.run")
    client = run.connect(ws)
    try:
        return run.sync(ws, client, progress=progress)
    finally:
        client.close()


def resolve(ws: Workspace, conflict_id: str, *, keep: str | None = None, value: str | None = None) -> Any:
    """``keep`` "mine" or "theirs", or a typed ``value``; the resolution syncs like any edit."""
    return _module("sync.conflicts").resolve(ws, conflict_id, keep=keep, value=value)


# -- local views of the outbox and conflicts (tables owned by caseapp.store) ----------------------

def outbox(db: Session, limit: int = 500) -> list[JournalEntry]:
    """Changes not yet accepted by the server, and rejected ones (kept so the user sees why)."""
    states = (*OUTBOX_STATES, REJECTED)
    return list(db.scalars(select(JournalEntry).where(JournalEntry.state.in_(states))
                           .order_by(JournalEntry.seq).limit(limit)))


def open_conflicts(db: Session) -> list[ConflictRecord]:
    return list(db.scalars(select(ConflictRecord).where(ConflictRecord.status == "open")
                           .order_by(ConflictRecord.created_at)))
