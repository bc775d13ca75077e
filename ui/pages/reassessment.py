"""The re-assessment list (重新核定名单), a tab of the data-quality page: for a change of standard
(the days a new figure starts, the next one to come first chosen), the cases in payment in the user's
reach whose amount is not the one computed under the new standard (caseapp.services.reassessment),
each opening its household; the list exports to Excel like the other lists. The cases whose amount
was set by hand with a reason are marked so and can be shown (and exported) apart from those simply to
recompute."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session as DbSession

from caseapp.services import display, reassessment
from caseapp.store.workspace import Workspace
from ui.format import fmt_money
from ui.forms.export_dialog import ExportDialog
from ui.models.listed import ListTableModel
from ui.qt import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget, Signal
from ui.session import Session
from ui.widgets.table import RecordTable


class ReassessmentModel(ListTableModel[reassessment.Reassessment]):
    HEAD, CATEGORY, COVERED, PAID, BEFORE, AFTER, CHANGE, HOW, REASON = range(9)
    on: dt.date | None = None
    reach: tuple[str, ...] | None = None
    which: reassessment.Which = "all"

    def headers(self) -> list[str]:
        lang = self.reader.core_lang
        return [self.tr("Household head"), display.field_name("assistance_case", "category", lang),
                display.field_name("assistance_case", "people_covered", lang), self.tr("Amount paid"),
                self.tr("Computed before"), self.tr("Computed under the new standard"), self.tr("Change"),
                self.tr("To do"), display.field_name("assistance_case", "amount_reason", lang)]

    def load(self, db: DbSession) -> list[reassessment.Reassessment]:
        if self.on is None:
            return []
        return reassessment.listed(db, self.on, self.reach, dt.date.today(), which=self.which)

    def display(self, row: reassessment.Reassessment, column: int) -> Any:
        if column == self.HEAD:
            return row.head_name
        if column == self.CATEGORY:
            return display.value_text("assistance_case", "category", row.category, self.reader.core_lang)
        if column == self.COVERED:
            return row.people_covered
        if column == self.PAID:
            return fmt_money(row.amount)
        if column == self.BEFORE:
            return fmt_money(row.before)
        if column == self.AFTER:
            return fmt_money(row.after)
        if column == self.CHANGE:
            return f"{row.difference:+.2f}"
        if column == self.HOW:
            return self.tr("Set by hand: check the reason") if row.by_hand else self.tr("Recompute")
        return row.reason


class ReassessmentPanel(QWidget):
    open_household = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = ReassessmentModel(session, self)
        self.change = QComboBox(self)
        self.change.setObjectName("reassess_change")
        self.which = QComboBox(self)
        self.which.setObjectName("reassess_which")
        for label, code in ((self.tr("All cases"), "all"), (self.tr("To recompute"), "recompute"),
                            (self.tr("Amount set by hand"), "by_hand")):
            self.which.addItem(label, code)
        self.export_button = QPushButton(self.tr("Export to Excel…"), self)
        self.export_button.setObjectName("reassess_export")
        self.summary = QLabel(self)
        self.summary.setObjectName("reassess_summary")
        self.summary.setWordWrap(True)
        self.table = RecordTable(self, sortable=True)
        self.table.setObjectName("reassess_cases")
        self.table.setModel(self.model)
        choose = QLabel(self.tr("New standard in force from:"), self)
        choose.setBuddy(self.change)
        top = QHBoxLayout()
        top.addWidget(choose)
        top.addWidget(self.change)
        show = QLabel(self.tr("Show:"), self)
        show.setBuddy(self.which)
        top.addWidget(show)
        top.addWidget(self.which)
        top.addStretch(1)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self.export_dialog: ReassessmentExportDialog | None = None
        self.change.currentIndexChanged.connect(lambda _i: self.refresh())
        self.which.currentIndexChanged.connect(lambda _i: self.refresh())
        self.model.loaded.connect(self._loaded)
        self.table.opened.connect(self._open)
        self.export_button.clicked.connect(self.export)

    def chosen(self) -> dt.date | None:
        value = self.change.currentData()
        return dt.date.fromisoformat(value) if isinstance(value, str) else None

    def chosen_which(self) -> reassessment.Which:
        value = self.which.currentData()
        return next((w for w in reassessment.WHICH if w == value), "all")

    def fill_changes(self, today: dt.date | None = None) -> None:
        """The days a standard changes, newest first, the next to come (else the latest) chosen."""
        day = today or dt.date.today()
        was = self.chosen() or reassessment.current_change(day)
        self.change.blockSignals(True)
        self.change.clear()
        for on in reassessment.change_dates():
            self.change.addItem(on.isoformat() + (self.tr(" (to come)") if on > day else ""), on.isoformat())
        index = self.change.findData(was.isoformat()) if was else -1
        self.change.setCurrentIndex(max(0, index))
        self.change.blockSignals(False)

    def refresh(self) -> None:
        if self.change.count() == 0:
            self.fill_changes()
        self.summary.setText(self.tr("Assessing the cases in payment…"))
        self.model.on = self.chosen()
        self.model.reach = self.session.reach
        self.model.which = self.chosen_which()
        self.model.reset()

    def clear(self) -> None:
        self.model.clear()
        self.summary.clear()

    def _loaded(self) -> None:
        rows = self.model.rows
        if not rows:
            self.summary.setText(self.tr("No case in payment to show is paid an amount other than the one "
                                         "computed under this standard.") if self.model.which != "all" else
                                 self.tr("Every case in payment is paid the amount computed under this standard."))
            return
        recompute, by_hand = reassessment.counts(rows)
        self.summary.setText(self.tr("%n case(s) paid an amount other than the one computed under this standard",
                                     "", len(rows)) + self.tr(": %1 to recompute, %2 set by hand with a reason")
                             .replace("%1", str(recompute)).replace("%2", str(by_hand)))

    def _open(self, row: int) -> None:
        if 0 <= row < len(self.model.rows):
            self.open_household.emit(self.model.rows[row].household_id)

    def export(self) -> ReassessmentExportDialog | None:
        on = self.chosen()
        if on is None:
            return None
        self.export_dialog = ReassessmentExportDialog(self.session, on, self.session.reach, len(self.model.rows),
                                                      self, which=self.chosen_which())
        self.export_dialog.exported.connect(
            lambda path, rows: self.summary.setText(self.tr("Saved: %1 (%n row(s))", "", rows)
                                                    .replace("%1", Path(path).name)))
        self.export_dialog.open()
        return self.export_dialog


class ReassessmentExportDialog(ExportDialog):
    exported = Signal(str, int)

    def __init__(self, session: Session, on: dt.date, reach: tuple[str, ...] | None, shown: int,
                 parent: QWidget | None = None, *, which: reassessment.Which = "all") -> None:
        super().__init__(session, self.tr("No password"), parent)
        self.setObjectName("reassess_export_dialog")
        self.setWindowTitle(self.tr("Export the re-assessment list to Excel"))
        self.on = on
        self.reach = reach
        self.which = which
        what = QLabel(self.tr("%n case(s)", "", shown), self)
        self.fields.addRow(what)

    def suggested_name(self) -> str:
        return f"{reassessment.title(self.on, self.which)}-{dt.date.today().isoformat()}.xlsx"

    def file_filter(self) -> str:
        return "Excel (*.xlsx)"

    def start(self, path: Path, password: str | None) -> None:
        on, reach, which = self.on, self.reach, self.which

        def write(ws: Workspace) -> int:
            return len(reassessment.save_ledger(ws, on, reach, path, password=password, which=which).rows)

        def done(rows: int) -> None:
            self.finished_ok()
            self.exported.emit(str(path), rows)

        self.session.with_workspace(write, done, self.failed)
