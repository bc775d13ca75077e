"""Records of one type as a table, columns named by field: the household view's tabs and the
Grid records and Referrals pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session as DbSession

from caseapp.domain.codec import entity_class
from ui.format import MASKED, code_label, codes_label, fmt_value, masked
from ui.forms.specs import CHOICE, MEMBER, MULTI, label, spec
from ui.models.listed import ListTableModel
from ui.models.reader import Reader
from ui.qt import QT_TRANSLATE_NOOP, QObject
from ui.states import state_label

Row = dict[str, Any]

#: Columns that are not form fields.
EXTRA_HEADERS = {
    "status": QT_TRANSLATE_NOOP("Field", "Status"),
    "stage": QT_TRANSLATE_NOOP("Field", "Stage"),
    "elder_name": QT_TRANSLATE_NOOP("Field", "Elder"),
    "author": QT_TRANSLATE_NOOP("Field", "Recorded by"),
    "updated_at": QT_TRANSLATE_NOOP("Field", "Last changed"),
    "created_at": QT_TRANSLATE_NOOP("Field", "Recorded at"),
    "next_review_date": QT_TRANSLATE_NOOP("Field", "Next review"),
    "approved_on": QT_TRANSLATE_NOOP("Field", "Approved on"),
    "conclusion": QT_TRANSLATE_NOOP("Field", "Conclusion"),
    "sent_at": QT_TRANSLATE_NOOP("Field", "Sent at"),
    "old_amount": QT_TRANSLATE_NOOP("Field", "Previous amount (yuan)"),
}


class RecordsModel(ListTableModel[Row]):
    def __init__(self, reader: Reader, entity: str, fields: list[str],
                 loader: Callable[[DbSession], list[Row]] | None = None, parent: QObject | None = None) -> None:
        super().__init__(reader, parent)
        self.entity = entity
        self.fields = fields
        self.loader = loader
        self.state_field = entity_class(entity).state_field

    def headers(self) -> list[str]:
        out = []
        for name in self.fields:
            field_spec = spec(self.entity, name)
            out.append(field_spec.text() if field_spec else label(EXTRA_HEADERS.get(name, name)))
        return out

    def load(self, db: DbSession) -> list[Row]:
        return self.loader(db) if self.loader else list(self.rows)

    def display(self, row: Row, column: int) -> Any:
        name = self.fields[column]
        value = row.get(name)
        if name in MASKED:
            return masked(value)
        if name == self.state_field:
            return state_label(self.entity, value)
        field_spec = spec(self.entity, name)
        if field_spec is not None:
            lang = self.reader.core_lang
            if field_spec.kind == CHOICE:
                return code_label(field_spec.dictionary, value, lang)
            if field_spec.kind == MULTI:
                return codes_label(field_spec.dictionary, value, lang)
            if field_spec.kind == MEMBER:
                return row.get(f"{name}_label", "")
        return fmt_value(value)
