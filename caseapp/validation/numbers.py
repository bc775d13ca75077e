"""Money amounts and counts.

Amounts are ``Decimal`` rounded to the fen (0.01 元): aid is paid to the fen and ledgers must add up
exactly, which binary floats cannot do. Input comes from forms ("1,234.50", "￥300", "300元",
full-width digits) and from Excel cells (int or float), so all of those are accepted, but anything
that would need rounding (a third decimal place) is rejected rather than silently rounded: a typo
like 1234.505 should be looked at by a person, not paid out as 1234.51.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, localcontext

from caseapp.validation._text import as_text, compact, fail

CENT = Decimal("0.01")
# Far above any civil-affairs amount (even a disaster's direct loss), and far below the 28 significant
# digits of Decimal's default context, so quantize never overflows. Also fits NUMERIC(14, 2).
AMOUNT_CEILING = Decimal("999999999999.99")
# SQLite and PostgreSQL BIGINT.
COUNT_CEILING = 2**63 - 1

_AMOUNT = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?", re.ASCII)
_COUNT = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)", re.ASCII)
_CURRENCY_PREFIXES = ("¥", "RMB", "CNY", "人民币")
_CURRENCY_SUFFIXES = ("元",)


def _strip_currency(text: str) -> str:
    upper = text.upper()
    for prefix in _CURRENCY_PREFIXES:
        if upper.startswith(prefix):
            text, upper = text[len(prefix) :], upper[len(prefix) :]
            break
    for suffix in _CURRENCY_SUFFIXES:
        text = text.removesuffix(suffix)
    # "-¥5": a sign written before the currency sign.
    if text[:1] in ("+", "-") and text[1:2] == "¥":
        text = text[0] + text[2:]
    return text


def _amount_decimal(value: object, field: str) -> Decimal:
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, float):
        if not math.isfinite(value):
            fail("amount.not_finite", field)
        # repr() is the shortest string that round-trips: 1234.5 -> "1234.5", not 1234.4999999...
        number = Decimal(repr(value))
    elif isinstance(value, int) and not isinstance(value, bool):
        number = Decimal(value)
    else:
        text = as_text(value)
        if text is None:
            fail("amount.format", field)
        cleaned = _strip_currency(compact(text))
        if not cleaned:
            fail("amount.empty", field)
        if not _AMOUNT.fullmatch(cleaned):
            fail("amount.format", field)
        number = Decimal(cleaned.replace(",", ""))
    if not number.is_finite():
        fail("amount.not_finite", field)
    return number


def check_amount(
    value: str | int | float | Decimal,
    field: str = "amount",
    max_value: Decimal | None = None,
) -> Decimal:
    """A non-negative amount in 元 as a Decimal with exactly two decimal places."""
    number = _amount_decimal(value, field)
    if number < 0:
        fail("amount.negative", field)
    limit = AMOUNT_CEILING if max_value is None else min(max_value, AMOUNT_CEILING)
    if number > limit:
        fail("amount.too_large", field, max=f"{limit:,.2f}")
    with localcontext() as ctx:
        ctx.prec = 40
        rounded = number.quantize(CENT)
        if rounded != number:
            fail("amount.too_many_decimals", field)
    # -0.00 and 0.00 are the same amount; store one of them.
    return rounded if rounded != 0 else Decimal("0.00")


def _count_int(value: object, field: str) -> int:
    if isinstance(value, bool):
        fail("count.format", field)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        value = Decimal(value) if math.isfinite(value) else Decimal("NaN")
    if isinstance(value, Decimal):
        # Excel returns whole numbers as 3.0; anything with a fraction (or NaN) is not a count.
        if not value.is_finite() or value != value.to_integral_value():
            fail("count.format", field)
        if abs(value) > COUNT_CEILING:
            fail("count.too_large", field, max=COUNT_CEILING)
        return int(value)
    text = as_text(value)
    if text is None:
        fail("count.format", field)
    cleaned = compact(text)
    if not cleaned:
        fail("count.empty", field)
    if not _COUNT.fullmatch(cleaned):
        fail("count.format", field)
    digits = cleaned.replace(",", "")
    if len(digits.lstrip("+-")) > 19:  # beyond 2**63 in any case; keep int() away from huge strings
        fail("count.too_large", field, max=COUNT_CEILING)
    return int(digits)


def check_count(
    value: str | int | float | Decimal,
    field: str = "count",
    minimum: int = 0,
    maximum: int | None = None,
) -> int:
    """A whole number between ``minimum`` and ``maximum`` (people covered, rooms, attendees ...)."""
    number = _count_int(value, field)
    if number < minimum:
        fail("count.too_small", field, min=minimum)
    limit = COUNT_CEILING if maximum is None else min(maximum, COUNT_CEILING)
    if number > limit:
        fail("count.too_large", field, max=limit)
    return number
