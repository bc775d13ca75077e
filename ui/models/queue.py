"""The work-queue lists: cases waiting for this user's sign-off, cases returned to them, and
assigned tasks (the worker's own, on Today; a supervisor's, on the queue page)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session as DbSession

from caseapp.services import display, queue, tasks
from caseapp.services.queue import Returned, Waiting
from caseapp.services.tasks import TaskRow
from ui.format import fmt_date, fmt_datetime
from ui.models.listed import ListTableModel
from ui.models.reader import Reader
from ui.qt import QObject


class WaitingModel(ListTableModel[Waiting]):
    HOUSEHOLD, CATEGORY, STEP, SUBMITTED_BY, SUBMITTED_AT = range(5)
    #: the role whose sign-offs are listed (None: a workspace holding every role)
    role: str | None = None

    def headers(self) -> list[str]:
        lang = self.reader.core_lang
        return [self.tr("Household"), display.field_name("assistance_case", "category", lang),
                self.tr("Step waiting"), self.tr("Submitted by"), self.tr("Submitted at")]

    def load(self, db: DbSession) -> list[Waiting]:
        return queue.waiting_for(db, self.role)

    def display(self, row: Waiting, column: int) -> Any:
        lang = self.reader.core_lang
        return (row.head_name, display.value_text("assistance_case", "category", row.category, lang),
                display.code_name("case_action", row.action, lang), row.submitted_by,
                fmt_datetime(row.submitted_at))[column]

    def sort_key(self, row: Waiting, column: int) -> Any:
        return row.submitted_at if column == self.SUBMITTED_AT else super().sort_key(row, column)


class ReturnedModel(ListTableModel[Returned]):
    HOUSEHOLD, CATEGORY, STEP, RETURNED_BY, RETURNED_AT, REASON = range(6)

    def __init__(self, reader: Reader, user: Any, parent: QObject | None = None) -> None:
        super().__init__(reader, parent)
        #: who the returns are for (called at each load: the user of the workspace open now)
        self.user = user

    def headers(self) -> list[str]:
        lang = self.reader.core_lang
        return [self.tr("Household"), display.field_name("assistance_case", "category", lang),
                display.field_name("case_step", "action", lang), self.tr("Returned by"),
                self.tr("Returned at"), self.tr("Reason")]

    def load(self, db: DbSession) -> list[Returned]:
        return queue.returned_to(db, str(self.user()))

    def display(self, row: Returned, column: int) -> Any:
        lang = self.reader.core_lang
        return (row.head_name, display.value_text("assistance_case", "category", row.category, lang),
                display.code_name("case_action", row.action, lang), row.returned_by,
                fmt_datetime(row.returned_at), row.reason)[column]

    def sort_key(self, row: Returned, column: int) -> Any:
        return row.returned_at if column == self.RETURNED_AT else super().sort_key(row, column)

    def warn(self, row: Returned) -> bool:
        return True


class TasksModel(ListTableModel[TaskRow]):
    """Open tasks: assigned to this user (``mine``), or assigned by them."""

    KIND, TARGET, DUE, WHEN, NOTE, WHO = range(6)
    #: days ahead the list keeps to (None: every open task); overdue ones always show
    horizon_days: int | None = None

    def __init__(self, reader: Reader, user: Any, *, mine: bool, parent: QObject | None = None) -> None:
        super().__init__(reader, parent)
        self.user, self.mine = user, mine

    def headers(self) -> list[str]:
        lang = self.reader.core_lang
        label = display.field_name
        return [label("task", "kind", lang), self.tr("For"), label("task", "due_on", lang), self.tr("Due"),
                label("task", "note", lang), self.tr("Assigned by") if self.mine else label("task", "assignee", lang)]

    def load(self, db: DbSession) -> list[TaskRow]:
        today = dt.date.today()
        if self.mine:
            return tasks.open_for(db, str(self.user()), today, self.horizon_days)
        return tasks.assigned_by(db, str(self.user()), today)

    def when(self, row: TaskRow) -> str:
        if row.overdue_days > 0:
            return self.tr("Overdue by %n day(s)", "", row.overdue_days)
        if row.overdue_days == 0:
            return self.tr("Due today")
        return self.tr("In %n day(s)", "", -row.overdue_days)

    def display(self, row: TaskRow, column: int) -> Any:
        lang = self.reader.core_lang
        return (display.value_text("task", "kind", row.kind, lang), row.target_text, fmt_date(row.due_on),
                self.when(row), row.note, row.assigned_by if self.mine else row.assignee)[column]

    def sort_key(self, row: TaskRow, column: int) -> Any:
        return row.due_on if column in (self.DUE, self.WHEN) else super().sort_key(row, column)

    def warn(self, row: TaskRow) -> bool:
        return row.overdue_days > 0
