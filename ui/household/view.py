"""One household: overview, members, assistance, investigations, elders and visits, grid records,
social work and referrals, and the history of changes."""

from __future__ import annotations

from typing import Any

from ui.forms.dialog import RecordDialog
from ui.forms.quick_visit import QuickVisitDialog
from ui.household.bundle import Bundle, Row, load_bundle
from ui.household.history_tab import HistoryTab
from ui.household.overview import Overview
from ui.qt import QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget, Signal
from ui.session import Session, touches
from ui.widgets.marks import mark_data
from ui.widgets.records_tab import RecordsTab
from ui.widgets.text import heading

# Record types shown here: a change to any of them reloads the open household.
WATCHED = frozenset({"household", "member", "income_item", "assistance_case", "case_review", "investigation",
                     "verification", "elder_profile", "care_visit", "grid_event", "grid_event_update",
                     "social_work_case", "case_note", "referral", "attachment"})


class HouseholdView(QWidget):
    back = Signal()
    loaded = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.household_id = ""
        self.bundle: Bundle | None = None
        self._dialogs: list[RecordDialog] = []

        self.back_button = QPushButton(self.tr("← All households"), self)
        self.back_button.setObjectName("back")
        self.title = heading("", self)
        mark_data(self.title)
        self.address = QLabel(self)
        mark_data(self.address)
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.title)
        top.addWidget(self.address, 1)

        self.overview = Overview(session, self)
        self.members = RecordsTab(session, "member", ["name", "relationship", "id_number", "sex", "birth_date",
                                                      "health", "disability_type", "phone"],
                                  add_text=self.tr("Add member"), parent=self)
        self.cases = RecordsTab(session, "assistance_case", ["category", "status", "monthly_amount",
                                                             "people_covered", "next_review_date"],
                                add_text=self.tr("New assistance case"), parent=self)
        self.investigations = RecordsTab(session, "investigation", ["investigated_at", "investigators",
                                                                    "housing_type", "findings"],
                                         add_text=self.tr("New home investigation"), parent=self)
        self.elders = RecordsTab(session, "elder_profile", ["member_id", "risk_tier", "living_arrangement",
                                                           "capacity_level", "emergency_contact_phone"],
                                 add_text=self.tr("New elder profile"), parent=self)
        self.record_visit = QPushButton(self.tr("Record a visit"), self.elders)
        self.record_visit.setObjectName("record_visit")
        self.record_visit.setEnabled(False)
        self.elders.buttons.insertWidget(2, self.record_visit)
        self.visits = RecordsTab(session, "care_visit", ["visited_at", "elder_name", "method", "health",
                                                         "services", "author"], parent=self)
        self.events = RecordsTab(session, "grid_event", ["occurred_at", "title", "category", "status"],
                                 add_text=self.tr("New grid event"), parent=self)
        self.referrals = RecordsTab(session, "referral", ["client_name", "to_org", "urgency", "status"],
                                    add_text=self.tr("New referral"), parent=self)
        self.social = RecordsTab(session, "social_work_case", ["client_name", "status", "worker", "opened_on"],
                                 add_text=self.tr("New social-work case"), parent=self)
        self.history = HistoryTab(session, self)

        elders_page = QWidget(self)
        elders_layout = QVBoxLayout(elders_page)
        elders_layout.addWidget(self.elders, 1)
        elders_layout.addWidget(QLabel(self.tr("Visits"), elders_page))
        elders_layout.addWidget(self.visits, 2)
        social_page = QWidget(self)
        social_layout = QVBoxLayout(social_page)
        social_layout.addWidget(self.referrals, 1)
        social_layout.addWidget(self.social, 1)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.overview, self.tr("Overview"))
        self.tabs.addTab(self.members, self.tr("Members"))
        self.tabs.addTab(self.cases, self.tr("Assistance"))
        self.tabs.addTab(self.investigations, self.tr("Investigations"))
        self.tabs.addTab(elders_page, self.tr("Elders and visits"))
        self.tabs.addTab(self.events, self.tr("Grid records"))
        self.tabs.addTab(social_page, self.tr("Referrals and social work"))
        self.tabs.addTab(self.history, self.tr("History"))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

        self.back_button.clicked.connect(self.back)
        self.overview.edit.clicked.connect(self._edit_household)
        for tab in (self.members, self.cases, self.investigations, self.elders, self.events, self.referrals,
                    self.social):
            tab.add_requested.connect(lambda t=tab: self._add(t.entity))
            tab.edit_requested.connect(lambda row, t=tab: self._edit(t.entity, row))
        self.elders.selected.connect(lambda row: self.record_visit.setEnabled(row is not None))
        self.record_visit.clicked.connect(self._record_visit)
        session.changed.connect(self._on_changed)

    # -- loading ------------------------------------------------------------------------------
    def show_household(self, household_id: str) -> None:
        if household_id != self.household_id:
            self.clear()
            self.household_id = household_id
        self.reload()

    def reload(self) -> None:
        household_id = self.household_id
        if not household_id or not self.session.is_open:
            return
        self.session.read(lambda db: load_bundle(db, household_id), self._show, self._failed)

    def _show(self, bundle: Bundle) -> None:
        if bundle.household["id"] != self.household_id:
            return
        self.bundle = bundle
        household = bundle.household
        self.title.setText(household["head_name"] or "–")
        self.address.setText(household["address"])
        self.overview.set_household(household)
        self.members.set_rows(bundle.rows("member"))
        self.cases.set_rows(bundle.rows("assistance_case"))
        self.investigations.set_rows(bundle.rows("investigation"))
        self.elders.set_rows(bundle.rows("elder_profile"))
        self.visits.set_rows(bundle.rows("care_visit"))
        self.events.set_rows(bundle.rows("grid_event"))
        self.referrals.set_rows(bundle.rows("referral"))
        self.social.set_rows(bundle.rows("social_work_case"))
        self.history.set_entries(bundle.history)
        self.loaded.emit()

    def _failed(self, error: Exception) -> None:
        self.title.setText(self.session.message(error))

    def _on_changed(self, entities: frozenset[str]) -> None:
        if self.household_id and touches(entities, WATCHED):
            self.reload()

    def clear(self) -> None:
        """Forget the household (lock, or another household opening)."""
        self.household_id = ""
        self.bundle = None
        self.title.clear()
        self.address.clear()
        self.overview.clear()
        for tab in (self.members, self.cases, self.investigations, self.elders, self.visits, self.events,
                    self.referrals, self.social):
            tab.set_rows([])
        self.history.set_entries([])

    # -- actions ------------------------------------------------------------------------------
    def _members(self) -> list[tuple[str, str]]:
        return self.bundle.members() if self.bundle else []

    def _open(self, dialog: RecordDialog) -> RecordDialog:
        # Non-modal to the event loop (open(), not exec()) so locking can hide it and tests can drive it.
        self._dialogs.append(dialog)
        dialog.finished.connect(lambda _r, d=dialog: self._dialogs.remove(d) if d in self._dialogs else None)
        dialog.open()
        return dialog

    def _add(self, entity: str) -> RecordDialog | None:
        if not self.bundle:
            return None
        household = self.bundle.household
        fixed: dict[str, Any] = {"household_id": household["id"]}
        values: dict[str, Any] = {}
        if entity in ("referral", "social_work_case"):
            values["client_name"] = household["head_name"]
        return self._open(RecordDialog(self.session, entity, fixed=fixed, values=values, members=self._members(),
                                       owner=("household", household["id"]), parent=self))

    def _edit(self, entity: str, row: Row) -> RecordDialog:
        return self._open(RecordDialog(self.session, entity, record_id=row["id"], values=row,
                                       members=self._members(), parent=self))

    def _edit_household(self) -> RecordDialog | None:
        if not self.bundle:
            return None
        return self._edit("household", self.bundle.household)

    def _record_visit(self) -> RecordDialog | None:
        row = self.elders.current()
        if row is None:
            return None
        return self._open(QuickVisitDialog(self.session, row["id"], row.get("member_id_label", ""), parent=self))

    def open_dialogs(self) -> list[RecordDialog]:
        return list(self._dialogs)
