"""A list from ``caseapp.services.listing`` as a paged table: filtered and sorted in SQL (a header
click asks the workspace for the first page in the new order; nothing is sorted in memory), each
cell formatted on the read pool, so painting only looks text up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session as DbSession

from caseapp.services import listing
from ui.models.paged import PAGE, PagedTableModel
from ui.models.reader import Reader
from ui.qt import QObject, Qt, Signal


@dataclass(frozen=True)
class ShownRow:
    id: str
    org_code: str
    values: dict[str, Any]
    #: each column's cell, as the user reads it
    texts: tuple[str, ...]


def shown(db: DbSession, spec: listing.ListSpec, rows: list[listing.Row], lang: str) -> list[ShownRow]:
    names = listing.org_names(db, listing.org_codes_of(spec, rows))
    return [ShownRow(r.id, r.org_code, r.values,
                     tuple(listing.cell_text(c, r.values[c.key], lang, names=names) for c in spec.columns))
            for r in rows]


def numeric_columns(spec: listing.ListSpec) -> frozenset[int]:
    return frozenset(n for n, c in enumerate(spec.columns) if c.kind in ("int", "money", "age"))


class FilteredModel(PagedTableModel[ShownRow]):
    #: the sort changed through a header (the page remembers it with the filter)
    sort_changed = Signal()

    def __init__(self, reader: Reader, name: str, parent: QObject | None = None, page_size: int = PAGE) -> None:
        super().__init__(reader, parent, page_size)
        self.name = name
        self.spec = listing.LISTS[name]
        self.filter = listing.ListFilter()
        self.numeric_columns = numeric_columns(self.spec)

    def headers(self) -> list[str]:
        return [c.label(self.reader.core_lang) for c in self.spec.columns]

    def set_filter(self, flt: listing.ListFilter) -> None:
        self.filter = flt
        self.reset()

    def fetch(self, db: DbSession, offset: int, limit: int) -> list[ShownRow]:
        rows = listing.page(db, self.name, self.filter, offset=offset, limit=limit)
        return shown(db, self.spec, rows, self.reader.core_lang)

    def count(self, db: DbSession) -> int:
        return listing.count(db, self.name, self.filter)

    def display(self, row: ShownRow, column: int) -> Any:
        return row.texts[column]

    def sort_column(self) -> tuple[int, Qt.SortOrder] | None:
        """The header the current sort is on, for the view's indicator."""
        keys = self.spec.column_keys()
        if self.filter.sort not in keys:
            return None
        order = Qt.SortOrder.DescendingOrder if self.filter.descending else Qt.SortOrder.AscendingOrder
        return keys.index(self.filter.sort), order

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        keys = self.spec.column_keys()
        if not 0 <= column < len(keys):
            return
        flt = self.filter.with_sort(keys[column], order == Qt.SortOrder.DescendingOrder)
        if flt == self.filter:
            return
        self.filter = flt
        self.sort_changed.emit()
        self.reset()
