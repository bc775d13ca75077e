"""The care-place waiting list on screen (issue 12): an application recorded on the household's
Care-home queue tab with the model's labels, refused as the core refuses it, taken into the queue by
its workflow step (greyed, with the reason, until the assessment is in), shown with its place in the
queue on the household and in queue order on the visits page's waiting list."""

from __future__ import annotations

import datetime as dt

from caseapp.domain import Household, Member
from caseapp.services import display, records
from tests.ui.conftest import ORG
from ui.forms.dialog import RecordDialog
from ui.forms.specs import ORDER
from ui.qt import QLabel
from ui.window import AppWindow

APPLIED = (dt.date.today() - dt.timedelta(days=30)).isoformat()


def _labels(dialog: RecordDialog) -> list[str]:
    return [label.text().removesuffix(" *") for label in dialog.form.findChildren(QLabel)
            if label.buddy() is not None]


def test_an_application_is_recorded_queued_and_listed_in_queue_order(qtbot, window: AppWindow) -> None:
    ws = window.session.ws
    assert ws is not None
    with ws.write() as db:
        home = records.create(db, Household, {"org_code": ORG, "head_name": "李桂英", "address": "小北路 9 号"})
        elder = records.create(db, Member, {"org_code": ORG, "household_id": home.id, "name": "李桂英",
                                            "relationship": "02", "birth_date": dt.date(1938, 2, 1)})
    window.main_screen.open_household(home.id)
    view = window.main_screen.households.view
    qtbot.waitUntil(lambda: view.bundle is not None, timeout=5_000)
    view.tabs.setCurrentIndex(view.tabs.indexOf(view.care_places))
    assert view.tabs.tabText(view.tabs.currentIndex()) == "Care-home &queue"

    view.care_places.add.click()
    dialog = view.open_dialogs()[-1]
    assert set(dialog.form.editors) == set(ORDER["care_application"])
    assert _labels(dialog) == [display.field_name("care_application", n, "en") for n in ORDER["care_application"]]
    for name, value in {"member_id": elder.id, "facility_name": "越秀区老人院", "applied_on": APPLIED,
                        "priorities": "dibao", "capacity_level": "3",
                        "assessed_on": (dt.date.today() - dt.timedelta(days=40)).isoformat()}.items():
        dialog.form.editor(name).set(value)
    dialog.save.click()  # assessed before the application
    qtbot.waitUntil(lambda: dialog.form.errors["assessed_on"].isVisibleTo(dialog), timeout=5_000)
    assert "before the application" in dialog.form.errors["assessed_on"].text()
    dialog.form.editor("assessed_on").set("")
    dialog.save.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)
    qtbot.waitUntil(lambda: len(view.care_places.model.rows) == 1, timeout=5_000)
    row = view.care_places.model.rows[0]
    assert (row["status"], row["queue_position"]) == ("applying", None)

    view.care_places.table.selectRow(0)
    bar = view.care_places.workflow
    # not assessed yet: the step into the queue is offered, greyed, and says why
    assert set(bar.buttons) == {"waiting", "withdrawn"} and not bar.buttons["waiting"].isEnabled()
    assert "assess" in bar.buttons["waiting"].toolTip()
    with ws.write() as db:
        from caseapp.domain import CareApplication

        records.update(db, records.get(db, CareApplication, row["id"]), {"assessed_on": dt.date.today()})
    view.reload()  # written behind the session's back
    qtbot.waitUntil(lambda: view.care_places.model.rows and view.care_places.model.rows[0]["assessed_on"],
                    timeout=5_000)
    view.care_places.table.selectRow(0)
    qtbot.waitUntil(lambda: bar.buttons.get("waiting") is not None and bar.buttons["waiting"].isEnabled(),
                    timeout=5_000)
    bar.buttons["waiting"].click()
    qtbot.waitUntil(lambda: view.care_places.model.rows
                    and view.care_places.model.rows[0]["queue_position"] == 1, timeout=5_000)
    assert view.care_places.model.rows[0]["status"] == "waiting"

    visits = window.main_screen.visits
    window.main_screen.go(visits)
    visits.tabs.setCurrentWidget(visits.waitlist)
    panel = visits.waitlist.panel
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=5_000)
    assert panel.model.data(panel.model.index(0, 0)) == "1" and panel.model.data(panel.model.index(0, 1)) == "李桂英"
    assert panel.export_button.isEnabled()

    # edited from the list, the elder is chosen by name among the household's members
    panel.table.selectRow(0)
    qtbot.waitUntil(lambda: visits.waitlist.row is not None, timeout=5_000)
    visits.waitlist.edit.click()
    qtbot.waitUntil(lambda: visits.application_dialog is not None and visits.application_dialog.isVisible(),
                    timeout=5_000)
    form = visits.application_dialog.form
    assert form.editor("member_id").get() == elder.id and form.editor("member_id").combo.currentText() == "李桂英"
    visits.application_dialog.reject()
