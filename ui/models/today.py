"""The Today screen's lists: elder visits due, assistance reviews due, open grid events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session as DbSession

from caseapp.services import display, schedule
from caseapp.services.lists import head_names
from caseapp.services.schedule import DueVisit
from ui.format import fmt_date, fmt_datetime
from ui.models.listed import ListTableModel
from ui.models.paged import PAGE, PagedTableModel
from ui.models.reader import Reader
from ui.models.rows import Index
from ui.qt import QColor, QObject, Qt

VISIT_HORIZON_DAYS = 7
REVIEW_HORIZON_DAYS = 30


@dataclass(frozen=True)
class DueQuery:
    """What a reset of the visits due asked for, kept for its later pages (the day too: a page read
    after midnight still belongs to the list it continues)."""

    today: dt.date
    horizon_days: int
    scope: tuple[str, ...] | None
    overdue_only: bool


class VisitsDueModel(PagedTableModel[DueVisit]):
    """The elders due, in pages as the view scrolls (keyset: each page starts after the last row
    shown), in one order, the service's: due day (most overdue first), then grid. A header click
    does not re-sort: the rows loaded are a part of the list, and sorting them would say nothing
    of the rest. Counted with the first page, both numbers at once (Today's two tiles)."""

    NAME, ADDRESS, RISK, LAST, DUE, OVERDUE = range(6)
    count_after_rows = False
    horizon_days = VISIT_HORIZON_DAYS
    #: org units the list keeps to (None: everything on this device)
    scope: tuple[str, ...] | None = None
    #: only the visits already overdue
    overdue_only = False

    def __init__(self, reader: Reader, parent: QObject | None = None, page_size: int = PAGE) -> None:
        super().__init__(reader, parent, page_size)
        self.numeric_columns = frozenset({self.OVERDUE})
        #: the elders due and overdue in the whole list, once counted
        self.counts: schedule.DueCounts | None = None
        self._query = DueQuery(dt.date.today(), self.horizon_days, self.scope, self.overdue_only)

    def headers(self) -> list[str]:
        lang = self.reader.core_lang
        return [self.tr("Elder"), display.field_name("household", "address", lang),
                display.field_name("elder_profile", "risk_tier", lang), self.tr("Last visit"),
                self.tr("Due"), self.tr("Days overdue")]

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            return self.tr("Listed by due date, the most overdue first, then by grid")
        return super().headerData(section, orientation, role)

    def reset(self) -> None:
        self._query = DueQuery(dt.date.today(), self.horizon_days, self.scope, self.overdue_only)
        self.counts = None
        super().reset()

    def clear(self) -> None:
        super().clear()
        self.counts = None

    def page_read(self, offset: int, limit: int) -> Callable[[DbSession], Any]:
        query = self._query
        if not offset:  # the first page and the counts in one read: the due days worked out once
            return lambda db: schedule.first_visits_due(db, query.today, query.horizon_days, query.scope,
                                                        overdue_only=query.overdue_only, limit=limit)
        after = self.rows[offset - 1].key
        return lambda db: schedule.visits_due_page(db, query.today, query.horizon_days, query.scope,
                                                   overdue_only=query.overdue_only, after=after, limit=limit)

    def page_rows(self, result: Any) -> list[DueVisit]:
        if isinstance(result, tuple):
            counts, rows = result
            self.counts = counts
            self._set_total(counts.overdue if self._query.overdue_only else counts.due)
            return list(rows)
        return list(result)

    def display(self, row: DueVisit, column: int) -> Any:
        lang = self.reader.core_lang
        return (row.name, row.address, display.value_text("elder_profile", "risk_tier", row.risk_tier, lang),
                fmt_datetime(row.last_visit) if row.last_visit else self.tr("Never"),
                fmt_date(row.due), row.overdue_days or "")[column]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole:
            overdue = index.isValid() and index.row() < len(self.rows) and self.rows[index.row()].overdue_days > 0
            return QColor("#b00020") if overdue else None
        return super().data(index, role)


@dataclass(frozen=True)
class ReviewRow:
    case_id: str
    household_id: str
    head_name: str
    category: str
    status: str
    next_review: dt.date | None


class ReviewsDueModel(ListTableModel[ReviewRow]):
    HOUSEHOLD, CATEGORY, STATUS, NEXT = range(4)
    horizon_days = REVIEW_HORIZON_DAYS
    scope: tuple[str, ...] | None = None

    def headers(self) -> list[str]:
        lang = self.reader.core_lang
        return [self.tr("Household"), display.field_name("assistance_case", "category", lang),
                display.field_name("assistance_case", "status", lang),
                display.field_name("assistance_case", "next_review_date", lang)]

    def load(self, db: DbSession) -> list[ReviewRow]:
        cases = schedule.reviews_due(db, dt.date.today(), horizon_days=self.horizon_days, scope=self.scope)
        names = head_names(db, [case.household_id for case in cases])
        return [ReviewRow(case.id, case.household_id, names.get(case.household_id, ""), case.category,
                          case.status, case.next_review_date) for case in cases]

    def display(self, row: ReviewRow, column: int) -> Any:
        lang = self.reader.core_lang
        return (row.head_name, display.value_text("assistance_case", "category", row.category, lang),
                display.state_name("assistance_case", row.status, lang), fmt_date(row.next_review))[column]

    def warn(self, row: ReviewRow) -> bool:
        return row.next_review is not None and row.next_review < dt.date.today()


@dataclass(frozen=True)
class EventRow:
    id: str
    title: str
    category: str
    status: str
    occurred_at: dt.datetime
    place: str
    household_id: str | None


def event_row(event: Any) -> EventRow:
    return EventRow(event.id, event.title, event.category, event.status, event.occurred_at, event.place,
                    event.household_id)


class OpenEventsModel(ListTableModel[EventRow]):
    TITLE, CATEGORY, STATUS, OCCURRED, PLACE = range(5)
    scope: tuple[str, ...] | None = None

    def headers(self) -> list[str]:
        lang = self.reader.core_lang
        return [display.field_name("grid_event", name, lang)
                for name in ("title", "category", "status", "occurred_at", "place")]

    def load(self, db: DbSession) -> list[EventRow]:
        return [event_row(e) for e in schedule.open_events(db, scope=self.scope)]

    def display(self, row: EventRow, column: int) -> Any:
        lang = self.reader.core_lang
        return (row.title, display.value_text("grid_event", "category", row.category, lang),
                display.state_name("grid_event", row.status, lang), fmt_datetime(row.occurred_at), row.place)[column]

    def sort_key(self, row: EventRow, column: int) -> Any:
        return row.occurred_at if column == self.OCCURRED else super().sort_key(row, column)
