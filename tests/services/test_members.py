"""A member's lifecycle on a real workspace: moving out, death, moving in, split, merge, change of head,
and one person, one record (the ID number) wherever a member is created or edited."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from caseapp import refdata
from caseapp.domain import AssistanceCase, ElderProfile, Household, IncomeItem, Member, MemberEvent
from caseapp.errors import ValidationErrors
from caseapp.services import exchange, ledger_import, listing, members, records
from caseapp.store.workspace import Workspace
from caseapp.validation import id_check_char
from tests.core.helpers import ORG, elder_with_visit, household, member
from tests.services.test_ledger_import import HEADER, workbook

YESTERDAY = dt.date.today() - dt.timedelta(days=1)


def person_id(born: str, seq: int) -> str:
    """A valid ID number of someone born on ``born`` (YYYYMMDD); an odd ``seq`` is a man."""
    stem = f"440104{born}{seq:03d}"
    return stem + id_check_char(stem)


def family(s: Session) -> tuple[Household, dict[str, Member]]:
    home = household(s, head_name="张伟")
    people = {
        "张伟": member(s, home.id, name="张伟", relationship="02", id_number=person_id("19700101", 11)),
        "李娟": member(s, home.id, name="李娟", relationship="12", id_number=person_id("19720202", 22)),
        "张明": member(s, home.id, name="张明", relationship="20", id_number=person_id("19950303", 31)),
        "张丽": member(s, home.id, name="张丽", relationship="30", id_number=person_id("19980404", 42)),
    }
    return home, people


def size(s: Session, household_id: str) -> int:
    row = listing.rows_by_id(s, "households", [household_id])[0]
    return int(row.values["household_size"])


def keys(caught: pytest.ExceptionInfo[ValidationErrors]) -> list[str]:
    return [e.key for e in caught.value.errors]


def test_moving_out_keeps_the_member_as_past_and_the_household_counts_one_less(ws: Workspace) -> None:
    with ws.write() as s:
        home, people = family(s)
        assert size(s, home.id) == 4
        event = members.move_out(s, people["张明"], on=YESTERDAY, reason="迁往天河区工作")
    with ws.read() as s:
        assert size(s, home.id) == 3
        assert [m.name for m in members.current_members(s, home.id)].count("张明") == 0
        (past,) = members.past_members(s, home.id)
        assert (past.name, past.status, past.left_on, past.left_reason) == ("张明", "moved_out", YESTERDAY,
                                                                            "迁往天河区工作")
        (kept,) = members.history(s, home.id)
        assert (kept.id, kept.kind, kept.member_id, kept.occurred_on) == (event.id, "moved_out", past.id, YESTERDAY)
        assert kept.author and kept.created_at is not None  # who recorded it and when
        assert s.get(Member, past.id) is not None  # nothing deleted


def test_the_head_hands_over_before_leaving_and_a_future_date_is_one_clear_refusal(ws: Workspace) -> None:
    with ws.write() as s:
        _home, people = family(s)
        with pytest.raises(ValidationErrors) as caught:
            members.record_death(s, people["张伟"], on=YESTERDAY)
        assert keys(caught) == ["member.head_leaves"]
        with pytest.raises(ValidationErrors) as caught:
            members.move_out(s, people["张明"], on=dt.date.today() + dt.timedelta(days=3))
        assert [(e.key, e.field) for e in caught.value.errors] == [("time.future", "occurred_on")]
        with pytest.raises(ValidationErrors) as caught:
            members.move_out(s, people["张明"], on="")
        assert keys(caught) == ["member.date_required"]
        assert people["张明"].status == "present" and not people["张明"].archived


def test_status_changes_only_through_the_actions(ws: Workspace) -> None:
    with ws.write() as s:
        _home, people = family(s)
        with pytest.raises(ValidationErrors) as caught:
            records.update(s, people["张明"], {"status": "deceased", "left_on": YESTERDAY})
        assert set(keys(caught)) == {"member.by_action"}
        members.move_out(s, people["张明"], on=YESTERDAY)
        with pytest.raises(ValidationErrors) as caught:
            records.restore(s, people["张明"])
        assert keys(caught) == ["member.restore_left"]
        with pytest.raises(ValidationErrors) as caught:
            records.update(s, people["张明"], {"archived": False})
        assert keys(caught) == ["member.restore_left"]
        assert people["张明"].archived


def test_one_person_one_record_whatever_became_of_them(ws: Workspace) -> None:
    with ws.write() as s:
        home, people = family(s)
        other = household(s, head_name="陈桂英", address="越秀区中山四路2号")
        number = people["张明"].id_number

        def register() -> list[str]:
            with pytest.raises(ValidationErrors) as caught:
                member(s, other.id, name="张明", relationship="20", id_number=number)
            return keys(caught)

        assert register() == ["member.id_held"]
        members.move_out(s, people["张明"], on=YESTERDAY)
        assert register() == ["member.id_moved_out"]
        # an edit cannot take someone else's number either
        head = member(s, other.id, name="陈桂英", relationship="02")
        with pytest.raises(ValidationErrors) as caught:
            records.update(s, head, {"id_number": people["张丽"].id_number})
        assert keys(caught) == ["member.id_held"]
        members.record_death(s, people["张丽"], on=YESTERDAY)
        with pytest.raises(ValidationErrors) as caught:
            member(s, other.id, name="张丽", relationship="30", id_number=people["张丽"].id_number)
        assert keys(caught) == ["member.id_deceased"]
        with pytest.raises(ValidationErrors) as caught:
            members.move_in(s, people["张丽"], other, relationship="30", on=YESTERDAY)
        assert keys(caught) == ["member.id_deceased"]
        assert home.id != other.id


def test_moving_in_is_the_same_person_with_their_income(ws: Workspace) -> None:
    with ws.write() as s:
        home, people = family(s)
        other = household(s, head_name="陈桂英", address="越秀区中山四路2号", org_code="440104001002")
        member(s, other.id, name="陈桂英", relationship="02", org_code="440104001002")
        wage = records.create(s, IncomeItem, {"org_code": ORG, "member_id": people["张明"].id,
                                              "income_type": "wages", "monthly_amount": "3200"})
        members.move_out(s, people["张明"], on=YESTERDAY - dt.timedelta(days=30))
        with pytest.raises(ValidationErrors) as caught:
            members.move_in_by_id(s, other, person_id("19500101", 11), relationship="28", on=YESTERDAY)
        assert keys(caught) == ["member.nobody_moved_out"]
        assert members.move_in_by_id(s, other, str(people["张明"].id_number), relationship="28", on=YESTERDAY,
                                     reason="婚后迁入").id == people["张明"].id
    with ws.read() as s:
        moved = s.get(Member, people["张明"].id)
        assert moved is not None
        assert (moved.household_id, moved.status, moved.archived, moved.relationship, moved.org_code) == (
            other.id, "present", False, "28", "440104001002")
        income = s.get(IncomeItem, wage.id)
        assert income is not None and income.org_code == "440104001002"  # it moved with the person
        assert (size(s, home.id), size(s, other.id)) == (3, 2)
        assert [e.kind for e in members.history(s, other.id)] == ["moved_in"]


def test_a_split_gives_the_leavers_a_household_headed_by_one_of_them(ws: Workspace) -> None:
    with ws.write() as s:
        home, people = family(s)
        with pytest.raises(ValidationErrors) as caught:
            members.split(s, home, [people["张明"]], new_head=people["张丽"], on=YESTERDAY)
        assert keys(caught) == ["member.split_head_outside"]
        with pytest.raises(ValidationErrors) as caught:
            members.split(s, home, list(people.values()), new_head=people["张明"], on=YESTERDAY)
        assert keys(caught) == ["member.split_everyone"]
        fresh = members.split(s, home, [people["张明"], people["张丽"]], new_head=people["张明"], on=YESTERDAY,
                              address="越秀区小北路102号", reason="成年分户")
    with ws.read() as s:
        assert (size(s, home.id), size(s, fresh.id)) == (2, 2)
        codes = {m.name: m.relationship for m in members.current_members(s, fresh.id)}
        assert codes == {"张明": "02", "张丽": "77"}  # the younger sister of the new head
        assert (fresh.head_name, fresh.address, fresh.org_code) == ("张明", "越秀区小北路102号", ORG)
        assert sorted(e.kind for e in members.history(s, home.id)) == ["split_out", "split_out"]
        assert [e.kind for e in members.history(s, fresh.id)] == ["split_from"]


def test_the_head_leaving_in_a_split_hands_the_old_household_over(ws: Workspace) -> None:
    with ws.write() as s:
        home, people = family(s)
        with pytest.raises(ValidationErrors) as caught:
            members.split(s, home, [people["张伟"], people["李娟"]], new_head=people["张伟"], on=YESTERDAY)
        assert keys(caught) == ["member.split_needs_head"]
        members.split(s, home, [people["张伟"], people["李娟"]], new_head=people["张伟"], on=YESTERDAY,
                      remaining_head=people["张明"])
    with ws.read() as s:
        codes = {m.name: m.relationship for m in members.current_members(s, home.id)}
        assert codes == {"张明": "02", "张丽": "77"}
        assert s.get(Household, home.id).head_name == "张明"  # type: ignore[union-attr]


def test_merging_two_households_typed_apart_makes_one(ws: Workspace) -> None:
    with ws.write() as s:
        home, _people = family(s)
        twin = household(s, head_name="张建国", address="越秀区小北路100号")
        grandpa = member(s, twin.id, name="张建国", relationship="02", id_number=person_id("19450505", 51))
        with pytest.raises(ValidationErrors) as caught:
            members.merge(s, home, twin, relationships={}, on=YESTERDAY)
        assert keys(caught) == ["member.merge_head_relationship"]
        with pytest.raises(ValidationErrors) as caught:
            members.merge(s, home, twin, relationships={grandpa.id: "02"}, on=YESTERDAY)
        assert keys(caught) == ["member.second_head"]
        members.merge(s, home, twin, relationships={grandpa.id: "51"}, on=YESTERDAY, reason="录入时误分为两户")
    with ws.read() as s:
        assert size(s, home.id) == 5
        gone = s.get(Household, twin.id)
        assert gone is not None and gone.archived
        assert [e.kind for e in members.history(s, twin.id)] == ["merged_away"]
        assert [e.kind for e in members.history(s, home.id)] == ["merged_in"]
        joined = s.get(Member, grandpa.id)
        assert joined is not None and (joined.household_id, joined.relationship) == (home.id, "51")


def test_a_change_of_head_re_expresses_the_relationships(ws: Workspace) -> None:
    with ws.write() as s:
        home, people = family(s)
        member(s, home.id, name="王秀兰", relationship="52", id_number=person_id("19440606", 62))
        unclear = members.change_head(s, home, people["张明"], on=YESTERDAY, reason="原户主外出务工")
    with ws.read() as s:
        codes = {m.name: m.relationship for m in members.current_members(s, home.id)}
        # father, mother, the new head, his younger sister, his paternal grandmother
        assert codes == {"张伟": "51", "李娟": "52", "张明": "02", "张丽": "77", "王秀兰": "62"}
        assert unclear == []
        (event,) = members.history(s, home.id)
        assert event.kind == "head_changed" and "张伟: 02 → 51" in event.detail
        assert s.get(Household, home.id).head_name == "张明"  # type: ignore[union-attr]


def test_a_ledger_row_of_someone_who_moved_out_says_to_move_them_in(ws: Workspace) -> None:
    with ws.write() as s:
        _home, people = family(s)
        members.move_out(s, people["张明"], on=YESTERDAY)
        number = people["张明"].id_number
    rows: list[list[Any]] = [
        [1, "王芳", "王芳", "户主", "女", "440105198001011242", "汉族", "本科", None, "滨江东路1号"],
        [2, "王芳", "张明", "子", "男", number, "汉族", "本科", None, "滨江东路1号"],
    ]
    assert HEADER[5] == "公民身份号码"
    with pytest.raises(ledger_import.ImportRejected) as refused:
        ledger_import.import_ledger(ws, workbook(rows), org_code=ORG)
    assert [(p.line, p.error.key) for p in refused.value.problems] == [(4, "member.id_moved_out")]


# --- properties ----------------------------------------------------------------------------------

KIN = ("10", "11", "12", "20", "22", "27", "28", "30", "32", "38", "41", "43", "51", "52", "71", "77", "97", "99")
people_st = st.lists(st.tuples(st.sampled_from(KIN), st.sampled_from(("M", "F", None)),
                               st.integers(1940, 2015)), min_size=1, max_size=6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kin=people_st, pick=st.integers(0, 5))
def test_after_any_change_of_head_the_household_has_exactly_its_new_head(ws: Workspace, kin: list[Any],
                                                                          pick: int) -> None:
    with ws.write() as s:
        home = household(s)
        head = member(s, home.id, name="张伟", relationship="02", sex="M")
        others = [member(s, home.id, name=f"张{'甲乙丙丁戊己'[n]}", relationship=code, sex=sex,
                         birth_date=dt.date(year, 1, 1)) for n, (code, sex, year) in enumerate(kin)]
        chosen = others[pick % len(others)]
        before = {m.id: m.relationship for m in [head, *others]}
        unclear = members.change_head(s, home, chosen, on=YESTERDAY)
        current = members.current_members(s, home.id)
        assert [m.id for m in current if m.relationship == "02"] == [chosen.id]
        assert home.head_name == chosen.name
        assert {m.id for m in unclear} <= {m.id for m in current} - {chosen.id}
        for m in unclear:  # left for the caseworker: as it was, or no longer head
            assert m.relationship == before[m.id] or (m.id == head.id and m.relationship == "97")
        assert all(m.relationship in refdata.dictionary("relationship") for m in current)
        s.rollback()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kin=st.lists(st.sampled_from(("20", "22", "28", "30", "32", "38", "41", "43")), max_size=4),
       sex=st.sampled_from(("M", "F")))
def test_handing_the_headship_to_the_spouse_and_back_restores_every_relationship(ws: Workspace, kin: list[str],
                                                                                  sex: str) -> None:
    with ws.write() as s:
        home = household(s)
        head = member(s, home.id, name="张伟", relationship="02", sex=sex)
        spouse = member(s, home.id, name="李娟", relationship="12" if sex == "M" else "11",
                        sex="F" if sex == "M" else "M")
        children = [member(s, home.id, name=f"张{'甲乙丙丁'[n]}", relationship=code) for n, code in enumerate(kin)]
        before = {m.id: m.relationship for m in [head, spouse, *children]}
        assert members.change_head(s, home, spouse, on=YESTERDAY) == []
        assert members.change_head(s, home, head, on=YESTERDAY) == []
        assert {m.id: m.relationship for m in members.current_members(s, home.id)} == before
        events = s.scalars(select(MemberEvent).where(MemberEvent.household_id == home.id)).all()
        assert [e.kind for e in events] == ["head_changed", "head_changed"]
        s.rollback()


def test_what_concerns_a_member_alone_goes_with_them_and_a_merge_brings_the_whole_family(ws: Workspace) -> None:
    with ws.write() as s:
        home, people = family(s)
        elder, visit = elder_with_visit(s, home.id, people["张伟"].id)
        fresh = members.split(s, home, [people["张伟"], people["李娟"]], new_head=people["张伟"], on=YESTERDAY,
                              remaining_head=people["张明"])
        case = records.create(s, AssistanceCase, {"org_code": ORG, "household_id": home.id, "category": "dibao"})
    with ws.read() as s:
        moved = s.get(ElderProfile, elder.id)
        assert moved is not None and moved.household_id == fresh.id  # the elder's profile, visits and all
        assert {r.id for r in records.household_records(s, fresh.id)} >= {elder.id, visit.id}
    with ws.write() as s:
        members.merge(s, records.get(s, Household, fresh.id), records.get(s, Household, home.id),
                      relationships={people["张明"].id: "20"}, on=YESTERDAY)
    with ws.read() as s:
        kept = s.get(AssistanceCase, case.id)
        assert kept is not None and kept.household_id == fresh.id
        assert size(s, fresh.id) == 4
        # the merged-away household keeps its own history
        assert sorted(e.kind for e in members.history(s, home.id)) == ["head_changed", "merged_away", "split_out",
                                                                        "split_out"]


ops_st = st.lists(st.tuples(st.sampled_from(("register", "move_out", "death", "move_in")), st.integers(0, 2),
                            st.integers(0, 2)), min_size=1, max_size=12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=ops_st)
def test_whatever_happens_a_person_has_one_record_and_a_refusal_says_why(ws: Workspace,
                                                                        ops: list[tuple[str, int, int]]) -> None:
    """Three people, three households, any order of registering, leaving, dying and moving in: a
    person never has two member records, and every refusal matches what became of them."""
    numbers = [person_id(f"19{60 + n}0101", 11 + 2 * n) for n in range(3)]
    expected_refusal = {"present": "member.id_held", "moved_out": "member.id_moved_out",
                        "deceased": "member.id_deceased"}
    with ws.write() as s:
        homes = [household(s, head_name=name) for name in ("张伟", "李娜", "王芳")]
        for home in homes:  # a head who stays, so anyone else may leave
            member(s, home.id, name="户主", relationship="02")
        for action, who, where in ops:
            number = numbers[who]
            holder = s.scalars(select(Member).where(Member.id_number == number)).first()
            try:
                if action == "register":
                    member(s, homes[where].id, name="成员", relationship="20", id_number=number)
                elif holder is not None and action == "move_out":
                    members.move_out(s, holder, on=YESTERDAY)
                elif holder is not None and action == "death":
                    members.record_death(s, holder, on=YESTERDAY)
                elif action == "move_in":
                    members.move_in_by_id(s, homes[where], number, relationship="20", on=YESTERDAY)
            except ValidationErrors as refused:
                (error,) = refused.errors
                if action == "register":
                    assert holder is not None and error.key == expected_refusal[holder.status]
                elif action == "move_in":
                    assert error.key == ("member.nobody_moved_out" if holder is None
                                         else expected_refusal[holder.status])
                else:
                    assert holder is not None and holder.status != "present"
                    assert error.key == "member.not_present"
            held = s.scalars(select(Member.id_number).where(Member.id_number.is_not(None))).all()
            assert len(held) == len(set(held))
        s.rollback()


def test_a_json_lines_import_brings_no_second_record_of_a_person(ws: Workspace, tmp_path: Path) -> None:
    from caseapp.crypto.keyfile import TEST_KDF
    from tests.conftest import PASSPHRASE

    with ws.write() as s:
        _home, people = family(s)
        members.move_out(s, people["张明"], on=YESTERDAY)
    data = exchange.export_bytes(ws).decode("utf-8").splitlines()
    # the same export again is the same records (nothing new), and imports cleanly
    assert exchange.import_rows(ws, exchange.parse(data)).created == 0
    # another workspace that registered 张明 as a member of its own refuses the file's 张明
    other, _ = Workspace.create(tmp_path / "other", PASSPHRASE, kdf=TEST_KDF)
    try:
        with other.write() as s:
            member(s, household(s, head_name="陈桂英").id, name="张明", relationship="20",
                   id_number=people["张明"].id_number)
        with pytest.raises(exchange.ImportRejected) as refused:
            exchange.import_rows(other, exchange.parse(data))
        assert [p.error.key for p in refused.value.problems] == ["member.id_held"]
        with other.read() as s:
            assert s.query(Member).count() == 1  # nothing written
    finally:
        other.close()
