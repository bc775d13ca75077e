"""Households, paged: the household list's columns (户主, address, community, grid, phone, size,
assistance categories and states), filtered by the search text and the list's filters, sorted in
SQL when a header is clicked; a search hit also says what it was found by."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session as DbSession

from caseapp.services import listing
from ui.adapters.search import HouseholdRow, count_households, search_households
from ui.models.filtered import numeric_columns
from ui.models.paged import PAGE, PagedTableModel
from ui.models.reader import Reader
from ui.qt import QObject, Qt, Signal

_KEYS = listing.LISTS["households"].column_keys()


class HouseholdsModel(PagedTableModel[HouseholdRow]):
    HEAD, ADDRESS, COMMUNITY, GRID, PHONE, SIZE, CATEGORIES, STATES, MATCHED = range(len(_KEYS) + 1)
    #: the sort changed through a header
    sort_changed = Signal()

    def __init__(self, reader: Reader, parent: QObject | None = None, page_size: int = PAGE) -> None:
        super().__init__(reader, parent, page_size)
        self.query = ""
        self.filter = listing.ListFilter()
        self.spec = listing.LISTS["households"]
        self.numeric_columns = numeric_columns(self.spec)
        self._kinds: dict[str, str] | None = None

    def headers(self) -> list[str]:
        return [*(c.label(self.reader.core_lang) for c in self.spec.columns), self.tr("Found by")]

    def set_query(self, text: str) -> None:
        self.query = text.strip()
        self.reset()

    def set_filter(self, flt: listing.ListFilter) -> None:
        self.filter = flt
        self.reset()

    def fetch(self, db: DbSession, offset: int, limit: int) -> list[HouseholdRow]:
        return search_households(db, self.query, limit=limit, offset=offset, flt=self.filter,
                                 lang=self.reader.core_lang)

    def count(self, db: DbSession) -> int:
        return count_households(db, self.query, self.filter)

    def display(self, row: HouseholdRow, column: int) -> Any:
        if column == self.MATCHED:
            if not row.matched:
                return ""
            if self._kinds is None:
                self._kinds = self.match_kinds()
            how = self._kinds.get(row.matched, row.matched)
            return f"{how} · {row.matched_member}" if row.matched_member else how
        return row.texts[column] if column < len(row.texts) else ""

    def match_kinds(self) -> dict[str, str]:
        return {"id_number": self.tr("ID number"), "phone": self.tr("Phone"), "name": self.tr("Name"),
                "pinyin": self.tr("Pinyin"), "initials": self.tr("Pinyin initials"), "address": self.tr("Address")}

    def sort_column(self) -> tuple[int, Qt.SortOrder] | None:
        if self.filter.sort not in _KEYS:
            return None
        order = Qt.SortOrder.DescendingOrder if self.filter.descending else Qt.SortOrder.AscendingOrder
        return _KEYS.index(self.filter.sort), order

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # "Found by" has no order of its own: a search lists its best matches first
        if not 0 <= column < len(_KEYS):
            return
        flt = self.filter.with_sort(_KEYS[column], order == Qt.SortOrder.DescendingOrder)
        if flt == self.filter:
            return
        self.filter = flt
        self.sort_changed.emit()
        self.reset()
