"""One household: overview, members and their income, assistance cases with their one-off payments, reviews, steps,
democratic appraisals and public notices, investigations and verifications, elders with their visits and 平安通 calls,
children in hardship and their visits, preferential care (优抚) and its visits, care-place applications
(入住轮候) with their place in the queue, grid records, referrals and social work, and the history of changes."""

from __future__ import annotations

from typing import Any

from caseapp.domain.households import HEAD
from caseapp.services import access, forms
from ui.forms import amount_panel
from ui.forms.dialog import RecordDialog
from ui.forms.print_dialog import PrintDialog, form_job, open_print
from ui.forms.quick_visit import QuickVisitDialog
from ui.forms.review_dialog import ReviewDialog
from ui.household.bundle import Bundle, Row, load_bundle
from ui.household.history_tab import HistoryTab
from ui.household.member_actions import CHANGE_HEAD, DECEASED, MERGE, MOVE_IN, MOVE_OUT, SPLIT, MemberChangeDialog
from ui.household.overview import Overview
from ui.qt import QHBoxLayout, QLabel, QMenu, QPushButton, QTabWidget, QToolButton, QVBoxLayout, QWidget, Signal
from ui.session import Session, touches
from ui.widgets.marks import mark_data
from ui.widgets.records_tab import RecordsTab
from ui.widgets.text import heading

# Record types shown here: a change to any of them reloads the open household.
WATCHED = frozenset({"household", "member", "member_event", "income_item", "assistance_case", "case_payment",
                     "case_review",
                     "case_step", "investigation",
                     "verification", "elder_profile", "care_visit", "grid_event", "grid_event_update",
                     "social_work_case", "case_note", "referral", "attachment", "appraisal", "public_notice",
                     "child_profile", "child_visit", "veteran_profile", "veteran_visit",
                     "emergency_call", "care_application"})
#: assistance case states in which a periodic review can be recorded
REVIEWABLE = frozenset({"active", "review_due", "taper"})


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
        # The household's own forms (the registration sheet, the 核对 consent); a record's forms
        # print from its tab.
        self.print_button = QToolButton(self)
        self.print_button.setText(self.tr("Print…"))
        self.print_button.setObjectName("print_household")
        self.print_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.print_button)
        for form in forms.forms_for("household"):
            action = menu.addAction(form.title)
            action.setObjectName(f"print_{form.name}")
            action.triggered.connect(lambda _checked=False, name=form.name: self.print_form(name))
        self.print_button.setMenu(menu)
        top.addWidget(self.print_button)

        tab = self._tab
        self.overview = Overview(session, self)
        self.members = tab("member", ["name", "relationship", "id_number", "sex", "birth_date", "health",
                                      "disability_type", "phone"], self.tr("Add m&ember"))
        self.incomes = tab("income_item", ["income_type", "monthly_amount", "people", "note"], self.tr("Add i&ncome"))
        self.cases = tab("assistance_case", ["category", "status", "monthly_amount", "computed_amount",
                                             "people_covered", "next_review_date"], self.tr("New assistance &case"))
        self.payments = tab("case_payment", ["paid_on", "amount_paid", "kind", "reason", "approved_by"],
                            self.tr("Record a payment"))
        self.reviews = tab("case_review", ["reviewed_on", "outcome", "old_amount", "new_amount", "reason"])
        self.steps = tab("case_step", ["taken_at", "action", "author", "handler_role", "opinion"])
        self.appraisals = tab("appraisal", ["held_on", "place", "panel_size", "present", "result"],
                              self.tr("Record an appraisal"))
        self.notices = tab("public_notice", ["kind", "started_on", "ends_on", "place", "objections"],
                           self.tr("Record a public notice"))
        self.investigations = tab("investigation", ["investigated_at", "investigators", "housing_type", "findings"],
                                  self.tr("New &home investigation"))
        self.verifications = tab("verification", ["requested_on", "consent_ref", "members_checked", "conclusion"],
                                 self.tr("New &economic verification"))
        self.elders = tab("elder_profile", ["member_id", "risk_tier", "living_arrangement", "capacity_level",
                                            "emergency_contact_phone"], self.tr("New elder profile"))
        self.visits = tab("care_visit", ["visited_at", "elder_name", "method", "health", "services", "author"])
        self.child_files = tab("child_profile", ["member_id", "category", "guardian_name", "guardianship",
                                              "living_situation", "risk_tier"], self.tr("New child's file"))
        self.child_visits = tab("child_visit", ["visited_at", "child_name", "method", "findings", "risk", "author"],
                                self.tr("Record a child visit"))
        self.veterans = tab("veteran_profile", ["member_id", "category", "disability_grade", "certificate_no",
                                                "monthly_allowance"], self.tr("New preferential-care file"))
        self.veteran_visits = tab("veteran_visit", ["visited_at", "veteran_name", "occasion", "findings",
                                                    "support_amount", "author"], self.tr("Record a visit or call"))
        self.calls = tab("emergency_call", ["called_at", "call_type", "status", "dispatched_to", "outcome"],
                         self.tr("Record a Ping'antong call"))
        self.care_places = tab("care_application", ["member_id", "facility_name", "facility_type", "status",
                                                    "queue_position", "priorities", "applied_on", "offers"],
                               self.tr("New care-place application"))
        self.events = tab("grid_event", ["occurred_at", "title", "category", "status"], self.tr("New grid event"))
        self.referrals = tab("referral", ["client_name", "to_org", "urgency", "status"], self.tr("New referral"))
        self.social = tab("social_work_case", ["client_name", "status", "worker", "opened_on"],
                          self.tr("New social-work case"))
        self.notes = tab("case_note", ["at", "text", "author"], self.tr("Add case note"))
        # Who left (迁出, 死亡) and every change of members, kept on the household.
        self.past_members = RecordsTab(session, "member", ["name", "relationship", "id_number", "status", "left_on",
                                                            "left_reason"], parent=self)
        self.past_members.table.setObjectName("table_past_member")
        self.past_members.edit.setVisible(False)
        self.member_events = RecordsTab(session, "member_event", ["occurred_on", "kind", "member_id", "reason",
                                                                   "author", "created_at"], parent=self)
        self.history = HistoryTab(session, self)
        self.member_actions = self._member_actions()
        self.record_visit = self._extra_button(self.elders, self.tr("Record a visit"), "record_visit")
        self.record_review = self._extra_button(self.cases, self.tr("Record a review"), "record_review")

        # Each tab has an Alt+letter, none of them one a tab's own buttons use (the member changes
        # take O D H P M I, the add buttons E N C H E on their tabs).
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.overview, self.tr("O&verview"))
        self.tabs.addTab(self._stack(self.members, self.incomes), self.tr("Mem&bers"))
        self.tabs.addTab(self._stack(self.cases, self.payments, self.steps, self.reviews, self.appraisals,
                                     self.notices),
                         self.tr("&Assistance"))
        self.tabs.addTab(self._stack(self.investigations, self.verifications), self.tr("Inve&stigations"))
        self.tabs.addTab(self._stack(self.elders, self.visits, self.calls), self.tr("E&lders and visits"))
        self.tabs.addTab(self._stack(self.child_files, self.child_visits), self.tr("Child &welfare"))
        self.tabs.addTab(self._stack(self.veterans, self.veteran_visits), self.tr("Pre&ferential care"))
        self.tabs.addTab(self.care_places, self.tr("Care-home &queue"))
        self.tabs.addTab(self.events, self.tr("&Grid records"))
        self.tabs.addTab(self._stack(self.referrals, self.social, self.notes), self.tr("&Referrals and social work"))
        self.tabs.addTab(self._stack(self.past_members, self.member_events), self.tr("Pas&t members and changes"))
        self.tabs.addTab(self.history, self.tr("Histor&y"))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

        self.back_button.clicked.connect(self.back)
        self.print_dialog: PrintDialog | None = None
        self.overview.edit.clicked.connect(self._edit_household)
        # Child lists follow the selected parent: a member's income, a case's reviews and notes.
        self.members.selected.connect(lambda row: self._children(self.incomes, "member_id", row))
        self.members.selected.connect(lambda _row: self._enable_member_actions())
        self.cases.selected.connect(lambda row: self._children(self.payments, "case_id", row))
        self.cases.selected.connect(lambda row: self._children(self.reviews, "case_id", row))
        self.cases.selected.connect(lambda row: self._children(self.steps, "case_id", row))
        self.cases.selected.connect(lambda row: self._children(self.appraisals, "case_id", row))
        self.cases.selected.connect(lambda row: self._children(self.notices, "case_id", row))
        self.child_files.selected.connect(lambda row: self._children(self.child_visits, "child_id", row))
        self.veterans.selected.connect(lambda row: self._children(self.veteran_visits, "veteran_id", row))
        self.elders.selected.connect(lambda row: self._children(self.calls, "elder_id", row))
        self.social.selected.connect(lambda row: self._children(self.notes, "case_id", row))
        self.elders.selected.connect(lambda row: self.record_visit.setEnabled(row is not None))
        self.cases.selected.connect(
            lambda row: self.record_review.setEnabled(row is not None and row.get("status") in REVIEWABLE))
        self.record_visit.clicked.connect(self._record_visit)
        self.record_review.clicked.connect(self._record_review)
        session.changed.connect(self._on_changed)

    def _tab(self, entity: str, fields: list[str], add_text: str = "") -> RecordsTab:
        tab = RecordsTab(self.session, entity, fields, add_text=add_text, parent=self)
        tab.add_requested.connect(lambda: self._add(entity))
        tab.edit_requested.connect(lambda row: self._edit(entity, row))
        return tab

    def _member_actions(self) -> dict[str, QPushButton]:
        """The changes of who lives here, on the Members tab; each has an Alt+letter shortcut."""
        texts = {MOVE_OUT: self.tr("Move &out…"), DECEASED: self.tr("&Deceased…"), CHANGE_HEAD: self.tr("Make &head…"),
                 SPLIT: self.tr("S&plit off…"), MERGE: self.tr("&Merge…"), MOVE_IN: self.tr("Move a member &in…")}
        found = {}
        for n, (action, text) in enumerate(texts.items()):
            button = QPushButton(text, self.members)
            button.setObjectName(f"member_{action}")
            button.setEnabled(action == MOVE_IN)
            button.clicked.connect(lambda _checked=False, a=action: self.change_members(a))
            self.members.buttons.insertWidget(2 + n, button)
            found[action] = button
        return found

    def _enable_member_actions(self) -> None:
        chosen = self.members.current() is not None
        living = len(self.members.model.rows)
        for action, button in self.member_actions.items():
            if action in (MOVE_OUT, DECEASED, CHANGE_HEAD):
                button.setEnabled(chosen)
            elif action == SPLIT:
                button.setEnabled(living >= 2)
            elif action == MERGE:
                button.setEnabled(bool(self.bundle and self.bundle.neighbours))
            else:
                button.setEnabled(self.bundle is not None)

    def change_members(self, action: str) -> RecordDialog | None:
        """Open the form of one change of members (迁出, 死亡, 户主变更, 分户, 合户, 迁入)."""
        if not self.bundle or not self.member_actions[action].isEnabled():
            return None
        member = self.members.current()
        if action in (MOVE_OUT, DECEASED, CHANGE_HEAD) and member is None:
            return None
        return self._open(MemberChangeDialog(self.session, action, self.bundle.household, member,
                                             self._members(), self.bundle.neighbours, parent=self))

    def _extra_button(self, tab: RecordsTab, text: str, name: str) -> QPushButton:
        button = QPushButton(text, tab)
        button.setObjectName(name)
        button.setEnabled(False)
        tab.buttons.insertWidget(2, button)
        return button

    def _stack(self, *tabs: QWidget) -> QWidget:
        page = QWidget(self)
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        for tab in tabs:
            column.addWidget(tab, 1)
        return page

    def _all_tabs(self) -> list[RecordsTab]:
        return [self.members, self.incomes, self.past_members, self.member_events, self.cases, self.payments,
                self.reviews,
                self.steps, self.investigations,
                self.verifications,
                self.elders, self.visits, self.appraisals, self.notices, self.child_files, self.child_visits,
                self.veterans, self.veteran_visits, self.calls, self.care_places, self.events, self.referrals,
                self.social, self.notes]

    # -- loading ------------------------------------------------------------------------------
    def show_household(self, household_id: str) -> None:
        if household_id != self.household_id:
            self.clear()
            self.household_id = household_id
            # Opening a household is a read of its members' personal data: it goes in the trail.
            self.session.with_workspace(lambda ws: access.note(ws, access.VIEW, "household", household_id))
        self.reload()

    def reload(self) -> None:
        household_id = self.household_id
        if not household_id or not self.session.is_open:
            return
        role = self.session.role
        self.session.read(lambda db: load_bundle(db, household_id, role), self._show, self._failed)

    def print_form(self, name: str) -> PrintDialog | None:
        """Preview and print one of the household's forms, or save it as a password-protected PDF."""
        if not self.household_id or self.bundle is None:
            return None
        self.print_dialog = open_print(self.session, form_job(name, [self.household_id]), self)
        return self.print_dialog

    def print_sheet(self) -> PrintDialog | None:
        """The registration sheet (家庭基本情况登记表)."""
        return self.print_form("household_sheet")

    def _show(self, bundle: Bundle) -> None:
        if bundle.household["id"] != self.household_id:
            return
        self.bundle = bundle
        household = bundle.household
        self.title.setText(household["head_name"] or "–")
        self.address.setText(household["address"])
        self.overview.set_household(household)
        self.past_members.set_rows(bundle.rows("past_member"))
        for tab in (self.members, self.member_events, self.cases, self.investigations, self.verifications,
                    self.elders, self.visits, self.child_files, self.veterans, self.care_places, self.events,
                    self.referrals, self.social):
            tab.set_rows(bundle.rows(tab.entity))
        self.history.set_entries(bundle.history)
        self._enable_member_actions()
        self.loaded.emit()

    def _children(self, tab: RecordsTab, parent_field: str, parent: Row | None) -> None:
        rows = self.bundle.rows(tab.entity) if self.bundle and parent else []
        tab.parent_row = parent
        tab.set_rows([r for r in rows if parent and r.get(parent_field) == parent["id"]])
        tab.add.setEnabled(parent is not None)

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
        for tab in self._all_tabs():
            tab.set_rows([])
        self.history.set_entries([])

    # -- actions ------------------------------------------------------------------------------
    def _members(self) -> list[tuple[str, str]]:
        return self.bundle.members() if self.bundle else []

    def _open(self, dialog: RecordDialog) -> RecordDialog:
        # open(), not exec(): the event loop keeps running, locking can hide it, tests can drive it.
        self._dialogs.append(dialog)
        dialog.finished.connect(lambda _r, d=dialog: self._dialogs.remove(d) if d in self._dialogs else None)
        dialog.open()
        return dialog

    def _add(self, entity: str) -> RecordDialog | None:
        if not self.bundle:
            return None
        household = self.bundle.household
        fixed: dict[str, Any] = {"household_id": household["id"]}
        owner = ("household", household["id"])
        values: dict[str, Any] = {}
        parents = {"income_item": (self.incomes, "member_id", "member"),
                   "case_note": (self.notes, "case_id", "social_work_case"),
                   "case_payment": (self.payments, "case_id", "assistance_case"),
                   "appraisal": (self.appraisals, "case_id", "assistance_case"),
                   "public_notice": (self.notices, "case_id", "assistance_case"),
                   "child_visit": (self.child_visits, "child_id", "child_profile"),
                   "veteran_visit": (self.veteran_visits, "veteran_id", "veteran_profile"),
                   "emergency_call": (self.calls, "elder_id", "elder_profile")}
        if entity in parents:
            tab, field, parent_entity = parents[entity]
            if tab.parent_row is None:
                return None
            fixed = {field: tab.parent_row["id"]}
            owner = (parent_entity, tab.parent_row["id"])
        if entity in ("referral", "social_work_case"):
            values["client_name"] = household["head_name"]
        if entity == "member" and not any(m["relationship"] == HEAD and not m["archived"]
                                          for m in self.bundle.rows("member")):
            # The first person registered is usually the head: 户主, under the name the household has.
            values.update(relationship=HEAD, name=household["head_name"])
        dialog = RecordDialog(self.session, entity, fixed=fixed, values=values, members=self._members(),
                              owner=owner, parent=self)
        if entity == "assistance_case":
            self._computed_amount(dialog, {"org_code": household["org_code"], "status": "applied"})
        return self._open(dialog)

    def _edit(self, entity: str, row: Row) -> RecordDialog:
        links = {"building_id": self.bundle.buildings} if entity == "household" and self.bundle else None
        dialog = RecordDialog(self.session, entity, record_id=row["id"], values=row, members=self._members(),
                              links=links, parent=self)
        if entity == "assistance_case" and self.bundle:
            self._computed_amount(dialog, {"org_code": self.bundle.household["org_code"], **row})
        return self._open(dialog)

    def _computed_amount(self, dialog: RecordDialog, case: Row) -> None:
        """核算金额 beside the typed amount, from the members and income items this view shows."""
        if self.bundle:
            amount_panel.attach(dialog.form, case, self.bundle.rows("member"), self.bundle.rows("income_item"),
                                cases=self.bundle.rows("assistance_case"))

    def _edit_household(self) -> RecordDialog | None:
        if not self.bundle:
            return None
        return self._edit("household", self.bundle.household)

    def _record_visit(self) -> RecordDialog | None:
        row = self.elders.current()
        if row is None:
            return None
        return self._open(QuickVisitDialog(self.session, row["id"], row.get("member_id_label", ""), parent=self))

    def _record_review(self) -> RecordDialog | None:
        row = self.cases.current()
        if row is None or row.get("status") not in REVIEWABLE:
            return None
        return self._open(ReviewDialog(self.session, row, parent=self))

    def open_dialogs(self) -> list[RecordDialog]:
        return list(self._dialogs)
