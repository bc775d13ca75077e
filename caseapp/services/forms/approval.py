"""审批表 (社会救助审核审批表): an assistance case as it goes to sign-off: the household, the case,
the 核对 conclusion and the home investigation, every step the case went through (when, which
step, who took it, with what opinion), and the boxes the community (社区受理), the street (街道审核)
and the district (区审批) sign and seal.

The steps are the case's signed steps (CaseStep: time, step, handler, opinion). A case older than
signed steps shows the moves of its audit trail instead (with the decision's reasons beside the
decision); a case that reached this device by sync shows the moves made after it arrived there.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseapp.domain import AssistanceCase, CaseStep, Investigation, Member, Verification
from caseapp.services import display, records
from caseapp.services.forms import layout
from caseapp.services.forms.family import family, people, yuan
from caseapp.services.forms.layout import Box, Fact
from caseapp.store import audit

TITLE = "社会救助审核审批表"
HOUSEHOLD_FIELDS = ("head_name", "phone", "register_type", "address")
CASE_FIELDS = ("category", "status", "applied_on", "people_covered", "monthly_amount", "approved_on",
               "certificate_no", "review_class")
VERIFICATION_FIELDS = ("requested_on", "level", "conclusion", "report_ref")
INVESTIGATION_FIELDS = ("investigated_at", "investigators", "findings")
#: the steps whose opinion is the case's decision and its reasons
DECISIONS = frozenset({"active", "rejected"})
STEP_FIELDS = ("taken_at", "action", "author", "opinion")
Checked = TypeVar("Checked", Investigation, Verification)


@dataclass(frozen=True)
class Step:
    at: dt.datetime
    state: str
    handler: str
    #: the step as the office names it, and the opinion it was signed with (signed steps only)
    action: str = ""
    opinion: str = ""


def case_steps(session: Session, case_id: str) -> list[Step]:
    """The workflow moves of a case, oldest first: its signed steps, else its creation and every
    change of its state from the audit trail."""
    signed = session.scalars(select(CaseStep).where(CaseStep.case_id == case_id, CaseStep.archived.is_(False))
                             .order_by(CaseStep.taken_at, CaseStep.id)).all()
    if signed:
        case = records.get(session, AssistanceCase, case_id)
        return [Step(case.created_at, "applied", case.author),
                *(Step(s.taken_at, s.to_state, s.author, s.action, s.opinion) for s in signed)]
    found: list[Step] = []
    for row in reversed(audit.history(session.connection(), [case_id])):
        try:
            changes = json.loads(row["changes"]) if row["changes"] else {}
        except ValueError:
            continue
        moved = changes.get("status") if isinstance(changes, dict) else None
        if isinstance(moved, list) and len(moved) == 2 and moved[0] != moved[1] and moved[1]:
            found.append(Step(row["at"], str(moved[1]), str(row["actor"] or "")))
    return found


def _latest(session: Session, cls: type[Checked], case: AssistanceCase, order: str) -> Checked | None:
    """The newest record of ``cls`` made for this case, else for its household."""
    column = getattr(cls, order)
    for where in (cls.case_id == case.id, cls.household_id == case.household_id):
        found = session.scalars(select(cls).where(where, cls.archived.is_(False))
                                .order_by(column.desc(), cls.id.desc())).first()
        if found is not None:
            return found
    return None


def approval_form(session: Session, case_id: str, *, today: dt.date | None = None) -> str:
    today = today or dt.date.today()
    case = records.get(session, AssistanceCase, case_id)
    fam = family(session, case.household_id)
    home = fam.household
    head = fam.head
    household = layout.facts([
        *layout.facts_of(home, HOUSEHOLD_FIELDS[:1]),
        Fact(layout.label(Member, "id_number"), layout.said(head, "id_number") if head else ""),
        *layout.facts_of(home, HOUSEHOLD_FIELDS[1:], wide=("address",)),
        Fact("家庭人口", people(len(fam.members))), Fact("家庭月收入合计", yuan(fam.income)),
    ])
    assistance = layout.facts(layout.facts_of(case, CASE_FIELDS))
    checks: list[Fact] = []
    verification = _latest(session, Verification, case, "requested_on")
    if verification is not None:
        checks += layout.facts_of(verification, VERIFICATION_FIELDS)
    investigation = _latest(session, Investigation, case, "investigated_at")
    if investigation is not None:
        checks += layout.facts_of(investigation, INVESTIGATION_FIELDS, wide=("investigators", "findings"))
    evidence = layout.facts(checks) if checks else f"<p>{layout.NO_ENTRIES}</p>"
    steps = layout.grid([layout.label(CaseStep, f) for f in STEP_FIELDS], [
        [display.local_time(s.at),
         display.code_name("case_action", s.action, layout.ZH) if s.action
         else display.state_name("assistance_case", s.state, layout.ZH), s.handler,
         s.opinion or (case.decision_reason if s.state in DECISIONS else "")]
        for s in case_steps(session, case.id)], nowrap=(0, 1))
    signatures = layout.boxes([
        Box("社区（村）受理意见", signer="经办人："),
        Box("街道（镇）审核意见", signer="负责人：", seal=True),
        Box("区（县）民政部门审批意见", signer="审批人：", seal=True),
    ], room=4)
    title = f"{layout.said(case, 'category')}审核审批表"
    body = (f"{layout.section('一、申请家庭')}{household}{layout.section('二、救助申请')}{assistance}"
            f"{layout.section('三、核对与入户调查')}{evidence}{layout.section('四、办理经过')}{steps}"
            f"{layout.section('五、审核审批', keep=True)}{signatures}")
    return layout.page(title, body, unit=layout.issuing_unit(case.org_code), record=case, today=today)


def build(session: Session, record_id: str, today: dt.date) -> str:
    return approval_form(session, record_id, today=today)
