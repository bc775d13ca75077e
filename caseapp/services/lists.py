"""The lists screens and reports show, as queries over the workspace: a household's grid events
(they point at it through ``GridEvent.household_id`` rather than as child records, so
``records.household_records`` leaves them out), a record's attachments, heads of households by
id, the referrals still open, and the plain household list.

The household list (nothing typed in the search box) is every current household, newest first:
ids are UUIDv7, so the primary key gives that order without sorting 50,000 rows (code-point order
of Chinese names would mean nothing to a reader anyway). Member names are read for one page only.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseapp.domain import Attachment, GridEvent, Household, Member, Referral
from caseapp.domain.households import HEAD


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


@dataclass(frozen=True)
class ListedHousehold:
    id: str
    head_name: str
    address: str
    org_code: str
    #: the members' names, head first
    member_names: list[str]


def households(db: Session, limit: int = 50, offset: int = 0) -> list[ListedHousehold]:
    page = db.execute(select(Household.id, Household.head_name, Household.address, Household.org_code)
                      .where(Household.archived.is_(False))
                      .order_by(Household.id.desc()).limit(limit).offset(offset)).all()
    names = member_names(db, [h.id for h in page])
    return [ListedHousehold(h.id, h.head_name, h.address, h.org_code, names.get(h.id, [])) for h in page]


def count_households(db: Session) -> int:
    return int(db.scalar(select(func.count()).select_from(Household).where(Household.archived.is_(False))) or 0)


def member_names(db: Session, household_ids: list[str]) -> dict[str, list[str]]:
    """Names per household, head first (aggregating every member first would cost a full scan)."""
    names: dict[str, list[str]] = {}
    rows = db.execute(select(Member.household_id, Member.name)
                      .where(Member.household_id.in_(household_ids), Member.archived.is_(False))
                      .order_by(Member.household_id, Member.relationship != HEAD, Member.birth_date, Member.id))
    for household_id, name in rows:
        names.setdefault(household_id, []).append(name)
    return names
