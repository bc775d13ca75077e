"""Small builders for core tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from caseapp.domain import CareVisit, ElderProfile, Household, Member
from caseapp.services import records

ORG = "440104001001"


def household(session: Session, **extra: Any) -> Household:
    fields = {"org_code": ORG, "address": "越秀区洪桥街道小北路100号", "head_name": "张伟", **extra}
    return records.create(session, Household, fields)


def member(session: Session, household_id: str, **extra: Any) -> Member:
    fields = {"org_code": ORG, "household_id": household_id, "name": "张伟", "relationship": "02", **extra}
    return records.create(session, Member, fields)


def elder_with_visit(session: Session, household_id: str, member_id: str) -> tuple[ElderProfile, CareVisit]:
    elder = records.create(session, ElderProfile, {"org_code": ORG, "household_id": household_id,
                                                   "member_id": member_id, "risk_tier": "high"})
    visit = records.create(session, CareVisit, {"org_code": ORG, "elder_id": elder.id,
                                                "visited_at": dt.datetime.now(dt.UTC) - dt.timedelta(days=1),
                                                "notes": "精神状态良好"})
    return elder, visit
