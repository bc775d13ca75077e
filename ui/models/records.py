"""Records of one type as a table, columns named by field: the household view's tabs and the
Grid records and Referrals pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session as DbSession

from caseapp.domain.codec import entity_class
from caseapp.services import display
from ui.forms.specs import MEMBER, spec
from ui.models.listed import ListTableModel
from ui.models.reader import Reader
from ui.qt import QT_TRANSLATE_NOOP, QCoreApplication, QObject

Row = dict[str, Any]

#: Columns that are no field of the record shown (computed, or the name of a linked record).
EXTRA_HEADERS = {
    "elder_name": QT_TRANSLATE_NOOP("RecordsModel", "Elder"),
    "child_name": QT_TRANSLATE_NOOP("RecordsModel", "Child"),
    "veteran_name": QT_TRANSLATE_NOOP("RecordsModel", "Person visited"),
    "queue_position": QT_TRANSLATE_NOOP("RecordsModel", "Place in queue"),
    "computed_amount": QT_TRANSLATE_NOOP("RecordsModel", "Computed amount"),
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
        lang = self.reader.core_lang
        return [QCoreApplication.translate("RecordsModel", EXTRA_HEADERS[name]) if name in EXTRA_HEADERS
                else display.field_name(self.entity, name, lang, short=True) for name in self.fields]

    def load(self, db: DbSession) -> list[Row]:
        return self.loader(db) if self.loader else list(self.rows)

    def display(self, row: Row, column: int) -> Any:
        name = self.fields[column]
        value = row.get(name)
        if name in EXTRA_HEADERS:
            return "" if value is None else str(value)
        field_spec = spec(self.entity, name)
        if field_spec is not None and field_spec.kind == MEMBER:
            return row.get(f"{name}_label", "")
        return display.value_text(self.entity, name, value, self.reader.core_lang, mask=True)
