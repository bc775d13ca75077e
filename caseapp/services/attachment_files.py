"""Photos and scans belonging to a record: added (encrypted into the workspace's attachment
store, labelled with what they are), read back, saved out as a copy (noted in the audit trail:
the file leaves the encrypted store) and removed (archived: the record stays, as every fact
does; the content goes once nothing points at it)."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from caseapp.domain import Attachment
from caseapp.domain.codec import entity_class
from caseapp.domain.types import utcnow
from caseapp.errors import NotFoundError
from caseapp.fileio import atomic_write_bytes
from caseapp.services import access, records
from caseapp.store import audit
from caseapp.store.workspace import Workspace


def default_kind(mime_type: str) -> str:
    """What a file most likely is before its user says: a picture is a photo, anything else a form."""
    return "photo" if mime_type.startswith("image/") else "form"


def mime_of(filename: str) -> str:
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def add(ws: Workspace, session: Session, owner: tuple[str, str], data: bytes, filename: str, *,
        kind: str | None = None, caption: str = "") -> Attachment:
    """A file for the record ``owner`` (entity, id), in its record's place, labelled ``kind``
    (the attachment_kind dictionary: 身份证件, 户口本, 收入证明 …) with an optional caption."""
    mime = mime_of(filename)
    owner_record = records.get(session, entity_class(owner[0]), owner[1])
    digest = ws.attachments.put(data)
    return records.create(session, Attachment, {
        "org_code": owner_record.org_code, "owner_entity": owner[0], "owner_id": owner[1], "digest": digest,
        "filename": filename[:200], "mime_type": mime, "size": len(data),
        "kind": kind or default_kind(mime), "caption": caption,
    })


def content(ws: Workspace, attachment: Attachment) -> bytes:
    """The file's content, decrypted; NotFoundError while it has not reached this device yet."""
    if not ws.attachments.has(attachment.digest):
        raise NotFoundError("attachment.not_here", None, name=attachment.filename)
    return ws.attachments.get(attachment.digest)


def save_copy(ws: Workspace, attachment_id: str, target: Path) -> Path:
    """Write the file, decrypted, to ``target`` (a person chose it), and note in the audit trail
    that it left the device. (On the writer: it appends to the trail.)"""
    with ws.read() as session:
        attachment = records.get(session, Attachment, attachment_id)
        data = content(ws, attachment)
    atomic_write_bytes(target, data)
    # (as a printed form's entry: what left, and where to)
    noted: dict[str, Any] = {"saved": attachment.kind, "file": target.name, "size": len(data)}
    item = audit.AuditItem(utcnow(), ws.actor, ws.device_id, Attachment.entity, attachment.id, access.EXPORT, noted)
    with ws.write_engine.begin() as conn:
        audit.append(conn, [item])
    return target


def remove(session: Session, attachment_id: str) -> Attachment:
    """Take a file off its record (archived: who added it and when stay in the record's history)."""
    attachment = records.get(session, Attachment, attachment_id)
    records.archive(session, attachment)
    return attachment
