"""The programmes' records sync like any other (issue 12): an appraisal (民主评议), a public notice
(公示) with the case fields derived from it, a child's file (困境儿童) and a monitoring visit, a
preferential-care file (优抚对象) and a holiday call, and a 平安通 call taken to dispatch, typed on
one device, reach another device in the same community through a real server on loopback (SQLite
and PostgreSQL), never a device outside it; the server holds them to the device's rules (the
appraisal's quorum, a disabled serviceman's grade, the call's workflow) and to scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from caseapp.domain import (
    Appraisal,
    AssistanceCase,
    ChildProfile,
    ChildVisit,
    ElderProfile,
    EmergencyCall,
    Member,
    PublicNotice,
    VeteranProfile,
    VeteranVisit,
)
from caseapp.domain.types import format_datetime
from caseapp.services import records

from .conftest import GRID_A1, Device
from .test_end_to_end import new_household
from .test_server_validates import create_op, raw_push, set_op

TODAY = dt.date.today()
KINDS = (Appraisal, PublicNotice, ChildProfile, ChildVisit, VeteranProfile, VeteranVisit, EmergencyCall)
KEYS = ("appraisal", "notice", "child", "visit", "veteran", "call", "alarm")


def _record_everything(dev: Device) -> dict[str, str]:
    home = new_household(dev, GRID_A1, head_name="王芳")
    with dev.ws.write() as s:
        head = s.scalars(select(Member).where(Member.household_id == home)).one()
        kid = records.create(s, Member, {"org_code": GRID_A1, "household_id": home, "name": "王小宝",
                                         "relationship": "30", "birth_date": dt.date(2016, 5, 1)})
        case = records.create(s, AssistanceCase, {"org_code": GRID_A1, "household_id": home, "category": "dibao",
                                                  "people_covered": 1})
        appraisal = records.create(s, Appraisal, {
            "org_code": GRID_A1, "case_id": case.id, "held_on": TODAY, "place": "社区会议室", "panel_size": 7,
            "present": 5, "participants": "居委会委员3人、居民代表2人", "votes_for": 5, "result": "agree"})
        notice = records.create(s, PublicNotice, {"org_code": GRID_A1, "case_id": case.id, "started_on": TODAY,
                                                  "place": "社区公示栏", "objections": "无异议"})
        child = records.create(s, ChildProfile, {
            "org_code": GRID_A1, "household_id": home, "member_id": kid.id, "category": "left_behind",
            "guardian_name": head.name, "guardian_relation": "母亲", "guardianship": "one_parent"})
        visit = records.create(s, ChildVisit, {"org_code": GRID_A1, "child_id": child.id, "findings": "学习正常",
                                               "visited_at": dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)})
        veteran = records.create(s, VeteranProfile, {
            "org_code": GRID_A1, "household_id": home, "member_id": head.id, "category": "martyr_family",
            "certificate_no": "LS440105000123", "monthly_allowance": "2500"})
        call = records.create(s, VeteranVisit, {"org_code": GRID_A1, "veteran_id": veteran.id,
                                                "occasion": "spring_festival", "findings": "身体健康",
                                                "support_amount": "500",
                                                "visited_at": dt.datetime.now(dt.UTC) - dt.timedelta(hours=3)})
        elder = records.create(s, ElderProfile, {"org_code": GRID_A1, "household_id": home, "member_id": head.id,
                                                 "pingantong_device": "PAT000000777"})
        alarm = records.create(s, EmergencyCall, {"org_code": GRID_A1, "elder_id": elder.id,
                                                  "called_at": dt.datetime.now(dt.UTC) - dt.timedelta(minutes=30)})
        records.transition(s, alarm, "verify", response="回拨老人，称跌倒")
        records.transition(s, alarm, "dispatch", dispatched_to="社区工作人员")
        return {"alarm": alarm.id, "household": home, "kid": kid.id, "case": case.id, "appraisal": appraisal.id,
                "notice": notice.id,
                "child": child.id, "visit": visit.id, "veteran": veteran.id, "call": call.id}


def _values(dev: Device, ids: dict[str, str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    with dev.ws.read() as s:
        for key, cls in zip(KEYS, KINDS, strict=True):
            record = s.get(cls, ids[key])
            found[key] = None if record is None else {k: v for k, v in record.values().items()
                                                      if k not in ("updated_at", "created_at")}
        case = s.get(AssistanceCase, ids["case"])
        found["case"] = None if case is None else (case.notice_started_on, case.notice_objections)
    return found


def test_the_programmes_records_sync_within_scope_and_nowhere_else(device: Callable[[str], Device]) -> None:
    one, two, other = device("worker1"), device("worker2"), device("worker3")
    ids = _record_everything(one)
    report = one.sync()
    assert report.push.rejected == 0 and report.push.applied > 0
    two.sync()
    other.sync()
    mine, theirs = _values(one, ids), _values(two, ids)
    assert mine == theirs and mine["case"] == (TODAY, "无异议")
    assert theirs["child"]["guardian_relation"] == "母亲" and theirs["visit"]["findings"] == "学习正常"
    assert str(theirs["veteran"]["monthly_allowance"]) == "2500.00"
    assert theirs["call"]["occasion"] == "spring_festival"
    assert (theirs["alarm"]["status"], theirs["alarm"]["device_no"]) == ("dispatch", "PAT000000777")
    assert theirs["alarm"]["dispatched_at"] is not None
    assert all(value is None for value in _values(other, ids).values())  # another community's device


def test_the_server_refuses_what_the_device_refuses_and_a_visit_outside_scope(
        device: Callable[[str], Device]) -> None:
    one, other = device("worker1"), device("worker3")
    ids = _record_everything(one)
    one.sync()
    (short,) = raw_push(one, create_op("appraisal", {
        "org_code": GRID_A1, "case_id": ids["case"], "held_on": TODAY.isoformat(), "place": "社区会议室",
        "panel_size": 9, "present": 5, "participants": "居民代表5人", "result": "agree"}))
    assert (short.verdict, short.reason) == ("rejected", "appraisal.no_quorum")
    (ungraded,) = raw_push(one, create_op("veteran_profile", {
        "org_code": GRID_A1, "household_id": ids["household"], "member_id": ids["kid"],
        "category": "disabled_soldier", "certificate_no": "CJ1"}))
    assert (ungraded.verdict, ungraded.reason) == ("rejected", "veteran.grade_required")
    (skipped,) = raw_push(one, set_op("emergency_call", ids["alarm"], "status", "resolved"))
    assert skipped.verdict == "rejected" and (skipped.reason or "").startswith("workflow."), skipped
    (stray,) = raw_push(other, create_op("child_visit", {
        "org_code": GRID_A1, "child_id": ids["child"], "findings": "x",
        "visited_at": format_datetime(dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))}))
    assert (stray.verdict, stray.reason) == ("rejected", "sync.out_of_scope")
