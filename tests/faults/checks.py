"""What a scenario checks at the end, read straight from the server's database and the devices'
encrypted workspaces: replicas equal the server's state for their scope, outboxes are drained,
and no accepted edit was lost."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from caseapp.domain.codec import dumps
from caseapp.services.exchange import EXPORT_ORDER, dump_line, export_bytes
from caseapp.store.tables import LEFT_SCOPE, OUTBOX_STATES, JournalEntry
from sync.server import schema
from sync.server.auth import Principal, prefixes_for
from sync.server.db import Database
from sync.server.pull import scope_rows

from .devices import CliDevice

ACCEPTED = ("applied", "conflict", "merged")


def scope_lines(db: Database, user: str) -> list[str]:
    """The server's records in ``user``'s scope as export lines (the same shape and order as
    ``caseapp export --plain``), to compare a device's replica with."""
    with db.read() as conn:
        row = conn.execute(select(schema.users).where(schema.users.c.name == user)).one()
        who = Principal(user, row.role, "-", prefixes_for(row.role, json.loads(row.scopes)))
        rows = scope_rows(conn, who)
    order = {e: i for i, e in enumerate(EXPORT_ORDER)}
    lines = []
    for r in sorted(rows, key=lambda r: (order[r.entity], r.id)):
        fields = json.loads(r.fields)
        out: dict[str, Any] = {"type": r.entity, "id": r.id}
        out.update((k, fields[k]) for k in sorted(fields) if k != "id")
        lines.append(dump_line(out))
    return lines


def replica_differences(devices: list[CliDevice], db: Database) -> list[str]:
    """Devices whose records differ from the server's for their scope (empty: all equal)."""
    wrong = []
    for dev in devices:
        with dev.workspace() as ws:
            local = export_bytes(ws).decode("utf-8").splitlines()
        expected = scope_lines(db, dev.user)
        if local != expected:
            missing = len(set(expected) - set(local))
            extra = len(set(local) - set(expected))
            wrong.append(f"{dev.path.name} ({dev.user}): {missing} server lines missing, "
                         f"{extra} lines not on the server")
    return wrong


def outbox_left(dev: CliDevice) -> list[JournalEntry]:
    return [e for e in dev.journal() if e.state in OUTBOX_STATES]


def server_record(db: Database, row_id: str) -> dict[str, Any] | None:
    with db.read() as conn:
        text = conn.execute(select(schema.records.c.fields).where(schema.records.c.id == row_id)).scalar()
    return json.loads(text) if text is not None else None


def server_conflicts(db: Database) -> list[dict[str, Any]]:
    with db.read() as conn:
        return [dict(r._mapping) for r in conn.execute(select(schema.conflicts))]


def value_on_server(db: Database, row_id: str, name: str, value: Any) -> bool:
    """Is ``value`` the field's current value, or kept in a conflict record about the field?"""
    wanted = dumps(value)
    current = server_record(db, row_id)
    if current is not None and dumps(current.get(name)) == wanted:
        return True
    return any(c["row_id"] == row_id and c["field"] == name and wanted in (c["winner_value"], c["loser_value"])
               for c in server_conflicts(db))


@dataclass
class EditAudit:
    """Every operation a device journaled, against what the server ended with."""

    checked: int = 0
    lost: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    conflicts: int = 0


def audit_edits(devices: list[CliDevice], db: Database) -> EditAudit:
    """An accepted edit (verdict applied, conflict or merged) must be the field's final value, or
    kept in a conflict record, or have been in force and then overwritten by a later accepted
    write that had seen it (same device, or based at or after the position where the value was
    written). An accepted create must exist. A rejected operation is listed: its value reached
    no one."""
    result = EditAudit()
    # an applied edit of a record that later left the device keeps no value there (sync.left_scope)
    entries = [e for dev in devices for e in dev.journal() if e.entity != "conflict" and e.reason != LEFT_SCOPE]
    rows = {e.row_id for e in entries if e.op == "set"}
    with db.read() as conn:
        current = {r.id: json.loads(r.fields) for r in conn.execute(select(schema.records))}
        kept: dict[tuple[str, str], set[str]] = {}
        for c in conn.execute(select(schema.conflicts)):
            kept.setdefault((c.row_id, c.field), set()).update({c.winner_value, c.loser_value})
        result.conflicts = conn.execute(select(func.count()).select_from(schema.conflicts)).scalar_one()
        log: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        for c in conn.execute(select(schema.changes.c.row_id, schema.changes.c.pos, schema.changes.c.fields)
                              .where(schema.changes.c.row_id.in_(rows)).order_by(schema.changes.c.pos)):
            log.setdefault(c.row_id, []).append((c.pos, json.loads(c.fields)))
    written = [e for e in entries if e.op == "set" and e.state in ("applied", "conflict")]
    for e in entries:
        where = f"{e.entity} {e.row_id} {e.field or ''}={e.value[:40]} (device {e.device_id[-6:]} seq {e.seq})"
        if e.state == "rejected":
            result.rejected.append(f"{where}: {e.reason}")
            continue
        if e.state not in ACCEPTED:
            continue
        result.checked += 1
        if e.op == "create":
            if e.row_id not in current:
                result.lost.append(f"created record missing on the server: {where}")
            continue
        name = str(e.field)
        if e.value in kept.get((e.row_id, name), set()):
            continue
        if e.row_id in current and dumps(current[e.row_id].get(name)) == e.value:
            continue
        if e.state == "merged":
            result.lost.append(f"merged edit not kept in a conflict record: {where}")
            continue
        # Where the value was written: this edit's own position, or (an edit that changed nothing,
        # the value being there already) the write before it.
        set_at = [(pos, fields[name]) for pos, fields in log.get(e.row_id, []) if name in fields
                  and pos <= (e.server_pos or 0)]
        if not set_at or dumps(set_at[-1][1]) != e.value:
            result.lost.append(f"{e.state} edit never in force: {where}")
            continue
        since = set_at[-1][0]
        overwritten = any(
            o.row_id == e.row_id and o.field == e.field and (o.server_pos or 0) > since
            and (o.device_id == e.device_id or abs(o.base_pos or 0) >= since)
            for o in written)
        if not overwritten:
            result.lost.append(f"{e.state} edit neither in force nor in a conflict: {where}")
    return result
