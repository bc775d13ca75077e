"""Attachment references: a photo or scanned form belonging to a record, stored encrypted and
addressed by the SHA-256 of its plaintext (see caseapp.crypto.attachments)."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from caseapp.domain.base import Record, register


@register
class Attachment(Record):
    __tablename__ = "attachments"
    entity = "attachment"
    insert_only = True

    owner_entity: Mapped[str] = mapped_column(String(32))
    owner_id: Mapped[str] = mapped_column(String(36), index=True)
    digest: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(200), default="")
    mime_type: Mapped[str] = mapped_column(String(60), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer, default=0)
    #: photo / consent / id_scan / form / other
    kind: Mapped[str] = mapped_column(String(16), default="photo")
    caption: Mapped[str] = mapped_column(String(200), default="")
