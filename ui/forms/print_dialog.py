"""Print a form (or a batch of them, or a ledger) with a preview: to a printer where one is set up,
or saved as a password-protected PDF.

The preview is Qt's own (``QPrintPreviewWidget``, the page view of ``QPrintPreviewDialog``) in a
dialog of ours, because ``QPrintPreviewDialog``'s Print button goes through Qt's print dialog,
which offers "print to file" on every platform and writes the PDF unencrypted. Here the printer
dialog has that option removed, a printer that writes a file is refused, and files are written only
through "Save as PDF…": rendered in memory, sealed with the password (any PDF viewer asks for it)
and written atomically on the writer. Where no printer is set up (a field laptop, the offscreen
platform of the tests), saving the PDF is the way to print. Every copy that leaves the device,
printed or saved, is noted in the audit trail against each record it shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session as DbSession

from caseapp.fileio import atomic_write_bytes
from caseapp.services import forms
from caseapp.services.forms import Sheet
from caseapp.services.forms.layout import number
from caseapp.store.workspace import Workspace
from ui import printing
from ui.forms.export_dialog import ExportDialog
from ui.qt import (
    QAbstractPrintDialog,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPrintDialog,
    QPrinter,
    QPrinterInfo,
    QPrintPreviewWidget,
    QPushButton,
    QWidget,
    Signal,
)
from ui.session import Session

Load = Callable[[DbSession], list[Sheet]]


@dataclass(frozen=True)
class PrintJob:
    """What to print: its title (the PDF's, the window's), how a saved file is named, and how its
    sheets are built from the workspace (on the read pool)."""

    title: str
    file_name: str
    load: Load
    details: dict[str, Any] = field(default_factory=dict)


def form_job(name: str, record_ids: Sequence[str], *, today: dt.date | None = None) -> PrintJob:
    """A form for each of ``record_ids``, in that order: one record, or a batch (a filtered list,
    a disaster series)."""
    form = forms.FORMS[name]
    ids = list(dict.fromkeys(record_ids))
    day = today or dt.date.today()
    # No personal data in a file name: names show in folder listings, recent-file lists, mail
    # attachments and backups, where the PDF's password does not reach.
    which = number(ids[0]) if len(ids) == 1 else f"{len(ids)}份"
    return PrintJob(form.title, f"{form.stem}-{which}-{day.isoformat()}.pdf",
                    lambda db: forms.render_many(db, name, ids, today=day))


def ledger_job(kind: str, *, category: str | None = None, compiled_by: str = "",
               today: dt.date | None = None) -> PrintJob:
    day = today or dt.date.today()

    def load(db: DbSession) -> list[Sheet]:
        return [forms.ledger_sheet(db, kind, category=category, compiled_by=compiled_by, today=day)]

    return PrintJob(forms.LEDGER_STEMS[kind], f"{forms.LEDGER_STEMS[kind]}-{day.isoformat()}.pdf", load,
                    {"category": category or ""})


def has_printer() -> bool:
    return bool(QPrinterInfo.availablePrinters())


class PrintDialog(ExportDialog):
    # the sheets are laid out in the preview (their number of pages)
    ready = Signal(int)
    # the PDF written
    saved = Signal(str)
    # pages sent to a printer
    printed = Signal(int)

    def __init__(self, session: Session, job: PrintJob, parent: QWidget | None = None) -> None:
        super().__init__(session, self.tr("No password"), parent)
        self.job = job
        self.sheets: list[Sheet] = []
        self.loaded = False
        self.pages = 0
        # a save asked for before the sheets were built: done once they are
        self._pending: tuple[Path, str | None] | None = None
        self.setObjectName("print_dialog")
        self.setWindowTitle(self.tr("Print: %1").replace("%1", job.title))
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self.preview = QPrintPreviewWidget(self.printer, self)
        self.preview.setObjectName("print_preview")
        self.preview.setMinimumSize(520, 560)
        self.preview.paintRequested.connect(self._paint)
        self.status = QLabel(self.tr("Preparing the preview…"), self)
        self.status.setWordWrap(True)
        whole = QPushButton(self.tr("Whole page"), self)
        whole.clicked.connect(self.preview.fitInView)
        width = QPushButton(self.tr("Page width"), self)
        width.clicked.connect(self.preview.fitToWidth)
        views = QHBoxLayout()
        views.addWidget(whole)
        views.addWidget(width)
        views.addStretch(1)
        views.addWidget(self.status, 1)
        self.print_button = self.buttons.addButton(self.tr("Print…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.setObjectName("print_now")
        self.save.setText(self.tr("Save as PDF…"))
        self.save.setObjectName("save_pdf")
        self.column.insertWidget(0, self.preview, 1)
        self.column.insertLayout(1, views)
        self.print_button.clicked.connect(self.choose_printer)
        self._enable(False)
        self.session.read(job.load, self._loaded, self._load_failed)

    # -- the preview ------------------------------------------------------------------------------
    def _loaded(self, sheets: list[Sheet]) -> None:
        self.sheets = sheets
        self.loaded = True
        if sheets:
            self.printer.setPageLayout(printing.page_layout(sheets[0].landscape))
        self.preview.updatePreview()
        self.pages = self.preview.pageCount()
        self.status.setText(self.tr("%n form(s)", "", len(sheets)) + self.tr(", %n page(s)", "", self.pages))
        self._enable(bool(sheets))
        self.ready.emit(self.pages)
        if self._pending is not None and sheets:
            path, password = self._pending
            self._pending = None
            self.start(path, password)

    def _load_failed(self, error: Exception) -> None:
        self.status.setText("")
        self.failed(error)
        self._enable(False)

    def _paint(self, printer: QPrinter) -> None:
        printing.paint(printer, self.sheets)

    def _enable(self, on: bool) -> None:
        self.save.setEnabled(on)
        printer = has_printer()
        self.print_button.setEnabled(on and printer)
        self.print_button.setToolTip("" if printer else self.tr(
            "No printer is set up on this computer: save the form as a PDF and print it from there."))

    # -- to a printer -----------------------------------------------------------------------------
    def choose_printer(self) -> QPrintDialog | None:
        if not self.sheets or not has_printer():
            return None
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(printing.page_layout(self.sheets[0].landscape))
        chooser = QPrintDialog(printer, self)
        # Files are written only sealed, through "Save as PDF…"
        chooser.setOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile, False)
        chooser.accepted.connect(lambda: self.print_to(printer))
        QDialog.open(chooser)  # the event loop keeps running (QPrintDialog.open wants a slot)
        return chooser

    def print_to(self, printer: QPrinter) -> int:
        """Print on ``printer``; a "printer" that writes a file is refused (it would be unsealed)."""
        if printer.outputFormat() != QPrinter.OutputFormat.NativeFormat or printer.outputFileName():
            self.error.show_error(self.tr("That printer writes a file, which would not be password-protected: "
                                          "use Save as PDF instead."))
            return 0
        pages = printing.paint(printer, self.sheets)
        sheets, details = list(self.sheets), {**self.job.details, "printer": printer.printerName(), "pages": pages}
        self.session.with_workspace(lambda ws: forms.note_printed(ws, sheets, details))
        self.printed.emit(pages)
        return pages

    # -- to a file ---------------------------------------------------------------------------------
    def suggested_name(self) -> str:
        return self.job.file_name

    def file_filter(self) -> str:
        return "PDF (*.pdf)"

    def start(self, path: Path, password: str | None) -> None:
        if not self.loaded:
            self._pending = (path, password)
            return
        if not self.sheets:
            self.save.setEnabled(False)
            return
        # Qt lays the pages out on the GUI thread (a fraction of a second a form); sealing, writing
        # and the audit entries go to the writer.
        data, pages = printing.pdf_bytes(self.sheets, self.job.title)
        sheets = list(self.sheets)
        details = {**self.job.details, "file": path.name, "sealed": password is not None, "pages": pages}

        def write(ws: Workspace) -> None:
            atomic_write_bytes(path, forms.seal_pdf(data, password) if password is not None else data)
            forms.note_printed(ws, sheets, details)

        def done(_none: None) -> None:
            self.finished_ok()
            self.saved.emit(str(path))

        self.session.with_workspace(write, done, self.failed)


def open_print(session: Session, job: PrintJob, parent: QWidget | None = None) -> PrintDialog:
    dialog = PrintDialog(session, job, parent)
    dialog.open()
    return dialog


def print_records(session: Session, form: str, record_ids: Sequence[str],
                  parent: QWidget | None = None) -> PrintDialog:
    """Preview and print ``form`` for each of ``record_ids`` (a filtered list's rows, in order)."""
    return open_print(session, form_job(form, record_ids), parent)
