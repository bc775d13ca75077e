"""Lookups the screens need that caseapp.services does not offer yet.

``household_records`` (caseapp.services.records) leaves out grid events, which point at a household
through ``GridEvent.household_id`` rather than as a child record; this fills that gap until the core
includes them.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseapp.domain import Attachment, GridEvent, Household, Referral


def grid_events_for(db: Session, household_id: str) -> list[GridEvent]:
    return list(db.scalars(select(GridEvent).where(GridEvent.household_id == household_id)
                           .order_by(GridEvent.occurred_at.desc())))


def attachments_for(db: Session, owner_id: str) -> list[Attachment]:
    return list(db.scalars(select(Attachment).where(Attachment.owner_id == owner_id, Attachment.archived.is_(False))
                           .order_by(Attachment.created_at)))


def head_names(db: Session, household_ids: list[str]) -> dict[str, str]:
    """Head of household per id, in one query (a list of cases names the household of each)."""
    rows = db.execute(select(Household.id, Household.head_name).where(Household.id.in_(household_ids)))
    return {household_id: name for household_id, name in rows}


def referrals(db: Session, include_closed: bool = False) -> list[Referral]:
    query = select(Referral).where(Referral.archived.is_(False))
    if not include_closed:
        query = query.where(Referral.status != "closed")
    return list(db.scalars(query.order_by(Referral.created_at.desc())))
