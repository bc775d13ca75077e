"""Export an Excel ledger (台账) from the households page: which ledger, which assistance category,
the password the file will ask for (or none, for a notice to be posted), and where to save it.

The workbook is built, sealed and written on the writer (it also notes the export in the audit
trail), so the GUI thread never waits for it.
"""

from __future__ import annotations

from pathlib import Path

from caseapp import refdata
from caseapp.errors import CaseAppError
from caseapp.fileio import atomic_write_bytes
from caseapp.services import access, ledgers, xlsx
from caseapp.store.workspace import Workspace
from ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.session import Session
from ui.widgets.field_error import FieldError
from ui.widgets.password_pair import PasswordPair


class LedgerDialog(QDialog):
    exported = Signal(str, int)  # the file written, and the number of rows in it

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("ledger_dialog")
        self.setWindowTitle(self.tr("Export a ledger"))
        self.kind = QComboBox(self)
        self.kind.addItem(self.tr("Assistance ledger (cases in payment)"), "assistance")
        self.kind.addItem(self.tr("Public notice list (cases under notice)"), "notice")
        self.category = QComboBox(self)
        self.category.addItem(self.tr("All categories"), None)
        lang = session.core_lang
        for code in refdata.dictionary("assistance_category"):
            self.category.addItem(refdata.label("assistance_category", code, lang), code)
        self.secret = PasswordPair(self.tr("No password (only for a notice to be posted)"), self)
        self.error = FieldError(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.save = buttons.addButton(self.tr("Save as…"), QDialogButtonBox.ButtonRole.AcceptRole)
        form = QFormLayout()
        form.addRow(self.tr("Ledger"), self.kind)
        form.addRow(self.tr("Category"), self.category)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
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
        name = f"{self.kind.currentText().split('（')[0].split(' (')[0]}.xlsx"
        path, _filter = QFileDialog.getSaveFileName(self, self.tr("Save the ledger"), name, "Excel (*.xlsx)")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Build, seal and write the ledger to ``path`` in the background."""
        try:
            password = self.secret.value()
        except CaseAppError as error:
            self.error.show_error(self.session.message(error))
            return
        kind, category = str(self.kind.currentData()), self.category.currentData()
        self.error.clear_error()
        self.save.setEnabled(False)

        def write(ws: Workspace) -> int:
            with ws.read() as session:
                ledger = ledgers.LEDGERS[kind](session, category=category, compiled_by=ws.actor)
            data = xlsx.workbook_bytes(ledger)
            if password is not None:
                data = xlsx.seal_workbook(data, password)
            atomic_write_bytes(path, data)
            access.note(ws, access.EXPORT, "ledger", "", {"ledger": kind, "rows": len(ledger.rows),
                                                           "file": path.name, "sealed": password is not None})
            return len(ledger.rows)

        self.session.with_workspace(write, lambda rows: self._done(path, rows), self._failed)

    def _done(self, path: Path, rows: int) -> None:
        self.save.setEnabled(True)
        self.secret.clear()
        self.exported.emit(str(path), rows)
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.save.setEnabled(True)
        self.error.show_error(self.session.message(error))
