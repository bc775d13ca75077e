"""The data-quality page in Chinese: the findings of the checks across records grouped by check with
their counts, recomputed when records change, each opening its household with Enter."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlalchemy.orm import Session as DbSession

from caseapp.domain import AssistanceCase, Building, Household, Member
from caseapp.services import records
from tests.core.helpers import ORG
from ui.app import AppWindow
from ui.qt import Qt

OLD = dt.date.today().replace(year=dt.date.today().year - 85, day=1)


def seeded(db: DbSession) -> str:
    """A household with an 85-year-old head and no elder profile, and a 低保 case (covering its one
    member) written as paid, with its review a month overdue and no 核对."""
    home = records.create(db, Household, {"org_code": ORG, "address": "越秀区洪桥街道小北路100号",
                                          "head_name": "陈桂英"})
    records.create(db, Member, {"org_code": ORG, "household_id": home.id, "name": "陈桂英", "relationship": "02",
                                "birth_date": OLD})
    case = records.create(db, AssistanceCase, {"org_code": ORG, "household_id": home.id, "category": "dibao",
                                               "people_covered": 1})
    db.execute(update(AssistanceCase).where(AssistanceCase.id == case.id)
               .values(status="active", next_review_date=dt.date.today() - dt.timedelta(days=30)))
    return home.id


def test_the_page_groups_the_findings_and_opens_their_household(qtbot, chinese_window: AppWindow) -> None:
    window = chinese_window
    main = window.main_screen
    page = main.quality
    main.go(page)
    assert main.nav.currentItem().text() == "数据质量"
    qtbot.waitUntil(lambda: page.model.ready and page.groups.count() == 1, timeout=10_000)
    assert page.summary.text() == "未发现问题。"
    assert page.groups.item(0).text() == "全部问题 (0)"

    done: list[str] = []
    window.session.write(seeded, done.append)
    qtbot.waitUntil(lambda: bool(done) and page.groups.count() == 4, timeout=10_000)  # the change reloads it
    assert [page.groups.item(i).text() for i in range(page.groups.count())] == [
        "全部问题 (3)", "80 岁以上老人未建档 (1)", "低保发放无核对结论 (1)", "复核逾期 (1)"]
    assert page.summary.text() == "发现 3 个问题，其中 0 个必须更正"
    model = page.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["检查项目", "记录", "问题", "处理要求"]
    page.groups.setCurrentRow(3)
    assert len(model.rows) == 1
    cells = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert cells[0] == "复核逾期" and cells[1] == "陈桂英" and cells[2].startswith("复核已逾期（应于 ")
    assert cells[3] == "需核实"

    page.table.setFocus()
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: main.households.view.household_id == done[0], timeout=5_000)
    assert main.stack.currentIndex() == main.pages.index(main.households)


def moved_away(db: DbSession) -> str:
    """A household moved to the grid next door while still placed at its old grid's building."""
    building = records.create(db, Building, {"org_code": f"{ORG}001", "road": "小北路", "house_no": "100号",
                                             "name": "3栋"})
    home = records.create(db, Household, {"org_code": f"{ORG}001", "address": "小北路100号", "head_name": "李秀兰",
                                          "building_id": building.id, "room_no": "302"})
    records.move_household(db, home, f"{ORG}002")
    return home.id


def test_a_household_at_another_grids_building_is_listed_to_check(qtbot, chinese_window: AppWindow) -> None:
    main = chinese_window.main_screen
    page = main.quality
    main.go(page)
    qtbot.waitUntil(lambda: page.model.ready and page.groups.count() == 1, timeout=10_000)
    done: list[str] = []
    chinese_window.session.write(moved_away, done.append)
    qtbot.waitUntil(lambda: bool(done) and page.groups.count() == 2, timeout=10_000)
    assert page.groups.item(1).text() == "住户所在建筑物属于另一网格 (1)"
    assert page.summary.text() == "发现 1 个问题，其中 0 个必须更正"
    page.groups.setCurrentRow(1)
    cells = [page.model.data(page.model.index(0, c)) for c in range(page.model.columnCount())]
    assert cells[:2] == ["住户所在建筑物属于另一网格", "李秀兰"] and cells[3] == "需核实"
    assert cells[2].startswith(f"本户所在建筑物 小北路100号 3栋 属于本社区的另一网格（{ORG}001）")
