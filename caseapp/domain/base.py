"""The declarative base and the columns every synced record carries.

A *record* is anything a caseworker creates: it has a UUIDv7 id, the org unit it belongs to (the
unit of access scope and sync), its author and device, created/updated stamps and an archived flag.
Users never hard-delete; archiving is an ordinary, journaled field change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import Boolean, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped

from caseapp.domain.fields import Label, field
from caseapp.domain.types import UtcDateTime, utcnow
from caseapp.ids import new_id
from caseapp.validation.rules import ORG_CODE, RECORD_ID

if TYPE_CHECKING:
    from caseapp.errors import ValidationError

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
    #: What the record type is called, in Chinese and English.
    label: ClassVar[Label]
    #: Facts (visits, patrol logs, notes) are never edited after creation: they cannot conflict.
    insert_only: ClassVar[bool] = False
    #: (foreign-key column, parent entity) linking a record to the record it belongs to and moves
    #: with (caseapp.domain.tree); an empty entity is named per record by ``parent_entity_field``.
    parent: ClassVar[tuple[str, str] | None] = None
    parent_entity_field: ClassVar[str | None] = None
    #: Name of the field holding the workflow state, if the record has one.
    state_field: ClassVar[str | None] = None
    #: The fields that name a record in a list or a message (a household's head and address).
    summary: ClassVar[tuple[str, ...]] = ()

    id: Mapped[str] = field(
        String(36),
        primary_key=True,
        default=new_id,
        label=("记录编号", "Record number"),
        rule=RECORD_ID,
        fixed=True,
        help="UUIDv7 (time-ordered, 36 characters) given when the record is created on any device; never changes.",
    )
    org_code: Mapped[str] = field(
        String(24),
        index=True,
        label=("所属网格/社区", "Grid or community"),
        rule=ORG_CODE,
        headings=("区划代码", "社区代码", "网格代码", "所属网格代码"),
        help="Code of the org unit (grid, community, street …) the record belongs to. Decides who may see it "
        "and which devices receive it. Required.",
    )
    author: Mapped[str] = field(
        String(64),
        default="",
        label=("录入人", "Entered by"),
        fixed=True,
        help="User who created the record. Set by the store (on the server: the authenticated user who pushed it).",
    )
    device: Mapped[str] = field(
        String(64),
        default="",
        label=("录入设备", "Entered on device"),
        fixed=True,
        help="Device the record was created on. Set by the store.",
    )
    created_at: Mapped[dt.datetime] = field(
        UtcDateTime,
        default=utcnow,
        label=("创建时间", "Created"),
        fixed=True,
        help="When the record was created. Set by the store; the server "
        "decides it from the creating device's clamped clock.",
    )
    updated_at: Mapped[dt.datetime] = field(
        UtcDateTime,
        default=utcnow,
        label=("最后修改时间", "Last changed"),
        help="When any field last changed. Set by the store on every edit.",
    )
    updated_by: Mapped[str] = field(
        String(64),
        default="",
        label=("最后修改人", "Last changed by"),
        help="User who made the last change. Set by the store on every edit.",
    )
    archived: Mapped[bool] = field(
        Boolean,
        default=False,
        label=("已归档", "Archived"),
        help="Records are never deleted: archiving hides a record from everyday lists, is journaled and audited "
        "like any edit, and can be undone. An archived record cannot be edited until it is restored.",
    )
    server_pos: Mapped[int | None] = field(
        Integer,
        default=None,
        label=("同步位置", "Sync position"),
        help="This device's record of the server log position it last saw "
        "(local bookkeeping: never journaled, never exported).",
    )

    @classmethod
    def unique_fields(cls) -> list[str]:
        """Fields no two records of this type may share (``org_unit.code``)."""
        return [c.key for c in cls.__table__.columns if c.unique and not c.primary_key]

    @classmethod
    def field_names(cls) -> list[str]:
        """All journaled fields in a stable order: meta fields first, then the type's own."""
        own = [c.key for c in cls.__table__.columns if c.key not in META_FIELDS and c.key not in LOCAL_FIELDS]
        return [*META_FIELDS, *own]

    @classmethod
    def check(cls, merged: Mapping[str, Any], out: dict[str, Any]) -> list[ValidationError]:
        """Rules across this type's fields, run once every field is valid on its own. ``merged`` is
        the record as it would be saved; derived fields may be filled into ``out``."""
        return []

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.field_names()}


ENTITIES: dict[str, type[Record]] = {}


def register(cls: type[Record]) -> type[Record]:
    """Class decorator: make a record type known to the journal, sync and export by its entity name."""
    if cls.entity in ENTITIES:
        raise RuntimeError(f"entity {cls.entity} registered twice")
    ENTITIES[cls.entity] = cls
    return cls
