"""The computed amount of an assistance case (补差 + 分类施保): properties of the rules."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import AssistanceCase
from caseapp.refdata import parse_standards
from caseapp.services import assessment, demo
from caseapp.services.assessment import MemberFacts, assess, assess_values, needs_reason
from caseapp.store.workspace import Workspace
from tests.conftest import PASSPHRASE

ON = dt.date(2024, 1, 1)
TABLE = parse_standards({
    "jurisdiction": "440100", "source": "test",
    "standards": [
        {"kind": "dibao", "effective_from": "2020-01-01", "area": "all", "amount": "1000", "source": "t",
         "verified": True},
        {"kind": "dibao", "effective_from": "2020-01-01", "area": "rural", "district": "440117", "amount": "900",
         "source": "t", "verified": True},
        {"kind": "tekun", "effective_from": "2020-01-01", "multiple_of": "dibao", "factor": "1.6", "source": "t",
         "verified": True},
        {"kind": "low_income", "effective_from": "2020-01-01", "multiple_of": "dibao", "factor": "1.5", "source": "t",
         "verified": True},
    ],
    "supplements": [
        {"category": "dibao", "group": "elderly", "min_age": 60, "percent": "10", "effective_from": "2020-01-01",
         "source": "t", "verified": True},
        {"category": "dibao", "group": "disabled", "grades": ["1", "2"], "percent": "20",
         "effective_from": "2020-01-01", "source": "t", "verified": True},
    ],
    "categories": {"dibao": "dibao", "tekun_dispersed": "tekun", "low_income": "low_income"},
})

money = st.decimals(min_value=0, max_value=20000, places=2, allow_nan=False, allow_infinity=False)
incomes = st.lists(money, max_size=6)
covered = st.integers(min_value=0, max_value=8)


def _assess(items: list[Decimal], people: int, members: tuple[MemberFacts, ...] = (), category: str = "dibao",
            district: str = "440105001", rural: bool = False) -> Decimal:
    result = assess(category, ON, district, rural, people, items, members, TABLE)
    assert result is not None
    return result.computed


@given(incomes, covered)
def test_never_negative(items: list[Decimal], people: int) -> None:
    assert _assess(items, people) >= 0


@given(incomes, covered, money)
def test_more_income_never_raises_the_amount(items: list[Decimal], people: int, extra: Decimal) -> None:
    assert _assess([*items, extra], people) <= _assess(items, people)


@given(st.integers(min_value=1, max_value=8), st.decimals(min_value=0, max_value=5000, places=2))
def test_zero_at_or_above_the_line(people: int, above: Decimal) -> None:
    assert _assess([(Decimal("1000") + above) * people], people) == 0


@given(st.integers(min_value=1, max_value=8), incomes)
def test_the_gap_times_the_people_covered(people: int, items: list[Decimal]) -> None:
    per_person = (sum(items, Decimal("0")) / people).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert _assess(items, people) == max(Decimal("0"), Decimal("1000") - per_person) * people


@given(st.integers(min_value=0, max_value=6), st.integers(min_value=0, max_value=6), incomes)
def test_a_supplement_per_covered_member_in_a_group(elders: int, others: int, items: list[Decimal]) -> None:
    members = tuple(MemberFacts(f"e{i}", "", dt.date(1950, 1, 1), None) for i in range(elders)) + tuple(
        MemberFacts(f"o{i}", "", dt.date(1990, 1, 1), None) for i in range(others))
    people = elders + others
    plain = _assess(items, people)
    assert _assess(items, people, members) == plain + Decimal("100") * elders


@given(incomes, covered, st.integers(min_value=0, max_value=4))
def test_a_low_income_household_is_recognised_under_its_line_not_paid_up_to_it(
        items: list[Decimal], people: int, elders: int) -> None:
    """低收入 is a line a household is recognised under (near-低保: above the 低保 standard, at most
    the line), not a standard it is paid up to: no 补差 whatever its income, the line shown with the
    per-person income beside it, and whether that income is above it."""
    members = tuple(MemberFacts(f"e{i}", "", dt.date(1950, 1, 1), "1") for i in range(elders))
    result = assess("low_income", ON, "440105001", False, people, items, members, TABLE)
    assert result is not None and result.recognition and not result.per_member
    assert (result.computed, result.base_amount, result.shares) == (Decimal("0"), Decimal("0"), ())
    assert result.standard.amount == Decimal("1500")
    assert result.above_standard == (people > 0 and result.per_person_income > Decimal("1500"))
    dibao = assess("dibao", ON, "440105001", False, people, items, members, TABLE)
    assert dibao is not None and not dibao.recognition


def test_a_member_in_two_groups_gets_the_larger_supplement_once() -> None:
    both = (MemberFacts("a", "", dt.date(1950, 1, 1), "1"),)
    assert _assess([], 1, both) == Decimal("1000") + Decimal("200")


def test_fewer_covered_than_qualify_keeps_the_largest_supplements() -> None:
    members = (MemberFacts("a", "", dt.date(1950, 1, 1), None), MemberFacts("b", "", dt.date(1990, 1, 1), "2"))
    assert _assess([], 1, members) == Decimal("1000") + Decimal("200")


def test_district_and_rural_flag_pick_the_standard_and_categories_their_own_line() -> None:
    assert _assess([], 1, district="440117001", rural=True) == 900
    assert _assess([], 1, district="440117001", rural=False) == 1000
    assert _assess([], 2, category="tekun_dispersed") == 3200
    assert assess("temporary", ON, "440105", False, 1, [], (), TABLE) is None


def test_over_stored_values_gone_members_and_their_income_are_left_out() -> None:
    case = {"category": "dibao", "status": "active", "org_code": "440105001001", "rural": False,
            "people_covered": 2, "monthly_amount": "1500.00", "amount_reason": ""}
    members = [{"id": "m1", "status": "present", "birth_date": "1990-01-01"},
               {"id": "m2", "status": "present", "id_number": "11010519491231002X"},
               {"id": "m3", "status": "deceased", "archived": True}]
    items = [{"member_id": "m1", "monthly_amount": "600"}, {"member_id": "m3", "monthly_amount": "5000"}]
    result = assess_values(case, members, items, ON, TABLE)
    assert result is not None
    # per person 300, gap 700 × 2 = 1400, the elder (born 1949) +100
    assert result.computed == Decimal("1500.00")
    assert not needs_reason(case, result)
    assert needs_reason({**case, "monthly_amount": "1600"}, result)
    assert not needs_reason({**case, "monthly_amount": "1600", "amount_reason": "渐退期"}, result)
    assert not needs_reason({**case, "monthly_amount": "0"}, result)


def test_every_demo_case_is_paid_its_computed_amount_or_says_why(tmp_path: Path) -> None:
    today = dt.date(2026, 6, 1)
    ws, _ = Workspace.create(tmp_path / "demo", PASSPHRASE, kdf=TEST_KDF, actor="tester")
    try:
        demo.generate(ws, 200, seed=3, today=today)
        with ws.read() as s:
            cases = s.scalars(select(AssistanceCase).where(AssistanceCase.status.in_(assessment.IN_PAYMENT))).all()
            checked: dict[str, int] = {}
            for case in cases:
                result = assessment.assess_case(s, case, today)
                if result is None:
                    continue
                checked[case.category] = checked.get(case.category, 0) + 1
                if case.monthly_amount and result.computed == 0:
                    assert case.amount_reason.strip(), "a household above the line is paid only with a reason"
                if case.monthly_amount and result.differs(case.monthly_amount):
                    assert case.amount_reason.strip(), (case.category, case.monthly_amount, result.computed)
                if case.category == "dibao":
                    assert case.monthly_amount > 0
            assert sum(checked.values()) > 10
            assert checked.get("elderly_subsidy") and checked.get("disability_subsidy"), checked  # subsidies too
    finally:
        ws.close()
