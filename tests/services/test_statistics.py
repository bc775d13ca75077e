"""The monthly statistics (caseapp.services.statistics) and their 月报 (caseapp.services.monthly_report)
on real workspaces: every table against figures counted by hand on a small fixed dataset, in scope and
out of it; the 月报 read back from its workbook with the right totals; and, on a demo workspace, the
tables against the records counted one by one in Python and the 增减变动 identity in every month."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from caseapp import refdata
from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import (
    AssistanceCase,
    CareVisit,
    CasePayment,
    CaseReview,
    CaseStep,
    DisasterReport,
    ElderProfile,
    EmergencyCall,
    GridEvent,
    GridEventUpdate,
    Record,
    Referral,
)
from caseapp.services import demo, monthly_report, statistics
from caseapp.services.statistics import Month
from caseapp.store.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.helpers import ORG, household, member

MAY = Month(2026, 5)
#: the day the figures are counted: after the month, so nothing in it is "up to today"
TODAY = dt.date(2026, 6, 15)
OTHER = "440104001002"


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def put(s: Session, cls: type[Record], **values: Any) -> Any:
    """A record as a sync writes it: fields, states and dates as they stand, no workflow replayed."""
    record = cls(org_code=values.pop("org_code", ORG), **values)
    s.add(record)
    s.flush()
    return record


def seed(ws: Workspace) -> None:
    with ws.write() as s:
        seed_records(s)


def seed_records(s: Session) -> None:
    """The hand-counted month (May 2026) of one community, and one case next door."""
    heads = ("张伟", "李娜", "王强", "刘洋", "陈静", "杨帆", "赵敏", "黄磊")
    homes = [household(s, head_name=name) for name in heads]
    for home in homes:
        member(s, home.id)
    next_door = household(s, org_code=OTHER, head_name="邻社区")

    def case(home: Any, **values: Any) -> Any:
        values.setdefault("category", "dibao")
        values.setdefault("org_code", home.org_code)
        return put(s, AssistanceCase, household_id=home.id, **values)

    # A: in payment since March, due for review on 20 May and not reviewed
    case(homes[0], status="active", approved_on=dt.date(2026, 3, 10), people_covered=3,
         monthly_amount=Decimal("1500.00"), next_review_date=dt.date(2026, 5, 20))
    # B: approved in May
    case(homes[1], status="active", approved_on=dt.date(2026, 5, 12), people_covered=2,
         monthly_amount=Decimal("800.50"), next_review_date=dt.date(2027, 5, 12))
    # C: in payment since December, stopped on 20 May (its 停保 step)
    c = case(homes[2], status="stopped", approved_on=dt.date(2025, 12, 1), people_covered=4,
             monthly_amount=Decimal("0"))
    put(s, CaseStep, case_id=c.id, action="stop", from_state="active", to_state="stopped",
        taken_at=utc("2026-05-20T02:00:00"))
    # D: a low-income case approved on 3 May and stopped on 25 May
    d = case(homes[3], category="low_income", status="stopped", approved_on=dt.date(2026, 5, 3),
             people_covered=2)
    put(s, CaseStep, case_id=d.id, action="stop", from_state="active", to_state="stopped",
        taken_at=utc("2026-05-25T03:00:00"))
    # E: an application still being handled
    case(homes[4], status="investigation")
    # G: reviewed on 8 May, its amount cut from 900 to 700 from May; its next review overdue
    g = case(homes[5], status="review_due", approved_on=dt.date(2026, 2, 1), people_covered=1,
             monthly_amount=Decimal("700.00"), next_review_date=dt.date(2026, 4, 30))
    put(s, CaseReview, case_id=g.id, reviewed_on=dt.date(2026, 5, 8), outcome="decrease",
        old_amount=Decimal("900.00"), new_amount=Decimal("700.00"), effective_month="2026-05")
    # F: next door, outside the scope counted
    case(next_door, status="active", approved_on=dt.date(2026, 1, 1), people_covered=1,
         monthly_amount=Decimal("600.00"))

    elder_x = member(s, homes[6].id, name="高风险老人")
    elder_y = member(s, homes[7].id, name="一般老人")
    x = put(s, ElderProfile, household_id=homes[6].id, member_id=elder_x.id, risk_tier="high",
            created_at=utc("2026-01-05T02:00:00"))
    y = put(s, ElderProfile, household_id=homes[7].id, member_id=elder_y.id, risk_tier="normal",
            created_at=utc("2026-01-05T02:00:00"))
    # X (weekly): visited on 3 and 9 May, so due again on 16 May: overdue by the month's end
    for day in ("2026-05-03T02:00:00", "2026-05-09T02:00:00"):
        put(s, CareVisit, elder_id=x.id, visited_at=utc(day))
    # Y (quarterly): visited on 20 April, next due in July
    put(s, CareVisit, elder_id=y.id, visited_at=utc("2026-04-20T02:00:00"))
    # X's alarm on 6 May, dispatched 12 minutes later and resolved; Y's care call still being checked
    put(s, EmergencyCall, elder_id=x.id, device_no="PAT-0001", called_at=utc("2026-05-06T02:00:00"),
        call_type="alarm", status="resolved", dispatched_to="120", dispatched_at=utc("2026-05-06T02:12:00"),
        outcome="hospital", resolved_at=utc("2026-05-06T05:00:00"))
    put(s, EmergencyCall, elder_id=y.id, device_no="PAT-0002", called_at=utc("2026-05-07T02:00:00"),
        call_type="care", status="verify")

    def event(occurred: str, status: str, closed: str | None) -> None:
        ev = put(s, GridEvent, title="楼道堆放杂物", category="01", occurred_at=utc(occurred), status=status)
        if closed:
            put(s, GridEventUpdate, event_id=ev.id, at=utc(closed), from_status="verified", to_status="closed")

    event("2026-05-02T01:00:00", "closed", "2026-05-04T01:00:00")    # 48 hours
    event("2026-05-10T01:00:00", "in_progress", None)
    event("2026-04-28T01:00:00", "closed", "2026-05-02T01:00:00")    # reported in April; 96 hours
    put(s, Referral, client_name="王芳", from_org="洪桥家综", to_org="越秀区残联", status="sent",
        created_at=utc("2026-05-05T02:00:00"))
    first = put(s, DisasterReport, stage="initial", disaster_type="flood", occurred_at=utc("2026-05-15T00:00:00"),
                reported_at=utc("2026-05-15T01:00:00"), place="小北路", affected=100, relocated=10,
                direct_loss=Decimal("5000"), reporter="灾害信息员")
    put(s, DisasterReport, series_id=first.id, stage="update", disaster_type="flood",
        occurred_at=utc("2026-05-15T00:00:00"), reported_at=utc("2026-05-16T01:00:00"), place="小北路",
        affected=150, relocated=12, direct_loss=Decimal("8000"), reporter="灾害信息员")


@pytest.fixture
def counted(ws: Workspace) -> Workspace:
    seed(ws)
    return ws


def table(ws: Workspace, key: str, scope: tuple[str, ...] | None = (ORG,)) -> statistics.Table:
    with ws.read() as s:
        return statistics.compute(s, key, scope, MAY, TODAY)


def test_the_caseload_now_by_category_and_state(counted: Workspace) -> None:
    t = table(counted, "caseload")
    assert [t.value("dibao", k) for k in ("applying", "households", "people", "review_due", "taper", "stopped")] \
        == [1, 3, 6, 1, 0, 1]
    assert t.value("dibao", "amount") == Decimal("3000.50")
    assert t.value("low_income", "stopped") == 1 and t.value("low_income", "households") == 0
    assert t.totals[t.index("households")] == 3 and t.totals[t.index("stopped")] == 2
    # next door's case counts in its own community and in the street's total, not in ours
    assert table(counted, "caseload", (OTHER,)).value("dibao", "households") == 1
    assert table(counted, "caseload", ("440104001",)).value("dibao", "households") == 4
    assert table(counted, "caseload", None).totals[t.index("amount")] == Decimal("3600.50")


def test_the_changes_of_the_month_add_up(counted: Workspace) -> None:
    t = table(counted, "changes")
    row = dict(zip([c.key for c in t.columns], t.rows[t.codes.index("dibao")], strict=True))
    assert row == {"opening": 3, "opening_people": 8, "added": 1, "added_people": 2, "stopped": 1,
                   "stopped_people": 4, "closing": 3, "closing_people": 6, "amount": Decimal("3000.50"),
                   "adjusted": 1, "adjusted_amount": Decimal("-200.00")}
    low = dict(zip([c.key for c in t.columns], t.rows[t.codes.index("low_income")], strict=True))
    assert (low["opening"], low["added"], low["stopped"], low["closing"]) == (0, 1, 1, 0)


def test_reviews_done_due_and_overdue(counted: Workspace) -> None:
    t = table(counted, "reviews")
    assert [t.value("dibao", k) for k in ("done", "due_in_month", "overdue")] == [1, 1, 2]


def test_visit_coverage_and_overdue_by_risk_tier(counted: Workspace) -> None:
    t = table(counted, "visits")
    assert [t.value("high", k) for k in ("elders", "visited", "coverage", "visits", "overdue")] == [1, 1, 1.0, 2, 1]
    assert [t.value("normal", k) for k in ("elders", "visited", "coverage", "visits", "overdue")] == [1, 0, 0.0, 0, 0]
    assert t.totals[t.index("coverage")] == 0.5


def test_grid_events_reported_closed_and_time_to_close(counted: Workspace) -> None:
    t = table(counted, "events")
    assert [t.value("01", k) for k in ("reported", "reported_closed", "closure_rate", "closed", "hours", "open")] \
        == [2, 1, 0.5, 2, 72.0, 1]
    assert t.value("02", "closure_rate") is None  # nothing reported: no rate, not 0 %
    assert t.totals[t.index("hours")] == 72.0


def test_referrals_and_disasters(counted: Workspace) -> None:
    r = table(counted, "referrals")
    assert (r.value("sent", "referrals"), r.value("sent", "new"), r.totals[0]) == (1, 1, 1)
    d = table(counted, "disasters")
    # one flood, two reports: its figures are the latest report's
    assert [d.value("flood", k) for k in ("events", "reports", "affected", "relocated", "loss")] \
        == [1, 2, 150, 12, Decimal("8000.00")]


def test_pingantong_calls_dispatched_and_resolved(counted: Workspace) -> None:
    t = table(counted, "calls")
    assert [t.value("alarm", k) for k in ("calls", "dispatched", "minutes", "resolved", "open")] == [1, 1, 12.0, 1, 0]
    assert [t.value("care", k) for k in ("calls", "dispatched", "minutes", "resolved", "open")] == [1, 0, None, 0, 1]
    assert t.totals[t.index("minutes")] == 12.0


def test_the_trend_counts_each_month_end(counted: Workspace) -> None:
    with counted.read() as s:
        trend = statistics.trend(s, (ORG,), MAY, months=3)
    assert [str(m) for m in trend.months] == ["2026-03", "2026-04", "2026-05"]
    # March: A joins C and G; May: B and D added, C and D stopped
    assert trend.in_payment == [3, 3, 3] and trend.added == [1, 0, 2] and trend.stopped == [0, 0, 2]


def test_the_monthly_report_reads_back_with_its_totals(counted: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "月报.xlsx"
    keys = [spec.key for spec in statistics.TABLES]
    assert monthly_report.save_report(counted, keys, path, scope=(ORG,), month=MAY, today=TODAY,
                                      password=None) == len(keys)
    book = load_workbook(io.BytesIO(path.read_bytes()))
    assert [sheet.title for sheet in book.worksheets] == [statistics.title(k)[:31] for k in keys]
    sheet = book.worksheets[keys.index("changes")]
    rows = list(sheet.iter_rows(values_only=True))
    assert "救助对象增减变动情况" in rows[0][0] and "2026年5月" in rows[0][0]
    assert rows[2][0] == "救助类别" and rows[2][1] == "期初户数"
    body = {row[0]: row for row in rows[3:] if row[0] and row[0] != "合计" and not str(row[0]).startswith("填报人")}
    assert body["最低生活保障（低保）"][1:4] == (3, 8, 1)
    totals = next(row for row in rows if row[0] == "合计")
    first, last = 4, 3 + len(body)
    # Excel works the totals out: each is the SUM of exactly the data rows, and those add up to ours
    for col, formula in enumerate(totals[1:], start=1):
        assert formula == f"=SUM({chr(65 + col)}{first}:{chr(65 + col)}{last})"
    assert sum(row[7] for row in body.values()) == 3    # 期末户数
    assert sum(Decimal(str(row[9])) for row in body.values()) == Decimal("3000.5")
    footer = next(row[0] for row in rows if row[0] and str(row[0]).startswith("填报人"))
    assert "tester" in footer and "审核人" in footer and "单位负责人" in footer
    visits = list(book.worksheets[keys.index("visits")].iter_rows(values_only=True))
    rate = next(row for row in visits if row[0] == "合计")[3]
    assert re.fullmatch(r'=IF\(SUM\(B4:B\d+\)=0,"",SUM\(C4:C\d+\)/SUM\(B4:B\d+\)\)', rate)


def test_a_sealed_report_asks_for_its_password(counted: Workspace, tmp_path: Path) -> None:
    from caseapp.services import xlsx

    path = tmp_path / "月报.xlsx"
    monthly_report.save_report(counted, ["caseload"], path, scope=(ORG,), month=MAY, today=TODAY,
                               password="Stats-Report-2026")
    assert xlsx.is_sealed_workbook(path)
    opened = load_workbook(io.BytesIO(xlsx.open_sealed_workbook(path.read_bytes(), "Stats-Report-2026")))
    assert opened.worksheets[0]["A4"].value == "最低生活保障（低保）"


@pytest.fixture(scope="module")
def demo_ws(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("stats") / "ws"
    ws, _ = Workspace.create(path, PASSPHRASE, kdf=TEST_KDF, actor="tester")
    demo.generate(ws, 300, seed=7)
    yield ws
    ws.close()


def test_the_demo_caseload_matches_the_records_counted_one_by_one(demo_ws: Workspace) -> None:
    today = dt.date.today()
    with demo_ws.read() as s:
        t = statistics.compute(s, "caseload", None, Month.of(today), today)
        cases = s.scalars(select(AssistanceCase).where(AssistanceCase.archived.is_(False))).all()
        elders = s.scalars(select(ElderProfile).where(ElderProfile.archived.is_(False))).all()
        visits_t = statistics.compute(s, "visits", None, Month.of(today), today)
        payments = s.scalars(select(CasePayment).where(CasePayment.archived.is_(False))).all()
    month = Month.of(today)
    by_id = {c.id: c for c in cases}
    # a one-off grant counts in the month it was paid, a monthly allowance while it is in payment
    once = [p for p in payments if p.case_id in by_id and Month.of(p.paid_on) == month]
    paid_once = {by_id[p.case_id] for p in once}
    paid = [c for c in cases if c.status in statistics.IN_PAYMENT and not refdata.rules().is_one_off(c.category)]
    paid_now = [*paid, *paid_once]
    households = Counter(c.category for c in {(c.category, c.household_id): c for c in paid_now}.values())
    for code in t.codes:
        assert t.value(code, "households") == households.get(code, 0)
        assert t.value(code, "people") == sum(c.people_covered for c in paid_now if c.category == code)
        assert t.value(code, "amount") == sum((c.monthly_amount for c in paid if c.category == code), Decimal("0")) \
            + sum((p.amount_paid for p in once if by_id[p.case_id].category == code), Decimal("0"))
        assert t.value(code, "stopped") == sum(1 for c in cases if c.category == code and c.status == "stopped")
    assert visits_t.totals[visits_t.index("elders")] == len(elders)


def test_in_every_demo_month_the_end_is_the_start_plus_added_less_stopped(demo_ws: Workspace) -> None:
    today = dt.date.today()
    with demo_ws.read() as s:
        for back in range(12):
            month = Month.of(today).shift(-back)
            t = statistics.compute(s, "changes", None, month, today)
            for row in t.rows:
                v = dict(zip([c.key for c in t.columns], row, strict=True))
                assert v["closing"] == v["opening"] + v["added"] - v["stopped"]
                assert v["closing_people"] == v["opening_people"] + v["added_people"] - v["stopped_people"]
            following = statistics.compute(s, "changes", None, month.shift(1), today)
            assert following.column("opening") == t.column("closing")


def test_the_trend_is_the_changes_table_month_by_month(demo_ws: Workspace) -> None:
    # the chart's 期末户数 line and bars are the 增减变动 table's totals: a one-off grant (临时救助,
    # 医疗救助) is no time in payment in either
    today = dt.date.today()
    with demo_ws.read() as s:
        trend = statistics.trend(s, None, Month.of(today))
        for month, in_payment, added, stopped in zip(trend.months, trend.in_payment, trend.added, trend.stopped,
                                                     strict=True):
            t = statistics.compute(s, "changes", None, month, today)
            closing, new, ended = (t.totals[t.index(k)] for k in ("closing", "added", "stopped"))
            assert (in_payment, added, stopped) == (closing, new, ended), month


def test_a_month_is_parsed_strictly() -> None:
    assert str(Month.parse("2026-05")) == "2026-05" and Month(2026, 1).shift(-1) == Month(2025, 12)
    for bad in ("2026-13", "2026", "26-5x", "1800-01"):
        with pytest.raises(ValueError):
            Month.parse(bad)


def test_the_report_command_writes_the_month_and_refuses_a_bad_one(
        counted: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from caseapp.cli import _STAT_TABLES, main

    assert tuple(spec.key for spec in statistics.TABLES) == _STAT_TABLES  # the command offers every table
    path = counted.path
    counted.close()
    monkeypatch.setenv("CASEAPP_PASSPHRASE", PASSPHRASE)
    target = tmp_path / "月报.xlsx"
    assert main(["--workspace", str(path), "report", "-o", str(target), "--month", "2026-05", "--org", ORG,
                 "--table", "changes", "--table", "visits", "--plain"]) == 0
    assert "2026年5月统计月报 2 张表" in capsys.readouterr().out
    book = load_workbook(target)
    assert [s.title for s in book.worksheets] == ["救助对象增减变动情况", "居家老人探访关爱情况"]
    assert next(r for r in book.worksheets[0].iter_rows(values_only=True) if r[0] == "最低生活保障（低保）")[1:4] \
        == (3, 8, 1)
    assert main(["--workspace", str(path), "report", "-o", str(tmp_path / "x.xlsx"), "--month", "2026-13",
                 "--plain"]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["统计月份应为“年-月”，例如 2026-11"] and not (tmp_path / "x.xlsx").exists()
