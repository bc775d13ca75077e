"""Tables the store keeps for itself: the change journal (the sync outbox), the hash-chained audit
trail, device state, settings, and the conflict records sync brings in. None of them is journaled."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from caseapp.domain.base import Base
from caseapp.domain.types import UtcDateTime
from caseapp.store import names
from caseapp.store.names import APPLIED as APPLIED
from caseapp.store.names import CONFLICT as CONFLICT
from caseapp.store.names import HELD as HELD
from caseapp.store.names import LEFT_SCOPE as LEFT_SCOPE
from caseapp.store.names import MERGED as MERGED
from caseapp.store.names import OUTBOX_STATES as OUTBOX_STATES
from caseapp.store.names import PENDING as PENDING
from caseapp.store.names import REJECTED as REJECTED
from caseapp.store.names import SENT as SENT


class JournalEntry(Base):
    """One field-level change made on this device, in device-sequence order.

    ``op`` is "create" (``value`` holds every field of the new record as a JSON object) or "set"
    (``field`` and its new ``value``). ``base_pos`` is the server log position of the record this
    device had seen when the change was made: the server detects concurrent edits from it, never
    from clocks. ``hlc`` orders changes between devices; ``seq`` is the device sequence number the
    server deduplicates on.
    """

    __tablename__ = names.JOURNAL
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012  (SQLAlchemy reads it once)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tx_id: Mapped[str] = mapped_column(String(36), index=True)
    entity: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    op: Mapped[str] = mapped_column(String(8))
    field: Mapped[str | None] = mapped_column(String(64), default=None)
    value: Mapped[str] = mapped_column(Text)
    base_pos: Mapped[int | None] = mapped_column(Integer, default=None)
    hlc: Mapped[int] = mapped_column(Integer)
    device_id: Mapped[str] = mapped_column(String(64))
    author: Mapped[str] = mapped_column(String(64), default="")
    schema_version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(12), default=PENDING, index=True)
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    #: JSON: the field a refusal concerns and its message's parameters
    reason_detail: Mapped[str | None] = mapped_column(Text, default=None)
    server_pos: Mapped[int | None] = mapped_column(Integer, default=None)


class AuditEntry(Base):
    """Who changed which fields of which record, from what to what. Each entry's hash covers the
    previous entry's hash, so editing or removing any entry breaks the chain (`caseapp audit verify`)."""

    __tablename__ = names.AUDIT

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(64))
    device: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    #: create / update / archive / restore / remote
    action: Mapped[str] = mapped_column(String(12))
    #: JSON object: field → [old, new] in wire form; for records that arrived with a pulled page,
    #: one entry per type and page (row_id empty) holding {"arrived": [ids]}
    changes: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class DeviceState(Base):
    """This device's identity and its persisted hybrid logical clock (one row)."""

    __tablename__ = names.DEVICE_STATE

    device_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    hlc: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    #: head of the audit chain, so truncating the trail's tail is detected too
    audit_head: Mapped[str] = mapped_column(String(64), default="")
    audit_count: Mapped[int] = mapped_column(Integer, default=0)


class Setting(Base):
    """Key/value settings kept inside the encrypted database (server URL, token, cursor …)."""

    __tablename__ = names.SETTINGS

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ConflictRecord(Base):
    """A same-field concurrent edit the server resolved by default rule, kept for a person to confirm
    or override. Arrives from the server on every device whose scope holds the record."""

    __tablename__ = names.CONFLICTS

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    entity: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    field: Mapped[str] = mapped_column(String(64))
    org_code: Mapped[str] = mapped_column(String(24), default="")
    base_value: Mapped[str | None] = mapped_column(Text, default=None)
    winner_value: Mapped[str | None] = mapped_column(Text, default=None)
    loser_value: Mapped[str | None] = mapped_column(Text, default=None)
    winner_author: Mapped[str] = mapped_column(String(64), default="")
    loser_author: Mapped[str] = mapped_column(String(64), default="")
    winner_device: Mapped[str] = mapped_column(String(64), default="")
    loser_device: Mapped[str] = mapped_column(String(64), default="")
    winner_hlc: Mapped[int] = mapped_column(Integer, default=0)
    loser_hlc: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    #: open / resolved
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    resolved_by: Mapped[str | None] = mapped_column(String(64), default=None)
    resolution: Mapped[str | None] = mapped_column(Text, default=None)
    server_pos: Mapped[int | None] = mapped_column(Integer, default=None)
