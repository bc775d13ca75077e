"""Every key the validators can raise is in the catalogue, in both languages, with the same placeholders."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import caseapp.validation
from caseapp.errors import ValidationError
from caseapp.messages import CATALOGUE, LANGUAGES, field_label, placeholders, render
from caseapp.messages.validation import MESSAGES

PACKAGE_DIR = Path(caseapp.validation.__file__).parent
KEY_SHAPE = re.compile(r"^(idnumber|sex|phone|division|name|amount|count|time|disability|bank)\.[a-z_]+$")

COMMON_FIELDS = [
    "name", "id_number", "sex", "birth_date", "phone", "address", "division_code", "org_code", "amount",
    "monthly_amount", "people_covered", "visited_at", "occurred_at", "relationship", "income_amount",
    "disability_card", "bank_account",
]  # fmt: skip


def keys_in_source() -> set[str]:
    """Every string literal in caseapp/validation shaped like a message key."""
    found: set[str] = set()
    for path in PACKAGE_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and KEY_SHAPE.match(node.value):
                found.add(node.value)
    return found


def fields_in_source() -> set[str]:
    """Default values of ``field`` parameters plus literal fields passed to fail()."""
    found: set[str] = set()
    for path in PACKAGE_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                args = node.args.args + node.args.kwonlyargs
                defaults = [None] * (len(node.args.args) - len(node.args.defaults)) + list(node.args.defaults)
                defaults += list(node.args.kw_defaults)
                for arg, default in zip(args, defaults, strict=True):
                    if arg.arg == "field" and isinstance(default, ast.Constant):
                        found.add(str(default.value))
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "fail"
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
            ):
                found.add(str(node.args[1].value))
    return found


def test_source_scan_finds_keys() -> None:
    keys = keys_in_source()
    assert len(keys) > 40
    assert {"idnumber.checksum", "name.dot_double", "phone.invalid"} <= keys


@pytest.mark.parametrize("key", sorted(keys_in_source()))
def test_every_raised_key_is_in_both_languages(key: str) -> None:
    for lang in LANGUAGES:
        assert key in MESSAGES[lang], f"{key} missing in {lang}"
        assert key in CATALOGUE[lang]


def test_catalogue_languages_match_with_identical_placeholders() -> None:
    zh, en = MESSAGES["zh"], MESSAGES["en"]
    assert set(zh) == set(en)
    for key, text in zh.items():
        assert placeholders(text) == placeholders(en[key]), key


def test_no_unused_messages() -> None:
    used = keys_in_source()
    declared = {k for k in MESSAGES["zh"] if not k.startswith("field.")}
    assert declared == used


@pytest.mark.parametrize("field", sorted(set(COMMON_FIELDS) | fields_in_source()))
def test_field_labels(field: str) -> None:
    # A record field's label is on its model; other inputs have theirs in the catalogue.
    for lang in LANGUAGES:
        assert field_label(field, lang) not in ("", field), f"no {lang} label for {field}"


def test_chinese_messages_are_chinese() -> None:
    for key, text in MESSAGES["zh"].items():
        assert re.search(r"[\u4e00-\u9fff]", text), key


def test_render() -> None:
    error = ValidationError("idnumber.checksum", "id_number", expected="X", actual="3")
    assert render(error, "zh").startswith("身份证号码：第18位校验码不对")
    assert "“X”" in render(error, "zh")
    assert render(error, "en").startswith("ID number: The check character")
