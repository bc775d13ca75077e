"""Referrals between organisations, with their workflow (consent before sending)."""

from __future__ import annotations

from sqlalchemy.orm import Session as DbSession

from caseapp.services.lists import referrals
from ui.forms.dialog import RecordDialog
from ui.household.bundle import Row, as_row
from ui.pages.base import Page
from ui.qt import QVBoxLayout, QWidget
from ui.session import Session
from ui.widgets.records_tab import RecordsTab


def referral_rows(db: DbSession) -> list[Row]:
    return [as_row(r) for r in referrals(db)]


class ReferralsPage(Page):
    watches = frozenset({"referral"})

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.tab = RecordsTab(session, "referral", ["client_name", "from_org", "to_org", "urgency", "status",
                                                    "sent_at"],
                              add_text=self.tr("New referral"), parent=self)
        self.tab.model.loader = referral_rows
        QVBoxLayout(self).addWidget(self.tab)
        self.tab.add_requested.connect(lambda: self._open(RecordDialog(session, "referral", parent=self)))
        self.tab.edit_requested.connect(
            lambda row: self._open(RecordDialog(session, "referral", record_id=row["id"], values=row, parent=self)))
        self.dialog: RecordDialog | None = None

    def title(self) -> str:
        return self.tr("Referrals")

    def refresh(self) -> None:
        self.tab.model.reset()

    def clear(self) -> None:
        super().clear()
        self.tab.model.clear()

    def _open(self, dialog: RecordDialog) -> RecordDialog:
        self.dialog = dialog
        dialog.open()
        return dialog
