"""The public notice (公示) as the fact, and the case's notice fields derived from it.

A case's ``notice_started_on`` and ``notice_objections`` say what its latest review notice says:
they are rewritten whenever a notice of the case is recorded, edited, archived or restored, so the
workflow's guard (the notice has run its days and its objections are recorded), the case form and
the 公示名单 all read the notice. Moving a case into 公示 opens a notice dated that day (its place
and objections are then filled in on the notice); the objections a supervisor writes while
signing the notice's end go onto the notice too, when the notice has none yet. A new round (an
objection sent the case back, then it passes review again) opens a new notice with no objections,
so the next approval again needs its own.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseapp.domain import AssistanceCase, PublicNotice

REVIEW = "review"


def latest(session: Session, case_id: str) -> PublicNotice | None:
    """The case's latest review notice that is not archived (the latest start, then the latest made)."""
    return session.scalars(
        select(PublicNotice)
        .where(PublicNotice.case_id == case_id, PublicNotice.kind == REVIEW, PublicNotice.archived.is_(False))
        .order_by(PublicNotice.started_on.desc(), PublicNotice.created_at.desc(), PublicNotice.id.desc())
        .limit(1)
    ).first()


def objections_text(notice: PublicNotice) -> str:
    """What the case's objections field says of a notice: the objections, and the answer given."""
    text = notice.objections.strip()
    answer = notice.answers.strip()
    return f"{text}\n答复：{answer}" if text and answer else text


def derive_case(session: Session, case_id: str) -> None:
    """Rewrite the case's notice fields from its latest review notice (nothing to do without one:
    a case that never went on notice, or one whose fields predate the notice records)."""
    case = session.get(AssistanceCase, case_id)
    notice = latest(session, case_id)
    if case is None or notice is None:
        return
    started, objections = notice.started_on, objections_text(notice)
    if case.notice_started_on != started:
        case.notice_started_on = started
    if case.notice_objections != objections:
        case.notice_objections = objections
    session.flush()


def on_case_move(session: Session, case: AssistanceCase, source: str, target: str, today: dt.date) -> None:
    """A case entering 公示 opens its notice; one leaving it for approval with objections written in
    the sign-off puts them on the notice when the notice has none."""
    if target == "public_notice":
        session.add(PublicNotice(org_code=case.org_code, case_id=case.id, kind=REVIEW, started_on=today,
                                 ends_on=_end(today), place=""))
        session.flush()
        derive_case(session, case.id)
    elif source == "public_notice":
        notice = latest(session, case.id)
        if notice is not None and not notice.objections.strip() and case.notice_objections.strip():
            notice.objections = case.notice_objections
            session.flush()
            derive_case(session, case.id)


def _end(started: dt.date) -> dt.date:
    from caseapp import refdata
    from caseapp.domain.appraisal import notice_end

    return notice_end(started, refdata.rules().time_limit("public_notice_days"))
