"""Amounts at workspace size: the set-based assessment (``assessment.assess_stored``, what the
data-quality page and the re-assessment list run) against ``assess_values`` case by case, property-based
over real SQLCipher workspaces."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseapp.domain import AssistanceCase, Household, IncomeItem, Member
from caseapp.services import assessment, quality
from caseapp.store.workspace import Workspace
from tests.core.helpers import ORG

TODAY = dt.date(2026, 6, 1)

people = st.lists(st.fixed_dictionaries({
    "birth_date": st.one_of(st.none(), st.dates(dt.date(1930, 1, 1), dt.date(2025, 12, 31))),
    "disability_grade": st.sampled_from([None, "1", "2", "3", "4"]),
    "status": st.sampled_from(["present", "present", "present", "deceased"]),
    "archived": st.sampled_from([False, False, True]),
    "incomes": st.lists(st.tuples(st.decimals(0, 6000, places=2), st.booleans()), max_size=2),
}), min_size=0, max_size=5)
case_values = st.fixed_dictionaries({
    "category": st.sampled_from(["dibao", "low_income", "tekun_dispersed", "temporary", "medical"]),
    "status": st.sampled_from(["applied", "active", "review_due", "taper", "stopped", "exited"]),
    "people_covered": st.integers(0, 6),
    "monthly_amount": st.one_of(st.just(Decimal("0")), st.decimals(0, 8000, places=2)),
    "amount_reason": st.sampled_from(["", "", "渐退期"]),
    "rural": st.booleans(),
    "applied_on": st.one_of(st.none(), st.dates(dt.date(2015, 1, 1), dt.date(2026, 5, 31))),
    "archived": st.booleans(),
})


def _store(ws: Workspace, members: list[dict[str, Any]], cases: list[dict[str, Any]]) -> tuple[str, list[str]]:
    """A household as a sync would write it (no checks on the way in)."""
    with ws.write() as s:
        home = Household(org_code=ORG, address="越秀区洪桥街道小北路100号", head_name="张伟")
        s.add(home)
        s.flush()
        for n, person in enumerate(members):
            row = Member(org_code=ORG, household_id=home.id, name=f"成员{n}", relationship="02" if n == 0 else "20",
                         birth_date=person["birth_date"], disability_grade=person["disability_grade"],
                         status=person["status"], archived=person["archived"])
            s.add(row)
            s.flush()
            for amount, archived in person["incomes"]:
                s.add(IncomeItem(org_code=ORG, member_id=row.id, income_type="wage", monthly_amount=amount,
                                 archived=archived))
        written = [AssistanceCase(org_code=ORG, household_id=home.id, **c) for c in cases]
        s.add_all(written)
        s.flush()
        return home.id, [c.id for c in written]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(members=people, cases=st.lists(case_values, min_size=1, max_size=3))
def test_the_set_based_assessment_gives_assess_values_verdict(ws: Workspace, members: list[dict[str, Any]],
                                                               cases: list[dict[str, Any]]) -> None:
    home, ids = _store(ws, members, cases)
    with ws.read() as s:
        picked = "SELECT c.id AS record_id, c.household_id FROM assistance_cases c WHERE c.household_id = :home"
        batch = assessment.assess_stored(s, picked, {"home": home}, TODAY)
        check = quality.BY_CODE["amount_without_reason"]
        flagged = {f.record_id for f in quality.run(s, "", TODAY, checks=[check]) if f.household_id == home}
        stored_members = [m.values() for m in s.query(Member).filter(Member.household_id == home)]
        member_ids = [m["id"] for m in stored_members]
        stored_incomes = [i.values() for i in s.query(IncomeItem).filter(IncomeItem.member_id.in_(member_ids))]
        for case_id in ids:
            row = s.get(AssistanceCase, case_id)
            assert row is not None
            one = assessment.assess_values(row.values() | {"org_code": ORG}, stored_members, stored_incomes, TODAY)
            assert case_id in batch
            got = batch[case_id].result
            assert (got is None) == (one is None)
            if got is not None and one is not None:
                assert (got.computed, got.per_person_income, got.standard.amount) == (
                    one.computed, one.per_person_income, one.standard.amount)
            expected = assessment.needs_reason(row.values(), one) and row.status not in quality.CLOSED
            assert (case_id in flagged) == expected
            assert batch[case_id].needs_reason == assessment.needs_reason(row.values(), one)
