"""Checking pushed field values against the record types the server knows (``caseapp.domain``).

The server stores wire values, never ORM objects, but it must refuse anything a device could not
store back: unknown fields, values of the wrong JSON type, unparseable dates or amounts, missing
required fields, text that no database can hold. A refused value is one rejected operation.
"""

from __future__ import annotations

import math
from decimal import Decimal
from functools import cache
from typing import Any

from caseapp.domain import ENTITIES, Record
from caseapp.domain.codec import JsonValue, field_kind, from_wire, to_wire
from sync.server.errors import Rejected

# Fields the server stamps itself; a device may send them in a create but never set them later.
STAMPED = frozenset({"id", "author", "device", "created_at", "updated_at", "updated_by"})
MAX_TEXT = 100_000
MAX_INT = 1 << 62


def entity_class(entity: str) -> type[Record]:
    cls = ENTITIES.get(entity)
    if cls is None:
        raise Rejected("sync.unknown_entity")
    return cls


@cache
def field_set(cls: type[Record]) -> frozenset[str]:
    return frozenset(cls.field_names())


@cache
def unique_fields(cls: type[Record]) -> frozenset[str]:
    """Fields a workspace keeps unique (``org_unit.code``): the server must hold them unique too,
    or a device could not store what it pulls."""
    return frozenset(cls.unique_fields())


@cache
def required_fields(cls: type[Record]) -> frozenset[str]:
    """Columns that may not be NULL and have no default: a create must bring them."""
    return frozenset(c.key for c in cls.__table__.columns
                     if not c.nullable and c.default is None and not c.primary_key)


@cache
def defaults(cls: type[Record]) -> dict[str, JsonValue]:
    """Wire values of scalar column defaults, filled into creates that leave those fields out."""
    found: dict[str, JsonValue] = {}
    fields = set(cls.field_names())
    for column in cls.__table__.columns:
        default = column.default
        if column.key in fields and default is not None and getattr(default, "is_scalar", False):
            found[column.key] = to_wire(cls, column.key, getattr(default, "arg", None))
        elif column.key in fields and column.nullable and default is None:
            found[column.key] = None
    return found


@cache
def references(cls: type[Record]) -> dict[str, str]:
    """Foreign-key fields and the entity each points at."""
    by_table = {c.__tablename__: c.entity for c in ENTITIES.values()}
    found: dict[str, str] = {}
    for column in cls.__table__.columns:
        for fk in column.foreign_keys:
            target = by_table.get(fk.column.table.name)
            if target is not None:
                found[column.key] = target
    return found


def canonical(cls: type[Record], field: str, value: Any) -> JsonValue:
    """The canonical wire form of ``value`` for ``field``, or Rejected."""
    if field not in field_set(cls):
        raise Rejected("sync.unknown_field")
    if value is None:
        if field in required_fields(cls) or field in ("org_code", "archived"):
            raise Rejected("sync.bad_value")
        return None
    kind = field_kind(cls, field)
    if kind == "bool":
        ok = isinstance(value, bool)
    elif kind == "int":
        ok = isinstance(value, int) and not isinstance(value, bool) and abs(value) < MAX_INT
    elif kind == "float":
        ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    else:
        ok = isinstance(value, str) and len(value) <= MAX_TEXT and storable(value)
    if not ok:
        raise Rejected("sync.bad_value")
    try:
        result = to_wire(cls, field, from_wire(cls, field, value))
    except (ValueError, TypeError, ArithmeticError, OverflowError):
        raise Rejected("sync.bad_value") from None
    if kind == "money" and not Decimal(str(result)).is_finite():
        raise Rejected("sync.bad_value")
    if field == "org_code" and not (isinstance(result, str) and result.isdigit() and len(result) <= 24):
        raise Rejected("sync.bad_value")
    return result


def storable(text: str) -> bool:
    """UTF-8 encodable (no lone surrogates); PostgreSQL text also refuses NUL."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text
