"""Save a household's registration sheet (家庭基本情况登记表) as a PDF to print and have signed.

The sheet holds every member's ID number, so the PDF gets a password by default (any PDF viewer
asks for it); it is rendered in memory, sealed and written on the writer, and noted in the audit
trail. The caseworker prints it from the PDF viewer.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session as DbSession

from caseapp.fileio import atomic_write_bytes
from caseapp.services import access, forms
from caseapp.store.workspace import Workspace
from ui import printing
from ui.forms.export_dialog import ExportDialog
from ui.qt import QWidget, Signal
from ui.session import Session


def suggested_name(household_id: str, day: dt.date) -> str:
    """登记表-<first 8 characters of the record id>-<date>.pdf: tells sheets apart, names nobody."""
    return f"登记表-{household_id.replace('-', '')[:8]}-{day.isoformat()}.pdf"


class SheetDialog(ExportDialog):
    saved = Signal(str)  # the file written

    def __init__(self, session: Session, household_id: str, head_name: str, parent: QWidget | None = None) -> None:
        super().__init__(session, self.tr("No password"), parent)
        self.household_id = household_id
        self.head_name = head_name
        self.setObjectName("sheet_dialog")
        self.setWindowTitle(self.tr("Registration sheet as PDF"))

    def suggested_name(self) -> str:
        # No personal data in a file name: names show in folder listings, recent-file lists, mail
        # attachments and backups, where the PDF's password does not reach.
        return suggested_name(self.household_id, dt.date.today())

    def file_filter(self) -> str:
        return "PDF (*.pdf)"

    def start(self, path: Path, password: str | None) -> None:
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

            self.session.with_workspace(write, lambda _none: done(), self.failed)

        def done() -> None:
            self.finished_ok()
            self.saved.emit(str(path))

        self.session.read(sheet, rendered, self.failed)
