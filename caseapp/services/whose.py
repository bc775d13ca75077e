"""Whose record this is: the household it belongs to and the person it is about.

A sync conflict, a refused change or an audit line names a record by type and id; a caseworker
knows households and people. Following the record's links to other records (a visit → the elder's
profile → the member → the household) finds both, whatever the record type, without a table of
types to keep up to date.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from caseapp.domain import Household, Member, Record
from caseapp.domain.base import ENTITIES

#: links followed at most (visit → profile → member → household is three)
MAX_DEPTH = 4
_BY_TABLE: dict[str, type[Record]] = {cls.__tablename__: cls for cls in ENTITIES.values()}


@dataclass(frozen=True)
class Whose:
    household_id: str | None = None
    #: the head of household's name
    head_name: str = ""
    address: str = ""
    #: the member the record is about (a member itself, or one a record links to)
    person: str = ""


def _links(record: Record) -> list[Record]:
    """The records this one links to, in column order."""
    db = Session.object_session(record)
    found: list[Record] = []
    if db is None:
        return found
    for column in record.__table__.columns:
        for key in column.foreign_keys:
            target = _BY_TABLE.get(key.column.table.name)
            value = getattr(record, column.key, None)
            if target is not None and value:
                linked = db.get(target, value)
                if linked is not None:
                    found.append(linked)
    return found


def whose(db: Session, entity: str, row_id: str) -> Whose:
    """The household and person of record ``entity``/``row_id``; empty where it has none (an org
    unit's grid event) or it is not on this device."""
    cls = ENTITIES.get(entity)
    record = db.get(cls, row_id) if cls is not None else None
    household: Household | None = None
    person: Member | None = None
    todo = [record] if record is not None else []
    for _depth in range(MAX_DEPTH):
        following: list[Record] = []
        for item in todo:
            if isinstance(item, Household) and household is None:
                household = item
            elif isinstance(item, Member) and person is None:
                person = item
            following += _links(item)
        if household is not None or not following:
            break
        todo = following
    if household is None and person is not None:
        household = db.get(Household, person.household_id)
    if household is None:
        return Whose(person=person.name if person else "")
    return Whose(household.id, household.head_name, household.address, person.name if person else "")
