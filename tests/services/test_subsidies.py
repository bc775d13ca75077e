"""The computed amount of the subsidy categories (高龄津贴, 残疾人两项补贴): properties of the rules,
over the packaged table (its figures: 80-89 ¥100, 90-99 ¥200, 100- ¥500; care grade 1 ¥300, 2 ¥200)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from caseapp.refdata import standards
from caseapp.services.assessment import MemberFacts, assess, assess_values, needs_reason

ON = dt.date(2026, 6, 1)
DISTRICT = "440106"


def _birthday(years: int, on: dt.date = ON) -> dt.date:
    """The day someone turns ``years`` on ``on`` (29 February falls back to the 28th)."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


def _figure(kind: str, level: str) -> Decimal:
    return standards().standard_for(kind, ON, DISTRICT, False, level).amount


def _tier(age: int) -> Decimal:
    if age >= 100:
        return _figure("elder_allowance", "100-")
    if age >= 90:
        return _figure("elder_allowance", "90-99")
    if age >= 80:
        return _figure("elder_allowance", "80-89")
    return Decimal("0")


def _elder(i: int, born: dt.date | None, grade: str | None = None) -> MemberFacts:
    return MemberFacts(f"m{i:02d}", f"成员{i}", born, grade)


def test_the_categories_map_to_their_kinds_in_the_table() -> None:
    assert standards().kind_for("elderly_subsidy") == "elder_allowance"
    assert standards().kind_for("disability_subsidy") == "disability_care"


@given(st.sampled_from([80, 90, 100]), st.sampled_from([-1, 0]))
def test_the_tier_changes_on_the_80th_90th_and_100th_birthday(boundary: int, shift: int) -> None:
    # born a day later than the birthday: still one year younger on the assessment day
    born = _birthday(boundary) + dt.timedelta(days=-shift)
    result = assess("elderly_subsidy", ON, DISTRICT, False, 1, [], [_elder(0, born)])
    assert result is not None
    expected = _tier(boundary if shift == 0 else boundary - 1)
    assert result.computed == expected
    assert len(result.shares) == (1 if expected else 0)


@given(st.lists(st.integers(min_value=0, max_value=110), max_size=8), st.integers(min_value=0, max_value=8),
       st.lists(st.decimals(min_value=0, max_value=5000, places=2), max_size=3))
def test_elders_at_most_people_covered_largest_first_income_ignored(ages: list[int], covered: int,
                                                                    incomes: list[Decimal]) -> None:
    members = [_elder(i, _birthday(a)) for i, a in enumerate(ages)]
    result = assess("elderly_subsidy", ON, DISTRICT, False, covered, incomes, members)
    assert result is not None and result.per_member and result.base_amount == 0
    figures = sorted((_tier(a) for a in ages if a >= 80), reverse=True)[:covered]
    assert result.computed == sum(figures, Decimal("0"))
    assert len(result.shares) == len(figures) <= covered
    assert [s.amount for s in result.shares] == figures


def test_an_elder_of_unknown_birth_date_gets_nothing() -> None:
    result = assess("elderly_subsidy", ON, DISTRICT, False, 2, [], [_elder(0, None), _elder(1, _birthday(85))])
    assert result is not None and result.computed == _tier(85) and [s.member_id for s in result.shares] == ["m01"]


@given(st.lists(st.sampled_from([None, "", "1", "2", "3", "4"]), max_size=8), st.integers(min_value=0, max_value=8))
def test_care_subsidy_for_grades_1_and_2_at_most_people_covered(grades: list[str | None], covered: int) -> None:
    members = [_elder(i, _birthday(40), g or None) for i, g in enumerate(grades)]
    result = assess("disability_subsidy", ON, DISTRICT, False, covered, [], members)
    assert result is not None and result.per_member
    figures = sorted((_figure("disability_care", g) for g in grades if g in ("1", "2")), reverse=True)[:covered]
    assert result.computed == sum(figures, Decimal("0"))
    assert all(s.level in ("1", "2") for s in result.shares) and len(result.shares) <= covered


_PEOPLE = [{"id": "a", "name": "王强", "birth_date": "1980-01-01", "disability_grade": "4"},
           {"id": "b", "name": "王芳", "birth_date": "1982-01-01", "disability_grade": "1"},
           {"id": "c", "name": "王明", "birth_date": "2001-01-01", "disability_grade": None}]
_SUBSIDY = {"category": "disability_subsidy", "status": "active", "org_code": DISTRICT, "people_covered": 3}


def test_the_living_subsidy_is_due_to_the_disabled_of_a_household_with_an_open_dibao_or_low_income_case() -> None:
    living = standards().standard_for("disability_living", ON, DISTRICT).amount
    care = _figure("disability_care", "1")
    for category in ("dibao", "low_income"):
        result = assess_values(_SUBSIDY, _PEOPLE, [], ON, cases=[{"category": category, "status": "active"}])
        assert result is not None and result.computed == care + 2 * living  # any grade: 4 and 1; not 王明
        assert sorted((s.member_id, s.level) for s in result.shares) == [("a", "living"), ("b", "1"), ("b", "living")]
        assert not needs_reason({**_SUBSIDY, "monthly_amount": str(result.computed)}, result)
    # the care subsidy only: no open 低保/低收入 case (none, exited, archived, another category)
    for cases in ([], [{"category": "dibao", "status": "exited"}], [{"category": "dibao", "archived": True}],
                  [{"category": "tekun_dispersed", "status": "active"}]):
        result = assess_values(_SUBSIDY, _PEOPLE, [], ON, cases=cases)
        assert result is not None and result.computed == care, cases
        assert needs_reason({**_SUBSIDY, "monthly_amount": str(care + 2 * living)}, result)


@given(st.lists(st.sampled_from([None, "1", "2", "3", "4"]), max_size=6), st.integers(min_value=0, max_value=6),
       st.booleans())
def test_each_members_figures_count_together_toward_people_covered(grades: list[str | None], covered: int,
                                                                    dibao: bool) -> None:
    members = [_elder(i, _birthday(40), g) for i, g in enumerate(grades)]
    result = assess("disability_subsidy", ON, DISTRICT, False, covered, [], members, means_tested=dibao)
    assert result is not None
    living = standards().standard_for("disability_living", ON, DISTRICT).amount if dibao else Decimal("0")
    owed = sorted(((_figure("disability_care", g) if g in ("1", "2") else Decimal("0")) + (living if g else 0)
                   for g in grades if g and (g in ("1", "2") or dibao)), reverse=True)[:covered]
    assert result.computed == sum(owed, Decimal("0"))
    assert len({s.member_id for s in result.shares}) == len(owed) <= covered


def test_before_any_figure_is_in_force_a_subsidy_is_not_assessed() -> None:
    assert assess("elderly_subsidy", dt.date(2017, 1, 1), DISTRICT, False, 1, [], [_elder(0, _birthday(85))]) is None
