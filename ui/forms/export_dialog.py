"""The common part of dialogs that write personal data out of the workspace (a ledger, a printed
sheet): the password the file will ask for, checked before anything is built; where to save it;
the work done in the background; the error shown in place if it fails."""

from __future__ import annotations

from pathlib import Path

from caseapp.errors import CaseAppError
from ui.qt import QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QVBoxLayout, QWidget
from ui.session import Session
from ui.widgets.field_error import FieldError
from ui.widgets.password_pair import PasswordPair


class ExportDialog(QDialog):
    def __init__(self, session: Session, plain_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.fields = QFormLayout()  # what a subclass asks for besides the password
        self.secret = PasswordPair(plain_text, self)
        self.error = FieldError(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.save = self.buttons.addButton(self.tr("Save as…"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.column = QVBoxLayout(self)
        self.column.addLayout(self.fields)
        self.column.addWidget(self.secret)
        self.column.addWidget(self.error)
        self.column.addWidget(self.buttons)
        self.save.clicked.connect(self._choose_file)
        self.buttons.rejected.connect(self.reject)

    # -- for subclasses -----------------------------------------------------------------------
    def suggested_name(self) -> str:
        raise NotImplementedError

    def file_filter(self) -> str:
        raise NotImplementedError

    def start(self, path: Path, password: str | None) -> None:
        """Build and write the file in the background; call ``finished_ok`` or ``failed``."""
        raise NotImplementedError

    # -- the flow ---------------------------------------------------------------------------------
    def _choose_file(self) -> None:
        try:
            self.secret.value()
        except CaseAppError as error:
            self.error.show_error(self.session.message(error))
            return
        path, _filter = QFileDialog.getSaveFileName(self, self.windowTitle(), self.suggested_name(),
                                                    self.file_filter())
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
        self.start(path, password)

    def finished_ok(self) -> None:
        self.save.setEnabled(True)
        self.secret.clear()
        self.accept()

    def failed(self, error: Exception) -> None:
        self.save.setEnabled(True)
        self.error.show_error(self.session.message(error))
