"""Checking pushed values with the device's own rules (``caseapp.services.validate``).

The server stores wire values, never ORM objects, but it must refuse anything a device would
refuse or could not store back: it runs the same ``clean`` on every pushed value that a form, an
import and an Excel ledger run on the device, judged by the server's clock, and keeps the canonical
wire form it answers with. A refused value is one rejected operation, naming the field and reason.

Times a caseworker records (visits, events) must not lie in the future. A device whose clock runs
a little fast would have every visit refused for it, so a time at most ``MAX_FUTURE_CLAMP_MS``
ahead of the server's clock is clamped to the server's time (the verdict says so); further ahead it
is refused with the device's own message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cache
from typing import Any

from caseapp.domain import ENTITIES, Record
from caseapp.domain.codec import JsonValue, field_kind, to_wire
from caseapp.domain.fields import all_facts
from caseapp.domain.types import parse_datetime
from caseapp.errors import ValidationErrors
from caseapp.services.validate import clean_wire
from caseapp.validation.times import city_today
from sync.server.errors import Rejected

# Fields the server stamps itself; a device may send them in a create but they are not kept.
STAMPED = frozenset({"id", "author", "device", "created_at", "updated_at", "updated_by"})
MAX_FUTURE_CLAMP_MS = 7 * 24 * 3600 * 1000


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


@cache
def judged_on_create(cls: type[Record]) -> frozenset[str]:
    """The fields whose value in a create ``merge.Batch._allowed`` may refuse: kept unique, a
    member's ID number, the org code and references. (Insert-only is an edit's check.) For any
    other field it answers the value unchanged, so a create skips it."""
    person = {"id_number"} if cls.entity == "member" else set()
    return frozenset({*unique_fields(cls), *references(cls), "org_code", *person})


@cache
def _past_times(cls: type[Record]) -> frozenset[str]:
    return frozenset(name for name, facts in all_facts(cls).items() if facts.past)


def clamp_times(cls: type[Record], values: Mapping[str, Any], now: dt.datetime) -> tuple[dict[str, Any], bool]:
    """Times that must not be in the future, a little ahead of ``now``, brought back to ``now``."""
    out = dict(values)
    clamped = False
    for name in _past_times(cls) & set(values):
        raw = values[name]
        if not isinstance(raw, str):
            continue
        kind = field_kind(cls, name)
        try:
            if kind == "datetime":
                moment = parse_datetime(raw)
                ahead_ms = (moment - now).total_seconds() * 1000
                if 5 * 60 * 1000 < ahead_ms <= MAX_FUTURE_CLAMP_MS:
                    out[name], clamped = to_wire(cls, name, now), True
            elif kind == "date":
                day, today = dt.date.fromisoformat(raw), city_today(now)
                if today < day <= city_today(now + dt.timedelta(milliseconds=MAX_FUTURE_CLAMP_MS)):
                    out[name], clamped = today.isoformat(), True
        except (ValueError, OverflowError):
            continue  # not a time at all: clean() says so
    return out, clamped


def _storable(value: Any) -> Any:
    """A message parameter as the ledger and the answer can carry it: a refused value may hold
    what no database or UTF-8 text can (a lone surrogate), which becomes U+FFFD here."""
    if isinstance(value, bool | int | float) or value is None:
        return value
    return str(value).encode("utf-8", "replace").decode("utf-8").replace("\x00", "\ufffd")


def refusal(errors: ValidationErrors) -> Rejected:
    """The first problem of a value the device's rules refuse, as a verdict's reason."""
    first = errors.errors[0]
    # the field too: it may be a key the device made up (a created record's value is any object)
    field = None if first.field is None else _storable(first.field)
    return Rejected(first.key, field, **{k: _storable(v) for k, v in first.params.items()})


def checked(cls: type[Record], values: Mapping[str, Any], *, now: dt.datetime, partial: bool,
            current: Mapping[str, JsonValue] | None = None) -> tuple[dict[str, JsonValue], bool]:
    """Canonical wire values by the device's rules, and whether a time was clamped; or Rejected."""
    values, clamped = clamp_times(cls, values, now)
    try:
        return clean_wire(cls, values, partial=partial, current=current, now=now), clamped
    except ValidationErrors as errors:
        raise refusal(errors) from None
