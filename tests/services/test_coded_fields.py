"""Ethnicity (GB 3304) and education (GB/T 4658) take codes, and the names ledgers write."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseapp import refdata
from caseapp.domain import Member
from caseapp.errors import ValidationErrors
from caseapp.services.validate import clean


@pytest.mark.parametrize(("typed", "code"), [("汉族", "01"), ("汉", "01"), ("01", "01"), ("维吾尔族", "05"),
                                             ("Zhuang", "08"), ("外国血统中国籍人士", "98")])
def test_ethnicity_names_become_codes(typed: str, code: str) -> None:
    assert clean(Member, {"ethnicity": typed}, partial=True) == {"ethnicity": code}


@pytest.mark.parametrize(("typed", "code"), [("本科", "20"), ("大学本科", "20"), ("大专", "30"), ("中专", "40"),
                                             ("高中", "60"), ("初中", "70"), ("小学", "80"), ("文盲或半文盲", "90"),
                                             ("研究生", "10"), ("60", "60")])
def test_education_names_become_codes(typed: str, code: str) -> None:
    assert clean(Member, {"education": typed}, partial=True) == {"education": code}


def test_an_unknown_value_is_refused_with_the_field_named() -> None:
    with pytest.raises(ValidationErrors) as refused:
        clean(Member, {"ethnicity": "火星族", "education": "幼儿园大班"}, partial=True)
    assert {(e.key, e.field) for e in refused.value.errors} == {("record.not_in_list", "ethnicity"),
                                                                ("record.not_in_list", "education")}


@given(st.sampled_from(sorted(refdata.dictionary("ethnicity"))))
def test_every_ethnic_group_round_trips_through_its_name(code: str) -> None:
    name = refdata.label("ethnicity", code)
    assert clean(Member, {"ethnicity": name}, partial=True) == {"ethnicity": code}
    assert clean(Member, {"ethnicity": code}, partial=True) == {"ethnicity": code}


def test_there_are_56_ethnic_groups_and_two_others() -> None:
    codes = refdata.dictionary("ethnicity")
    assert len([c for c in codes if int(c) <= 56]) == 56 and {"97", "98"} <= set(codes)
