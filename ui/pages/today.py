"""Today: what needs doing today or this week (visits due, reviews due, open grid events) in the
worker's own area unless they choose everything on the device, and what has not synced. Each card
opens the list it counts, filtered the same way."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session as DbSession

from caseapp.domain import Task
from caseapp.services import listing, records, schedule, tasks
from caseapp.services.status import workspace_status
from caseapp.services.tasks import TaskRow
from caseapp.store.workspace import Workspace
from ui.forms.assign_task import CompleteTaskDialog
from ui.models.queue import TasksModel
from ui.models.today import OpenEventsModel, ReviewsDueModel, VisitsDueModel
from ui.pages.base import Page
from ui.qt import (
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QKeyEvent,
    QLabel,
    QMouseEvent,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.session import Session
from ui.widgets.field_error import FieldError
from ui.widgets.marks import mark_data
from ui.widgets.table import RecordTable
from ui.widgets.text import heading


class Tile(QFrame):
    """A number and what it counts; clicked (or Enter, Space) opens the list behind it."""

    clicked = Signal()

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(self.tr("Open the list"))
        self.number = heading("–", self, size_delta=10)
        mark_data(self.number)
        self.caption = QLabel(caption, self)
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.number)
        layout.addWidget(self.caption)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit()
            return
        super().keyPressEvent(event)

    def set(self, value: int, warn: bool = False) -> None:
        self.number.setText(str(value))
        self.number.setStyleSheet("color: #b00020;" if warn and value else "")


class TodayPage(Page):
    watches = frozenset({"care_visit", "elder_profile", "assistance_case", "case_review", "grid_event",
                         "member", "household", "task"})
    #: the elder to visit (elder profile id)
    visit_elder = Signal(str)
    open_event = Signal(str)
    # a card asks for its list: the elder visits due (days ahead, scope, overdue only)
    open_visits_due = Signal(int, object, bool)
    # the assistance cases, filtered (a listing.ListFilter)
    open_cases = Signal(object)
    # the grid events, filtered (a listing.ListFilter)
    open_events = Signal(object)
    open_sync = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.visits = VisitsDueModel(session, self)
        self.reviews = ReviewsDueModel(session, self)
        self.events = OpenEventsModel(session, self)
        self.tasks = TasksModel(session, lambda: session.actor, mine=True, parent=self)

        self.date = heading("", self)
        mark_data(self.date)
        self.period = QComboBox(self)
        self.period.setObjectName("today_period")
        self.period.addItem(self.tr("Today", "period"), "today")
        self.period.addItem(self.tr("This week", "period"), "week")
        self.scope = QComboBox(self)
        self.scope.setObjectName("today_scope")
        self._fill_scope()
        choose = QHBoxLayout()
        choose.addWidget(self.date)
        choose.addStretch(1)
        choose.addWidget(self.period)
        choose.addWidget(self.scope)
        self.tile_visits = Tile(self.tr("Elder visits due"), self)
        self.tile_overdue = Tile(self.tr("Visits overdue"), self)
        self.tile_reviews = Tile(self.tr("Assistance reviews due"), self)
        self.tile_events = Tile(self.tr("Open grid events"), self)
        self.tile_pending = Tile(self.tr("Changes not yet synced"), self)
        self.tile_conflicts = Tile(self.tr("Conflicts to resolve"), self)
        self.tile_tasks = Tile(self.tr("Tasks assigned to me"), self)
        tiles = QHBoxLayout()
        for tile in (self.tile_tasks, self.tile_visits, self.tile_overdue, self.tile_reviews, self.tile_events,
                     self.tile_pending, self.tile_conflicts):
            tiles.addWidget(tile)

        self.visits_table = self._table(self.visits)
        self.visits_table.show_fixed_order(VisitsDueModel.DUE)
        self.reviews_table = self._table(self.reviews)
        self.events_table = self._table(self.events)
        self.tasks_table = self._table(self.tasks)
        self.tasks_table.setObjectName("today_tasks")
        self.done_button = QPushButton(self.tr("Mark done…"), self)
        self.done_button.setObjectName("task_done")
        self.done_button.setEnabled(False)
        self.task_error = FieldError(self)
        self.complete_dialog: CompleteTaskDialog | None = None
        self.tasks_box = self._box(self.tr("Tasks assigned to me"), self.tasks_table)
        done_row = QHBoxLayout()
        done_row.addWidget(self.done_button)
        done_row.addWidget(self.task_error)
        done_row.addStretch(1)
        box_layout = self.tasks_box.layout()
        if isinstance(box_layout, QVBoxLayout):
            box_layout.addLayout(done_row)
        grid = QGridLayout()
        grid.addWidget(self.tasks_box, 2, 0, 1, 2)
        # the visits due fill the page; the worker's tasks are a few lines
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        grid.setRowStretch(2, 1)
        grid.addWidget(self._box(self.tr("Elder visits due"), self.visits_table), 0, 0, 1, 2)
        grid.addWidget(self._box(self.tr("Assistance reviews due"), self.reviews_table), 1, 0)
        grid.addWidget(self._box(self.tr("Open grid events"), self.events_table), 1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(choose)
        layout.addLayout(tiles)
        layout.addLayout(grid, 1)

        self.visits.counted.connect(self._count_visits)
        self.reviews.loaded.connect(lambda: self.tile_reviews.set(len(self.reviews.rows)))
        self.events.loaded.connect(lambda: self.tile_events.set(len(self.events.rows)))
        self.tasks.loaded.connect(self._count_tasks)
        self.tasks_table.opened.connect(lambda row: self._open_task(self.tasks.row_at(row)))
        self.tasks_table.selectionModel().currentRowChanged.connect(
            lambda *_: self.done_button.setEnabled(self.current_task() is not None))
        self.done_button.clicked.connect(self.complete_task)
        self.tile_tasks.clicked.connect(self._focus_tasks)
        self.visits_table.opened.connect(lambda row: self.visit_elder.emit(self.visits.row_at(row).elder_id))
        self.reviews_table.opened.connect(
            lambda row: self.open_household.emit(self.reviews.row_at(row).household_id))
        self.events_table.opened.connect(lambda row: self.open_event.emit(self.events.row_at(row).id))
        session.changed.connect(lambda _e: self._load_status() if self.isVisible() else None)
        session.unlocked.connect(self._fill_scope)
        self.period.currentIndexChanged.connect(lambda _i: self.refresh() if session.is_open else None)
        self.scope.currentIndexChanged.connect(lambda _i: self.refresh() if session.is_open else None)
        self.tile_visits.clicked.connect(lambda: self.open_visits_due.emit(self.days_ahead(), self.area(), False))
        self.tile_overdue.clicked.connect(lambda: self.open_visits_due.emit(self.days_ahead(), self.area(), True))
        self.tile_reviews.clicked.connect(lambda: self.open_cases.emit(self.reviews_filter()))
        self.tile_events.clicked.connect(lambda: self.open_events.emit(self.events_filter()))
        self.tile_pending.clicked.connect(self.open_sync)
        self.tile_conflicts.clicked.connect(self.open_sync)

    # -- what the page shows --------------------------------------------------------------------
    def _fill_scope(self) -> None:
        """My area first (the default), or everything on this device."""
        self.scope.blockSignals(True)
        self.scope.clear()
        mine = self.session.org_code
        if mine:
            self.scope.addItem(self.tr("My area"), mine)
        self.scope.addItem(self.tr("Everything on this device"), "")
        self.scope.setCurrentIndex(0)
        self.scope.blockSignals(False)

    def area(self) -> tuple[str, ...] | None:
        code = self.scope.currentData()
        return (str(code),) if code else None

    def days_ahead(self) -> int:
        """Days from today to the end of the period chosen (Sunday, for this week)."""
        if self.period.currentData() == "week":
            return 6 - dt.date.today().weekday()
        return 0

    def reviews_filter(self) -> listing.ListFilter:
        period = "due_week" if self.period.currentData() == "week" else "due_today"
        return listing.ListFilter(scope=self.area(), choices={"status": schedule.REVIEWED_STATES}, period=period)

    def events_filter(self) -> listing.ListFilter:
        return listing.ListFilter(scope=self.area(), choices={"status": schedule.OPEN_EVENT_STATES})

    def _table(self, model: Any) -> RecordTable:
        table = RecordTable(self, sortable=True)
        table.setModel(model)
        return table

    def _box(self, title: str, table: RecordTable) -> QGroupBox:
        box = QGroupBox(title, self)
        QVBoxLayout(box).addWidget(table)
        return box

    def title(self) -> str:
        return self.tr("Today")

    def refresh(self) -> None:
        self.date.setText(dt.date.today().isoformat())
        area, days = self.area(), self.days_ahead()
        self.visits.scope = self.reviews.scope = self.events.scope = area
        # a task is news the day it is assigned, whatever its due date: every open one shows
        self.visits.horizon_days = self.reviews.horizon_days = days
        for model in (self.visits, self.reviews, self.events, self.tasks):
            model.reset()
        self._load_status()

    def _load_status(self) -> None:
        if not self.session.is_open:
            return

        def status(ws: Workspace) -> dict[str, Any]:
            return workspace_status(ws)

        self.session.with_workspace(status, self._show_status, lambda _e: None, writer=False)

    def _show_status(self, status: dict[str, Any]) -> None:
        self.tile_pending.set(int(status.get("pending", 0)))
        self.tile_conflicts.set(int(status.get("conflicts", 0)), warn=True)

    def _count_visits(self) -> None:
        # the whole list's counts (the table holds its first page): counted in SQL as it loads
        counts = self.visits.counts
        if counts is not None:
            self.tile_visits.set(counts.due)
            self.tile_overdue.set(counts.overdue, warn=True)

    def clear(self) -> None:
        super().clear()
        for model in (self.visits, self.reviews, self.events, self.tasks):
            model.clear()
        for tile in (self.tile_tasks, self.tile_visits, self.tile_overdue, self.tile_reviews, self.tile_events,
                     self.tile_pending, self.tile_conflicts):
            tile.number.setText("–")

    # -- tasks assigned to this worker ------------------------------------------------------------
    def _count_tasks(self) -> None:
        rows = self.tasks.rows
        self.tile_tasks.set(len(rows), warn=any(r.overdue_days > 0 for r in rows))
        self.done_button.setEnabled(self.current_task() is not None)

    def _focus_tasks(self) -> None:
        self.tasks_table.setFocus()
        if self.tasks.rows and self.current_task() is None:
            self.tasks_table.selectRow(0)

    def current_task(self) -> TaskRow | None:
        row = self.tasks_table.current_row()
        return self.tasks.row_at(row) if 0 <= row < len(self.tasks.rows) else None

    def _open_task(self, task: TaskRow) -> None:
        """Go to the work: the elder to visit, the household to investigate, the event to handle."""
        if task.kind == "visit":
            self.visit_elder.emit(task.target_id)
        elif task.kind == "event":
            self.open_event.emit(task.target_id)
        else:
            self.open_household.emit(task.target_id)

    def complete_task(self) -> CompleteTaskDialog | None:
        task = self.current_task()
        if task is None:
            return None
        self.complete_dialog = CompleteTaskDialog(self.session.core_lang, task.target_text, self)
        self.complete_dialog.completed.connect(lambda note: self._complete(task.id, note))
        self.complete_dialog.open()
        return self.complete_dialog

    def _complete(self, task_id: str, note: str) -> None:
        user, role = self.session.actor, self.session.role

        def job(db: DbSession) -> None:
            tasks.complete(db, records.get(db, Task, task_id), user=user, role=role, note=note)

        self.task_error.clear_error()
        self.session.write(job, None, lambda e: self.task_error.show_error(self.session.message(e)))
