"""Disability certificate numbers (残疾人证号) and bank card / passbook numbers.

The disability certificate number is the holder's 18-character ID number followed by the disability
type (1 视力 vision, 2 听力 hearing, 3 言语 speech, 4 肢体 physical, 5 智力 intellectual, 6 精神
mental, 7 多重 multiple) and grade (1-4, 一级 most severe); reissued cards append one or two more
digits, hence 20-22 characters. The ID part is validated in full, so a mistyped certificate number is
caught like a mistyped ID.

Bank accounts are where aid is paid, so the check is about catching typos without blocking real
accounts: 12-19 digits. The Luhn check digit is *not* enforced: many rural credit cooperative
passbooks (存折) and older accounts do not carry one.
"""

from __future__ import annotations

import re

from caseapp.validation._text import as_text, compact, fail, is_ascii_digits
from caseapp.validation.idnumber import parse_id_number

_DISABILITY_CARD = re.compile(r"[0-9]{17}[0-9X][0-9][0-9][0-9]{0,2}", re.ASCII)


def normalize_disability_card(raw: str, field: str = "disability_card") -> str:
    """The certificate number in canonical form (ASCII, upper-case X), 20-22 characters."""
    text = as_text(raw)
    if text is None:
        fail("disability.format", field)
    number = compact(text).upper()
    if not number:
        fail("disability.empty", field)
    if not 20 <= len(number) <= 22:
        fail("disability.length", field, length=len(number))
    if not _DISABILITY_CARD.fullmatch(number):
        fail("disability.format", field)
    # The first 18 characters are an ID number: errors name the same positions, so the ID keys fit.
    parse_id_number(number[:18], field)
    kind, grade = number[18], number[19]
    if kind not in "1234567":
        fail("disability.type", field, digit=kind)
    if grade not in "1234":
        fail("disability.grade", field, digit=grade)
    return number


def luhn_ok(digits: str) -> bool:
    """True if the last digit is a valid Luhn (ISO/IEC 7812) check digit for the rest."""
    if not is_ascii_digits(digits):
        return False
    total = 0
    for position, ch in enumerate(reversed(digits)):
        n = int(ch)
        if position % 2 == 1:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def validate_bank_card(raw: str, field: str = "bank_account") -> str:
    """The account number as 12-19 ASCII digits (spaces and hyphens removed).

    Luhn failures are accepted (see the module docstring); a form may call :func:`luhn_ok` to warn
    "please double-check" for 16-19 digit card numbers.
    """
    text = as_text(raw)
    if text is None:
        fail("bank.format", field)
    number = compact(text).replace("-", "")
    if not number:
        fail("bank.empty", field)
    if not is_ascii_digits(number):
        fail("bank.format", field)
    if not 12 <= len(number) <= 19:
        fail("bank.length", field, length=len(number))
    return number
