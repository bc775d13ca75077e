"""The small things that make the app trustworthy (issue 10), in Chinese: the window's name and size,
what closing says about unsynced changes, dates typed the ways people type them, and the keyboard."""

from __future__ import annotations

from pathlib import Path

from caseapp.domain import Household
from caseapp.services import records
from tests.ui.conftest import ORG, make_session, unlock
from ui import language
from ui.prefs import Prefs
from ui.qt import QRect, QSize
from ui.tasks import TaskManager
from ui.window import AppWindow, fitted_size

#: 1366×768 at 125% scaling, less a 40-pixel task bar: what Windows leaves a window, in
#: device-independent pixels.
SMALL_SCREEN = QRect(0, 0, round(1366 / 1.25), round((768 - 40) / 1.25))


def test_the_window_is_named_in_chinese(qtbot, chinese_window: AppWindow) -> None:
    assert chinese_window.windowTitle() == "个案通"
    assert chinese_window.main_screen.brand.text() == "个案通"


def test_the_window_fits_a_small_screen_at_125_percent(qtbot, chinese_window: AppWindow) -> None:
    size = fitted_size(QSize(1180, 760), SMALL_SCREEN)
    assert size.width() <= SMALL_SCREEN.width() and size.height() <= SMALL_SCREEN.height() - 30
    main = chinese_window.main_screen
    # Every page fits, or scrolls: none makes the window taller or wider than that screen has room for.
    for page in main.pages:
        main.go(page)
        qtbot.wait(10)
        least = chinese_window.minimumSizeHint()
        assert least.width() <= size.width() and least.height() <= size.height(), (type(page).__name__, least)
    # and on the screen it opens on, it is no bigger than the free area
    free = chinese_window.screen().availableGeometry()
    assert chinese_window.width() <= free.width() and chinese_window.height() <= free.height()


def test_the_window_remembers_its_size(qtbot, existing: Path, tasks: TaskManager, prefs: Prefs) -> None:
    assert language.install(language.ZH)
    try:
        first = AppWindow(make_session(existing, tasks, language.ZH), prefs)
        qtbot.addWidget(first)
        first.show()
        first.resize(700, 500)
        first.close()
        saved = Prefs.load(prefs.path)
        assert saved.window_size == [700, 500]
        again = AppWindow(make_session(existing, tasks, language.ZH), saved)
        qtbot.addWidget(again)
        assert (again.width(), again.height()) == (700, 500)
        again.close()
    finally:
        language.install(language.EN)


def test_closing_with_unsynced_changes_says_what_stays_on_this_computer(qtbot, chinese_window: AppWindow) -> None:
    window = chinese_window
    ws = window.session.ws
    assert ws is not None
    ws.set_setting("sync.server_url", "https://sync.example.invalid")
    with ws.write() as db:
        records.create(db, Household, {"org_code": ORG, "head_name": "陈桂英", "address": "解放北路 8 号"})
    window.sync.refresh()
    qtbot.waitUntil(lambda: window.unsynced_changes() == 1, timeout=5_000)
    window.close()
    box = window.close_box
    assert box is not None and box.isVisible() and window.isVisible()
    assert "1" in box.text() and "加密" in box.text() and "下次解锁后同步" in box.text()
    # Keep working: the window stays open.
    keep = box.findChild(type(box.defaultButton()), "keep_open")
    keep.click()
    qtbot.waitUntil(lambda: window.close_box is None, timeout=2_000)
    assert window.isVisible() and window.session.is_open
    # Close anyway: the window closes and the change is still in the workspace.
    window.close()
    box = window.close_box
    assert box is not None
    box.findChild(type(box.defaultButton()), "close_anyway").click()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=2_000)


def test_closing_with_everything_synced_asks_nothing(qtbot, existing: Path, tasks: TaskManager, prefs: Prefs,
                                                      english: None) -> None:
    window = AppWindow(make_session(existing, tasks), prefs)
    qtbot.addWidget(window)
    window.show()
    unlock(qtbot, window)
    window.close()
    assert window.close_box is None and not window.isVisible()
