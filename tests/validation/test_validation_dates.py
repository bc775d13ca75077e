"""Dates typed the ways offices write them all read as the same stored date; anything else is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseapp.domain import Member
from caseapp.errors import ValidationError, ValidationErrors
from caseapp.services.validate import clean, convert
from caseapp.validation.dates import parse_date_text, parse_date_time_text

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def spellings(day: dt.date) -> list[str]:
    y, m, d = day.year, day.month, day.day
    return [day.isoformat(), f"{y}/{m}/{d}", f"{y}.{m}.{d}", f"{y}{m:02d}{d:02d}", f"{y}-{m}-{d}",
            f"{y}/{m:02d}/{d:02d}", f"{y}年{m}月{d}日", f" {y} / {m} / {d} ", f"{y}/{m}/{d}".translate(FULL_WIDTH)]


@pytest.mark.parametrize("typed", ["2026/12/1", "2026.12.1", "20261201", "2026-12-01", "2026年12月1日"])
def test_the_common_forms_of_a_date(typed: str) -> None:
    assert parse_date_text(typed) == dt.date(2026, 12, 1)
    assert convert(Member, "birth_date", typed) == dt.date(2026, 12, 1)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_every_spelling_of_a_day_is_that_day(day: dt.date) -> None:
    for typed in spellings(day):
        assert parse_date_text(typed) == day, typed
    assert parse_date_time_text(f"{day.year}/{day.month}/{day.day} 9:05") == dt.datetime(
        day.year, day.month, day.day, 9, 5)


@pytest.mark.parametrize("typed", ["2026/13/1", "2026.2.30", "2026121", "202612011", "12/1/2026", "2026/12",
                                   "2026-12-01x", "二〇二六年十二月一日", "2026/12/1 25:00"])
def test_what_is_not_a_date_is_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        parse_date_time_text(typed)


def test_a_form_refuses_a_non_date_at_its_field_and_the_wire_keeps_iso_only() -> None:
    with pytest.raises(ValidationErrors) as refused:
        clean(Member, {"name": "王芳", "household_id": "00000000-0000-0000-0000-000000000000",
                       "org_code": "440105001001", "relationship": "02", "birth_date": "2026/13/1"})
    assert [(e.field, e.key) for e in refused.value.errors] == [("birth_date", "record.bad_value")]
    # what devices push is the stored form: another spelling over the wire is refused by the server
    with pytest.raises(ValidationError):
        convert(Member, "birth_date", "2026/12/1", strict=True)
    assert convert(Member, "birth_date", "2026-12-01", strict=True) == dt.date(2026, 12, 1)
