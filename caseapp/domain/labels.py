"""Labels of record types and fields for messages that know a field's name but perhaps not its
record type (an error raised deep in a validator)."""

from __future__ import annotations

from caseapp.domain.base import ENTITIES
from caseapp.domain.fields import all_facts, entity_label, field_label


def label_for(field: str, lang: str = "zh", entity: str | None = None) -> str | None:
    """The field's label on ``entity``'s model; without a record type, the label of the first
    record type (in registration order) that has a field of that name; None when none has."""
    if entity in ENTITIES:
        cls = ENTITIES[entity]
        if field in all_facts(cls):
            return field_label(cls, field, lang)
    for cls in ENTITIES.values():
        if field in all_facts(cls):
            return field_label(cls, field, lang)
    return None


def entity_name(entity: str, lang: str = "zh") -> str | None:
    cls = ENTITIES.get(entity)
    return entity_label(cls, lang) if cls is not None else None
