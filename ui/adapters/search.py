"""Households for the list and the global search box.

What was typed goes to ``caseapp.services.search`` (name, pinyin, initials, ID number, phone,
address; best matches first, paged). With nothing typed the list is every current household, newest
first: ids are UUIDv7, so the primary key gives that order without sorting 50,000 rows (code-point
order of Chinese names would mean nothing to a reader anyway). The search service does not offer
this listing; it lives here until the core has it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseapp.domain import Household, Member
from caseapp.services import search
from caseapp.services.search import HouseholdHit

SEPARATOR = "、"
HEAD = "02"  # GB/T 4761: head of household, listed first


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
    page = db.execute(select(Household.id, Household.head_name, Household.address, Household.org_code)
                      .where(Household.archived.is_(False))
                      .order_by(Household.id.desc()).limit(limit).offset(offset)).all()
    names = _member_names(db, [h.id for h in page])
    return [HouseholdRow(h.id, h.head_name, h.address, h.org_code, SEPARATOR.join(names.get(h.id, [])))
            for h in page]


def count_households(db: Session, text: str) -> int:
    if text.strip():
        return search.count_households(db, text)
    return int(db.scalar(select(func.count()).select_from(Household).where(Household.archived.is_(False))) or 0)


def _member_names(db: Session, household_ids: list[str]) -> dict[str, list[str]]:
    """Names per household for one page only (aggregating every member first costs a full scan)."""
    names: dict[str, list[str]] = {}
    rows = db.execute(select(Member.household_id, Member.name)
                      .where(Member.household_id.in_(household_ids), Member.archived.is_(False))
                      .order_by(Member.household_id, Member.relationship != HEAD, Member.birth_date, Member.id))
    for household_id, name in rows:
        names.setdefault(household_id, []).append(name)
    return names


def _from_hit(hit: HouseholdHit) -> HouseholdRow:
    member = hit.matched_member or ""
    return HouseholdRow(hit.household_id, hit.head_name, hit.address, hit.org_code, SEPARATOR.join(hit.member_names),
                        hit.matched, member if member != hit.head_name else "")
