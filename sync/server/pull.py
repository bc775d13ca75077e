"""Serving pulls: the changes after a device's cursor, within its scope, a page at a time.

A page lists the records touched by the next ``limit`` in-scope log entries and sends each one
whole, in its current state, with its position and its conflict records: a record that entered the
scope arrives complete, and sending current state (not each historical change) makes a re-sent page
harmless. A change whose record is now outside the scope becomes a removal, so devices drop records
that moved away instead of keeping stale copies.

The cursor is ``<position>.<scope tag>``. It is refused (410) when the device's scope changed since
it was issued (records newly in scope would otherwise never be sent) or when the log before it has
been compacted; the device then pulls its scope again from the start.
"""

from __future__ import annotations

import functools
import json
import re
import threading
import weakref
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, Select, and_, bindparam, false, func, or_, select, true

from caseapp.domain.codec import dumps
from caseapp.services import referrals
from sync import protocol as p
from sync.server import schema, standards
from sync.server.auth import Principal
from sync.server.errors import ApiError

_CURSOR = re.compile(r"^(\d{1,18})\.([0-9a-f]{8})$")


_FLOOR = select(schema.server_meta.c.value).where(schema.server_meta.c.key == "log_floor")
#: What every pull reads first, in one statement: the log's top position (never served past), its
#: floor (a cursor below it was compacted away) and the standards' newest row (their version).
_HEADS = select(schema.LOG_TOP.scalar_subquery(), _FLOOR.scalar_subquery(), standards.NEWEST.scalar_subquery())


def parse_cursor(who: Principal, cursor: str, floor: int) -> int:
    if not cursor:
        return 0
    match = _CURSOR.match(cursor)
    if match is None:
        raise ApiError(400, "sync.bad_cursor")
    pos = int(match.group(1))
    if match.group(2) != who.scope_tag() or pos < floor:
        raise ApiError(410, "sync.cursor_gone")
    return pos


def _in_scope(column: Any, prefixes: tuple[str, ...]) -> ColumnElement[bool]:
    """Under one of a scope's org-code prefixes ("" reaches everything, as Principal.everything)."""
    if "" in prefixes:
        return true()
    if not prefixes:
        return false()
    return or_(*(column.startswith(prefix, autoescape=True) for prefix in prefixes))


def _shared_in_scope(column: Any, prefixes: tuple[str, ...]) -> ColumnElement[bool]:
    """Records shared with an org unit in the device's reach (a sent referral's receiving centre)."""
    return and_(column.is_not(None), _in_scope(column, prefixes))


def shared_view(entity: str, fields: str) -> str:
    """The stored JSON text of a record as a device that holds it only as shared sees it."""
    assert entity == "referral"  # the one record type shared today
    return dumps(referrals.view(json.loads(fields)))


@dataclass
class Page:
    """One page, kept as the stored JSON text of each record: the response is assembled from it
    without parsing and re-serialising every field (the largest cost of serving an initial sync)."""

    rows: list[tuple[str, str, int, str, list[dict[str, Any]]]]
    removals: list[tuple[str, str]]
    cursor: str
    has_more: bool
    scope_count: int | None
    total: int | None = None
    #: the administrator's standards, when the device holds another version (sync/server/standards.py)
    standards: dict[str, Any] | None = None

    def to_json(self, hlc: int) -> bytes:
        parts = [f'{{"entity":{json.dumps(e)},"id":{json.dumps(i)},"pos":{pos},"fields":{fields},'
                 f'"conflicts":{json.dumps(cs, ensure_ascii=False)}}}' for e, i, pos, fields, cs in self.rows]
        removals = json.dumps([{"entity": e, "id": i} for e, i in self.removals])
        return (f'{{"rows":[{",".join(parts)}],"removals":{removals},"cursor":{json.dumps(self.cursor)},'
                f'"has_more":{json.dumps(self.has_more)},"hlc":{hlc},'
                f'"scope_count":{json.dumps(self.scope_count)},"total":{json.dumps(self.total)},'
                f'"standards":{json.dumps(self.standards, ensure_ascii=False)}}}').encode()

    def to_model(self, hlc: int = 0) -> p.PullOut:
        return p.PullOut.model_validate_json(self.to_json(hlc))


def pull(conn: Connection, who: Principal, request: p.PullIn) -> Page:
    # Read the top first and never serve past it: a push committing meanwhile gets positions above
    # it (positions are assigned in commit order), so none can be skipped by moving the cursor there.
    top, floor, newest = conn.execute(_HEADS).one()
    top = top or 0
    after = parse_cursor(who, request.cursor, int(floor) if floor else 0)
    built = _statements(who.prefixes)
    window = {"after": after, "top": top}
    entries = conn.execute(built.entries, {**window, "limit": request.limit + 1}).all()
    has_more = len(entries) > request.limit
    entries = entries[:request.limit]
    # Keyed by (entity, id): a refetch naming a record under another type (a broken or hostile
    # device may) must not stand in for the logged change of the record that has that id.
    wanted = dict.fromkeys([(ref.entity, ref.id) for ref in request.refetch]
                           + [(entry.entity, entry.row_id) for entry in entries])
    held = _echoed(who, request, entries)
    rows, removals = _rows(conn, who, [key for key in wanted if key not in held])
    end = entries[-1].pos if has_more else max(top, after)
    count = None if has_more else _counted(conn, who, after, top, bool(entries))
    total = None
    if request.count:
        total = len(entries) if not has_more else int(conn.execute(built.changed, window).scalar_one())
    return Page(rows, removals, f"{end}.{who.scope_tag()}", has_more, count, total,
                standards.for_device(conn, request.standards, standards.version_of(newest)))


def _echoed(who: Principal, request: p.PullIn, entries: Sequence[Any]) -> set[tuple[str, str]]:
    """The records this device already holds as the server does: every change of theirs on this
    page is an echo of one of its own operations whose verdict it has (``PullIn.own_through``,
    which a device re-pulling its scope does not send: it must be sent everything it holds), and
    never a record it asked for again. An echo is a change made in the device's
    scope that moved nothing (``merge.echo``): whatever moved the record since is a change of its
    own, no echo, which sends it (or its removal); a changed scope refuses the cursor."""
    if request.own_through is None:
        return set()
    mine: dict[tuple[str, str], bool] = {}
    for entry in entries:
        key = (entry.entity, entry.row_id)
        echoed = entry.echo_device == who.device_id and entry.echo_seq is not None \
            and entry.echo_seq <= request.own_through
        mine[key] = mine.get(key, True) and echoed
    asked = {(ref.entity, ref.id) for ref in request.refetch}
    return {key for key, echoed in mine.items() if echoed and key not in asked}


_R = schema.records.c
_RECORDS = select(_R.id, _R.entity, _R.org_code, _R.shared_org, _R.pos, _R.fields).where(
    _R.id.in_(bindparam("ids", expanding=True)))
_CONFLICTS = (select(schema.conflicts).where(schema.conflicts.c.row_id.in_(bindparam("ids", expanding=True)))
              .order_by(schema.conflicts.c.created_ms, schema.conflicts.c.id))


def _rows(conn: Connection, who: Principal,
          wanted: list[tuple[str, str]]) -> tuple[list[Any], list[tuple[str, str]]]:
    ids = list(dict.fromkeys(row_id for _, row_id in wanted))
    found: dict[str, Any] = {}
    conflicts: dict[str, list[dict[str, Any]]] = {}
    for start in range(0, len(ids), 500):
        chunk = {"ids": ids[start:start + 500]}
        for hit in conn.execute(_RECORDS, chunk):
            found[hit.id] = hit
        for cr in conn.execute(_CONFLICTS, chunk):
            conflicts.setdefault(cr.row_id, []).append(conflict_out(cr._mapping).model_dump())
    rows: list[Any] = []
    removals: list[tuple[str, str]] = []
    for entity, row_id in wanted:
        rec = found.get(row_id)
        if rec is not None and rec.entity == entity and who.covers(rec.org_code):
            rows.append((rec.entity, rec.id, rec.pos, rec.fields, conflicts.get(rec.id, [])))
        elif rec is not None and rec.entity == entity and rec.shared_org is not None and who.covers(rec.shared_org):
            # the receiving side's copy: the record's own fields, not its links into the household;
            # only the conflicts over what it writes (the sender's own are the sender's to settle)
            kept = [x for x in conflicts.get(rec.id, []) if x["field"] in referrals.ANSWERED]
            rows.append((rec.entity, rec.id, rec.pos, shared_view(rec.entity, rec.fields), kept))
        else:
            # named as asked: a removal must not tell a device what a record outside its scope is
            removals.append((entity, row_id))
    return rows, removals


def conflict_out(m: Any) -> p.ConflictOut:
    return p.ConflictOut(
        id=m["id"], entity=m["entity"], row_id=m["row_id"], field=m["field"], org_code=m["org_code"],
        base_value=json.loads(m["base_value"]), winner_value=json.loads(m["winner_value"]),
        loser_value=json.loads(m["loser_value"]), winner_author=m["winner_author"],
        loser_author=m["loser_author"], winner_device=m["winner_device"], loser_device=m["loser_device"],
        winner_hlc=m["winner_hlc"], loser_hlc=m["loser_hlc"], created_ms=m["created_ms"], status=m["status"],
        resolved_by=m["resolved_by"],
        resolution=json.loads(m["resolution"]) if m["resolution"] is not None else None,
    )


def _held(prefixes: tuple[str, ...]) -> ColumnElement[bool]:
    r = schema.records.c
    return or_(_in_scope(r.org_code, prefixes), _shared_in_scope(r.shared_org, prefixes))


def _scope_count(conn: Connection, who: Principal) -> int:
    return int(conn.execute(_statements(who.prefixes).held).scalar_one())


@dataclass(frozen=True)
class _Scoped:
    """A scope's pull statements, with the log window and page size as parameters."""

    #: the log entries in the window (after, top] in the scope, in order, at most ``limit``
    entries: Select[Any]
    #: how many there are
    changed: Select[Any]
    #: the records a device of the scope holds
    held: Select[Any]


@functools.lru_cache(maxsize=4096)
def _statements(prefixes: tuple[str, ...]) -> _Scoped:
    """Built once per scope: building a statement of a scope's prefixes and working out its cache
    key cost more CPU than running it (a pull of nothing new ran three of them)."""
    c = schema.changes.c
    scoped = or_(_in_scope(c.org_code, prefixes), _in_scope(c.old_org_code, prefixes),
                 _shared_in_scope(c.shared_org, prefixes))
    window = and_(c.pos > bindparam("after"), c.pos <= bindparam("top"), scoped)
    return _Scoped(
        entries=select(c.pos, c.row_id, c.entity, c.echo_device, c.echo_seq).where(window)
        .order_by(c.pos).limit(bindparam("limit")),
        changed=select(func.count()).select_from(schema.changes).where(window),
        held=select(func.count()).select_from(schema.records).where(_held(prefixes)),
    )


#: The last count of records in each scope this process made, per database: (the log's top it was
#: counted at, the count). Only a change logged in a scope changes its count (merge writes every
#: record with its change, the change naming where the record is, was and is shared to; migrations,
#: the only other writers, run as the serving processes are restarted for a new version), so a pull
#: that finds no change in its scope between that top and its own reports the same count without
#: counting again: the usual pull of an idle community, and of a district whose count reads
#: hundreds of thousands of records.
_COUNTS: weakref.WeakKeyDictionary[Engine, OrderedDict[tuple[str, ...], tuple[int, int]]] = \
    weakref.WeakKeyDictionary()
_COUNTS_LOCK = threading.Lock()
#: scopes remembered per database (a few hundred bytes each), the least recently pulled forgotten
COUNTS_KEPT = 20_000


def _counted(conn: Connection, who: Principal, after: int, top: int, changed: bool) -> int:
    """The records in ``who``'s scope at ``top``: remembered when the log holds no change in the
    scope after the top it was counted at (this pull found none after ``after``, and ``after`` is
    at or below that top), else counted."""
    key = tuple(sorted(who.prefixes)) if not who.everything else ("",)
    with _COUNTS_LOCK:
        held = _COUNTS.setdefault(conn.engine, OrderedDict())
        known = held.get(key)
        if known is not None and not changed and after <= known[0] <= top:
            held.move_to_end(key)
            return known[1]
    count = _scope_count(conn, who)
    with _COUNTS_LOCK:
        held = _COUNTS.setdefault(conn.engine, OrderedDict())
        if key not in held or held[key][0] <= top:
            held[key] = (top, count)
            held.move_to_end(key)
        while len(held) > COUNTS_KEPT:
            held.popitem(last=False)
    return count


def scope_rows(conn: Connection, who: Principal) -> Sequence[Any]:
    """Every record the device holds, as it holds it: those in scope, and those shared with it in
    their shared view (tests and the convergence oracle compare devices against it)."""
    found: list[Any] = []
    for row in conn.execute(select(schema.records).where(_held(who.prefixes)).order_by(schema.records.c.id)):
        shared = not who.covers(row.org_code)
        found.append(SimpleNamespace(**{**row._mapping, "fields": shared_view(row.entity, row.fields)})
                     if shared else row)
    return found
