"""Grid records: grid events with their workflow moves, patrol logs and disaster reports, each a
filtered list (open events by default), with new records added from here."""

from __future__ import annotations

from caseapp.services import listing, schedule
from ui.forms.dialog import RecordDialog
from ui.pages.base import Page
from ui.qt import QTabWidget, QVBoxLayout, QWidget
from ui.session import Session
from ui.widgets.list_panel import ListPanel
from ui.widgets.record_list import RecordList

#: what the events list shows until the user chooses otherwise: the events still being handled
OPEN_EVENTS = listing.ListFilter(choices={"status": schedule.OPEN_EVENT_STATES})


class GridPage(Page):
    watches = frozenset({"grid_event", "grid_event_update", "patrol_log", "disaster_report"})

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.events = RecordList(session, "grid_events", add_text=self.tr("New grid event"), parent=self)
        self.patrols = RecordList(session, "patrol_logs", add_text=self.tr("New patrol log"), parent=self)
        self.disasters = RecordList(session, "disaster_reports", add_text=self.tr("New disaster report"),
                                    parent=self)
        # the buttons the page had before it had tabs, still where people look for them
        self.patrol = self.patrols.add
        self.patrol.setObjectName("new_patrol_log")
        self.disaster = self.disasters.add
        self.disaster.setObjectName("new_disaster_report")
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("grid_lists")
        self.tabs.addTab(self.events, self.tr("Grid events"))
        self.tabs.addTab(self.patrols, self.tr("Patrol logs"))
        self.tabs.addTab(self.disasters, self.tr("Disaster reports"))
        QVBoxLayout(self).addWidget(self.tabs)
        self.events.add_requested.connect(lambda: self.new("grid_event"))
        self.events.edit_requested.connect(
            lambda row: self._open(RecordDialog(session, "grid_event", record_id=row["id"], values=row, parent=self)))
        self.patrols.add_requested.connect(lambda: self.new("patrol_log"))
        self.disasters.add_requested.connect(lambda: self.new("disaster_report"))
        self.disasters.edit_requested.connect(
            lambda row: self._open(RecordDialog(session, "disaster_report", record_id=row["id"], values=row,
                                                parent=self)))
        self.tabs.currentChanged.connect(lambda _i: self.refresh() if session.is_open else None)
        self.dialog: RecordDialog | None = None

    def title(self) -> str:
        return self.tr("Grid records")

    def panels(self) -> list[ListPanel]:
        return [self.events.panel, self.patrols.panel, self.disasters.panel]

    def refresh(self) -> None:
        current = self.tabs.currentWidget()
        if isinstance(current, RecordList):
            if current is self.events and not current.panel.restored and "grid_events" not in (
                    self.session.settings.get("lists.filters") or {}):
                current.panel.apply(OPEN_EVENTS, save=False)
                return
            current.refresh()

    def clear(self) -> None:
        super().clear()
        for tab in (self.events, self.patrols, self.disasters):
            tab.clear()

    def show_events(self, flt: listing.ListFilter) -> None:
        """The grid events, filtered (a Today card)."""
        self.tabs.setCurrentWidget(self.events)
        self.events.panel.apply(flt)

    def select(self, event_id: str) -> None:
        """Select this event once the list has loaded (it may still be loading)."""
        self.tabs.setCurrentWidget(self.events)
        self.events.select(event_id)

    def new(self, entity: str) -> RecordDialog:
        return self._open(RecordDialog(self.session, entity, parent=self))

    def _open(self, dialog: RecordDialog) -> RecordDialog:
        self.dialog = dialog
        dialog.open()
        return dialog

