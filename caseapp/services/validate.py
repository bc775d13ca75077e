"""Field and record validation for every record type, shared by forms, imports and the server.

``clean()`` turns raw input (text from a form or an import file, typed values, or values pushed to
the server) into the typed, normalised values a record stores, and reports *every* problem at once
as ValidationErrors, each naming its field and record type. Nothing is written until a record is
clean. Every rule comes from the model (``caseapp.domain.fields``): the column's type and length,
its code list or workflow, its field rules and whether a form must fill it. The server calls the
same function (``clean_wire``) on what devices push, so no device can store what another device, or
its own import, would refuse.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from caseapp import refdata
from caseapp import validation as v
from caseapp.domain.base import META_FIELDS, Record
from caseapp.domain.codec import JsonValue, field_kind, from_wire, from_wire_kind, to_wire_kind
from caseapp.domain.fields import Facts, all_facts, max_length
from caseapp.errors import ValidationError, ValidationErrors
from caseapp.messages import CATALOGUE
from caseapp.services.workflows import machine_for
from caseapp.validation.dates import parse_date_text
from caseapp.validation.rules import EARLIEST_YEAR, LATEST_YEAR, NON_NEGATIVE, RECORD_ID

#: Unbounded text columns (Text) still have a ceiling: a note is not a book.
MAX_TEXT = 100_000
EMPTY = (None, "")

# Names ledgers and older systems write instead of the code, beyond each entry's own labels.
ALIASES: dict[str, dict[str, str]] = {
    "education": {"研究生": "10", "博士": "10", "硕士": "10", "本科": "20", "大专": "30", "专科": "30",
                  "中专": "40", "中技": "40", "职高": "40", "技校": "40", "高中": "60", "初中": "70",
                  "小学": "80", "文盲": "90", "半文盲": "90", "文盲或半文盲": "90", "其他": "90"},
    "ethnicity": {"穿青人": "97", "其他": "97"},
}

# What a strict (wire) value must be, per kind, and how the message names it.
_EXPECTED = {"bool": "true/false", "int": "integer", "float": "number", "str": "text", "date": "date text",
             "datetime": "time text", "money": "amount text"}


def code_of(dictionary: str, text: str) -> str:
    """A dictionary's code from what people write: the code itself, its Chinese or English label
    (户主 → 02, 汉族 → 01, 本科 → 20), or a common short form (汉 → 01). Anything else comes back
    as it is, for the code-list check to refuse with the field named."""
    text = text.strip()
    if text in code_set(dictionary):
        return text
    for code, labels in refdata.dictionary(dictionary).items():
        if text in (labels["zh"], labels["zh"].removesuffix("族")) or text.lower() == labels["en"].lower():
            return code
    return ALIASES.get(dictionary, {}).get(text, text)


#: The rules the code sets below were read from, and the sets: rebuilt when ``refdata.install_rules``
#: puts other rules in force (a deployment's own dictionaries), so a cached set is never stale.
_code_sets: tuple[refdata.Rules | None, dict[str, frozenset[str]]] = (None, {})


def code_set(dictionary: str) -> frozenset[str]:
    """The codes of a dictionary in the rules in force, as a set (what every coded value is checked
    against; a value of every record of a first push, so not a fresh copy of the labels each time)."""
    global _code_sets
    active = refdata.rules()
    source, sets = _code_sets
    if source is not active:
        source, sets = _code_sets = (active, {})
    found = sets.get(dictionary)
    if found is None:
        found = sets[dictionary] = frozenset(active.codes(dictionary))
    return found


def choices(cls: type[Record], name: str) -> list[str]:
    """The values a coded or workflow field may take (empty for free fields)."""
    facts = all_facts(cls)[name]
    if facts.codes:
        return list(refdata.codes(facts.codes))
    machine = machine_for(_machine_name(cls, name, facts) or "")
    return list(machine.states) if machine else []


def _machine_name(cls: type[Record], name: str, facts: Facts) -> str | None:
    if facts.states:
        return facts.states
    return cls.entity if name == cls.state_field else None


# --- one value ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Spec:
    """What checking one field's value needs, read once from the model per (record type, field)
    rather than for every value. Nothing here depends on the rules in force: code sets are looked
    up per value (``code_set``), so ``refdata.install_rules`` is honoured at once."""

    facts: Facts
    kind: str
    nullable: bool
    default: Any
    #: the longest text the column holds (String(n)), else MAX_TEXT
    ceiling: int
    rules: tuple[Any, ...]
    #: a workflow's states (a field without a code list that names a state machine)
    states: frozenset[str]


@cache
def _spec(cls: type[Record], field: str) -> _Spec:
    facts = all_facts(cls)[field]
    machine = None if facts.codes else machine_for(_machine_name(cls, field, facts) or "")
    return _Spec(facts=facts, kind=field_kind(cls, field), nullable=_nullable(cls, field),
                 default=_default(cls, field), ceiling=max_length(cls, field) or MAX_TEXT,
                 rules=_default_rules(cls, field), states=frozenset(machine.states) if machine else frozenset())


def _nullable(cls: type[Record], field: str) -> bool:
    return bool(cls.__table__.columns[field].nullable)


def _default(cls: type[Record], field: str) -> Any:
    default = cls.__table__.columns[field].default
    if default is not None and getattr(default, "is_scalar", False):
        return default.arg
    return None


def _strict_type(kind: str, value: Any) -> bool:
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "float":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "money":
        return isinstance(value, str | int) and not isinstance(value, bool)
    return isinstance(value, str)


def _text(value: str, limit: int | None, field: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError("record.bad_text", field) from None
    if "\x00" in value:  # PostgreSQL text refuses NUL, and no form can type one
        raise ValidationError("record.bad_text", field)
    ceiling = limit or MAX_TEXT
    if len(value) > ceiling:
        raise ValidationError("record.too_long", field, max=ceiling, length=len(value))
    return value


def _year(value: dt.date, field: str) -> None:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValidationError("record.year_out_of_range", field, year=value.year, earliest=EARLIEST_YEAR,
                              latest=LATEST_YEAR)


def convert(cls: type[Record], field: str, value: Any, *, strict: bool = False) -> Any:
    """Raw value → stored Python type, or a ValidationError naming the field. ``strict`` (values
    pushed over the wire) also refuses values of the wrong JSON type instead of reading them."""
    spec = _spec(cls, field)
    kind = spec.kind
    if value in EMPTY:
        if spec.nullable:
            return None
        if kind == "str":
            return ""
        # A cleared number or flag falls back to the field's default (0, false), if it has one.
        default = spec.default
        if default is not None:
            return default
        raise ValidationError("record.required", field)
    if strict and not _strict_type(kind, value):
        raise ValidationError("record.bad_type", field, expected=_EXPECTED[kind])
    try:
        if kind == "money":
            return v.check_amount(value, field)
        if kind in ("date", "datetime") and isinstance(value, dt.date):
            converted: Any = value
        elif kind == "date" and isinstance(value, str) and not strict:
            converted = parse_date_text(value)  # 2026/12/1, 2026.12.1, 20261201 as typed
        elif kind == "bool" and isinstance(value, str):
            lowered = value.strip().lower()
            if lowered not in ("true", "false", "1", "0", "是", "否", "yes", "no"):
                raise ValueError(value)
            converted = lowered in ("true", "1", "是", "yes")
        elif kind == "int" and not isinstance(value, int):
            converted = v.check_count(value, field, minimum=-(2**62))
        elif kind == "int" and isinstance(value, bool):
            raise ValueError(value)
        elif kind == "float" and isinstance(value, str):
            converted = float(value.strip())
        else:
            converted = from_wire_kind(kind, value)
    except ValidationError:
        raise
    except (ValueError, TypeError, ArithmeticError):
        raise ValidationError("record.bad_value", field, value=str(value)[:40]) from None
    return _checked_kind(spec, field, converted)


def _checked_kind(spec: _Spec, field: str, value: Any) -> Any:
    """What every value of a kind must satisfy, whatever the field."""
    kind = spec.kind
    if kind == "str":
        return _text(value, spec.ceiling, field)
    if kind == "datetime":
        if value.tzinfo is None:
            value = value.astimezone()  # typed wall-clock time
        _year(value, field)
        return value.astimezone(dt.UTC)
    if kind == "date":
        if isinstance(value, dt.datetime):
            value = value.date()
        _year(value, field)
        return value
    if kind == "int":
        return v.check_count(value, field, minimum=-(2**62), maximum=2**62)
    if kind == "float":
        if not math.isfinite(value):
            raise ValidationError("record.not_a_number", field)
        return float(value)
    return value


@cache
def _default_rules(cls: type[Record], field: str) -> tuple[Any, ...]:
    """Rules every field of a kind gets unless it declares its own: links to other records are
    record ids, counts and areas are never negative (amounts are checked by their type)."""
    facts = all_facts(cls)[field]
    if facts.rules:
        return facts.rules
    if cls.__table__.columns[field].foreign_keys:
        return (RECORD_ID,)
    kind = field_kind(cls, field)
    if kind in ("int", "float") and field not in META_FIELDS:
        return (NON_NEGATIVE,)
    return ()


def _coded(spec: _Spec, field: str, value: Any) -> Any:
    facts = spec.facts
    allowed = code_set(facts.codes) if facts.codes else spec.states
    if facts.codes and facts.multi:
        codes = [code_of(facts.codes, part) for part in str(value).replace("，", ",").split(",") if part.strip()]
        unknown = [c for c in codes if c not in allowed]
        if unknown:
            raise ValidationError("record.not_in_list", field, value=unknown[0])
        return ",".join(dict.fromkeys(codes))
    if facts.codes:
        value = code_of(facts.codes, str(value))
    if allowed and str(value) not in allowed:
        raise ValidationError("record.not_in_list", field, value=str(value)[:40])
    return value


def clean_value(cls: type[Record], field: str, raw: Any, *, strict: bool = False,
                now: dt.datetime | None = None) -> Any:
    """One field's stored value from raw input: type, kind checks, field rules, code list."""
    spec = _spec(cls, field)
    facts = spec.facts
    value = convert(cls, field, raw, strict=strict)
    if value in EMPTY:
        return value
    for rule in spec.rules:
        value = rule(value, field, now)
    if facts.codes or spec.states:
        value = _coded(spec, field, value)
    if facts.keys:
        known = code_set(facts.keys)
        unknown = [key for key in json.loads(value) if key not in known]
        if unknown:
            raise ValidationError("record.not_in_list", field, value=str(unknown[0])[:40])
    return value


# --- a whole record ----------------------------------------------------------------------------

@cache
def required_fields(cls: type[Record]) -> tuple[str, ...]:
    """Fields a new record must fill: NOT NULL columns without a default, and fields the model
    marks required although their column allows an empty string."""
    names = []
    for column in cls.__table__.columns:
        if column.key in META_FIELDS or column.key == "server_pos":
            continue
        facts = all_facts(cls)[column.key]
        if facts.required or (not column.nullable and column.default is None):
            names.append(column.key)
    return tuple(names)


@cache
def _known(cls: type[Record]) -> frozenset[str]:
    return frozenset(cls.field_names())


@cache
def _fixed_key(cls: type[Record]) -> str:
    """The refusal of an edit to a field fixed at creation: a type may say in its own words what to
    do instead ("<entity>.fixed")."""
    own = f"{cls.entity}.fixed"
    return own if own in CATALOGUE["en"] else "record.fixed"


class _Current(Mapping[str, Any]):
    """A record's current values, as a mapping (a Record, or wire values converted when read)."""

    def __init__(self, cls: type[Record], source: Record | Mapping[str, Any] | None, wire: bool) -> None:
        self.cls, self.source, self.wire = cls, source, wire
        self.known = _known(cls)

    def __getitem__(self, key: str) -> Any:
        if self.source is None or key not in self.known:
            raise KeyError(key)
        if isinstance(self.source, Record):
            return getattr(self.source, key)
        if key not in self.source:
            raise KeyError(key)
        value = self.source[key]
        return from_wire(self.cls, key, value) if self.wire else value

    def __iter__(self) -> Iterator[str]:
        if self.source is None:
            return iter(())
        if isinstance(self.source, Record):
            return iter(self.cls.field_names())
        return iter(k for k in self.source if k in self.known)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _Merged(Mapping[str, Any]):
    """New values over current ones, for the checks across fields."""

    def __init__(self, current: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        self.current, self.new = current, new

    def __getitem__(self, key: str) -> Any:
        return self.new[key] if key in self.new else self.current[key]

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self[key]
        except (KeyError, ValueError, TypeError):
            return default

    def __iter__(self) -> Iterator[str]:
        return iter({*self.current, *self.new})

    def __len__(self) -> int:
        return len({*self.current, *self.new})


def clean(cls: type[Record], fields: Mapping[str, Any], *, partial: bool = False,
          current: Record | Mapping[str, Any] | None = None, now: dt.datetime | None = None,
          strict: bool = False, wire_current: bool = False) -> dict[str, Any]:
    """Validate and normalise ``fields`` for a record of type ``cls``.

    ``partial`` checks only the fields given (an edit); otherwise required fields must be present.
    ``current`` is the record being edited (a Record, or its values: Python values, or wire values
    with ``wire_current``). ``now`` is the moment "not in the future" is judged against (the server
    passes its own clock). Raises ValidationErrors listing every problem, each naming the field and
    the record type.
    """
    errors: list[ValidationError] = []
    known = _known(cls)
    out: dict[str, Any] = {}
    for name, raw in fields.items():
        if name not in known:
            errors.append(ValidationError("record.unknown_field", name, type=cls.entity, name=name))
            continue
        try:
            out[name] = clean_value(cls, name, raw, strict=strict, now=now)
        except ValidationError as error:
            errors.append(error)
    # A new record must fill every required field; an edit may not clear one.
    failed = {e.field for e in errors}
    for name in required_fields(cls):
        if (not partial or name in fields) and out.get(name) in EMPTY and name not in failed:
            errors.append(ValidationError("record.required", name))
    # A field fixed when the record is created (a disaster report's series, a task's kind) is
    # never changed by an edit, on the device or on the server. (The stamps are the journal's.)
    if current is not None:
        before = _Current(cls, current, wire_current)
        key = _fixed_key(cls)
        errors.extend(ValidationError(key, name) for name, value in out.items()
                      if name not in META_FIELDS and name not in failed and _spec(cls, name).facts.fixed
                      and name in before and before[name] != value)
    merged = _Merged(_Current(cls, current, wire_current), out)
    if not merged.get("org_code") and (not partial or "org_code" in fields) and "org_code" not in failed:
        errors.append(ValidationError("record.org_required", "org_code"))
    errors.extend(e for e in cls.check(merged, out) if e.field not in failed)
    if errors:
        for found in errors:
            found.entity = found.entity or cls.entity
        raise ValidationErrors(errors)
    return out


def clean_wire(cls: type[Record], fields: Mapping[str, JsonValue], *, partial: bool = False,
               current: Mapping[str, JsonValue] | None = None, now: dt.datetime | None = None) -> dict[str, JsonValue]:
    """``clean`` for values that arrive in wire form (pushed to the server): strict about JSON
    types, judged by ``now``, and answered in canonical wire form (what every device stores)."""
    out = clean(cls, fields, partial=partial, current=current, now=now, strict=True, wire_current=True)
    return {name: to_wire_kind(_spec(cls, name).kind, value) for name, value in out.items()}

