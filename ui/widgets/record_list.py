"""A filtered list of one record type (grid events, referrals, patrol logs, disaster reports) with
what can be done to the selected record: add, edit, print its form, and its workflow moves."""

from __future__ import annotations

from sqlalchemy.orm import Session as DbSession

from caseapp.domain.codec import entity_class
from caseapp.services import forms, records
from ui.forms.dialog import RecordDialog
from ui.forms.print_dialog import PrintDialog, form_job, open_print
from ui.household.bundle import Row, as_row
from ui.models.filtered import ShownRow
from ui.qt import QPushButton, QVBoxLayout, QWidget, Signal
from ui.session import Session
from ui.widgets.field_error import FieldError
from ui.widgets.list_panel import ListPanel
from ui.widgets.workflow_bar import WorkflowBar


class RecordList(QWidget):
    add_requested = Signal()
    #: the selected record's values (as_row), to edit
    edit_requested = Signal(object)

    def __init__(self, session: Session, name: str, *, add_text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.panel = ListPanel(session, name, self)
        self.entity = self.panel.model.spec.entity
        cls = entity_class(self.entity)
        #: the selected record, read whole (what the workflow and the edit form need)
        self.row: Row | None = None
        self.add = QPushButton(add_text, self)
        self.add.setObjectName(f"add_{self.entity}")
        self.add.setVisible(bool(add_text))
        # A fact (a patrol log, a visit) is opened to be read; everything else to be edited.
        self.edit = QPushButton(self.tr("View") if cls.insert_only else self.tr("Edit"), self)
        self.edit.setObjectName(f"edit_{self.entity}")
        self.edit.setEnabled(False)
        self.viewer: RecordDialog | None = None
        self.printable = forms.forms_for(self.entity)[:1]
        self.print_form = QPushButton(self.tr("Print form…"), self)
        self.print_form.setObjectName(f"print_form_{self.entity}")
        self.print_form.setToolTip(self.printable[0].title if self.printable else "")
        self.print_form.setVisible(bool(self.printable))
        self.print_form.setEnabled(False)
        for n, button in enumerate((self.add, self.edit, self.print_form)):
            self.panel.buttons.insertWidget(n, button)
        self.workflow = WorkflowBar(session.core_lang, self)
        self.error = FieldError(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.panel, 1)
        layout.addWidget(self.workflow)
        layout.addWidget(self.error)
        self.print_dialog: PrintDialog | None = None
        self._wanted: str | None = None

        self.add.clicked.connect(self.add_requested)
        self.edit.clicked.connect(self._edit)
        self.print_form.clicked.connect(self.print_current)
        self.panel.opened.connect(lambda _id: self._edit())
        self.panel.selected.connect(self._selected)
        self.panel.model.loaded.connect(self._reselect)
        self.workflow.chosen.connect(self._move)

    @property
    def model(self) -> object:
        return self.panel.model

    def refresh(self) -> None:
        current = self.panel.current()
        if current is not None and self._wanted is None:
            self._wanted = current.id
        self.panel.refresh()

    def clear(self) -> None:
        self.panel.clear()
        self.row = None
        self.workflow.set_record(self.entity, None)

    def select(self, record_id: str) -> None:
        """Select this record once the list has loaded (it may still be loading)."""
        self._wanted = record_id
        self._reselect()

    def _reselect(self) -> None:
        if self._wanted is None:
            return
        for n, row in enumerate(self.panel.model.rows):
            if row.id == self._wanted:
                self.panel.table.selectRow(n)
                self._wanted = None
                return

    def _selected(self, shown: ShownRow | None) -> None:
        self.error.clear_error()
        self.row = None
        self.edit.setEnabled(False)
        self.print_form.setEnabled(shown is not None)
        self.workflow.set_record(self.entity, None)
        if shown is None or not self.session.is_open:
            return
        cls, record_id, reach = entity_class(self.entity), shown.id, self.session.reach

        def read(db: DbSession) -> Row:
            return as_row(records.get(db, cls, record_id), reach=reach)

        def done(row: Row) -> None:
            current = self.panel.current()
            if current is not None and current.id == row["id"]:
                self.row = row
                self.edit.setEnabled(True)
                self.workflow.set_record(self.entity, row)

        self.session.read(read, done, lambda error: self.error.show_error(self.session.message(error)))

    def _edit(self) -> None:
        if self.row is None:
            return
        if entity_class(self.entity).insert_only:
            self.viewer = RecordDialog(self.session, self.entity, record_id=self.row["id"], values=self.row,
                                       read_only=True, parent=self)
            self.viewer.open()
            return
        self.edit_requested.emit(self.row)

    def print_current(self) -> PrintDialog | None:
        current = self.panel.current()
        if current is None or not self.printable:
            return None
        self.print_dialog = open_print(self.session, form_job(self.printable[0].name, [current.id]), self)
        return self.print_dialog

    def _move(self, target: str) -> None:
        """Ask the core to move the selected record; it re-checks the state machine."""
        row = self.row
        if row is None:
            return
        cls, record_id = entity_class(self.entity), row["id"]
        self._wanted = record_id

        def job(db: DbSession) -> None:
            records.transition(db, records.get(db, cls, record_id), target)

        self.error.clear_error()
        self.session.write(job, None, lambda error: self.error.show_error(self.session.message(error)))

