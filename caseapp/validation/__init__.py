"""Input validation for CaseApp: pure functions, no Qt, no HTTP, no database.

Every validator either returns the value in its canonical stored form or raises
``caseapp.errors.ValidationError(key, field, **params)``; the key is looked up in
``caseapp.messages.validation`` and ``field`` names the form input, so the UI can mark the right box
and show a message that says what is wrong and what is expected. Validators normalise before they
judge (full-width digits, stray spaces, look-alike characters), because that is how real input
arrives from Chinese input methods, WeChat and Excel; what they store is always one canonical form,
so the same person or number never appears twice under different spellings.
"""

from caseapp.validation.cards import luhn_ok, normalize_disability_card, validate_bank_card
from caseapp.validation.division import DivisionLevel, division_level, parent_code, validate_division_code
from caseapp.validation.idnumber import (
    EARLIEST_BIRTH_DATE,
    PROVINCE_PREFIXES,
    IdNumberInfo,
    Sex,
    check_id_consistency,
    id_check_char,
    normalize_id_number,
    parse_id_number,
)
from caseapp.validation.names import MAX_NAME_LENGTH, MIDDLE_DOT, normalize_person_name
from caseapp.validation.numbers import AMOUNT_CEILING, COUNT_CEILING, check_amount, check_count
from caseapp.validation.phone import normalize_landline, normalize_mobile, normalize_phone
from caseapp.validation.times import DEFAULT_TOLERANCE, check_not_future

__all__ = [
    "AMOUNT_CEILING",
    "COUNT_CEILING",
    "DEFAULT_TOLERANCE",
    "EARLIEST_BIRTH_DATE",
    "MAX_NAME_LENGTH",
    "MIDDLE_DOT",
    "PROVINCE_PREFIXES",
    "DivisionLevel",
    "IdNumberInfo",
    "Sex",
    "check_amount",
    "check_count",
    "check_id_consistency",
    "check_not_future",
    "division_level",
    "id_check_char",
    "luhn_ok",
    "normalize_disability_card",
    "normalize_id_number",
    "normalize_landline",
    "normalize_mobile",
    "normalize_person_name",
    "normalize_phone",
    "parent_code",
    "parse_id_number",
    "validate_bank_card",
    "validate_division_code",
]
