"""Save a household's registration sheet (家庭基本情况登记表) as a PDF to print and have signed.

The sheet holds every member's ID number, so the PDF gets a password by default (any PDF viewer
asks for it); it is rendered in memory, sealed and written on the writer, and noted in the audit
trail. The caseworker prints it from the PDF viewer.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session as DbSession

from caseapp.errors import CaseAppError
from caseapp.fileio import atomic_write_bytes
from caseapp.services import access, forms
from caseapp.store.workspace import Workspace
from ui import printing
from ui.qt import QDialog, QDialogButtonBox, QFileDialog, QVBoxLayout, QWidget, Signal
from ui.session import Session
from ui.widgets.field_error import FieldError
from ui.widgets.password_pair import PasswordPair


class SheetDialog(QDialog):
    saved = Signal(str)  # the file written

    def __init__(self, session: Session, household_id: str, head_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.household_id = household_id
        self.head_name = head_name
        self.setObjectName("sheet_dialog")
        self.setWindowTitle(self.tr("Registration sheet as PDF"))
        self.secret = PasswordPair(self.tr("No password"), self)
        self.error = FieldError(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.save = buttons.addButton(self.tr("Save as…"), QDialogButtonBox.ButtonRole.AcceptRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.secret)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.save.clicked.connect(self._choose_file)
        buttons.rejected.connect(self.reject)

    def _choose_file(self) -> None:
        try:
            self.secret.value()
        except CaseAppError as error:
            self.error.show_error(self.session.message(error))
            return
        name = f"家庭基本情况登记表-{self.head_name}.pdf"
        path, _filter = QFileDialog.getSaveFileName(self, self.tr("Save the registration sheet"), name, "PDF (*.pdf)")
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        try:
            password = self.secret.value()
        except CaseAppError as error:
            self.error.show_error(self.session.message(error))
            return
        self.error.clear_error()
        self.save.setEnabled(False)
        household_id = self.household_id

        def sheet(db: DbSession) -> str:
            return forms.household_sheet(db, household_id)

        def rendered(html: str) -> None:
            # Qt renders on the GUI thread (a page or two: a fraction of a second); sealing and
            # writing go to the writer.
            data, _pages = printing.pdf_bytes(html, "家庭基本情况登记表")

            def write(ws: Workspace) -> None:
                atomic_write_bytes(path, forms.seal_pdf(data, password) if password is not None else data)
                access.note(ws, access.EXPORT, "household", household_id,
                            {"printed": "household_sheet", "file": path.name, "sealed": password is not None})

            self.session.with_workspace(write, lambda _none: self._done(path), self._failed)

        self.session.read(sheet, rendered, self._failed)

    def _done(self, path: Path) -> None:
        self.save.setEnabled(True)
        self.secret.clear()
        self.saved.emit(str(path))
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.save.setEnabled(True)
        self.error.show_error(self.session.message(error))
