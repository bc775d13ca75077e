"""Fixtures for driving the desktop app offscreen: a window over a real workspace, English UI."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from pathlib import Path

import pytest

from caseapp.crypto.keyfile import TEST_KDF
from caseapp.store.workspace import Workspace
from ui import language
from ui.prefs import Prefs
from ui.session import Session
from ui.tasks import TaskManager
from ui.window import AppWindow

PASSPHRASE = "correct horse battery staple"
ORG = "440104001007"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Qt warnings (a bad connection, a layout set twice, a missing translation file) fail the test.
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            # The offscreen platform plugin's own notices are not our warnings (the camera's video
            # widget asks it for a native window it does not make).
            item.add_marker(pytest.mark.qt_log_ignore("does not support propagateSizeHints", "does not support raise",
                                                      r"QBackingStore::flush\(\) called for +QVideoWindow"))


@pytest.fixture(scope="session", autouse=True)
def translations(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Compiled catalogues for the Chinese tests (``make translations`` builds them too).

    Under pytest-xdist every worker runs this: a lock in the run's shared temporary folder lets one
    of them rebuild stale catalogues while the others wait, so none reads a half-written .qm."""
    from ui import i18n_build

    qm = language.qm_path(language.ZH)
    with open(tmp_path_factory.getbasetemp().parent / "translations.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not qm.exists() or qm.stat().st_mtime < i18n_build.ts_path(language.ZH).stat().st_mtime:
            i18n_build.build()


@pytest.fixture
def tasks(qapp: object) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown()


@pytest.fixture
def prefs(tmp_path: Path) -> Prefs:
    return Prefs(tmp_path / "ui.json", language=language.EN)


@pytest.fixture
def english(qapp: object) -> Iterator[None]:
    language.install(language.EN)
    yield
    language.install(language.EN)


def make_session(path: Path, tasks: TaskManager, lang: str = language.EN) -> Session:
    # The cheap KDF is passed explicitly, only here: production code never chooses it.
    return Session(path, tasks, lang, kdf=TEST_KDF)


@pytest.fixture
def new_window(qtbot, tmp_path: Path, tasks: TaskManager, prefs: Prefs, english: None) -> Iterator[AppWindow]:
    """A window over a folder with no workspace yet: the first-run screens."""
    window = AppWindow(make_session(tmp_path / "ws", tasks), prefs)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.session.close()


@pytest.fixture
def existing(tmp_path: Path) -> Path:
    """A workspace created by the core (as `caseapp init` would), set up for offline work."""
    path = tmp_path / "ws"
    ws, _recovery = Workspace.create(path, PASSPHRASE, kdf=TEST_KDF, actor="tester")
    ws.set_setting("org.default", ORG)
    ws.set_setting("setup.mode", "offline")
    ws.close()
    return path


def unlock(qtbot, window: AppWindow, passphrase: str = PASSPHRASE) -> None:
    screen = window.unlock_screen
    screen.secret.setText(passphrase)
    screen.unlock.click()
    qtbot.waitUntil(lambda: window.session.is_open and not window.locked, timeout=10_000)


@pytest.fixture
def window(qtbot, existing: Path, tasks: TaskManager, prefs: Prefs, english: None) -> Iterator[AppWindow]:
    """An unlocked window over an empty offline workspace."""
    win = AppWindow(make_session(existing, tasks), prefs)
    qtbot.addWidget(win)
    win.show()
    unlock(qtbot, win)
    yield win
    win.session.close()


@pytest.fixture
def chinese_window(qtbot, existing: Path, tasks: TaskManager, prefs: Prefs) -> Iterator[AppWindow]:
    """An unlocked window over an empty offline workspace, in Chinese."""
    assert language.install(language.ZH), "run `make translations` first"
    prefs.language = language.ZH
    window = AppWindow(make_session(existing, tasks, language.ZH), prefs)
    qtbot.addWidget(window)
    window.show()
    unlock(qtbot, window)
    yield window
    window.session.close()
    language.install(language.EN)


def type_text(widget: object, text: str) -> None:
    """Type text the way a Chinese input method delivers it: one committed string per phrase
    (QTest's key clicks cannot produce hanzi)."""
    from ui.qt import QApplication, QInputMethodEvent

    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)  # type: ignore[arg-type]
