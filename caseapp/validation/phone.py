"""Chinese phone numbers: mobiles and fixed lines, stored in one canonical form each.

Mobiles are checked only against ``^1[3-9]\\d{9}$``: carrier prefix lists (VincentSit's regexes and
the like) lag behind new number blocks such as 190, 192, 196 and 197 and would reject real clients.
Fixed lines keep their area code, because elders' homes and community offices are often reached on a
landline and the number must be dialable from anywhere: canonical form ``020-12345678`` with an
optional extension ``020-12345678-801``.
"""

from __future__ import annotations

import re

from caseapp.validation._text import as_text, compact, fail, halfwidth, is_ascii_digits

_MOBILE = re.compile(r"1[3-9][0-9]{9}", re.ASCII)

# Area codes: 010 and 02x are three digits (Beijing, Guangzhou, Shanghai, ... all 8-digit local
# numbers); every other code is four digits (0 + 3) with 7- or 8-digit local numbers. Local numbers
# never start with 0 (trunk prefix) or 1 (mobiles and service numbers).
_AREA_CODE = re.compile(r"0(?:10|2[0-9]|[3-9][0-9]{2})", re.ASCII)
_LOCAL = re.compile(r"[2-9][0-9]{6,7}", re.ASCII)

# Explicit extension markers: 转 (the usual office spelling), 分机, ext, x, #.
_EXTENSION = re.compile(r"(?:转|分机|ext\.?|x|#)\s*([0-9]{1,6})\s*$", re.IGNORECASE | re.ASCII)
_SEPARATORS = re.compile(r"[\s\-.()]+")


def _strip_country_code_mobile(digits: str) -> str:
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            return digits[len(prefix) :]
    return digits


def _text(raw: object, field: str, key: str) -> str:
    text = as_text(raw)
    if text is None:
        fail(key, field)
    if not compact(text):
        fail("phone.empty", field)
    return text


def _mobile_or_none(text: str) -> str | None:
    number = compact(text).replace("-", "").replace("(", "").replace(")", "")
    number = number.removeprefix("+")
    if not is_ascii_digits(number):
        return None
    number = _strip_country_code_mobile(number)
    return number if _MOBILE.fullmatch(number) else None


def normalize_mobile(raw: str, field: str = "phone") -> str:
    """A mainland mobile number as 11 plain digits; +86/0086/86, spaces and hyphens are removed."""
    number = _mobile_or_none(_text(raw, field, "phone.mobile"))
    if number is None:
        fail("phone.mobile", field)
    return number


def _split_main(digits: str, default_area_code: str | None) -> tuple[str, str] | None:
    """(area code, local number) for a run of digits, or None."""
    if digits.startswith("0"):
        area_len = 3 if digits[1:2] in ("1", "2") else 4
        area, local = digits[:area_len], digits[area_len:]
        if not _AREA_CODE.fullmatch(area):
            return None
    elif default_area_code is not None:
        area, local = default_area_code, digits
    else:
        return None
    if not _LOCAL.fullmatch(local):
        return None
    if len(area) == 3 and len(local) != 8:
        return None
    return area, local


def _landline_or_none(text: str, default_area_code: str | None) -> str | None:
    text = halfwidth(text).strip()
    extension: str | None = None
    match = _EXTENSION.search(text)
    if match:
        extension = match.group(1)
        text = text[: match.start()]
    text = text.strip()
    if text.startswith("+86"):
        text = "0" + text[3:].lstrip(" -(").removeprefix("0")
    elif text.startswith("0086"):
        text = "0" + text[4:].lstrip(" -(").removeprefix("0")
    groups = [g for g in _SEPARATORS.split(text) if g]
    if not groups or not all(is_ascii_digits(g) for g in groups):
        return None
    found: tuple[str, str] | None = None
    # A trailing separate group of 1-6 digits is an extension if the rest is a complete number
    # ("020-12345678-801", our own canonical form); otherwise groups are just readability splits.
    if extension is None and len(groups) >= 2 and len(groups[-1]) <= 6:
        found = _split_main("".join(groups[:-1]), default_area_code)
        if found is not None:
            extension = groups[-1]
    if found is None:
        found = _split_main("".join(groups), default_area_code)
    if found is None:
        return None
    area, local = found
    return f"{area}-{local}" + (f"-{extension}" if extension else "")


def _check_default_area_code(default_area_code: str | None) -> None:
    if default_area_code is not None and not _AREA_CODE.fullmatch(default_area_code):
        raise ValueError(f"default_area_code must be an area code such as '020', not {default_area_code!r}")


def normalize_landline(raw: str, field: str = "phone", default_area_code: str | None = None) -> str:
    """A fixed-line number as ``"020-12345678"`` (plus ``"-801"`` for an extension).

    A number without area code is accepted only when ``default_area_code`` says where it is (for
    example "020" for a Guangzhou deployment); guessing would store undialable numbers.
    """
    _check_default_area_code(default_area_code)
    number = _landline_or_none(_text(raw, field, "phone.landline"), default_area_code)
    if number is None:
        fail("phone.landline", field)
    return number


def normalize_phone(raw: str, field: str = "phone", default_area_code: str | None = None) -> str:
    """A mobile (11 digits) or fixed line (``"020-12345678"``), whichever the input is."""
    _check_default_area_code(default_area_code)
    text = _text(raw, field, "phone.invalid")
    number = _mobile_or_none(text) or _landline_or_none(text, default_area_code)
    if number is None:
        fail("phone.invalid", field)
    return number
