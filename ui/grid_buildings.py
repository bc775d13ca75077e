"""One building (四标四实) as a grid officer sees it: its standard address and particulars, and by
房号 its dwellings (实有房屋), the households placed at it and the people actually living there
(实有人口), each added or edited from here; a household opens in the household view."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session as DbSession

from caseapp.services import buildings, display
from ui.forms.dialog import RecordDialog
from ui.qt import QFormLayout, QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget, Signal
from ui.session import Session, touches
from ui.widgets.field_error import FieldError
from ui.widgets.marks import mark_data
from ui.widgets.records_tab import RecordsTab
from ui.widgets.text import heading

WATCHED = frozenset({"building", "dwelling", "resident", "household", "member"})
# the building's particulars shown above its tabs (the address is the heading)
SHOWN = ("building_code", "use", "structure", "floors", "units", "built_year", "manager_name", "manager_phone",
         "fire_safety")


class BuildingView(QWidget):
    back = Signal()
    loaded = Signal()
    # a household placed here was opened (its id)
    open_household = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.building_id = ""
        self.shown: buildings.BuildingPage | None = None
        self.dialog: RecordDialog | None = None
        self.back_button = QPushButton(self.tr("← All buildings"), self)
        self.back_button.setObjectName("back_to_buildings")
        self.title = heading("", self)
        self.title.setObjectName("building_address")
        mark_data(self.title)
        self.edit = QPushButton(self.tr("Edit building"), self)
        self.edit.setObjectName("edit_building")
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.title, 1)
        top.addWidget(self.edit)
        self.values: dict[str, QLabel] = {}
        form = QFormLayout()
        lang = session.core_lang
        for name in SHOWN:
            value = QLabel(self)
            value.setWordWrap(True)
            mark_data(value)
            self.values[name] = value
            form.addRow(display.field_name("building", name, lang), value)
        self.dwellings = RecordsTab(session, "dwelling", ["room_no", "floor", "area", "occupancy", "owner_name",
                                                          "owner_phone"],
                                    add_text=self.tr("Add &dwelling"), parent=self)
        self.households = RecordsTab(session, "household", ["room_no", "head_name", "household_size", "phone",
                                                            "register_type"], parent=self)
        self.households.edit.setText(self.tr("Open household"))
        self.residents = RecordsTab(session, "resident", ["room_no", "name", "sex", "population_type",
                                                          "residence_reason", "moved_in_on", "phone"],
                                    add_text=self.tr("Add &resident"), parent=self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("building_tabs")
        self.tabs.addTab(self.dwellings, "")
        self.tabs.addTab(self.households, "")
        self.tabs.addTab(self.residents, "")
        self.error = FieldError(self)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(form)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        self._count_tabs()

        self.back_button.clicked.connect(self.back)
        self.edit.clicked.connect(self.edit_building)
        self.dwellings.add_requested.connect(lambda: self.add("dwelling"))
        self.residents.add_requested.connect(lambda: self.add("resident"))
        self.dwellings.edit_requested.connect(lambda row: self._edit("dwelling", row))
        self.residents.edit_requested.connect(lambda row: self._edit("resident", row))
        self.households.edit_requested.connect(lambda row: self.open_household.emit(row["id"]))
        session.changed.connect(self._on_changed)

    def _count_tabs(self) -> None:
        page = self.shown
        counts = (len(page.dwellings), len(page.households), len(page.residents)) if page else (0, 0, 0)
        for n, (text, count) in enumerate(zip((self.tr("Dwellings (%1)"), self.tr("Households (%1)"),
                                               self.tr("Residents (%1)")), counts, strict=True)):
            self.tabs.setTabText(n, text.replace("%1", str(count)))

    def show_building(self, building_id: str) -> None:
        if building_id != self.building_id:
            self.clear()
            self.building_id = building_id
        self.reload()

    def reload(self) -> None:
        building_id = self.building_id
        if not building_id or not self.session.is_open:
            return

        def read(db: DbSession) -> buildings.BuildingPage:
            return buildings.page(db, building_id)

        self.session.read(read, self._show, lambda error: self.error.show_error(self.session.message(error)))

    def _show(self, page: buildings.BuildingPage) -> None:
        if page.building["id"] != self.building_id:
            return  # another building was opened meanwhile
        self.shown = page
        self.error.clear_error()
        self.title.setText(page.address)
        lang = self.session.core_lang
        for name, label in self.values.items():
            label.setText(display.value_text("building", name, page.building.get(name), lang, mask=True))
        self.dwellings.set_rows(page.dwellings)
        self.households.set_rows(page.households)
        self.residents.set_rows(page.residents)
        self._count_tabs()
        self.loaded.emit()

    def add(self, entity: str) -> RecordDialog | None:
        if self.shown is None:
            return None
        values: dict[str, Any] = {}
        current = self.dwellings.current()
        if entity == "resident" and current is not None:
            values["room_no"] = current["room_no"]  # most often someone in the dwelling selected
        return self._open(RecordDialog(self.session, entity, fixed={"building_id": self.building_id}, values=values,
                                       owner=("building", self.building_id), parent=self))

    def edit_building(self) -> RecordDialog | None:
        if self.shown is None:
            return None
        return self._edit("building", self.shown.building)

    def _edit(self, entity: str, row: dict[str, Any]) -> RecordDialog:
        return self._open(RecordDialog(self.session, entity, record_id=row["id"], values=row, parent=self))

    def _open(self, dialog: RecordDialog) -> RecordDialog:
        self.dialog = dialog
        dialog.open()
        return dialog

    def _on_changed(self, entities: frozenset[str]) -> None:
        if self.building_id and touches(entities, WATCHED):
            self.reload()

    def clear(self) -> None:
        self.building_id = ""
        self.shown = None
        self.title.clear()
        for label in self.values.values():
            label.clear()
        for tab in (self.dwellings, self.households, self.residents):
            tab.set_rows([])
        self.error.clear_error()
        self._count_tabs()

