"""Households for the list and the global search box, as the table model shows them.

What was typed goes to ``caseapp.services.search`` (name, pinyin, initials, ID number, phone,
address; best matches first, paged); with nothing typed the list is ``caseapp.services.lists``'s
(every current household, newest first).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from caseapp.services import lists, search
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
    return [HouseholdRow(h.id, h.head_name, h.address, h.org_code, SEPARATOR.join(h.member_names))
            for h in lists.households(db, limit, offset)]


def count_households(db: Session, text: str) -> int:
    return search.count_households(db, text) if text.strip() else lists.count_households(db)


def _from_hit(hit: HouseholdHit) -> HouseholdRow:
    member = hit.matched_member or ""
    return HouseholdRow(hit.household_id, hit.head_name, hit.address, hit.org_code, SEPARATOR.join(hit.member_names),
                        hit.matched, member if member != hit.head_name else "")
