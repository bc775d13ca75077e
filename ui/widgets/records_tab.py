"""A table of one record type, with add, edit and workflow moves."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session as DbSession

from caseapp.domain.codec import entity_class
from caseapp.services import display, forms, records
from ui.forms.print_dialog import PrintDialog, form_job, open_print
from ui.forms.sign_off import SignOffDialog
from ui.models.records import RecordsModel, Row
from ui.qt import QHBoxLayout, QPushButton, QVBoxLayout, QWidget, Signal
from ui.session import Session
from ui.widgets.field_error import FieldError
from ui.widgets.table import RecordTable
from ui.widgets.workflow_bar import WorkflowBar


class RecordsTab(QWidget):
    add_requested = Signal()
    edit_requested = Signal(object)
    selected = Signal(object)

    def __init__(self, session: Session, entity: str, fields: list[str], *, add_text: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.entity = entity
        #: for a list of child records (a member's income): the parent row they belong to
        self.parent_row: Row | None = None
        cls = entity_class(entity)
        self.model = RecordsModel(session, entity, fields, parent=self)
        self.table = RecordTable(self, sortable=True)
        self.table.setObjectName(f"table_{entity}")
        self.table.setModel(self.model)
        self.buttons = QHBoxLayout()
        self.add = QPushButton(add_text, self)
        self.add.setObjectName(f"add_{entity}")
        self.add.setVisible(bool(add_text))
        self.edit = QPushButton(self.tr("Edit"), self)
        self.edit.setObjectName(f"edit_{entity}")
        # Facts (visits, notes) are never edited: a correction is a new record.
        self.edit.setVisible(not cls.insert_only)
        self.edit.setEnabled(False)
        # The form the selected record prints as (入户调查表, 审批表, 探访记录表, 转介单, 灾情报告).
        self.printable = forms.forms_for(entity)[:1]
        self.print_button = QPushButton(self.tr("Print…"), self)
        self.print_button.setObjectName(f"print_{entity}")
        # the official form's own name: forms are filed in Chinese whatever the UI language
        self.print_button.setToolTip(self.printable[0].title if self.printable else "")
        self.print_button.setVisible(bool(self.printable))
        self.print_button.setEnabled(False)
        self.print_dialog: PrintDialog | None = None
        self.sign_off: SignOffDialog | None = None
        self._reloading = False
        self.buttons.addWidget(self.add)
        self.buttons.addWidget(self.edit)
        self.buttons.addWidget(self.print_button)
        self.buttons.addStretch(1)
        self.workflow = WorkflowBar(session.core_lang, self)
        self.error = FieldError(self)
        layout = QVBoxLayout(self)
        layout.addLayout(self.buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.workflow)
        layout.addWidget(self.error)

        self.add.clicked.connect(self.add_requested)
        self.edit.clicked.connect(self._edit)
        self.print_button.clicked.connect(self.print_current)
        self.table.opened.connect(lambda _row: self._edit())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selection_changed())
        self.workflow.chosen.connect(self._move)
        self.model.loaded.connect(self._selection_changed)

    def set_rows(self, rows: list[Row]) -> None:
        """Show ``rows``, keeping the same record selected across a reload."""
        self.error.clear_error()
        current = self.current()
        # One change of selection when it is over, not "nothing selected" in between: that would
        # hide the workflow's buttons and throw the keyboard focus off the step it was on.
        self._reloading = True
        try:
            self.model.set_rows(rows)
            if current is not None:
                for n, row in enumerate(rows):
                    if row["id"] == current["id"]:
                        self.table.selectRow(n)
                        break
        finally:
            self._reloading = False
        self._selection_changed()

    def current(self) -> Row | None:
        row = self.table.current_row()
        return self.model.row_at(row) if 0 <= row < len(self.model.rows) else None

    def _selection_changed(self) -> None:
        if self._reloading:
            return
        row = self.current()
        self.edit.setEnabled(row is not None)
        self.print_button.setEnabled(row is not None)
        self.workflow.set_record(self.entity, row)
        self.selected.emit(row)

    def _edit(self) -> None:
        row = self.current()
        if row is not None and not entity_class(self.entity).insert_only:
            self.edit_requested.emit(row)

    def print_current(self) -> PrintDialog | None:
        """Preview and print the selected record's form."""
        row = self.current()
        if row is None or not self.printable:
            return None
        self.print_dialog = open_print(self.session, form_job(self.printable[0].name, [row["id"]]), self)
        return self.print_dialog

    def _move(self, target: str) -> SignOffDialog | None:
        """Take a step on the selected record: an assistance case's steps are signed first (who,
        in which role, with what opinion); the core re-checks the state machine, the role and the
        evidence, and refuses anything not allowed, whatever this screen believed."""
        row = self.current()
        if row is None:
            return None
        option: dict[str, Any] = next((o for o in row.get("_options", []) if o["target"] == target), {})
        if self.entity != "assistance_case":
            self._take(row["id"], target, "", None)
            return None
        lang = self.session.core_lang
        action = display.code_name("case_action", option.get("action") or "", lang) or \
            display.state_name(self.entity, target, lang)
        self.sign_off = SignOffDialog(lang, action=action, record_text=display.record_summary(self.entity, row, lang),
                                      actor=self.session.actor, role=self.session.role, asks=option.get("asks"),
                                      parent=self)
        record_id, asks = row["id"], option.get("asks")
        self.sign_off.signed.connect(lambda opinion: self._take(record_id, target, opinion, asks))
        self.sign_off.open()
        return self.sign_off

    def _take(self, record_id: str, target: str, opinion: str, asks: str | None) -> None:
        cls, role = entity_class(self.entity), self.session.role
        fields: dict[str, Any] = {asks: opinion} if asks else {}
        # the step is dated when it was signed, not when the writer reaches it behind a sync's pages
        signed_at = dt.datetime.now(dt.UTC)

        def job(db: DbSession) -> None:
            records.transition(db, records.get(db, cls, record_id), target, note=opinion, role=role, at=signed_at,
                               **fields)

        self.error.clear_error()
        self.session.write(job, None, lambda error: self.show_error(self.session.message(error)))

    def show_error(self, text: str) -> None:
        self.error.show_error(text)

    def select_first(self) -> None:
        if self.model.rows:
            self.table.selectRow(0)
