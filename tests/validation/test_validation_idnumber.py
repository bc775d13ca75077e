"""ID numbers: the DOMAIN.md values, normalisation, legacy conversion, every error key, consistency."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseapp.errors import ValidationError
from caseapp.validation import (
    IdNumberInfo,
    check_id_consistency,
    id_check_char,
    normalize_id_number,
    parse_id_number,
)

from .validation_strategies import (
    TODAY,
    decorated_id_numbers,
    fullwidth,
    id_numbers,
    legacy_id_numbers,
    reference_check_char,
)


def key_of(func: object, *args: object, **kwargs: object) -> tuple[str, str | None, dict[str, object]]:
    with pytest.raises(ValidationError) as info:
        func(*args, **kwargs)  # type: ignore[operator]
    return info.value.key, info.value.field, info.value.params


@pytest.mark.parametrize("number", ["11010519491231002X", "360426199101010071"])
def test_domain_values_pass(number: str) -> None:
    assert normalize_id_number(number) == number


def test_domain_failing_value_has_wrong_check_char() -> None:
    key, field, params = key_of(normalize_id_number, "230307196304054513")
    assert (key, field) == ("idnumber.checksum", "id_number")
    assert params == {"expected": "X", "actual": "3"}


@pytest.mark.parametrize(
    "typed",
    [
        "11010519491231002x",
        "１１０１０５１９４９１２３１００２Ｘ",
        "１１０１０５１９４９１２３１００２ｘ",
        " 110105 19491231 002X ",
        "110105\u300019491231\u3000002x\n",
        "\ufeff11010519491231002X\u200b",
    ],
)
def test_normalisation(typed: str) -> None:
    assert normalize_id_number(typed) == "11010519491231002X"


def test_parse_returns_facts() -> None:
    assert parse_id_number("11010519491231002X") == IdNumberInfo(
        number="11010519491231002X", division_code="110105", birth_date=date(1949, 12, 31), sex="F"
    )
    assert parse_id_number("360426199101010071").sex == "M"


def test_legacy_15_digit_is_upgraded() -> None:
    assert normalize_id_number("110105491231002") == "11010519491231002X"
    assert parse_id_number("１１０１０５４９１２３１００２").birth_date == date(1949, 12, 31)


def test_abolished_division_codes_are_accepted() -> None:
    # 萝岗区 440116, 增城市 440183, 从化市 440184 appear on IDs issued before 2014.
    for address in ("440116", "440183", "440184", "810000", "820000", "830000"):
        first17 = address + "19800101" + "123"
        assert normalize_id_number(first17 + reference_check_char(first17)).startswith(address)


def _with_check(first17: str) -> str:
    return first17 + reference_check_char(first17)


@pytest.mark.parametrize(
    ("raw", "key", "params"),
    [
        ("", "idnumber.empty", {}),
        ("   \u3000", "idnumber.empty", {}),
        ("1101051949123100", "idnumber.length", {"length": 16}),
        ("11010519491231002X1", "idnumber.length", {"length": 19}),
        ("1101051949123100XX", "idnumber.format", {}),
        ("11010519491231A02X", "idnumber.format", {}),
        ("11010549123100X", "idnumber.format", {}),
        ("١١٠١٠٥١٩٤٩١٢٣١٠٠٢X", "idnumber.format", {}),  # Arabic-Indic digits are not ASCII digits
        (_with_check("99010519491231002"), "idnumber.province", {"prefix": "99"}),
        (_with_check("01010519491231002"), "idnumber.province", {"prefix": "01"}),
        (_with_check("11010519490229002"), "idnumber.date", {"date": "1949-02-29"}),
        (_with_check("11010519491301002"), "idnumber.date", {"date": "1949-13-01"}),
        (_with_check("11010500000101002"), "idnumber.date", {"date": "0000-01-01"}),
        ("110105000229002", "idnumber.date", {"date": "1900-02-29"}),  # 1900 was not a leap year
        (_with_check("11010518891231002"), "idnumber.date_too_early", {"date": "1889-12-31", "earliest": 1890}),
        (_with_check("11010520240602002"), "idnumber.future", {"date": "2024-06-02"}),
    ],
)
def test_error_keys(raw: str, key: str, params: dict[str, object]) -> None:
    assert key_of(parse_id_number, raw, today=TODAY) == (key, "id_number", params)


def test_leap_day_and_today_accepted() -> None:
    assert parse_id_number(_with_check("11010520000229002")).birth_date == date(2000, 2, 29)
    assert parse_id_number(_with_check("11010520240601002"), today=TODAY).birth_date == TODAY
    assert parse_id_number(_with_check("11010518900101002")).birth_date == date(1890, 1, 1)


def test_today_may_be_a_datetime() -> None:
    number = _with_check("11010520240601002")
    assert parse_id_number(number, today=datetime(2024, 6, 1, 12)).birth_date == TODAY


def test_field_name_is_passed_through() -> None:
    assert key_of(normalize_id_number, "", field="guardian_id")[1] == "guardian_id"


def test_none_counts_as_empty() -> None:
    assert key_of(normalize_id_number, None)[0] == "idnumber.empty"


def test_id_check_char_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        id_check_char("123")


# --- consistency -------------------------------------------------------------------------------


def test_consistency_ok_and_skipped() -> None:
    check_id_consistency("11010519491231002X", "F", date(1949, 12, 31))
    check_id_consistency("11010519491231002X", None, None)
    check_id_consistency("11010519491231002X", "F", datetime(1949, 12, 31, 8, 0))


def test_consistency_sex_mismatch() -> None:
    assert key_of(check_id_consistency, "11010519491231002X", "M", None) == (
        "idnumber.sex_mismatch_female",
        "sex",
        {"expected": "F", "given": "M"},
    )
    assert key_of(check_id_consistency, "360426199101010071", "F", None)[:2] == (
        "idnumber.sex_mismatch_male",
        "sex",
    )


def test_consistency_birth_date_mismatch() -> None:
    assert key_of(check_id_consistency, "11010519491231002X", None, date(1949, 12, 30)) == (
        "idnumber.birth_date_mismatch",
        "birth_date",
        {"expected": "1949-12-31", "given": "1949-12-30"},
    )


def test_consistency_bad_sex_value_and_bad_id() -> None:
    assert key_of(check_id_consistency, "11010519491231002X", "女", None)[:2] == ("sex.invalid", "sex")
    assert key_of(check_id_consistency, "230307196304054513", "M", None, field="holder_id")[:2] == (
        "idnumber.checksum",
        "holder_id",
    )


# --- properties --------------------------------------------------------------------------------


@given(id_numbers())
def test_generated_numbers_round_trip(generated: tuple[str, str, date, str]) -> None:
    number, address, born, seq = generated
    info = parse_id_number(number, today=TODAY)
    assert info == IdNumberInfo(number, address, born, "M" if int(seq[-1]) % 2 else "F")
    assert id_check_char(number[:17]) == number[17]


@given(legacy_id_numbers())
def test_legacy_conversion_round_trips(generated: tuple[str, str]) -> None:
    legacy, full = generated
    assert normalize_id_number(legacy) == full
    assert normalize_id_number(fullwidth(legacy)) == full
    assert normalize_id_number(normalize_id_number(legacy)) == full


@given(id_numbers(), st.integers(min_value=0, max_value=17), st.integers(min_value=1, max_value=10))
def test_any_single_character_change_is_rejected(
    generated: tuple[str, str, date, str], position: int, shift: int
) -> None:
    number = generated[0]
    alphabet = "0123456789X" if position == 17 else "0123456789"
    old = alphabet.index(number[position])
    new = alphabet[(old + shift) % len(alphabet)]
    if new == number[position]:  # shift == 10 on a 10-character alphabet
        new = alphabet[(old + 1) % len(alphabet)]
    corrupted = number[:position] + new + number[position + 1 :]
    with pytest.raises(ValidationError):
        parse_id_number(corrupted, today=TODAY)


@given(decorated_id_numbers())
def test_normalisation_is_idempotent(generated: tuple[str, str]) -> None:
    typed, number = generated
    once = normalize_id_number(typed, today=TODAY)
    assert once == number
    assert normalize_id_number(once, today=TODAY) == once
