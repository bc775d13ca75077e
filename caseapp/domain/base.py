"""The declarative base and the columns every synced record carries.

A *record* is anything a caseworker creates: it has a UUIDv7 id, the org unit it belongs to (the
unit of access scope and sync), its author and device, created/updated stamps and an archived flag.
Users never hard-delete; archiving is an ordinary, journaled field change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import Boolean, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from caseapp.domain.types import UtcDateTime, utcnow
from caseapp.ids import new_id

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


# Columns maintained by the store itself rather than typed by a user.
META_FIELDS = ("id", "org_code", "author", "device", "created_at", "updated_at", "updated_by", "archived")
# Local sync bookkeeping: never journaled, never exported.
LOCAL_FIELDS = ("server_pos",)
# Stamps that move with every edit: merged by clock order, never reported as conflicts.
SILENT_FIELDS = ("updated_at", "updated_by")


class Record(Base):
    """Abstract base of every synced, journaled, audited record type."""

    __abstract__ = True
    #: Name used in the journal, sync protocol and exports.
    entity: ClassVar[str]
    #: Facts (visits, patrol logs, notes) are never edited after creation: they cannot conflict.
    insert_only: ClassVar[bool] = False
    #: (foreign-key column, parent entity) linking a record to the record it belongs to.
    parent: ClassVar[tuple[str, str] | None] = None
    #: Name of the field holding the workflow state, if the record has one.
    state_field: ClassVar[str | None] = None

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_code: Mapped[str] = mapped_column(String(24), index=True)
    author: Mapped[str] = mapped_column(String(64), default="")
    device: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(64), default="")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    server_pos: Mapped[int | None] = mapped_column(Integer, default=None)

    @classmethod
    def unique_fields(cls) -> list[str]:
        """Fields no two records of this type may share (``org_unit.code``)."""
        return [c.key for c in cls.__table__.columns if c.unique and not c.primary_key]

    @classmethod
    def field_names(cls) -> list[str]:
        """All journaled fields in a stable order: meta fields first, then the type's own."""
        own = [c.key for c in cls.__table__.columns if c.key not in META_FIELDS and c.key not in LOCAL_FIELDS]
        return [*META_FIELDS, *own]

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.field_names()}


ENTITIES: dict[str, type[Record]] = {}


def register(cls: type[Record]) -> type[Record]:
    """Class decorator: make a record type known to the journal, sync and export by its entity name."""
    if cls.entity in ENTITIES:
        raise RuntimeError(f"entity {cls.entity} registered twice")
    ENTITIES[cls.entity] = cls
    return cls
