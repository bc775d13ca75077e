"""Assigning a task (交办任务): what to do (visit an elder, investigate a household, handle a grid
event), which record, to whom (the users this device knows of, or any name typed), by when, and
instructions. The core checks the role and the record; the server checks that the worker named can
receive it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session as DbSession

from caseapp.domain import Task
from caseapp.services import display, records, tasks
from ui.forms.editors import dictionary_items
from ui.qt import (
    QComboBox,
    QDate,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.session import Session
from ui.widgets.field_error import FieldError
from ui.widgets.marks import mark_data


def assignee_box(parent: QWidget) -> QComboBox:
    """Whom a task is for: the user names this device knows of, or any name typed."""
    box = QComboBox(parent)
    box.setObjectName("task_assignee")
    box.setEditable(True)
    mark_data(box)  # user names
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    return box


def due_box(day: dt.date, parent: QWidget) -> QDateEdit:
    box = QDateEdit(QDate(day.year, day.month, day.day), parent)
    box.setObjectName("task_due")
    box.setCalendarPopup(True)
    box.setDisplayFormat("yyyy-MM-dd")
    return box


def offer_users(session: Session, box: QComboBox, leave_out: set[str]) -> None:
    """Fill ``box`` with the user names this device knows of, but ``leave_out``, keeping what was typed."""

    def users(db: DbSession) -> list[str]:
        return [u for u in tasks.known_users(db) if u not in leave_out]

    def show(names: list[str]) -> None:
        typed = box.currentText()
        box.clear()
        box.addItems(names)
        box.setEditText(typed)

    session.read(users, show)


class AssignTaskDialog(QDialog):
    #: the new task's id
    assigned = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        lang = session.core_lang
        label = display.field_name
        self.setObjectName("assign_task")
        self.setWindowTitle(self.tr("Assign a task"))
        self.kind = QComboBox(self)
        self.kind.setObjectName("task_kind")
        for code, text in dictionary_items("task_kind", lang):
            self.kind.addItem(text, code)
        self.search_box = QLineEdit(self)
        self.search_box.setObjectName("task_find")
        self.search_box.setPlaceholderText(self.tr("Name, address or title"))
        self.target = QComboBox(self)
        self.target.setObjectName("task_target")
        mark_data(self.target)  # records' names
        self.assignee = assignee_box(self)
        line = self.assignee.lineEdit()
        if line is not None:
            line.setPlaceholderText(self.tr("User name"))
        # a week from today, by the app's one clock, as the form's checks read it
        self.due = due_box(dt.date.today() + dt.timedelta(days=7), self)
        self.note = QPlainTextEdit(self)
        self.note.setObjectName("task_note")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(80)
        form = QFormLayout()
        form.addRow(label("task", "kind", lang), self.kind)
        form.addRow(self.tr("Find"), self.search_box)
        form.addRow(label("task", "target_id", lang), self.target)
        form.addRow(label("task", "assignee", lang), self.assignee)
        form.addRow(label("task", "due_on", lang), self.due)
        form.addRow(label("task", "note", lang), self.note)
        self.error = FieldError(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Assign"))
        ok.setObjectName("assign")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.kind.currentIndexChanged.connect(lambda _i: self.search())
        self.search_box.textEdited.connect(lambda _t: self.search())
        # Enter in the search box moves on to the list it filled, not out of the dialog
        self.search_box.returnPressed.connect(self.target.setFocus)
        for changed in (self.target.currentIndexChanged, self.assignee.currentTextChanged):
            changed.connect(lambda *_: self.error.clear_error())
        self._load_users()
        self.search()
        self.kind.setFocus()

    def _load_users(self) -> None:
        offer_users(self.session, self.assignee, {self.session.actor})

    def search(self) -> None:
        kind, text = str(self.kind.currentData() or ""), self.search_box.text()

        def found(db: DbSession) -> list[tasks.Target]:
            # everything on this device: it holds only what this user's scope reaches
            return tasks.targets(db, kind, text)

        def show(targets: list[tasks.Target]) -> None:
            if (kind, text) != (self.kind.currentData(), self.search_box.text()):
                return  # a newer search is on its way
            self.target.clear()
            for target in targets:
                self.target.addItem(target.text, target.id)

        self.session.read(found, show)

    def values(self) -> dict[str, Any]:
        day = self.due.date()
        return {"kind": str(self.kind.currentData() or ""), "target_id": str(self.target.currentData() or ""),
                "assignee": self.assignee.currentText().strip(), "due_on": dt.date(day.year(), day.month(), day.day()),
                "note": self.note.toPlainText().strip()}

    def save(self) -> None:
        values = self.values()
        if not values["target_id"]:
            self.error.show_error(self.tr("Choose the record the task is about."))
            return
        if not values["assignee"]:
            self.error.show_error(self.tr("Enter the user name of the worker it is for."))
            return
        role = self.session.role

        def job(db: DbSession) -> str:
            return tasks.assign(db, role=role, **values).id

        def done(task_id: str) -> None:
            self.assigned.emit(task_id)
            self.accept()

        self.session.write(job, done, lambda e: self.error.show_error(self.session.message(e)))


class CompleteTaskDialog(QDialog):
    """The worker marks their task done, with a line on what was done."""

    #: what was done
    completed = Signal(str)

    def __init__(self, lang: str, task_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("complete_task")
        self.setWindowTitle(self.tr("Mark the task done"))
        self.note = QPlainTextEdit(self)
        self.note.setObjectName("done_note")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(80)
        form = QFormLayout()
        form.addRow(display.entity_name("task", lang), mark_data(QLineEdit(task_text, self, readOnly=True)))
        form.addRow(display.field_name("task", "done_note", lang), self.note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Mark done"))
        ok.setObjectName("mark_done")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._done)
        self.buttons.rejected.connect(self.reject)
        self.note.setFocus()

    def _done(self) -> None:
        self.completed.emit(self.note.toPlainText().strip())
        self.accept()


class ReassignTaskDialog(QDialog):
    """A supervisor gives an open task to another worker (改派), by a new due date if need be; the
    server refuses a worker whose scope does not reach the task's record."""

    #: the task's id
    reassigned = Signal(str)

    def __init__(self, session: Session, row: tasks.TaskRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.row = session, row
        lang = session.core_lang
        label = display.field_name
        self.setObjectName("reassign_task")
        self.setWindowTitle(self.tr("Reassign the task"))
        what = f"{display.code_name('task_kind', row.kind, lang)}：{row.target_text}"
        self.assignee = assignee_box(self)
        self.due = due_box(row.due_on, self)
        form = QFormLayout()
        form.addRow(display.entity_name("task", lang), mark_data(QLineEdit(what, self, readOnly=True)))
        form.addRow(self.tr("Now with"), mark_data(QLineEdit(row.assignee, self, readOnly=True)))
        form.addRow(label("task", "assignee", lang), self.assignee)
        form.addRow(label("task", "due_on", lang), self.due)
        self.error = FieldError(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Reassign"))
        ok.setObjectName("reassign")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.assignee.currentTextChanged.connect(lambda _t: self.error.clear_error())
        self._load_users()
        self.assignee.setFocus()

    def _load_users(self) -> None:
        offer_users(self.session, self.assignee, {self.session.actor, self.row.assignee})

    def save(self) -> None:
        assignee = self.assignee.currentText().strip()
        if not assignee:
            self.error.show_error(self.tr("Enter the user name of the worker it is for."))
            return
        if assignee == self.row.assignee:
            self.error.show_error(self.tr("The task is already with %1: name another worker.").replace("%1", assignee))
            return
        day = self.due.date()
        due = dt.date(day.year(), day.month(), day.day())
        user, role, task_id = self.session.actor, self.session.role, self.row.id

        def job(db: DbSession) -> str:
            task = records.get(db, Task, task_id)
            return tasks.reassign(db, task, assignee, user=user, role=role, due_on=due).id

        def done(task_id: str) -> None:
            self.reassigned.emit(task_id)
            self.accept()

        self.session.write(job, done, lambda e: self.error.show_error(self.session.message(e)))
