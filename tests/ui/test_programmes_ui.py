"""The programmes' forms and lists on screen (issue 12): a democratic appraisal and a public notice
recorded under the selected assistance case, a child's file and a monitoring visit on the household's
Child welfare tab, a preferential-care file and a holiday call on its own tab, each form showing its
fields with the model's labels and refusing what the core refuses, and the lists on the households
and visits pages."""

from __future__ import annotations

import datetime as dt

from caseapp.domain import AssistanceCase, Household, Member
from caseapp.services import display, records
from tests.ui.conftest import ORG
from ui.forms.dialog import RecordDialog
from ui.forms.specs import ORDER
from ui.household.view import HouseholdView
from ui.qt import QLabel
from ui.window import AppWindow

TODAY = dt.date.today().isoformat()


def _open(qtbot, window: AppWindow) -> tuple[HouseholdView, dict[str, str]]:
    ws = window.session.ws
    assert ws is not None
    with ws.write() as db:
        home = records.create(db, Household, {"org_code": ORG, "head_name": "王芳", "address": "小北路 9 号"})
        mother = records.create(db, Member, {"org_code": ORG, "household_id": home.id, "name": "王芳",
                                             "relationship": "02"})
        kid = records.create(db, Member, {"org_code": ORG, "household_id": home.id, "name": "王小宝",
                                          "relationship": "30", "birth_date": dt.date(2016, 5, 1)})
        case = records.create(db, AssistanceCase, {"org_code": ORG, "household_id": home.id, "category": "dibao",
                                                   "people_covered": 2})
    window.main_screen.open_household(home.id)
    view = window.main_screen.households.view
    qtbot.waitUntil(lambda: view.bundle is not None and bool(view.cases.model.rows), timeout=5_000)
    return view, {"household": home.id, "mother": mother.id, "kid": kid.id, "case": case.id}


def _labels(dialog: RecordDialog) -> list[str]:
    return [label.text().removesuffix(" *") for label in dialog.form.findChildren(QLabel)
            if label.buddy() is not None]


def _shows_its_fields(dialog: RecordDialog, entity: str) -> None:
    assert set(dialog.form.editors) == set(ORDER[entity])
    assert _labels(dialog) == [display.field_name(entity, name, "en") for name in ORDER[entity]]


def test_an_appraisal_and_a_notice_are_recorded_under_the_selected_case(qtbot, window: AppWindow) -> None:
    view, ids = _open(qtbot, window)
    assert not view.appraisals.add.isEnabled()  # no case chosen yet
    view.cases.table.selectRow(0)
    assert view.appraisals.add.isEnabled() and view.notices.add.isEnabled()
    view.appraisals.add.click()
    appraisal = view.open_dialogs()[-1]
    _shows_its_fields(appraisal, "appraisal")
    for name, value in {"held_on": TODAY, "place": "社区会议室", "panel_size": "9", "present": "5",
                        "participants": "居委会委员5人、居民代表4人", "votes_for": "5", "result": "agree"}.items():
        appraisal.form.editor(name).set(value)
    appraisal.save.click()  # 5 of 9 is short of two thirds
    qtbot.waitUntil(lambda: appraisal.form.errors["present"].isVisibleTo(appraisal), timeout=5_000)
    assert "two thirds" in appraisal.form.errors["present"].text()
    appraisal.form.editor("present").set("6")
    appraisal.save.click()
    qtbot.waitUntil(lambda: not appraisal.isVisible(), timeout=5_000)
    view.cases.table.selectRow(0)
    qtbot.waitUntil(lambda: [r["present"] for r in view.appraisals.model.rows] == [6], timeout=5_000)

    view.notices.add.click()
    notice = view.open_dialogs()[-1]
    _shows_its_fields(notice, "public_notice")
    notice.form.editor("started_on").set(TODAY)
    notice.form.editor("place").set("社区公示栏")
    notice.form.editor("objections").set("无异议")
    notice.save.click()
    qtbot.waitUntil(lambda: not notice.isVisible(), timeout=5_000)
    view.cases.table.selectRow(0)
    qtbot.waitUntil(lambda: len(view.notices.model.rows) == 1, timeout=5_000)
    ws = window.session.ws
    assert ws is not None
    with ws.read() as db:  # the case's notice fields follow the notice
        case = records.get(db, AssistanceCase, ids["case"])
        assert (case.notice_started_on, case.notice_objections) == (dt.date.today(), "无异议")

    page = window.main_screen.households
    page.show_list()
    page.tabs.setCurrentWidget(page.notices)
    qtbot.waitUntil(lambda: page.notices.model.rowCount() == 1, timeout=5_000)
    page.tabs.setCurrentWidget(page.appraisals)
    qtbot.waitUntil(lambda: page.appraisals.model.rowCount() == 1, timeout=5_000)


def test_a_childs_file_and_visit_are_recorded_on_the_child_welfare_tab(qtbot, window: AppWindow) -> None:
    view, ids = _open(qtbot, window)
    view.tabs.setCurrentIndex(view.tabs.indexOf(view.child_files.parentWidget()))
    assert view.tabs.tabText(view.tabs.currentIndex()) == "Child &welfare"
    view.child_files.add.click()
    child = view.open_dialogs()[-1]
    _shows_its_fields(child, "child_profile")
    child.form.editor("member_id").set(ids["kid"])
    child.form.editor("category").set("left_behind")
    child.form.editor("guardian_name").set("王芳")
    child.form.editor("guardian_phone").set("12345")
    child.save.click()
    qtbot.waitUntil(lambda: child.form.errors["guardian_phone"].isVisibleTo(child), timeout=5_000)
    child.form.editor("guardian_phone").set("13800138000")
    child.save.click()
    qtbot.waitUntil(lambda: not child.isVisible(), timeout=5_000)
    qtbot.waitUntil(lambda: len(view.child_files.model.rows) == 1, timeout=5_000)
    assert view.child_files.model.data(view.child_files.model.index(0, 0)) == "王小宝"

    assert not view.child_visits.add.isEnabled()
    view.child_files.table.selectRow(0)
    view.child_visits.add.click()
    visit = view.open_dialogs()[-1]
    _shows_its_fields(visit, "child_visit")
    visit.form.editor("findings").set("按时上学，母亲照料良好")
    visit.save.click()
    qtbot.waitUntil(lambda: not visit.isVisible(), timeout=5_000)
    view.child_files.table.selectRow(0)
    qtbot.waitUntil(lambda: len(view.child_visits.model.rows) == 1, timeout=5_000)
    assert view.child_visits.model.data(view.child_visits.model.index(0, 1)) == "王小宝"

    visits = window.main_screen.visits
    window.main_screen.go(visits)
    visits.tabs.setCurrentWidget(visits.children_list)
    qtbot.waitUntil(lambda: visits.children_list.model.rowCount() == 1, timeout=5_000)
    visits.tabs.setCurrentWidget(visits.child_visits)
    qtbot.waitUntil(lambda: visits.child_visits.model.rowCount() == 1, timeout=5_000)


def test_a_preferential_care_file_and_a_holiday_call_are_recorded(qtbot, window: AppWindow) -> None:
    view, ids = _open(qtbot, window)
    view.tabs.setCurrentIndex(view.tabs.indexOf(view.veterans.parentWidget()))
    assert view.tabs.tabText(view.tabs.currentIndex()) == "Pre&ferential care"
    view.veterans.add.click()
    vet = view.open_dialogs()[-1]
    _shows_its_fields(vet, "veteran_profile")
    vet.form.editor("member_id").set(ids["mother"])
    vet.form.editor("category").set("disabled_soldier")
    vet.form.editor("certificate_no").set("CJ440104000001")
    vet.form.editor("monthly_allowance").set("3300")
    vet.save.click()  # a disabled serviceman without a grade
    qtbot.waitUntil(lambda: vet.form.errors["disability_grade"].isVisibleTo(vet), timeout=5_000)
    vet.form.editor("disability_grade").set("6")
    vet.save.click()
    qtbot.waitUntil(lambda: not vet.isVisible(), timeout=5_000)
    qtbot.waitUntil(lambda: len(view.veterans.model.rows) == 1, timeout=5_000)
    view.veterans.table.selectRow(0)
    view.veteran_visits.add.click()
    call = view.open_dialogs()[-1]
    _shows_its_fields(call, "veteran_visit")
    call.form.editor("occasion").set("army_day")
    call.form.editor("findings").set("身体尚好")
    call.form.editor("support_amount").set("500")
    call.save.click()
    qtbot.waitUntil(lambda: not call.isVisible(), timeout=5_000)
    view.veterans.table.selectRow(0)
    qtbot.waitUntil(lambda: len(view.veteran_visits.model.rows) == 1, timeout=5_000)
    assert view.veteran_visits.model.data(view.veteran_visits.model.index(0, 1)) == "王芳"
    visits = window.main_screen.visits
    window.main_screen.go(visits)
    visits.tabs.setCurrentWidget(visits.veterans)
    qtbot.waitUntil(lambda: visits.veterans.model.rowCount() == 1, timeout=5_000)


def test_a_pingantong_call_is_recorded_on_the_elder_and_taken_through_its_steps(qtbot, window: AppWindow) -> None:
    from caseapp.domain import ElderProfile

    view, ids = _open(qtbot, window)
    ws = window.session.ws
    assert ws is not None
    with ws.write() as db:
        records.create(db, ElderProfile, {"org_code": ORG, "household_id": ids["household"],
                                          "member_id": ids["mother"], "pingantong_device": "PAT000000555"})
    view.reload()  # written behind the session's back: read the household again
    qtbot.waitUntil(lambda: len(view.elders.model.rows) == 1, timeout=5_000)
    view.tabs.setCurrentIndex(view.tabs.indexOf(view.elders.parentWidget()))
    assert not view.calls.add.isEnabled()
    view.elders.table.selectRow(0)
    view.calls.add.click()
    call = view.open_dialogs()[-1]
    _shows_its_fields(call, "emergency_call")
    call.form.editor("response").set("回拨老人，称胸闷")
    call.save.click()
    qtbot.waitUntil(lambda: not call.isVisible(), timeout=5_000)
    view.elders.table.selectRow(0)
    qtbot.waitUntil(lambda: len(view.calls.model.rows) == 1, timeout=5_000)
    assert view.calls.model.rows[0]["device_no"] == "PAT000000555"
    view.calls.table.selectRow(0)
    bar = view.calls.workflow
    assert set(bar.buttons) == {"verify"}
    bar.buttons["verify"].click()
    view.elders.table.selectRow(0)
    qtbot.waitUntil(lambda: view.calls.model.rows and view.calls.model.rows[0]["status"] == "verify", timeout=5_000)
    view.calls.table.selectRow(0)
    # no one to dispatch to yet: the step is offered, greyed, and says why
    assert set(bar.buttons) == {"dispatch", "resolved"} and not bar.buttons["dispatch"].isEnabled()
    assert bar.buttons["dispatch"].toolTip()
    calls = window.main_screen.visits
    window.main_screen.go(calls)
    calls.tabs.setCurrentWidget(calls.calls)
    qtbot.waitUntil(lambda: calls.calls.panel.model.rowCount() == 1, timeout=5_000)
