"""Attachment content on the server: chunked, resumable, content-addressed uploads.

Content lives in the database (``attachment_chunks``), not on a local disk, so any app process
behind a load balancer can serve any chunk. An upload names the SHA-256 of the whole content and
its size first; chunks must arrive in order at the offset the server reports (a client that lost
its connection asks for the offset and continues); the digest is checked when the last byte
arrives, and only then does the attachment count as present. Records of type ``attachment`` are
refused until their content is complete.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from sqlalchemy import Connection, delete, insert, select, update

from sync import protocol as p
from sync.server import schema
from sync.server.auth import Principal
from sync.server.errors import ApiError


def status(conn: Connection, digest: str) -> p.AttachmentStatus | None:
    row = conn.execute(select(schema.attachments).where(schema.attachments.c.digest == digest)).first()
    if row is None:
        return None
    return p.AttachmentStatus(digest=digest, size=row.size, received=row.received, complete=row.complete)


def missing(conn: Connection, digests: Iterable[str]) -> list[str]:
    wanted = sorted(set(digests))
    have = set(conn.execute(select(schema.attachments.c.digest).where(
        schema.attachments.c.digest.in_(wanted), schema.attachments.c.complete.is_(True))).scalars())
    return [d for d in wanted if d not in have]


def put_chunk(conn: Connection, who: Principal, digest: str, size: int, offset: int, data: bytes) -> p.AttachmentStatus:
    if not 0 < size <= p.MAX_ATTACHMENT:
        raise ApiError(413, "sync.attachment_too_large")
    current = status(conn, digest)
    if current is None:
        conn.execute(insert(schema.attachments).values(digest=digest, size=size, received=0, complete=False,
                                                       uploaded_by=who.user))
        current = p.AttachmentStatus(digest=digest, size=size, received=0, complete=False)
    if current.complete:
        return current
    if size != current.size:
        raise ApiError(409, "sync.attachment_size_mismatch")
    if offset != current.received or not data or offset + len(data) > size:
        # The client resumes from ``received``; anything else is a stale or forged retry.
        raise ApiError(409, "sync.attachment_offset", received=current.received)
    conn.execute(insert(schema.attachment_chunks).values(digest=digest, offset=offset, data=data))
    received = offset + len(data)
    complete = False
    if received == size:
        if _digest(conn, digest) != digest:
            # Corrupt upload: forget it entirely so the client starts over.
            conn.execute(delete(schema.attachment_chunks).where(schema.attachment_chunks.c.digest == digest))
            conn.execute(delete(schema.attachments).where(schema.attachments.c.digest == digest))
            raise ApiError(422, "sync.attachment_digest_mismatch")
        complete = True
    conn.execute(update(schema.attachments).where(schema.attachments.c.digest == digest)
                 .values(received=received, complete=complete))
    return p.AttachmentStatus(digest=digest, size=size, received=received, complete=complete)


def _digest(conn: Connection, digest: str) -> str:
    h = hashlib.sha256()
    for chunk in conn.execute(select(schema.attachment_chunks.c.data)
                              .where(schema.attachment_chunks.c.digest == digest)
                              .order_by(schema.attachment_chunks.c.offset)).scalars():
        h.update(chunk)
    return h.hexdigest()


def read(conn: Connection, who: Principal, digest: str, offset: int, length: int) -> bytes:
    """A slice of the content, if an attachment record in the device's scope references it."""
    current = status(conn, digest)
    if current is None or not current.complete or not _visible(conn, who, digest):
        raise ApiError(404, "sync.attachment_missing")
    out = bytearray()
    rows = conn.execute(select(schema.attachment_chunks.c.offset, schema.attachment_chunks.c.data)
                        .where(schema.attachment_chunks.c.digest == digest)
                        .order_by(schema.attachment_chunks.c.offset))
    end = offset + length
    for start, data in rows:
        stop = start + len(data)
        if stop <= offset or start >= end:
            continue
        out += data[max(0, offset - start):min(len(data), end - start)]
    return bytes(out)


def _visible(conn: Connection, who: Principal, digest: str) -> bool:
    if who.everything:
        return True
    # Attachment records are few per household; scanning those of this digest is cheap.
    rows = conn.execute(select(schema.records.c.org_code, schema.records.c.fields)
                        .where(schema.records.c.entity == "attachment",
                               schema.records.c.fields.contains(digest)))
    return any(who.covers(org) and json.loads(fields).get("digest") == digest for org, fields in rows)
