"""The checks across records (caseapp.services.quality) on a real workspace: for every check a seeded
case it flags and a clean case it passes, the save that an error check refuses, and the
age-against-relationship rule against its statement, property-based."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update
from sqlalchemy.orm import Session

from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import AssistanceCase, ElderProfile, Member, Verification
from caseapp.domain.households import SELF_CARE_ITEMS, self_care_result
from caseapp.errors import ValidationErrors
from caseapp.ids import new_id
from caseapp.messages import message
from caseapp.services import demo, exchange, quality, records
from caseapp.store.workspace import Workspace
from caseapp.validation import id_check_char
from tests.conftest import PASSPHRASE
from tests.core.helpers import ORG, approve, household, member

TODAY = dt.date.today()
#: sequence numbers of ID numbers made in the property test (each example adds a person)
_SEQ = itertools.count(100)


def person_id(born: dt.date, seq: int = 11, area: str = "440104") -> str:
    stem = f"{area}{born:%Y%m%d}{seq:03d}"
    return stem + id_check_char(stem)


def years_ago(years: int) -> dt.date:
    return TODAY.replace(year=TODAY.year - years, day=min(TODAY.day, 28))


def found(s: Session, code: str, scope: str = ORG) -> list[quality.Finding]:
    return [f for f in quality.run(s, scope, TODAY) if f.check == code]


def case(s: Session, household_id: str, **extra: Any) -> AssistanceCase:
    return records.create(s, AssistanceCase, {"org_code": ORG, "household_id": household_id, "category": "dibao",
                                              **extra})


def test_every_check_has_a_message_in_both_languages() -> None:
    for check in quality.CHECKS:
        assert message(check.key, "zh", **{n: "1" for n in ("value", "others", "households", "covered", "members",
                                                            "born", "due", "head", "head_born", "relationship")})
        assert check.severity in ("error", "warning")


def test_the_same_id_in_two_households_is_found_though_the_save_refuses_it(ws: Workspace) -> None:
    number = person_id(dt.date(1970, 1, 1))
    with ws.write() as s:
        one, two = household(s), household(s, head_name="李四")
        first = member(s, one.id, id_number=number)
        second = member(s, two.id, name="李四")
        with pytest.raises(ValidationErrors):
            records.update(s, second, {"id_number": number})
        assert found(s, "duplicate_id") == []
        # Two devices added the same person offline: the store holds both (as a sync would write them).
        s.execute(update(Member).where(Member.id == second.id).values(id_number=number))
        flagged = found(s, "duplicate_id")
    assert {f.record_id for f in flagged} == {first.id, second.id}
    assert flagged[0].params["households"] == 2 and flagged[0].severity == "error"


def test_members_covered_beyond_the_household_are_found_and_refused_on_save(ws: Workspace) -> None:
    with ws.write() as s:
        home = household(s)
        member(s, home.id)
        ok = case(s, home.id, people_covered=1)
        assert found(s, "covered_exceeds_members") == []
        with pytest.raises(ValidationErrors) as caught:
            records.update(s, ok, {"people_covered": 3})
        assert caught.value.errors[0].field == "people_covered"
        assert "超过本户现有成员 1 人" in message(caught.value.errors[0].key, "zh", **caught.value.errors[0].params)
        assert ok.people_covered == 1  # the refused edit is not kept
        s.execute(update(AssistanceCase).where(AssistanceCase.id == ok.id).values(people_covered=2))
        assert [f.record_id for f in found(s, "covered_exceeds_members")] == [ok.id]


def test_a_second_open_case_of_one_category_is_refused_and_a_closed_one_is_not_counted(ws: Workspace) -> None:
    with ws.write() as s:
        home = household(s)
        first = case(s, home.id)
        with pytest.raises(ValidationErrors) as caught:
            case(s, home.id)
        assert caught.value.errors[0].field == "category"
        case(s, home.id, category="medical")  # another category is fine
        records.transition(s, first, "withdrawn")
        case(s, home.id)  # the first one is closed now
        assert found(s, "two_open_cases") == []
    with ws.read() as s:
        assert len([c for c in s.query(AssistanceCase) if c.category == "dibao"]) == 2


def test_an_elder_of_80_without_a_profile_is_found_and_one_with_a_profile_passes(ws: Workspace) -> None:
    with ws.write() as s:
        home = household(s)
        by_id = member(s, home.id, id_number=person_id(years_ago(85)))
        by_date = member(s, home.id, name="王芳", relationship="10", birth_date=years_ago(81))
        member(s, home.id, name="张小明", relationship="20", birth_date=years_ago(40))
        assert {f.record_id for f in found(s, "elder_without_profile")} == {by_id.id, by_date.id}
        records.create(s, ElderProfile, {"org_code": ORG, "household_id": home.id, "member_id": by_id.id})
        assert [f.record_id for f in found(s, "elder_without_profile")] == [by_date.id]


def test_dibao_paid_without_an_eligible_verification_is_found(ws: Workspace) -> None:
    with ws.write() as s:
        home = household(s)
        member(s, home.id)
        clean = case(s, home.id, people_covered=1)
        approve(s, clean)  # with a 核对 concluded eligible
        other = household(s, head_name="李四")
        member(s, other.id, name="李四")
        paid = case(s, other.id, people_covered=1)
        # paid before any 核对 (an import or an older device wrote it so)
        s.execute(update(AssistanceCase).where(AssistanceCase.id == paid.id).values(status="active"))
        assert [f.record_id for f in found(s, "dibao_without_verification")] == [paid.id]
        records.create(s, Verification, {"org_code": ORG, "household_id": other.id, "case_id": paid.id,
                                         "consent_ref": "SQ-2", "requested_on": TODAY, "conclusion": "eligible"})
        assert found(s, "dibao_without_verification") == []


def test_an_overdue_review_is_found_and_one_still_to_come_is_not(ws: Workspace) -> None:
    with ws.write() as s:
        home = household(s)
        member(s, home.id)
        paid = case(s, home.id, people_covered=1)
        approve(s, paid)
        assert found(s, "review_overdue") == []
        s.execute(update(AssistanceCase).where(AssistanceCase.id == paid.id)
                  .values(next_review_date=TODAY - dt.timedelta(days=1)))
        flagged = found(s, "review_overdue")
        assert [f.record_id for f in flagged] == [paid.id]
        assert flagged[0].severity == "warning"


def test_a_child_older_than_the_head_and_a_parent_younger_are_found(ws: Workspace) -> None:
    with ws.write() as s:
        home = household(s)
        member(s, home.id, birth_date=dt.date(1970, 1, 1))
        son = member(s, home.id, name="张明", relationship="20", birth_date=dt.date(1995, 3, 3))
        mother = member(s, home.id, name="李秀", relationship="52", birth_date=dt.date(1945, 5, 5))
        assert found(s, "age_against_relationship") == []
        records.update(s, son, {"birth_date": dt.date(1965, 1, 1)})
        records.update(s, mother, {"birth_date": dt.date(1980, 1, 1)})
        flagged = {f.record_id: f for f in found(s, "age_against_relationship")}
        assert set(flagged) == {son.id, mother.id}
        worded = quality.said(flagged[son.id].key, flagged[son.id].params, "zh")
        assert "与户主关系：子" in worded and "1965-01-01" in worded  # the relationship by its name, not 20
        assert "(Son)" in quality.said(flagged[son.id].key, flagged[son.id].params, "en")


def test_the_scope_limits_the_findings(ws: Workspace) -> None:
    with ws.write() as s:
        home = household(s)
        member(s, home.id, birth_date=years_ago(90))
        assert found(s, "elder_without_profile", ORG)
        assert found(s, "elder_without_profile", "440104001002") == []
        assert quality.counts(quality.run(s, "", TODAY)) == {"elder_without_profile": 1}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(head_born=st.dates(dt.date(1930, 1, 1), dt.date(2000, 12, 31)),
       born=st.dates(dt.date(1930, 1, 1), dt.date(2020, 12, 31)),
       relationship=st.sampled_from(["10", "20", "30", "38", "41", "52", "57", "61", "71", "80"]),
       by_id=st.booleans())
def test_the_age_rule_flags_exactly_what_the_generations_say(ws: Workspace, head_born: dt.date, born: dt.date,
                                                             relationship: str, by_id: bool) -> None:
    gen = quality.generation(relationship)
    expected = (gen < 0 and born <= head_born) or (gen > 0 and born >= head_born)
    with ws.write() as s:
        home = household(s)
        member(s, home.id, birth_date=head_born)
        given_born = {"id_number": person_id(born, next(_SEQ))} if by_id else {"birth_date": born}
        other = member(s, home.id, name="张明", relationship=relationship, **given_born)
        flagged = [f for f in quality.run(s, "", TODAY, checks=[quality.BY_CODE["age_against_relationship"]])
                   if f.household_id == home.id]
        assert [f.record_id for f in flagged] == ([other.id] if expected else [])
        records.archive(s, other)


def test_an_import_holding_a_second_open_case_is_refused_with_its_line_and_writes_nothing(
        ws: Workspace, tmp_path: Path) -> None:
    with ws.write() as s:
        home = household(s)
        member(s, home.id)
        case(s, home.id, people_covered=1)
    lines = exchange.export_bytes(ws).decode().splitlines()
    before = exchange.export_bytes(ws)
    second = {**json.loads(next(line for line in lines if '"assistance_case"' in line)), "id": new_id(),
              "people_covered": 4}
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join([*lines, json.dumps(second, ensure_ascii=False)]) + "\n", encoding="utf-8")
    with pytest.raises(exchange.ImportRejected) as info:
        exchange.import_file(ws, path)
    assert {(p.line, p.field) for p in info.value.problems} == {(len(lines) + 1, "category"),
                                                                (len(lines) + 1, "people_covered")}
    assert exchange.export_bytes(ws) == before
    second["category"], second["people_covered"] = "medical", 1
    path.write_text("\n".join([*lines, json.dumps(second, ensure_ascii=False)]) + "\n", encoding="utf-8")
    assert exchange.import_file(ws, path).created == 1


def test_the_demo_workspace_trips_no_error_check(tmp_path: Path) -> None:
    ws, _ = Workspace.create(tmp_path / "demo", PASSPHRASE, kdf=TEST_KDF, actor="tester")
    try:
        demo.generate(ws, 300, seed=5, today=TODAY)
        with ws.read() as s:
            findings = quality.run(s, "", TODAY)
        assert [f for f in findings if f.severity == "error"] == []
        assert [f for f in findings if f.check == "tekun_without_self_care"] == []  # every 特困 elder assessed
    finally:
        ws.close()


SIX = {item: "able" for item in SELF_CARE_ITEMS}


@pytest.mark.parametrize(("age", "health", "grade", "result"), [
    (62, "healthy", None, "self_care"), (83, "chronic", "4", "partial_care"), (92, "serious", "1", "full_care")])
def test_the_demo_assesses_a_tekun_elder_by_their_age_health_and_disability(
        age: int, health: str, grade: str | None, result: str) -> None:
    from caseapp.services.demo.households import Person, _self_care

    elder = Person("head", "F", age, health=health, disabled_grade=grade, member=Member())
    _self_care(elder, TODAY)
    assert elder.member.self_care_result == result == self_care_result(
        {item: getattr(elder.member, item) for item in SELF_CARE_ITEMS})
    assert TODAY - dt.timedelta(days=366) < elder.member.self_care_assessed_on < TODAY


def test_a_tekun_member_of_60_without_a_self_care_assessment_is_found_and_one_assessed_passes(
        ws: Workspace) -> None:
    with ws.write() as s:
        home = household(s)
        elder = member(s, home.id, birth_date=years_ago(60))
        young = member(s, home.id, name="王小明", relationship="20", birth_date=years_ago(59))
        assert found(s, "tekun_without_self_care") == []  # no 特困 case yet
        tekun = case(s, home.id, category="tekun_dispersed", people_covered=2)
        flagged = found(s, "tekun_without_self_care")
        assert [f.record_id for f in flagged] == [elder.id] and young.id not in {f.record_id for f in flagged}
        assert flagged[0].severity == "warning" and flagged[0].params["born"] == years_ago(60).isoformat()
        assert "生活自理能力评估" in quality.said(flagged[0].key, flagged[0].params, "zh")
        records.update(s, elder, {**SIX, "self_care_dressing": "unable"})  # items without a date: not yet
        assert elder.self_care_result == "partial_care"
        assert [f.record_id for f in found(s, "tekun_without_self_care")] == [elder.id]
        records.update(s, elder, {"self_care_assessed_on": TODAY})
        assert found(s, "tekun_without_self_care") == []
        records.transition(s, tekun, "withdrawn")  # a closed 特困 case asks for nothing
        records.update(s, elder, {"self_care_assessed_on": None})
        assert found(s, "tekun_without_self_care") == []


@given(answers=st.lists(st.sampled_from(["able", "unable", None, ""]), min_size=6, max_size=6))
def test_the_self_care_result_follows_the_six_items(answers: list[str | None]) -> None:
    """DOMAIN.md §2.1: all met, self-care; 3 or fewer failed, partial loss; 4 or more, full loss."""
    values = dict(zip(SELF_CARE_ITEMS, answers, strict=True))
    result = self_care_result(values)
    if any(a not in ("able", "unable") for a in answers):
        assert result is None
    else:
        failed = answers.count("unable")
        assert result == ("self_care" if failed == 0 else "partial_care" if failed <= 3 else "full_care")


def test_an_imported_tekun_elder_without_an_assessment_is_listed(ws: Workspace, tmp_path: Path) -> None:
    """Import writes what the file holds (a warning refuses nothing) and the check lists it."""
    with ws.write() as s:
        home = household(s)
        member(s, home.id, birth_date=years_ago(70), self_care_assessed_on=TODAY, **SIX)
        case(s, home.id, category="tekun_centralized", people_covered=1)
        assert found(s, "tekun_without_self_care") == []
    lines = exchange.export_bytes(ws).decode().splitlines()
    row = json.loads(next(line for line in lines if '"member"' in line and "self_care_result" in line))
    other = {**row, "id": new_id(), "name": "赵六", "relationship": "10", "self_care_assessed_on": None,
             "self_care_result": None, **{item: None for item in SELF_CARE_ITEMS}}
    path = tmp_path / "members.jsonl"
    path.write_text("\n".join([*lines, json.dumps(other, ensure_ascii=False)]) + "\n", encoding="utf-8")
    assert exchange.import_file(ws, path).created == 1
    with ws.read() as s:
        assert [f.record_id for f in found(s, "tekun_without_self_care")] == [other["id"]]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(present=st.integers(0, 3), left=st.integers(0, 2),
       cases=st.lists(st.tuples(st.sampled_from(["dibao", "medical"]),
                                st.sampled_from(["applied", "active", "stopped", "withdrawn", "exited"]),
                                st.integers(0, 5), st.booleans()), min_size=1, max_size=3))
def test_the_servers_reading_of_the_error_checks_gives_the_queries_verdict(
        ws: Workspace, present: int, left: int, cases: list[tuple[str, str, int, bool]]) -> None:
    with ws.write() as s:
        home = household(s)
        people = [member(s, home.id, name="张" + "伟芳敏静秀"[n], relationship="02" if n == 0 else "80")
                  for n in range(present + left)]
        for person in people[present:]:
            records.archive(s, person)
        written = [AssistanceCase(org_code=ORG, household_id=home.id, category=category, status=status,
                                  people_covered=covered, archived=archived)
                   for category, status, covered, archived in cases]
        s.add_all(written)
        s.flush()
        errors = [c for c in quality.CHECKS if c.entity == "assistance_case" and c.severity == "error"]
        by_query = {(f.check, f.record_id) for f in quality.run(s, "", TODAY, checks=errors)
                    if f.household_id == home.id}
        values = [c.values() for c in written]
        members = [m.values() for m in people]
        by_values = {(f.check, f.record_id) for case_values in values
                     for f in quality.case_findings(case_values, members, values)}
        assert by_query == by_values
        for case_row in written:
            records.archive(s, case_row)
