"""Work queue (待办): the assistance cases waiting for this user's sign-off, oldest first; the
cases returned to them for more and why, until they act on it; and, for a supervisor, the tasks
they assigned and a way to assign another. Opening a case goes to it with the step ready to sign."""

from __future__ import annotations

from sqlalchemy.orm import Session as DbSession

from caseapp.domain import Task
from caseapp.services import records, tasks
from caseapp.services.workflows import ASSISTANCE
from ui.forms.assign_task import AssignTaskDialog, ReassignTaskDialog
from ui.models.queue import ReturnedModel, TasksModel, WaitingModel
from ui.pages.base import Page
from ui.qt import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget, Signal
from ui.session import Session
from ui.widgets.field_error import FieldError
from ui.widgets.table import RecordTable


class QueuePage(Page):
    watches = frozenset({"assistance_case", "case_step", "household", "task", "elder_profile", "grid_event"})
    #: household id, case id, and the move to have ready (empty: none)
    open_case = Signal(str, str, str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.waiting = WaitingModel(session, self)
        self.returned = ReturnedModel(session, lambda: session.actor, self)
        self.assigned = TasksModel(session, lambda: session.actor, mine=False, parent=self)
        self.waiting_table = self._table(self.waiting, "queue_waiting")
        self.returned_table = self._table(self.returned, "queue_returned")
        self.assigned_table = self._table(self.assigned, "queue_assigned")
        self.waiting_box = self._box(self.tr("Waiting for my sign-off"), self.waiting_table)
        self.returned_box = self._box(self.tr("Returned to me for more"), self.returned_table)
        self.assign_button = QPushButton(self.tr("Assign a task…"), self)
        self.assign_button.setObjectName("assign_task")
        self.reassign_button = QPushButton(self.tr("Reassign…"), self)
        self.reassign_button.setObjectName("reassign_task")
        self.reassign_button.setEnabled(False)
        self.cancel_button = QPushButton(self.tr("Cancel the task"), self)
        self.cancel_button.setObjectName("cancel_task")
        self.cancel_button.setEnabled(False)
        self.task_error = FieldError(self)
        self.assigned_box = self._box(self.tr("Tasks I assigned"), self.assigned_table, self.assign_button,
                                      self.reassign_button, self.cancel_button, self.task_error)
        self.empty = QLabel(self.tr("Nothing waits for you."), self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        for box in (self.waiting_box, self.returned_box, self.assigned_box):
            layout.addWidget(box, 1)
        self.dialog: AssignTaskDialog | None = None
        self.reassign_dialog: ReassignTaskDialog | None = None

        self.waiting_table.opened.connect(self._open_waiting)
        self.returned_table.opened.connect(self._open_returned)
        self.assign_button.clicked.connect(self.assign)
        self.reassign_button.clicked.connect(self.reassign)
        self.cancel_button.clicked.connect(self.cancel_task)
        self.assigned_table.selectionModel().currentRowChanged.connect(lambda *_: self._enable_task_buttons())
        self.assigned.loaded.connect(self._enable_task_buttons)
        for model in (self.waiting, self.returned):
            model.loaded.connect(self._show_counts)

    def _table(self, model: WaitingModel | ReturnedModel | TasksModel, name: str) -> RecordTable:
        table = RecordTable(self, sortable=True)
        table.setObjectName(name)
        table.setModel(model)
        return table

    def _box(self, title: str, table: RecordTable, *above: QWidget) -> QGroupBox:
        box = QGroupBox(title, self)
        column = QVBoxLayout(box)
        if above:
            row = QHBoxLayout()
            for widget in above:
                row.addWidget(widget)
            row.addStretch(1)
            column.addLayout(row)
        column.addWidget(table)
        return box

    def focus_target(self) -> QWidget | None:
        # what waits for this user's sign-off first, then what was returned to them
        shown = [t for t in (self.waiting_table, self.returned_table) if t.isVisible()]
        return next((t for t in shown if t.model().rowCount()), shown[0] if shown else None)

    def title(self) -> str:
        return self.tr("Work queue")

    def refresh(self) -> None:
        role = self.session.role
        self.waiting.role = role
        # a caseworker signs nothing another prepared; an assigner follows up the tasks they gave
        self.waiting_box.setVisible(role != "caseworker")
        self.assigned_box.setVisible(tasks.may_assign(role) is None)
        for model in (self.waiting, self.returned, self.assigned):
            model.reset()

    def _show_counts(self) -> None:
        self.waiting_box.setTitle(self.tr("Waiting for my sign-off (%1)").replace("%1", str(len(self.waiting.rows))))
        self.returned_box.setTitle(self.tr("Returned to me for more (%1)").replace("%1", str(len(self.returned.rows))))
        self.empty.setVisible(not self.waiting.rows and not self.returned.rows)

    def _open_waiting(self, row: int) -> None:
        found = self.waiting.row_at(row)
        self.open_case.emit(found.household_id, found.case_id, found.target)

    def _open_returned(self, row: int) -> None:
        found = self.returned.row_at(row)
        # once the case is complete again, the caseworker submits it again
        again = next((t for t in ASSISTANCE.moves.get(found.status, ()) if ASSISTANCE.step(found.status, t).action
                      == "submit"), "")
        self.open_case.emit(found.household_id, found.case_id, again)

    def assign(self) -> AssignTaskDialog:
        self.dialog = AssignTaskDialog(self.session, self)
        self.dialog.open()
        return self.dialog

    def _enable_task_buttons(self) -> None:
        """Reassigning and cancelling are for a task still open."""
        found = self._assigned_row()
        open_task = found is not None and found.status == tasks.OPEN
        self.reassign_button.setEnabled(open_task)
        self.cancel_button.setEnabled(open_task)

    def reassign(self) -> ReassignTaskDialog | None:
        """Give the selected open task to another worker (改派)."""
        found = self._assigned_row()
        if found is None or found.status != tasks.OPEN:
            return None
        self.task_error.clear_error()
        self.reassign_dialog = ReassignTaskDialog(self.session, found, self)
        self.reassign_dialog.open()
        return self.reassign_dialog

    def _assigned_row(self) -> tasks.TaskRow | None:
        row = self.assigned_table.current_row()
        return self.assigned.row_at(row) if 0 <= row < len(self.assigned.rows) else None

    def cancel_task(self) -> None:
        """A supervisor withdraws a task they assigned (it leaves the worker's Today at their next sync)."""
        found = self._assigned_row()
        if found is None:
            return
        user, role, task_id = self.session.actor, self.session.role, found.id

        def job(db: DbSession) -> None:
            tasks.cancel(db, records.get(db, Task, task_id), user=user, role=role)

        self.task_error.clear_error()
        self.session.write(job, None, lambda e: self.task_error.show_error(self.session.message(e)))

    def clear(self) -> None:
        super().clear()
        for model in (self.waiting, self.returned, self.assigned):
            model.clear()
