"""First run: passphrase rules at the field, the recovery key shown once, then work offline."""

from __future__ import annotations

from caseapp.store.workspace import Workspace
from tests.ui.conftest import PASSPHRASE
from ui.qt import Qt
from ui.screens.firstrun.mode_step import ModeStep
from ui.window import AppWindow


def test_first_run_creates_workspace_and_goes_offline(qtbot, new_window: AppWindow) -> None:
    flow = new_window.first_run
    assert flow is not None and new_window.stack.currentWidget() is flow
    step = flow.passphrase_step
    step.name.setText("王小红")

    step.passphrase.setText("short")
    step.create_button.click()
    assert "at least" in step.passphrase_error.text()

    step.passphrase.setText("12345678")
    step.create_button.click()
    assert step.passphrase_error.isVisibleTo(step)
    assert step.meter.score == 0

    step.passphrase.setText(PASSPHRASE)
    assert step.meter.score >= 3
    step.repeat.setText(PASSPHRASE + "x")
    qtbot.keyClick(step.repeat, Qt.Key.Key_Return)
    assert "do not match" in step.repeat_error.text()

    step.repeat.setText(PASSPHRASE)
    step.create_button.click()
    recovery = flow.recovery_step
    qtbot.waitUntil(lambda: flow.current_step() is recovery, timeout=10_000)
    key = recovery.key.text().replace("\n", "")
    assert len(key.split("-")) >= 8
    assert step.passphrase.text() == ""  # the typed passphrase does not linger in the widget
    assert not recovery.next.isEnabled()
    recovery.written.setChecked(True)
    recovery.next.click()
    assert recovery.key.text() == ""  # shown once
    mode: ModeStep = flow.mode_step
    assert flow.current_step() is mode and not mode.start.isEnabled()

    mode.offline_radio.setChecked(True)
    mode.org.set_code("440104001007")
    mode.start.click()
    qtbot.waitUntil(lambda: new_window.stack.currentWidget() is new_window.main_screen, timeout=10_000)
    assert new_window.first_run is None
    assert new_window.session.org_code == "440104001007"

    # The recovery key really opens the workspace, and the name is the author of changes.
    new_window.session.close()
    reopened = Workspace.open_with_recovery_key(new_window.session.path, key)
    try:
        assert reopened.get_setting("org.default") == "440104001007"
        assert reopened.actor == "王小红"
    finally:
        reopened.close()
