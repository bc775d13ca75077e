"""Person names: look-alike dots, padding spaces, rare characters, limits and rejected characters."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseapp.errors import ValidationError
from caseapp.validation import MIDDLE_DOT, normalize_person_name

from .validation_strategies import DOTS, HANZI, RARE_HANZI


def key_of(raw: str) -> tuple[str, dict[str, object]]:
    with pytest.raises(ValidationError) as info:
        normalize_person_name(raw)
    assert info.value.field == "name"
    return info.value.key, info.value.params


@pytest.mark.parametrize("dot", list(DOTS))
def test_each_lookalike_dot_becomes_u00b7(dot: str) -> None:
    assert normalize_person_name(f"买买提{dot}艾力") == "买买提·艾力"
    assert normalize_person_name(f"买买提 {dot} 艾力") == "买买提·艾力"


def test_ascii_full_stop_between_hanzi_is_a_separator() -> None:
    assert normalize_person_name("买买提.艾力") == "买买提·艾力"
    assert normalize_person_name("买买提 . 艾力") == "买买提·艾力"
    assert normalize_person_name("阿卜杜拉.买买提.艾力") == "阿卜杜拉·买买提·艾力"


def test_latin_names_keep_their_full_stops_and_spaces() -> None:
    assert normalize_person_name("  John   F. Kennedy ") == "John F. Kennedy"
    assert normalize_person_name("Martin Luther King Jr.") == "Martin Luther King Jr."
    assert normalize_person_name("O'Brien-Smith") == "O'Brien-Smith"


def test_padding_between_hanzi_is_removed() -> None:
    assert normalize_person_name("张\u3000三") == "张三"
    assert normalize_person_name(" 张  三 ") == "张三"


def test_nfc() -> None:
    assert normalize_person_name("Jose\u0301") == "José"
    assert normalize_person_name("e\u200b\u0301") == "é"


@pytest.mark.parametrize("name", ["𠮷野家", "䶮", "王〇", "𪚥", "李𤭢", "龘"])
def test_rare_characters_are_accepted(name: str) -> None:
    assert normalize_person_name(name) == name


def test_length_counts_code_points() -> None:
    assert normalize_person_name("𠮷" * 50) == "𠮷" * 50
    assert key_of("𠮷" * 51) == ("name.too_long", {"max": 50, "length": 51})
    assert key_of("张" * 51) == ("name.too_long", {"max": 50, "length": 51})
    assert normalize_person_name("张" * 60, max_length=60) == "张" * 60


@pytest.mark.parametrize(
    ("raw", "key", "params"),
    [
        ("", "name.empty", {}),
        (" \u3000\t", "name.empty", {}),
        ("张三3", "name.digit", {"char": "3"}),
        ("张三３", "name.digit", {"char": "３"}),
        ("张三②", "name.digit", {"char": "②"}),
        ("张\x07三", "name.control_char", {"code": "U+0007"}),
        ("张\u202e三", "name.control_char", {"code": "U+202E"}),
        ("·买买提", "name.dot_edge", {}),
        ("买买提·", "name.dot_edge", {}),
        ("买买提•", "name.dot_edge", {}),
        (".John", "name.dot_edge", {}),
        ("张三.", "name.dot_edge", {}),
        ("买买提··艾力", "name.dot_double", {}),
        ("买买提•・艾力", "name.dot_double", {}),
        ("买买提 · · 艾力", "name.dot_double", {}),
        ("买买提..艾力", "name.dot_double", {}),
    ],
)
def test_errors(raw: str, key: str, params: dict[str, object]) -> None:
    assert key_of(raw) == (key, params)


def test_non_text_is_rejected() -> None:
    with pytest.raises(ValidationError) as info:
        normalize_person_name(123)  # type: ignore[arg-type]
    assert info.value.key == "name.format"


name_parts = st.text(alphabet=HANZI + RARE_HANZI, min_size=1, max_size=6)


@given(st.lists(name_parts, min_size=1, max_size=4), st.lists(st.sampled_from(DOTS + "."), min_size=3, max_size=3))
def test_generated_minority_names(parts: list[str], dots: list[str]) -> None:
    typed = "".join(part + (dots[i] if i < len(parts) - 1 else "") for i, part in enumerate(parts[:4]))
    name = normalize_person_name(typed)
    assert name == MIDDLE_DOT.join(parts)
    assert normalize_person_name(name) == name


@given(st.text(alphabet=HANZI + RARE_HANZI + DOTS + " .\u3000abcXYZé\u0301'-", max_size=60))
def test_idempotent_on_anything_it_accepts(raw: str) -> None:
    try:
        once = normalize_person_name(raw)
    except ValidationError:
        return
    assert normalize_person_name(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert all(dot not in once for dot in DOTS[1:])
