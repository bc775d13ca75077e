"""The wire form of field values: what the journal stores, sync sends and export writes.

One canonical JSON-compatible form per column type, so that the same data always serialises to
the same bytes: datetimes as UTC ISO text, dates as 'YYYY-MM-DD', money as exact decimal text.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Boolean, Float, Integer

from caseapp.domain.base import ENTITIES, Record
from caseapp.domain.types import IsoDate, Money, UtcDateTime, format_datetime, format_decimal, parse_datetime

JsonValue = None | bool | int | float | str


@cache
def _kinds(cls: type[Record]) -> dict[str, str]:
    kinds: dict[str, str] = {}
    for column in cls.__table__.columns:
        t = column.type
        if isinstance(t, UtcDateTime):
            kinds[column.key] = "datetime"
        elif isinstance(t, IsoDate):
            kinds[column.key] = "date"
        elif isinstance(t, Money):
            kinds[column.key] = "money"
        elif isinstance(t, Boolean):
            kinds[column.key] = "bool"
        elif isinstance(t, Integer):
            kinds[column.key] = "int"
        elif isinstance(t, Float):
            kinds[column.key] = "float"
        else:
            kinds[column.key] = "str"
    return kinds


def field_kind(cls: type[Record], field: str) -> str:
    try:
        return _kinds(cls)[field]
    except KeyError:
        raise KeyError(f"{cls.entity} has no field {field!r}") from None


def to_wire(cls: type[Record], field: str, value: Any) -> JsonValue:
    if value is None:
        return None
    return to_wire_kind(field_kind(cls, field), value)


def to_wire_kind(kind: str, value: Any) -> JsonValue:
    """``to_wire`` for a field whose kind the caller has looked up already."""
    if value is None:
        return None
    if kind == "datetime":
        return format_datetime(parse_datetime(value) if isinstance(value, str) else value)
    if kind == "date":
        return (dt.date.fromisoformat(value) if isinstance(value, str) else value).isoformat()
    if kind == "money":
        return format_decimal(Decimal(str(value)))
    if kind == "bool":
        return bool(value)
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    return str(value)


def from_wire(cls: type[Record], field: str, value: JsonValue) -> Any:
    if value is None:
        return None
    return from_wire_kind(field_kind(cls, field), value)


def from_wire_kind(kind: str, value: JsonValue) -> Any:
    """``from_wire`` for a field whose kind the caller has looked up already."""
    if value is None:
        return None
    if kind == "datetime":
        return parse_datetime(str(value))
    if kind == "date":
        return dt.date.fromisoformat(str(value))
    if kind == "money":
        return Decimal(str(value))
    if kind == "bool":
        return bool(value)
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    return str(value)


def record_to_wire(record: Record) -> dict[str, JsonValue]:
    cls = type(record)
    return {name: to_wire(cls, name, getattr(record, name)) for name in cls.field_names()}


def dumps(value: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, UTF-8 text kept as is (deterministic bytes)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def entity_class(entity: str) -> type[Record]:
    try:
        return ENTITIES[entity]
    except KeyError:
        from caseapp.errors import ValidationError

        raise ValidationError("record.unknown_type", "type", type=entity) from None
