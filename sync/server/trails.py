"""Devices' audit trails on the server: received with each push, checked link by link, kept.

A device's trail is hash-chained on the device (``caseapp.store.audit``). Shipping it means a lost
or wiped laptop's record of who viewed and changed what survives it, and an entry edited on the
device after it was shipped no longer matches the server's copy. Each entry is checked as it
arrives: its own hash, its link to the previous entry the server holds, and that it names the
device that sent it, and that its actor is the device's authenticated user. An entry that fails is
still kept, marked not intact with the reason, for an administrator to look into
(``caseapp-server audit verify``): refusing it would stop the device's sync, and its records, over
a problem only an administrator can settle.

The actor is what the device claims; the server stores beside it the authenticated user of the
device that shipped the entry (``user_name``), and an entry whose actor is not that user is not
intact (``problem`` "actor"), since a device could otherwise put any colleague's name on what it
did. The one exception is an entry the device wrote when it applied a pulled change (action
"remote"): its actor is that change's author, whom the server itself recorded as the authenticated
user who pushed it, so it must name a user the server knows, not the shipping one (or nobody, for
records that arrived or left with a page).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, func, insert, select

from caseapp.store.audit import GENESIS, REDACT, entry_hash
from sync import protocol as p
from sync.server import schema
from sync.server.auth import Principal

#: the action of an entry a device wrote when it applied a pulled change (caseapp.store.journal)
REMOTE = "remote"
#: the device's own bookkeeping, by nobody: redacting what left its scope (caseapp.store.audit)
DEVICE_ACTIONS = frozenset({REMOTE, REDACT})


# Built once: every push runs them (building a statement cost about as much CPU as running it).
_D, _T = schema.devices.c, schema.device_audit.c
_FORKED = select(_D.forked_from, _D.fork_audit_seq).where(_D.id == bindparam("device"))
_LAST = select(_T.seq, _T.hash).where(_T.device_id == bindparam("device")).order_by(_T.seq.desc()).limit(1)
_HELD = select(_T.seq, _T.hash).where(_T.device_id == bindparam("device"),
                                      _T.seq.in_(bindparam("seqs", expanding=True)))


def _fork(conn: Connection, device_id: str) -> tuple[str, int] | None:
    """(device it was copied from, last shared audit entry) for a device that is a copy."""
    row = conn.execute(_FORKED, {"device": device_id}).first()
    return (row.forked_from, int(row.fork_audit_seq or 0)) if row is not None and row.forked_from else None


def _start(conn: Connection, device_id: str) -> tuple[int, str, str | None]:
    """Where a device's trail on the server ends: (seq, hash) of its last entry held, and the
    device it was copied from. A copy with nothing of its own yet continues the shared part of the
    original's trail."""
    t = schema.device_audit.c
    fork = _fork(conn, device_id)
    last = conn.execute(_LAST, {"device": device_id}).first()
    if last is not None:
        return last.seq, last.hash, fork[0] if fork else None
    if fork is None:
        return 0, GENESIS, None
    parent, seq = fork
    shared = conn.execute(select(t.hash).where(t.device_id == parent, t.seq == seq)).scalar() if seq else None
    return (seq, shared, parent) if shared else (0, GENESIS, parent)


def held_up_to(conn: Connection, device_id: str) -> int:
    """The highest audit sequence number the server holds for this device (what a push answers)."""
    return _start(conn, device_id)[0]


def diverged(conn: Connection, who: Principal, entries: Sequence[p.AuditEntryIn]) -> bool:
    """Whether the device sends entries under sequence numbers the server holds other entries for:
    it is an older copy of this device (a restored backup) whose trail has parted from the one the
    server holds."""
    seqs = [e.seq for e in entries]
    if not seqs:
        return False
    held = dict(conn.execute(_HELD, {"device": who.device_id, "seqs": seqs}).all())
    return any(e.seq in held and held[e.seq] != e.hash for e in entries)


def receive(conn: Connection, who: Principal, entries: Sequence[p.AuditEntryIn], now_ms: int) -> int:
    """Store the entries newer than what the server holds for this device (a replayed batch adds
    nothing); return the highest sequence number held."""
    top, head, parent = _start(conn, who.device_id)
    fresh = sorted((e for e in entries if e.seq > top), key=lambda e: e.seq)
    remote_authors = {e.actor for e in fresh if e.action == REMOTE}
    known = set(conn.execute(select(schema.users.c.name).where(schema.users.c.name.in_(remote_authors))).scalars()) \
        if remote_authors else set()
    rows = []
    for e in fresh:
        problem = _problem(e, who, top, head, known, parent)
        rows.append({"device_id": who.device_id, "seq": e.seq, "at": e.at, "actor": e.actor, "entity": e.entity,
                     "row_id": e.row_id, "action": e.action, "changes": e.changes, "prev_hash": e.prev_hash,
                     "hash": e.hash, "intact": problem is None, "problem": problem, "user_name": who.user,
                     "received_ms": now_ms})
        top, head = e.seq, e.hash
    if rows:
        conn.execute(_INSERT, rows)
    return top


_INSERT = insert(schema.device_audit)


def _problem(e: p.AuditEntryIn, who: Principal, top: int, head: str, known_users: set[str],
             parent: str | None = None) -> str | None:
    """Why the entry does not check out, or None. A copy's entries from before it became a device
    of its own name the device it was copied from."""
    if entry_hash(e.prev_hash, e.seq, e.at, e.actor, e.device, e.entity, e.row_id, e.action, e.changes) != e.hash:
        return "hash"
    if e.prev_hash != head or e.seq != top + 1:
        return "link"
    if e.device not in (who.device_id, parent):
        return "device"
    if e.actor != who.user and not ((e.action == REMOTE and e.actor in known_users)
                                    or (e.action in DEVICE_ACTIONS and not e.actor)):
        return "actor"
    return None


@dataclass(frozen=True)
class TrailSummary:
    device_id: str
    entries: int
    broken: int
    first_broken: int | None
    #: how many entries failed each check ("hash", "link", "device", "actor"; "?" for entries
    #: received before the server recorded why)
    problems: dict[str, int]


def verify(conn: Connection) -> list[TrailSummary]:
    """Per device: how many entries the server holds and which did not check out on arrival."""
    t = schema.device_audit.c
    counts: dict[str, int] = {d: n for d, n in conn.execute(select(t.device_id, func.count()).group_by(t.device_id))}
    broken: dict[str, list[int]] = {}
    problems: dict[str, dict[str, int]] = {}
    for device_id, seq, problem in conn.execute(select(t.device_id, t.seq, t.problem)
                                                .where(t.intact.is_(False)).order_by(t.seq)):
        broken.setdefault(device_id, []).append(seq)
        found = problems.setdefault(device_id, {})
        found[problem or "?"] = found.get(problem or "?", 0) + 1
    return [TrailSummary(d, int(n), len(broken.get(d, [])), broken[d][0] if d in broken else None,
                         problems.get(d, {})) for d, n in sorted(counts.items())]


def for_record(conn: Connection, row_id: str, limit: int = 500) -> list[dict[str, object]]:
    """Every device's entries about one record, oldest first (who viewed or changed it, where)."""
    t = schema.device_audit.c
    rows = conn.execute(select(schema.device_audit).where(t.row_id == row_id)
                        .order_by(t.at, t.device_id, t.seq).limit(limit)).mappings()
    return [dict(r) for r in rows]
