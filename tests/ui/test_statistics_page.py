"""The statistics page in Chinese on the hand-counted month of tests/services/test_statistics.py:
each table with its 合计 row and its chart, the month and area chosen, Ctrl+0 to reach it, the 月报
exported through its dialog and read back, and a chart saved as a picture."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook

from tests.services.test_statistics import seed_records
from ui.app import AppWindow
from ui.qt import QImage, QKeySequence, Qt


def test_the_page_counts_the_month_chosen_and_exports_it(qtbot, chinese_window: AppWindow, tmp_path: Path) -> None:
    window = chinese_window
    main = window.main_screen
    page = main.statistics
    done: list[object] = []
    window.session.write(seed_records, done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    qtbot.keySequence(main, QKeySequence("Ctrl+0"))
    assert main.nav.currentItem().text() == "统计月报"
    assert page.scope.hasFocus()
    page.scope.setCurrentIndex(page.scope.findData(""))  # everything on this device
    page.month_box.setCurrentIndex(page.month_box.findData("2026-05"))
    assert page.month_box.currentText() == "2026年5月"
    qtbot.waitUntil(lambda: page.counted is not None and str(page.counted.month) == "2026-05", timeout=10_000)

    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == [
        "救助对象分类统计（现状）", "救助对象增减变动情况", "复核情况", "居家老人探访关爱情况", "网格事件办理情况",
        "转介服务情况（现状）", "自然灾害情况", "平安通呼叫处置情况"]
    model = page.pages["caseload"].model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[:4] == ["救助类别", "申请办理中（户）", "在保户数", "在保人数"]
    first = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    # the street's four 低保 households in payment, next door's included
    assert first == ["最低生活保障（低保）", "1", "4", "7", "1", "0", "1", "3,600.50"]
    total = model.rowCount() - 1
    assert model.data(model.index(total, 0)) == "合计"
    assert model.data(model.index(total, 0), Qt.ItemDataRole.FontRole).bold()
    visits = page.pages["visits"].model
    assert visits.data(visits.index(visits.rowCount() - 1, 3)) == "50.0%"
    # every tab has its chart; the 增减变动 chart is the year's trend: bars of added and stopped, a line
    for key, tab in page.pages.items():
        assert tab.chart.series(), key
    trend = page.pages["changes"].chart
    assert [type(s).__name__ for s in trend.series()] == ["QBarSeries", "QLineSeries"]
    assert trend.series()[1].count() == 12

    page.tabs.setCurrentIndex(1)
    assert "期末 = 期初 + 新增 − 停保" in page.note.text()
    dialog = page.export_report()
    dialog.which.setCurrentIndex(dialog.which.findData("all"))
    dialog.secret.plain.setChecked(True)
    target = tmp_path / "统计月报-2026-05.xlsx"
    dialog.save_to(target)
    qtbot.waitUntil(lambda: dialog.written == 8, timeout=10_000)
    book = load_workbook(io.BytesIO(target.read_bytes()))
    assert len(book.worksheets) == 8
    rows = list(book.worksheets[1].iter_rows(values_only=True))
    assert "2026年5月" in rows[0][0]
    dibao = next(row for row in rows if row[0] == "最低生活保障（低保）")
    assert dibao[1:4] == (4, 9, 1)  # next door's case joins the opening figures

    picture = tmp_path / "chart.png"
    assert page.save_chart(picture)
    image = QImage(str(picture))
    assert not image.isNull() and image.width() >= page.pages["changes"].chart_view.width()
