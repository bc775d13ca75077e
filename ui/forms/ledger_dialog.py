"""Export an Excel ledger (台账) from the households page: which ledger, which assistance category,
the password the file will ask for (or none, for a notice to be posted), and where to save it.

The workbook is built, sealed and written on the writer (it also notes the export in the audit
trail), so the GUI thread never waits for it.
"""

from __future__ import annotations

from pathlib import Path

from caseapp import refdata
from caseapp.services import xlsx
from caseapp.store.workspace import Workspace
from ui.forms.export_dialog import ExportDialog
from ui.forms.print_dialog import PrintDialog, ledger_job, open_print
from ui.qt import QComboBox, QDialogButtonBox, QWidget, Signal
from ui.session import Session


class LedgerDialog(ExportDialog):
    exported = Signal(str, int)  # the file written, and the number of rows in it

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, self.tr("No password (only for a notice to be posted)"), parent)
        self.setObjectName("ledger_dialog")
        self.setWindowTitle(self.tr("Export a ledger"))
        self.kind = QComboBox(self)
        self.kind.addItem(self.tr("Assistance ledger (cases in payment)"), "assistance")
        self.kind.addItem(self.tr("Public notice list (cases under notice)"), "notice")
        self.category = QComboBox(self)
        self.category.addItem(self.tr("All categories"), None)
        for code in refdata.dictionary("assistance_category"):
            self.category.addItem(refdata.label("assistance_category", code, session.core_lang), code)
        self.fields.addRow(self.tr("Ledger"), self.kind)
        self.fields.addRow(self.tr("Category"), self.category)
        self.print_button = self.buttons.addButton(self.tr("Print…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.setObjectName("print_ledger")
        self.print_button.clicked.connect(self.print_ledger)
        self.print_dialog: PrintDialog | None = None

    def print_ledger(self) -> PrintDialog:
        """Preview and print the chosen ledger as a list, or save it as a password-protected PDF."""
        actor = self.session.ws.actor if self.session.ws is not None else ""
        job = ledger_job(str(self.kind.currentData()), category=self.category.currentData(), compiled_by=actor)
        self.print_dialog = open_print(self.session, job, self)
        return self.print_dialog

    def suggested_name(self) -> str:
        return f"{self.kind.currentText().split('（')[0].split(' (')[0]}.xlsx"

    def file_filter(self) -> str:
        return "Excel (*.xlsx)"

    def start(self, path: Path, password: str | None) -> None:
        kind, category = str(self.kind.currentData()), self.category.currentData()

        def write(ws: Workspace) -> int:
            return len(xlsx.save_ledger(ws, kind, path, password=password, category=category).rows)

        def done(rows: int) -> None:
            self.finished_ok()
            self.exported.emit(str(path), rows)

        self.session.with_workspace(write, done, self.failed)
