"""Amounts at workspace size: the set-based assessment (``assessment.assess_stored``, what the
data-quality page and the re-assessment list run) against ``assess_values`` case by case, property-based
over real SQLCipher workspaces."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseapp.domain import AssistanceCase, Household, IncomeItem, Member
from caseapp.refdata import parse_standards
from caseapp.services import assessment, quality, reassessment
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
        batch = assessment.assess_stored(s, ids, TODAY)
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


# --- the re-assessment list ----------------------------------------------------------------------

NEW_YEAR = dt.date(2026, 7, 1)
TABLE = parse_standards({
    "jurisdiction": "440100", "source": "test",
    "standards": [
        {"kind": "dibao", "effective_from": "2020-01-01", "amount": "1000", "source": "t", "verified": True},
        {"kind": "dibao", "effective_from": NEW_YEAR.isoformat(), "amount": "1100", "source": "t", "verified": True},
    ],
    "supplements": [
        {"category": "dibao", "group": "elderly", "min_age": 60, "percent": "10", "effective_from": "2020-01-01",
         "source": "t", "verified": True},
    ],
    "categories": {"dibao": "dibao"},
})


def _paid(ws: Workspace, head: str, amount: str, *, status: str = "active", org: str = ORG, born: dt.date
          = dt.date(1980, 1, 1), income: str = "0", reason: str = "") -> str:
    with ws.write() as s:
        home = Household(org_code=org, address="小北路1号", head_name=head)
        s.add(home)
        s.flush()
        person = Member(org_code=org, household_id=home.id, name=head, relationship="02", birth_date=born)
        s.add(person)
        s.flush()
        s.add(IncomeItem(org_code=org, member_id=person.id, income_type="wage", monthly_amount=Decimal(income)))
        case = AssistanceCase(org_code=org, household_id=home.id, category="dibao", status=status, people_covered=1,
                              monthly_amount=Decimal(amount), amount_reason=reason)
        s.add(case)
        s.flush()
        return case.id


def test_a_new_standard_lists_the_cases_whose_amount_it_changes(ws: Workspace, tmp_path: Path) -> None:
    old = _paid(ws, "张一", "1000.00")  # the old standard's amount: to be raised by 100
    elder = _paid(ws, "李二", "1100.00", born=dt.date(1950, 1, 1))  # 1000 + 10 %; now 1100 + 110
    _paid(ws, "王三", "1100.00")  # already at the new amount
    _paid(ws, "赵四", "1000.00", status="stopped")  # not paid
    _paid(ws, "钱五", "1000.00", org="440105001001")  # outside the reach
    partial = _paid(ws, "孙六", "700.00", income="300")  # 1000 − 300 before, 1100 − 300 after
    with ws.read() as s:
        rows = reassessment.listed(s, NEW_YEAR, [ORG[:9]], TODAY, TABLE)
        assert {r.case_id: (r.amount, r.before, r.after, r.difference) for r in rows} == {
            old: (Decimal("1000.00"), Decimal("1000.00"), Decimal("1100.00"), Decimal("100.00")),
            elder: (Decimal("1100.00"), Decimal("1100.00"), Decimal("1210.00"), Decimal("110.00")),
            partial: (Decimal("700.00"), Decimal("700.00"), Decimal("800.00"), Decimal("100.00")),
        }
        assert {r.head_name for r in rows} == {"张一", "李二", "孙六"}
        assert len(reassessment.listed(s, NEW_YEAR, None, TODAY, TABLE)) == 4
        assert reassessment.listed(s, NEW_YEAR, [], TODAY, TABLE) == []
        # the day the old standard was set, nothing differs but the case paid the new amount early
        assert len(reassessment.listed(s, dt.date(2020, 1, 1), [ORG[:9]], TODAY, TABLE)) == 1
    assert reassessment.change_dates(TABLE) == (NEW_YEAR, dt.date(2020, 1, 1))
    assert reassessment.current_change(dt.date(2026, 6, 1), TABLE) == NEW_YEAR
    assert reassessment.current_change(dt.date(2026, 8, 1), TABLE) == NEW_YEAR

    with ws.read() as s:
        book = reassessment.ledger(s, NEW_YEAR, [ORG[:9]], compiled_by="tester", today=TODAY, table=TABLE)
    from caseapp.services import xlsx
    path = tmp_path / "list.xlsx"
    path.write_bytes(xlsx.workbook_bytes(book))
    sheet = openpyxl.load_workbook(path).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(values) if row[0] == "序号")
    body = [row for row in values[header + 1:] if isinstance(row[0], int)]
    assert sorted(row[1] for row in body) == ["孙六", "张一", "李二"]
    adjust = book.columns.index(next(c for c in book.columns if c.title == "应调整（元）"))
    assert sum(Decimal(str(row[adjust])) for row in body) == Decimal("310")


def test_the_change_in_force_is_judged_with_the_people_as_they_are_today(ws: Workspace) -> None:
    """Once a change is in force, a case is judged under it with its members' ages today: an elder
    who turned 60 after the change is paid the supplement, and owes no re-assessment back to the age
    they were on the change's day. A change to come is judged on its own day."""
    after = NEW_YEAR + dt.timedelta(days=40)
    turned = _paid(ws, "周七", "1210.00", born=dt.date(1966, 7, 20))  # 60 since 2026-07-20: 1100 + 10 %
    with ws.read() as s:
        assert reassessment.judged_on(NEW_YEAR, after, TABLE) == after
        assert reassessment.listed(s, NEW_YEAR, [ORG[:9]], after, TABLE) == []
        # a change that a later one replaced is judged on its day
        assert reassessment.judged_on(dt.date(2020, 1, 1), after, TABLE) == dt.date(2020, 1, 1)
        # before the change: judged on its day, when the elder is 59 (1100, no supplement)
        assert reassessment.judged_on(NEW_YEAR, TODAY, TABLE) == NEW_YEAR
        (row,) = reassessment.listed(s, NEW_YEAR, [ORG[:9]], TODAY, TABLE)
        assert (row.case_id, row.after) == (turned, Decimal("1100.00"))


def test_an_amount_set_by_hand_is_listed_apart_from_the_cases_to_recompute(ws: Workspace, tmp_path: Path) -> None:
    """After a change of standard, a case whose amount was set by hand with its reason is still listed
    (the new figure does not make it right) but marked so, after the cases to recompute, and chosen
    apart, in the list and its ledger (issue 12)."""
    plain = _paid(ws, "张一", "1000.00")  # follows the old standard: recompute
    hand = _paid(ws, "李二", "600.00", reason="赡养费实际到位，经民主评议按 600 元核定")  # set by hand
    # a reason left over on an amount that was the computed one: it follows the standard, recompute
    stale = _paid(ws, "王三", "1000.00", reason="曾因就业减发")
    _paid(ws, "赵四", "1100.00", reason="按新标准已调整")  # at the new amount: not listed at all
    with ws.read() as s:
        rows = reassessment.listed(s, NEW_YEAR, [ORG[:9]], TODAY, TABLE)
        assert [(r.case_id, r.by_hand) for r in rows] == [(plain, False), (stale, False), (hand, True)]
        assert reassessment.counts(rows) == (2, 1)
        only_hand = reassessment.listed(s, NEW_YEAR, [ORG[:9]], TODAY, TABLE, which="by_hand")
        assert [r.case_id for r in only_hand] == [hand]
        assert only_hand[0].reason.startswith("赡养费") and only_hand[0].difference == Decimal("500.00")
        to_recompute = reassessment.listed(s, NEW_YEAR, [ORG[:9]], TODAY, TABLE, which="recompute")
        assert [r.case_id for r in to_recompute] == [plain, stale]
        book = reassessment.ledger(s, NEW_YEAR, [ORG[:9]], compiled_by="tester", today=TODAY, table=TABLE)
        recompute_book = reassessment.ledger(s, NEW_YEAR, [ORG[:9]], today=TODAY, table=TABLE, which="recompute")
    from caseapp.services import xlsx

    def body(ledger: Any) -> tuple[list[str], list[list[Any]]]:
        path = tmp_path / "list.xlsx"
        path.write_bytes(xlsx.workbook_bytes(ledger))
        values = [[c.value for c in row] for row in openpyxl.load_workbook(path).active.iter_rows()]
        header = next(i for i, row in enumerate(values) if row[0] == "序号")
        return [str(v) for v in values[header]], [row for row in values[header + 1:] if isinstance(row[0], int)]

    heads, rows_read = body(book)
    how, adjust = heads.index("处理方式"), heads.index("应调整（元）")
    assert [(r[1], r[how]) for r in rows_read] == [("张一", "按新标准重新核算"), ("王三", "按新标准重新核算"),
                                                 ("李二", "手工核定金额：核实理由是否仍成立")]
    assert "其中需重新核算 2 户、手工核定金额 1 户" in book.subtitle
    heads, rows_read = body(recompute_book)
    assert [r[1] for r in rows_read] == ["张一", "王三"] and "需重新核算" in recompute_book.title
    assert sum(Decimal(str(r[adjust])) for r in rows_read) == Decimal("200")  # what the office pays more
