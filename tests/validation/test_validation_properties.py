"""Whole-package properties: no input makes a validator fail with anything but ValidationError, every
error it raises renders in both languages, and every normaliser is idempotent on what it accepts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseapp.errors import ValidationError
from caseapp.messages import CATALOGUE, LANGUAGES
from caseapp.validation import (
    check_amount,
    check_count,
    check_id_consistency,
    check_not_future,
    division_level,
    normalize_disability_card,
    normalize_id_number,
    normalize_landline,
    normalize_mobile,
    normalize_person_name,
    normalize_phone,
    parent_code,
    parse_id_number,
    validate_bank_card,
    validate_division_code,
)

Validator = Callable[[str], object]

VALIDATORS: dict[str, Validator] = {
    "normalize_id_number": normalize_id_number,
    "parse_id_number": parse_id_number,
    "check_id_consistency": lambda s: check_id_consistency(s, "M", date(1990, 1, 1)),
    "normalize_mobile": normalize_mobile,
    "normalize_landline": normalize_landline,
    "normalize_landline_020": lambda s: normalize_landline(s, default_area_code="020"),
    "normalize_phone": normalize_phone,
    "validate_division_code": validate_division_code,
    "division_level": division_level,
    "parent_code": parent_code,
    "normalize_person_name": normalize_person_name,
    "check_amount": check_amount,
    "check_count": check_count,
    "check_not_future": check_not_future,
    "normalize_disability_card": normalize_disability_card,
    "validate_bank_card": validate_bank_card,
}

# Normalisers whose output is meant to be fed back in (check_* return other types).
NORMALISERS: dict[str, Validator] = {
    "normalize_id_number": normalize_id_number,
    "normalize_mobile": normalize_mobile,
    "normalize_landline": normalize_landline,
    "normalize_phone": normalize_phone,
    "validate_division_code": validate_division_code,
    "normalize_person_name": normalize_person_name,
    "normalize_disability_card": normalize_disability_card,
    "validate_bank_card": validate_bank_card,
    "check_amount": lambda s: str(check_amount(s)),
    "check_count": lambda s: str(check_count(s)),
}

# Arbitrary text, plus text built from the characters these formats are made of, so the fuzzing also
# reaches the checks behind the length and character tests.
NEAR_MISS = "0123456789０１２Xx +-()#.,·•．¥元转ext:T\u3000\u200b"
inputs = st.one_of(
    st.text(),
    st.text(alphabet=NEAR_MISS, max_size=25),
    st.text(alphabet="0123456789", min_size=5, max_size=23),
)


def assert_renderable(error: ValidationError) -> None:
    for lang in LANGUAGES:
        text = CATALOGUE[lang][error.key]
        text.format(**error.params)  # raises if a placeholder has no parameter


@pytest.mark.parametrize("name", sorted(VALIDATORS))
@settings(max_examples=300)
@given(raw=inputs)
def test_only_validation_errors(name: str, raw: str) -> None:
    try:
        VALIDATORS[name](raw)
    except ValidationError as error:
        assert_renderable(error)


@pytest.mark.parametrize("name", sorted(NORMALISERS))
@settings(max_examples=300)
@given(raw=inputs)
def test_normalisers_are_idempotent(name: str, raw: str) -> None:
    normalise = NORMALISERS[name]
    try:
        once = normalise(raw)
    except ValidationError:
        return
    assert normalise(once) == once  # type: ignore[arg-type]


@given(
    st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.decimals(allow_nan=True, allow_infinity=True),
        st.integers(),
        st.none(),
        st.booleans(),
    )
)
def test_numeric_inputs_only_raise_validation_errors(value: object) -> None:
    for check in (check_amount, check_count):
        try:
            check(value)  # type: ignore[arg-type]
        except ValidationError as error:
            assert_renderable(error)


@given(st.decimals(allow_nan=False, allow_infinity=False), st.decimals(min_value=0, allow_nan=False))
def test_amount_limits(value: Decimal, limit: Decimal) -> None:
    try:
        result = check_amount(value, max_value=limit)
    except ValidationError as error:
        assert_renderable(error)
        return
    assert 0 <= result <= limit
    assert result == value
    assert result.as_tuple().exponent == -2


def _digits_by_loop(text: str) -> bool:
    """is_ascii_digits as it was written first: a non-empty string of 0-9 only."""
    return bool(text) and all(ch in "0123456789" for ch in text)


def test_ascii_digits_by_the_string_methods_is_the_loop_for_every_character() -> None:
    from caseapp.validation._text import is_ascii_digits

    # every code point, lone surrogates included: Unicode's other digits (fullwidth, Arabic-Indic,
    # superscripts) are digits to str.isdigit but not ASCII, so neither rule takes them
    for point in range(0x110000):
        ch = chr(point)
        assert is_ascii_digits(ch) == _digits_by_loop(ch), hex(point)


@settings(max_examples=500)
@given(st.text(alphabet=st.one_of(st.sampled_from("0123456789０１٣²"), st.characters()), max_size=20))
def test_ascii_digits_by_the_string_methods_is_the_loop(text: str) -> None:
    from caseapp.validation._text import is_ascii_digits

    assert is_ascii_digits(text) == _digits_by_loop(text)
