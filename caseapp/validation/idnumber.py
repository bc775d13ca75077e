"""Resident ID numbers (公民身份号码, GB 11643-1999).

Layout: 6-digit address code + birth date YYYYMMDD + 3-digit sequence (odd = male, even = female) +
check character (ISO 7064 MOD 11-2). The number is the key that links a person across households,
核对 reports and other agencies' data, so it is always stored in one canonical 18-character form:
ASCII digits and an upper-case ``X``. Legacy 15-digit numbers (issued before 1999, still found on old
paper files) are upgraded on input so one person never appears under two numbers.

The address code is deliberately *not* looked up in the division table: a number keeps the code of the
division that issued it, even after that division was abolished or renamed (萝岗区 440116, 增城市
440183 and 从化市 440184 are still on many Guangzhou IDs). Only the province prefix is checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from caseapp.errors import ValidationError
from caseapp.validation._text import ASCII_DIGITS, as_text, compact, fail, is_ascii_digits

Sex = Literal["M", "F"]

# GB/T 2260 province-level prefixes; 81/82/83 are the codes on Hong Kong, Macau and Taiwan
# residents' residence permits (港澳台居民居住证), which use 810000/820000/830000.
PROVINCE_PREFIXES: frozenset[str] = frozenset(
    ["11", "12", "13", "14", "15", "21", "22", "23"]
    + [str(n) for n in range(31, 38)]
    + [str(n) for n in range(41, 47)]
    + [str(n) for n in range(50, 55)]
    + [str(n) for n in range(61, 66)]
    + ["71", "81", "82", "83"]
)

# Wi = 2^(17-i) mod 11 for positions i = 0..16: 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2.
_WEIGHTS: tuple[int, ...] = tuple(pow(2, 17 - i, 11) for i in range(17))
_CHECK_CHARS = "10X98765432"

# Nobody alive was born earlier; older dates are typing mistakes (1049 for 1949 and the like).
EARLIEST_BIRTH_DATE = date(1890, 1, 1)


def id_check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits of an ID number."""
    if len(first17) != 17 or not is_ascii_digits(first17):
        raise ValueError("id_check_char needs exactly 17 ASCII digits")
    total = sum(int(ch) * w for ch, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


@dataclass(frozen=True)
class IdNumberInfo:
    """What an ID number itself says about its holder."""

    number: str
    division_code: str
    birth_date: date
    sex: Sex


def _canonical_text(raw: object, field: str) -> str:
    text = as_text(raw)
    if text is None:
        fail("idnumber.format", field)
    cleaned = compact(text).upper()
    if not cleaned:
        fail("idnumber.empty", field)
    return cleaned


def _to_18(number: str, field: str) -> str:
    """Check length and characters; upgrade a 15-digit legacy number to 18 digits."""
    if len(number) == 15:
        if not is_ascii_digits(number):
            fail("idnumber.format", field)
        # Legacy numbers have a 2-digit year (always 19xx) and no check character.
        first17 = number[:6] + "19" + number[6:]
        return first17 + id_check_char(first17)
    if len(number) != 18:
        fail("idnumber.length", field, length=len(number))
    if not is_ascii_digits(number[:17]) or not (number[17] in ASCII_DIGITS or number[17] == "X"):
        fail("idnumber.format", field)
    return number


def _birth_date(number: str, field: str, today: date) -> date:
    shown = f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        fail("idnumber.date", field, date=shown)
    if born < EARLIEST_BIRTH_DATE:
        fail("idnumber.date_too_early", field, date=shown, earliest=EARLIEST_BIRTH_DATE.year)
    if born > today:
        fail("idnumber.future", field, date=shown)
    return born


def _today(today: date | None) -> date:
    if today is None:
        return date.today()
    # A datetime is a date subclass but cannot be compared with a plain date.
    return today.date() if isinstance(today, datetime) else today


def parse_id_number(raw: str, field: str = "id_number", today: date | None = None) -> IdNumberInfo:
    """Validate an ID number and return its canonical form with the facts encoded in it.

    Checks, in the order a person would fix them: length and characters, province prefix, a real
    calendar date between 1890 and ``today``, and finally the check character.
    """
    number = _to_18(_canonical_text(raw, field), field)
    if number[:2] not in PROVINCE_PREFIXES:
        fail("idnumber.province", field, prefix=number[:2])
    born = _birth_date(number, field, _today(today))
    expected = id_check_char(number[:17])
    if number[17] != expected:
        fail("idnumber.checksum", field, expected=expected, actual=number[17])
    sex: Sex = "M" if int(number[16]) % 2 else "F"
    return IdNumberInfo(number=number, division_code=number[:6], birth_date=born, sex=sex)


def normalize_id_number(raw: str, field: str = "id_number", today: date | None = None) -> str:
    """The canonical 18-character form of a valid ID number (full-width, 15-digit and lower-case x
    accepted on input); raises ``ValidationError`` otherwise."""
    return parse_id_number(raw, field, today).number


def check_id_consistency(
    id_number: str,
    sex: str | None,
    birth_date: date | None,
    field: str = "id_number",
) -> None:
    """Raise if the sex or birth date typed into a form disagrees with the ID number.

    Caseworkers type all three; a mismatch usually means a digit was mistyped or the wrong person's
    ID was copied, which later breaks the cross-agency 核对 match. ``None`` means "not given": skipped.
    Errors about the ID itself are reported on ``field``; mismatches on "sex" and "birth_date".
    """
    info = parse_id_number(id_number, field)
    if sex is not None:
        if sex not in ("M", "F"):
            fail("sex.invalid", "sex")
        if sex != info.sex:
            key = "idnumber.sex_mismatch_male" if info.sex == "M" else "idnumber.sex_mismatch_female"
            fail(key, "sex", expected=info.sex, given=sex)
    if birth_date is not None:
        given = birth_date.date() if isinstance(birth_date, datetime) else birth_date
        if given != info.birth_date:
            fail(
                "idnumber.birth_date_mismatch",
                "birth_date",
                expected=info.birth_date.isoformat(),
                given=given.isoformat(),
            )


def person_facts(merged: Mapping[str, Any], out: dict[str, Any]) -> list[ValidationError]:
    """A person's sex and birth date follow from their ID number (``merged``, a record's values as
    they will be): filled into ``out`` when empty, checked when typed. An ID number that does not
    parse is reported on its own field, not here. The record check of every model that carries a
    resident ID number with sex and birth date (a member, a resident)."""
    if not merged.get("id_number"):
        return []
    try:
        info = parse_id_number(merged["id_number"])
    except ValidationError:
        return []  # already reported on the field
    if merged.get("sex") in (None, ""):
        out["sex"] = info.sex
    if merged.get("birth_date") in (None, ""):
        out["birth_date"] = info.birth_date
    try:
        check_id_consistency(info.number, merged.get("sex") or info.sex, merged.get("birth_date") or info.birth_date)
    except ValidationError as error:
        return [error]
    return []
