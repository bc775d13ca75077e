"""Phone numbers: mobiles with every decoration, new prefixes, landlines and the combined form."""

from __future__ import annotations

import pytest
from hypothesis import given

from caseapp.errors import ValidationError
from caseapp.validation import normalize_landline, normalize_mobile, normalize_phone

from .validation_strategies import decorated_mobiles, landlines


def key_of(func: object, *args: object, **kwargs: object) -> str:
    with pytest.raises(ValidationError) as info:
        func(*args, **kwargs)  # type: ignore[operator]
    return info.value.key


@pytest.mark.parametrize(
    "typed",
    [
        "13812345678",
        "+8613812345678",
        "+86 138 1234 5678",
        "0086-138-1234-5678",
        "8613812345678",
        "(+86) 138-1234-5678",
        "１３８１２３４５６７８",
        "＋８６　１３８－１２３４－５６７８",
        "138\u20141234\u20145678",
    ],
)
def test_mobile_decorations_are_removed(typed: str) -> None:
    assert normalize_mobile(typed) == "13812345678"


@pytest.mark.parametrize("prefix", ["190", "192", "196", "197", "199", "166", "145", "170"])
def test_new_and_unusual_prefixes_accepted(prefix: str) -> None:
    assert normalize_mobile(prefix + "12345678") == prefix + "12345678"


@pytest.mark.parametrize(
    "typed", ["12812345678", "23812345678", "1381234567", "138123456789", "13812345678x", "+85213812345678"]
)
def test_bad_mobiles(typed: str) -> None:
    assert key_of(normalize_mobile, typed) == "phone.mobile"


def test_empty_phone() -> None:
    for func in (normalize_mobile, normalize_landline, normalize_phone):
        assert key_of(func, " ") == "phone.empty"


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("020-87654321", "020-87654321"),
        ("02087654321", "020-87654321"),
        ("(020)87654321", "020-87654321"),
        ("020 8765 4321", "020-87654321"),
        ("０２０－８７６５４３２１", "020-87654321"),
        ("+86 20 8765 4321", "020-87654321"),
        ("0086-20-87654321", "020-87654321"),
        ("010-62345678", "010-62345678"),
        ("0755-2345678", "0755-2345678"),
        ("0755-23456789", "0755-23456789"),
        ("020-87654321转801", "020-87654321-801"),
        ("020-87654321 分机 801", "020-87654321-801"),
        ("020-87654321 ext. 801", "020-87654321-801"),
        ("020-87654321-801", "020-87654321-801"),
        ("0755-2345678-8", "0755-2345678-8"),
    ],
)
def test_landlines(typed: str, canonical: str) -> None:
    assert normalize_landline(typed) == canonical
    assert normalize_phone(typed) == canonical


@pytest.mark.parametrize(
    "typed",
    [
        "020-8765432",  # Guangzhou numbers have 8 digits
        "020-876543210",
        "020-07654321",  # local numbers never start with 0 or 1
        "020-17654321",
        "011-87654321",  # no such area code
        "0755-234567",
        "13812345678",
        "020-8765abcd",
    ],
)
def test_bad_landlines(typed: str) -> None:
    assert key_of(normalize_landline, typed) == "phone.landline"


def test_bare_local_number_needs_default_area_code() -> None:
    assert key_of(normalize_landline, "87654321") == "phone.landline"
    assert normalize_landline("87654321", default_area_code="020") == "020-87654321"
    assert normalize_landline("8765 4321", default_area_code="020") == "020-87654321"
    assert normalize_phone("87654321", default_area_code="020") == "020-87654321"
    assert key_of(normalize_landline, "7654321", default_area_code="020") == "phone.landline"
    # An explicit area code wins over the default.
    assert normalize_landline("0755-2345678", default_area_code="020") == "0755-2345678"


def test_bad_default_area_code_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        normalize_landline("87654321", default_area_code="20")


def test_phone_accepts_either_form() -> None:
    assert normalize_phone("+86 196 1234 5678") == "19612345678"
    assert normalize_phone("020-87654321") == "020-87654321"
    assert key_of(normalize_phone, "12345") == "phone.invalid"
    assert key_of(normalize_phone, "87654321") == "phone.invalid"


def test_excel_int_is_accepted() -> None:
    assert normalize_phone(13812345678) == "13812345678"  # type: ignore[arg-type]


@given(decorated_mobiles())
def test_mobile_normalisation_is_idempotent(generated: tuple[str, str]) -> None:
    typed, number = generated
    assert normalize_mobile(typed) == number
    assert normalize_mobile(number) == number
    assert normalize_phone(typed) == number


@given(landlines())
def test_landline_normalisation_is_idempotent(generated: tuple[str, str]) -> None:
    typed, canonical = generated
    assert normalize_landline(typed) == canonical
    assert normalize_landline(canonical) == canonical
    assert normalize_phone(canonical) == canonical
