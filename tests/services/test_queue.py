"""The sign-off queue and the returned list (caseapp.services.queue): a supervisor sees the cases
whose next step their role signs, oldest submission first, with who submitted them and when; a
caseworker sees what was sent back to them and why, until they act on it."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from caseapp.domain import AssistanceCase, CaseStep, Investigation, Verification
from caseapp.errors import ValidationErrors, WorkflowError
from caseapp.services import queue, records
from caseapp.services.workflows import ASSISTANCE, RETURNS
from caseapp.store.workspace import Workspace
from tests.core.helpers import ORG, approve, household


def submitted(ws: Workspace, head: str, upto: str = "preliminary_review", by: str = "worker1") -> str:
    ws.actor = by
    with ws.write() as s:
        h = household(s, head_name=head)
        case = records.create(s, AssistanceCase, {"org_code": ORG, "household_id": h.id, "category": "dibao",
                                                  "monthly_amount": "600", "amount_reason": "按测试设定的金额"})
        approve(s, case, upto, role="caseworker" if upto == "preliminary_review" else None)
        return case.id


def test_the_supervisor_sees_submitted_cases_oldest_first_with_who_and_when(ws: Workspace) -> None:
    first = submitted(ws, "黄淑芬")
    second = submitted(ws, "李建国", by="worker2")
    with ws.read() as s:
        waiting = queue.waiting_for(s, "supervisor")
        assert queue.waiting_for(s, "caseworker") == []  # nothing waits for the community's own role
        assert queue.waiting_for(s, "approver") == []
    assert [(w.case_id, w.head_name, w.action, w.target, w.submitted_by) for w in waiting] == [
        (first, "黄淑芬", "pass_review", "public_notice", "worker1"),
        (second, "李建国", "pass_review", "public_notice", "worker2")]
    assert waiting[0].submitted_at <= waiting[1].submitted_at
    assert waiting[0].category == "dibao" and waiting[0].status == "preliminary_review"


def test_each_role_sees_only_the_steps_it_signs(ws: Workspace) -> None:
    notice = submitted(ws, "王芳", upto="public_notice")
    approval = submitted(ws, "陈明", upto="approval")
    with ws.read() as s:
        assert [(w.case_id, w.action) for w in queue.waiting_for(s, "supervisor")] == [(notice, "report")]
        assert [(w.case_id, w.action) for w in queue.waiting_for(s, "approver")] == [(approval, "approve")]
        # an administrator, or a workspace never signed in, holds every role
        assert {w.case_id for w in queue.waiting_for(s, "admin")} == {notice, approval}
        assert {w.case_id for w in queue.waiting_for(s, None)} == {notice, approval}


def test_a_case_once_signed_leaves_the_queue(ws: Workspace) -> None:
    case_id = submitted(ws, "黄淑芬")
    ws.actor = "supervisor"
    with ws.write() as s:
        records.transition(s, records.get(s, AssistanceCase, case_id), "public_notice", role="supervisor",
                           at=dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
    with ws.read() as s:
        waiting = queue.waiting_for(s, "supervisor")
    # it now waits for the notice to end: the same supervisor's next step, submitted by them
    assert [(w.action, w.submitted_by) for w in waiting] == [("report", "supervisor")]


def test_a_returned_case_shows_to_its_submitter_with_the_reason_until_they_act(ws: Workspace) -> None:
    case_id = submitted(ws, "黄淑芬")
    other = submitted(ws, "李建国", by="worker2")
    ws.actor = "supervisor"
    with ws.write() as s:
        for cid in (case_id, other):
            records.transition(s, records.get(s, AssistanceCase, cid), "investigation", role="supervisor",
                               note="缺少收入证明，请补充")
    with ws.read() as s:
        back = queue.returned_to(s, "worker1")
        assert [r.case_id for r in queue.returned_to(s, "worker2")] == [other]
        assert queue.returned_to(s, "supervisor") == []
        assert queue.waiting_for(s, "supervisor") == []
    assert [(r.case_id, r.head_name, r.action, r.returned_by, r.reason) for r in back] == [
        (case_id, "黄淑芬", "return", "supervisor", "缺少收入证明，请补充")]
    ws.actor = "worker1"
    with ws.write() as s:  # the caseworker adds the document and submits again
        records.transition(s, records.get(s, AssistanceCase, case_id), "preliminary_review", role="caseworker",
                           note="已补充收入证明")
    with ws.read() as s:
        assert queue.returned_to(s, "worker1") == []
        assert [w.case_id for w in queue.waiting_for(s, "supervisor")] == [case_id]


def test_an_objection_during_the_notice_is_a_return_too(ws: Workspace) -> None:
    case_id = submitted(ws, "王芳", upto="public_notice")
    ws.actor = "supervisor"
    with ws.write() as s:
        records.transition(s, records.get(s, AssistanceCase, case_id), "investigation", role="supervisor",
                           note="邻居反映家中有经营性车辆")
    with ws.read() as s:
        (back,) = queue.returned_to(s, "worker1")
    assert (back.action, back.reason) == ("objection", "邻居反映家中有经营性车辆")


def test_the_queue_keeps_to_a_scope(ws: Workspace) -> None:
    submitted(ws, "黄淑芬")
    with ws.read() as s:
        assert len(queue.waiting_for(s, "supervisor", scope=(ORG[:9],))) == 1
        assert queue.waiting_for(s, "supervisor", scope=("440104002",)) == []


ACTORS = ("worker1", "worker2", "supervisor")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 6), st.sampled_from(ACTORS)), max_size=16))
def test_the_lists_follow_the_cases_steps(ws: Workspace, walk: list[tuple[int, str]]) -> None:
    """Whatever steps a case takes, by whoever: it is in a role's queue exactly when its state
    waits for that role, and returned to exactly the last submitter while its last step is a return."""
    ws.actor = "worker1"
    with ws.write() as s:
        h = household(s)
        case_id = approve_start(s, h.id)
    for pick, actor in walk:
        ws.actor = actor
        with ws.write() as s:
            case = records.get(s, AssistanceCase, case_id)
            targets = ASSISTANCE.moves.get(case.status, ())
            if not targets:
                break
            # mostly on or back within the procedure, now and then out of it (refused, withdrawn)
            going = [t for t in targets if t not in ASSISTANCE.final]
            target = going[pick % len(going)] if pick < 6 and going else targets[pick % len(targets)]
            try:
                with s.begin_nested():
                    records.transition(s, case, target, decision_reason="不符合条件", exit_reason="迁出本市",
                                       notice_objections="无异议", at=dt.datetime.now(dt.UTC) - dt.timedelta(days=8))
            except (WorkflowError, ValidationErrors):
                pass  # a guard the case does not meet: the walk goes on from where it is
    with ws.read() as s:
        case = records.get(s, AssistanceCase, case_id)
        steps = s.scalars(select(CaseStep).where(CaseStep.case_id == case_id)).all()
        ordered = sorted(steps, key=lambda x: (x.taken_at, x.id))
        for role in ("caseworker", "supervisor", "approver", "admin", None):
            queued = case_id in {w.case_id for w in queue.waiting_for(s, role)}
            assert queued == (ASSISTANCE.awaits(case.status, role) is not None)
        returned = ordered and ordered[-1].action in RETURNS
        submits = [x.author for x in ordered if x.action == "submit"]
        owner = submits[-1] if submits else "worker1"
        for actor in ACTORS:
            shown = case_id in {r.case_id for r in queue.returned_to(s, actor)}
            assert shown == bool(returned and actor == owner)


def approve_start(s: Session, household_id: str) -> str:
    """A new case with the evidence approval rests on, so a walk can reach payment."""
    case = records.create(s, AssistanceCase, {"org_code": ORG, "household_id": household_id, "category": "dibao",
                                              "monthly_amount": "600", "amount_reason": "按测试设定的金额"})
    records.create(s, Verification, {"org_code": ORG, "household_id": household_id, "case_id": case.id,
                                     "consent_ref": "SQ-1", "conclusion": "eligible", "requested_on": dt.date.today()})
    records.create(s, Investigation, {"org_code": ORG, "household_id": household_id, "case_id": case.id,
                                      "investigators": "张敏、刘志强", "investigators_signed": True,
                                      "investigated_at": dt.datetime.now(dt.UTC) - dt.timedelta(days=1)})
    return case.id
