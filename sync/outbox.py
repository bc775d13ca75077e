"""The device side of pushing: reading the outbox (journal entries still pending or sent), and
recording the server's verdicts.

An entry leaves the outbox only when a verdict for it arrives, and the verdicts are written in one
transaction: an interrupted push leaves entries 'sent', they are simply sent again, and the server's
ledger answers the replay with the verdicts it stored. Rejected entries stay in the journal with
their reason for the user to see. Records whose edit was rejected or lost its conflict are queued
for re-fetching, so the device's copy returns to the server's state.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Boolean, Connection, Table, bindparam, case, func, or_, select, update
from sqlalchemy.orm import Session

from caseapp.domain import ENTITIES
from caseapp.services import records
from caseapp.store.hlc import stamp_time
from caseapp.store.tables import HELD, OUTBOX_STATES, PENDING, SENT, ConflictRecord, JournalEntry
from caseapp.store.workspace import Workspace
from sync import protocol as p
from sync.settings import REFETCH, read_setting, write_setting

# Journal entries for a conflict resolution: entity "conflict", op "resolve", row_id the conflict id.
CONFLICT_ENTITY = "conflict"
RESOLVE_OP = "resolve"


#: Refusals that mean "the server does not know this yet" (it runs an older version), not "wrong".
NOT_KNOWN_YET = frozenset({"record.unknown_field", "sync.unknown_entity"})


@dataclass
class PushTally:
    pushed: int = 0
    applied: int = 0
    merged: int = 0
    conflicts: int = 0
    rejected: int = 0
    clamped: int = 0
    #: kept on the device until the server is upgraded
    held: int = 0
    reasons: list[str] = field(default_factory=list)


def _known_here(entity: str, field_name: str | None) -> bool:
    cls = ENTITIES.get(entity)
    return cls is not None and (field_name is None or field_name in cls.field_names())


def _held(entry: JournalEntry, verdict: p.Verdict, held_rows: set[str]) -> bool:
    """A refusal because the server is older than this device: a field or record type this device
    knows and the server does not, or a change to a record whose create is held for that reason."""
    if verdict.verdict != p.REJECTED:
        return False
    if verdict.reason in NOT_KNOWN_YET:
        return _known_here(entry.entity, verdict.field if entry.op == "create" else entry.field)
    return verdict.reason == "sync.unknown_record" and entry.row_id in held_rows


def pending(ws: Workspace, limit: int, after_seq: int = 0) -> list[JournalEntry]:
    """The next ``limit`` entries to send, cut before a transaction the limit would split when
    the batch holds another one too: the server judges a step with what its transaction stamped
    (a care application's queue dates), so the two travel in one batch. A transaction larger than
    a batch (an import) is split, as it must be."""
    with ws.read() as session:
        found = list(session.scalars(select(JournalEntry).where(JournalEntry.state.in_(OUTBOX_STATES),
                                                                JournalEntry.seq > after_seq)
                                     .order_by(JournalEntry.seq).limit(limit + 1)))
    if limit < 1 or len(found) <= limit:
        return found[:max(limit, 0)]
    last = found[limit - 1].tx_id
    batch = found[:limit]
    if found[limit].tx_id == last and batch[0].tx_id != last:
        while batch[-1].tx_id == last:
            batch.pop()
    return batch


def pending_count(ws: Workspace) -> int:
    with ws.read() as session:
        return session.scalar(select(func.count()).select_from(JournalEntry)
                              .where(JournalEntry.state.in_(OUTBOX_STATES))) or 0


def to_op(entry: JournalEntry) -> p.PushOp:
    # A negative base marks a record awaiting re-confirmation during a scope re-pull (sync.apply);
    # its magnitude is still the position the edit was based on.
    base = abs(entry.base_pos) if entry.base_pos is not None else None
    return p.PushOp(seq=entry.seq, tx_id=entry.tx_id, entity=entry.entity, row_id=entry.row_id,
                    op=entry.op,  # type: ignore[arg-type]
                    field=entry.field, value=json.loads(entry.value), base_pos=base, hlc=entry.hlc,
                    author=entry.author, schema_version=entry.schema_version)


def mark_sent(ws: Workspace, seqs: Sequence[int]) -> None:
    with ws.write_engine.begin() as conn:
        conn.execute(update(JournalEntry).where(JournalEntry.seq.in_(list(seqs)), JournalEntry.state == PENDING)
                     .values(state=SENT))


def record_verdicts(ws: Workspace, entries: Sequence[JournalEntry], verdicts: Sequence[p.Verdict],
                    tally: PushTally) -> None:
    by_seq = {v.seq: v for v in verdicts}
    updates = []
    refetch: list[dict[str, str]] = []
    with ws.write_engine.begin() as conn:
        held_rows = set(conn.execute(select(JournalEntry.row_id).where(JournalEntry.state == HELD,
                                                                        JournalEntry.op == "create")).scalars())
        written: dict[str, dict[str, int]] = {}  # entity -> row id -> the highest position a verdict gave
        for entry in entries:
            verdict = by_seq.get(entry.seq)
            if verdict is None:
                continue  # not answered: stays in the outbox and is sent again
            detail = _detail(verdict)
            if _held(entry, verdict, held_rows):
                held_rows.add(entry.row_id)
                tally.pushed += 1
                tally.held += 1
                updates.append({"b_seq": entry.seq, "state": HELD, "reason": "record.unknown_field_on_server",
                                "detail": json.dumps({"field": verdict.field or entry.field,
                                                      "params": {"name": verdict.field or entry.field or ""}}),
                                "server_pos": None})
                continue
            updates.append({"b_seq": entry.seq, "state": verdict.verdict, "reason": verdict.reason,
                            "detail": detail, "server_pos": verdict.pos})
            _count(tally, verdict)
            if verdict.verdict in (p.APPLIED, p.CONFLICT) and verdict.pos is not None:
                rows = written.setdefault(entry.entity, {})
                rows[entry.row_id] = max(verdict.pos, rows.get(entry.row_id, 0))
            if verdict.verdict in (p.REJECTED, p.MERGED):
                ref = _record_of(conn, entry)
                if ref is not None:
                    refetch.append(ref)
                if ref is not None and entry.field == "org_code":
                    refetch += _tree_of(conn, ref)  # the move took its tree along here, not there
        refetch += [r for r in _taken_while_pending(conn, written) if r not in refetch]
        if updates:
            conn.execute(update(JournalEntry).where(JournalEntry.seq == bindparam("b_seq"))
                         .values(state=bindparam("state"), reason=bindparam("reason"),
                                 reason_detail=bindparam("detail"), server_pos=bindparam("server_pos")), updates)
        _take_echoes(conn, entries, by_seq)
        if refetch:
            queued = list(read_setting(conn, REFETCH, []))
            queued += [r for r in refetch if r not in queued]
            write_setting(conn, REFETCH, queued)


def _take_echoes(conn: Connection, entries: Sequence[JournalEntry], by_seq: dict[int, p.Verdict]) -> None:
    """What the server took exactly as sent (``Verdict.echo``) is not pulled back
    (``PullIn.own_through``): the record takes here what the pull would have brought, the
    verdict's position (the base of its next edit, and what counts it as held) and the server's
    stamps, which are the operation's own (its time, its author). The stamps only while no later
    edit of the record waits to be sent: that one's own verdict stamps it, or its refusal fetches
    the record again. One UPDATE per record type, not one per verdict."""
    latest: dict[tuple[str, str], tuple[int, JournalEntry]] = {}
    for entry in entries:
        verdict = by_seq.get(entry.seq)
        if verdict is None or not verdict.echo or verdict.pos is None or entry.entity not in ENTITIES:
            continue
        key = (entry.entity, entry.row_id)
        if key not in latest or verdict.pos > latest[key][0]:
            latest[key] = (verdict.pos, entry)
    if not latest:
        return
    ids = list({row_id for _, row_id in latest})
    waiting: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        waiting.update(conn.execute(select(JournalEntry.row_id).where(
            JournalEntry.row_id.in_(chunk), JournalEntry.state.in_(OUTBOX_STATES))).scalars())
    by_entity: dict[str, list[dict[str, Any]]] = {}
    for (entity, row_id), (pos, entry) in latest.items():
        by_entity.setdefault(entity, []).append({
            "b_id": row_id, "b_pos": pos, "b_waits": row_id in waiting,
            "b_stamp": stamp_time(entry.hlc), "b_author": entry.author})
    for entity, values in by_entity.items():
        table: Table = ENTITIES[entity].__table__  # type: ignore[assignment]
        waits = bindparam("b_waits", type_=Boolean)
        conn.execute(update(table).where(table.c.id == bindparam("b_id"),
                                         or_(table.c.server_pos.is_(None), table.c.server_pos < bindparam("b_pos")))
                     .values(server_pos=bindparam("b_pos"),
                             updated_at=case((waits, table.c.updated_at), else_=bindparam("b_stamp")),
                             updated_by=case((waits, table.c.updated_by), else_=bindparam("b_author"))), values)


def acknowledged_through(ws: Workspace) -> int:
    """The highest sequence number up to which every operation of this device has its verdict here
    (none still pending or sent): what a pull may tell the server it holds (``PullIn.own_through``)."""
    with ws.read() as session:
        waiting = session.scalar(select(func.min(JournalEntry.seq)).where(JournalEntry.state.in_(OUTBOX_STATES)))
        if waiting is not None:
            return int(waiting) - 1
        return int(session.scalar(select(func.max(JournalEntry.seq))) or 0)


def _detail(verdict: p.Verdict) -> str | None:
    if not (verdict.field or verdict.params):
        return None
    return json.dumps({"field": verdict.field, "params": verdict.params}, ensure_ascii=False)


def held_count(ws: Workspace) -> int:
    with ws.read() as session:
        return session.scalar(select(func.count()).select_from(JournalEntry).where(JournalEntry.state == HELD)) or 0


def release_known(ws: Workspace, fields: dict[str, list[str]]) -> int:
    """Send again what was held for a server that now knows its fields (it has been upgraded)."""
    with ws.write_engine.begin() as conn:
        held = conn.execute(select(JournalEntry.seq, JournalEntry.entity, JournalEntry.field, JournalEntry.op,
                                   JournalEntry.value).where(JournalEntry.state == HELD)).all()
        ready = []
        for seq, entity, name, op, value in held:
            known = set(fields.get(entity, ()))
            needed = set(json.loads(value)) if op == "create" else {name}
            if entity in fields and needed <= known:
                ready.append(seq)
        if ready:
            conn.execute(update(JournalEntry).where(JournalEntry.seq.in_(ready))
                         .values(state=PENDING, reason=None, reason_detail=None))
    return len(ready)


def _count(tally: PushTally, verdict: p.Verdict) -> None:
    tally.pushed += 1
    tally.clamped += verdict.clamped
    if verdict.verdict == p.APPLIED:
        tally.applied += 1
    elif verdict.verdict == p.MERGED:
        tally.merged += 1
        tally.conflicts += 1
    elif verdict.verdict == p.CONFLICT:
        tally.conflicts += 1
    else:
        tally.rejected += 1
        if verdict.reason:
            tally.reasons.append(verdict.reason)


def _tree_of(conn: Connection, ref: dict[str, str]) -> list[dict[str, str]]:
    """Everything that belongs to the record (caseapp.domain.tree), as this device holds it."""
    cls = ENTITIES.get(ref["entity"])
    with Session(bind=conn) as session:
        root = session.get(cls, ref["id"]) if cls is not None else None
        return [{"entity": r.entity, "id": r.id} for r in records.subtree(session, root)] if root is not None else []


def _taken_while_pending(conn: Connection, written: dict[str, dict[str, int]]) -> list[dict[str, str]]:
    """The records whose version these operations made (or, when a value was already the server's,
    the version they left standing) this device already pulled while the operations were still in
    its outbox: that pull kept the device's own stamps (updated_at, updated_by) over the server's,
    and no later pull brings that version again, so they are fetched once more. (A push answered
    anew always makes a newer version, which the next pull brings: the usual case asks nothing.)
    One query per record type and chunk, not one per operation."""
    found: list[dict[str, str]] = []
    for entity, rows in written.items():
        cls = ENTITIES.get(entity)
        if cls is None or entity == CONFLICT_ENTITY:
            continue
        table: Table = cls.__table__  # type: ignore[assignment]
        ids = list(rows)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for row_id, held in conn.execute(select(table.c.id, table.c.server_pos).where(table.c.id.in_(chunk))):
                if held is not None and held >= rows[row_id]:
                    found.append({"entity": entity, "id": row_id})
    return found


def _record_of(conn: Connection, entry: JournalEntry) -> dict[str, str] | None:
    if entry.entity != CONFLICT_ENTITY:
        return {"entity": entry.entity, "id": entry.row_id}
    row = conn.execute(select(ConflictRecord.entity, ConflictRecord.row_id)
                       .where(ConflictRecord.id == entry.row_id)).first()
    return {"entity": row.entity, "id": row.row_id} if row is not None else None
