"""Households for the list and the global search box, as the table model shows them.

With only text typed (and perhaps an area chosen), what was typed goes to
``caseapp.services.search`` (name, pinyin, initials, ID number, phone, address; best matches
first, paged) and each hit says how it was found. Any other filter or a sort makes it
``caseapp.services.listing``'s household list, filtered and sorted in SQL, the text matched
through the same search index. With nothing at all, the list is every current household, newest
first.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy.orm import Session

from caseapp.services import listing, search
from caseapp.services.search import HouseholdHit

SEPARATOR = "、"


@dataclass(frozen=True)
class HouseholdRow:
    id: str
    head_name: str
    address: str
    org_code: str
    #: the members' names, head first (search hits only)
    members: str
    #: how a search found it: "name", "pinyin", "id_number" … (empty for the plain list)
    matched: str = ""
    #: the member whose name, ID or phone matched, when it is not the head
    matched_member: str = ""
    #: the list's columns (``listing.LISTS["households"]``), stored values
    values: dict[str, Any] = field(default_factory=dict)
    #: the same, as the user reads them
    texts: tuple[str, ...] = ()


def _ranked(flt: listing.ListFilter, text: str) -> bool:
    return bool(text.strip()) and flt.is_plain()


def search_households(db: Session, text: str, limit: int = 50, offset: int = 0,
                      flt: listing.ListFilter | None = None, lang: str = "zh") -> list[HouseholdRow]:
    flt = flt or listing.ListFilter()
    spec = listing.LISTS["households"]
    if _ranked(flt, text):
        scope = list(flt.scope) if flt.scope is not None else None
        hits = search.search_households(db, text, limit=limit, offset=offset, org_codes=scope)
        rows = {r.id: r for r in listing.rows_by_id(db, "households", [h.household_id for h in hits])}
        texts = _texts(db, spec, list(rows.values()), lang)
        return [_from_hit(hit, rows.get(hit.household_id), texts) for hit in hits]
    listed = listing.page(db, "households", replace(flt, text=text.strip()), offset=offset, limit=limit)
    texts = _texts(db, spec, listed, lang)
    return [HouseholdRow(r.id, r.values["head_name"], r.values["address"], r.org_code, "", values=r.values,
                         texts=texts[r.id]) for r in listed]


def count_households(db: Session, text: str, flt: listing.ListFilter | None = None) -> int:
    flt = flt or listing.ListFilter()
    if _ranked(flt, text):
        return search.count_households(db, text, org_codes=list(flt.scope) if flt.scope is not None else None)
    return listing.count(db, "households", replace(flt, text=text.strip()))


def _texts(db: Session, spec: listing.ListSpec, rows: list[listing.Row], lang: str) -> dict[str, tuple[str, ...]]:
    names = listing.org_names(db, listing.org_codes_of(spec, rows))
    return {r.id: tuple(listing.cell_text(c, r.values[c.key], lang, names=names) for c in spec.columns) for r in rows}


def _from_hit(hit: HouseholdHit, row: listing.Row | None, texts: dict[str, tuple[str, ...]]) -> HouseholdRow:
    member = hit.matched_member or ""
    return HouseholdRow(hit.household_id, hit.head_name, hit.address, hit.org_code, SEPARATOR.join(hit.member_names),
                        hit.matched, member if member != hit.head_name else "",
                        values=row.values if row else {}, texts=texts.get(hit.household_id, ()))
