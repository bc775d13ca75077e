"""Small builders for core tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from caseapp.domain import AssistanceCase, CareVisit, ElderProfile, Household, Investigation, Member, Verification
from caseapp.services import records

ORG = "440104001001"


def household(session: Session, **extra: Any) -> Household:
    fields = {"org_code": ORG, "address": "越秀区洪桥街道小北路100号", "head_name": "张伟", **extra}
    return records.create(session, Household, fields)


def member(session: Session, household_id: str, **extra: Any) -> Member:
    fields = {"org_code": ORG, "household_id": household_id, "name": "张伟", "relationship": "02", **extra}
    return records.create(session, Member, fields)


def two_members(session: Session, household_id: str) -> list[Member]:
    """A head and a spouse: the people a two-person assistance case covers."""
    return [member(session, household_id), member(session, household_id, name="李娟", relationship="12")]


def elder_with_visit(session: Session, household_id: str, member_id: str) -> tuple[ElderProfile, CareVisit]:
    elder = records.create(session, ElderProfile, {"org_code": ORG, "household_id": household_id,
                                                   "member_id": member_id, "risk_tier": "high"})
    visit = records.create(session, CareVisit, {"org_code": ORG, "elder_id": elder.id,
                                                "visited_at": dt.datetime.now(dt.UTC) - dt.timedelta(days=1),
                                                "notes": "精神状态良好"})
    return elder, visit


#: an assistance application's path to payment, step by step
CASE_PATH = ("verification", "investigation", "preliminary_review", "public_notice", "approval", "active")


def approve(session: Session, case: AssistanceCase, upto: str = "active", *, role: str | None = None) -> None:
    """Take a case along CASE_PATH up to ``upto`` as an office does: the 核对 concluded, the home
    investigation signed by two investigators, a public notice that has run its week without
    objections (it began eight days ago)."""
    records.create(session, Verification, {"org_code": case.org_code, "household_id": case.household_id,
                                           "case_id": case.id, "consent_ref": "SQ-1", "conclusion": "eligible",
                                           "requested_on": _days_ago(10).date()})
    records.create(session, Investigation, {"org_code": case.org_code, "household_id": case.household_id,
                                            "case_id": case.id, "investigators": "张敏、刘志强",
                                            "investigators_signed": True, "investigated_at": _days_ago(9)})
    for target in CASE_PATH[:CASE_PATH.index(upto) + 1]:
        extra: dict[str, Any] = {"notice_objections": "无异议"} if target == "approval" else {}
        records.transition(session, case, target, role=role,
                           at=_days_ago(8) if target == "public_notice" else None, **extra)


def _days_ago(days: int) -> dt.datetime:
    return dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
