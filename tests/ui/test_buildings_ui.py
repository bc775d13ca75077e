"""A grid officer's buildings under offscreen Qt (issue 12, 四标四实): a building added from the
Grid records page's Buildings tab, with the households and residents it holds counted in its row;
opened, it lists its dwellings, households and residents, adds a dwelling and a resident (a
floating one refused until the reason is given); a household placed at it from the household form
(the building chosen from its community's) opens from there."""

from __future__ import annotations

from caseapp.domain import Building, Household, Member
from caseapp.services import records
from tests.ui.conftest import ORG
from ui.forms.dialog import RecordDialog
from ui.forms.specs import ORDER
from ui.window import AppWindow


def _shows_its_fields(dialog: RecordDialog, entity: str) -> None:
    assert set(dialog.form.editors) == set(ORDER[entity])


def test_a_building_is_added_opened_and_filled_with_its_dwellings_residents_and_households(
        qtbot, window: AppWindow) -> None:
    ws = window.session.ws
    assert ws is not None
    grid = window.main_screen.grid
    window.main_screen.go(grid)
    grid.tabs.setCurrentWidget(grid.buildings)
    grid.buildings.add.click()
    dialog = grid.dialog
    assert dialog is not None
    _shows_its_fields(dialog, "building")
    dialog.fixed["org_code"] = ORG
    for name, value in (("road", "小北路"), ("house_no", "100号"), ("name", "小北花园3栋"), ("floors", "9")):
        dialog.form.editor(name).set(value)
    dialog.save.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)
    qtbot.waitUntil(lambda: grid.buildings.panel.model.rowCount() == 1, timeout=5_000)
    with ws.read() as db:
        (building,) = db.query(Building).all()
        building_id = building.id

    # a household placed at the building from its own form: the building is chosen, not typed
    with ws.write() as db:
        home = records.create(db, Household, {"org_code": ORG, "head_name": "王芳", "address": "小北路100号"})
        records.create(db, Member, {"org_code": ORG, "household_id": home.id, "name": "王芳", "relationship": "02"})
    window.main_screen.open_household(home.id)
    view = window.main_screen.households.view
    qtbot.waitUntil(lambda: view.bundle is not None and view.bundle.buildings != [], timeout=5_000)
    edit = view._edit_household()
    assert edit is not None
    chooser = edit.form.editor("building_id")
    chooser.set(building_id)
    assert chooser.get() == building_id
    edit.form.editor("room_no").set("302")
    edit.save.click()
    qtbot.waitUntil(lambda: not edit.isVisible(), timeout=5_000)
    qtbot.waitUntil(lambda: view.overview.values["building_id"].text() == "小北路100号 小北花园3栋", timeout=5_000)

    window.main_screen.go(grid)
    grid.show_building(building_id)
    shown = grid.building
    qtbot.waitUntil(lambda: shown.shown is not None and len(shown.households.model.rows) == 1, timeout=5_000)
    assert shown.title.text() == "小北路100号 小北花园3栋"
    assert shown.households.model.rows[0]["room_no"] == "302"

    shown.dwellings.add.click()
    dwelling = shown.dialog
    assert dwelling is not None
    _shows_its_fields(dwelling, "dwelling")
    dwelling.form.editor("room_no").set("302")
    dwelling.form.editor("occupancy").set("rented")
    dwelling.save.click()
    qtbot.waitUntil(lambda: not dwelling.isVisible(), timeout=5_000)
    qtbot.waitUntil(lambda: len(shown.dwellings.model.rows) == 1, timeout=5_000)

    shown.dwellings.table.selectRow(0)
    shown.residents.add.click()
    resident = shown.dialog
    assert resident is not None
    _shows_its_fields(resident, "resident")
    assert resident.form.editor("room_no").get() == "302"  # the dwelling selected
    for name, value in (("name", "李明"), ("id_number", "360426199101010071"), ("population_type", "floating")):
        resident.form.editor(name).set(value)
    resident.save.click()
    qtbot.waitUntil(lambda: resident.form.errors["residence_reason"].isVisibleTo(resident), timeout=5_000)
    resident.form.editor("residence_reason").set("work")
    resident.save.click()
    qtbot.waitUntil(lambda: not resident.isVisible(), timeout=5_000)
    qtbot.waitUntil(lambda: len(shown.residents.model.rows) == 1, timeout=5_000)
    assert shown.tabs.tabText(2) == "Residents (1)"

    # back on the list: the row counts the household and the resident, in SQL
    shown.back_button.click()
    qtbot.waitUntil(lambda: grid.stack.currentWidget() is grid.tabs, timeout=5_000)
    model = grid.buildings.panel.model
    qtbot.waitUntil(lambda: model.rowCount() == 1 and model.rows[0].values["residents"] == 1, timeout=5_000)
    assert (model.rows[0].values["households"], model.rows[0].values["floating"]) == (1, 1)
    grid.tabs.setCurrentWidget(grid.residents)
    qtbot.waitUntil(lambda: grid.residents.panel.model.rowCount() == 1, timeout=5_000)

    # a household opens from the building's page
    grid.show_building(building_id)
    qtbot.waitUntil(lambda: len(shown.households.model.rows) == 1, timeout=5_000)
    shown.households.table.selectRow(0)
    opened: list[str] = []
    shown.open_household.connect(opened.append)
    shown.households.edit.click()
    assert opened == [home.id]
