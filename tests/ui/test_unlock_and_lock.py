"""Unlocking (wrong passphrase first, then right), locking by hand, by Ctrl+L and when idle."""

from __future__ import annotations

from pathlib import Path

from caseapp.domain import Household
from caseapp.services import records
from tests.ui.conftest import ORG, PASSPHRASE, make_session, unlock
from ui.prefs import Prefs
from ui.qt import QApplication, Qt
from ui.tasks import TaskManager
from ui.window import AppWindow


def test_wrong_then_right_passphrase(qtbot, existing: Path, tasks: TaskManager, prefs: Prefs, english: None) -> None:
    window = AppWindow(make_session(existing, tasks), prefs)
    qtbot.addWidget(window)
    window.show()
    screen = window.unlock_screen
    assert window.locked

    screen.secret.setText("not my passphrase")
    qtbot.keyClick(screen.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.error.isVisibleTo(screen), timeout=10_000)
    assert "Wrong passphrase" in screen.error.text()
    assert window.locked and not window.session.is_open
    assert screen.secret.hasFocus() or not window.isActiveWindow()

    where = screen.unlock.mapTo(screen, screen.unlock.rect().topLeft())
    screen.secret.setText(PASSPHRASE)  # typing clears the error, and the button stays where it was
    assert not screen.error.showing and screen.error.text() == ""
    qtbot.wait(10)
    assert screen.unlock.mapTo(screen, screen.unlock.rect().topLeft()) == where
    screen.unlock.click()
    qtbot.waitUntil(lambda: not window.locked, timeout=10_000)
    assert window.session.is_open
    assert screen.secret.text() == ""
    window.session.close()


def test_unlock_with_recovery_key_then_choose_new_passphrase(qtbot, tmp_path: Path, tasks: TaskManager,
                                                            prefs: Prefs, english: None) -> None:
    from caseapp.crypto.keyfile import TEST_KDF
    from caseapp.store.workspace import Workspace

    ws, recovery = Workspace.create(tmp_path / "ws", PASSPHRASE, kdf=TEST_KDF)
    ws.close()
    window = AppWindow(make_session(tmp_path / "ws", tasks), prefs)
    qtbot.addWidget(window)
    window.show()
    screen = window.unlock_screen
    screen.switch.click()
    assert screen.using_recovery
    screen.secret.setText("AAAA-BBBB")
    screen.unlock.click()
    qtbot.waitUntil(lambda: screen.error.isVisibleTo(screen), timeout=10_000)
    screen.secret.setText(recovery.lower())
    screen.unlock.click()
    qtbot.waitUntil(lambda: not window.locked, timeout=10_000)
    settings = window.main_screen.settings
    assert window.main_screen.current_page() is settings

    assert settings.recovered and not settings.current.isVisible()  # the old passphrase is forgotten
    settings.new_passphrase.setText("a brand new long passphrase")
    settings.repeat.setText("a brand new long passphrase")
    settings.change.click()
    qtbot.waitUntil(lambda: settings.changed_note.text() != "", timeout=10_000)
    assert settings.current.isVisible()

    # Otherwise the current passphrase is required, even though the workspace is open.
    settings.current.setText("wrong one")
    settings.new_passphrase.setText("yet another long passphrase")
    settings.repeat.setText("yet another long passphrase")
    settings.change.click()
    qtbot.waitUntil(lambda: settings.current_error.isVisibleTo(settings), timeout=10_000)
    window.session.close()
    Workspace.open(tmp_path / "ws", "a brand new long passphrase").close()


def _add_household(window: AppWindow) -> None:
    assert window.session.ws is not None
    with window.session.ws.write() as db:
        records.create(db, Household, {"org_code": ORG, "head_name": "李秀英", "address": "越秀北路1号"})


def test_lock_clears_screen_and_models(qtbot, window: AppWindow) -> None:
    _add_household(window)
    main = window.main_screen
    main.go(main.households)
    model = main.households.model
    model.reset()
    qtbot.waitUntil(lambda: len(model.rows) == 1, timeout=5_000)
    dialog = main.households.new_household()
    dialog.form.editor("head_name").set("半截输入")
    assert dialog.isVisible()

    qtbot.keyClick(dialog.form.editor("address").widget, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked and not window.session.is_open
    assert model.rows == [] and model.rowCount() == 0
    assert not dialog.isVisible()
    assert not main.isVisible()
    # Nothing personal is left in any visible widget.
    texts = [w.text() for w in QApplication.allWidgets() if w.isVisible() and hasattr(w, "text")]
    assert not any("李秀英" in str(t) for t in texts)

    unlock(qtbot, window)
    qtbot.waitUntil(lambda: len(model.rows) == 1, timeout=5_000)
    assert dialog.isVisible() and dialog.form.editor("head_name").get() == "半截输入"  # nothing typed is lost


def test_locks_after_idle_time(qtbot, existing: Path, tasks: TaskManager, prefs: Prefs, english: None) -> None:
    window = AppWindow(make_session(existing, tasks), prefs, idle_ms=800)
    qtbot.addWidget(window)
    window.show()
    window.unlock_screen.secret.setText(PASSPHRASE)
    with qtbot.waitSignal(window.session.unlocked, timeout=10_000):
        window.unlock_screen.unlock.click()
    # The unlocked signal proves the unlock; whether the window is still unlocked a moment later is a
    # race with the 800 ms timer on a loaded machine (it failed so under a full parallel run).
    assert window.idle.timeout_ms == 800
    qtbot.waitUntil(lambda: window.locked, timeout=5_000)
    assert not window.session.is_open
    window.session.close()


def test_lock_button(qtbot, window: AppWindow) -> None:
    window.main_screen.lock_button.click()
    assert window.locked and not window.session.is_open
