"""Household search for the list and the global search box.

Searches call ``caseapp.services.search`` (name, pinyin, initials, ID number, phone, address;
paged) when it is present. The fallback matches plain substrings of the head's name, address and
phone, and members' names and ID numbers: enough to drive the UI until the real service lands.
The unfiltered list (nothing typed) is every current household in name order.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from caseapp.domain import Household, Member


@dataclass(frozen=True)
class HouseholdRow:
    id: str
    head_name: str
    address: str
    org_code: str
    #: the members' names, head first
    members: str
    #: what matched the search (e.g. a member's name), empty for the plain list
    matched: str = ""


def _real() -> Any:
    try:
        return importlib.import_module("caseapp.services.search")
    except ImportError:
        return None


def search_households(db: Session, text: str, limit: int = 50, offset: int = 0) -> list[HouseholdRow]:
    real = _real()
    # The search service answers searches only; the unfiltered list is every household by name.
    if real is not None and text.strip():
        return [_from_hit(hit) for hit in real.search_households(db, text, limit=limit, offset=offset)]
    rows = db.execute(_query(text).order_by(Household.head_name, Household.id).limit(limit).offset(offset))
    return [HouseholdRow(h.id, h.head_name, h.address, h.org_code, names or "") for h, names in rows]


def count_households(db: Session, text: str) -> int:
    real = _real()
    if real is not None and text.strip():
        return int(real.count_households(db, text))
    return int(db.scalar(select(func.count()).select_from(_query(text).subquery())) or 0)


def _query(text: str) -> Any:
    members = (select(Member.household_id, func.group_concat(Member.name, "、").label("names"))
               .where(Member.archived.is_(False)).group_by(Member.household_id).subquery())
    query = (select(Household, members.c.names).outerjoin(members, members.c.household_id == Household.id)
             .where(Household.archived.is_(False)))
    text = text.strip()
    if text:
        like = f"%{text}%"
        hits = select(Member.household_id).where(or_(Member.name.like(like), Member.id_number.like(like)))
        query = query.where(or_(Household.head_name.like(like), Household.address.like(like),
                                Household.phone.like(like), Household.id.in_(hits)))
    return query


def _from_hit(hit: Any) -> HouseholdRow:
    """The search service's HouseholdHit, whatever extra fields it grows, as the row the model shows."""
    names = tuple(getattr(hit, "member_names", ()))
    matched = getattr(hit, "matched_member", None) or ""
    return HouseholdRow(id=hit.household_id, head_name=hit.head_name, address=hit.address, org_code=hit.org_code,
                        members="、".join(names), matched=matched if matched != hit.head_name else "")
