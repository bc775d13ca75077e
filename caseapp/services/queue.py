"""What waits for whom on an assistance case: a supervisor's (or approver's) queue of cases whose
next step is one their role signs, oldest first; and a caseworker's list of the cases returned to
them for more (退回补充, or an objection during the 公示) with the reason, until they act on it.

Both are read from the cases' states and their signed steps (CaseStep), by the same state machine
that decides who may take each step (caseapp.services.workflows): nothing is stored for them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseapp.domain import AssistanceCase, CaseStep
from caseapp.services.lists import head_names
from caseapp.services.schedule import in_scope
from caseapp.services.workflows import ASSISTANCE, RETURNS


@dataclass(frozen=True)
class Waiting:
    """A case that waits for this user's sign-off."""

    case_id: str
    household_id: str
    head_name: str
    category: str
    status: str
    #: the move it waits for (a target state) and that move's action (审核通过, 批准 …)
    target: str
    action: str
    #: who took the step that brought the case here, and when (the case's own author and creation
    #: time when no step was signed on this device's copy)
    submitted_by: str
    submitted_at: dt.datetime


@dataclass(frozen=True)
class Returned:
    """A case sent back to the community, with who sent it back, when and why."""

    case_id: str
    household_id: str
    head_name: str
    category: str
    status: str
    action: str
    returned_by: str
    returned_at: dt.datetime
    reason: str


def _steps(db: Session, case_ids: Sequence[str]) -> dict[str, list[CaseStep]]:
    """Each case's signed steps, oldest first (ids are time-ordered UUIDv7, so they break ties)."""
    found: dict[str, list[CaseStep]] = {}
    for start in range(0, len(case_ids), 500):
        chunk = case_ids[start:start + 500]
        query = select(CaseStep).where(CaseStep.case_id.in_(chunk), CaseStep.archived.is_(False))
        for step in db.scalars(query):
            found.setdefault(step.case_id, []).append(step)
    for steps in found.values():
        steps.sort(key=lambda s: (s.taken_at, s.id))
    return found


def _cases(db: Session, states: Iterable[str], scope: Sequence[str] | None) -> list[AssistanceCase]:
    return list(db.scalars(select(AssistanceCase).where(
        AssistanceCase.archived.is_(False), AssistanceCase.status.in_(list(states)),
        in_scope(AssistanceCase.org_code, scope))))


def waiting_for(db: Session, role: str | None, scope: Sequence[str] | None = None) -> list[Waiting]:
    """Cases whose next step is one ``role`` signs (None: a workspace holding every role), oldest
    submission first."""
    states = [s for s in ASSISTANCE.waiting if ASSISTANCE.awaits(s, role) is not None]
    cases = _cases(db, states, scope) if states else []
    steps = _steps(db, [c.id for c in cases])
    names = head_names(db, [c.household_id for c in cases])
    found: list[Waiting] = []
    for case in cases:
        target = ASSISTANCE.awaits(case.status, role)
        if target is None:
            continue
        arrived = [s for s in steps.get(case.id, []) if s.to_state == case.status]
        last = arrived[-1] if arrived else None
        found.append(Waiting(
            case.id, case.household_id, names.get(case.household_id, ""), case.category, case.status, target,
            ASSISTANCE.step(case.status, target).action, last.author if last else case.author,
            last.taken_at if last else case.created_at))
    found.sort(key=lambda w: (w.submitted_at, w.case_id))
    return found


def returned_to(db: Session, user: str, scope: Sequence[str] | None = None) -> list[Returned]:
    """Cases whose latest step sent them back, to ``user``: the one who last submitted the case
    (or, if no submission is on this device, its author). A case leaves the list once any later
    step is signed on it: the caseworker has acted on the return."""
    back_to = {target for (_, target), step in ASSISTANCE.steps.items() if step.action in RETURNS}
    cases = _cases(db, back_to, scope)
    steps = _steps(db, [c.id for c in cases])
    names = head_names(db, [c.household_id for c in cases])
    found: list[Returned] = []
    for case in cases:
        history = steps.get(case.id, [])
        if not history or history[-1].action not in RETURNS or history[-1].to_state != case.status:
            continue
        last = history[-1]
        submits = [s for s in history[:-1] if s.action == "submit"]
        submitter = submits[-1].author if submits else case.author
        if submitter != user:
            continue
        found.append(Returned(case.id, case.household_id, names.get(case.household_id, ""), case.category,
                              case.status, last.action, last.author, last.taken_at, last.opinion))
    found.sort(key=lambda r: (r.returned_at, r.case_id))
    return found
