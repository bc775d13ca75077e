"""Grid records in Chinese: a disaster's reports as a series (an initial report filed by the
user, a 续报 and a 核报 each started from the latest figures in its own form, the time limits
shown, no report after the 核报), and a patrol log opened to be read, never changed."""

from __future__ import annotations

import datetime as dt

from caseapp.domain import DisasterReport
from caseapp.services import disaster
from tests.ui.conftest import type_text
from ui.qt import Qt
from ui.window import AppWindow

GRID = "44010400100701"


def _select(qtbot, window: AppWindow, n: int) -> None:
    grid = window.main_screen.grid
    qtbot.waitUntil(lambda: len(grid.disasters.panel.model.rows) > n, timeout=5_000)
    grid.disasters.panel.table.selectRow(n)
    qtbot.waitUntil(lambda: grid.series.state is not None and grid.series.isVisible(), timeout=5_000)


def _save(qtbot, dialog) -> None:
    qtbot.keyClick(dialog.save, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)


def test_a_series_is_filed_from_its_initial_report_with_its_limits(qtbot, chinese_window: AppWindow) -> None:
    window = chinese_window
    window.session.set_setting("org.default", GRID)
    main = window.main_screen
    main.go(main.grid)
    grid = main.grid
    grid.tabs.setCurrentWidget(grid.disasters)

    qtbot.keyClick(grid.disasters.add, Qt.Key.Key_Space)
    dialog = grid.dialog
    assert dialog is not None and dialog.windowTitle() == "初报：灾情报告"
    form = dialog.form
    assert form.editor("reporter").get() == window.session.actor  # filled from the user
    assert "reviewer" not in {s.name for s in form.specs}  # (the 核报 has it)
    assert form.editor("reported_at").get()  # now, as it opens
    occurred = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0) - dt.timedelta(hours=4)
    form.editor("disaster_type").set("typhoon")
    form.editor("occurred_at").set(occurred)
    form.editor("reported_at").set(occurred + dt.timedelta(hours=3))  # two hours past its one-hour limit
    type_text(form.editor("place").widget, "龙凤街道")
    form.editor("affected").set(120)
    form.editor("houses_collapsed_households").set(2)
    _save(qtbot, dialog)

    _select(qtbot, window, 0)
    bar = grid.series
    assert bar.series.text() == "本次灾情的报告：初报"
    limits = bar.limits.text()
    assert "初报时限：灾害发生后 1 小时内报街道" in limits and "此初报超出时限 2 小时 报出" in limits
    assert "续报：灾情稳定前每日 9 时前" in limits and "核报：灾情稳定后 2 个工作日内" in limits
    assert bar.update_button.isEnabled() and bar.final_button.isEnabled()

    qtbot.keyClick(bar.update_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: grid.dialog is not dialog and grid.dialog is not None and grid.dialog.isVisible(),
                    timeout=5_000)
    update = grid.dialog
    assert update.windowTitle() == "续报：灾情报告"
    assert (update.form.editor("affected").get(), update.form.editor("houses_collapsed_households").get()) == (
        "120", "2")  # the totals so far
    update.form.editor("affected").set(150)
    _save(qtbot, update)

    qtbot.waitUntil(lambda: len(grid.disasters.panel.model.rows) == 2, timeout=5_000)
    _select(qtbot, window, 0)
    qtbot.waitUntil(lambda: bar.state is not None and len(bar.state.stages) == 2, timeout=5_000)
    assert bar.series.text() == "本次灾情的报告：初报 → 续报"
    qtbot.keyClick(bar.final_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: grid.dialog is not update and grid.dialog is not None and grid.dialog.isVisible(),
                    timeout=5_000)
    final = grid.dialog
    assert final.windowTitle() == "核报：灾情报告" and final.form.editor("affected").get() == "150"
    assert "reviewer" in {s.name for s in final.form.specs}
    type_text(final.form.editor("reviewer").widget, "陈主任")
    _save(qtbot, final)

    qtbot.waitUntil(lambda: len(grid.disasters.panel.model.rows) == 3, timeout=5_000)
    _select(qtbot, window, 0)
    qtbot.waitUntil(lambda: bar.state is not None and len(bar.state.stages) == 3, timeout=5_000)
    assert bar.series.text() == "本次灾情的报告：初报 → 续报 → 核报"
    assert "本次灾情已核报" in bar.limits.text()
    assert not bar.update_button.isEnabled() and not bar.final_button.isEnabled()
    assert grid.disasters.workflow.isHidden()  # no "moves" of a stage fixed when filed
    with window.session.ws.read() as s:  # type: ignore[union-attr]
        head = s.query(DisasterReport).filter(DisasterReport.series_id.is_(None)).one()
        assert [(r.stage, r.affected, r.org_code) for r in disaster.series(s, head)] == [
            ("initial", 120, GRID), ("update", 150, GRID), ("final", 150, GRID)]


def test_a_patrol_log_is_opened_to_be_read_not_changed(qtbot, chinese_window: AppWindow) -> None:
    from caseapp.domain import PatrolLog
    from caseapp.services import records

    window = chinese_window
    ws = window.session.ws
    assert ws is not None
    start = dt.datetime(2026, 11, 30, 1, 0, tzinfo=dt.UTC)
    with ws.write() as s:
        records.create(s, PatrolLog, {"org_code": GRID, "started_at": start, "ended_at": start + dt.timedelta(hours=2),
                                      "places_checked": "龙庆北 1–20 号", "problems": "楼道堆放杂物两处"})
    main = window.main_screen
    main.go(main.grid)
    grid = main.grid
    grid.tabs.setCurrentWidget(grid.patrols)
    qtbot.waitUntil(lambda: len(grid.patrols.panel.model.rows) == 1, timeout=5_000)
    grid.patrols.panel.table.setFocus()
    grid.patrols.panel.table.selectRow(0)
    qtbot.waitUntil(grid.patrols.edit.isEnabled, timeout=5_000)
    assert grid.patrols.edit.text() == "查看"
    qtbot.keyClick(grid.patrols.edit, Qt.Key.Key_Space)
    viewer = grid.patrols.viewer
    assert viewer is not None and viewer.isVisible() and viewer.windowTitle() == "查看：巡查日志"
    assert viewer.save.isHidden() and viewer.cancel.text() == "关闭"
    problems = viewer.form.editor("problems")
    assert problems.get() == "楼道堆放杂物两处" and problems.widget.isReadOnly()
    viewer.submit()  # nothing to save: a fact is never changed
    qtbot.keyClick(viewer, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not viewer.isVisible(), timeout=5_000)
    with ws.read() as s:
        assert [p.problems for p in s.query(PatrolLog)] == ["楼道堆放杂物两处"]
