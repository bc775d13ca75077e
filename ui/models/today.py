"""The Today screen's lists: elder visits due, assistance reviews due, open grid events."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session as DbSession

from caseapp.services import display, schedule
from caseapp.services.lists import head_names
from caseapp.services.schedule import DueVisit
from ui.format import fmt_date, fmt_datetime
from ui.models.listed import ListTableModel

VISIT_HORIZON_DAYS = 7
REVIEW_HORIZON_DAYS = 30


class VisitsDueModel(ListTableModel[DueVisit]):
    NAME, ADDRESS, RISK, LAST, DUE, OVERDUE = range(6)
    horizon_days = VISIT_HORIZON_DAYS
    #: org units the list keeps to (None: everything on this device)
    scope: tuple[str, ...] | None = None
    #: only the visits already overdue
    overdue_only = False

    def headers(self) -> list[str]:
        lang = self.reader.core_lang
        return [self.tr("Elder"), display.field_name("household", "address", lang),
                display.field_name("elder_profile", "risk_tier", lang), self.tr("Last visit"),
                self.tr("Due"), self.tr("Days overdue")]

    def load(self, db: DbSession) -> list[DueVisit]:
        due = schedule.visits_due(db, dt.date.today(), horizon_days=self.horizon_days, scope=self.scope)
        return [d for d in due if d.overdue_days > 0] if self.overdue_only else due

    def display(self, row: DueVisit, column: int) -> Any:
        lang = self.reader.core_lang
        return (row.name, row.address, display.value_text("elder_profile", "risk_tier", row.risk_tier, lang),
                fmt_datetime(row.last_visit) if row.last_visit else self.tr("Never"),
                fmt_date(row.due), row.overdue_days or "")[column]

    def sort_key(self, row: DueVisit, column: int) -> Any:
        if column in (self.DUE, self.OVERDUE):
            return row.due
        return super().sort_key(row, column)

    def warn(self, row: DueVisit) -> bool:
        return row.overdue_days > 0


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
