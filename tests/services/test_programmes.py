"""The programmes' records (issue 12): democratic appraisals (民主评议) and public notices (公示) on an
assistance application, children in hardship (困境儿童) with their monitoring visits, and people
entitled to preferential care (优抚对象) with their visits, and 平安通 calls handled ALARM → VERIFY →
DISPATCH → FOLLOW → RESOLVED. Each can be
recorded through the core, is refused when it breaks its rules, is listed, and exports to a ledger
that reads back from the workbook."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import select

from caseapp import refdata
from caseapp.domain import (
    Appraisal,
    AssistanceCase,
    CareVisit,
    ChildProfile,
    ChildVisit,
    ElderProfile,
    EmergencyCall,
    PublicNotice,
    VeteranProfile,
    VeteranVisit,
)
from caseapp.domain.appraisal import has_quorum, notice_end
from caseapp.domain.fields import all_facts
from caseapp.errors import ValidationErrors, WorkflowError
from caseapp.services import list_export, listing, notices, records
from caseapp.services.validate import clean
from caseapp.store.workspace import Workspace
from tests.core.helpers import ORG, approve, household, member, two_members

TODAY = dt.date.today()


def _case(db: Any) -> AssistanceCase:
    home = household(db)
    two_members(db, home.id)
    return records.create(db, AssistanceCase, {"org_code": ORG, "household_id": home.id, "category": "dibao",
                                               "people_covered": 2})


def _appraisal(case: AssistanceCase, **more: Any) -> dict[str, Any]:
    return {"org_code": ORG, "case_id": case.id, "held_on": TODAY, "place": "洪桥社区居委会会议室",
            "panel_size": 9, "present": 6, "participants": "社区居委会委员5人、居民代表4人", "votes_for": 6,
            "result": "agree", **more}


def _codes(err: ValidationErrors) -> set[str]:
    return {e.key for e in err.errors}


# --- 民主评议 ----------------------------------------------------------------------------------------

@given(st.integers(0, 60), st.integers(0, 60))
def test_quorum_is_two_thirds_of_the_panel_in_whole_numbers(present: int, members: int) -> None:
    assert has_quorum(present, members) == (members > 0 and present / members >= 2 / 3 - 1e-12)


def test_an_appraisal_is_recorded_on_its_case_and_refused_without_a_quorum(ws: Workspace) -> None:
    with ws.write() as db:
        case = _case(db)
        kept = records.create(db, Appraisal, _appraisal(case))
        assert (kept.case_id, kept.org_code, kept.result) == (case.id, ORG, "agree")
        with pytest.raises(ValidationErrors) as short:
            records.create(db, Appraisal, _appraisal(case, present=5, votes_for=5))  # 5 of 9: below 2/3
        assert _codes(short.value) == {"appraisal.no_quorum"}
        with pytest.raises(ValidationErrors) as odd:
            records.create(db, Appraisal, _appraisal(case, present=10, votes_for=7, votes_against=4,
                                                     objections="收入情况有疑问"))
        assert _codes(odd.value) == {"appraisal.more_present_than_panel", "appraisal.more_votes_than_present",
                                     "appraisal.answers_required"}
        with pytest.raises(WorkflowError):  # the signed minutes are a fact
            records.update(db, kept, {"result": "disagree"})
        assert db.scalar(select(Appraisal.id).where(Appraisal.case_id == case.id)) == kept.id

    # the stamps of an imported row are checked alone (caseapp.services.exchange): no counts, no verdict
    stamped = {"org_code": ORG, "updated_by": "x"}
    assert clean(Appraisal, stamped, partial=True) == clean(VeteranProfile, stamped, partial=True) == stamped


# --- 公示 ----------------------------------------------------------------------------------------------

def test_a_notice_runs_the_rules_days_and_cannot_be_shorter(ws: Workspace) -> None:
    days = refdata.rules().time_limit("public_notice_days")
    with ws.write() as db:
        case = _case(db)
        notice = records.create(db, PublicNotice, {"org_code": ORG, "case_id": case.id, "started_on": TODAY,
                                                   "place": "社区公示栏"})
        assert notice.ends_on == TODAY + dt.timedelta(days=days - 1) == notice_end(TODAY, days)
        with pytest.raises(ValidationErrors) as short:
            records.update(db, notice, {"ends_on": TODAY + dt.timedelta(days=days - 2)})
        assert _codes(short.value) == {"notice.too_short"}
        # objections without answers are taken as written: a supervisor's sign-off writes both in one text
        records.update(db, notice, {"objections": "邻居反映其有经营收入，经核实收入已计入"})


def test_the_case_notice_fields_are_derived_from_its_latest_notice(ws: Workspace) -> None:
    with ws.write() as db:
        case = _case(db)
        approve(db, case, upto="preliminary_review")
        records.transition(db, case, "public_notice", at=dt.datetime.now(dt.UTC) - dt.timedelta(days=8))
        (opened,) = db.scalars(select(PublicNotice).where(PublicNotice.case_id == case.id)).all()
        started = TODAY - dt.timedelta(days=8)
        assert (opened.started_on, opened.kind, case.notice_started_on) == (started, "review", started)
        records.update(db, opened, {"place": "洪桥社区公示栏", "objections": "邻居反映其有经营收入",
                                    "answers": "经核实为临时帮工，收入已计入"})
        assert case.notice_objections == "邻居反映其有经营收入\n答复：经核实为临时帮工，收入已计入"
        # the objection sends it back; a second round opens a new notice with nothing recorded yet
        records.transition(db, case, "investigation")
        records.transition(db, case, "preliminary_review")
        records.transition(db, case, "public_notice", at=dt.datetime.now(dt.UTC) - dt.timedelta(days=7))
        assert case.notice_started_on == TODAY - dt.timedelta(days=7) and case.notice_objections == ""
        with pytest.raises(WorkflowError) as refused:
            records.transition(db, case, "approval")
        assert refused.value.key == "workflow.objections_required"
        # objections written while signing the step go onto the notice, the fact, as the server takes them
        signed = "有居民反映其有车辆，经核对已于申请前过户"
        records.transition(db, case, "approval", notice_objections=signed)
        second = notices.latest(db, case.id)
        assert second is not None and second.objections == signed and second.id != opened.id
        clean(PublicNotice, second.values())  # what the server will check it against
        # archiving the second round's notice puts the first one's facts back on the case
        records.archive(db, second)
        assert (case.notice_started_on, case.notice_objections) == (started, notices.objections_text(opened))


# --- 困境儿童 ----------------------------------------------------------------------------------------

def _child(db: Any) -> ChildProfile:
    home = household(db, head_name="王芳")
    kid = member(db, home.id, name="王小宝", relationship="30", birth_date=dt.date(2016, 5, 1))
    return records.create(db, ChildProfile, {
        "org_code": ORG, "household_id": home.id, "member_id": kid.id, "category": "de_facto_unsupported",
        "guardian_name": "王建国", "guardian_relation": "祖父", "guardian_phone": "13800138000",
        "guardianship": "relative", "living_situation": "with_grandparents", "risk_tier": "key"})


def test_a_childs_file_and_visits_are_recorded_and_everything_about_the_child_is_personal(ws: Workspace) -> None:
    with ws.write() as db:
        child = _child(db)
        visit = records.create(db, ChildVisit, {"org_code": "440104001002", "child_id": child.id,
                                                "visited_at": dt.datetime.now(dt.UTC) - dt.timedelta(hours=2),
                                                "findings": "按时上学，祖父照料尚可", "risk": "normal"})
        assert visit.org_code == ORG  # lives where the child's household lives
        with pytest.raises(ValidationErrors) as bad:
            records.create(db, ChildProfile, {"org_code": ORG, "household_id": child.household_id,
                                              "member_id": child.member_id, "category": "orphan_x",
                                              "guardian_phone": "12345"})
        assert {e.field for e in bad.value.errors} == {"category", "guardian_phone"}
    own = set(all_facts(ChildProfile)) - {"id", "org_code", "author", "device", "created_at", "updated_at",
                                          "updated_by", "archived", "server_pos", "household_id", "member_id"}
    assert own and all(all_facts(ChildProfile)[name].personal for name in own)
    assert all(all_facts(ChildVisit)[name].personal for name in ("visitors", "findings", "risk", "follow_up"))


# --- 优抚对象 ------------------------------------------------------------------------------------------

def _veteran(db: Any, **more: Any) -> VeteranProfile:
    home = household(db, head_name="陈国强")
    man = member(db, home.id, name="陈国强", birth_date=dt.date(1950, 3, 1))
    return records.create(db, VeteranProfile, {
        "org_code": ORG, "household_id": home.id, "member_id": man.id, "category": "disabled_soldier",
        "disability_grade": "6", "certificate_no": "YF4401040000001", "monthly_allowance": "3,300",
        "allowance_from": dt.date(2015, 1, 1), **more})


def test_a_veterans_file_needs_the_grade_only_a_disabled_serviceman_has(ws: Workspace) -> None:
    with ws.write() as db:
        vet = _veteran(db)
        assert vet.monthly_allowance == Decimal("3300.00")
        with pytest.raises(ValidationErrors) as no_grade:
            records.update(db, vet, {"disability_grade": None})
        assert _codes(no_grade.value) == {"veteran.grade_required"}
        with pytest.raises(ValidationErrors) as grade:
            records.update(db, vet, {"category": "demobilised"})
        assert _codes(grade.value) == {"veteran.grade_only_disabled"}
        records.update(db, vet, {"category": "demobilised", "disability_grade": None, "monthly_allowance": "2100"})
        visit = records.create(db, VeteranVisit, {"org_code": ORG, "veteran_id": vet.id, "occasion": "army_day",
                                                  "visited_at": dt.datetime.now(dt.UTC) - dt.timedelta(days=2),
                                                  "findings": "身体尚好", "support_amount": "500"})
        assert (visit.org_code, visit.support_amount) == (ORG, Decimal("500.00"))
        with pytest.raises(ValidationErrors) as negative:
            records.create(db, VeteranVisit, {"org_code": ORG, "veteran_id": vet.id, "findings": "x",
                                              "visited_at": dt.datetime.now(dt.UTC), "support_amount": "-1"})
        assert {e.field for e in negative.value.errors} == {"support_amount"}


# --- 平安通 ---------------------------------------------------------------------------------------------

def _call(db: Any, **more: Any) -> EmergencyCall:
    home = household(db, head_name="李桂英")
    elder = member(db, home.id, name="李桂英", birth_date=dt.date(1938, 2, 1))
    profile = records.create(db, ElderProfile, {"org_code": ORG, "household_id": home.id, "member_id": elder.id,
                                                "pingantong_device": "PAT000123456"})
    return records.create(db, EmergencyCall, {"org_code": ORG, "elder_id": profile.id,
                                              "called_at": dt.datetime.now(dt.UTC) - dt.timedelta(hours=2),
                                              **more})


def test_a_pingantong_call_is_handled_step_by_step_with_what_each_step_needs(ws: Workspace) -> None:
    with ws.write() as db:
        call = _call(db)
        assert (call.status, call.device_no, call.call_type) == ("alarm", "PAT000123456", "alarm")
        with pytest.raises(WorkflowError) as skipped:
            records.transition(db, call, "dispatch")
        assert skipped.value.key == "workflow.illegal"
        with pytest.raises(ValidationErrors):  # the state moves only through the workflow
            records.update(db, call, {"status": "resolved"})
        records.transition(db, call, "verify", response="回拨无人接听，联系紧急联系人")
        with pytest.raises(WorkflowError) as nobody:
            records.transition(db, call, "dispatch")
        assert nobody.value.key == "workflow.call_needs_dispatch_target"
        records.transition(db, call, "dispatch", dispatched_to="社区工作人员、120")
        assert call.dispatched_at is not None and call.resolved_at is None
        records.transition(db, call, "follow")
        with pytest.raises(WorkflowError) as open_ended:
            records.transition(db, call, "resolved")
        assert open_ended.value.key == "workflow.call_needs_outcome"
        records.transition(db, call, "resolved", outcome="hospital", follow_up="次日回访")
        assert call.status == "resolved" and call.resolved_at is not None
        # a care call is resolved once checked, without a dispatch
        care = _call(db, call_type="care", device_no="PAT9")
        records.transition(db, care, "verify")
        records.transition(db, care, "resolved", outcome="safe")
        assert (care.device_no, care.dispatched_at) == ("PAT9", None)


# --- lists and ledgers ---------------------------------------------------------------------------------

def _sheet_rows(path: Path) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(path.read_bytes())).active
    assert sheet is not None
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_each_programme_is_listed_and_exports_a_ledger_that_reads_back(ws: Workspace, tmp_path: Path) -> None:
    with ws.write() as db:
        case = _case(db)
        records.create(db, Appraisal, _appraisal(case))
        records.create(db, PublicNotice, {"org_code": ORG, "case_id": case.id, "started_on": TODAY,
                                          "place": "社区公示栏", "objections": "无异议"})
        child = _child(db)
        records.create(db, ChildVisit, {"org_code": ORG, "child_id": child.id, "findings": "情况稳定",
                                        "visited_at": dt.datetime.now(dt.UTC) - dt.timedelta(days=1)})
        _call(db)
        vet = _veteran(db)
        records.create(db, VeteranVisit, {"org_code": ORG, "veteran_id": vet.id, "occasion": "spring_festival",
                                          "findings": "生活自理", "support_amount": "500",
                                          "visited_at": dt.datetime.now(dt.UTC) - dt.timedelta(days=3)})
    expected = {"emergency_calls": ("李桂英", "紧急呼叫"), "veterans": ("陈国强", "残疾军人"),
                "veteran_visits": ("陈国强", "春节慰问"),
                "appraisals": ("张伟", "同意"), "public_notices": ("张伟", "审核公示"),
                "children": ("王小宝", "事实无人抚养儿童"), "child_visits": ("王小宝", "入户探访")}
    for name, (who, coded) in expected.items():
        flt = listing.ListFilter(scope=(ORG,))
        with ws.read() as db:
            (row,) = listing.page(db, name, flt)
        assert who in row.values.values()
        path = tmp_path / f"{name}.xlsx"
        ledger = list_export.save_list_ledger(ws, name, flt, path, password=None)
        rows = _sheet_rows(path)
        assert rows[0][0] == ledger.title and list_export.list_title(name) in ledger.title
        header = rows[2]
        assert header[0] == "序号" and len(header) == len(listing.LISTS[name].columns) + 1
        assert who in rows[3] and coded in rows[3], (name, rows[3])
    with ws.read() as db:  # a choice filter on a coded column
        flt = listing.ListFilter(choices={"category": ("poverty",)})
        assert listing.page(db, "children", flt) == []

    # the money columns are totalled at the foot of the ledger (抚恤补助, 慰问金)
    rows = _sheet_rows(tmp_path / "veterans.xlsx")
    column = rows[2].index("月抚恤补助金额（元）")
    assert rows[3][column] == pytest.approx(3300)
    assert rows[4][0] == "合计" and str(rows[4][column]).startswith("=SUM(")


def test_each_visit_and_call_is_listed_under_its_own_person_not_the_first_one_recorded(ws: Workspace) -> None:
    # the lists name a visit's (a call's, an appraisal's) person through its profile (its case): two
    # people, a record each; every row was once named after the first one recorded
    now = dt.datetime.now(dt.UTC)
    want: dict[str, dict[str, str]] = {"veteran_visits": {}, "child_visits": {}, "emergency_calls": {},
                                       "visits": {}, "appraisals": {}, "public_notices": {}}
    with ws.write() as db:
        for n, name in enumerate(("陈国强", "林志明")):
            home = household(db, head_name=name)
            man = member(db, home.id, name=name, birth_date=dt.date(1940 + n, 3, 1))
            kid = member(db, home.id, name=f"{name[0]}小宝", relationship="30", birth_date=dt.date(2016, 5, 1))
            vet = records.create(db, VeteranProfile, {
                "org_code": ORG, "household_id": home.id, "member_id": man.id, "category": "demobilised",
                "certificate_no": f"YF440104000000{n}", "monthly_allowance": "2100"})
            visit = records.create(db, VeteranVisit, {"org_code": ORG, "veteran_id": vet.id, "findings": "好",
                                                      "occasion": "army_day", "visited_at": now})
            want["veteran_visits"][visit.id] = name
            child = records.create(db, ChildProfile, {
                "org_code": ORG, "household_id": home.id, "member_id": kid.id, "category": "de_facto_unsupported",
                "guardian_name": name, "guardian_relation": "祖父", "guardianship": "relative"})
            seen = records.create(db, ChildVisit, {"org_code": ORG, "child_id": child.id, "findings": "好",
                                                   "visited_at": now})
            want["child_visits"][seen.id] = kid.name
            elder = records.create(db, ElderProfile, {"org_code": ORG, "household_id": home.id,
                                                      "member_id": man.id, "pingantong_device": f"PAT00000{n}"})
            call = records.create(db, EmergencyCall, {"org_code": ORG, "elder_id": elder.id, "called_at": now})
            want["emergency_calls"][call.id] = name
            care = records.create(db, CareVisit, {"org_code": ORG, "elder_id": elder.id, "visited_at": now,
                                                  "notes": "精神状态良好"})
            want["visits"][care.id] = name
            member(db, home.id, name=f"{name[0]}娟", relationship="12")
            case = records.create(db, AssistanceCase, {"org_code": ORG, "household_id": home.id,
                                                       "category": "dibao", "people_covered": 2})
            want["appraisals"][records.create(db, Appraisal, _appraisal(case)).id] = name
            notice = records.create(db, PublicNotice, {"org_code": ORG, "case_id": case.id, "started_on": TODAY,
                                                       "place": "社区公示栏"})
            want["public_notices"][notice.id] = name
    with ws.read() as db:
        for name, names in want.items():
            rows = listing.page(db, name, listing.ListFilter(scope=(ORG,)))
            key = "head_name" if name in ("appraisals", "public_notices") else "name"
            assert {row.id: row[key] for row in rows} == names, name
