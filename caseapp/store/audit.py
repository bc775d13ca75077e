"""The tamper-evident audit trail: append entries hash-chained to the previous one, and verify.

hash = SHA-256(prev_hash ‖ canonical JSON of the entry including its sequence id). The chain head and
length are also kept in ``device_state`` in the same transaction, so dropping entries from the end
is caught as well as editing or removing entries in the middle.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select, update

from caseapp.domain.codec import dumps
from caseapp.domain.types import format_datetime
from caseapp.store.tables import AuditEntry, DeviceState

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditItem:
    at: dt.datetime
    actor: str
    device: str
    entity: str
    row_id: str
    action: str
    changes: dict[str, list[Any]]


def entry_hash(prev_hash: str, seq: int, at: str, actor: str, device: str, entity: str, row_id: str,
               action: str, changes: str) -> str:
    body = dumps([seq, at, actor, device, entity, row_id, action, changes])
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


_INSERT = ("INSERT INTO audit (id, at, actor, device, entity, row_id, action, changes, prev_hash, hash) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


def append(conn: Connection, items: Iterable[AuditItem]) -> None:
    """Append entries in the caller's transaction."""
    items = list(items)
    if not items:
        return
    state = conn.execute(select(DeviceState.device_id, DeviceState.audit_head, DeviceState.audit_count)).one()
    prev, seq = state.audit_head or GENESIS, state.audit_count
    rows = []
    last_at: dt.datetime | None = None
    at = ""
    for item in items:
        seq += 1
        if item.at != last_at:  # a batch usually shares one timestamp: format it once
            last_at, at = item.at, format_datetime(item.at)
        changes = dumps(item.changes)
        digest = entry_hash(prev, seq, at, item.actor, item.device, item.entity, item.row_id, item.action, changes)
        rows.append((seq, at, item.actor, item.device, item.entity, item.row_id, item.action, changes, prev, digest))
        prev = digest
    # Straight to the driver's executemany with the stored text forms: bulk writers (sync applying
    # pulled pages, imports) append thousands of entries, and per-row type processing would cost as
    # much as the hashing.
    conn.exec_driver_sql(_INSERT, rows)
    conn.execute(update(DeviceState).where(DeviceState.device_id == state.device_id)
                 .values(audit_head=prev, audit_count=seq))


@dataclass(frozen=True)
class AuditProblem:
    entry_id: int | None
    problem: str  # hash_mismatch / broken_link / missing_entry / head_mismatch / count_mismatch


def verify(conn: Connection) -> list[AuditProblem]:
    """Recompute the whole chain; an empty list means the trail is intact."""
    problems: list[AuditProblem] = []
    prev = GENESIS
    expected_id = 1
    rows = conn.execute(select(AuditEntry).order_by(AuditEntry.id)).mappings()
    for row in rows:
        if row["id"] != expected_id:
            problems.append(AuditProblem(expected_id, "missing_entry"))
            expected_id = row["id"]
        if row["prev_hash"] != prev:
            problems.append(AuditProblem(row["id"], "broken_link"))
        at = format_datetime(row["at"])
        digest = entry_hash(row["prev_hash"], row["id"], at, row["actor"], row["device"], row["entity"],
                            row["row_id"], row["action"], row["changes"])
        if digest != row["hash"]:
            problems.append(AuditProblem(row["id"], "hash_mismatch"))
        prev = row["hash"]
        expected_id += 1
    state = conn.execute(select(DeviceState.audit_head, DeviceState.audit_count)).one()
    count = conn.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
    if state.audit_count != count or state.audit_count != expected_id - 1:
        problems.append(AuditProblem(None, "count_mismatch"))
    if (state.audit_head or GENESIS) != prev:
        problems.append(AuditProblem(None, "head_mismatch"))
    return problems


#: actions that record a read, not a change (caseapp.services.access)
READ_ACTIONS = ("view", "export")


def history(conn: Connection, row_ids: Iterable[str], limit: int = 500,
            actions: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Audit entries for the given records, newest first: their changes (the household view's
    history), or only the given ``actions``."""
    ids = list(row_ids)
    if not ids:
        return []
    query = select(AuditEntry).where(AuditEntry.row_id.in_(ids))
    if actions is None:
        query = query.where(AuditEntry.action.not_in(READ_ACTIONS))
    else:
        query = query.where(AuditEntry.action.in_(list(actions)))
    result = conn.execute(query.order_by(AuditEntry.id.desc()).limit(limit)).mappings()
    return [dict(r) for r in result]
