"""The desktop's side of issue 9's account items: a registration sheet's file name names nobody,
export passwords refuse the commonest ones, and the login box refuses an http:// server elsewhere
(in one line, before anything is sent)."""

from __future__ import annotations

import re
import stat
from pathlib import Path

from caseapp.domain import Household
from caseapp.services import records
from sync import urls
from ui.window import AppWindow


def test_the_sheet_is_named_without_personal_data_and_refuses_common_passwords(qtbot, window: AppWindow,
                                                                               tmp_path: Path) -> None:
    ws = window.session.ws
    assert ws is not None
    with ws.write() as db:
        h = records.create(db, Household, {"org_code": "440105001001", "head_name": "黄淑芬", "address": "小北路 9 号"})
    window.main_screen.open_household(h.id)
    view = window.main_screen.households.view
    qtbot.waitUntil(lambda: view.bundle is not None, timeout=5_000)
    dialog = view.print_sheet()
    assert dialog is not None
    name = dialog.suggested_name()
    assert "黄淑芬" not in name
    assert re.fullmatch(r"登记表-[0-9a-f]{8}-\d{4}-\d{2}-\d{2}\.pdf", name), name
    assert name.split("-")[1] == h.id.replace("-", "")[:8]

    target = tmp_path / name
    for weak in ("12345678", "password", "woaini1314"):
        dialog.secret.password.setText(weak)
        dialog.secret.again.setText(weak)
        dialog.save_to(target)
        assert "common" in dialog.error.text() and dialog.error.isVisibleTo(dialog)
    assert not target.exists()
    dialog.secret.password.setText("sheet passphrase 2026")
    dialog.secret.again.setText("sheet passphrase 2026")
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save_to(target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_the_login_box_refuses_an_http_server_elsewhere(qtbot, window: AppWindow, monkeypatch) -> None:
    # A closed port on this computer, taken for a server elsewhere: whatever happens, nothing leaves
    # the machine (before the fix the login went out and failed to connect).
    monkeypatch.setattr(urls, "is_loopback_host", lambda host: False)
    main = window.main_screen
    main.go(main.sync_page)
    page = main.sync_page
    qtbot.waitUntil(lambda: page.login_box.isVisible(), timeout=5_000)
    page.login.url.setText("http://127.0.0.1:1")
    page.login.user.setText("worker1")
    page.login.password.setText("a long server password")
    page.login.connect_button.click()
    qtbot.waitUntil(lambda: page.login.error.isVisibleTo(page.login), timeout=10_000)
    assert "in clear" in page.login.error.text() and "https://" in page.login.error.text()
    assert window.session.ws is not None and window.session.ws.get_setting("sync.token") is None
