"""Assigned tasks over sync, on both backends: a supervisor's task reaches the worker named (it lives
with its record, in their scope) and no one outside that record's scope; the server, which knows
every user's reach, refuses a task its worker could never receive, and applies the device's own rules
of who assigns and who finishes, from the role it knows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from caseapp.domain import ElderProfile, Household, Member, Task
from caseapp.services import records, tasks
from caseapp.store.tables import JournalEntry
from sync.server import auth

from .conftest import COMMUNITY_B, GRID_A1, Device, Server
from .test_end_to_end import new_household
from .test_server_validates import create_op, raw_push, server_fields, set_op

TODAY = dt.date.today()


def elder(dev: Device) -> str:
    hid = new_household(dev)
    with dev.ws.write() as s:
        mid = s.query(Member).filter_by(household_id=hid).one().id
        return records.create(s, ElderProfile, {"org_code": GRID_A1, "household_id": hid, "member_id": mid,
                                                "risk_tier": "high"}).id


def assign(dev: Device, target: str, who: str, kind: str = "visit") -> str:
    with dev.ws.write() as s:
        return tasks.assign(s, role="supervisor", kind=kind, target_id=target, assignee=who, due_on=TODAY,
                            note="请今天上门").id


def refusal(dev: Device, row_id: str) -> str | None:
    with dev.ws.read() as s:
        entry = s.query(JournalEntry).filter_by(row_id=row_id).order_by(JournalEntry.seq.desc()).first()
        return entry.reason if entry is not None else None


def test_a_task_reaches_its_worker_and_is_done_there(device: Callable[[str], Device], server: Server) -> None:
    worker, supervisor, outsider = device("worker1"), device("supervisor"), device("worker3")
    elder_id = elder(worker)
    assert worker.sync().push.rejected == 0
    supervisor.sync()
    task_id = assign(supervisor, elder_id, "worker1")
    assert supervisor.sync().push.rejected == 0
    assert server_fields(server, task_id)["author"] == "supervisor"  # type: ignore[index]
    worker.sync()
    outsider.sync()
    with worker.ws.read() as s:
        (row,) = tasks.open_for(s, "worker1", TODAY)
    assert (row.id, row.kind, row.note, row.assigned_by, row.overdue_days) == (task_id, "visit", "请今天上门",
                                                                               "supervisor", 0)
    with outsider.ws.read() as s:  # another community's worker never receives it
        assert s.get(Task, task_id) is None
    with worker.ws.write() as s:
        tasks.complete(s, records.get(s, Task, task_id), user="worker1", role="caseworker", note="已探访")
    assert worker.sync().push.rejected == 0
    supervisor.sync()
    with supervisor.ws.read() as s:
        done = records.get(s, Task, task_id)
        assert (done.status, done.done_note, done.updated_by) == ("done", "已探访", "worker1")
        assert tasks.assigned_by(s, "supervisor", TODAY) == []


def test_a_task_its_worker_could_never_receive_is_refused(device: Callable[[str], Device],
                                                         server: Server) -> None:
    worker, supervisor = device("worker1"), device("supervisor")
    elder_id = elder(worker)
    worker.sync()
    supervisor.sync()
    outside = assign(supervisor, elder_id, "worker3")  # worker3 works in another community
    nobody = assign(supervisor, elder_id, "zhang.wei")  # no such account on the server
    report = supervisor.sync()
    assert report.push.rejected == 2
    assert refusal(supervisor, outside) == "task.out_of_reach"
    assert refusal(supervisor, nobody) == "task.assignee_unknown"
    assert server_fields(server, outside) is None and server_fields(server, nobody) is None
    with supervisor.ws.read() as s:  # the device holds what the server holds, and keeps why not
        assert s.get(Task, outside) is None and s.get(Task, nobody) is None
    with server.db.write() as conn:
        auth.disable_user(conn, "worker1")
    gone = assign(supervisor, elder_id, "worker1")  # a disabled account receives nothing
    assert supervisor.sync().push.rejected == 1
    assert refusal(supervisor, gone) == "task.assignee_unknown"
    kept = assign(supervisor, elder_id, "worker2")
    assert supervisor.sync().push.rejected == 0
    (moved,) = raw_push(supervisor, set_op("task", kept, "assignee", "worker3", base=10**6))
    assert (moved.verdict, moved.reason) == ("rejected", "task.out_of_reach")  # nor reassigned out of reach
    assert server_fields(server, kept)["assignee"] == "worker2"  # type: ignore[index]


def test_only_supervisors_assign_and_only_the_worker_finishes(device: Callable[[str], Device],
                                                              server: Server) -> None:
    worker, colleague, supervisor = device("worker1"), device("worker2"), device("supervisor")
    elder_id = elder(worker)
    worker.sync()
    value = {"org_code": GRID_A1, "kind": "visit", "target_id": elder_id, "assignee": "worker2",
             "due_on": TODAY.isoformat()}
    (made,) = raw_push(worker, create_op("task", value))  # a caseworker's doctored device assigns
    assert (made.verdict, made.reason) == ("rejected", "task.supervisors_assign")
    supervisor.sync()
    task_id = assign(supervisor, elder_id, "worker1")
    supervisor.sync()
    colleague.sync()
    (other,) = raw_push(colleague, set_op("task", task_id, "status", "done", base=10**6))
    assert (other.verdict, other.reason) == ("rejected", "task.not_yours")
    (cancel,) = raw_push(worker, set_op("task", task_id, "status", "cancelled", base=10**6))
    assert (cancel.verdict, cancel.reason) == ("rejected", "task.not_yours")  # the worker only finishes it
    (same,) = raw_push(supervisor, set_op("task", task_id, "target_id", elder_id, base=10**6))
    assert same.verdict == "applied"  # the value it holds: no change (a create sent again carries it)
    (fixed,) = raw_push(supervisor, set_op("task", task_id, "target_id", elder(worker), base=10**6))
    assert (fixed.verdict, fixed.reason) == ("rejected", "task.fixed")
    (done,) = raw_push(worker, set_op("task", task_id, "status", "done", base=10**6))
    assert done.verdict == "applied"
    assert server_fields(server, task_id)["status"] == "done"  # type: ignore[index]


def test_a_task_goes_where_its_household_goes(device: Callable[[str], Device], server: Server) -> None:
    worker, supervisor, other = device("worker1"), device("supervisor"), device("worker3")
    hid = new_household(worker)
    worker.sync()
    supervisor.sync()
    task_id = assign(supervisor, hid, "worker1", kind="investigation")
    supervisor.sync()
    worker.sync()
    with worker.ws.read() as s:
        assert [r.id for r in tasks.open_for(s, "worker1", TODAY)] == [task_id]
    with supervisor.ws.write() as s:  # the family moves to the other community
        records.move_household(s, records.get(s, Household, hid), COMMUNITY_B + "01")
    assert supervisor.sync().push.rejected == 0
    worker.sync()
    other.sync()
    with worker.ws.read() as s:
        assert s.get(Task, task_id) is None and tasks.open_for(s, "worker1", TODAY) == []
    with other.ws.read() as s:  # it arrives with the household, still worker1's until reassigned
        assert records.get(s, Task, task_id).org_code == COMMUNITY_B + "01"
        assert tasks.open_for(s, "worker3", TODAY) == []
    with supervisor.ws.write() as s:
        tasks.reassign(s, records.get(s, Task, task_id), "worker3", user="supervisor", role="supervisor")
    assert supervisor.sync().push.rejected == 0
    other.sync()
    with other.ws.read() as s:
        assert [r.id for r in tasks.open_for(s, "worker3", TODAY)] == [task_id]
