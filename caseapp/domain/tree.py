"""What belongs to what, and so moves with it: the one definition device and server share.

A record's parent is named on its model (``Record.parent``: a member belongs to its household, a
care visit to its elder profile, an attachment to whatever record owns it). Following parents up
ends at a root: a household, or a record that belongs to nothing (a grid event, an org unit, an
elder profile without a household). The root decides where its whole tree lives: a record with a
parent always has its root's ``org_code``, a move is an edit of the root's ``org_code`` alone, and
the store (on the device) and the server (for everything pushed) carry the tree along. So two
supervisors moving one household at once race on one field, and a member added offline in the old
grid lands where its household now is.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from caseapp.domain.base import ENTITIES, Record


def parent_ref(cls: type[Record], fields: Mapping[str, Any]) -> tuple[str, str] | None:
    """(entity, id) of the record this one belongs to, from its field values; None for a root."""
    if cls.parent is None:
        return None
    column, entity = cls.parent
    if cls.parent_entity_field is not None:
        entity = str(fields.get(cls.parent_entity_field) or "")
    value = fields.get(column)
    if not value or not entity:
        return None
    return entity, str(value)


def parent_field(cls: type[Record]) -> str | None:
    """The field naming the parent (editing it moves the record to another tree)."""
    return cls.parent[0] if cls.parent is not None else None


@cache
def children_of(entity: str) -> tuple[tuple[type[Record], str], ...]:
    """(record type, parent column) of every type whose records can belong to an ``entity``."""
    found = []
    for cls in ENTITIES.values():
        if cls.parent is not None and cls.parent[1] in (entity, ""):
            found.append((cls, cls.parent[0]))
    return tuple(found)


def follows_parent(cls: type[Record], fields: Mapping[str, Any]) -> bool:
    """Does this record's ``org_code`` follow a parent's (so it is never moved on its own)?"""
    return parent_ref(cls, fields) is not None


@cache
def parents_first(after: tuple[tuple[str, str], ...] = ()) -> tuple[str, ...]:
    """Every record type, each after the types its foreign keys point at (so a file written in this
    order can be applied in file order), and otherwise beside its own tree: org units, then each
    household's kinds of record, then the rest; records owned by any type (attachments) last.
    ``after`` holds (type, type it also comes after) pairs: a record judged over others (a case over
    its household's members and income items) is written, and pushed, after them."""
    by_table = {cls.__tablename__: cls.entity for cls in ENTITIES.values()}
    order: list[str] = []
    seen: set[str] = set()

    def visit(entity: str) -> None:
        if entity in seen:
            return
        seen.add(entity)
        cls = ENTITIES[entity]
        for judged, over in after:
            if judged == entity:
                visit(over)
        for column in cls.__table__.columns:
            for fk in column.foreign_keys:
                if fk.column.table.name in by_table:
                    visit(by_table[fk.column.table.name])
        order.append(entity)
        for child, _ in children_of(entity):
            if child.parent_entity_field is None:
                visit(child.entity)

    roots = [e for e in ENTITIES if ENTITIES[e].parent is None]
    for entity in sorted(roots, key=lambda e: (e != "org_unit", e != "household")):
        visit(entity)
    for entity in ENTITIES:  # owned by records of any type
        visit(entity)
    return tuple(order)
