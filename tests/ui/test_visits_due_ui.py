"""The visits due in pages (issue 12): the visits page shows the first page and fetches the rest as
the keyboard scrolls down, Today's tiles count the whole list while its table holds one page, and a
header click does not re-sort the rows loaded so far."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from caseapp.services import demo, schedule
from caseapp.store.workspace import Workspace
from tests.ui.conftest import PASSPHRASE, make_session, unlock
from ui.prefs import Prefs
from ui.qt import Qt
from ui.tasks import TaskManager
from ui.window import AppWindow


@pytest.fixture
def demo_window(qtbot, existing: Path, tasks: TaskManager, prefs: Prefs, english: None) -> Iterator[AppWindow]:
    with Workspace.open(existing, PASSPHRASE) as ws:
        demo.generate(ws, 200, seed=5)
    window = AppWindow(make_session(existing, tasks), prefs)
    qtbot.addWidget(window)
    window.resize(1000, 600)
    window.show()
    unlock(qtbot, window)
    yield window
    window.session.close()


def _expected(window: AppWindow, horizon: int) -> list[schedule.DueVisit]:
    ws = window.session.ws
    assert ws is not None
    with ws.read() as s:
        return schedule.visits_due(s, dt.date.today(), horizon)


def test_scrolling_down_the_visits_due_fetches_the_rest(qtbot, demo_window: AppWindow) -> None:
    main = demo_window.main_screen
    visits = main.visits
    model, table = visits.model, visits.table
    model.page_size = 5
    expected = _expected(demo_window, 30)
    assert len(expected) > 30, "the demo has a few screenfuls due this month"
    main.go(visits)
    visits.show_due()
    qtbot.waitUntil(lambda: model.ready and model.total == len(expected), timeout=10_000)
    shown = len(model.rows)
    assert shown < len(expected)
    assert visits.summary.text().startswith(f"{len(expected)} elder")
    # the keyboard goes to the last row loaded; the view asks for the next page, and again
    table.setFocus()
    for _ in range(len(expected)):
        if not model.canFetchMore() and not model.loading:
            break
        before = len(model.rows)
        qtbot.keyClick(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda before=before: len(model.rows) > before or (not model.canFetchMore()
                        and not model.loading), timeout=5_000)
    assert model.rows == expected
    assert table.currentIndex().row() >= shown
    # a header click does not sort the part loaded: the order is the service's, by due date
    qtbot.mouseClick(table.horizontalHeader().viewport(), Qt.MouseButton.LeftButton)
    assert model.rows == expected
    assert table.horizontalHeader().sortIndicatorSection() == model.DUE


def test_todays_tiles_count_the_whole_list_its_table_one_page(qtbot, demo_window: AppWindow) -> None:
    today = demo_window.main_screen.today
    today.visits.page_size = 3
    everything = today.scope.findText("Everything on this device")
    today.period.setCurrentIndex(today.period.findData("week"))
    today.scope.setCurrentIndex(everything)
    ws = demo_window.session.ws
    assert ws is not None
    with ws.read() as s:
        counts = schedule.count_visits_due(s, dt.date.today(), today.days_ahead())
    assert counts.due > 3 and counts.overdue > 0
    qtbot.waitUntil(lambda: today.tile_visits.number.text() == str(counts.due)
                    and today.tile_overdue.number.text() == str(counts.overdue), timeout=10_000)
    assert today.visits.ready and len(today.visits.rows) < counts.due
