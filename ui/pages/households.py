"""Households and cases: the paged list (filtered by the global search) and the household view."""

from __future__ import annotations

from pathlib import Path

from ui.forms.dialog import RecordDialog
from ui.forms.ledger_dialog import LedgerDialog
from ui.household.view import HouseholdView
from ui.models.households import HouseholdsModel
from ui.pages.base import Page
from ui.qt import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget
from ui.session import Session
from ui.widgets.marks import mark_data
from ui.widgets.table import RecordTable


class HouseholdsPage(Page):
    watches = frozenset({"household", "member"})

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.model = HouseholdsModel(session, self)
        self.list_page = QWidget(self)
        self.new = QPushButton(self.tr("New household"), self.list_page)
        self.new.setObjectName("new_household")
        self.ledger = QPushButton(self.tr("Export ledger…"), self.list_page)
        self.ledger.setObjectName("export_ledger")
        self.summary = QLabel(self.list_page)
        mark_data(self.summary)
        self.table = RecordTable(self.list_page)
        self.table.setObjectName("households")
        self.table.setModel(self.model)
        top = QHBoxLayout()
        top.addWidget(self.new)
        top.addWidget(self.ledger)
        top.addStretch(1)
        top.addWidget(self.summary)
        list_layout = QVBoxLayout(self.list_page)
        list_layout.addLayout(top)
        list_layout.addWidget(self.table, 1)

        self.view = HouseholdView(session, self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.list_page)
        self.stack.addWidget(self.view)
        QVBoxLayout(self).addWidget(self.stack)

        self.new.clicked.connect(self.new_household)
        self.ledger.clicked.connect(self.export_ledger)
        self.table.opened.connect(lambda row: self.show_household(self.model.row_at(row).id))
        self.view.back.connect(self.show_list)
        self.model.counted.connect(self._summarise)
        self.dialog: RecordDialog | None = None
        self.ledger_dialog: LedgerDialog | None = None

    def title(self) -> str:
        return self.tr("Households and cases")

    def refresh(self) -> None:
        self.model.reset()

    def search(self, text: str) -> None:
        # Keyboard focus stays in the search box: the caseworker is still typing.
        if self.stack.currentWidget() is not self.list_page:
            self.stack.setCurrentWidget(self.list_page)
            self.view.clear()
        self._stale = False  # this reset is the reload
        self.model.set_query(text)

    def _summarise(self) -> None:
        total = self.model.total or 0
        if self.model.query:
            self.summary.setText(self.tr("%n household(s) found", "", total))
        else:
            self.summary.setText(self.tr("%n household(s)", "", total))

    def show_list(self) -> None:
        self.stack.setCurrentWidget(self.list_page)
        self.view.clear()
        self.table.setFocus()

    def show_household(self, household_id: str) -> None:
        self.stack.setCurrentWidget(self.view)
        self.view.show_household(household_id)

    def new_household(self) -> RecordDialog:
        self.dialog = RecordDialog(self.session, "household", parent=self)
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

    def clear(self) -> None:
        super().clear()
        self.model.clear()
        self.view.clear()
        self.summary.clear()
        self.stack.setCurrentWidget(self.list_page)
