"""The care-place waiting list (入住轮候, issue 12): an application is assessed, queued, offered a
place and admitted, or declines (back on the list or off it, as the rules say) or withdraws; its
rank and its place in its facility's queue are worked out from the priority rules in force, in SQL
as in Python, and change when the rules do; the list exports to a ledger that reads back."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from caseapp import refdata
from caseapp.domain import CareApplication, Household, Member
from caseapp.errors import ValidationErrors, WorkflowError
from caseapp.ids import new_id
from caseapp.services import list_export, listing, quality, records, waitlist
from caseapp.store.workspace import Workspace
from caseapp.validation.idnumber import id_check_char
from tests.core.helpers import ORG, household, member

TODAY = dt.date.today()
APPLIED = TODAY - dt.timedelta(days=60)
PRIORITIES = tuple(refdata.codes("care_priority"))


def _codes(err: ValidationErrors) -> set[str]:
    return {e.key for e in err.errors}


def _apply(db: Any, name: str = "李桂英", born: dt.date = dt.date(1938, 2, 1), **more: Any) -> CareApplication:
    home = household(db, head_name=name)
    elder = member(db, home.id, name=name, birth_date=born)
    return records.create(db, CareApplication, {
        "org_code": ORG, "household_id": home.id, "member_id": elder.id, "facility_type": "care_home",
        "facility_name": "越秀区老人院", "applicant": "family", "applicant_name": "陈明（儿子）",
        "applied_on": APPLIED, **more})


@pytest.fixture
def rules_file(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "rules.json"
    refdata.install_rules(None)


# --- the rules -----------------------------------------------------------------------------------

def test_the_rules_rank_the_best_category_and_count_an_assessed_loss_of_capacity() -> None:
    rules = refdata.rules().care_waitlist
    assert waitlist.priority_rank("tekun,advanced_age", None) == rules.priority_ranks["tekun"] == 1
    assert waitlist.priority_rank("", "0") == rules.general_rank
    # 重度失能 on assessment ranks as 失能 although nobody ticked it
    assert waitlist.priority_rank("", "3") == rules.priority_ranks["disabled"] < rules.general_rank


def test_a_rules_file_is_checked_and_may_rank_otherwise(rules_file: Path) -> None:
    rules_file.write_text(json.dumps({"care_waitlist": {"priority_ranks": {"orphan": 1}}}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"care_waitlist\.priority_ranks.*orphan"):
        refdata.load_rules(rules_file)
    rules_file.write_text(json.dumps({"care_waitlist": {"declines_kept": -1}}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"care_waitlist\.declines_kept"):
        refdata.load_rules(rules_file)
    rules_file.write_text(json.dumps({"care_waitlist": {"priority_ranks": {"dementia": 1, "tekun": 2},
                                                        "declines_kept": 0}}), encoding="utf-8")
    custom = refdata.load_rules(rules_file).care_waitlist
    assert (custom.priority_ranks["dementia"], custom.priority_ranks["tekun"], custom.declines_kept) == (1, 2, 0)
    assert waitlist.priority_rank("dementia", None, custom) < waitlist.priority_rank("tekun", None, custom)


# --- the workflow --------------------------------------------------------------------------------

def test_an_application_is_assessed_queued_offered_declined_and_taken_off_by_the_rules(ws: Workspace) -> None:
    assert refdata.rules().care_waitlist.declines_kept == 1  # the packaged rule: one decline is kept
    with ws.write() as db:
        app = _apply(db, priorities="低保对象, advanced_age")
        assert (app.status, app.priorities, app.queued_on) == ("applying", "dibao,advanced_age", None)
        with pytest.raises(WorkflowError) as unassessed:
            records.transition(db, app, "waiting")
        assert unassessed.value.key == "workflow.care_needs_assessment"
        with pytest.raises(ValidationErrors) as early:
            records.update(db, app, {"capacity_level": "2", "assessed_on": APPLIED - dt.timedelta(days=1)})
        assert _codes(early.value) == {"care.assessed_before_applied"}
        with pytest.raises(ValidationErrors):  # the status moves only through the workflow
            records.update(db, app, {"status": "waiting"})
        records.transition(db, app, "waiting", capacity_level="2", assessed_on=APPLIED + dt.timedelta(days=5))
        assert app.queued_on == APPLIED  # the queue counts from the application
        with pytest.raises(ValidationErrors) as jump:  # no one is put ahead by a typed date
            records.update(db, app, {"queued_on": APPLIED - dt.timedelta(days=30)})
        assert _codes(jump.value) == {"care.stamped"}  # a stamp, never typed (issue 12)

        with pytest.raises(WorkflowError) as nowhere:
            records.transition(db, app, "offered")
        assert nowhere.value.key == "workflow.care_needs_place"
        records.transition(db, app, "offered", offered_place="3楼 302房 2床")
        assert (app.offers, app.offered_on) == (1, TODAY)
        # the first offer declined: back on the list, queued from today (back_of_queue_after_decline)
        records.transition(db, app, "waiting")
        assert (app.status, app.queued_on, app.closed_on) == ("waiting", TODAY, None)
        records.transition(db, app, "offered", offered_place="2楼 201房 1床")
        with pytest.raises(WorkflowError) as used:  # a second decline is beyond the rules' one
            records.transition(db, app, "waiting")
        assert used.value.key == "workflow.care_declines_used"
        with pytest.raises(WorkflowError) as why:
            records.transition(db, app, "declined")
        assert why.value.key == "workflow.care_needs_reason"
        records.transition(db, app, "declined", closing_reason="家属决定居家照料")
        assert (app.status, app.offers, app.closed_on) == ("declined", 2, TODAY)

        other = _apply(db, name="陈伯", capacity_level="4", assessed_on=APPLIED)
        records.transition(db, other, "waiting")
        records.transition(db, other, "offered", offered_place="1楼 101房")
        records.transition(db, other, "admitted")
        assert (other.status, other.closed_on) == ("admitted", TODAY)
        with pytest.raises(WorkflowError):  # admitted is the end
            records.transition(db, other, "withdrawn", closing_reason="x")
        third = _apply(db, name="王婆")
        records.transition(db, third, "withdrawn", closing_reason="已入住民办养老机构")
        assert third.status == "withdrawn"


# --- the queue, in SQL as in Python --------------------------------------------------------------

_app = st.fixed_dictionaries({
    "facility": st.sampled_from([("care_home", "越秀区老人院"), ("care_home", "市第二老人院"),
                                 ("day_care", "越秀区老人院")]),
    "status": st.sampled_from(["waiting", "waiting", "waiting", "applying", "offered"]),
    "priorities": st.lists(st.sampled_from(PRIORITIES), max_size=3, unique=True).map(",".join),
    "capacity_level": st.sampled_from([None, "0", "1", "2", "3", "4"]),
    "applied": st.integers(0, 5),  # few days: ties of rank and date, ordered by record
    "queued_after": st.one_of(st.none(), st.integers(0, 3)),
    "elder": st.integers(0, 3),  # aged 79, 80 today, 91 by ID number only, birth date unknown
})


def _elders(db: Any, home: Household) -> list[Member]:
    """Elders around the 高龄 line, each birth date found as the rules find it."""
    eighty = dt.date.fromisoformat(quality.elder_born(TODAY))  # 80 today
    first17 = f"440104{TODAY.year - 91}0101001"
    return [member(db, home.id, name="甲", birth_date=eighty + dt.timedelta(days=1)),
            member(db, home.id, name="乙", birth_date=eighty),
            member(db, home.id, name="丙", id_number=first17 + id_check_char(first17)),  # born in its ID number
            member(db, home.id, name="丁")]


def _rows(db: Any, home: Household, elders: list[Member], drawn: list[dict[str, Any]]) -> list[dict[str, Any]]:
    made = []
    for n, d in enumerate(drawn):
        elder = elders[d["elder"]]
        applied = APPLIED + dt.timedelta(days=d["applied"])
        queued = None if d["queued_after"] is None else applied + dt.timedelta(days=d["queued_after"])
        values = {"id": new_id(), "org_code": ORG, "household_id": home.id, "member_id": elder.id,
                  "facility_type": d["facility"][0], "facility_name": d["facility"][1], "status": d["status"],
                  "priorities": d["priorities"], "capacity_level": d["capacity_level"], "applied_on": applied,
                  "queued_on": queued, "archived": n % 7 == 6}  # now and then one archived: in no queue
        db.add(CareApplication(**values))
        made.append({**values, "born": waitlist.born_of(elder.values())})
    db.flush()
    return made


def _sql_places(db: Any) -> dict[str, int]:
    rows = listing.page(db, "care_waitlist", listing.ListFilter(), limit=200)
    return {r.id: r["queue_position"] for r in rows if r["queue_position"] is not None}


def test_the_queue_in_sql_is_the_queue_the_rules_give(ws: Workspace, rules_file: Path) -> None:
    rules_file.write_text(json.dumps({"care_waitlist": {"priority_ranks": {"dementia": 1, "tekun": 2},
                                                        "general_rank": 4}}), encoding="utf-8")
    other_rules = refdata.load_rules(rules_file)
    with ws.write() as db:
        home = household(db)
        elders = _elders(db, home)

        @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(st.lists(_app, max_size=14))
        def same_queue(drawn: list[dict[str, Any]]) -> None:
            outer = db.begin_nested()
            try:
                made = _rows(db, home, elders, drawn)
                assert _sql_places(db) == waitlist.queue(made)
                listed = listing.page(db, "care_waitlist", listing.ListFilter(), limit=200)
                for row in listed:  # the rank shown is the rank the rules give
                    born = next(m["born"] for m in made if m["id"] == row.id)
                    assert row["priority_rank"] == waitlist.priority_rank(row["priorities"], row["capacity_level"],
                                                                          born=born)
                refdata.install_rules(other_rules)  # the rules change: so does the queue
                try:
                    assert _sql_places(db) == waitlist.queue(made, other_rules.care_waitlist)
                finally:
                    refdata.install_rules(None)
            finally:
                outer.rollback()

        same_queue()


def test_a_queue_is_one_per_facility_by_rank_then_date(ws: Workspace) -> None:
    with ws.write() as db:
        def queued(name: str, applied: int, facility: str = "越秀区老人院", **more: Any) -> str:
            # under 80 (高龄 would rank them all as 低收入 does)
            app = _apply(db, name=name, born=dt.date(TODAY.year - 70, 1, 1),
                         applied_on=APPLIED + dt.timedelta(days=applied), capacity_level="1",
                         assessed_on=APPLIED + dt.timedelta(days=applied), facility_name=facility, **more)
            records.transition(db, app, "waiting")
            return app.id

        ids = {"early": queued("甲", 0), "late_tekun": queued("乙", 9, priorities="tekun"),
               "low_income": queued("丙", 3, priorities="low_income"), "later": queued("丁", 5),
               "elsewhere": queued("戊", 1, facility="市第二老人院")}
    with ws.read() as db:
        rows = listing.page(db, "care_waitlist", listing.ListFilter(choices={"facility_type": ("care_home",)}))
        by_id = {r.id: r["queue_position"] for r in rows}
        assert by_id == {ids["late_tekun"]: 1, ids["low_income"]: 2, ids["early"]: 3, ids["later"]: 4,
                         ids["elsewhere"]: 1}
        # a multi-valued category is found among the others (a choice filter on the codes)
        (found,) = listing.page(db, "care_waitlist", listing.ListFilter(choices={"priorities": ("low_income",)}))
        assert found.id == ids["low_income"]


def test_a_place_is_offered_in_turn_or_with_the_reason_it_is_not(ws: Workspace) -> None:
    with ws.write() as db:
        first = _apply(db, name="甲", priorities="tekun", capacity_level="1", assessed_on=APPLIED)
        second = _apply(db, name="乙", capacity_level="1", assessed_on=APPLIED)
        for app in (second, first):
            records.transition(db, app, "waiting")
        with pytest.raises(WorkflowError) as skipped:  # 特困 is first, whoever applied first
            records.transition(db, second, "offered", offered_place="2楼 201房")
        assert (skipped.value.key, skipped.value.params) == ("workflow.care_out_of_turn", {"place": 2})
        assert second.status == "waiting"
        records.transition(db, second, "offered", offered_place="2楼 201房", offer_reason="该床位为男性房间")
        assert (second.status, second.offers) == ("offered", 1)
        records.transition(db, first, "offered", offered_place="2楼 202房")  # first in turn: no reason needed


def test_the_waiting_list_exports_a_ledger_that_reads_back(ws: Workspace, tmp_path: Path) -> None:
    with ws.write() as db:
        app = _apply(db, priorities="tekun,youfu", capacity_level="3", assessed_on=APPLIED)
        records.transition(db, app, "waiting")
    path = tmp_path / "waitlist.xlsx"
    flt = listing.ListFilter(scope=(ORG,))
    ledger = list_export.save_list_ledger(ws, "care_waitlist", flt, path, password=None)
    sheet = load_workbook(io.BytesIO(path.read_bytes())).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == ledger.title and "入住轮候" in ledger.title
    header = rows[2]
    assert header[:3] == ["序号", "轮候序号", "姓名"], header
    assert len(header) == len(listing.LISTS["care_waitlist"].columns) + 1
    line = rows[3]
    assert line[1] == 1 and "李桂英" in line and "轮候中" in line and "越秀区老人院" in line
    assert "特困人员、重点优抚对象" in line and "重度失能" in line


def test_a_deployment_that_keeps_no_declines_takes_a_decliner_off_and_may_keep_the_date(
        ws: Workspace, rules_file: Path) -> None:
    with ws.write() as db:
        app = _apply(db, capacity_level="2", assessed_on=APPLIED)
        records.transition(db, app, "waiting")
        records.transition(db, app, "offered", offered_place="5楼 501房")
        records.transition(db, app, "waiting")  # the packaged rules: back on the list, at the back
        assert app.queued_on == TODAY
        rules_file.write_text(json.dumps({"care_waitlist": {"declines_kept": 2, "back_of_queue_after_decline": False}}),
                              encoding="utf-8")
        refdata.install_rules(refdata.load_rules(rules_file))
        kept = _apply(db, name="王婆", capacity_level="2", assessed_on=APPLIED)
        records.transition(db, kept, "waiting")
        for bed in ("5楼 502房", "5楼 503房"):  # two declines kept, and the application's date with them
            records.transition(db, kept, "offered", offered_place=bed)
            records.transition(db, kept, "waiting")
        assert (kept.offers, kept.queued_on) == (2, APPLIED)
        rules_file.write_text(json.dumps({"care_waitlist": {"declines_kept": 0}}), encoding="utf-8")
        refdata.install_rules(refdata.load_rules(rules_file))
        other = _apply(db, name="陈伯", capacity_level="4", assessed_on=APPLIED)
        records.transition(db, other, "waiting")
        records.transition(db, other, "offered", offered_place="1楼 101房", offer_reason="仅此床位适合完全失能老人")
        with pytest.raises(WorkflowError) as none_kept:  # not even one decline keeps a place on the list
            records.transition(db, other, "waiting")
        assert none_kept.value.key == "workflow.care_declines_used"


def test_one_elder_has_one_open_application_and_its_stamps_are_never_typed(ws: Workspace) -> None:
    with ws.write() as db:
        first = _apply(db)
        again = {"org_code": ORG, "household_id": first.household_id, "member_id": first.member_id,
                 "facility_type": "day_care", "facility_name": "东山街日间托老中心", "applied_on": APPLIED}
        with pytest.raises(ValidationErrors) as twice:
            records.create(db, CareApplication, again)
        (refused,) = twice.value.errors
        assert (refused.key, refused.field) == ("quality.two_open_applications", "member_id")
        assert refused.params == {"facility": "越秀区老人院"}
        # the queue date, the offers and their dates are stamped by the steps, never typed
        for name, value in (("queued_on", APPLIED - dt.timedelta(days=300)), ("offers", 3),
                            ("offered_on", TODAY), ("closed_on", TODAY)):
            with pytest.raises(ValidationErrors) as typed:
                records.update(db, first, {name: value})
            assert _codes(typed.value) == {"care.stamped"}, name
            with pytest.raises(ValidationErrors) as created:
                _apply(db, name="张三", **{name: value})
            assert _codes(created.value) == {"care.stamped"}, name
        assert (first.queued_on, first.offers) == (None, 0)
        records.transition(db, first, "withdrawn", closing_reason="家属接回家中照顾")
        assert first.closed_on == TODAY  # stamped by the step
        second = records.create(db, CareApplication, again)  # the first closed: the elder applies again
        assert second.status == "applying"


def test_the_advanced_age_priority_follows_the_birth_date_never_the_tick() -> None:
    eighty = quality.elder_born(TODAY)
    rules = refdata.rules().care_waitlist
    assert waitlist.priority_rank("advanced_age", None) == rules.general_rank  # ticked, with no birth date
    assert waitlist.priority_rank("", None, born=eighty) == rules.priority_ranks["advanced_age"]
    day_after = (dt.date.fromisoformat(eighty) + dt.timedelta(days=1)).isoformat()
    assert waitlist.priority_rank("advanced_age", None, born=day_after) == rules.general_rank  # 79 today
    assert waitlist.born_of({"id_number": "440104193801010012"}) == "1938-01-01"
