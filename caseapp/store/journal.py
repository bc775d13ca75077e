"""Journal and audit every change in the same transaction as the change itself.

The workspace's sessions carry a ``WriteContext`` in ``session.info``. On every flush these hooks
stamp the records (author, device, created/updated), refuse hard deletes and edits of insert-only
facts, then append one journal entry per created record or changed field (the sync outbox) and one
audit entry per record, in the flush's own transaction: a change is either saved with its journal
and audit entries or not saved at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, insert, inspect, select, update
from sqlalchemy.orm import Session, UOWTransaction
from sqlalchemy.orm.util import identity_key

from caseapp.domain import tree
from caseapp.domain.base import ENTITIES, LOCAL_FIELDS, SILENT_FIELDS, Record
from caseapp.domain.codec import dumps, record_to_wire, to_wire
from caseapp.domain.types import utcnow
from caseapp.errors import CaseAppError, WorkflowError
from caseapp.ids import new_id
from caseapp.store import audit
from caseapp.store.hlc import HybridClock, physical_ms
from caseapp.store.tables import PENDING, DeviceState, JournalEntry

SKIPPED_FIELDS = frozenset(LOCAL_FIELDS) | frozenset(SILENT_FIELDS)


@dataclass
class WriteContext:
    actor: str
    device_id: str
    clock: HybridClock
    schema_version: int
    #: Changes arriving from the server are audited but not journaled (they are not ours to send).
    remote: bool = False


def context(session: Session) -> WriteContext:
    ctx = session.info.get("write_context")
    if not isinstance(ctx, WriteContext):
        raise RuntimeError("session has no write context: open sessions through the Workspace")
    return ctx


def _changed_fields(record: Record) -> dict[str, list[Any]]:
    cls = type(record)
    state = inspect(record)
    changes: dict[str, list[Any]] = {}
    for name in cls.field_names():
        if name in SKIPPED_FIELDS:
            continue
        hist = state.attrs[name].history
        if not hist.has_changes():
            continue
        old = to_wire(cls, name, hist.deleted[0]) if hist.deleted else None
        new = to_wire(cls, name, hist.added[0]) if hist.added else None
        if old != new:
            changes[name] = [old, new]
    if cls.state_field in changes:  # a move comes after the fields typed with it, which its guards read
        changes[cls.state_field] = changes.pop(cls.state_field)
    return changes


#: session.info key: the clock stamp ``_before_flush`` took for this flush
_FLUSH_STAMP = "flush_stamp"


def _before_flush(session: Session, flush_context: UOWTransaction, instances: object) -> None:
    if "write_context" not in session.info:
        # Only Workspace.write() sessions may change records: anything else would bypass the journal.
        raise RuntimeError("changes must be made in a Workspace.write() session")
    ctx = context(session)
    for obj in session.deleted:
        if isinstance(obj, Record):
            raise CaseAppError("record.no_hard_delete", None, type=obj.entity)
    if ctx.remote:
        return
    # The records' stamps are the time of the flush's own clock stamp (the one its journal entries
    # carry, ``_after_flush``): the server writes ``updated_at`` from that stamp, so a device whose
    # write the server takes as it was holds the same (``sync.outbox``), and the clock it reads is
    # the one corrected by the server's (a laptop days slow stamps the right day).
    stamp = ctx.clock.tick()
    session.info[_FLUSH_STAMP] = stamp
    now = dt.datetime.fromtimestamp(physical_ms(stamp) / 1000, dt.UTC)
    preserve = bool(session.info.get("preserve_stamps"))
    for obj in session.new:
        if isinstance(obj, Record):
            if preserve and obj.created_at is not None and obj.updated_at is not None:
                continue  # an import keeps the stamps the record came with
            obj.author = obj.author or ctx.actor
            obj.device = obj.device or ctx.device_id
            obj.created_at = obj.created_at or now
            obj.updated_at = now
            obj.updated_by = ctx.actor
    for obj in session.dirty:
        if not isinstance(obj, Record):
            continue
        changed = _changed_fields(obj)
        if not changed:
            continue
        if obj.insert_only and set(changed) - {"archived", "org_code"}:
            raise WorkflowError("record.insert_only", next(iter(changed)), type=obj.entity)
        if preserve:
            continue
        obj.updated_at = now
        obj.updated_by = ctx.actor


def _after_flush(session: Session, flush_context: UOWTransaction) -> None:
    if "write_context" not in session.info:
        return
    ctx = context(session)
    journal: list[dict[str, Any]] = []
    trail: list[audit.AuditItem] = []
    now = utcnow()
    tx_id = session.info.setdefault("tx_id", new_id())
    stamp = 0 if ctx.remote else (session.info.pop(_FLUSH_STAMP, None) or ctx.clock.tick())

    def entry(obj: Record, op: str, field: str | None, value: Any) -> dict[str, Any]:
        return {
            "tx_id": tx_id, "entity": obj.entity, "row_id": obj.id, "op": op, "field": field,
            "value": dumps(value), "base_pos": obj.server_pos, "hlc": stamp, "device_id": ctx.device_id,
            "author": ctx.actor, "schema_version": ctx.schema_version, "state": PENDING,
        }

    for obj in session.new:
        if not isinstance(obj, Record):
            continue
        wire = record_to_wire(obj)
        if not ctx.remote:
            # A create's base is the position of the record it belongs to, as this device knew it:
            # the server's evidence that the parent was in this device's scope when it was added.
            journal.append({**entry(obj, "create", None, wire), "base_pos": _parent_pos(session, obj)})
        changes = {k: [None, v] for k, v in wire.items() if v is not None and k != "id"}
        actor = obj.author if ctx.remote else ctx.actor
        trail.append(audit.AuditItem(now, actor, ctx.device_id, obj.entity, obj.id,
                                     "remote" if ctx.remote else "create", changes))
    for obj in session.dirty:
        if not isinstance(obj, Record) or obj in session.new:
            continue
        changes = _changed_fields(obj)
        if not changes:
            continue
        if not ctx.remote:
            # A record that belongs to another moves with it: the server moves the tree when its
            # root's org_code changes, so a move is one operation (caseapp.domain.tree).
            derived = "org_code" in changes and tree.follows_parent(type(obj), _parent_fields(obj))
            journal.extend(entry(obj, "set", name, new) for name, (_, new) in changes.items()
                           if not (derived and name == "org_code"))
        if ctx.remote:
            action, actor = "remote", obj.updated_by
        elif "archived" in changes:
            action, actor = ("archive" if changes["archived"][1] else "restore"), ctx.actor
        else:
            action, actor = "update", ctx.actor
        trail.append(audit.AuditItem(now, actor, ctx.device_id, obj.entity, obj.id, action, changes))

    conn = session.connection()
    if journal:
        conn.execute(insert(JournalEntry), journal)
    if stamp:
        conn.execute(update(DeviceState).where(DeviceState.device_id == ctx.device_id).values(hlc=stamp))
    audit.append(conn, trail)


def _parent_fields(obj: Record) -> dict[str, Any]:
    cls = type(obj)
    names = [n for n in (tree.parent_field(cls), cls.parent_entity_field) if n is not None]
    return {n: getattr(obj, n) for n in names}


def _parent_pos(session: Session, obj: Record) -> int | None:
    ref = tree.parent_ref(type(obj), _parent_fields(obj))
    cls = ENTITIES.get(ref[0]) if ref is not None else None
    if ref is None or cls is None:
        return None
    held = session.identity_map.get(identity_key(cls, ref[1]))
    if isinstance(held, Record):
        return abs(held.server_pos) if held.server_pos is not None else None
    table = cls.__table__
    pos = session.connection().execute(select(table.c.server_pos).where(table.c.id == ref[1])).scalar()
    return abs(pos) if pos is not None else None


def _after_end(session: Session, *args: object) -> None:
    session.info.pop("tx_id", None)


class WorkspaceSession(Session):
    """The session class of every workspace: the hooks are attached to it once, at import time.

    (Attaching them to each sessionmaker's generated class instead is fragile: the event registry
    can mistake a new class for a garbage-collected one at the same address and skip the hooks.)
    """


event.listen(WorkspaceSession, "before_flush", _before_flush)
event.listen(WorkspaceSession, "after_flush", _after_flush)
event.listen(WorkspaceSession, "after_commit", _after_end)
event.listen(WorkspaceSession, "after_rollback", _after_end)
