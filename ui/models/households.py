"""Households, paged, optionally filtered by the search text (name, pinyin, ID, phone, address)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session as DbSession

from ui.adapters.search import HouseholdRow, count_households, search_households
from ui.models.paged import PAGE, PagedTableModel
from ui.models.reader import Reader
from ui.qt import QObject


class HouseholdsModel(PagedTableModel[HouseholdRow]):
    HEAD, ADDRESS, MEMBERS, MATCHED = range(4)

    def __init__(self, reader: Reader, parent: QObject | None = None, page_size: int = PAGE) -> None:
        super().__init__(reader, parent, page_size)
        self.query = ""
        self._kinds: dict[str, str] | None = None

    def headers(self) -> list[str]:
        return [self.tr("Head of household"), self.tr("Address"), self.tr("Members"), self.tr("Found by")]

    def set_query(self, text: str) -> None:
        self.query = text.strip()
        self.reset()

    def fetch(self, db: DbSession, offset: int, limit: int) -> list[HouseholdRow]:
        return search_households(db, self.query, limit=limit, offset=offset)

    def count(self, db: DbSession) -> int:
        return count_households(db, self.query)

    def display(self, row: HouseholdRow, column: int) -> Any:
        if column == self.MATCHED:
            if self._kinds is None:
                self._kinds = self.match_kinds()
            how = self._kinds.get(row.matched, row.matched)
            return f"{how} · {row.matched_member}" if row.matched_member else how
        return (row.head_name, row.address, row.members)[column]

    def match_kinds(self) -> dict[str, str]:
        return {"id_number": self.tr("ID number"), "phone": self.tr("Phone"), "name": self.tr("Name"),
                "pinyin": self.tr("Pinyin"), "initials": self.tr("Pinyin initials"), "address": self.tr("Address")}
