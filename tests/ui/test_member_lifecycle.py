"""In Chinese, with the keyboard alone: a caseworker moves a member out of a household, sees them under
the past members with the change recorded, and the household counts one person less; the member form
refuses a second registration of a person, saying what to do instead."""

from __future__ import annotations

import datetime as dt

from caseapp.domain import Household, Member
from caseapp.services import records
from tests.services.test_members import person_id
from tests.ui.conftest import ORG, type_text
from ui.forms.dialog import RecordDialog
from ui.household.view import HouseholdView
from ui.qt import QApplication, Qt
from ui.window import AppWindow

SON_ID = person_id("19950303", 31)


def _dialog(qtbot, view: HouseholdView) -> RecordDialog:
    qtbot.waitUntil(lambda: bool(view.open_dialogs()), timeout=5_000)
    return view.open_dialogs()[-1]


def _saved_or_refused(qtbot, dialog: RecordDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.isVisible() or dialog.form.banner.isVisibleTo(dialog)
                    or any(e.isVisibleTo(dialog) for e in dialog.form.errors.values()), timeout=5_000)


def _household_size(qtbot, window: AppWindow, household_id: str) -> int:
    model = window.main_screen.households.model
    model.reset()
    qtbot.waitUntil(lambda: not model.loading and any(r.id == household_id for r in model.rows), timeout=5_000)
    return int(next(r for r in model.rows if r.id == household_id).values["household_size"])


def test_a_member_moves_out_with_the_keyboard_alone(qtbot, chinese_window: AppWindow) -> None:
    window = chinese_window
    assert window.session.ws is not None
    with window.session.ws.write() as db:
        home = records.create(db, Household, {"org_code": ORG, "head_name": "张伟", "address": "小北路 100 号"})
        for name, code, number in (("张伟", "02", person_id("19700101", 11)), ("李娟", "12", None),
                                   ("张明", "20", SON_ID)):
            records.create(db, Member, {"org_code": ORG, "household_id": home.id, "name": name,
                                        "relationship": code, "id_number": number})
        household_id = home.id
    main = window.main_screen
    main.go(main.households)
    assert _household_size(qtbot, window, household_id) == 3
    main.households.show_household(household_id)
    view = main.households.view
    qtbot.waitUntil(lambda: view.bundle is not None and len(view.members.model.rows) == 3, timeout=5_000)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2_000)

    # the Members tab, then down the list to 张明, all from the keyboard
    view.tabs.tabBar().setFocus()
    qtbot.keyClick(view.tabs.tabBar(), Qt.Key.Key_Right)
    assert view.tabs.currentIndex() == 1
    table = view.members.table
    table.setFocus()
    for _ in range(3):
        if view.members.current() is not None and view.members.current()["name"] == "张明":  # type: ignore[index]
            break
        qtbot.keyClick(table, Qt.Key.Key_Down)
    assert view.members.current() is not None and view.members.current()["name"] == "张明"  # type: ignore[index]
    assert view.member_actions["move_out"].text() == "迁出(&O)…"
    qtbot.keyClick(table, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)  # 迁出(&O)
    dialog = _dialog(qtbot, view)
    assert dialog.objectName() == "member_move_out" and dialog.windowTitle() == "迁出：张明"
    date_box = dialog.form.editor("occurred_on").widget
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is date_box, timeout=2_000)

    # a date in the future is one clear Chinese line under the date, and nothing changes
    qtbot.keyClick(date_box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(date_box, (dt.date.today() + dt.timedelta(days=5)).isoformat())
    qtbot.keyClick(date_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Enter saves
    _saved_or_refused(qtbot, dialog)
    error = dialog.form.errors["occurred_on"]
    assert dialog.isVisible() and error.isVisibleTo(dialog)
    assert "\n" not in error.text() and any("\u4e00" <= ch <= "\u9fff" for ch in error.text())

    yesterday = dt.date.today() - dt.timedelta(days=1)
    qtbot.keyClick(date_box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(date_box, yesterday.strftime("%Y-%m-%d"))
    qtbot.keyClick(date_box, Qt.Key.Key_Tab)
    reason = QApplication.focusWidget()
    assert reason is dialog.form.editor("reason").widget
    type_text(reason, "迁往天河区工作")
    qtbot.keyClick(reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)

    # gone from the members, kept under past members with the change, and one fewer in the household
    qtbot.waitUntil(lambda: len(view.members.model.rows) == 2, timeout=5_000)
    assert [r["name"] for r in view.past_members.model.rows] == ["张明"]
    past = view.past_members.model
    assert past.data(past.index(0, past.fields.index("status"))) == "迁出"
    assert past.data(past.index(0, past.fields.index("left_reason"))) == "迁往天河区工作"
    events = view.member_events.model
    assert [r["kind"] for r in events.rows] == ["moved_out"]
    assert events.data(events.index(0, events.fields.index("member_id"))) == "张明"
    assert events.data(events.index(0, events.fields.index("kind"))) == "迁出"
    assert _household_size(qtbot, window, household_id) == 2

    # registering 张明 again as a new member is refused at his ID number, saying how to move him in
    view.members.add.click()
    again = _dialog(qtbot, view)
    again.form.editor("name").set("张明")
    again.form.editor("id_number").set(SON_ID)
    again.save.click()
    _saved_or_refused(qtbot, again)
    refused = again.form.errors["id_number"]
    assert again.isVisible() and refused.isVisibleTo(again)
    assert "已从“张伟”户迁出" in refused.text() and "迁入成员" in refused.text()
    # and a number a current member holds is refused just the same
    again.form.editor("id_number").set(person_id("19700101", 11))
    again.save.click()
    qtbot.waitUntil(lambda: "已登记为" in refused.text(), timeout=5_000)
    again.reject()
    with window.session.ws.read() as db:
        assert db.query(Member).count() == 3  # nothing deleted, nothing added


def _open_household(qtbot, window: AppWindow, household_id: str) -> HouseholdView:
    main = window.main_screen
    main.go(main.households)
    main.households.show_household(household_id)
    view = main.households.view
    qtbot.waitUntil(lambda: view.bundle is not None and view.bundle.household["id"] == household_id, timeout=5_000)
    view.tabs.setCurrentIndex(1)
    return view


def _select(qtbot, view: HouseholdView, name: str) -> None:
    rows = view.members.model.rows
    view.members.table.selectRow(next(n for n, r in enumerate(rows) if r["name"] == name))
    qtbot.waitUntil(lambda: view.members.current() is not None, timeout=2_000)


def test_head_change_split_move_in_and_merge_from_the_household_screen(qtbot, chinese_window: AppWindow) -> None:
    window = chinese_window
    assert window.session.ws is not None
    with window.session.ws.write() as db:
        home = records.create(db, Household, {"org_code": ORG, "head_name": "张伟", "address": "小北路 100 号"})
        twin = records.create(db, Household, {"org_code": ORG, "head_name": "张建国", "address": "小北路 100 号"})
        for name, code, sex, household in (("张伟", "02", "M", home), ("李娟", "12", "F", home),
                                           ("张明", "20", "M", home), ("张建国", "02", "M", twin)):
            records.create(db, Member, {"org_code": ORG, "household_id": household.id, "name": name,
                                        "relationship": code, "sex": sex})
        home_id, twin_id = home.id, twin.id
    view = _open_household(qtbot, window, home_id)

    # 户主变更: 李娟 becomes head; 张伟 is her husband now, 张明 still their son
    _select(qtbot, view, "李娟")
    dialog = view.change_members("change_head")
    assert dialog is not None and dialog.windowTitle() == "户主变更：由李娟任户主"
    dialog.save.click()
    qtbot.waitUntil(lambda: view.title.text() == "李娟", timeout=5_000)
    qtbot.waitUntil(lambda: {r["name"]: r["relationship"] for r in view.members.model.rows}
                    == {"张伟": "11", "李娟": "02", "张明": "20"}, timeout=5_000)

    # 分户: 张明 leaves with a household of his own; the dialog ticks whoever was selected
    _select(qtbot, view, "张明")
    split = view.change_members("split")
    assert split is not None and split.leaving is not None
    assert [split.leaving.item(n).checkState() == Qt.CheckState.Checked for n in range(3)].count(True) == 1
    split.form.editor("address").set("小北路 102 号")
    split.save.click()
    qtbot.waitUntil(lambda: len(view.members.model.rows) == 2, timeout=5_000)
    with window.session.ws.read() as db:
        son = db.query(Member).filter(Member.name == "张明").one()
        fresh = db.get(Household, son.household_id)
        assert fresh is not None
        assert (fresh.head_name, fresh.address, son.relationship) == ("张明", "小北路 102 号", "02")

    # 迁入 asks for an ID number; one nobody moved out with is refused under it
    move_in = view.change_members("move_in")
    assert move_in is not None
    move_in.form.editor("id_number").set(SON_ID)
    move_in.form.editor("relationship").set("20")
    move_in.save.click()
    _saved_or_refused(qtbot, move_in)
    assert move_in.form.errors["id_number"].isVisibleTo(move_in)
    assert "没有身份证号码为" in move_in.form.errors["id_number"].text()
    move_in.reject()

    # 合户: the household typed apart joins this one; its head's relationship must be said
    merge = view.change_members("merge")
    assert merge is not None
    merge.form.editor("other_household_id").set(twin_id)
    merge.save.click()
    _saved_or_refused(qtbot, merge)
    assert merge.form.errors["relationship"].isVisibleTo(merge)
    merge.form.editor("relationship").set("51")
    merge.save.click()
    qtbot.waitUntil(lambda: not merge.isVisible(), timeout=5_000)
    qtbot.waitUntil(lambda: len(view.members.model.rows) == 3, timeout=5_000)
    kinds = {r["kind"] for r in view.member_events.model.rows}
    assert kinds == {"head_changed", "split_out", "merged_in"}
    with window.session.ws.read() as db:
        gone = db.get(Household, twin_id)
        assert gone is not None and gone.archived
