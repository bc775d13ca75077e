"""Listing and resolving the conflict records sync brought in.

Resolving is an ordinary edit of the record (journaled, audited, pushed like any other) plus a
'resolve' journal entry that closes the conflict on the server, and so on every device in scope.
"Mine" is the value this device wrote, when it was one of the two sides; otherwise the value
currently in force. "Theirs" is the other side.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select

from caseapp.domain.codec import dumps, entity_class, from_wire, to_wire
from caseapp.errors import NotFoundError
from caseapp.services import records
from caseapp.services.validate import clean
from caseapp.store.tables import PENDING, ConflictRecord, JournalEntry
from caseapp.store.workspace import Workspace
from sync.errors import ConflictClosedError
from sync.outbox import CONFLICT_ENTITY, RESOLVE_OP


@dataclass(frozen=True)
class OpenConflict:
    id: str
    entity: str
    row_id: str
    field: str
    base: Any
    winner: Any
    loser: Any
    winner_author: str
    loser_author: str
    winner_device: str
    loser_device: str
    current: Any

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def list_open(ws: Workspace) -> list[OpenConflict]:
    found: list[OpenConflict] = []
    with ws.read() as session:
        for c in session.scalars(select(ConflictRecord).where(ConflictRecord.status == "open")
                                 .order_by(ConflictRecord.created_at, ConflictRecord.id)):
            cls = entity_class(c.entity)
            record = session.get(cls, c.row_id)
            current = to_wire(cls, c.field, getattr(record, c.field)) if record is not None else None
            found.append(OpenConflict(c.id, c.entity, c.row_id, c.field, _load(c.base_value), _load(c.winner_value),
                                      _load(c.loser_value), c.winner_author, c.loser_author, c.winner_device,
                                      c.loser_device, current))
    return found


def _load(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def resolve(ws: Workspace, conflict_id: str, *, keep: str | None = None, value: str | None = None) -> Any:
    """Settle a conflict: ``keep`` "mine"/"theirs", or a new ``value`` (text, validated like a
    form input). Returns the wire value now in force."""
    with ws.write() as session:
        conflict = session.get(ConflictRecord, conflict_id)
        if conflict is None:
            raise NotFoundError("sync.conflict_not_found", None, id=conflict_id)
        if conflict.status != "open":
            raise ConflictClosedError(conflict_id)
        cls = entity_class(conflict.entity)
        record = session.get(cls, conflict.row_id)
        if record is None:
            raise NotFoundError("record.not_found", None, id=conflict.row_id)
        name = conflict.field
        if value is not None:
            typed = clean(cls, {name: value}, partial=True, current=record)[name]
        else:
            mine_is_loser = conflict.loser_device == ws.device_id
            pick_loser = (keep == "mine") == mine_is_loser
            chosen = _load(conflict.loser_value if pick_loser else conflict.winner_value)
            typed = from_wire(cls, name, chosen)
        if to_wire(cls, name, getattr(record, name)) != to_wire(cls, name, typed):
            # Set directly, not through records.update: the value was legitimately in force on some
            # device (a workflow state, a field of an archived record), so it must be restorable.
            # A place takes the record's whole tree along.
            if name == "org_code":
                records.move_tree(session, record, typed)
            else:
                setattr(record, name, typed)
        session.flush()
        result = to_wire(cls, name, typed)
        conflict.status = "resolved"
        conflict.resolved_by = ws.actor
        conflict.resolution = dumps(result)
        session.flush()
        session.connection().execute(insert(JournalEntry).values(
            tx_id=session.info.get("tx_id", conflict_id), entity=CONFLICT_ENTITY, row_id=conflict_id, op=RESOLVE_OP,
            field=name, value=dumps(result), base_pos=None, hlc=ws.clock.tick(), device_id=ws.device_id,
            author=ws.actor, schema_version=ws.schema_version, state=PENDING,
        ))
    return result
