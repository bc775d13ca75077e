"""Referrals between organisations, with their workflow (consent before sending), as a filtered
list (open referrals by default)."""

from __future__ import annotations

from caseapp.services import listing, workflows
from ui.forms.dialog import RecordDialog
from ui.pages.base import Page
from ui.qt import QVBoxLayout, QWidget
from ui.session import Session
from ui.widgets.record_list import RecordList


def open_referrals() -> listing.ListFilter:
    """Every state but closed: what the list showed before it had filters."""
    states = tuple(s for s in workflows.REFERRAL.states if s != "closed")
    return listing.ListFilter(choices={"status": states})


class ReferralsPage(Page):
    watches = frozenset({"referral"})

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.tab = RecordList(session, "referrals", add_text=self.tr("New referral"), parent=self)
        QVBoxLayout(self).addWidget(self.tab)
        self.tab.add_requested.connect(lambda: self._open(RecordDialog(session, "referral", parent=self)))
        self.tab.edit_requested.connect(
            lambda row: self._open(RecordDialog(session, "referral", record_id=row["id"], values=row, parent=self)))
        self.dialog: RecordDialog | None = None

    def title(self) -> str:
        return self.tr("Referrals")

    def refresh(self) -> None:
        panel = self.tab.panel
        if not panel.restored and "referrals" not in (self.session.settings.get("lists.filters") or {}):
            panel.apply(open_referrals(), save=False)
            return
        self.tab.refresh()

    def clear(self) -> None:
        super().clear()
        self.tab.clear()

    def _open(self, dialog: RecordDialog) -> RecordDialog:
        self.dialog = dialog
        dialog.open()
        return dialog
