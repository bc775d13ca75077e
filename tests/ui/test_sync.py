"""Sync against a live server on loopback: connect on first run, sync from the Sync page, see the
outbox empty, and resolve a conflict side by side."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import Household
from caseapp.services import records
from caseapp.store.workspace import Workspace
from tests.ui.conftest import PASSPHRASE, make_session, unlock
from ui.adapters import sync
from ui.demo_server import DemoServer
from ui.prefs import Prefs
from ui.tasks import TaskManager
from ui.window import AppWindow

SCOPE = "440104001007"
SERVER_PASSWORD = "server password 1"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[DemoServer]:
    running = DemoServer(tmp_path / "server")
    running.start(port=0)
    for name in ("worker1", "worker2"):
        running.add_user(name, SERVER_PASSWORD, [SCOPE])
    yield running
    running.stop()


def test_first_run_connects_to_server(qtbot, new_window: AppWindow, server: DemoServer) -> None:
    flow = new_window.first_run
    assert flow is not None
    step = flow.passphrase_step
    step.passphrase.setText(PASSPHRASE)
    step.repeat.setText(PASSPHRASE)
    step.create_button.click()
    qtbot.waitUntil(lambda: flow.current_step() is flow.recovery_step, timeout=10_000)
    flow.recovery_step.written.setChecked(True)
    flow.recovery_step.next.click()
    mode = flow.mode_step
    mode.connect_radio.setChecked(True)
    box = mode.server_box
    box.url.setText(server.url)
    box.user.setText("worker1")
    box.password.setText("wrong password")
    mode.start.click()
    qtbot.waitUntil(lambda: mode.error.isVisibleTo(mode), timeout=10_000)
    assert new_window.first_run is not None  # still on the first-run screens
    box.password.setText(SERVER_PASSWORD)
    mode.start.click()
    qtbot.waitUntil(lambda: new_window.first_run is None, timeout=10_000)
    assert new_window.session.org_code == SCOPE
    assert new_window.session.ws is not None and new_window.session.ws.actor == "worker1"
    # The caseworker's area is pulled at once after connecting, not at the next background sync.
    qtbot.waitUntil(lambda: new_window.sync.status.get("last_sync", "-") not in ("", "-"), timeout=5_000)


def _sync_and_wait(qtbot, window: AppWindow) -> None:
    page = window.main_screen.sync_page
    with qtbot.waitSignal(window.sync.finished, timeout=20_000) as blocker:
        page.sync_button.click()
    assert blocker.args is not None and blocker.args[0], blocker.args


def test_sync_and_resolve_a_conflict(qtbot, tmp_path: Path, existing: Path, tasks: TaskManager, prefs: Prefs,
                                     english: None, server: DemoServer) -> None:
    window = AppWindow(make_session(existing, tasks), prefs)
    qtbot.addWidget(window)
    window.show()
    unlock(qtbot, window)
    main = window.main_screen
    main.go(main.sync_page)
    page = main.sync_page
    qtbot.waitUntil(lambda: page.login_box.isVisible(), timeout=5_000)
    page.login.url.setText(server.url)
    page.login.user.setText("worker1")
    page.login.password.setText(SERVER_PASSWORD)
    with qtbot.waitSignal(window.sync.finished, timeout=20_000):
        page.login.connect_button.click()  # connecting syncs straight away
    qtbot.waitUntil(lambda: not page.login_box.isVisible(), timeout=5_000)

    ws = window.session.ws
    assert ws is not None
    with ws.write() as db:
        household_id = records.create(db, Household, {"org_code": SCOPE, "head_name": "陈桂英",
                                                      "address": "解放北路 8 号", "phone": "13800138000"}).id
    window.session.changed.emit(frozenset({"household"}))
    qtbot.waitUntil(lambda: any(r.entity == "household" for r in page.outbox.rows), timeout=5_000)
    assert page.outbox.data(page.outbox.index(0, page.outbox.STATE)) == "Waiting"
    seen: list[tuple[str, int, int]] = []
    window.sync.progress.connect(lambda *args: seen.append(args))
    _sync_and_wait(qtbot, window)
    # Progress reports counts out of a total: what was sent, then what came back.
    pushes = [s for s in seen if s[0] == "push"]
    pulls = [s for s in seen if s[0] == "pull"]
    assert pushes and pushes[-1][1] == pushes[-1][2] >= 1
    assert pulls and pulls[-1][1] == pulls[-1][2] >= 1
    assert page.progress.maximum() == pulls[-1][2]
    qtbot.waitUntil(lambda: page.outbox.ready and not page.outbox.rows, timeout=5_000)
    qtbot.waitUntil(lambda: server.url in page.server.text(), timeout=5_000)

    # Another caseworker's device changes the phone number and syncs first.
    other, _ = Workspace.create(tmp_path / "other", PASSPHRASE, kdf=TEST_KDF)
    try:
        sync.login(other, server.url, "worker2", SERVER_PASSWORD)
        sync.sync_now(other)
        with other.write() as db:
            records.update(db, records.get(db, Household, household_id), {"phone": "13900139000"})
        sync.sync_now(other)

        # This device changes the same field through the household form, then syncs.
        main.open_household(household_id)
        view = main.households.view
        qtbot.waitUntil(lambda: view.bundle is not None, timeout=5_000)
        dialog = view._edit_household()
        assert dialog is not None
        dialog.form.editor("phone").set("13700137000")
        dialog.save.click()
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)
        main.go(page)
        _sync_and_wait(qtbot, window)
        qtbot.waitUntil(lambda: len(page.conflicts.rows) == 1, timeout=5_000)
        conflict = page.conflicts.rows[0]
        assert conflict.field == "phone"
        assert (conflict.base, conflict.mine, conflict.theirs) == ("13800138000", "13700137000", "13900139000")
        assert (conflict.my_author, conflict.their_author) == ("worker1", "worker2")
        panel = page.panel
        qtbot.waitUntil(lambda: panel.row is not None, timeout=5_000)
        assert panel.mine.text() == "13700137000" and panel.theirs.text() == "13900139000"
        assert panel.base.text() == "13800138000"

        # Type the right value; the resolution is sent at once.
        panel.typed.setText("13600136000")
        with qtbot.waitSignal(window.sync.finished, timeout=20_000):
            panel.use_typed.click()
        qtbot.waitUntil(lambda: page.conflicts.ready and not page.conflicts.rows, timeout=5_000)
        sync.sync_now(other)
        with other.read() as db:
            assert db.get(Household, household_id).phone == "13600136000"
    finally:
        other.close()
    window.session.close()


def test_first_run_demo_syncs_and_has_a_conflict(qtbot, new_window: AppWindow, monkeypatch) -> None:
    from ui.adapters import demo
    from ui.screens.firstrun import flow as first_run

    monkeypatch.setattr(first_run, "DEMO_HOUSEHOLDS", 12)
    flow = new_window.first_run
    assert flow is not None
    flow.passphrase_step.passphrase.setText(PASSPHRASE)
    flow.passphrase_step.repeat.setText(PASSPHRASE)
    flow.passphrase_step.create_button.click()
    qtbot.waitUntil(lambda: flow.current_step() is flow.recovery_step, timeout=10_000)
    flow.recovery_step.written.setChecked(True)
    flow.recovery_step.next.click()
    flow.mode_step.demo_radio.setChecked(True)
    try:
        flow.mode_step.start.click()
        qtbot.waitUntil(lambda: new_window.first_run is None, timeout=60_000)
        main = new_window.main_screen
        assert main.demo_badge.isVisible() and "Demo" in new_window.windowTitle()
        main.go(main.households)
        qtbot.waitUntil(lambda: main.households.model.total == 12, timeout=10_000)
        main.go(main.sync_page)
        page = main.sync_page
        qtbot.waitUntil(lambda: len(page.conflicts.rows) == 1 and page.outbox.ready, timeout=10_000)
        assert page.outbox.rows == []  # everything the demo made reached the server
        qtbot.waitUntil(lambda: page.server.text().startswith("http://127.0.0.1:"), timeout=5_000)
        panel = page.panel
        qtbot.waitUntil(lambda: panel.row is not None, timeout=5_000)
        with qtbot.waitSignal(new_window.sync.finished, timeout=20_000) as finished:
            panel.keep_theirs.click()
        assert finished.args is not None and finished.args[0]
        qtbot.waitUntil(lambda: page.conflicts.ready and not page.conflicts.rows, timeout=5_000)
    finally:
        new_window.session.close()
        demo.stop_servers()


def test_a_failed_background_sync_is_retried_sooner_then_less_often(qtbot, existing: Path, tasks: TaskManager,
                                                                    prefs: Prefs, english: None,
                                                                    server: DemoServer) -> None:
    from ui.sync_controller import BACKGROUND_INTERVAL_MS, RETRY_FIRST_MS

    window = AppWindow(make_session(existing, tasks), prefs)
    qtbot.addWidget(window)
    window.show()
    unlock(qtbot, window)
    page = window.main_screen.sync_page
    window.main_screen.go(page)
    qtbot.waitUntil(lambda: page.login_box.isVisible(), timeout=5_000)
    page.login.url.setText(server.url)
    page.login.user.setText("worker1")
    page.login.password.setText(SERVER_PASSWORD)
    with qtbot.waitSignal(window.sync.finished, timeout=20_000) as first:
        page.login.connect_button.click()
    assert first.args is not None and first.args[0]
    controller = window.sync
    qtbot.waitUntil(lambda: controller.configured, timeout=5_000)
    server.stop()  # the connection goes away
    delays = []
    for _ in range(3):
        with qtbot.waitSignal(controller.finished, timeout=30_000) as attempt:
            controller.sync_now()
        assert attempt.args is not None and not attempt.args[0]
        delays.append(controller.retry_ms)
        assert controller._retry.isActive()
    assert delays == [RETRY_FIRST_MS, 2 * RETRY_FIRST_MS, 4 * RETRY_FIRST_MS]
    assert all(d <= BACKGROUND_INTERVAL_MS for d in delays)
    window.session.close()


def test_the_sync_page_names_a_newer_release(qtbot, chinese_window: AppWindow) -> None:
    from caseapp.release import __version__

    window = chinese_window
    main = window.main_screen
    main.go(main.sync_page)
    page = main.sync_page
    qtbot.waitUntil(lambda: page.release.text() == __version__, timeout=5_000)
    assert window.session.ws is not None
    window.session.ws.set_setting("sync.latest_client", "99.0")  # as the last sync left it
    window.sync.refresh()
    qtbot.waitUntil(lambda: "99.0" in page.release.text(), timeout=5_000)
    assert page.release.text() == f"{__version__} · 有新版本 99.0 可用：请向管理员索取安装包（升级不会改动本机数据）"
