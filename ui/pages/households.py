"""Households and cases: the paged list (filtered by the global search) and the household view."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session as DbSession

from caseapp.domain import Appraisal, AssistanceCase, PublicNotice
from caseapp.services import exchange, ledger_import, listing, records, xlsx
from ui.forms.dialog import RecordDialog
from ui.forms.ledger_dialog import LedgerDialog
from ui.household.new_household import NewHouseholdDialog
from ui.household.view import HouseholdView
from ui.models.households import HouseholdsModel
from ui.pages.base import Page
from ui.qt import (
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from ui.session import Session
from ui.widgets.list_panel import ListPanel


class HouseholdsPage(Page):
    watches = frozenset({"household", "member", "assistance_case", "appraisal", "public_notice"})

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.model = HouseholdsModel(session, self)
        self.list_page = QWidget(self)
        self.new = QPushButton(self.tr("&New household"), self.list_page)
        self.new.setObjectName("new_household")
        self.ledger = QPushButton(self.tr("Export ledger…"), self.list_page)
        self.ledger.setObjectName("export_ledger")
        self.import_button = QPushButton(self.tr("Import ledger…"), self.list_page)
        self.import_button.setObjectName("import_ledger")
        self.problems = QPlainTextEdit(self.list_page)
        self.problems.setObjectName("import_problems")
        self.problems.setReadOnly(True)
        self.problems.setMaximumHeight(140)
        self.problems.hide()
        # the household list and the assistance cases, each filtered, sorted and remembered
        self.panel = ListPanel(session, "households", self.list_page, model=self.model)
        self.summary = self.panel.summary
        self.table = self.panel.table
        self.table.setObjectName("households")
        self.table.setColumnHidden(HouseholdsModel.MATCHED, True)
        for n, button in enumerate((self.new, self.ledger, self.import_button)):
            self.panel.buttons.insertWidget(n, button)
        self.cases = ListPanel(session, "cases", self.list_page)
        # the community's part in an application: 民主评议 minutes and 公示 notices
        self.appraisals = ListPanel(session, "appraisals", self.list_page)
        self.notices = ListPanel(session, "public_notices", self.list_page)
        self.tabs = QTabWidget(self.list_page)
        self.tabs.setObjectName("household_lists")
        self.tabs.addTab(self.panel, self.tr("&Households"))
        self.tabs.addTab(self.cases, self.tr("Assistance &cases"))
        self.tabs.addTab(self.appraisals, self.tr("Appraisals"))
        self.tabs.addTab(self.notices, self.tr("Public notices"))
        list_layout = QVBoxLayout(self.list_page)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(self.problems)
        list_layout.addWidget(self.tabs, 1)

        self.view = HouseholdView(session, self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.list_page)
        self.stack.addWidget(self.view)
        QVBoxLayout(self).addWidget(self.stack)

        self.new.clicked.connect(self.new_household)
        self.ledger.clicked.connect(self.export_ledger)
        self.import_button.clicked.connect(self._choose_ledger)
        self.panel.opened.connect(self.show_household)
        self.cases.opened.connect(self._open_case)
        self.appraisals.opened.connect(lambda row_id: self._open_case_of(Appraisal, row_id))
        self.notices.opened.connect(lambda row_id: self._open_case_of(PublicNotice, row_id))
        self.tabs.currentChanged.connect(lambda _i: self.refresh() if self.session.is_open else None)
        self.view.back.connect(self.show_list)
        self.model.counted.connect(self._summarise)
        self.dialog: RecordDialog | None = None
        self.ledger_dialog: LedgerDialog | None = None

    def focus_target(self) -> QWidget | None:
        # the list shown, or (a household open) its tabs
        if self.stack.currentWidget() is self.list_page:
            current = self.tabs.currentWidget()
            return current.table if isinstance(current, ListPanel) else None
        return self.view.tabs.tabBar()

    def title(self) -> str:
        return self.tr("Households and cases")

    def refresh(self) -> None:
        current = self.tabs.currentWidget()
        if isinstance(current, ListPanel):
            current.refresh()

    def show_cases(self, flt: listing.ListFilter) -> None:
        """The assistance cases, filtered (a Today card)."""
        self.show_list()
        self.tabs.setCurrentWidget(self.cases)
        self.cases.apply(flt)

    def _open_case(self, case_id: str) -> None:
        def household_of(db: DbSession) -> str:
            return records.get(db, AssistanceCase, case_id).household_id

        self.session.read(household_of, self.show_household)

    def _open_case_of(self, cls: type[Appraisal | PublicNotice], row_id: str) -> None:
        def household_of(db: DbSession) -> str:
            return records.get(db, AssistanceCase, records.get(db, cls, row_id).case_id).household_id

        self.session.read(household_of, self.show_household)

    def search(self, text: str) -> None:
        # Keyboard focus stays in the search box: the caseworker is still typing.
        if self.stack.currentWidget() is not self.list_page:
            self.stack.setCurrentWidget(self.list_page)
            self.view.clear()
        self.tabs.setCurrentWidget(self.panel)
        self._stale = False  # this reset is the reload
        if not self.panel.restored:
            self.panel.restore()
        if text.strip() and not self.model.query and self.model.filter.sort:
            # Someone looking for a household wants the best matches first, whatever order the
            # list was last read in; a header click sorts the results again.
            self.panel.show_sorted("", False)
        self.model.set_query(text)
        # what found a household says something only while something is typed
        self.table.setColumnHidden(HouseholdsModel.MATCHED, not self.model.query)

    def _summarise(self) -> None:
        total = self.model.total or 0
        if self.model.query:
            self.summary.setText(self.tr("%n household(s) found", "", total))
        else:
            self.summary.setText(self.tr("%n household(s)", "", total))

    def show_list(self) -> None:
        self.stack.setCurrentWidget(self.list_page)
        self.tabs.setCurrentWidget(self.panel)
        self.view.clear()
        self.table.setFocus()

    def show_household(self, household_id: str) -> None:
        self.stack.setCurrentWidget(self.view)
        self.view.show_household(household_id)

    def new_household(self) -> RecordDialog:
        self.dialog = NewHouseholdDialog(self.session, parent=self)
        self.dialog.saved.connect(self.show_household)
        self.dialog.open()
        return self.dialog

    def export_ledger(self) -> LedgerDialog:
        self.ledger_dialog = LedgerDialog(self.session, self)
        self.ledger_dialog.exported.connect(
            lambda path, rows: self.summary.setText(self.tr("Ledger saved: %1 (%n row(s))", "", rows)
                                                    .replace("%1", Path(path).name)))
        self.ledger_dialog.open()
        return self.ledger_dialog

    def _choose_ledger(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, self.tr("Import a household ledger"), "",
                                                    "Excel (*.xlsx)")
        if not path:
            return
        password: str | None = None
        if xlsx.is_sealed_workbook(Path(path)):
            password, ok = QInputDialog.getText(self, self.tr("Import a household ledger"),
                                                self.tr("The workbook is password-protected. Password:"),
                                                QLineEdit.EchoMode.Password)
            if not ok:
                return
        self.import_ledger_from(Path(path), password)

    def import_ledger_from(self, path: Path, password: str | None = None) -> None:
        """Import a household ledger in the background: all of it, or nothing and every problem
        listed under the buttons by row and column (where the result is shown too)."""
        org = self.session.org_code
        self.import_button.setEnabled(False)
        self.problems.hide()

        def done(summary: ledger_import.LedgerSummary) -> None:
            self.import_button.setEnabled(True)
            # Under the buttons, where the count of the list (which reloads now) does not replace it.
            self.problems.setPlainText(self.tr("Imported %1 household(s) and %2 people")
                                       .replace("%1", str(summary.households)).replace("%2", str(summary.members)))
            self.problems.show()
            self.session.changed.emit(frozenset({"household", "member"}))

        def failed(error: Exception) -> None:
            self.import_button.setEnabled(True)
            if isinstance(error, exchange.ImportRejected):
                lines = [self.tr("Nothing was imported. Correct these cells and import again:")]
                lines += [self.tr("row %1, %2: %3").replace("%1", str(p.line)).replace("%2", p.field or "")
                          .replace("%3", self.session.field_message(p.error)) for p in error.problems]
                self.problems.setPlainText("\n".join(lines))
            else:
                self.problems.setPlainText(self.session.message(error))
            self.problems.show()

        self.session.with_workspace(
            lambda ws: ledger_import.import_ledger_file(ws, path, org_code=org, password=password), done, failed)

    def clear(self) -> None:
        super().clear()
        # The search box is emptied on locking: the list forgets what was typed too, so after
        # unlocking both show the same thing (the remembered filter, no search).
        self.model.query = ""
        self.table.setColumnHidden(HouseholdsModel.MATCHED, True)
        self.problems.clear()  # may name people and their ID numbers
        self.problems.hide()
        self.panel.clear()
        self.cases.clear()
        self.appraisals.clear()
        self.notices.clear()
        self.view.clear()
        self.stack.setCurrentWidget(self.list_page)
