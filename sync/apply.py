"""Writing pulled pages into the encrypted workspace.

One page is one local transaction: its rows, removals, conflict records, the audit entries for
them and the new cursor commit together, so a pull interrupted anywhere resumes from the last page
applied and never skips or half-applies one. Rows go in with Core ``executemany`` upserts (the ORM
and its journal hooks would journal them as local edits, and are ten times slower).

Foreign keys are not enforced while a page is applied. The server already refuses references to
records that do not exist, and a device may legitimately hold a record whose referent is outside
its scope (an event in its grid about a household in the next grid); enforcing the key locally
would make every later sync of that device fail. A page may also bring a child before its parent.
Local edits keep full enforcement: only the connection applying the page turns it off.

A record with edits still in the outbox keeps those local field values (they are about to be
pushed, and the server merges them); everything else takes the server's values. Every record
takes the server position it was sent with: the base of the next local edit.

The audit trail notes every remote change to a record this device already held, field by field,
and, in one entry per record type and page, the ids of the records that arrived new (their
field-level history is on the device that made them and on the server).

The household search index is kept up to date page by page, except while the whole scope is
being pulled (a first sync, or a re-pull): then the pages skip it and ``search.reindex`` builds it
once at the end, in batches that local saves interleave with, which makes a first sync about a
sixth faster. A flag in the settings, written with the first such page, says the index is stale,
so an interrupted pull still ends with a full rebuild (``rebuild_index_if_stale``).

During a scope re-pull every record the server had sent before is marked by negating its
``server_pos``; records the re-pull sends again become positive, and those still negative at its
end are no longer in scope and are removed.

A record that leaves takes everything personal about it along (``remove``): its conflict records,
its search keys, the values of this device's applied journal entries about it, the content of its
attachments (unless a record that stays shares it) and the values in the audit entries about it.
Audit entries the server already holds are redacted at once; newer ones once a push has delivered
them, by a sweep over what the server acknowledged
(``_sweep_audit``), so the server's copy of the trail is always whole and checkable. Attachment
files are deleted after the transaction commits (a rollback must not lose content whose record
stays), from a list kept in the settings, so a crash in between only delays them. SQLCipher
zeroes deleted and overwritten content (``secure_delete`` is on for keyed databases), so removed
rows and redacted payloads do not linger in free pages; a pull that removed records also empties
the WAL when no reader holds it, since its older frames still hold the pages as they were.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, partial
from operator import itemgetter
from typing import Any

from sqlalchemy import Boolean, Column, Connection, MetaData, Table, delete, func, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.types import NullType

from caseapp.domain import ENTITIES, Attachment, Record
from caseapp.domain.base import SILENT_FIELDS
from caseapp.domain.codec import dumps
from caseapp.domain.types import utcnow
from caseapp.services import search
from caseapp.store import audit, search_index
from caseapp.store.engine import BUSY_TIMEOUT_MS
from caseapp.store.tables import APPLIED, HELD, LEFT_SCOPE, OUTBOX_STATES, ConflictRecord, JournalEntry
from caseapp.store.workspace import Workspace
from caseapp.store.writer import Writer, in_place
from sync import protocol as p
from sync.outbox import CONFLICT_ENTITY
from sync.settings import CURSOR, INDEX_STALE, REFETCH, RESET, read_setting, write_setting
from sync.trail import SENT as AUDIT_SENT

ALL_FIELDS = "*"
Picker = Callable[[dict[str, Any]], tuple[Any, ...]]
CHUNK = 500
#: digests whose attachment records left this device: their files go once the removal committed
FILES_TO_DROP = "sync.attachments_to_drop"
#: the audit entries up to here were swept for records no longer held (see _sweep_audit)
AUDIT_SWEPT = "sync.audit_swept"
#: audit entries one page's sweep looks at (the first after an upgrade covers the whole trail)
SWEEP_BATCH = 20_000


@dataclass
class PageTally:
    upserted: int = 0
    removed: int = 0
    conflicts: int = 0


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _pending(conn: Connection) -> tuple[dict[str, set[str]], set[str]]:
    """Fields with local edits not yet acknowledged (or held for an older server), per record;
    conflicts with a pending resolve."""
    fields: dict[str, set[str]] = defaultdict(set)
    resolves: set[str] = set()
    rows = conn.execute(select(JournalEntry.entity, JournalEntry.row_id, JournalEntry.op, JournalEntry.field)
                        .where(JournalEntry.state.in_((*OUTBOX_STATES, HELD))))
    for entity, row_id, op, name in rows:
        if entity == CONFLICT_ENTITY:
            resolves.add(row_id)
        else:
            fields[row_id].add(ALL_FIELDS if op == "create" else str(name))
    return fields, resolves


@contextmanager
def _server_transaction(ws: Workspace) -> Iterator[Connection]:
    """A transaction for writing the server's data: foreign keys off on this connection only (see
    the module docstring), restored before the connection goes back to the pool. (A write: it
    begins IMMEDIATE.)"""
    with ws.write_engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        # On the driver directly: SQLAlchemy would first open a transaction, inside which SQLite
        # ignores this pragma.
        raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                yield conn
        finally:
            try:
                if raw.in_transaction:  # a failed commit can leave one open; the pragma needs none
                    raw.rollback()
                raw.execute("PRAGMA foreign_keys = ON")
            except Exception:
                conn.invalidate()  # never hand a connection without key checks back to the pool
                raise


def apply_page(ws: Workspace, page: p.PullOut, *, refetched: Sequence[p.RecordRef] = (),
               index: bool = True) -> PageTally:
    """Apply one page and store its cursor, atomically. ``refetched`` leave the re-fetch queue.
    ``index=False`` leaves the search index alone and marks it stale (a whole-scope pull)."""
    tally = PageTally()
    trail: list[audit.AuditItem] = []
    with _server_transaction(ws) as conn:
        pending, resolving = _pending(conn)
        by_entity: dict[str, list[p.RowOut]] = defaultdict(list)
        for row in page.rows:
            by_entity[row.entity].append(row)
        # Rows bypass the ORM, so the household search index is refreshed here, for the households
        # the touched records belonged to before the page and those they belong to after it.
        touched = [(r.entity, r.id) for r in page.rows] + [(r.entity, r.id) for r in page.removals]
        households = search_index.households_of(conn, touched) if index else set()
        # Removals first: a record the server refused (a duplicate org unit code, say) leaves
        # before the server's record holding that value arrives.
        tally.removed = remove(conn, ws, [(r.entity, r.id) for r in page.removals], trail)
        for entity, rows in by_entity.items():
            cls = ENTITIES.get(entity)
            if cls is None:
                continue  # a record type this program version does not know yet: kept on the server
            _make_room(conn, ws, cls, rows, trail)
            arrived: list[str] = []
            tally.upserted += _upsert(conn, ws, cls, rows, pending, trail, arrived)
            if arrived:
                # One entry for all the records of this type that arrived with the page (a
                # per-record entry would cost more than storing the records themselves).
                trail.append(audit.AuditItem(utcnow(), "", ws.device_id, entity, "", "remote",
                                             {"arrived": arrived}))
        conflicts = [c for row in page.rows for c in row.conflicts]
        tally.conflicts = _store_conflicts(conn, conflicts, resolving)
        if index:
            search_index.refresh(conn, households | search_index.households_of(conn, touched))
        elif (page.rows or page.removals) and not read_setting(conn, INDEX_STALE, False):
            # (a page that brings nothing changes no household: the first sync after a ledger was
            # typed in, whose records are not pulled back, keeps the index those saves made)
            write_setting(conn, INDEX_STALE, True)
        audit.append(conn, trail)
        _sweep_audit(conn, ws)
        write_setting(conn, CURSOR, page.cursor)
        if refetched:
            done = {(r.entity, r.id) for r in refetched}
            queued = read_setting(conn, REFETCH, [])
            write_setting(conn, REFETCH, [q for q in queued if (q["entity"], q["id"]) not in done])
    drop_files(ws)
    if tally.removed:
        _checkpoint(ws)
    return tally


def _make_room(conn: Connection, ws: Workspace, cls: type[Record], rows: Sequence[p.RowOut],
               trail: list[audit.AuditItem]) -> None:
    """Free the unique values (org unit codes) these pulled rows bring from the other local
    records holding them. The server keeps such values unique, so a local holder is either about
    to change too (it is in this page, or its change is still to come: it is queued for re-fetch
    and holds a placeholder meanwhile) or never reached the server, which refuses its value: it
    gives way to the server's record (its journal entries stay in the outbox, rejected, for a
    person to see)."""
    in_page = {r.id for r in rows}
    for name in cls.unique_fields():
        incoming = {r.fields[name]: r.id for r in rows if r.fields.get(name) is not None}
        clashes: list[tuple[str, int | None]] = []
        for chunk in _chunks(list(incoming)):
            sql = (f"SELECT id, server_pos, {name} FROM {cls.__tablename__} "
                   f"WHERE {name} IN ({','.join('?' * len(chunk))})")
            clashes += [(i, pos) for i, pos, value in conn.exec_driver_sql(sql, tuple(chunk))
                        if incoming[value] != i]
        local_only = [(cls.entity, i) for i, pos in clashes if i not in in_page and not pos]
        remove(conn, ws, local_only, trail)
        moving = [i for i, pos in clashes if i in in_page or pos]
        for i in moving:
            conn.exec_driver_sql(f"UPDATE {cls.__tablename__} SET {name} = ? WHERE id = ?", (f"~{i}", i))
        later = [{"entity": cls.entity, "id": i} for i in moving if i not in in_page]
        if later:
            queued = read_setting(conn, REFETCH, [])
            write_setting(conn, REFETCH, queued + [q for q in later if q not in queued])


@cache
def _raw_table(cls: type[Record]) -> Table:
    """The record type's table with untyped columns. Pulled values are already in the canonical
    wire form the typed columns would store, so they bind as they are: parsing and re-formatting
    every date and amount on the way in would cost more than the insert itself."""
    typed: Table = cls.__table__  # type: ignore[assignment]
    return Table(typed.name, MetaData(),
                 *(Column(c.name, NullType(), primary_key=c.primary_key) for c in typed.columns))


@cache
def _bool_fields(cls: type[Record]) -> frozenset[str]:
    return frozenset(c.key for c in cls.__table__.columns if isinstance(c.type, Boolean))


@cache
def _shape(cls: type[Record], keys: tuple[str, ...]) -> tuple[tuple[str, ...], Picker]:
    """For pulled rows whose fields come in this order: the columns they fill (fields this program
    does not know are dropped; ``id`` and ``server_pos`` come from the row itself) and a getter
    that picks those values out of ``fields`` as a tuple. Every row of a type normally has the same
    shape, so this runs once per type."""
    known = set(cls.field_names()) - {"id", "server_pos"}
    names = tuple(k for k in keys if k in known)
    if not names:
        return names, lambda fields: ()
    pick = itemgetter(*names)
    if len(names) == 1:
        return names, lambda fields: (pick(fields),)
    return names, pick


def _existing(conn: Connection, cls: type[Record], ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The stored values of those of ``ids`` this device already holds."""
    names = cls.field_names()
    bools = _bool_fields(cls)
    found: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(ids):
        sql = (f"SELECT {', '.join(names)} FROM {cls.__tablename__} "
               f"WHERE id IN ({','.join('?' * len(chunk))})")
        for values in conn.exec_driver_sql(sql, tuple(chunk)):
            row = dict(zip(names, values, strict=True))
            for k in bools:
                if row[k] is not None:
                    row[k] = bool(row[k])
            found[row["id"]] = row
    return found


def _upsert(conn: Connection, ws: Workspace, cls: type[Record], rows: Sequence[p.RowOut],
            pending: dict[str, set[str]], trail: list[audit.AuditItem], arrived: list[str]) -> int:
    table = _raw_table(cls)
    existing = _existing(conn, cls, [r.id for r in rows])
    full: dict[tuple[str, ...], list[tuple[Any, ...]]] = defaultdict(list)
    keeping_local: list[dict[str, Any]] = []  # records with edits still in the outbox
    now = utcnow()
    for row in rows:
        names, pick = _shape(cls, tuple(row.fields))
        old = existing.get(row.id)
        if old is None:
            # New to this device: its content is the record itself. The page's audit entry lists
            # it (the field-by-field history is on the creating device and the server).
            full[names].append((*pick(row.fields), row.id, row.pos))
            arrived.append(row.id)
            continue
        values = dict(zip(names, pick(row.fields), strict=True))
        keep = pending.get(row.id)
        if keep:
            skip = set(values) if ALL_FIELDS in keep else keep | set(SILENT_FIELDS)
            values = {k: v for k, v in values.items() if k not in skip}
            keeping_local.append({**values, "id": row.id, "server_pos": row.pos})
        else:
            full[names].append((*pick(row.fields), row.id, row.pos))
        # The server re-stamps updated_at from the winning edit's clock: on its own that is no change
        # a person made, so it is not audited (the entry's actor is the editor either way).
        changes = {k: [old.get(k), v] for k, v in values.items() if old.get(k) != v and k not in SILENT_FIELDS}
        if changes:
            actor = str(row.fields.get("updated_by") or "")
            trail.append(audit.AuditItem(now, actor, ws.device_id, cls.entity, row.id, "remote", changes))
    for names, batch in full.items():
        # Straight to the driver's executemany: SQLAlchemy's per-row parameter processing would
        # cost as much as the insert itself, and these values need none (see _raw_table).
        columns = (*names, "id", "server_pos")
        sql = (f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
               f"ON CONFLICT(id) DO UPDATE SET {', '.join(f'{n} = excluded.{n}' for n in columns if n != 'id')}")
        conn.exec_driver_sql(sql, batch)
    for values in keeping_local:
        conn.execute(update(table).where(table.c.id == values["id"])
                     .values({k: v for k, v in values.items() if k != "id"}))
    return len(rows)


def _store_conflicts(conn: Connection, conflicts: Sequence[p.ConflictOut], resolving: set[str]) -> int:
    if not conflicts:
        return 0
    table: Table = ConflictRecord.__table__  # type: ignore[assignment]
    rows = []
    for c in conflicts:
        rows.append({
            "id": c.id, "entity": c.entity, "row_id": c.row_id, "field": c.field, "org_code": c.org_code,
            "base_value": dumps(c.base_value), "winner_value": dumps(c.winner_value),
            "loser_value": dumps(c.loser_value), "winner_author": c.winner_author, "loser_author": c.loser_author,
            "winner_device": c.winner_device, "loser_device": c.loser_device, "winner_hlc": c.winner_hlc,
            "loser_hlc": c.loser_hlc, "created_at": _ms_to_dt(c.created_ms), "status": c.status,
            "resolved_by": c.resolved_by, "resolution": dumps(c.resolution) if c.resolution is not None else None,
        })
    stmt = sqlite_insert(table)
    # A resolution made here and not yet acknowledged stays resolved locally.
    keep_local = [r for r in rows if r["id"] in resolving]
    fresh = [r for r in rows if r["id"] not in resolving]
    if fresh:
        conn.execute(stmt.on_conflict_do_update(index_elements=[table.c.id],
                                                set_={k: stmt.excluded[k] for k in fresh[0] if k != "id"}), fresh)
    if keep_local:
        conn.execute(stmt.on_conflict_do_nothing(index_elements=[table.c.id]), keep_local)
    return len(rows)


def _ms_to_dt(ms: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(ms / 1000, dt.UTC)


def remove(conn: Connection, ws: Workspace, refs: Sequence[tuple[str, str]], trail: list[audit.AuditItem]) -> int:
    """Delete records that left this device's scope (or that the server does not have), audited as
    remote changes, and what is personal about them: conflict records, the values in the audit
    entries the server holds (the newer ones are swept later), and (after the caller commits,
    ``drop_files``) the content of attachments no record that stays points at. The caller
    refreshes the search index for the households touched (``search_index.households_of``)."""
    removed = 0
    by_entity: dict[str, list[str]] = defaultdict(list)
    for entity, row_id in refs:
        by_entity[entity].append(row_id)
    now = utcnow()
    gone: list[str] = []
    digests: list[str] = []
    for entity, ids in by_entity.items():
        cls = ENTITIES.get(entity)
        if cls is None:
            continue
        table: Table = cls.__table__  # type: ignore[assignment]
        for chunk in _chunks(ids):
            found = conn.execute(select(table.c.id, table.c.org_code).where(table.c.id.in_(chunk))).all()
            if not found:
                continue  # (nothing of this type has the id: a record of another type that has it stays)
            conn.execute(delete(ConflictRecord).where(ConflictRecord.entity == entity,
                                                      ConflictRecord.row_id.in_([f.id for f in found])))
            if cls is Attachment:
                digests += conn.execute(select(table.c.digest).where(table.c.id.in_(chunk))).scalars().all()
            conn.execute(delete(table).where(table.c.id.in_([f.id for f in found])))
            trail.extend(audit.AuditItem(now, "", ws.device_id, entity, f.id, "remote",
                                         {"org_code": [f.org_code, None]}) for f in found)
            gone += [f.id for f in found]
            removed += len(found)
    if gone:
        audit.redact(conn, gone, ws.device_id, upto=int(read_setting(conn, AUDIT_SENT, 0) or 0))
        for chunk in _chunks(gone):
            # What this device typed into them and the server applied is the server's now; an edit
            # refused or kept in a conflict stays with its value, for its author to see.
            conn.execute(update(JournalEntry).where(JournalEntry.row_id.in_(chunk), JournalEntry.state == APPLIED)
                         .values(value="null", reason=LEFT_SCOPE))
    if digests:
        queued = read_setting(conn, FILES_TO_DROP, [])
        write_setting(conn, FILES_TO_DROP, sorted(set(queued) | set(digests)))
    return removed


def _sweep_audit(conn: Connection, ws: Workspace) -> None:
    """Redact the entries the server has acknowledged since the last sweep that are about records
    this device no longer holds (they were written after the push before their record left, or
    before removals redacted at all)."""
    shipped = int(read_setting(conn, AUDIT_SENT, 0) or 0)
    swept = int(read_setting(conn, AUDIT_SWEPT, 0) or 0)
    if shipped <= swept:
        return
    upto = min(shipped, swept + SWEEP_BATCH)
    by_entity: dict[str, list[str]] = defaultdict(list)
    for entity, row_id in audit.subjects(conn, swept, upto):
        if entity in ENTITIES:
            by_entity[entity].append(row_id)
    absent: list[str] = []
    for entity, ids in by_entity.items():
        table: Table = ENTITIES[entity].__table__  # type: ignore[assignment]
        for chunk in _chunks(ids):
            held = set(conn.execute(select(table.c.id).where(table.c.id.in_(chunk))).scalars())
            absent += [i for i in chunk if i not in held]
    audit.redact(conn, absent, ws.device_id, after=swept, upto=upto)
    write_setting(conn, AUDIT_SWEPT, upto)


def drop_files(ws: Workspace) -> int:
    """Delete the attachment content queued by ``remove`` that no attachment record points at any
    more (another record may share it); returns the files deleted. Runs after the removal
    committed; what a crash leaves queued goes with the next page."""
    queued = ws.get_setting(FILES_TO_DROP, [])
    if not queued:
        return 0
    with ws.engine.connect() as conn:
        kept = set(conn.execute(select(Attachment.digest).where(Attachment.digest.in_(queued))).scalars())
    dropped = sum(ws.attachments.delete(d) for d in queued if d not in kept)
    with ws.write_engine.begin() as conn:
        left = [d for d in read_setting(conn, FILES_TO_DROP, []) if d not in queued]
        write_setting(conn, FILES_TO_DROP, left)
    return dropped


def _checkpoint(ws: Workspace) -> None:
    """Copy the WAL into the database and empty it, if no reader holds it (never waits): older
    frames there still hold the pages as they were before records were removed."""
    with ws.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA busy_timeout = 0")
        try:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        finally:
            conn.exec_driver_sql(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


# --- scope re-pull ---------------------------------------------------------------------------------

def begin_reset(ws: Workspace) -> None:
    """Start pulling the scope again from the beginning (cursor refused, or counts disagree)."""
    with ws.write_engine.begin() as conn:
        for cls in ENTITIES.values():
            table: Table = cls.__table__  # type: ignore[assignment]
            conn.execute(update(table).where(table.c.server_pos > 0).values(server_pos=-table.c.server_pos))
        write_setting(conn, CURSOR, "")
        write_setting(conn, RESET, True)


def finish_reset(ws: Workspace) -> int:
    """Remove what the re-pull did not send again: it is no longer in this device's scope."""
    trail: list[audit.AuditItem] = []
    with _server_transaction(ws) as conn:
        refs: list[tuple[str, str]] = []
        for entity, cls in ENTITIES.items():
            table: Table = cls.__table__  # type: ignore[assignment]
            refs += [(entity, i) for i in conn.execute(select(table.c.id).where(table.c.server_pos < 0)).scalars()]
        households = search_index.households_of(conn, refs)
        removed = remove(conn, ws, refs, trail)
        search_index.refresh(conn, households)
        audit.append(conn, trail)
        write_setting(conn, RESET, False)
    drop_files(ws)
    _checkpoint(ws)
    return removed


def known_count(ws: Workspace) -> int:
    """Records this device holds as the server sent them (compared with the server's scope count)."""
    total = 0
    with ws.engine.connect() as conn:
        for cls in ENTITIES.values():
            table: Table = cls.__table__  # type: ignore[assignment]
            total += conn.execute(select(func.count()).select_from(table).where(table.c.server_pos > 0)).scalar_one()
    return total


# --- the search index after a whole-scope pull -----------------------------------------------------

def rebuild_index_if_stale(ws: Workspace, write: Writer = in_place) -> int:
    """Finish what a whole-scope pull left: rebuild the search index (each batch through
    ``write``), then clear the stale flag. Returns households indexed (0 if nothing was stale)."""
    if not ws.get_setting(INDEX_STALE, False):
        return 0
    count = search.reindex(ws, write=write)
    write(partial(ws.set_setting, INDEX_STALE, False))
    return count
