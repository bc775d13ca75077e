"""Field rules: the validators of this package bound to the way a record field uses them.

A field declares its rules once, on the model (``caseapp.domain.fields``); every path a value takes
into a record (a form, an import, an Excel ledger, a value pushed to the server) applies the same
rules through ``caseapp.services.validate``. Each rule normalises a non-empty value to its stored
form or raises a ValidationError naming the field; its ``doc`` is what docs/data-model.md says of it.

Rules take the moment "now" explicitly, so the server judges a device's times by its own clock.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from caseapp.errors import ValidationError
from caseapp.validation.cards import normalize_disability_card, validate_bank_card
from caseapp.validation.division import validate_division_code
from caseapp.validation.idnumber import normalize_id_number
from caseapp.validation.names import normalize_person_name
from caseapp.validation.phone import normalize_phone
from caseapp.validation.times import check_not_future

Check = Callable[[Any, str, dt.datetime], Any]

#: Dates and times outside these years are typing errors (a year 0999 or 20244), and years before
#: 1000 cannot even be written in the four-digit form every export and ledger uses.
EARLIEST_YEAR = 1890
LATEST_YEAR = 2199

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.ASCII)
_DIGEST = re.compile(r"[0-9a-f]{64}", re.ASCII)
_MONTH = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])", re.ASCII)
_MIME = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,40}/[a-z0-9][a-z0-9!#$&^_.+-]{0,60}", re.ASCII)


@dataclass(frozen=True)
class Rule:
    name: str
    check: Check
    doc: str

    def __call__(self, value: Any, field: str, now: dt.datetime | None = None) -> Any:
        return self.check(value, field, now or dt.datetime.now(dt.UTC))


def _person_name(value: Any, field: str, now: dt.datetime) -> str:
    return normalize_person_name(value, field)


def _id_number(value: Any, field: str, now: dt.datetime) -> str:
    return normalize_id_number(value, field, today=now.date())


def _phone(value: Any, field: str, now: dt.datetime) -> str:
    return normalize_phone(value, field, default_area_code="020")


def _disability_card(value: Any, field: str, now: dt.datetime) -> str:
    return normalize_disability_card(value, field)


def _bank_card(value: Any, field: str, now: dt.datetime) -> str:
    return validate_bank_card(value, field)


def _past(value: Any, field: str, now: dt.datetime) -> Any:
    check_not_future(value, field, now=now)
    return value


def _uuid(value: Any, field: str, now: dt.datetime) -> str:
    text = str(value).strip().lower()
    if not _UUID.fullmatch(text):
        raise ValidationError("record.bad_id", field)
    return text


def _uuid_list(value: Any, field: str, now: dt.datetime) -> str:
    parts = [p.strip() for p in str(value).split(",") if p.strip()]
    return ",".join(_uuid(p, field, now) for p in parts)


def _org_code(value: Any, field: str, now: dt.datetime) -> str:
    text = str(value).strip()
    if not (text.isascii() and text.isdigit() and 6 <= len(text) <= 24):
        raise ValidationError("record.bad_org_code", field, value=text[:30])
    return text


def _division_code(value: Any, field: str, now: dt.datetime) -> str:
    return validate_division_code(str(value), field)


def _digest(value: Any, field: str, now: dt.datetime) -> str:
    text = str(value).strip().lower()
    if not _DIGEST.fullmatch(text):
        raise ValidationError("record.bad_digest", field)
    return text


def _mime(value: Any, field: str, now: dt.datetime) -> str:
    text = str(value).strip().lower()
    if not _MIME.fullmatch(text):
        raise ValidationError("record.bad_mime", field, value=text[:40])
    return text


def _month(value: Any, field: str, now: dt.datetime) -> str:
    text = str(value).strip().replace("/", "-").replace(".", "-")
    match = _MONTH.fullmatch(text)
    if not match or not EARLIEST_YEAR <= int(match.group(1)) <= LATEST_YEAR:
        raise ValidationError("record.bad_month", field, value=text[:20])
    return text


def _between(low: float, high: float, key: str) -> Check:
    def check(value: Any, field: str, now: dt.datetime) -> float:
        number = float(value)
        if not (math.isfinite(number) and low <= number <= high):
            raise ValidationError(key, field, value=str(value)[:30])
        return number

    return check


def _non_negative(value: Any, field: str, now: dt.datetime) -> Any:
    if value < 0:
        raise ValidationError("record.negative", field)
    return value


def _json_object(value: Any, field: str, now: dt.datetime) -> str:
    try:
        parsed = json.loads(value)
    except (ValueError, RecursionError):
        raise ValidationError("record.bad_json", field) from None
    if not isinstance(parsed, dict):
        raise ValidationError("record.bad_json", field)
    return str(value)  # kept as written: only its shape is checked


def _track(value: Any, field: str, now: dt.datetime) -> str:
    """A GPS track: a JSON list of [latitude, longitude, ISO time] points."""
    try:
        parsed = json.loads(value)
    except (ValueError, RecursionError):
        raise ValidationError("record.bad_track", field) from None
    if not isinstance(parsed, list):
        raise ValidationError("record.bad_track", field)
    for point in parsed:
        if not (isinstance(point, list) and len(point) == 3 and all(isinstance(x, int | float) and not
                isinstance(x, bool) for x in point[:2]) and isinstance(point[2], str)):
            raise ValidationError("record.bad_track", field)
        _between(-90, 90, "record.bad_track")(point[0], field, now)
        _between(-180, 180, "record.bad_track")(point[1], field, now)
    return str(value)


PERSON_NAME = Rule("person_name", _person_name,
                   "person name: NFC, look-alike dots → `·`, no digits or control characters, ≤ 50 characters")
ID_NUMBER = Rule("id_number", _id_number,
                 "GB 11643 ID number: 18 characters, valid date, MOD 11-2 check; 15-digit numbers upgraded")
PHONE = Rule("phone", _phone, "mobile `1[3-9]` + 9 digits, or landline with area code (020 assumed when missing)")
DISABILITY_CARD = Rule("disability_card", _disability_card,
                       "ID number + type 1–7 + grade 1–4 (+1–2 digits), 20–22 characters")
BANK_CARD = Rule("bank_card", _bank_card, "12–19 digits (spaces and hyphens removed)")
PAST = Rule("past", _past, "not in the future (a time: 5 minutes' tolerance; a date: not after today)")
RECORD_ID = Rule("record_id", _uuid, "a record id: UUID, 36 characters, lower-case hexadecimal")
RECORD_IDS = Rule("record_ids", _uuid_list, "comma-separated record ids (UUIDs)")
ORG_CODE = Rule("org_code", _org_code, "an org unit code: 6 to 24 digits")
DIVISION_CODE = Rule("division_code", _division_code,
                     "a division code (GB/T 2260 + 统计用区划代码): district 6, street 9 or community 12 digits")
DIGEST = Rule("digest", _digest, "SHA-256 digest: 64 lower-case hexadecimal characters")
MIME_TYPE = Rule("mime_type", _mime, "a media type such as `image/jpeg`")
MONTH = Rule("month", _month, "a month written `YYYY-MM`")
LATITUDE = Rule("latitude", _between(-90, 90, "record.bad_latitude"), "WGS-84 latitude, −90 to 90")
LONGITUDE = Rule("longitude", _between(-180, 180, "record.bad_longitude"), "WGS-84 longitude, −180 to 180")
NON_NEGATIVE = Rule("non_negative", _non_negative, "number ≥ 0")
JSON_OBJECT = Rule("json_object", _json_object, "a JSON object")
TRACK = Rule("track", _track, "a JSON list of `[latitude, longitude, ISO time]` points")
