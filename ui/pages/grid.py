"""Grid records: grid events with their workflow moves, patrol logs and disaster reports, the
grid's buildings (四标四实, each opening on its dwellings, households and residents) and its actual
population (实有人口), each a filtered list (open events by default), with new records added from here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session as DbSession

from caseapp.domain import DisasterReport
from caseapp.services import disaster, display, listing, records, schedule
from ui.forms.dialog import RecordDialog
from ui.forms.specs import FieldSpec, specs
from ui.grid_buildings import BuildingView
from ui.models.filtered import ShownRow
from ui.pages.base import Page
from ui.qt import QStackedWidget, QTabWidget, QVBoxLayout, QWidget
from ui.session import Session
from ui.widgets.disaster_series import SeriesBar, SeriesState, series_state
from ui.widgets.list_panel import ListPanel
from ui.widgets.record_list import RecordList

#: what the events list shows until the user chooses otherwise: the events still being handled
OPEN_EVENTS = listing.ListFilter(choices={"status": schedule.OPEN_EVENT_STATES})


class GridPage(Page):
    watches = frozenset({"grid_event", "grid_event_update", "patrol_log", "disaster_report", "building", "resident",
                         "household"})

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.events = RecordList(session, "grid_events", add_text=self.tr("&New grid event"), parent=self)
        self.patrols = RecordList(session, "patrol_logs", add_text=self.tr("&New patrol log"), parent=self)
        self.disasters = RecordList(session, "disaster_reports", add_text=self.tr("&New disaster report"),
                                    parent=self)
        # the buttons the page had before it had tabs, still where people look for them
        self.patrol = self.patrols.add
        self.patrol.setObjectName("new_patrol_log")
        self.disaster = self.disasters.add
        self.disaster.setObjectName("new_disaster_report")
        # A disaster's reports are a series: the selected one's, what it owes, and its next report.
        self.series = SeriesBar(session.core_lang, self.disasters)
        self._series_asked = 0  # the series reads asked for; only the latest one's answer is shown
        self.disasters.layout().addWidget(self.series)  # type: ignore[union-attr]
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("grid_lists")
        self.tabs.addTab(self.events, self.tr("Grid &events"))
        self.tabs.addTab(self.patrols, self.tr("Pa&trol logs"))
        self.tabs.addTab(self.disasters, self.tr("Disaster &reports"))
        # 四标四实: the grid's buildings, each opening on who lives there, and its actual population
        self.buildings = RecordList(session, "buildings", add_text=self.tr("&New building"), parent=self)
        self.buildings.edit.setText(self.tr("Open"))
        self.residents = RecordList(session, "residents", parent=self)
        self.tabs.addTab(self.buildings, self.tr("&Buildings"))
        self.tabs.addTab(self.residents, self.tr("Actual &population"))
        self.building = BuildingView(session, self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.tabs)
        self.stack.addWidget(self.building)
        QVBoxLayout(self).addWidget(self.stack)
        self.buildings.add_requested.connect(lambda: self.new("building"))
        self.buildings.edit_requested.connect(lambda row: self.show_building(row["id"]))
        self.residents.edit_requested.connect(
            lambda row: self._open(RecordDialog(session, "resident", record_id=row["id"], values=row, parent=self)))
        self.building.back.connect(self.show_lists)
        self.building.open_household.connect(self.open_household)
        self.events.add_requested.connect(lambda: self.new("grid_event"))
        self.events.edit_requested.connect(
            lambda row: self._open(RecordDialog(session, "grid_event", record_id=row["id"], values=row, parent=self)))
        self.patrols.add_requested.connect(lambda: self.new("patrol_log"))
        self.disasters.add_requested.connect(self.new_disaster)
        self.disasters.panel.selected.connect(self._disaster_selected)
        # a report filed meanwhile (here or by sync) changes the series shown: read it again
        self.disasters.panel.model.loaded.connect(lambda: self._disaster_selected(self.disasters.panel.current()))
        self.series.file_requested.connect(self.file_follow_up)
        self.disasters.edit_requested.connect(
            lambda row: self._open(RecordDialog(session, "disaster_report", record_id=row["id"], values=row,
                                                parent=self)))
        self.tabs.currentChanged.connect(lambda _i: self.refresh() if session.is_open else None)
        self.dialog: RecordDialog | None = None

    def focus_target(self) -> QWidget | None:
        current = self.tabs.currentWidget()
        return current.panel.table if isinstance(current, RecordList) else None

    def title(self) -> str:
        return self.tr("Grid records")

    def panels(self) -> list[ListPanel]:
        return [self.events.panel, self.patrols.panel, self.disasters.panel, self.buildings.panel,
                self.residents.panel]

    def show_building(self, building_id: str) -> None:
        """One building with its dwellings, households and residents."""
        self.building.show_building(building_id)
        self.stack.setCurrentWidget(self.building)

    def show_lists(self) -> None:
        self.stack.setCurrentWidget(self.tabs)
        self.refresh()

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
        for tab in (self.events, self.patrols, self.disasters, self.buildings, self.residents):
            tab.clear()
        self.building.clear()
        self.stack.setCurrentWidget(self.tabs)

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

    # -- disaster report series ------------------------------------------------------------------
    def new_disaster(self) -> RecordDialog:
        """An initial report (初报), filed now by this user."""
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        dialog = RecordDialog(self.session, "disaster_report", values={"reported_at": now,
                                                                       "reporter": self.session.actor},
                              specs=self._stage_specs(disaster.INITIAL), parent=self)
        self._title(dialog, disaster.INITIAL)
        return self._open(dialog)

    def _disaster_selected(self, shown: ShownRow | None) -> None:
        # Reads run in parallel and may answer out of order: only the latest one asked is shown (an
        # older answer, for the row selected before or the series before a report was filed, would
        # otherwise hide or overwrite it).
        self._series_asked += 1
        asked = self._series_asked
        if shown is None or not self.session.is_open:
            self.series.show_state(None)
            return
        lang = self.session.core_lang
        self.session.read(lambda db: series_state(db, shown.id, lang), lambda state: self._series_shown(asked, state),
                          lambda error: self._series_shown(asked, None))

    def _series_shown(self, asked: int, state: SeriesState | None) -> None:
        if asked != self._series_asked:
            return
        current = self.disasters.panel.current()
        mine = state is not None and current is not None and current.id == state.report_id
        self.series.show_state(state if mine else None)

    def file_follow_up(self, stage: str) -> None:
        """The selected report's series' next report (续报 / 核报), started from its latest figures."""
        state = self.series.state
        if state is None:
            return
        reporter = self.session.actor

        def read(db: DbSession) -> dict[str, Any]:
            return disaster.follow_up(db, records.get(db, DisasterReport, state.report_id), stage, reporter)

        def opened(values: dict[str, Any]) -> None:
            fixed = {k: values.pop(k) for k in ("stage", "series_id", "org_code")}
            dialog = RecordDialog(self.session, "disaster_report", values=values, fixed=fixed,
                                  specs=self._stage_specs(stage), parent=self)
            self._title(dialog, stage)
            self._open(dialog)

        self.session.read(read, opened, lambda error: self.disasters.error.show_error(self.session.message(error)))

    @staticmethod
    def _stage_specs(stage: str) -> tuple[FieldSpec, ...]:
        """Each stage its own form: the 核报 is checked (审核人) before it goes out."""
        return tuple(f for f in specs("disaster_report") if f.name != "reviewer" or stage == disaster.FINAL)

    def _title(self, dialog: RecordDialog, stage: str) -> None:
        lang = self.session.core_lang
        dialog.setWindowTitle(f"{display.state_name('disaster_report', stage, lang)}："
                              f"{display.entity_name('disaster_report', lang)}" if lang == "zh" else
                              f"{display.entity_name('disaster_report', lang)}: "
                              f"{display.state_name('disaster_report', stage, lang)}")

    def _open(self, dialog: RecordDialog) -> RecordDialog:
        self.dialog = dialog
        dialog.open()
        return dialog

