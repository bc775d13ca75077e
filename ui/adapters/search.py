"""Households for the list and the global search box.

What was typed goes to ``caseapp.services.search`` (name, pinyin, initials, ID number, phone,
address; best matches first, paged). With nothing typed the list is every current household by the
head's name, which the search service does not offer; that listing lives here until the core has it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseapp.domain import Household, Member
from caseapp.services import search
from caseapp.services.search import HouseholdHit

SEPARATOR = "、"


@dataclass(frozen=True)
class HouseholdRow:
    id: str
    head_name: str
    address: str
    org_code: str
    #: the members' names, head first
    members: str
    #: how a search found it: "name", "pinyin", "id_number" … (empty for the plain list)
    matched: str = ""
    #: the member whose name, ID or phone matched, when it is not the head
    matched_member: str = ""


def search_households(db: Session, text: str, limit: int = 50, offset: int = 0) -> list[HouseholdRow]:
    if text.strip():
        return [_from_hit(hit) for hit in search.search_households(db, text, limit=limit, offset=offset)]
    rows = db.execute(_all().order_by(Household.head_name, Household.id).limit(limit).offset(offset))
    return [HouseholdRow(h.id, h.head_name, h.address, h.org_code, names or "") for h, names in rows]


def count_households(db: Session, text: str) -> int:
    if text.strip():
        return search.count_households(db, text)
    return int(db.scalar(select(func.count()).select_from(Household).where(Household.archived.is_(False))) or 0)


def _all() -> Any:
    members = (select(Member.household_id, func.group_concat(Member.name, SEPARATOR).label("names"))
               .where(Member.archived.is_(False)).group_by(Member.household_id).subquery())
    return (select(Household, members.c.names).outerjoin(members, members.c.household_id == Household.id)
            .where(Household.archived.is_(False)))


def _from_hit(hit: HouseholdHit) -> HouseholdRow:
    member = hit.matched_member or ""
    return HouseholdRow(hit.household_id, hit.head_name, hit.address, hit.org_code, SEPARATOR.join(hit.member_names),
                        hit.matched, member if member != hit.head_name else "")
