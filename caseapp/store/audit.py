"""The tamper-evident audit trail: append entries hash-chained to the previous one, and verify.

hash = SHA-256(prev_hash ‖ canonical JSON of the entry including its sequence id). The chain head and
length are also kept in ``device_state`` in the same transaction, so dropping entries from the end
is caught as well as editing or removing entries in the middle.

When records leave the device (out of its scope), the personal values in the entries about them
go too: ``redact`` replaces such an entry's payload (``changes``) by ``{"$redacted": SHA-256 of the
payload}`` and keeps everything else, hash and link included; it is only done to entries the server
already holds, so the central copy stays whole and checked (``sync.apply``). A redacted entry's own
hash can no longer be recomputed, so each redaction is itself an entry (action ``redact``, naming
the entries it redacted), hash-chained like any other and shipped to the server: ``verify`` accepts
a redacted entry only if a later, intact redaction entry names it, and its link is checked as
always (the next entry's hash covers its hash). The hash formula is unchanged: the server checks
every entry it receives with this same ``entry_hash``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select, update

from caseapp.domain.codec import dumps
from caseapp.domain.types import format_datetime, utcnow
from caseapp.store.tables import AuditEntry, DeviceState

GENESIS = "0" * 64
#: the one key of a redacted payload; no field is named like this
REDACTED = "$redacted"
_REDACTED_PREFIX = '{"' + REDACTED + '":'
#: the action of an entry recording a redaction (entity "audit"); its payload names the entries
REDACT = "redact"
#: entries named by one redaction entry (keeps every entry far below the protocol's size limit)
REDACT_BATCH = 10_000
_CHUNK = 500


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


def is_redacted(changes: str) -> bool:
    return changes.startswith(_REDACTED_PREFIX)


def redact(conn: Connection, row_ids: Iterable[str], device: str, *, upto: int, after: int = 0) -> list[int]:
    """Redact the payloads of the entries about these records with ids in (``after``, ``upto``],
    in the caller's transaction, and record the redaction as an entry; returns the ids redacted."""
    ids = sorted(set(row_ids) - {""})
    done: list[int] = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        rows = conn.exec_driver_sql(
            f"SELECT id, changes FROM audit WHERE row_id IN ({','.join('?' * len(chunk))}) AND id > ? AND id <= ?",
            (*chunk, after, upto)).all()
        updates = [(dumps({REDACTED: hashlib.sha256(text.encode("utf-8")).hexdigest()}), entry_id)
                   for entry_id, text in rows if not is_redacted(text)]
        if updates:
            conn.exec_driver_sql("UPDATE audit SET changes = ? WHERE id = ?", updates)
            done += [entry_id for _, entry_id in updates]
    done.sort()
    now = utcnow()
    append(conn, [AuditItem(now, "", device, "audit", "", REDACT, {"entries": done[i:i + REDACT_BATCH]})
                  for i in range(0, len(done), REDACT_BATCH)])
    return done


def subjects(conn: Connection, after: int, upto: int) -> list[tuple[str, str]]:
    """The records (entity, id) that entries with ids in (``after``, ``upto``] are about."""
    return [(e, r) for e, r in conn.exec_driver_sql(
        "SELECT DISTINCT entity, row_id FROM audit WHERE id > ? AND id <= ? AND row_id != ''", (after, upto))]


@dataclass(frozen=True)
class AuditProblem:
    entry_id: int | None
    problem: str  # hash_mismatch / broken_link / missing_entry / head_mismatch / count_mismatch


def verify(conn: Connection) -> list[AuditProblem]:
    """Recompute the whole chain; an empty list means the trail is intact."""
    problems: list[AuditProblem] = []
    prev = GENESIS
    expected_id = 1
    redacted: list[int] = []  # entries whose own hash cannot be recomputed: a redaction must name them
    named: set[int] = set()
    rows = conn.execute(select(AuditEntry).order_by(AuditEntry.id)).mappings()
    for row in rows:
        if row["id"] != expected_id:
            problems.append(AuditProblem(expected_id, "missing_entry"))
            expected_id = row["id"]
        if row["prev_hash"] != prev:
            problems.append(AuditProblem(row["id"], "broken_link"))
        if is_redacted(row["changes"]):
            redacted.append(row["id"])
        else:
            at = format_datetime(row["at"])
            digest = entry_hash(row["prev_hash"], row["id"], at, row["actor"], row["device"], row["entity"],
                                row["row_id"], row["action"], row["changes"])
            if digest != row["hash"]:
                problems.append(AuditProblem(row["id"], "hash_mismatch"))
            elif row["action"] == REDACT and row["entity"] == "audit":
                named.update(_named(row["changes"], row["id"]))
        prev = row["hash"]
        expected_id += 1
    problems += [AuditProblem(entry_id, "hash_mismatch") for entry_id in redacted if entry_id not in named]
    state = conn.execute(select(DeviceState.audit_head, DeviceState.audit_count)).one()
    count = conn.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
    if state.audit_count != count or state.audit_count != expected_id - 1:
        problems.append(AuditProblem(None, "count_mismatch"))
    if (state.audit_head or GENESIS) != prev:
        problems.append(AuditProblem(None, "head_mismatch"))
    return problems


def _named(changes: str, before: int) -> Sequence[int]:
    """The earlier entries a redaction entry names."""
    try:
        entries = json.loads(changes).get("entries", [])
    except (ValueError, AttributeError):
        return []
    return [e for e in entries if isinstance(e, int) and e < before] if isinstance(entries, list) else []


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
    # A redacted entry (its record left this device and came back) shows that it happened, not what.
    return [{**r, "changes": "{}"} if is_redacted(r["changes"]) else dict(r) for r in result]
