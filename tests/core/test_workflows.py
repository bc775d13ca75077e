"""Workflows: legal moves succeed, illegal ones raise typed errors and change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseapp.domain import AssistanceCase, DisasterReport, GridEvent, GridEventUpdate, Referral
from caseapp.errors import WorkflowError
from caseapp.messages import render
from caseapp.services import records
from caseapp.services.workflows import ASSISTANCE, GRID_EVENT, MACHINES, REFERRAL, StateMachine
from caseapp.store.workspace import Workspace
from tests.core.helpers import ORG, approve, household, two_members

NOW = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)


def test_every_state_is_reachable_from_the_initial_one() -> None:
    for machine in MACHINES.values():
        seen, frontier = {machine.initial}, [machine.initial]
        while frontier:
            for nxt in machine.moves.get(frontier.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    frontier.append(nxt)
        assert seen == set(machine.states), machine.name


def test_final_states_have_no_moves() -> None:
    for machine in MACHINES.values():
        for state in machine.final:
            assert not machine.moves.get(state), (machine.name, state)


class Stub:
    def __init__(self, **kw: object) -> None:
        self.__dict__.update(kw)


@settings(max_examples=200, deadline=None)
@given(machine=st.sampled_from([ASSISTANCE, GRID_EVENT, REFERRAL]), data=st.data())
def test_random_walks_only_take_allowed_moves(machine: StateMachine, data: st.DataObject) -> None:
    record = Stub(category="temporary", scale="minor", consent_given=True, exit_reason="x", closure_reason="x")
    state = machine.initial
    for _ in range(12):
        target = data.draw(st.sampled_from(machine.states))
        if target in machine.allowed(state, record):
            machine.check(state, target, record)
            state = target
        else:
            with pytest.raises(WorkflowError):
                machine.check(state, target, record)


def case(ws: Workspace, **extra: object) -> str:
    with ws.write() as s:
        h = household(s)
        two_members(s, h.id)  # the two people covered (caseapp.services.quality)
        c = records.create(s, AssistanceCase, {"org_code": ORG, "household_id": h.id, "category": "dibao",
                                               "monthly_amount": "600",
                                               "amount_reason": "按测试设定的金额", "people_covered": 2, **extra})
        return c.id


def test_assistance_case_through_approval_and_review(ws: Workspace) -> None:
    cid = case(ws)
    with ws.write() as s:
        c = s.get(AssistanceCase, cid)
        approve(s, c)
        assert c.approved_on is not None and c.next_review_date is not None
        review = records.record_review(s, c, "decrease", new_amount="450.00", reason="家庭收入增加")
        assert c.status == "active" and str(c.monthly_amount) == "450.00"
        assert review.old_amount == 600


def test_illegal_move_raises_and_changes_nothing(ws: Workspace) -> None:
    cid = case(ws)
    with pytest.raises(WorkflowError) as info, ws.write() as s:
        records.transition(s, s.get(AssistanceCase, cid), "active")  # 低保 cannot skip to active
    assert info.value.key == "workflow.fast_track_temporary_only"
    assert "临时救助" in render(info.value, "zh")
    with ws.read() as s:
        assert s.get(AssistanceCase, cid).status == "applied"
    with pytest.raises(WorkflowError) as info2, ws.write() as s:
        records.transition(s, s.get(AssistanceCase, cid), "exited")
    assert info2.value.key == "workflow.illegal"


def test_status_cannot_be_set_as_a_plain_field(ws: Workspace) -> None:
    cid = case(ws)
    from caseapp.errors import ValidationErrors

    with pytest.raises(ValidationErrors), ws.write() as s:
        records.update(s, s.get(AssistanceCase, cid), {"status": "active"})
    with pytest.raises(WorkflowError), ws.write() as s:
        records.create(s, AssistanceCase, {"org_code": ORG, "household_id": s.get(AssistanceCase, cid).household_id,
                                           "category": "dibao", "status": "active"})


def test_temporary_aid_may_be_paid_first(ws: Workspace) -> None:
    cid = case(ws, category="temporary")
    with ws.write() as s:
        c = records.transition(s, s.get(AssistanceCase, cid), "active")
        assert c.next_review_date is None  # one-off aid has no periodic review


def test_grid_event_history_and_minor_self_resolution(ws: Workspace) -> None:
    with ws.write() as s:
        major = records.create(s, GridEvent, {"org_code": ORG, "title": "楼道堆放杂物", "category": "03",
                                              "occurred_at": NOW, "scale": "normal"})
        with pytest.raises(WorkflowError):
            records.transition(s, major, "self_resolved")
        for target in ("registered", "dispatched", "in_progress", "feedback", "in_progress", "feedback",
                       "verified", "closed"):
            records.transition(s, major, target, note=f"→{target}")
        minor = records.create(s, GridEvent, {"org_code": ORG, "title": "路灯不亮", "category": "09",
                                              "occurred_at": NOW, "scale": "minor"})
        records.transition(s, minor, "self_resolved")
        steps = s.query(GridEventUpdate).filter_by(event_id=major.id).count()
    assert steps == 8


def test_referral_needs_consent(ws: Workspace) -> None:
    with ws.write() as s:
        r = records.create(s, Referral, {"org_code": ORG, "client_name": "王芳", "from_org": "洪桥家综",
                                         "to_org": "越秀区心理援助中心"})
        assert REFERRAL.allowed(r.status, r) == []
        with pytest.raises(WorkflowError) as info:
            records.transition(s, r, "consented")
        assert info.value.key == "workflow.referral_needs_consent"
        with pytest.raises(WorkflowError) as info:  # explicit: the date it was signed too
            records.transition(s, r, "consented", consent_given=True, consent_ref="TY-2026-001")
        assert info.value.key == "workflow.referral_needs_consent_date"
        records.transition(s, r, "consented", consent_on=dt.date.today())
        with pytest.raises(WorkflowError) as info:  # sent to a member of a household, at a centre's code
            records.transition(s, r, "sent")
        assert info.value.key == "workflow.referral_needs_client"


def test_disaster_series_initial_updates_final(ws: Workspace) -> None:
    base = {"org_code": "440104001", "disaster_type": "typhoon", "occurred_at": NOW, "reported_at": NOW}
    with ws.write() as s:
        first = records.create(s, DisasterReport, {**base, "stage": "initial", "affected": 120})
        with pytest.raises(WorkflowError):
            records.create(s, DisasterReport, {**base, "stage": "update"})  # no series
        records.create(s, DisasterReport, {**base, "stage": "update", "series_id": first.id, "affected": 150})
        records.create(s, DisasterReport, {**base, "stage": "final", "series_id": first.id, "affected": 151,
                                           "reported_at": NOW + dt.timedelta(minutes=1)})
        with pytest.raises(WorkflowError) as info:
            records.create(s, DisasterReport, {**base, "stage": "update", "series_id": first.id,
                                               "reported_at": NOW + dt.timedelta(minutes=2)})
    assert info.value.key == "workflow.series_closed"
