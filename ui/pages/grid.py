"""Grid records: open grid events with their workflow moves, new events, patrol logs and disaster
reports."""

from __future__ import annotations

from sqlalchemy.orm import Session as DbSession

from caseapp.services import schedule
from ui.forms.dialog import RecordDialog
from ui.household.bundle import Row, as_row
from ui.pages.base import Page
from ui.qt import QPushButton, Qt, QVBoxLayout, QWidget
from ui.session import Session
from ui.widgets.records_tab import RecordsTab


def open_event_rows(db: DbSession) -> list[Row]:
    return [as_row(event) for event in schedule.open_events(db)]


class GridPage(Page):
    watches = frozenset({"grid_event", "grid_event_update"})

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.events = RecordsTab(session, "grid_event", ["occurred_at", "title", "category", "scale", "status",
                                                         "place"],
                                 add_text=self.tr("New grid event"), parent=self)
        self.events.model.loader = open_event_rows
        self.patrol = QPushButton(self.tr("New patrol log"), self)
        self.patrol.setObjectName("new_patrol_log")
        self.disaster = QPushButton(self.tr("New disaster report"), self)
        self.disaster.setObjectName("new_disaster_report")
        self.events.buttons.insertWidget(2, self.patrol)
        self.events.buttons.insertWidget(3, self.disaster)
        QVBoxLayout(self).addWidget(self.events)
        self.events.add_requested.connect(lambda: self.new("grid_event"))
        self.events.edit_requested.connect(
            lambda row: self._open(RecordDialog(session, "grid_event", record_id=row["id"], values=row, parent=self)))
        self.patrol.clicked.connect(lambda: self.new("patrol_log"))
        self.disaster.clicked.connect(lambda: self.new("disaster_report"))
        self.dialog: RecordDialog | None = None

    def title(self) -> str:
        return self.tr("Grid records")

    def refresh(self) -> None:
        self.events.model.reset()

    def clear(self) -> None:
        super().clear()
        self.events.model.clear()

    def select(self, event_id: str) -> None:
        """Select this event once the list has loaded (it may still be loading)."""
        def pick() -> None:
            for n, row in enumerate(self.events.model.rows):
                if row["id"] == event_id:
                    self.events.table.selectRow(n)
                    return

        if self.events.model.ready:
            pick()
        self.events.model.loaded.connect(pick, Qt.ConnectionType.SingleShotConnection)

    def new(self, entity: str) -> RecordDialog:
        return self._open(RecordDialog(self.session, entity, parent=self))

    def _open(self, dialog: RecordDialog) -> RecordDialog:
        self.dialog = dialog
        dialog.open()
        return dialog
