"""Assigning work to a named worker (交办任务), and the rules of who may do what with a task.

A supervisor (or an administrator) assigns a visit, an investigation or a grid event to a worker by
user name, with a due date and instructions. The task belongs to the record it is about, so it
syncs to every device whose scope holds that record; the server (sync/server/merge.py) refuses it
from anyone but a supervisor or administrator, and when the worker named cannot reach the record,
with the same rules as here (``may_assign``, ``may_change``, ``reaches``).

A task is done when its worker marks it done, with a line on what was done. Recording a visit or an
investigation does not finish it by itself: the worker says which record answers the task (a visit
made for another reason, or by a colleague, does not), and a task finished by a person is one edit,
by that person, on that person's device, which never races another device's automatic change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, union
from sqlalchemy.orm import Session

from caseapp.domain import CareVisit, CaseStep, ElderProfile, GridEvent, Household, Investigation, Member
from caseapp.domain.base import ENTITIES
from caseapp.domain.tasks import TARGETS, Task
from caseapp.errors import NotFoundError, WorkflowError
from caseapp.services import records
from caseapp.services.schedule import OPEN_EVENT_STATES, in_scope
from caseapp.services.workflows import ADMIN, SUPERVISOR

#: roles that may assign (and cancel, and edit) tasks
ASSIGNERS = frozenset({SUPERVISOR, ADMIN})
#: what the kind and record of a task are: fixed when it is assigned
FIXED = frozenset({"kind", "target_entity", "target_id"})
#: what the worker writes as they finish their task
WORKER_FIELDS = frozenset({"status", "done_at", "done_note"})
OPEN, DONE, CANCELLED = "open", "done", "cancelled"


# --- the rules, shared with the server -------------------------------------------------------

def may_assign(role: str | None) -> str | None:
    """None when a user of ``role`` may assign a task (None: a workspace holding every role), else
    the message key saying why not."""
    return None if role is None or role in ASSIGNERS else "task.supervisors_assign"


def may_change(role: str | None, user: str, task: Mapping[str, Any], name: str, value: Any) -> str | None:
    """None when ``user`` (of ``role``) may set the task's field ``name`` to ``value``; else why not.
    ``task`` is the task as stored. The assignee may only finish it (status done, with when and
    what); supervisors may edit, reassign, cancel and reopen."""
    if name in FIXED:
        return "task.fixed"
    if role is None or role in ASSIGNERS:
        return None
    if name in WORKER_FIELDS and user == task.get("assignee") and (name != "status" or value == DONE):
        return None
    return "task.not_yours"


def reaches(prefixes: Sequence[str], org_code: str) -> bool:
    """Does a reach of org-code prefixes ("" is everything) hold a record of ``org_code``?"""
    return any(org_code.startswith(prefix) for prefix in prefixes)


# --- on the device ---------------------------------------------------------------------------

def assign(db: Session, *, role: str | None, kind: str, target_id: str, assignee: str, due_on: Any,
           note: str = "") -> Task:
    """Assign a task about the record ``target_id`` (an elder profile, household or grid event,
    as ``kind`` says) to ``assignee``."""
    refused = may_assign(role)
    if refused:
        raise WorkflowError(refused, None)
    entity = TARGETS.get(kind)
    target = db.get(ENTITIES[entity], target_id) if entity else None
    if entity is not None and (target is None or target.archived):
        raise NotFoundError("task.target_missing", "target_id", id=target_id)
    return records.create(db, Task, {
        "org_code": target.org_code if target is not None else "", "kind": kind, "target_id": target_id,
        "assignee": assignee.strip(), "due_on": due_on, "note": note})


def _change(db: Session, task: Task, user: str, role: str | None, fields: Mapping[str, Any]) -> Task:
    current = task.values()
    for name, value in fields.items():
        refused = may_change(role, user, current, name, value)
        if refused:
            raise WorkflowError(refused, name)
    records.update(db, task, fields)
    return task


def complete(db: Session, task: Task, *, user: str, role: str | None, note: str = "",
             at: dt.datetime | None = None) -> Task:
    """The worker marks their task done, saying what was done."""
    if task.status != OPEN:
        raise WorkflowError("task.not_open", "status")
    return _change(db, task, user, role, {"status": DONE, "done_at": at or dt.datetime.now(dt.UTC),
                                          "done_note": note})


def reassign(db: Session, task: Task, assignee: str, *, user: str, role: str | None,
             due_on: dt.date | None = None) -> Task:
    """Give an open task to another worker (one whose scope reaches its record: the server checks),
    by a new due date where one is given."""
    if task.status != OPEN:
        raise WorkflowError("task.not_open", "status")
    changes: dict[str, Any] = {"assignee": assignee.strip()}
    if due_on is not None and due_on != task.due_on:
        changes["due_on"] = due_on
    return _change(db, task, user, role, changes)


def cancel(db: Session, task: Task, *, user: str, role: str | None) -> Task:
    if task.status != OPEN:
        raise WorkflowError("task.not_open", "status")
    return _change(db, task, user, role, {"status": CANCELLED})


@dataclass(frozen=True)
class TaskRow:
    id: str
    kind: str
    target_entity: str
    target_id: str
    #: what the record is: an elder's name, a household's head and address, an event's title
    target_text: str
    #: the household to open for it (None for a grid event of no household)
    household_id: str | None
    assignee: str
    assigned_by: str
    assigned_at: dt.datetime
    due_on: dt.date
    note: str
    status: str
    #: days past the due date (negative: days left)
    overdue_days: int


def _describe(db: Session, tasks: Sequence[Task]) -> dict[str, tuple[str, str | None]]:
    """(text, household id) of each task's record, a query per kind."""
    ids: dict[str, list[str]] = {}
    for task in tasks:
        ids.setdefault(task.kind, []).append(task.target_id)
    found: dict[str, tuple[str, str | None]] = {}
    if ids.get("visit"):
        rows = db.execute(select(ElderProfile.id, Member.name, Household.address, Household.id)
                          .join(Member, Member.id == ElderProfile.member_id)
                          .join(Household, Household.id == ElderProfile.household_id)
                          .where(ElderProfile.id.in_(ids["visit"])))
        found.update({i: (f"{name}（{address}）" if address else name, h) for i, name, address, h in rows})
    if ids.get("investigation"):
        homes = db.execute(select(Household.id, Household.head_name, Household.address)
                           .where(Household.id.in_(ids["investigation"])))
        found.update({i: (f"{name}（{address}）" if address else name, i) for i, name, address in homes})
    if ids.get("event"):
        events = db.execute(select(GridEvent.id, GridEvent.title, GridEvent.household_id)
                            .where(GridEvent.id.in_(ids["event"])))
        found.update({i: (title, h) for i, title, h in events})
    return found


def _rows(db: Session, tasks: Sequence[Task], today: dt.date) -> list[TaskRow]:
    about = _describe(db, tasks)
    return [TaskRow(t.id, t.kind, t.target_entity, t.target_id, about.get(t.target_id, ("", None))[0],
                    about.get(t.target_id, ("", None))[1], t.assignee, t.author, t.created_at, t.due_on,
                    t.note, t.status, (today - t.due_on).days) for t in tasks]


def open_for(db: Session, user: str, today: dt.date, horizon_days: int | None = None) -> list[TaskRow]:
    """The open tasks assigned to ``user``, overdue first, then by due date; with a horizon, only
    those due by then (overdue ones always)."""
    query = select(Task).where(Task.archived.is_(False), Task.status == OPEN, Task.assignee == user)
    if horizon_days is not None:
        query = query.where(Task.due_on <= today + dt.timedelta(days=horizon_days))
    return _rows(db, list(db.scalars(query.order_by(Task.due_on, Task.id))), today)


def assigned_by(db: Session, user: str, today: dt.date) -> list[TaskRow]:
    """The open tasks ``user`` assigned, soonest due first (a supervisor follows them up)."""
    query = select(Task).where(Task.archived.is_(False), Task.status == OPEN, Task.author == user)
    return _rows(db, list(db.scalars(query.order_by(Task.due_on, Task.id))), today)


def known_users(db: Session, exclude: str = "") -> list[str]:
    """User names this device knows of: whoever entered records, signed steps or was assigned a
    task here; the assignment form offers them and accepts any other name typed."""
    names = union(*(select(cls.author) for cls in (Household, CareVisit, Investigation, GridEvent, CaseStep, Task)),
                  select(Task.assignee))
    found = {str(n) for n in db.scalars(select(names.subquery().c[0])) if n}
    return sorted(found - {exclude, ""})


@dataclass(frozen=True)
class Target:
    id: str
    text: str


def targets(db: Session, kind: str, text: str = "", scope: Sequence[str] | None = None,
            limit: int = 50) -> list[Target]:
    """Records a task of ``kind`` may be about, whose name holds ``text``: elders to visit,
    households to investigate, open grid events."""
    like = f"%{text.strip()}%"
    if kind == "visit":
        query = (select(ElderProfile.id, Member.name, Household.address)
                 .join(Member, Member.id == ElderProfile.member_id)
                 .join(Household, Household.id == ElderProfile.household_id)
                 .where(ElderProfile.archived.is_(False), in_scope(ElderProfile.org_code, scope),
                        Member.name.like(like) | Household.address.like(like))
                 .order_by(Member.name))
    elif kind == "investigation":
        query = (select(Household.id, Household.head_name, Household.address)
                 .where(Household.archived.is_(False), in_scope(Household.org_code, scope),
                        Household.head_name.like(like) | Household.address.like(like))
                 .order_by(Household.head_name))
    elif kind == "event":
        query = (select(GridEvent.id, GridEvent.title, GridEvent.place)
                 .where(GridEvent.archived.is_(False), GridEvent.status.in_(OPEN_EVENT_STATES),
                        in_scope(GridEvent.org_code, scope), GridEvent.title.like(like) | GridEvent.place.like(like))
                 .order_by(GridEvent.occurred_at.desc()))
    else:
        return []
    rows = db.execute(query.limit(limit))
    return [Target(i, f"{name}（{where}）" if where else str(name)) for i, name, where in rows]
