"""Field and record validation for every record type, shared by forms, import and sync.

``clean()`` turns raw input (text from a form or an import file, or typed values) into the typed,
normalised values a record stores, and reports *every* problem at once as ValidationErrors, each
naming its field. Nothing is written until a record is clean.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from caseapp import refdata
from caseapp import validation as v
from caseapp.domain.base import META_FIELDS, Record
from caseapp.domain.codec import field_kind, from_wire
from caseapp.errors import ValidationError, ValidationErrors
from caseapp.services.workflows import machine_for

Normaliser = Callable[[Any, str], Any]


def _name(value: Any, field: str) -> str:
    return v.normalize_person_name(value, field)


def _optional_name(value: Any, field: str) -> str:
    return value if value in ("", None) else v.normalize_person_name(value, field)


def _id(value: Any, field: str) -> str:
    return v.normalize_id_number(value, field)


def _phone(value: Any, field: str) -> str:
    return v.normalize_phone(value, field, default_area_code="020")


def _money(value: Any, field: str) -> Any:
    return v.check_amount(value, field)


def _count(value: Any, field: str) -> int:
    return v.check_count(value, field)


def _past(value: Any, field: str) -> Any:
    v.check_not_future(value, field)
    return value


def _disability_card(value: Any, field: str) -> str:
    return v.normalize_disability_card(value, field)


def _bank(value: Any, field: str) -> str:
    return v.validate_bank_card(value, field)


def _non_negative(value: Any, field: str) -> float:
    if value < 0:
        raise ValidationError("record.negative", field)
    return float(value)


# Names ledgers and older systems write instead of the code, beyond each entry's own labels.
ALIASES: dict[str, dict[str, str]] = {
    "education": {"研究生": "10", "博士": "10", "硕士": "10", "本科": "20", "大专": "30", "专科": "30",
                  "中专": "40", "中技": "40", "职高": "40", "技校": "40", "高中": "60", "初中": "70",
                  "小学": "80", "文盲": "90", "半文盲": "90", "文盲或半文盲": "90", "其他": "90"},
    "ethnicity": {"穿青人": "97", "其他": "97"},
}


def code_of(dictionary: str, text: str) -> str:
    """A dictionary's code from what people write: the code itself, its Chinese or English label
    (户主 → 02, 汉族 → 01, 本科 → 20), or a common short form (汉 → 01). Anything else comes back
    as it is, for the code-list check to refuse with the field named."""
    text = text.strip()
    entries = refdata.dictionary(dictionary)
    if text in entries:
        return text
    for code, labels in entries.items():
        if text in (labels["zh"], labels["zh"].removesuffix("族")) or text.lower() == labels["en"].lower():
            return code
    return ALIASES.get(dictionary, {}).get(text, text)


def _coded(dictionary: str) -> Normaliser:
    """Accept a dictionary's code or what ``code_of`` reads as one."""

    def normalise(value: Any, field: str) -> Any:
        return code_of(dictionary, str(value))

    normalise.__name__ = "_coded"
    return normalise


# (entity, field) → normaliser applied to non-empty values after type conversion.
FIELD_RULES: dict[str, dict[str, Normaliser]] = {
    "household": {"phone": _phone, "bank_account": _bank, "head_name": _optional_name},
    "member": {"name": _name, "id_number": _id, "phone": _phone, "disability_card": _disability_card,
               "birth_date": _past, "ethnicity": _coded("ethnicity"), "education": _coded("education")},
    "income_item": {"monthly_amount": _money, "people": _count},
    "assistance_case": {"monthly_amount": _money, "people_covered": _count},
    "case_review": {"old_amount": _money, "new_amount": _money, "reviewed_on": _past},
    "investigation": {"investigated_at": _past, "savings": _money, "securities": _money,
                      "monthly_expenses": _money, "housing_area": _non_negative},
    "verification": {"requested_on": _past, "members_checked": _count},
    "elder_profile": {"emergency_contact_phone": _phone, "emergency_contact_name": _optional_name},
    "care_visit": {"visited_at": _past},
    "grid_event": {"occurred_at": _past, "party_id_number": _id, "party_name": _optional_name,
                   "people_involved": _count},
    "grid_event_update": {"at": _past},
    "patrol_log": {"started_at": _past, "ended_at": _past},
    "social_work_case": {"client_name": _name},
    "case_note": {"at": _past},
    "referral": {"client_name": _name},
    "disaster_report": {"occurred_at": _past, "reported_at": _past, "direct_loss": _money,
                        **{f: _count for f in ("affected", "dead", "missing", "injured", "relocated",
                                               "need_urgent_aid", "trapped", "short_of_water",
                                               "houses_collapsed_households", "houses_collapsed_rooms",
                                               "houses_severe_households", "houses_severe_rooms",
                                               "houses_light_households", "houses_light_rooms")},
                        **{f: _non_negative for f in ("crops_affected_ha", "crops_damaged_ha", "crops_lost_ha")}},
}

# Fields whose value must be one of a reference dictionary's codes (caseapp.refdata).
CHOICES: dict[str, dict[str, str]] = {
    "investigation": {"housing_type": "housing_tenure"},
    "household": {"register_type": "household_register_type"},
    "member": {"relationship": "relationship", "marital_status": "marital_status", "health": "health_status",
               "disability_type": "disability_type",
               "disability_grade": "disability_grade", "employment": "employment_status",
               "work_capacity": "work_capacity", "sex": "sex", "ethnicity": "ethnicity",
               "education": "education"},
    "income_item": {"income_type": "income_type"},
    "assistance_case": {"category": "assistance_category", "review_class": "review_class"},
    "elder_profile": {"living_arrangement": "living_arrangement", "capacity_level": "capacity_level",
                      "risk_tier": "risk_tier"},
    "care_visit": {"method": "visit_method"},
    "grid_event": {"category": "grid_event_category", "source": "event_source", "scale": "event_scale"},
    "referral": {"urgency": "referral_urgency"},
    "disaster_report": {"disaster_type": "disaster_type", "stage": "disaster_report_stage"},
}

EMPTY = (None, "")


def _choices(dictionary: str) -> Mapping[str, Any]:
    return refdata.dictionary(dictionary)


def convert(cls: type[Record], field: str, value: Any) -> Any:
    """Raw value → stored Python type, or ValidationError('record.bad_value')."""
    kind = field_kind(cls, field)
    if value in EMPTY:
        if _nullable(cls, field):
            return None
        if kind == "str":
            return ""
        # A cleared number or flag falls back to the field's default (0, false), if it has one.
        default = cls.__table__.columns[field].default
        if default is not None and getattr(default, "is_scalar", False):
            return default.arg
        raise ValidationError("record.required", field)
    try:
        if kind == "money" or isinstance(value, dt.date | dt.datetime):
            return value if kind != "money" else v.check_amount(value, field)
        if kind == "bool" and isinstance(value, str):
            lowered = value.strip().lower()
            if lowered not in ("true", "false", "1", "0", "是", "否", "yes", "no"):
                raise ValueError(value)
            return lowered in ("true", "1", "是", "yes")
        if kind == "int" and isinstance(value, str):
            return v.check_count(value, field, minimum=-(2**62))
        if kind == "int" and isinstance(value, float) and not value.is_integer():
            raise ValueError(value)
        return from_wire(cls, field, value)
    except ValidationError:
        raise
    except (ValueError, TypeError, ArithmeticError):
        raise ValidationError("record.bad_value", field, value=str(value)[:40]) from None


def _nullable(cls: type[Record], field: str) -> bool:
    return bool(cls.__table__.columns[field].nullable)


# Fields a form must fill although the column allows an empty string.
REQUIRED: dict[str, tuple[str, ...]] = {
    "household": ("address",),
}


def _required(cls: type[Record]) -> list[str]:
    names = list(REQUIRED.get(cls.entity, ()))
    for column in cls.__table__.columns:
        if column.key in META_FIELDS or column.key == "server_pos":
            continue
        if not column.nullable and column.default is None:
            names.append(column.key)
    return names


def clean(cls: type[Record], fields: Mapping[str, Any], *, partial: bool = False,
          current: Record | None = None) -> dict[str, Any]:
    """Validate and normalise ``fields`` for a record of type ``cls``.

    ``partial`` checks only the fields given (an edit); otherwise required fields must be present.
    Raises ValidationErrors listing every problem.
    """
    errors: list[ValidationError] = []
    known = set(cls.field_names())
    out: dict[str, Any] = {}
    rules = FIELD_RULES.get(cls.entity, {})
    choices = CHOICES.get(cls.entity, {})
    for name, raw in fields.items():
        if name not in known:
            errors.append(ValidationError("record.unknown_field", name, type=cls.entity, name=name))
            continue
        try:
            value = convert(cls, name, raw)
            if value not in EMPTY and name in rules:
                value = rules[name](value, name)
            if value not in EMPTY and name in choices and str(value) not in _choices(choices[name]):
                raise ValidationError("record.not_in_list", name, value=str(value))
            out[name] = value
        except ValidationError as error:
            errors.append(error)
    # A new record must fill every required field; an edit may not clear one.
    for name in _required(cls):
        if (not partial or name in fields) and out.get(name) in EMPTY \
                and name not in {e.field for e in errors}:
            errors.append(ValidationError("record.required", name))
    machine = machine_for(cls.entity)
    if machine and cls.state_field and out.get(cls.state_field) not in (None, *machine.states):
        errors.append(ValidationError("record.not_in_list", cls.state_field, value=str(out[cls.state_field])))
    merged = {**(current.values() if current is not None else {}), **out}
    if not merged.get("org_code") and (not partial or "org_code" in fields):
        errors.append(ValidationError("record.org_required", "org_code"))
    errors.extend(_record_checks(cls, merged, out))
    if errors:
        raise ValidationErrors(errors)
    return out


def _record_checks(cls: type[Record], merged: dict[str, Any], out: dict[str, Any]) -> list[ValidationError]:
    """Checks across fields; may fill derived fields into ``out``."""
    errors: list[ValidationError] = []
    if cls.entity == "member" and merged.get("id_number"):
        try:
            info = v.parse_id_number(merged["id_number"])
        except ValidationError:
            return errors  # already reported on the field
        # sex and birth date follow from the ID number; fill them in, or check what was typed
        if merged.get("sex") in EMPTY:
            out["sex"] = info.sex
        if merged.get("birth_date") in EMPTY:
            out["birth_date"] = info.birth_date
        try:
            v.check_id_consistency(info.number, merged.get("sex") or info.sex,
                                   merged.get("birth_date") or info.birth_date)
        except ValidationError as error:
            errors.append(error)
    if cls.entity == "patrol_log" and merged.get("started_at") and merged.get("ended_at") \
            and merged["ended_at"] < merged["started_at"]:
        errors.append(ValidationError("record.end_before_start", "ended_at"))
    return errors
