"""The work queue and assigned tasks on the screen, in Chinese and by keyboard: a supervisor's queue
lists a submitted case with who submitted it, and Enter opens the case with its sign-off ready; a
caseworker sees what was returned and why; a task a supervisor assigns reaches the worker's Today
after a sync, due or overdue, and is marked done there."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import AssistanceCase, Household, Task
from caseapp.services import records, tasks
from caseapp.store.workspace import Workspace
from tests.core.helpers import approve
from tests.ui.conftest import ORG, PASSPHRASE, type_text
from ui.adapters import sync
from ui.demo_server import DemoServer
from ui.qt import Qt
from ui.window import AppWindow

SERVER_PASSWORD = "server password 1"


def submitted_case(window: AppWindow, head: str, by: str = "worker1") -> tuple[str, str]:
    ws = window.session.ws
    assert ws is not None
    actor, ws.actor = ws.actor, by
    try:
        with ws.write() as db:
            h = records.create(db, Household, {"org_code": ORG, "head_name": head, "address": "小北路 9 号"})
            case = records.create(db, AssistanceCase, {"org_code": ORG, "household_id": h.id, "category": "dibao",
                                                       "monthly_amount": "600", "amount_reason": "按测试设定的金额"})
            approve(db, case, "preliminary_review", role="caseworker")
            return h.id, case.id
    finally:
        ws.actor = actor


def go_to_queue(qtbot, window: AppWindow) -> None:
    main = window.main_screen
    main.nav.setFocus()
    main.nav.setCurrentRow(0)
    qtbot.keyClick(main.nav, Qt.Key.Key_Down)  # 待办 is the page after 今日工作
    assert main.current_page() is main.queue


def test_the_supervisor_opens_a_submitted_case_from_the_queue(qtbot, chinese_window: AppWindow) -> None:
    window = chinese_window
    window.session.settings["sync.role"] = "supervisor"
    _, first = submitted_case(window, "黄淑芬")
    submitted_case(window, "李建国", by="worker2")
    go_to_queue(qtbot, window)
    main = window.main_screen
    page = main.queue
    assert main.nav.currentItem().text() == "待办"
    qtbot.waitUntil(lambda: len(page.waiting.rows) == 2, timeout=5_000)
    assert page.waiting_box.title() == "等待我审核签署（2）"
    model = page.waiting
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["家庭", "救助类别", "待办环节", "提交人", "提交时间"]
    cells = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert cells[:4] == ["黄淑芬", "最低生活保障（低保）", "审核通过（公示）", "worker1"]  # the oldest first
    assert not page.returned_box.title().endswith("（1）")
    table = page.waiting_table
    table.setFocus()
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    view = main.households.view
    qtbot.waitUntil(lambda: view.cases.current() is not None and view.cases.current()["id"] == first,
                    timeout=5_000)
    assert view.tabs.tabText(view.tabs.currentIndex()) == "社会救助(&A)"
    button = view.cases.workflow.buttons["public_notice"]
    assert button.isEnabled()
    qtbot.waitUntil(lambda: button.hasFocus() or not window.isActiveWindow(), timeout=2_000)
    qtbot.keyClick(button, Qt.Key.Key_Space)  # the sign-off is one key away
    dialog = view.cases.sign_off
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "签署办理：审核通过（公示）"


def test_a_caseworker_sees_what_was_returned_and_why(qtbot, chinese_window: AppWindow) -> None:
    window = chinese_window
    window.session.settings["sync.role"] = "caseworker"
    ws = window.session.ws
    assert ws is not None
    me = ws.actor
    _, case_id = submitted_case(window, "黄淑芬", by=me)
    with ws.write() as db:  # as the street's step arrives by sync
        records.transition(db, records.get(db, AssistanceCase, case_id), "investigation", role=None,
                           note="缺少收入证明，请补充后再提交")
    go_to_queue(qtbot, window)
    page = window.main_screen.queue
    qtbot.waitUntil(lambda: len(page.returned.rows) == 1, timeout=5_000)
    assert not page.waiting_box.isVisible() and not page.assigned_box.isVisible()
    assert page.returned_box.title() == "退回给我补充的（1）"
    model = page.returned
    cells = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert cells[0] == "黄淑芬" and cells[2] == "退回补充" and cells[5] == "缺少收入证明，请补充后再提交"
    page.returned_table.setFocus()
    page.returned_table.selectRow(0)
    qtbot.keyClick(page.returned_table, Qt.Key.Key_Return)
    view = window.main_screen.households.view
    qtbot.waitUntil(lambda: view.cases.current() is not None and view.cases.current()["id"] == case_id,
                    timeout=5_000)
    submit = view.cases.workflow.buttons["preliminary_review"]
    assert submit.text() == "提交审核" and submit.isEnabled()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[DemoServer]:
    running = DemoServer(tmp_path / "server")
    running.start(port=0)
    running.add_user("worker1", SERVER_PASSWORD, [ORG])
    running.add_user("zhuren", SERVER_PASSWORD, [ORG[:9]], role="supervisor")
    yield running
    running.stop()


def test_an_assigned_task_reaches_the_workers_today_after_sync(qtbot, tmp_path: Path, chinese_window: AppWindow,
                                                               server: DemoServer) -> None:
    supervisor, _ = Workspace.create(tmp_path / "supervisor", PASSPHRASE, kdf=TEST_KDF, actor="zhuren")
    try:
        sync.login(supervisor, server.url, "zhuren", SERVER_PASSWORD)
        with supervisor.write() as db:
            h = records.create(db, Household, {"org_code": ORG, "head_name": "陈桂英", "address": "解放北路 8 号"})
            late = tasks.assign(db, role="supervisor", kind="investigation", target_id=h.id, assignee="worker1",
                                due_on=dt.date.today() - dt.timedelta(days=1), note="请补做入户调查").id
        sync.sync_now(supervisor)

        window = chinese_window
        main = window.main_screen
        page = main.sync_page
        main.go(page)
        qtbot.waitUntil(lambda: page.login_box.isVisible(), timeout=5_000)
        page.login.url.setText(server.url)
        page.login.user.setText("worker1")
        page.login.password.setText(SERVER_PASSWORD)
        with qtbot.waitSignal(window.sync.finished, timeout=20_000):
            page.login.connect_button.click()  # connecting pulls at once
        main.go(main.today)
        today = main.today
        qtbot.waitUntil(lambda: len(today.tasks.rows) == 1, timeout=5_000)
        assert today.tile_tasks.number.text() == "1" and today.tile_tasks.caption.text() == "交办给我的任务"
        model = today.tasks
        cells = [model.data(model.index(0, c)) for c in range(model.columnCount())]
        assert cells[0] == "入户调查" and cells[1] == "陈桂英（解放北路 8 号）"
        assert cells[3] == "已逾期 1 天" and cells[4] == "请补做入户调查" and cells[5] == "zhuren"
        assert model.data(model.index(0, 0), Qt.ItemDataRole.ForegroundRole) is not None  # drawn as overdue

        # by keyboard: the tile, Enter, the first task selected, Tab to 标记完成, Space
        today.tile_tasks.setFocus()
        qtbot.keyClick(today.tile_tasks, Qt.Key.Key_Return)
        assert today.current_task() is not None and today.done_button.isEnabled()
        qtbot.keyClick(today.done_button, Qt.Key.Key_Space)
        dialog = today.complete_dialog
        assert dialog is not None and dialog.isVisible()
        type_text(dialog.note, "已入户调查，材料已上传")
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        assert ok.text() == "标记完成"
        qtbot.keyClick(ok, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: today.tasks.ready and not today.tasks.rows, timeout=5_000)
        with qtbot.waitSignal(window.sync.finished, timeout=20_000):
            window.sync.sync_now()
        sync.sync_now(supervisor)
        with supervisor.read() as db:
            done = records.get(db, Task, late)
            assert (done.status, done.done_note, done.updated_by) == ("done", "已入户调查，材料已上传", "worker1")
    finally:
        supervisor.close()


def test_a_supervisor_assigns_a_task_by_keyboard(qtbot, chinese_window: AppWindow) -> None:
    window = chinese_window
    window.session.settings["sync.role"] = "supervisor"
    submitted_case(window, "黄淑芬")  # a household, and a user name the device knows of
    submitted_case(window, "李建国", by="worker2")
    go_to_queue(qtbot, window)
    page = window.main_screen.queue
    qtbot.waitUntil(lambda: page.waiting.ready, timeout=5_000)
    assert page.assigned_box.isVisible() and page.assign_button.text() == "交办任务…"
    qtbot.keyClick(page.assign_button, Qt.Key.Key_Space)
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible() and dialog.windowTitle() == "交办任务"
    assert [dialog.kind.itemText(i) for i in range(dialog.kind.count())] == ["探访", "入户调查", "网格事件处置"]
    dialog.kind.setCurrentIndex(1)  # 入户调查
    qtbot.waitUntil(lambda: dialog.target.count() == 2, timeout=5_000)
    type_text(dialog.search_box, "李建")
    qtbot.waitUntil(lambda: dialog.target.count() == 1, timeout=5_000)
    assert dialog.target.itemText(0) == "李建国（小北路 9 号）"
    qtbot.keyClick(dialog.search_box, Qt.Key.Key_Return)  # on to the list it filled
    qtbot.waitUntil(lambda: dialog.assignee.count() >= 2, timeout=5_000)
    offered = [dialog.assignee.itemText(i) for i in range(dialog.assignee.count())]
    assert {"worker1", "worker2"} <= set(offered) and window.session.actor not in offered
    dialog.assignee.setEditText("worker2")
    type_text(dialog.note, "请核实家庭收入")
    qtbot.keyClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)
    qtbot.waitUntil(lambda: len(page.assigned.rows) == 1, timeout=5_000)
    row = page.assigned.rows[0]
    assert (row.kind, row.target_text, row.assignee, row.note) == ("investigation", "李建国（小北路 9 号）",
                                                                   "worker2", "请核实家庭收入")
    assert row.due_on == dt.date.today() + dt.timedelta(days=7)


def test_a_caseworker_cannot_assign(qtbot, chinese_window: AppWindow) -> None:
    window = chinese_window
    window.session.settings["sync.role"] = "caseworker"
    submitted_case(window, "黄淑芬")
    go_to_queue(qtbot, window)
    page = window.main_screen.queue
    qtbot.waitUntil(lambda: page.returned.ready, timeout=5_000)
    assert not page.assigned_box.isVisible()
    dialog = page.assign()  # even reached some other way, the core refuses it
    dialog.kind.setCurrentIndex(1)
    qtbot.waitUntil(lambda: dialog.target.count() == 1, timeout=5_000)
    dialog.assignee.setEditText("worker2")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: dialog.error.isVisibleTo(dialog), timeout=5_000)
    assert dialog.error.text() == "只有街道审核人员或系统管理员可以交办任务"
    assert dialog.isVisible()


def test_a_supervisor_cancels_a_task_they_assigned(qtbot, chinese_window: AppWindow) -> None:
    window = chinese_window
    window.session.settings["sync.role"] = "supervisor"
    ws = window.session.ws
    assert ws is not None
    household_id, _ = submitted_case(window, "黄淑芬")
    with ws.write() as db:
        task_id = tasks.assign(db, role="supervisor", kind="investigation", target_id=household_id,
                               assignee="worker1", due_on=dt.date.today() + dt.timedelta(days=30)).id
    go_to_queue(qtbot, window)
    page = window.main_screen.queue
    qtbot.waitUntil(lambda: len(page.assigned.rows) == 1, timeout=5_000)
    assert not page.cancel_button.isEnabled()
    page.assigned_table.setFocus()
    page.assigned_table.selectRow(0)
    assert page.cancel_button.isEnabled() and page.cancel_button.text() == "撤销任务"
    qtbot.keyClick(page.cancel_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: page.assigned.ready and not page.assigned.rows, timeout=5_000)
    with ws.read() as db:
        assert records.get(db, Task, task_id).status == "cancelled"


def test_a_supervisor_reassigns_a_task_by_keyboard_and_it_moves_to_the_other_worker(
        qtbot, tmp_path: Path, chinese_window: AppWindow, server: DemoServer) -> None:
    """改派: the task leaves the first worker's device list and reaches the second's, with its new date."""
    server.add_user("worker2", SERVER_PASSWORD, [ORG])
    devices = {}
    for name in ("worker1", "worker2"):
        devices[name], _ = Workspace.create(tmp_path / name, PASSPHRASE, kdf=TEST_KDF, actor=name)
        sync.login(devices[name], server.url, name, SERVER_PASSWORD)
    try:
        window = chinese_window
        main = window.main_screen
        page = main.sync_page
        main.go(page)
        qtbot.waitUntil(lambda: page.login_box.isVisible(), timeout=5_000)
        page.login.url.setText(server.url)
        page.login.user.setText("zhuren")
        page.login.password.setText(SERVER_PASSWORD)
        with qtbot.waitSignal(window.sync.finished, timeout=20_000):
            page.login.connect_button.click()
        ws = window.session.ws
        assert ws is not None and window.session.role == "supervisor"
        with ws.write() as db:
            h = records.create(db, Household, {"org_code": ORG, "head_name": "陈桂英", "address": "解放北路 8 号"})
            task_id = tasks.assign(db, role="supervisor", kind="investigation", target_id=h.id, assignee="worker1",
                                   due_on=dt.date.today() + dt.timedelta(days=3), note="请入户调查").id
        with qtbot.waitSignal(window.sync.finished, timeout=20_000):
            window.sync.sync_now()
        sync.sync_now(devices["worker1"])
        with devices["worker1"].read() as db:
            assert [t.id for t in tasks.open_for(db, "worker1", dt.date.today())] == [task_id]

        go_to_queue(qtbot, window)
        queue = main.queue
        qtbot.waitUntil(lambda: len(queue.assigned.rows) == 1, timeout=5_000)
        assert not queue.reassign_button.isEnabled() and queue.reassign_button.text() == "改派…"
        queue.assigned_table.setFocus()
        qtbot.keyClick(queue.assigned_table, Qt.Key.Key_Down)  # the first task
        assert queue.reassign_button.isEnabled()
        qtbot.keyClick(queue.reassign_button, Qt.Key.Key_Space)
        dialog = queue.reassign_dialog
        assert dialog is not None and dialog.isVisible() and dialog.windowTitle() == "改派任务"
        assert dialog.focusWidget() is dialog.assignee
        qtbot.keyClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.Key.Key_Space)
        assert dialog.error.text() == "请填写承办人的用户名。" and dialog.isVisible()
        qtbot.keyClicks(dialog.assignee, "worker1")  # the one who has it already
        qtbot.keyClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.Key.Key_Space)
        assert "已交给 worker1" in dialog.error.text() and dialog.isVisible()
        dialog.assignee.lineEdit().clear()
        qtbot.keyClicks(dialog.assignee, "worker2")
        dialog.due.setFocus()
        new_due = dt.date.today() + dt.timedelta(days=10)
        qtbot.keyClicks(dialog.due, new_due.isoformat())
        qtbot.keyClick(dialog.due, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)
        qtbot.waitUntil(lambda: queue.assigned.rows and queue.assigned.rows[0].assignee == "worker2", timeout=5_000)
        assert queue.assigned.rows[0].due_on == new_due

        with qtbot.waitSignal(window.sync.finished, timeout=20_000):
            window.sync.sync_now()
        for name in ("worker1", "worker2"):
            sync.sync_now(devices[name])
        with devices["worker1"].read() as db:
            assert tasks.open_for(db, "worker1", dt.date.today()) == []  # off the first worker's Today
        with devices["worker2"].read() as db:
            (moved,) = tasks.open_for(db, "worker2", dt.date.today())
            assert (moved.id, moved.due_on, moved.note) == (task_id, new_due, "请入户调查")
    finally:
        for device in devices.values():
            device.close()
