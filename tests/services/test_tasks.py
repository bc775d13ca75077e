"""Assigned tasks (caseapp.services.tasks): a supervisor assigns a visit, an investigation or a
grid event to a named worker with a due date; the task lives with its record; the worker sees it
due or overdue and marks it done; no one else may, and no caseworker may assign."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseapp.domain import ElderProfile, GridEvent, Task
from caseapp.errors import NotFoundError, ValidationErrors, WorkflowError
from caseapp.services import records, tasks
from caseapp.store.workspace import Workspace
from tests.core.helpers import ORG, household, member

TODAY = dt.date.today()


def setup_records(ws: Workspace) -> dict[str, str]:
    ws.actor = "worker1"
    with ws.write() as s:
        h = household(s, head_name="黄淑芬", address="小北路 9 号")
        m = member(s, h.id, name="黄淑芬")
        elder = records.create(s, ElderProfile, {"org_code": ORG, "household_id": h.id, "member_id": m.id,
                                                 "risk_tier": "high"})
        event = records.create(s, GridEvent, {"org_code": ORG, "title": "楼道堆放杂物",
                                              "occurred_at": dt.datetime.now(dt.UTC), "category": "03"})
        return {"household": h.id, "elder": elder.id, "event": event.id}


def assign(ws: Workspace, role: str | None, kind: str, target: str, due: dt.date, who: str = "worker1") -> str:
    ws.actor = "supervisor"
    with ws.write() as s:
        return tasks.assign(s, role=role, kind=kind, target_id=target, assignee=who, due_on=due,
                            note="请本周内完成").id


def test_a_task_lives_with_its_record_and_shows_due_or_overdue(ws: Workspace) -> None:
    ids = setup_records(ws)
    late = assign(ws, "supervisor", "visit", ids["elder"], TODAY - dt.timedelta(days=2))
    soon = assign(ws, "supervisor", "investigation", ids["household"], TODAY + dt.timedelta(days=3))
    event = assign(ws, "supervisor", "event", ids["event"], TODAY, who="worker2")
    with ws.read() as s:
        mine = tasks.open_for(s, "worker1", TODAY)
        today_only = tasks.open_for(s, "worker1", TODAY, horizon_days=0)
        theirs = tasks.open_for(s, "worker2", TODAY)
        t = records.get(s, Task, late)
        assert (t.target_entity, t.org_code, t.author) == ("elder_profile", ORG, "supervisor")
        assert [r.id for r in tasks.assigned_by(s, "supervisor", TODAY)] == [late, event, soon]
        assert "supervisor" in tasks.known_users(s) and "worker1" in tasks.known_users(s, exclude="supervisor")
    assert [(r.id, r.overdue_days, r.target_text) for r in mine] == [
        (late, 2, "黄淑芬（小北路 9 号）"), (soon, -3, "黄淑芬（小北路 9 号）")]
    assert [r.household_id for r in mine] == [ids["household"]] * 2
    assert [r.id for r in today_only] == [late]  # the overdue one always; the later one by its week
    assert [(r.id, r.kind, r.target_text, r.overdue_days) for r in theirs] == [(event, "event", "楼道堆放杂物", 0)]


def test_the_worker_marks_it_done_and_it_leaves_their_list(ws: Workspace) -> None:
    ids = setup_records(ws)
    task_id = assign(ws, "supervisor", "visit", ids["elder"], TODAY)
    ws.actor = "worker2"
    with pytest.raises(WorkflowError) as other, ws.write() as s:
        tasks.complete(s, records.get(s, Task, task_id), user="worker2", role="caseworker")
    assert other.value.key == "task.not_yours"
    ws.actor = "worker1"
    with ws.write() as s:
        tasks.complete(s, records.get(s, Task, task_id), user="worker1", role="caseworker", note="已上门探访")
    with ws.read() as s:
        done = records.get(s, Task, task_id)
        assert (done.status, done.done_note, done.updated_by) == ("done", "已上门探访", "worker1")
        assert done.done_at is not None
        assert tasks.open_for(s, "worker1", TODAY) == []
    with pytest.raises(WorkflowError) as again, ws.write() as s:
        tasks.complete(s, records.get(s, Task, task_id), user="worker1", role="caseworker")
    assert again.value.key == "task.not_open"


def test_only_supervisors_assign_and_a_task_names_a_record_of_its_kind(ws: Workspace) -> None:
    ids = setup_records(ws)
    with pytest.raises(WorkflowError) as info, ws.write() as s:
        tasks.assign(s, role="caseworker", kind="visit", target_id=ids["elder"], assignee="worker2", due_on=TODAY)
    assert info.value.key == "task.supervisors_assign"
    with pytest.raises(NotFoundError), ws.write() as s:  # a household is no elder to visit
        tasks.assign(s, role="supervisor", kind="visit", target_id=ids["household"], assignee="w", due_on=TODAY)
    with pytest.raises(ValidationErrors) as bad, ws.write() as s:
        records.create(s, Task, {"org_code": ORG, "kind": "visit", "target_entity": "household",
                                 "target_id": ids["household"], "assignee": "worker1", "due_on": TODAY})
    assert bad.value.errors[0].key == "task.wrong_target"
    with pytest.raises(ValidationErrors) as nobody, ws.write() as s:
        tasks.assign(s, role="admin", kind="event", target_id=ids["event"], assignee="  ", due_on=TODAY)
    assert nobody.value.errors[0].field == "assignee"
    with ws.read() as s:
        assert s.query(Task).count() == 0


def test_a_supervisor_reassigns_and_a_worker_cannot(ws: Workspace) -> None:
    ids = setup_records(ws)
    task_id = assign(ws, "supervisor", "visit", ids["elder"], TODAY)
    with pytest.raises(WorkflowError) as info, ws.write() as s:
        tasks.reassign(s, records.get(s, Task, task_id), "worker1", user="worker1", role="caseworker")
    assert info.value.key == "task.not_yours"
    with ws.write() as s:
        tasks.reassign(s, records.get(s, Task, task_id), " worker2 ", user="supervisor", role="supervisor")
    with ws.read() as s:
        assert [r.id for r in tasks.open_for(s, "worker2", TODAY)] == [task_id]
        assert tasks.open_for(s, "worker1", TODAY) == []


def test_a_supervisor_cancels_and_a_worker_cannot(ws: Workspace) -> None:
    ids = setup_records(ws)
    task_id = assign(ws, "supervisor", "event", ids["event"], TODAY)
    with pytest.raises(WorkflowError) as info, ws.write() as s:
        tasks.cancel(s, records.get(s, Task, task_id), user="worker1", role="caseworker")
    assert info.value.key == "task.not_yours"
    with ws.write() as s:
        tasks.cancel(s, records.get(s, Task, task_id), user="supervisor", role="supervisor")
        assert records.get(s, Task, task_id).status == "cancelled"


NAMES = st.sampled_from(["kind", "target_entity", "target_id", "assignee", "due_on", "note", "status", "done_at",
                         "done_note", "archived"])
ROLES = st.sampled_from([None, "caseworker", "supervisor", "approver", "admin"])
USERS = st.sampled_from(["worker1", "worker2", "supervisor"])


@given(ROLES, USERS, NAMES, st.sampled_from(["open", "done", "cancelled", "x"]))
def test_who_may_change_what(role: str | None, user: str, name: str, value: str) -> None:
    refused = tasks.may_change(role, user, {"assignee": "worker1"}, name, value)
    if name in tasks.FIXED:
        assert refused == "task.fixed"
    elif role in (None, "supervisor", "admin"):
        assert refused is None
    else:  # the assignee only finishes their own task; nobody else of a field role touches it
        mine = user == "worker1" and name in tasks.WORKER_FIELDS and (name != "status" or value == "done")
        assert (refused is None) == mine
