"""Attachment references: a photo or scanned form belonging to a record, stored encrypted and
addressed by the SHA-256 of its plaintext (see caseapp.crypto.attachments)."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped

from caseapp.domain.base import Record, register
from caseapp.domain.fields import field
from caseapp.validation.rules import DIGEST, MIME_TYPE, RECORD_ID


@register
class Attachment(Record):
    """A photo or scanned document (consent form, ID scan, signed form) belonging to any record. The file
    itself is stored encrypted outside the database, addressed by the SHA-256 of its content; this
    record holds the reference and description. A fact: never edited."""

    __tablename__ = "attachments"
    entity = "attachment"
    label = ("附件", "Attachment")
    summary = ("kind", "filename")
    insert_only = True
    #: belongs to the record its owner fields name, whatever its type (see caseapp.domain.tree)
    parent = ("owner_id", "")
    parent_entity_field = "owner_entity"

    owner_entity: Mapped[str] = field(
        String(32), label=("所属记录类型", "Owner record type"), help="Record type of the record the file belongs to."
    )
    owner_id: Mapped[str] = field(
        String(36),
        index=True,
        label=("所属记录", "Owner record"),
        rule=RECORD_ID,
        help="Id of the record the file belongs to.",
    )
    digest: Mapped[str] = field(
        String(64),
        label=("文件摘要（SHA-256）", "Content digest (SHA-256)"),
        rule=DIGEST,
        help="SHA-256 of the file's plaintext, hex; also its address in the encrypted store.",
    )
    filename: Mapped[str] = field(
        String(200), default="", label=("文件名", "File name"), personal=True, help="Original file name."
    )
    mime_type: Mapped[str] = field(
        String(60),
        default="application/octet-stream",
        label=("文件格式", "File format (MIME type)"),
        rule=MIME_TYPE,
        help="File format, e.g. `image/jpeg`.",
    )
    size: Mapped[int] = field(
        Integer, default=0, label=("文件大小（字节）", "Size (bytes)"), help="Size of the plaintext in bytes."
    )
    kind: Mapped[str] = field(
        String(16),
        default="photo",
        label=("附件类别", "Attachment type"),
        codes="attachment_kind",
        help="What the file is: a photo on site, an ID card, the hukou, proof of income, a consent form …",
    )
    caption: Mapped[str] = field(
        String(200), default="", label=("说明文字", "Caption"), personal=True, help="Caption shown with the file."
    )
