"""A receiving centre's inbox, in Chinese and by keyboard, over a real sync server: a referral a
community sends reaches the centre's device after it signs in (the referral alone, never the
household), shows in 收到的转介 with the client's name and who referred them, is accepted with
the keyboard and answered in a form holding only what the centre writes, and the referring side
sees it accepted, with the answer, after its next sync. Each side's screen greys the other's steps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import Household, Member, Referral
from caseapp.services import records
from caseapp.store.workspace import Workspace
from tests.ui.conftest import ORG, PASSPHRASE, type_text
from ui.adapters import sync
from ui.demo_server import DemoServer
from ui.household.bundle import as_row
from ui.qt import QApplication, Qt
from ui.window import AppWindow

SERVER_PASSWORD = "server password 1"
#: the family service centre of the next street
CENTRE = "440104002"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[DemoServer]:
    running = DemoServer(tmp_path / "server")
    running.start(port=0)
    running.add_user("worker1", SERVER_PASSWORD, [ORG])
    running.add_user("centre", SERVER_PASSWORD, [CENTRE])
    yield running
    running.stop()


def sent_referral(ws: Workspace) -> tuple[str, str]:
    with ws.write() as db:
        h = records.create(db, Household, {"org_code": ORG, "head_name": "陈桂英", "address": "解放北路 8 号"})
        m = records.create(db, Member, {"org_code": ORG, "household_id": h.id, "name": "陈桂英"})
        r = records.create(db, Referral, {
            "org_code": ORG, "household_id": h.id, "client_member_id": m.id, "client_name": "陈桂英",
            "from_org": "洪桥街家综", "to_org": "大东街家综", "to_org_code": CENTRE, "reason": "独居，需要日间照料",
            "consent_given": True, "consent_ref": "TY-2026-101", "consent_on": dt.date.today()})
        records.transition(db, r, "consented")
        records.transition(db, r, "sent")
        return h.id, r.id


def test_the_centre_accepts_a_referral_from_its_inbox_by_keyboard(qtbot, tmp_path: Path,
                                                                  chinese_window: AppWindow,
                                                                  server: DemoServer) -> None:
    sender, _ = Workspace.create(tmp_path / "sender", PASSPHRASE, kdf=TEST_KDF, actor="worker1")
    try:
        sync.login(sender, server.url, "worker1", SERVER_PASSWORD)
        household_id, referral_id = sent_referral(sender)
        sync.sync_now(sender)

        window = chinese_window
        main = window.main_screen
        page = main.sync_page
        main.go(page)
        qtbot.waitUntil(lambda: page.login_box.isVisible(), timeout=5_000)
        page.login.url.setText(server.url)
        page.login.user.setText("centre")
        page.login.password.setText(SERVER_PASSWORD)
        with qtbot.waitSignal(window.sync.finished, timeout=20_000):
            page.login.connect_button.click()  # connecting pulls at once
        ws = window.session.ws
        assert ws is not None
        with ws.read() as db:  # the referral arrived, nothing of the household
            assert db.get(Household, household_id) is None and db.query(Member).count() == 0

        referrals = main.referrals
        main.go(referrals)
        assert main.nav.currentItem().text() == "转介"
        referrals.show_inbox()
        assert referrals.tabs.tabText(1) == "收到的转介"
        inbox = referrals.inbox
        qtbot.waitUntil(lambda: len(inbox.panel.model.rows) == 1, timeout=5_000)
        model = inbox.panel.model
        cells = [model.data(model.index(0, c)) for c in range(model.columnCount())]
        assert cells[:4] == ["陈桂英", "洪桥街家综", "一般", "已发送"]

        # by keyboard: into the list, the first referral, Tab along to 已接收, Space
        table = inbox.panel.table
        table.setFocus()
        qtbot.keyClick(table, Qt.Key.Key_Down)
        qtbot.waitUntil(lambda: "accepted" in inbox.workflow.buttons, timeout=5_000)
        accept = inbox.workflow.buttons["accepted"]
        assert accept.text() == "已接收" and accept.isEnabled() and inbox.workflow.buttons["declined"].isEnabled()
        for _ in range(40):
            if QApplication.focusWidget() is accept:
                break
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is accept
        qtbot.keyClick(accept, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: [r.values["status"] for r in inbox.panel.model.rows] == ["accepted"], timeout=5_000)
        table.selectRow(0)
        # the next step is the centre's (开始服务); the referring side's steps never show as its own
        qtbot.waitUntil(lambda: set(inbox.workflow.buttons) == {"in_service"}, timeout=5_000)
        assert inbox.workflow.buttons["in_service"].isEnabled()

        # Enter opens the referral: the centre's form holds only what it writes
        table.setFocus()
        qtbot.keyClick(table, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: referrals.dialog is not None and referrals.dialog.isVisible(), timeout=5_000)
        dialog = referrals.dialog
        assert dialog is not None and dialog.windowTitle() == "修改：转介单"
        assert set(dialog.form.editors) == {"to_worker", "response", "feedback_on"}
        type_text(dialog.form.editor("response").widget, "已安排社工本周上门")
        qtbot.keyClick(dialog.save, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)

        with qtbot.waitSignal(window.sync.finished, timeout=20_000):
            window.sync.sync_now()
        sync.sync_now(sender)
        with sender.read() as db:  # the referring side sees the centre's answer
            got = records.get(db, Referral, referral_id)
            assert (got.status, got.response, got.updated_by) == ("accepted", "已安排社工本周上门", "centre")
    finally:
        sender.close()


def test_each_side_sees_the_other_sides_steps_greyed_with_whose_they_are(tmp_path: Path) -> None:
    ws, _ = Workspace.create(tmp_path / "ws", PASSPHRASE, kdf=TEST_KDF, actor="worker1")
    try:
        _, referral_id = sent_referral(ws)
        with ws.read() as db:
            ref = records.get(db, Referral, referral_id)
            sender = {o["target"]: o["blocked"] for o in as_row(ref, reach=(ORG,))["_options"]}
            centre = {o["target"]: o["blocked"] for o in as_row(ref, reach=(CENTRE,))["_options"]}
            alone = {o["target"]: o["blocked"] for o in as_row(ref)["_options"]}  # never signed in: both sides
        assert sender == {"accepted": "referral.receiver_only", "declined": "referral.receiver_only"}
        assert centre == alone == {"accepted": None, "declined": None}
    finally:
        ws.close()
