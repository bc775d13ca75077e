"""Elder visits: everyone due within a month, overdue first, and quick visit entry; beside it the
elders and the visits recorded, the children in hardship (困境儿童) and their monitoring visits,
the people entitled to preferential care (优抚对象) and their visits, the 平安通 calls with their
handling steps, and the care-home and day-care waiting list (入住轮候) in queue order with its steps,
each a filtered list."""

from __future__ import annotations

from sqlalchemy.orm import Session as DbSession

from caseapp.domain import (
    CareVisit,
    ChildProfile,
    ChildVisit,
    ElderProfile,
    VeteranProfile,
    VeteranVisit,
)
from caseapp.services import members, records
from ui.forms.dialog import RecordDialog
from ui.forms.quick_visit import QuickVisitDialog
from ui.models.today import VisitsDueModel
from ui.pages.base import Page
from ui.qt import QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget
from ui.session import Session
from ui.widgets.list_panel import ListPanel
from ui.widgets.record_list import RecordList
from ui.widgets.table import RecordTable

HORIZON_DAYS = 30


class VisitsPage(Page):
    watches = frozenset({"care_visit", "elder_profile", "member", "household", "child_profile", "child_visit",
                         "veteran_profile", "veteran_visit", "emergency_call", "care_application"})

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.model = VisitsDueModel(session, self)
        self.model.horizon_days = HORIZON_DAYS
        self.table = RecordTable(self)
        self.table.setObjectName("visits_due")
        self.table.setModel(self.model)
        self.table.show_fixed_order(VisitsDueModel.DUE)
        self.summary = QLabel(self)
        self.summary.setObjectName("visits_due_summary")
        self.record = QPushButton(self.tr("Record a visit"), self)
        self.record.setObjectName("record_visit")
        self.household = QPushButton(self.tr("Open household"), self)
        self.show_all = QPushButton(self.tr("Show everyone due this month"), self)
        self.show_all.setObjectName("show_all_due")
        self.show_all.hide()
        top = QHBoxLayout()
        top.addWidget(self.record)
        top.addWidget(self.household)
        top.addWidget(self.summary)
        top.addStretch(1)
        top.addWidget(self.show_all)
        self.due_page = QWidget(self)
        due = QVBoxLayout(self.due_page)
        due.setContentsMargins(0, 0, 0, 0)
        due.addLayout(top)
        due.addWidget(self.table, 1)
        self.elders = ListPanel(session, "elders", self)
        self.recorded = ListPanel(session, "visits", self)
        self.children_list = ListPanel(session, "children", self)
        self.child_visits = ListPanel(session, "child_visits", self)
        self.veterans = ListPanel(session, "veterans", self)
        self.veteran_visits = ListPanel(session, "veteran_visits", self)
        self.calls = RecordList(session, "emergency_calls", parent=self)
        self.waitlist = RecordList(session, "care_waitlist", parent=self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("visit_lists")
        self.tabs.addTab(self.due_page, self.tr("Due"))
        self.tabs.addTab(self.elders, self.tr("Elders"))
        self.tabs.addTab(self.recorded, self.tr("Visits recorded"))
        self.tabs.addTab(self.children_list, self.tr("Children in hardship"))
        self.tabs.addTab(self.child_visits, self.tr("Child visits"))
        self.tabs.addTab(self.veterans, self.tr("Preferential care"))
        self.tabs.addTab(self.veteran_visits, self.tr("Preferential-care visits"))
        self.tabs.addTab(self.calls, self.tr("Ping'antong calls"))
        self.tabs.addTab(self.waitlist, self.tr("Care-home waiting list"))
        QVBoxLayout(self).addWidget(self.tabs)
        self.elders.opened.connect(lambda elder_id: self._household_of(ElderProfile, elder_id))
        self.recorded.opened.connect(lambda visit_id: self._household_of(CareVisit, visit_id))
        self.children_list.opened.connect(lambda child_id: self._household_of(ChildProfile, child_id))
        self.child_visits.opened.connect(lambda visit_id: self._household_of(ChildVisit, visit_id))
        self.veterans.opened.connect(lambda row_id: self._household_of(VeteranProfile, row_id))
        self.veteran_visits.opened.connect(lambda visit_id: self._household_of(VeteranVisit, visit_id))
        self.calls.edit_requested.connect(self._edit_call)
        self.waitlist.edit_requested.connect(self._edit_application)
        self.tabs.currentChanged.connect(lambda _i: self.refresh() if session.is_open else None)
        self.record.clicked.connect(lambda: self.visit_row(self.table.current_row()))
        self.table.opened.connect(self.visit_row)
        self.household.clicked.connect(self._open_household)
        self.show_all.clicked.connect(lambda: self.show_due())
        self.model.counted.connect(self._summarise)
        self.model.modelReset.connect(self._summarise)
        self.dialog: QuickVisitDialog | None = None
        self.call_dialog: RecordDialog | None = None
        self.application_dialog: RecordDialog | None = None

    def focus_target(self) -> QWidget | None:
        current = self.tabs.currentWidget()
        if isinstance(current, RecordList):
            return current.panel.table
        return current.table if isinstance(current, ListPanel) else self.table

    def _edit_call(self, row: dict[str, object]) -> RecordDialog:
        self.call_dialog = RecordDialog(self.session, "emergency_call", record_id=str(row["id"]), values=row,
                                        parent=self)
        self.call_dialog.open()
        return self.call_dialog

    def _edit_application(self, row: dict[str, object]) -> None:
        """The application's form, its elder chosen among the household's members (read first)."""
        household_id = str(row["household_id"])
        self.application_dialog = None

        def living(db: DbSession) -> list[tuple[str, str]]:
            return [(m.id, m.name) for m in members.current_members(db, household_id)]

        def show(found: list[tuple[str, str]]) -> None:
            self.application_dialog = RecordDialog(self.session, "care_application", record_id=str(row["id"]),
                                                   values=row, members=found, parent=self)
            self.application_dialog.open()

        self.session.read(living, show)

    def title(self) -> str:
        return self.tr("Elder visits")

    def refresh(self) -> None:
        current = self.tabs.currentWidget()
        if isinstance(current, ListPanel | RecordList):
            current.refresh()
        else:
            self.model.reset()

    def clear(self) -> None:
        super().clear()
        self.model.clear()
        self.elders.clear()
        self.recorded.clear()
        self.children_list.clear()
        self.child_visits.clear()
        self.veterans.clear()
        self.veteran_visits.clear()
        self.calls.clear()
        self.waitlist.clear()

    def _summarise(self) -> None:
        total = self.model.total
        self.summary.setText("" if total is None else
                             self.tr("%n elder(s) due, listed by due date, the most overdue first", "", total))

    def show_due(self, days: int | None = None, scope: tuple[str, ...] | None = None,
                 overdue: bool = False) -> None:
        """The visits due: as Today counted them (within ``days``, in ``scope``, only the overdue
        ones), or with no arguments the whole month ahead."""
        self.model.horizon_days = HORIZON_DAYS if days is None else days
        self.model.scope = scope
        self.model.overdue_only = overdue
        self.show_all.setVisible(days is not None)
        self.tabs.setCurrentWidget(self.due_page)
        if self.session.is_open:
            self._stale = False
            self.model.reset()

    def _household_of(self, cls: type[ElderProfile | CareVisit | ChildProfile | ChildVisit | VeteranProfile
                                      | VeteranVisit], record_id: str) -> None:
        def household(db: DbSession) -> str:
            record = records.get(db, cls, record_id)
            if isinstance(record, CareVisit):
                return records.get(db, ElderProfile, record.elder_id).household_id
            if isinstance(record, ChildVisit):
                return records.get(db, ChildProfile, record.child_id).household_id
            if isinstance(record, VeteranVisit):
                return records.get(db, VeteranProfile, record.veteran_id).household_id
            return str(record.household_id)

        self.session.read(household, self.open_household.emit)

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
