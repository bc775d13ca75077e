"""Disability certificate numbers and bank accounts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseapp.errors import ValidationError
from caseapp.validation import luhn_ok, normalize_disability_card, validate_bank_card

from .validation_strategies import fullwidth, id_numbers

ID = "11010519491231002X"


def key_of(func: object, raw: object) -> tuple[str, str | None, dict[str, object]]:
    with pytest.raises(ValidationError) as info:
        func(raw)  # type: ignore[operator]
    return info.value.key, info.value.field, info.value.params


@pytest.mark.parametrize("suffix", ["42", "711", "1412", "14"])
def test_valid_disability_cards(suffix: str) -> None:
    assert normalize_disability_card(ID + suffix) == ID + suffix


def test_disability_card_normalisation() -> None:
    assert normalize_disability_card(fullwidth(ID.lower() + "42")) == ID + "42"
    assert normalize_disability_card(f" {ID} 42 ") == ID + "42"


@pytest.mark.parametrize(
    ("raw", "key", "params"),
    [
        ("", "disability.empty", {}),
        (ID, "disability.length", {"length": 18}),
        (ID + "4", "disability.length", {"length": 19}),
        (ID + "42123", "disability.length", {"length": 23}),
        ("1101051949123100X242", "disability.format", {}),
        (ID + "4A", "disability.format", {}),
        (ID + "82", "disability.type", {"digit": "8"}),
        (ID + "02", "disability.type", {"digit": "0"}),
        (ID + "45", "disability.grade", {"digit": "5"}),
        (ID + "40", "disability.grade", {"digit": "0"}),
        ("230307196304054513" + "42", "idnumber.checksum", {"expected": "X", "actual": "3"}),
    ],
)
def test_disability_card_errors(raw: str, key: str, params: dict[str, object]) -> None:
    assert key_of(normalize_disability_card, raw) == (key, "disability_card", params)


@given(id_numbers(), st.sampled_from("1234567"), st.sampled_from("1234"), st.text("0123456789", max_size=2))
def test_disability_card_idempotent(generated: tuple[str, object, object, object], kind: str, grade: str,
                                    reissue: str) -> None:  # fmt: skip
    card = generated[0] + kind + grade + reissue
    assert normalize_disability_card(card.lower()) == card
    assert normalize_disability_card(normalize_disability_card(card)) == card


@pytest.mark.parametrize(
    "raw",
    [
        "6222 0202 0000 1234 567",
        "6222-0202-0000-1234",
        "622202020000",  # 12-digit passbook account
        "６２２２０２０２００００１２３４５６７",
        "4111111111111111",
        "4111111111111112",  # Luhn fails: still accepted
    ],
)
def test_bank_accounts_accepted(raw: str) -> None:
    result = validate_bank_card(raw)
    assert result.isascii() and result.isdigit()
    assert validate_bank_card(result) == result


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("", "bank.empty"),
        ("62220202000", "bank.length"),
        ("6" * 20, "bank.length"),
        ("6222a202000012345", "bank.format"),
    ],
)
def test_bank_account_errors(raw: str, key: str) -> None:
    assert key_of(validate_bank_card, raw)[:2] == (key, "bank_account")


def test_luhn() -> None:
    assert luhn_ok("4111111111111111")
    assert not luhn_ok("4111111111111112")
    assert not luhn_ok("")
    assert not luhn_ok("41111x")
