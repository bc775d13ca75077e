"""How record values read, in the user's language: codes as their names, workflow states as the
workflow calls them, yes/no as words, times in local wall-clock time, amounts in yuan.

Every screen, printed form and command-line listing that shows a stored value (the history of a
household, the outbox, a conflict, a ledger) says it through here, so a code such as ``eligible``
or a Python value such as ``False`` never reaches a user. Values may be Python values or their wire
form (what the journal, the audit trail and sync hold).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from caseapp import refdata
from caseapp.domain.base import ENTITIES, META_FIELDS, Record
from caseapp.domain.codec import field_kind, from_wire
from caseapp.domain.fields import LINK, MEMBER, all_facts, entity_label, field_label, widget_of
from caseapp.messages import message
from caseapp.validation.rules import TRACK

MASK = "*"


def entity_name(entity: str, lang: str = "zh") -> str:
    cls = ENTITIES.get(entity)
    return entity_label(cls, lang) if cls is not None else message("record.unknown_type", lang, type=entity)


def field_name(entity: str, field: str | None, lang: str = "zh", *, short: bool = False) -> str:
    cls = ENTITIES.get(entity)
    if not field:
        return ""
    if cls is None or field not in all_facts(cls):
        from caseapp.messages import field_label as catalogue_label

        return catalogue_label(field, lang)
    return field_label(cls, field, lang, short=short)


def state_name(machine: str, state: str | None, lang: str = "zh") -> str:
    if not state:
        return ""
    key = f"state.{machine}.{state}"
    text = message(key, lang)
    return state if text == key else text


def code_name(dictionary: str, code: str | None, lang: str = "zh") -> str:
    if code in (None, ""):
        return ""
    try:
        return refdata.label(dictionary, str(code), lang)
    except KeyError:
        return str(code)  # a retired code: show what is stored rather than nothing


def masked(value: str | None) -> str:
    """'440803199803113654' → '440803********3654': enough to tell people apart, not to misuse."""
    if not value:
        return ""
    if len(value) <= 8:
        return MASK * len(value)
    return value[:6] + MASK * (len(value) - 10) + value[-4:]


def yes_no(value: bool, lang: str = "zh") -> str:
    return message("display.yes" if value else "display.no", lang)


def local_time(moment: dt.datetime) -> str:
    return f"{(moment.astimezone() if moment.tzinfo else moment):%Y-%m-%d %H:%M}"


def _python(cls: type[Record], field: str, value: Any) -> Any:
    if isinstance(value, str) and field_kind(cls, field) in ("datetime", "date", "money"):
        try:
            return from_wire(cls, field, value)
        except (ValueError, ArithmeticError):
            return value
    return value


def value_text(entity: str, field: str, value: Any, lang: str = "zh", *, mask: bool = False) -> str:
    """A stored value of ``entity.field`` as a person reads it."""
    cls = ENTITIES.get(entity)
    if value is None or value == "" or cls is None or field not in all_facts(cls):
        return "" if value is None else str(value)
    facts = all_facts(cls)[field]
    machine = facts.states or (entity if field == cls.state_field else None)
    if machine:
        return state_name(machine, str(value), lang)
    if facts.codes:
        codes = [c.strip() for c in str(value).split(",") if c.strip()] if facts.multi else [str(value)]
        return ("、" if lang == "zh" else ", ").join(code_name(facts.codes, c, lang) for c in codes)
    if facts.masked and mask:
        return masked(str(value))
    value = _python(cls, field, value)
    if isinstance(value, bool):
        return yes_no(value, lang)
    if isinstance(value, dt.datetime):
        return local_time(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, float):
        return f"{value:g}"
    if facts.keys:
        return _json_object(facts.keys, str(value), lang)
    if TRACK in facts.rules:
        return _track(str(value), lang)
    return str(value)


def _json_object(dictionary: str, text: str, lang: str) -> str:
    try:
        parsed = json.loads(text)
    except ValueError:
        return text
    if not isinstance(parsed, dict):
        return text
    sep, colon = ("；", "：") if lang == "zh" else ("; ", ": ")
    return sep.join(f"{code_name(dictionary, str(k), lang)}{colon}{v}" for k, v in parsed.items())


def _track(text: str, lang: str) -> str:
    try:
        points = json.loads(text)
    except ValueError:
        return text
    return message("display.track_points", lang, count=len(points) if isinstance(points, list) else 0)


def record_summary(entity: str, values: dict[str, Any], lang: str = "zh") -> str:
    """A new record in a few words: its naming fields (a household's head and address, a visit's
    time and method …), each as the user reads it."""
    cls = ENTITIES.get(entity)
    if cls is None:
        return ""
    names = cls.summary or tuple(n for n in cls.field_names() if n not in META_FIELDS)[:2]
    parts = [value_text(entity, name, values.get(name), lang, mask=True) for name in names]
    return " · ".join(p for p in parts if p)


def is_link(entity: str, field: str) -> bool:
    """A field holding another record's id (the household a member belongs to …): a number no
    person reads; the record it points to is shown where it is shown."""
    cls = ENTITIES.get(entity)
    if cls is None or field not in all_facts(cls):
        return False
    return bool(cls.__table__.columns[field].foreign_keys) or widget_of(cls, field) in (LINK, MEMBER) or any(
        rule.name in ("record_id", "record_ids") for rule in all_facts(cls)[field].rules)


def record_details(entity: str, values: dict[str, Any], lang: str = "zh", *, links: bool = True,
                   mask: bool = False) -> str:
    """Every value a new record was given, each with its label: what a person typed, in full
    (``links=False`` leaves out where it belongs: the ids of its records and its org unit, shown
    where the record is shown; ``mask`` masks ID and bank numbers as lists do)."""
    cls = ENTITIES.get(entity)
    if cls is None:
        return ""
    colon, sep = ("：", "；") if lang == "zh" else (": ", "; ")
    parts = []
    for name in cls.field_names():
        if name in META_FIELDS and name != "org_code":
            continue
        if not links and (is_link(entity, name) or name == "org_code"):
            continue
        text = value_text(entity, name, values.get(name), lang, mask=mask)
        if text and values.get(name) != _default_wire(cls, name):
            parts.append(f"{field_name(entity, name, lang)}{colon}{text}")
    return sep.join(parts)


def _default_wire(cls: type[Record], name: str) -> Any:
    default = cls.__table__.columns[name].default
    return getattr(default, "arg", None) if default is not None and getattr(default, "is_scalar", False) else None


def change_text(entity: str, op: str, field: str | None, value: Any, lang: str = "zh", *,
                full: bool = False) -> str:
    """The value a journal entry carries: a new record's summary (``full``: every value it was
    given), a field's new value, or the value a conflict was resolved with."""
    if op == "create" and isinstance(value, dict):
        return record_details(entity, value, lang) if full else record_summary(entity, value, lang)
    if field:
        return value_text(entity, field, value, lang)
    return "" if value is None else str(value)


def refusal(entity: str, reason: str | None, detail: str | None, lang: str = "zh") -> str:
    """Why the server refused (or the device holds) a change: the field's label and the reason, in
    the user's language, with the parameters the server gave ('身份证号码：第18位校验码不对…')."""
    if not reason:
        return ""
    try:
        parsed = json.loads(detail) if detail else {}
    except ValueError:
        parsed = {}
    params = parsed.get("params") if isinstance(parsed, dict) else None
    text = message(reason, lang, **(params if isinstance(params, dict) else {}))
    name = parsed.get("field") if isinstance(parsed, dict) else None
    if not isinstance(name, str) or not name:
        return text
    return f"{field_name(entity, name, lang)}{'：' if lang == 'zh' else ': '}{text}"
