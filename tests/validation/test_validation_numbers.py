"""Amounts and counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseapp.errors import ValidationError
from caseapp.validation import check_amount, check_count


def amount_key(value: object, **kwargs: object) -> tuple[str, dict[str, object]]:
    with pytest.raises(ValidationError) as info:
        check_amount(value, **kwargs)  # type: ignore[arg-type]
    assert info.value.field == kwargs.get("field", "amount")
    return info.value.key, info.value.params


def count_key(value: object, **kwargs: object) -> tuple[str, dict[str, object]]:
    with pytest.raises(ValidationError) as info:
        check_count(value, **kwargs)  # type: ignore[arg-type]
    return info.value.key, info.value.params


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1,234.50", "1234.50"),
        ("1234.5", "1234.50"),
        ("１，２３４．５０", "1234.50"),
        ("¥300", "300.00"),
        ("￥300", "300.00"),
        ("300元", "300.00"),
        ("¥ 1,200 元", "1200.00"),
        ("RMB 88", "88.00"),
        ("0", "0.00"),
        ("-0", "0.00"),
        ("1.500", "1.50"),
        (" 12 ", "12.00"),
        (1234, "1234.00"),
        (1234.5, "1234.50"),
        (0.1, "0.10"),
        (Decimal("99.9"), "99.90"),
        ("999999999999.99", "999999999999.99"),
    ],
)
def test_accepted_amounts(value: object, expected: str) -> None:
    result = check_amount(value)  # type: ignore[arg-type]
    assert result == Decimal(expected)
    assert str(result) == expected


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("", "amount.empty"),
        ("元", "amount.empty"),
        (None, "amount.empty"),
        ("-5", "amount.negative"),
        ("-¥5", "amount.negative"),
        (-0.01, "amount.negative"),
        (Decimal("-1"), "amount.negative"),
        ("1.005", "amount.too_many_decimals"),
        (1.005, "amount.too_many_decimals"),
        (Decimal("0.001"), "amount.too_many_decimals"),
        ("NaN", "amount.format"),
        ("Infinity", "amount.format"),
        ("1e5", "amount.format"),
        ("12,34", "amount.format"),
        ("1.2.3", "amount.format"),
        ("١٢٣", "amount.format"),
        ("abc", "amount.format"),
        (True, "amount.format"),
        ([1], "amount.format"),
        (float("nan"), "amount.not_finite"),
        (float("inf"), "amount.not_finite"),
        (Decimal("NaN"), "amount.not_finite"),
        (Decimal("sNaN"), "amount.not_finite"),
        (Decimal("-Infinity"), "amount.not_finite"),
        ("1000000000000", "amount.too_large"),
        (Decimal("1E+100"), "amount.too_large"),
    ],
)
def test_rejected_amounts(value: object, key: str) -> None:
    assert amount_key(value)[0] == key


def test_max_value() -> None:
    assert check_amount("500", field="monthly_amount", max_value=Decimal("500")) == Decimal("500.00")
    assert amount_key("500.01", field="monthly_amount", max_value=Decimal("500")) == (
        "amount.too_large",
        {"max": "500.00"},
    )


def test_huge_digit_strings_do_not_crash() -> None:
    assert amount_key("9" * 5000)[0] == "amount.too_large"
    assert amount_key("0." + "1" * 5000)[0] == "amount.too_many_decimals"


@given(st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2))
def test_amount_round_trips_through_text(value: Decimal) -> None:
    once = check_amount(value)
    assert check_amount(str(once)) == once
    assert check_amount(f"{once:,}") == once
    assert check_amount(check_amount(once)) == once


@pytest.mark.parametrize(("value", "expected"), [("3", 3), ("３", 3), (" 1,200 ", 1200), (4, 4), (2.0, 2)])
def test_counts(value: object, expected: int) -> None:
    assert check_count(value, "people_covered") == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "kwargs", "key"),
    [
        ("", {}, "count.empty"),
        ("2.5", {}, "count.format"),
        (2.5, {}, "count.format"),
        (float("nan"), {}, "count.format"),
        (Decimal("Infinity"), {}, "count.format"),
        (True, {}, "count.format"),
        ("three", {}, "count.format"),
        ("-1", {}, "count.too_small"),
        ("0", {"minimum": 1}, "count.too_small"),
        ("11", {"maximum": 10}, "count.too_large"),
        ("9" * 5000, {}, "count.too_large"),
        (1e300, {}, "count.too_large"),
    ],
)
def test_count_errors(value: object, kwargs: dict[str, int], key: str) -> None:
    assert count_key(value, **kwargs)[0] == key


def test_count_error_params() -> None:
    assert count_key("0", field="people_covered", minimum=1) == ("count.too_small", {"min": 1})
    assert count_key("11", maximum=10) == ("count.too_large", {"max": 10})


@given(st.integers(min_value=0, max_value=10**9))
def test_count_idempotent(n: int) -> None:
    assert check_count(str(check_count(f"{n:,}"))) == n
