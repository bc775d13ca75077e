"""Devices' audit trails on the server: received with each push, checked link by link, kept.

A device's trail is hash-chained on the device (``caseapp.store.audit``). Shipping it means a lost
or wiped laptop's record of who viewed and changed what survives it, and an entry edited on the
device after it was shipped no longer matches the server's copy. Each entry is checked as it
arrives: its own hash, its link to the previous entry the server holds, and that it names the
device that sent it. An entry that fails is still kept, marked not intact, for an administrator
to look into (``caseapp-server audit verify``): refusing it would stop the device's sync, and
its records, over a problem only an administrator can settle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, func, insert, select

from caseapp.store.audit import GENESIS, entry_hash
from sync import protocol as p
from sync.server import schema
from sync.server.auth import Principal


def receive(conn: Connection, who: Principal, entries: Sequence[p.AuditEntryIn], now_ms: int) -> int:
    """Store the entries newer than what the server holds for this device (a replayed batch adds
    nothing); return the highest sequence number held."""
    t = schema.device_audit.c
    last = conn.execute(select(t.seq, t.hash).where(t.device_id == who.device_id)
                        .order_by(t.seq.desc()).limit(1)).first()
    top, head = (last.seq, last.hash) if last is not None else (0, GENESIS)
    rows = []
    for e in sorted(entries, key=lambda e: e.seq):
        if e.seq <= top:
            continue
        own = entry_hash(e.prev_hash, e.seq, e.at, e.actor, e.device, e.entity, e.row_id, e.action, e.changes)
        intact = own == e.hash and e.prev_hash == head and e.seq == top + 1 and e.device == who.device_id
        rows.append({"device_id": who.device_id, "seq": e.seq, "at": e.at, "actor": e.actor, "entity": e.entity,
                     "row_id": e.row_id, "action": e.action, "changes": e.changes, "prev_hash": e.prev_hash,
                     "hash": e.hash, "intact": intact, "received_ms": now_ms})
        top, head = e.seq, e.hash
    if rows:
        conn.execute(insert(schema.device_audit), rows)
    return top


@dataclass(frozen=True)
class TrailSummary:
    device_id: str
    entries: int
    broken: int
    first_broken: int | None


def verify(conn: Connection) -> list[TrailSummary]:
    """Per device: how many entries the server holds and which did not check out on arrival."""
    t = schema.device_audit.c
    counts: dict[str, int] = {d: n for d, n in conn.execute(select(t.device_id, func.count()).group_by(t.device_id))}
    broken: dict[str, list[int]] = {}
    for device_id, seq in conn.execute(select(t.device_id, t.seq).where(t.intact.is_(False)).order_by(t.seq)):
        broken.setdefault(device_id, []).append(seq)
    return [TrailSummary(d, int(n), len(broken.get(d, [])), broken[d][0] if d in broken else None)
            for d, n in sorted(counts.items())]


def for_record(conn: Connection, row_id: str, limit: int = 500) -> list[dict[str, object]]:
    """Every device's entries about one record, oldest first (who viewed or changed it, where)."""
    t = schema.device_audit.c
    rows = conn.execute(select(schema.device_audit).where(t.row_id == row_id)
                        .order_by(t.at, t.device_id, t.seq).limit(limit)).mappings()
    return [dict(r) for r in rows]
