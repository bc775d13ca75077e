"""Division codes: the three shapes, their levels and parents, and each structural error."""

from __future__ import annotations

import pytest
from hypothesis import given

from caseapp.errors import ValidationError
from caseapp.validation import division_level, parent_code, validate_division_code

from .validation_strategies import division_codes, fullwidth

GUANGZHOU_DISTRICTS = ["440103", "440104", "440105", "440106", "440111", "440112", "440113", "440114",
                       "440115", "440117", "440118"]  # fmt: skip
GUANGZHOU_2013 = ["440116", "440183", "440184"]  # 萝岗区, 增城市, 从化市


def key_of(code: str) -> tuple[str, dict[str, object]]:
    with pytest.raises(ValidationError) as info:
        validate_division_code(code)
    assert info.value.field == "division_code"
    return info.value.key, info.value.params


@pytest.mark.parametrize("code", GUANGZHOU_DISTRICTS + GUANGZHOU_2013)
def test_guangzhou_districts_old_and_new(code: str) -> None:
    assert validate_division_code(code) == code
    assert division_level(code) == "district"
    assert parent_code(code) == "440100"


@pytest.mark.parametrize(
    ("code", "level", "parent"),
    [
        ("440000", "province", None),
        ("440100", "city", "440000"),
        ("440104", "district", "440100"),
        ("440104001", "street", "440104"),  # 越秀区 洪桥街道
        ("440104001002", "community", "440104001"),
        ("441900003", "street", "441900"),  # 东莞: towns directly under a city without counties
        ("110101", "district", "110100"),
        ("810000", "province", None),
    ],
)
def test_levels_and_parents(code: str, level: str, parent: str | None) -> None:
    assert division_level(code) == level
    assert parent_code(code) == parent


def test_full_width_and_spaces_are_normalised() -> None:
    assert validate_division_code(fullwidth("440104001")) == "440104001"
    assert validate_division_code(" 440104 001 ") == "440104001"


@pytest.mark.parametrize(
    ("code", "key", "params"),
    [
        ("", "division.empty", {}),
        ("44010", "division.length", {"length": 5}),
        ("4401040011", "division.length", {"length": 10}),
        ("44010A", "division.format", {}),
        ("990100", "division.province", {"prefix": "99"}),
        ("440001", "division.structure", {}),
        ("440000001", "division.structure", {}),
        ("440104000", "division.township", {"part": "000"}),
        ("440104600", "division.township", {"part": "600"}),
        ("440104001000", "division.community", {"part": "000"}),
    ],
)
def test_errors(code: str, key: str, params: dict[str, object]) -> None:
    assert key_of(code) == (key, params)


def test_level_and_parent_validate_first() -> None:
    with pytest.raises(ValidationError):
        division_level("99")
    with pytest.raises(ValidationError):
        parent_code("990000", field="community_code")


@given(division_codes())
def test_generated_codes_are_valid_and_idempotent(code: str) -> None:
    assert validate_division_code(code) == code
    assert validate_division_code(fullwidth(code)) == code
    parent = parent_code(code)
    assert parent is not None
    assert code.startswith(parent.rstrip("0")[:2])
    # Walking up always ends at a province.
    seen = 0
    current: str | None = code
    while current is not None:
        last = current
        current = parent_code(current)
        seen += 1
    assert division_level(last) == "province"
    assert seen <= 5
