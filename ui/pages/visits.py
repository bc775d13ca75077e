"""Elder visits: everyone due within a month, overdue first, and quick visit entry."""

from __future__ import annotations

from ui.forms.quick_visit import QuickVisitDialog
from ui.models.today import VisitsDueModel
from ui.pages.base import Page
from ui.qt import QHBoxLayout, QPushButton, QVBoxLayout, QWidget
from ui.session import Session
from ui.widgets.table import RecordTable

HORIZON_DAYS = 30


class VisitsPage(Page):
    watches = frozenset({"care_visit", "elder_profile", "member", "household"})

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.model = VisitsDueModel(session, self)
        self.model.horizon_days = HORIZON_DAYS
        self.table = RecordTable(self, sortable=True)
        self.table.setObjectName("visits_due")
        self.table.setModel(self.model)
        self.record = QPushButton(self.tr("Record a visit"), self)
        self.record.setObjectName("record_visit")
        self.household = QPushButton(self.tr("Open household"), self)
        top = QHBoxLayout()
        top.addWidget(self.record)
        top.addWidget(self.household)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.record.clicked.connect(lambda: self.visit_row(self.table.current_row()))
        self.table.opened.connect(self.visit_row)
        self.household.clicked.connect(self._open_household)
        self.dialog: QuickVisitDialog | None = None

    def title(self) -> str:
        return self.tr("Elder visits")

    def refresh(self) -> None:
        self.model.reset()

    def clear(self) -> None:
        super().clear()
        self.model.clear()

    def visit_row(self, row: int) -> QuickVisitDialog | None:
        if not 0 <= row < len(self.model.rows):
            return None
        due = self.model.row_at(row)
        return self.visit(due.elder_id, due.name)

    def visit(self, elder_id: str, name: str = "") -> QuickVisitDialog:
        self.dialog = QuickVisitDialog(self.session, elder_id, name, parent=self)
        self.dialog.open()
        return self.dialog

    def _open_household(self) -> None:
        row = self.table.current_row()
        if 0 <= row < len(self.model.rows):
            self.open_household.emit(self.model.row_at(row).household_id)
