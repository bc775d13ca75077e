"""Attachment content on the server: chunked, resumable, content-addressed uploads, and who may see it.

Content lives in the database (``attachment_chunks``), not on a local disk, so any app process
behind a load balancer can serve any chunk. An upload names the SHA-256 of the whole content and
its size; chunks must arrive in order at the offset the server reports (a client that lost its
connection asks for the offset and continues; offset 0 starts its upload over); the digest is
checked when the last byte arrives, and only then is the content stored.

Knowing a digest proves nothing: digests are on every device in a record's scope, in exports and in
logs. So a device may *see* content (its status, whether the server holds it) only if

* an attachment record in its scope points at it (the server holds it for that scope), or
* it proved it holds the bytes by uploading all of them itself: a *grant*, per user and device.

and *read* it only through an attachment record in its scope. For every other digest each answer is
exactly the one for content the server never had, sizes included. Whoever holds the bytes can
always prove it: an upload of content already stored is checked against the digest like any
other, then granted, and its chunks dropped, so the content is still stored once. An attachment
record is accepted only if its creator may see its content (``check_create``, called by the merge),
so a record cannot be used to reach content its author never had.

Uploads belong to their uploader (user and device) until complete: another user's bytes at offset 0
block nobody. An upload idle for ``UPLOAD_TTL_MS`` is dropped, with its chunks, when a new upload
starts.

Concurrency (PostgreSQL runs these transactions in parallel; SQLite writes one at a time): an
upload's row is created with ``INSERT … ON CONFLICT DO NOTHING`` and then locked (``SELECT … FOR
UPDATE``), so chunks of one upload are applied one at a time and a duplicate at a taken offset is a
409, never a duplicate key; content and grants are inserted the same way, so two uploaders
completing one digest at once store it once.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, Row, Table, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from sync import protocol as p
from sync.server import schema
from sync.server.auth import Principal
from sync.server.errors import ApiError, Rejected

#: an incomplete upload idle this long is dropped (its uploader starts it again)
UPLOAD_TTL_MS = 24 * 3600 * 1000
#: stale uploads dropped per new upload, so one request never does unbounded clean-up
EXPIRE_BATCH = 100
#: digests per records scan (each is one LIKE term)
_SCAN_BATCH = 50

_content = schema.attachments.c
_upload = schema.attachment_uploads.c
_chunk = schema.attachment_chunks.c
_grant = schema.attachment_grants.c


# --- what a device may see ---------------------------------------------------------------------------

def status(conn: Connection, who: Principal, digest: str) -> p.AttachmentStatus | None:
    """Complete, if the server holds the content and this device may see it; else this device's own
    upload in progress; else None (as for content nobody uploaded)."""
    size = _held(conn, [digest]).get(digest)
    if size is not None and digest in visible(conn, who, [digest]):
        return p.AttachmentStatus(digest=digest, size=size, received=size, complete=True)
    upload = conn.execute(select(schema.attachment_uploads).where(*_own(who, digest))).first()
    if upload is not None:
        return p.AttachmentStatus(digest=digest, size=upload.size, received=upload.received, complete=False)
    return None


def missing(conn: Connection, who: Principal, digests: Iterable[str]) -> list[str]:
    """Which of these digests this device must upload: all but those held that it may see."""
    wanted = sorted(set(digests))
    seen = visible(conn, who, list(_held(conn, wanted)))
    return [d for d in wanted if d not in seen]


def check_create(conn: Connection, who: Principal, entity: str, fields: Mapping[str, Any]) -> None:
    """A new attachment record needs content its creator may see: content first, then the record."""
    if entity != "attachment":
        return
    digest = str(fields.get("digest"))
    if digest not in _held(conn, [digest]) or digest not in visible(conn, who, [digest]):
        raise Rejected("sync.attachment_missing")


def visible(conn: Connection, who: Principal, digests: Collection[str]) -> set[str]:
    """Those of ``digests`` this device holds a grant for or reaches through a record in its scope."""
    if not digests:
        return set()
    granted = set(conn.execute(select(_grant.digest).where(
        _grant.digest.in_(list(digests)), _grant.user_name == who.user, _grant.device_id == who.device_id)).scalars())
    return granted | _in_scope(conn, who, [d for d in digests if d not in granted])


def _in_scope(conn: Connection, who: Principal, digests: list[str]) -> set[str]:
    """Those of ``digests`` an attachment record in this device's scope points at."""
    found: set[str] = set()
    r = schema.records.c
    for start in range(0, len(digests), _SCAN_BATCH):
        batch = set(digests[start:start + _SCAN_BATCH])
        # Attachment records are few per household; scanning those mentioning these digests is cheap.
        rows = conn.execute(select(r.org_code, r.fields).where(
            r.entity == "attachment", or_(*(r.fields.contains(d) for d in batch))))
        for org, fields in rows:
            digest = json.loads(fields).get("digest")
            if digest in batch and who.covers(org):
                found.add(digest)
    return found


def _held(conn: Connection, digests: Collection[str]) -> dict[str, int]:
    """Size of each of ``digests`` whose content the server holds."""
    if not digests:
        return {}
    return {d: int(s) for d, s in conn.execute(select(_content.digest, _content.size)
                                                .where(_content.digest.in_(list(digests))))}


def _own(who: Principal, digest: str) -> tuple[Any, ...]:
    return _upload.digest == digest, _upload.user_name == who.user, _upload.device_id == who.device_id


# --- uploading ---------------------------------------------------------------------------------------

def put_chunk(conn: Connection, who: Principal, digest: str, size: int, offset: int, data: bytes,
              now_ms: int) -> p.AttachmentStatus:
    """Take one chunk of this device's upload of ``digest`` (in the caller's write transaction)."""
    if not 0 < size <= p.MAX_ATTACHMENT:
        raise ApiError(413, "sync.attachment_too_large")
    done = status(conn, who, digest)
    if done is not None and done.complete:
        return done  # nothing left to prove
    upload = _open_upload(conn, who, digest, size, now_ms)
    if offset == 0 and (upload.received or upload.size != size):
        # The uploader starts over (it lost track, its content changed size, its last try failed
        # the digest check): only its own upload is reset.
        conn.execute(delete(schema.attachment_chunks).where(_chunk.blob == upload.id))
        conn.execute(update(schema.attachment_uploads).where(_upload.id == upload.id).values(size=size, received=0))
        received = 0
    elif size != upload.size:
        raise ApiError(409, "sync.attachment_size_mismatch")
    else:
        received = upload.received
    if offset != received or not data or offset + len(data) > size:
        # The client resumes from ``received``; anything else is a stale or duplicated retry.
        raise ApiError(409, "sync.attachment_offset", received=received)
    conn.execute(schema.attachment_chunks.insert().values(blob=upload.id, offset=offset, data=data))
    received = offset + len(data)
    if received < size:
        conn.execute(update(schema.attachment_uploads).where(_upload.id == upload.id)
                     .values(received=received, updated_ms=now_ms))
        return p.AttachmentStatus(digest=digest, size=size, received=received, complete=False)
    if _digest_of(conn, upload.id) != digest:
        # Nothing is kept of this request (its transaction rolls back); the client starts over at 0.
        raise ApiError(422, "sync.attachment_digest_mismatch")
    if not _insert_new(conn, schema.attachments, {"digest": digest, "size": size, "blob": upload.id,
                                                  "stored_ms": now_ms}):
        # Someone stored this content first: keep one copy; this upload only proved possession.
        conn.execute(delete(schema.attachment_chunks).where(_chunk.blob == upload.id))
    conn.execute(delete(schema.attachment_uploads).where(_upload.id == upload.id))
    _insert_new(conn, schema.attachment_grants, {"digest": digest, "user_name": who.user,
                                                 "device_id": who.device_id, "granted_ms": now_ms})
    return p.AttachmentStatus(digest=digest, size=size, received=size, complete=True)


def _open_upload(conn: Connection, who: Principal, digest: str, size: int, now_ms: int) -> Row[Any]:
    """This device's upload of ``digest``, created if new, locked until the transaction ends."""
    fresh = uuid.uuid4().hex
    if _insert_new(conn, schema.attachment_uploads, {"id": fresh, "digest": digest, "user_name": who.user,
                                                     "device_id": who.device_id, "size": size, "received": 0,
                                                     "updated_ms": now_ms}):
        _expire(conn, now_ms)
    upload = conn.execute(select(schema.attachment_uploads).where(*_own(who, digest)).with_for_update()).first()
    if upload is None:  # expired by a concurrent upload between our insert and the lock
        raise ApiError(409, "sync.attachment_offset", received=0)
    return upload


def _expire(conn: Connection, now_ms: int) -> None:
    """Drop uploads idle for longer than UPLOAD_TTL_MS (a batch of them), with their chunks."""
    query = select(_upload.id).where(_upload.updated_ms < now_ms - UPLOAD_TTL_MS).limit(EXPIRE_BATCH)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)  # one being written to now is not stale
    stale = list(conn.execute(query).scalars())
    if stale:
        conn.execute(delete(schema.attachment_chunks).where(_chunk.blob.in_(stale)))
        conn.execute(delete(schema.attachment_uploads).where(_upload.id.in_(stale)))


def _insert_new(conn: Connection, table: Table, values: dict[str, Any]) -> bool:
    """Insert unless a row with the same key exists (one atomic statement); True if inserted."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    key = next(iter(table.primary_key.columns))
    # RETURNING rather than rowcount, which drivers report as -1 for this statement.
    statement = dialect.insert(table).values(values).on_conflict_do_nothing().returning(key)
    return conn.execute(statement).first() is not None


def _digest_of(conn: Connection, blob: str) -> str:
    h = hashlib.sha256()
    for chunk in conn.execute(select(_chunk.data).where(_chunk.blob == blob).order_by(_chunk.offset)).scalars():
        h.update(chunk)
    return h.hexdigest()


# --- reading -----------------------------------------------------------------------------------------

def read(conn: Connection, who: Principal, digest: str, offset: int, length: int) -> bytes:
    """A slice of the content, if an attachment record in the device's scope references it."""
    held = conn.execute(select(_content.blob).where(_content.digest == digest)).scalar_one_or_none()
    if held is None or not _in_scope(conn, who, [digest]):
        raise ApiError(404, "sync.attachment_missing")
    end = offset + length
    out = bytearray()
    # Chunks are at most ATTACHMENT_CHUNK long, so only those starting in this window can overlap.
    rows = conn.execute(select(_chunk.offset, _chunk.data)
                        .where(_chunk.blob == held, _chunk.offset < end, _chunk.offset > offset - p.ATTACHMENT_CHUNK)
                        .order_by(_chunk.offset))
    for start, data in rows:
        stop = start + len(data)
        if stop <= offset or start >= end:
            continue
        out += data[max(0, offset - start):min(len(data), end - start)]
    return bytes(out)


def content(conn: Connection, digest: str) -> bytes | None:
    """The whole content of ``digest``, for administrators and checks (no scope applies)."""
    held = conn.execute(select(_content.blob).where(_content.digest == digest)).scalar_one_or_none()
    if held is None:
        return None
    return b"".join(conn.execute(select(_chunk.data).where(_chunk.blob == held).order_by(_chunk.offset)).scalars())
