"""Administrative division codes (GB/T 2260 and the NBS 统计用区划代码).

Checked by structure only, not against a table: the code table changes every year (districts merge,
counties become districts) and records must keep the code that was valid when they were written, so
"does this code exist today" belongs to the reference-data layer, not to input validation.

Shapes accepted:
- 6 digits ``PPCCDD``: province / city / county (GB/T 2260);
- 9 digits: + township part 001-599 (001-099 街道, 100-199 镇, 200-399 乡, 400-599 other units);
- 12 digits: + community or village part 001-999 (居委会 usually 001-199, 村委会 200+).
"""

from __future__ import annotations

from typing import Literal

from caseapp.validation._text import as_text, compact, fail, is_ascii_digits
from caseapp.validation.idnumber import PROVINCE_PREFIXES

DivisionLevel = Literal["province", "city", "district", "street", "community"]


def validate_division_code(code: str, field: str = "division_code") -> str:
    """The code as plain ASCII digits if it has a valid 6-, 9- or 12-digit structure."""
    text = as_text(code)
    if text is None:
        fail("division.format", field)
    value = compact(text)
    if not value:
        fail("division.empty", field)
    if not is_ascii_digits(value):
        fail("division.format", field)
    if len(value) not in (6, 9, 12):
        fail("division.length", field, length=len(value))
    if value[:2] not in PROVINCE_PREFIXES:
        fail("division.province", field, prefix=value[:2])
    city, county = value[2:4], value[4:6]
    # A province-level code is PP0000; there is no county directly under "city 00".
    if city == "00" and county != "00":
        fail("division.structure", field)
    if len(value) >= 9:
        if city == "00":
            # Townships sit under a county or a city without counties (东莞 441900), never a province.
            fail("division.structure", field)
        township = value[6:9]
        if not 1 <= int(township) <= 599:
            fail("division.township", field, part=township)
    if len(value) == 12:
        community = value[9:12]
        if community == "000":
            fail("division.community", field, part=community)
    return value


def division_level(code: str, field: str = "division_code") -> DivisionLevel:
    """Which level a (valid) code names: province, city, district (county level), street, community."""
    value = validate_division_code(code, field)
    if len(value) == 12:
        return "community"
    if len(value) == 9:
        return "street"
    if value[2:] == "0000":
        return "province"
    if value[4:] == "00":
        return "city"
    return "district"


def parent_code(code: str, field: str = "division_code") -> str | None:
    """The code one level up (``None`` for a province).

    A township's parent is its 6-digit county code even when that is a city without counties
    (441900003 东莞东城街道 -> 441900).
    """
    value = validate_division_code(code, field)
    level = division_level(value, field)
    if level == "province":
        return None
    if level == "city":
        return value[:2] + "0000"
    if level == "district":
        return value[:4] + "00"
    if level == "street":
        return value[:6]
    return value[:9]
