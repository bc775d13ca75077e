"""Approvals with sign-off: each step of an assistance case is an action taken by a role, signed
with an opinion, and gated on the evidence approval rests on (caseapp.services.workflows)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from caseapp.domain import AssistanceCase, CaseStep, Investigation, Verification
from caseapp.errors import WorkflowError
from caseapp.messages import render
from caseapp.services import records
from caseapp.services.workflows import ASSISTANCE, CASEWORKER, SUPERVISOR
from caseapp.store.workspace import Workspace
from tests.core.helpers import CASE_PATH, ORG, approve, household, two_members

ROLES = (None, "caseworker", "supervisor", "approver", "admin")


def new_case(ws: Workspace) -> str:
    with ws.write() as s:
        h = household(s)
        two_members(s, h.id)  # the two people covered (caseapp.services.quality)
        return records.create(s, AssistanceCase, {"org_code": ORG, "household_id": h.id, "category": "dibao",
                                                  "monthly_amount": "600",
                                                  "amount_reason": "按测试设定的金额", "people_covered": 2}).id


def refused(ws: Workspace, case_id: str, target: str, **kwargs: object) -> str:
    with pytest.raises(WorkflowError) as info, ws.write() as s:
        records.transition(s, records.get(s, AssistanceCase, case_id), target, **kwargs)  # type: ignore[arg-type]
    return info.value.key


def test_each_role_takes_its_own_steps(ws: Workspace) -> None:
    cid = new_case(ws)
    with ws.write() as s:
        approve(s, records.get(s, AssistanceCase, cid), "preliminary_review", role=CASEWORKER)
    assert refused(ws, cid, "public_notice", role=CASEWORKER) == "workflow.needs_supervisor"
    with ws.write() as s:
        records.transition(s, records.get(s, AssistanceCase, cid), "public_notice", role=SUPERVISOR,
                           at=dt.datetime.now(dt.UTC) - dt.timedelta(days=8), note="同意公示")
        records.transition(s, records.get(s, AssistanceCase, cid), "approval", role=SUPERVISOR,
                           notice_objections="无异议")
    assert refused(ws, cid, "active", role=SUPERVISOR) == "workflow.needs_approver"
    assert "区审批" in render(WorkflowError("workflow.needs_approver", "status"), "zh")
    with ws.write() as s:
        records.transition(s, records.get(s, AssistanceCase, cid), "active", role="approver", note="同意")
    with ws.read() as s:
        steps = s.scalars(select(CaseStep).where(CaseStep.case_id == cid).order_by(CaseStep.id)).all()
        assert records.get(s, AssistanceCase, cid).status == "active"
    assert [(x.action, x.handler_role) for x in steps] == [
        ("accept", "caseworker"), ("start_investigation", "caseworker"), ("submit", "caseworker"),
        ("pass_review", "supervisor"), ("report", "supervisor"), ("approve", "approver")]
    assert [x.opinion for x in steps][3:] == ["同意公示", "", "同意"]
    assert [(x.from_state, x.to_state) for x in steps] == list(zip(("applied", *CASE_PATH[:-1]), CASE_PATH,
                                                                   strict=True))


def test_approval_needs_the_verification_and_a_two_person_investigation(ws: Workspace) -> None:
    cid = new_case(ws)
    with ws.write() as s:
        case = records.get(s, AssistanceCase, cid)
        for target in CASE_PATH[:4]:
            records.transition(s, case, target, at=dt.datetime.now(dt.UTC) - dt.timedelta(days=8))
        records.transition(s, case, "approval", notice_objections="无异议")
    assert refused(ws, cid, "active") == "workflow.needs_verification"
    with ws.write() as s:  # a 核对 requested and not answered yet is no conclusion
        check = records.create(s, Verification, {"org_code": ORG, "household_id": case.household_id,
                                                 "case_id": cid, "consent_ref": "SQ-1",
                                                 "requested_on": dt.date.today()})
        assert check.conclusion == "pending"
    assert refused(ws, cid, "active") == "workflow.needs_verification"
    with ws.write() as s:
        records.update(s, records.get(s, Verification, check.id), {"conclusion": "needs_review"})
    assert refused(ws, cid, "active") == "workflow.needs_verification"
    with ws.write() as s:
        records.update(s, records.get(s, Verification, check.id), {"conclusion": "eligible"})
        inv = records.create(s, Investigation, {"org_code": ORG, "household_id": case.household_id, "case_id": cid,
                                                "investigators": "张敏", "investigators_signed": True,
                                                "investigated_at": dt.datetime.now(dt.UTC)})
    assert refused(ws, cid, "active") == "workflow.needs_investigation"  # one investigator is not two
    with ws.write() as s:
        records.update(s, records.get(s, Investigation, inv.id), {"investigators": "张敏、刘志强"})
        records.transition(s, records.get(s, AssistanceCase, cid), "active")
    with ws.read() as s:
        assert records.get(s, AssistanceCase, cid).status == "active"


def test_the_public_notice_runs_its_week_with_objections_recorded(ws: Workspace) -> None:
    cid = new_case(ws)
    with ws.write() as s:
        case = records.get(s, AssistanceCase, cid)
        for target in CASE_PATH[:4]:
            records.transition(s, case, target, at=dt.datetime.now(dt.UTC) - dt.timedelta(days=3))
    assert refused(ws, cid, "approval", notice_objections="无异议") == "workflow.notice_not_over"
    with ws.write() as s:
        records.get(s, AssistanceCase, cid).notice_started_on = dt.date.today() - dt.timedelta(days=7)
    assert refused(ws, cid, "approval") == "workflow.objections_required"
    with ws.write() as s:
        records.transition(s, records.get(s, AssistanceCase, cid), "approval", notice_objections="收到 1 件，已核实")


def test_every_move_is_offered_with_the_reason_it_cannot_be_taken_now(ws: Workspace) -> None:
    cid = new_case(ws)
    with ws.write() as s:
        case = records.get(s, AssistanceCase, cid)
        for target in CASE_PATH[:5]:
            records.transition(s, case, target, at=dt.datetime.now(dt.UTC) - dt.timedelta(days=8),
                               **({"notice_objections": "无异议"} if target == "approval" else {}))
        options = dict(ASSISTANCE.options("approval", case, CASEWORKER))
    # what the case lacks comes first (nobody could take the step yet), then who may take it
    assert options == {"active": "workflow.needs_verification", "rejected": "workflow.rejection_reason_required",
                       "investigation": "workflow.needs_approver"}
    assert dict(ASSISTANCE.options("approval", None, "approver")) == dict.fromkeys(options)


@settings(max_examples=60, deadline=None)
@given(role=st.sampled_from(ROLES), state=st.sampled_from(sorted(ASSISTANCE.moves)), data=st.data())
def test_a_step_is_allowed_exactly_when_the_role_may_take_it(role: str | None, state: str, data: st.DataObject) -> None:
    target = data.draw(st.sampled_from(ASSISTANCE.moves[state]))
    step = ASSISTANCE.step(state, target)
    blocked = dict(ASSISTANCE.options(state, None, role))[target]
    assert (blocked is None) == (role in (None, "admin") or not step.roles or role in step.roles)
    assert (target in ASSISTANCE.allowed(state, None, role)) == (blocked is None)
    assert step.action, f"{state} → {target} has no name the office uses"
