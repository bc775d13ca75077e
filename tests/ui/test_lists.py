"""工作名单（中文界面）：筛选、点表头排序、按辖区查看、重新打开后记住筛选、今日卡片打开对应名单、
把筛选后的名单导出为 Excel 台账并核对行数和合计、打印名单。"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from caseapp.domain import AssistanceCase, GridEvent, Household, Member, OrgUnit
from caseapp.services import listing, records
from tests.core.helpers import approve
from tests.ui.conftest import ORG, make_session, type_text, unlock
from ui import language
from ui.prefs import Prefs
from ui.qt import QComboBox, QPoint, Qt
from ui.tasks import TaskManager
from ui.widgets.list_panel import ListPanel
from ui.window import AppWindow

MY_GRID = ORG + "001"
NEIGHBOUR_GRID = ORG + "002"
ELSEWHERE = "440104001008001"


@pytest.fixture
def chinese(qapp: object, prefs: Prefs) -> Iterator[None]:
    assert language.install(language.ZH), "run `make translations` first"
    prefs.language = language.ZH
    yield
    language.install(language.EN)


def _case(db: object, household: Household, category: str, amount: str, *, active: bool = True,
          next_review: dt.date | None = None) -> AssistanceCase:
    case = records.create(db, AssistanceCase, {"org_code": household.org_code, "household_id": household.id,
                                               "category": category, "monthly_amount": amount,
                                               "amount_reason": "按测试设定的金额"})
    if active and category == "temporary":
        records.transition(db, case, "active")  # 先行救助: paid first
    elif active:
        approve(db, case)
    if next_review is not None:
        records.update(db, case, {"next_review_date": next_review})
    return case


def _home(db: object, org: str, head: str, address: str, id_number: str | None = None,
          others: tuple[str, ...] = ()) -> Household:
    h = records.create(db, Household, {"org_code": org, "head_name": head, "address": address,
                                       "phone": "13800138000" if id_number else None})
    records.create(db, Member, {"org_code": org, "household_id": h.id, "name": head, "relationship": "02",
                                "id_number": id_number})
    for name in others:
        records.create(db, Member, {"org_code": org, "household_id": h.id, "name": name, "relationship": "30"})
    return h


@pytest.fixture
def street(qtbot, existing: Path, tasks: TaskManager, prefs: Prefs, chinese: None) -> Iterator[AppWindow]:
    """中文窗口，我的辖区是洪桥街道某社区（两个网格），另有别的社区的家庭。"""
    window = AppWindow(make_session(existing, tasks, language.ZH), prefs)
    qtbot.addWidget(window)
    window.show()
    unlock(qtbot, window)
    ws = window.session.ws
    assert ws is not None
    with ws.write() as db:
        for code, name, level, parent in ((ORG, "仓边社区", "community", "440104001"),
                                          (MY_GRID, "仓边社区第1网格", "grid", ORG),
                                          (NEIGHBOUR_GRID, "仓边社区第2网格", "grid", ORG),
                                          ("440104001008", "大塘社区", "community", "440104001"),
                                          (ELSEWHERE, "大塘社区第1网格", "grid", "440104001008")):
            records.create(db, OrgUnit, {"org_code": code, "code": code, "name": name, "level": level,
                                         "parent_code": parent})
        chen = _home(db, MY_GRID, "陈秀英", "越秀区仓边路1号", "11010519491231002X", others=("陈小明",))
        _case(db, chen, "dibao", "1200", next_review=dt.date.today() - dt.timedelta(days=1))
        _case(db, chen, "temporary", "2000")
        li = _home(db, NEIGHBOUR_GRID, "李娜", "越秀区仓边路2号", "360426199101010071")
        _case(db, li, "dibao", "800", next_review=dt.date.today() + dt.timedelta(days=60))
        _home(db, MY_GRID, "张伟", "越秀区仓边路3号")
        huang = _home(db, ELSEWHERE, "黄淑芬", "越秀区大塘街4号")
        _case(db, huang, "dibao", "700", next_review=dt.date.today())
        records.create(db, GridEvent, {"org_code": MY_GRID, "title": "楼道堆物", "category": "02",
                                       "occurred_at": dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)})
        records.create(db, GridEvent, {"org_code": ELSEWHERE, "title": "路灯损坏", "category": "01",
                                       "occurred_at": dt.datetime.now(dt.UTC) - dt.timedelta(hours=3)})
    window.session.changed.emit(frozenset({"*"}))
    yield window
    window.session.close()


def heads(panel: ListPanel) -> list[str]:
    return [row.values["head_name"] for row in panel.model.rows]


def loaded(qtbot, panel: ListPanel, expected: list[str] | set[str]) -> None:
    def done() -> bool:
        got = heads(panel)
        return (set(got) == expected if isinstance(expected, set) else got == expected) and not panel.model.loading

    qtbot.waitUntil(done, timeout=5_000)


def choose(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not among {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setCurrentIndex(index)


def click_header(qtbot, panel: ListPanel, title: str) -> None:
    header = panel.table.horizontalHeader()
    column = next(c for c in range(header.count())
                  if panel.model.headerData(c, Qt.Orientation.Horizontal) == title)
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def test_filter_sort_and_scope_the_household_list(qtbot, street: AppWindow) -> None:
    main = street.main_screen
    main.go(main.households)
    panel = main.households.panel
    loaded(qtbot, panel, {"陈秀英", "李娜", "张伟", "黄淑芬"})
    headers = [panel.model.headerData(c, Qt.Orientation.Horizontal) for c in range(panel.model.columnCount())]
    assert headers[:8] == ["户主姓名", "地址", "社区（村）", "网格", "联系电话", "家庭人口", "救助类别", "办理状态"]
    row = next(r for r in panel.model.rows if r.values["head_name"] == "陈秀英")
    assert row.texts[2:4] == ("仓边社区", "仓边社区第1网格") and row.texts[5] == "2"
    assert "最低生活保障（低保）：在保" in row.texts[7] and "临时救助" in row.texts[6]

    # 只看低保户
    choose(panel.bar.choices["categories"], "最低生活保障（低保）")
    loaded(qtbot, panel, {"陈秀英", "李娜", "黄淑芬"})
    # 点“户主姓名”表头：在数据库里排序，再点一次倒过来
    click_header(qtbot, panel, "户主姓名")
    qtbot.waitUntil(lambda: panel.model.filter.sort == "head_name" and not panel.model.loading, timeout=5_000)
    pinyin = ["陈秀英", "黄淑芬", "李娜"]  # chen, huang, li: as a Chinese list is read
    first = heads(panel)
    assert first in (pinyin, pinyin[::-1])
    click_header(qtbot, panel, "户主姓名")
    loaded(qtbot, panel, first[::-1])
    # 只看我的辖区，再只看第2网格
    choose(panel.bar.scope, "我的辖区：仓边社区")
    loaded(qtbot, panel, {"陈秀英", "李娜"})
    choose(panel.bar.scope, "        仓边社区第2网格")
    loaded(qtbot, panel, ["李娜"])
    qtbot.waitUntil(lambda: panel.summary.text() == "共 1 户", timeout=5_000)
    panel.bar.clear_button.click()
    loaded(qtbot, panel, {"陈秀英", "李娜", "张伟", "黄淑芬"})
    # 搜索框和筛选一起用
    choose(panel.bar.choices["categories"], "最低生活保障（低保）")
    type_text(main.search, "陈")
    qtbot.waitUntil(lambda: main.households.model.query == "陈", timeout=5_000)
    loaded(qtbot, panel, ["陈秀英"])


def test_filter_is_remembered_after_locking_and_reopening(qtbot, street: AppWindow, existing: Path,
                                                          tasks: TaskManager, prefs: Prefs) -> None:
    main = street.main_screen
    main.go(main.households)
    panel = main.households.panel
    loaded(qtbot, panel, {"陈秀英", "李娜", "张伟", "黄淑芬"})
    choose(panel.bar.scope, "我的辖区：仓边社区")
    choose(panel.bar.choices["states"], "在保")
    loaded(qtbot, panel, {"陈秀英", "李娜"})
    panel.model.sort(0, Qt.SortOrder.DescendingOrder)
    loaded(qtbot, panel, ["李娜", "陈秀英"])
    wanted = panel.model.filter
    street.lock()
    unlock(qtbot, street)
    main = street.main_screen
    main.go(main.households)
    panel = main.households.panel
    loaded(qtbot, panel, ["李娜", "陈秀英"])
    assert panel.model.filter == wanted
    assert panel.bar.scope.currentText() == "我的辖区：仓边社区"
    assert panel.bar.choices["states"].currentText() == "在保"
    assert panel.table.horizontalHeader().sortIndicatorSection() == 0
    street.session.close()

    # 关掉程序再打开：还是一样
    again = AppWindow(make_session(existing, tasks, language.ZH), prefs)
    qtbot.addWidget(again)
    again.show()
    unlock(qtbot, again)
    try:
        again.main_screen.go(again.main_screen.households)
        panel = again.main_screen.households.panel
        loaded(qtbot, panel, ["李娜", "陈秀英"])
        assert panel.bar.choices["states"].currentText() == "在保"
    finally:
        again.session.close()


def test_today_is_my_area_split_into_today_and_this_week_and_its_cards_open_their_lists(
        qtbot, street: AppWindow) -> None:
    main = street.main_screen
    today = main.today
    assert today.scope.currentText() == "我的辖区" and today.period.currentText() == "今天"
    # 陈秀英的低保昨天该复核（我的辖区）；黄淑芬的今天该复核，但不在我的辖区
    qtbot.waitUntil(lambda: today.reviews.ready and today.events.ready, timeout=5_000)
    assert [r.head_name for r in today.reviews.rows] == ["陈秀英"]
    assert [r.title for r in today.events.rows] == ["楼道堆物"]
    choose(today.scope, "本机全部")
    qtbot.waitUntil(lambda: today.reviews.ready and len(today.reviews.rows) == 2, timeout=5_000)
    choose(today.scope, "我的辖区")
    choose(today.period, "本周")
    qtbot.waitUntil(lambda: today.reviews.ready and today.tile_reviews.number.text() == "1", timeout=5_000)

    # 点“待复核”卡片：打开救助案件名单，按同样的条件筛好
    qtbot.mouseClick(today.tile_reviews, Qt.MouseButton.LeftButton)
    page = main.households
    assert main.current_page() is page and page.tabs.currentWidget() is page.cases
    cases = page.cases
    qtbot.waitUntil(lambda: len(cases.model.rows) == 1 and not cases.model.loading, timeout=5_000)
    assert cases.model.rows[0].values["head_name"] == "陈秀英"
    assert cases.bar.period is not None and cases.bar.period.currentText() == "本周内到期"
    # the unit's name is read in the background, beside the rows: the code until it is here
    qtbot.waitUntil(lambda: cases.bar.scope.currentText() == "我的辖区：仓边社区", timeout=5_000)

    # 用键盘打开“网格事件”卡片
    main.go(today)
    today.tile_events.setFocus()
    qtbot.keyClick(today.tile_events, Qt.Key.Key_Return)
    grid = main.grid
    assert main.current_page() is grid
    events = grid.events.panel
    qtbot.waitUntil(lambda: [r.values["title"] for r in events.model.rows] == ["楼道堆物"]
                    and not events.model.loading, timeout=5_000)

    # 到期探访卡片打开“待探访”
    main.go(today)
    qtbot.mouseClick(today.tile_overdue, Qt.MouseButton.LeftButton)
    assert main.current_page() is main.visits and main.visits.tabs.currentWidget() is main.visits.due_page
    assert main.visits.model.overdue_only and main.visits.model.scope == (ORG,)


def test_export_the_filtered_list_to_excel_and_print_it(qtbot, street: AppWindow, tmp_path: Path) -> None:
    main = street.main_screen
    main.go(main.households)
    panel = main.households.panel
    loaded(qtbot, panel, {"陈秀英", "李娜", "张伟", "黄淑芬"})
    choose(panel.bar.scope, "我的辖区：仓边社区")
    choose(panel.bar.choices["categories"], "最低生活保障（低保）")
    panel.model.sort(0, Qt.SortOrder.AscendingOrder)
    loaded(qtbot, panel, ["陈秀英", "李娜"])
    qtbot.waitUntil(lambda: panel.model.total == 2, timeout=5_000)

    dialog = panel.export()
    assert dialog.what.text() == "共 2 行，按屏幕上的筛选和排序"
    dialog.secret.plain.setChecked(True)
    target = tmp_path / "低保户名单.xlsx"
    with qtbot.waitSignal(dialog.exported, timeout=10_000):
        dialog.save_to(target)
    sheet = load_workbook(io.BytesIO(target.read_bytes())).active
    assert sheet is not None
    header = [c.value for c in sheet[3]]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4, max_row=5)]
    assert [r[1] for r in rows] == ["陈秀英", "李娜"]  # 一户一行，顺序同屏幕（按拼音）
    by_head = {r[1]: dict(zip(header, r, strict=True)) for r in rows}
    assert by_head["陈秀英"]["户主身份证号码"] == "11010519491231002X"
    assert sheet.cell(row=4, column=3).number_format == "@"
    assert by_head["陈秀英"]["月保障金额（元）"] == pytest.approx(1200)
    assert by_head["陈秀英"]["一次性救助金额（元）"] == pytest.approx(2000)  # 临时救助另列，不算进月保障
    assert by_head["李娜"]["月保障金额（元）"] == pytest.approx(800)
    assert sheet.cell(row=6, column=1).value == "合计"
    assert sum(Decimal(str(r[header.index("月保障金额（元）")])) for r in rows) == Decimal("2000")
    assert sheet["A1"].value == "仓边社区家庭户名单"
    qtbot.waitUntil(lambda: "低保户名单.xlsx" in panel.summary.text(), timeout=5_000)

    printing = panel.print_list()
    with qtbot.waitSignal(printing.ready, timeout=10_000):
        pass
    assert printing.pages >= 1 and len(printing.sheets) == 1
    html = printing.sheets[0].html
    assert "陈秀英" in html and "李娜" in html and "黄淑芬" not in html and "张伟" not in html
    printing.reject()
    dialog.close()


def test_other_lists_filter_and_sort_in_chinese(qtbot, street: AppWindow) -> None:
    main = street.main_screen
    main.go(main.grid)
    events = main.grid.events.panel
    qtbot.waitUntil(lambda: len(events.model.rows) == 2 and not events.model.loading, timeout=5_000)
    # the org units were written after the window opened (as a first sync brings them): named once read
    qtbot.waitUntil(lambda: events.bar.scope.findText("我的辖区：仓边社区") >= 0, timeout=5_000)
    choose(events.bar.scope, "我的辖区：仓边社区")
    qtbot.waitUntil(lambda: [r.values["title"] for r in events.model.rows] == ["楼道堆物"], timeout=5_000)
    assert events.model.rows[0].texts[4] == "上报"  # 状态按流程的叫法，不是代码 reported
    main.grid.tabs.setCurrentWidget(main.grid.patrols)
    qtbot.waitUntil(lambda: main.grid.patrols.panel.model.total == 0, timeout=5_000)
    assert listing.LISTS["patrol_logs"].column("started_at").label("zh") == \
        main.grid.patrols.panel.model.headerData(0, Qt.Orientation.Horizontal)


def test_typing_a_search_lists_the_best_matches_first_even_after_a_sort(qtbot, street: AppWindow) -> None:
    main = street.main_screen
    main.go(main.households)
    panel = main.households.panel
    loaded(qtbot, panel, {"陈秀英", "李娜", "张伟", "黄淑芬"})
    panel.model.sort(5, Qt.SortOrder.DescendingOrder)  # 家庭人口
    qtbot.waitUntil(lambda: panel.model.filter.sort == "household_size" and not panel.model.loading, timeout=5_000)
    type_text(main.search, "李娜")
    qtbot.waitUntil(lambda: main.households.model.query == "李娜" and not panel.model.loading, timeout=5_000)
    loaded(qtbot, panel, ["李娜"])
    assert panel.model.filter.sort == "" and panel.table.horizontalHeader().sortIndicatorSection() == -1
    matched = main.households.model.MATCHED
    assert not panel.table.isColumnHidden(matched)
    assert panel.model.data(panel.model.index(0, matched)) == "姓名"
