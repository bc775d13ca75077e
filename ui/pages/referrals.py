"""Referrals between organisations, with their workflow (consent before sending), as filtered lists:
every referral on this device (open ones by default), and the inbox of those sent to a centre this
user reaches (caseapp.services.referrals), where the receiving side accepts or declines, starts the
service and gives feedback; the other side's steps are shown greyed with whose they are."""

from __future__ import annotations

from typing import Any

from caseapp.services import listing, referrals, workflows
from ui.forms.dialog import RecordDialog
from ui.forms.specs import specs
from ui.pages.base import Page
from ui.qt import QTabWidget, QVBoxLayout, QWidget
from ui.session import Session
from ui.widgets.record_list import RecordList


def open_referrals() -> listing.ListFilter:
    """Every state but closed: what the list showed before it had filters."""
    states = tuple(s for s in workflows.REFERRAL.states if s != "closed")
    return listing.ListFilter(choices={"status": states})


def inbox(reach: tuple[str, ...] | None) -> listing.ListFilter:
    """Referrals sent to a centre in this user's reach and not yet closed (None: a workspace never
    signed in, which receives for every centre)."""
    states = tuple(s for s in workflows.REFERRAL.states if s in referrals.SENT_STATES and s != "closed")
    return listing.ListFilter(scope=reach, choices={"status": states})


class ReferralsPage(Page):
    watches = frozenset({"referral"})

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.tab = RecordList(session, "referrals", add_text=self.tr("New referral"), parent=self)
        self.inbox = RecordList(session, "referral_inbox", parent=self)
        self.inbox.setObjectName("referral_inbox")
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.tab, self.tr("All referrals"))
        self.tabs.addTab(self.inbox, self.tr("Inbox: referred to us"))
        QVBoxLayout(self).addWidget(self.tabs)
        self.tab.add_requested.connect(lambda: self._open(RecordDialog(session, "referral", parent=self)))
        for lst in (self.tab, self.inbox):
            # Tab leaves the list for the steps below it (a keyboard user accepts without a mouse)
            lst.panel.table.setTabKeyNavigation(False)
            lst.edit_requested.connect(self.edit)
        self.dialog: RecordDialog | None = None

    def edit(self, row: dict[str, Any]) -> RecordDialog:
        """The referral's form; the receiving side's holds only what it writes (its response, its
        contact person, the feedback date): the rest is the referring side's."""
        side = referrals.sides(self.session.reach, row)
        shown = None
        if referrals.SENDER not in side:
            answer = referrals.RECEIVER_FIELDS | referrals.SHARED_FIELDS
            shown = [spec for spec in specs("referral") if spec.name in answer]
        return self._open(RecordDialog(self.session, "referral", record_id=row["id"], values=row, specs=shown,
                                       parent=self))

    def title(self) -> str:
        return self.tr("Referrals")

    def refresh(self) -> None:
        remembered = self.session.settings.get("lists.filters") or {}
        for lst, name, first in ((self.tab, "referrals", open_referrals()),
                                 (self.inbox, "referral_inbox", inbox(self.session.reach))):
            if not lst.panel.restored and name not in remembered:
                lst.panel.apply(first, save=False)
            else:
                lst.refresh()

    def show_inbox(self) -> None:
        self.tabs.setCurrentWidget(self.inbox)

    def clear(self) -> None:
        super().clear()
        self.tab.clear()
        self.inbox.clear()

    def _open(self, dialog: RecordDialog) -> RecordDialog:
        self.dialog = dialog
        dialog.open()
        return dialog
