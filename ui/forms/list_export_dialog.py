"""What I see, to Excel and to paper: the list on screen, with its filters and its order, as a
ledger workbook (sealed with a password unless the user says otherwise) or as a printed list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session as DbSession

from caseapp.services import list_export, listing
from caseapp.services.forms import Sheet
from caseapp.store.workspace import Workspace
from ui.forms.export_dialog import ExportDialog
from ui.forms.print_dialog import PrintDialog, PrintJob, open_print
from ui.qt import QLabel, QWidget, Signal
from ui.session import Session


def list_job(session: Session, name: str, flt: listing.ListFilter, *, today: dt.date | None = None) -> PrintJob:
    """The filtered list printed as one list (a ledger page, header repeated on every page)."""
    day = today or dt.date.today()
    actor = session.ws.actor if session.ws is not None else ""
    title = list_export.list_title(name)

    def load(db: DbSession) -> list[Sheet]:
        return [list_export.list_sheet(db, name, flt, compiled_by=actor, today=day)]

    return PrintJob(title, f"{title}-{day.isoformat()}.pdf", load, {"list": name, "filter": flt.to_dict()})


def print_list(session: Session, name: str, flt: listing.ListFilter, parent: QWidget | None = None) -> PrintDialog:
    return open_print(session, list_job(session, name, flt), parent)


class ListExportDialog(ExportDialog):
    exported = Signal(str, int)  # the file written, and the number of rows in it

    def __init__(self, session: Session, name: str, flt: listing.ListFilter, shown: int | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, self.tr("No password"), parent)
        self.setObjectName("list_export_dialog")
        self.setWindowTitle(self.tr("Export the list to Excel"))
        self.name = name
        self.filter = flt
        what = self.tr("%n row(s), with the filters and order on screen", "", shown) if shown is not None \
            else self.tr("The rows on screen, with their filters and order")
        self.what = QLabel(what, self)
        self.what.setWordWrap(True)
        self.fields.addRow(self.what)

    def suggested_name(self) -> str:
        return f"{list_export.list_title(self.name)}-{dt.date.today().isoformat()}.xlsx"

    def file_filter(self) -> str:
        return "Excel (*.xlsx)"

    def start(self, path: Path, password: str | None) -> None:
        name, flt = self.name, self.filter

        def write(ws: Workspace) -> int:
            return len(list_export.save_list_ledger(ws, name, flt, path, password=password).rows)

        def done(rows: int) -> None:
            self.finished_ok()
            self.exported.emit(str(path), rows)

        self.session.with_workspace(write, done, self.failed)
