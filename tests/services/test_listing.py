"""The lists people work from, filtered, sorted and paged in SQL: the same rows, in the same order,
as filtering and sorting the records in Python; scope by org unit; remembered filters; and the
filtered list as a ledger whose totals count each household once."""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import select

from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import AssistanceCase, GridEvent, Household, Member
from caseapp.services import list_export, listing, records
from caseapp.store.search_index import name_sort_key
from caseapp.store.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.helpers import CASE_PATH, approve

GRIDS = ("440104001007001", "440104001007002", "440104001008001")
COMMUNITY = "440104001007"
SURNAMES = ("陈", "李", "张", "黄", "梁")


def _case(db: Any, household: Household, category: str, steps: int, amount: str) -> AssistanceCase:
    case = records.create(db, AssistanceCase, {"org_code": household.org_code, "household_id": household.id,
                                               "category": category, "monthly_amount": amount,
                                               "amount_reason": "按测试设定的金额"})
    if category == "temporary" and steps:
        records.transition(db, case, "active")  # 先行救助: paid first
    elif steps:
        approve(db, case, upto=CASE_PATH[steps - 1])
    return case


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """Forty households in three grids and a community, with members (some moved out), phones or
    none, and assistance cases of several categories in several states."""
    ws, _ = Workspace.create(tmp_path_factory.mktemp("lists") / "ws", PASSPHRASE, kdf=TEST_KDF, actor="tester")
    rng = random.Random(7)
    with ws.write() as db:
        for n in range(40):
            org = COMMUNITY if n % 13 == 0 else rng.choice(GRIDS)
            head = rng.choice(SURNAMES) + rng.choice("伟芳敏静秀英")
            phone = rng.choice([None, "", f"1380013{n:04d}"])
            h = records.create(db, Household, {"org_code": org, "head_name": head, "phone": phone,
                                               "address": f"越秀区洪桥街道{rng.choice('东西南北')}路{n}号"})
            for k in range(rng.randint(0, 4)):
                m = records.create(db, Member, {"org_code": org, "household_id": h.id, "name": head + "一二三四"[k],
                                                "relationship": "02" if k == 0 else "30"})
                if k == 3:
                    records.update(db, m, {"archived": True})
            opened: set[str] = set()
            for _ in range(rng.randint(0, 2)):
                category = rng.choice(("dibao", "temporary", "tekun_dispersed"))
                if category in opened:  # one open case of a category per household (caseapp.services.quality)
                    rng.choice((0, 1, 6)), rng.choice(("0", "600", "1250.50"))
                    continue
                opened.add(category)
                _case(db, h, category, rng.choice((0, 1, 6)),
                      rng.choice(("0", "600", "1250.50")))
    yield ws
    ws.close()


def _expected_households(ws: Workspace) -> list[dict[str, Any]]:
    """The household list worked out in Python from the records themselves."""
    with ws.read() as db:
        households = list(db.scalars(select(Household).where(Household.archived.is_(False))))
        members = list(db.scalars(select(Member).where(Member.archived.is_(False))))
        cases = list(db.scalars(select(AssistanceCase).where(AssistanceCase.archived.is_(False))))
    out = []
    for h in households:
        mine = [c for c in cases if c.household_id == h.id]
        out.append({"id": h.id, "org": h.org_code, "head_name": h.head_name, "address": h.address,
                    "community": h.org_code[:12], "grid": h.org_code if len(h.org_code) > 12 else "",
                    "phone": h.phone, "household_size": sum(1 for m in members if m.household_id == h.id),
                    "cats": {c.category for c in mine}, "pairs": {(c.category, c.status) for c in mine}})
    return out


def _python_list(rows: list[dict[str, Any]], flt: listing.ListFilter) -> list[str]:
    kept = []
    for r in rows:
        if flt.scope is not None and not any(r["org"].startswith(code) for code in flt.scope):
            continue
        cats, states = flt.choices.get("categories"), flt.choices.get("states")
        if cats and states and not any(c in cats and s in states for c, s in r["pairs"]):
            continue
        if cats and not states and not r["cats"] & set(cats):
            continue
        if states and not cats and not {s for _c, s in r["pairs"]} & set(states):
            continue
        kept.append(r)
    if not flt.sort:
        return [r["id"] for r in sorted(kept, key=lambda r: r["id"], reverse=True)]
    key, desc = flt.sort, flt.descending
    if key == "head_name":  # 户主 in pinyin order (the search index's sort key)
        return [r["id"] for r in sorted(kept, key=lambda r: (name_sort_key(r["head_name"]), r["id"]), reverse=desc)]
    if key in ("community", "grid"):  # in org-code order: grids within their community
        return [r["id"] for r in sorted(kept, key=lambda r: (r["org"], r["id"]), reverse=desc)]
    empty = [r for r in kept if r[key] in (None, "")]
    full = [r for r in kept if r[key] not in (None, "")]
    # ties in id order, the same way as the key
    full.sort(key=lambda r: (r[key], r["id"]), reverse=desc)
    empty.sort(key=lambda r: r["id"], reverse=desc)
    return [r["id"] for r in full + empty]


def _paged(ws: Workspace, flt: listing.ListFilter, size: int) -> list[str]:
    got: list[str] = []
    with ws.read() as db:
        while True:
            page = listing.page(db, "households", flt, offset=len(got), limit=size)
            got += [r.id for r in page]
            if len(page) < size:
                return got


filters = st.builds(
    listing.ListFilter,
    scope=st.sampled_from([None, (COMMUNITY,), (GRIDS[0],), ("440104001",), (GRIDS[2], COMMUNITY), ("440106",)]),
    choices=st.fixed_dictionaries({}, optional={
        "categories": st.sampled_from([("dibao",), ("temporary",), ("dibao", "tekun_dispersed")]),
        "states": st.sampled_from([("applied",), ("active",), ("verification", "active")])}),
    sort=st.sampled_from(["", "head_name", "address", "community", "grid", "phone", "household_size"]),
    descending=st.booleans(),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(flt=filters, size=st.integers(min_value=1, max_value=9))
def test_filtered_sorted_paged_equals_python_over_the_same_rows(town: Workspace, flt: listing.ListFilter,
                                                                 size: int) -> None:
    expected = _python_list(_expected_households(town), flt)
    assert _paged(town, flt, size) == expected
    with town.read() as db:
        assert listing.count(db, "households", flt) == len(expected)
        assert listing.all_ids(db, "households", flt) == expected


def test_every_column_of_every_list_sorts_both_ways_and_pages_without_overlap(town: Workspace) -> None:
    for name, spec in listing.LISTS.items():
        with town.read() as db:
            everything = set(listing.all_ids(db, name, listing.ListFilter()))
        for column in spec.columns:
            for descending in (False, True):
                flt = listing.ListFilter(sort=column.key, descending=descending)
                with town.read() as db:
                    got: list[str] = []
                    while page := listing.page(db, name, flt, offset=len(got), limit=7):
                        got += [r.id for r in page]
                assert len(got) == len(set(got)) and set(got) == everything, (name, column.key)


def test_cells_read_as_names_and_headings_come_from_the_fields(town: Workspace) -> None:
    spec = listing.LISTS["households"]
    assert [c.label("zh") for c in spec.columns] == [
        "户主姓名", "地址", "社区（村）", "网格", "联系电话", "家庭人口", "救助类别", "办理状态"]
    assert [c.label("en") for c in spec.columns][5:] == ["Members", "Assistance category", "Case status"]
    flt = listing.ListFilter(choices={"categories": ("dibao",), "states": ("active",)})
    with town.read() as db:
        rows = listing.page(db, "households", flt, limit=100)
        names = listing.org_names(db, listing.org_codes_of(spec, rows))
    assert rows
    texts = [listing.cell_text(spec.column("states"), r.values["states"], "zh") for r in rows]
    assert all("最低生活保障（低保）：在保" in t or t == "在保" for t in texts)  # one case: its state alone
    community = listing.cell_text(spec.column("community"), rows[0].values["community"], names=names)
    assert community and not community.isdigit()  # 社区 by name, from the division data


def test_heads_of_household_sort_in_pinyin_order(ws: Workspace) -> None:
    with ws.write() as db:
        for name in ("张伟", "陈秀英", "李娜", "黄淑芬", "陈德强"):
            records.create(db, Household, {"org_code": GRIDS[0], "head_name": name, "address": "东风中路1号"})
    with ws.read() as db:
        up = listing.page(db, "households", listing.ListFilter(sort="head_name"))
        down = listing.page(db, "households", listing.ListFilter(sort="head_name", descending=True))
    assert [r.values["head_name"] for r in up] == ["陈德强", "陈秀英", "黄淑芬", "李娜", "张伟"]
    assert [r.values["head_name"] for r in down] == ["张伟", "李娜", "黄淑芬", "陈秀英", "陈德强"]


def test_choices_offer_codes_and_states_by_name() -> None:
    spec = listing.LISTS["grid_events"]
    states = dict(listing.choice_options(spec, "status", "zh"))
    assert states["reported"] and states["closed"] != "closed"
    categories = dict(listing.choice_options(listing.LISTS["households"], "categories", "en"))
    assert categories["dibao"].startswith("Minimum")


def test_text_finds_households_through_the_search_index_and_other_lists_by_part_of_a_value(
        town: Workspace) -> None:
    with town.read() as db:
        heads = {h.id: h.head_name for h in db.scalars(select(Household))}
        found = listing.all_ids(db, "households", listing.ListFilter(text="陈", sort="address"))
        with_li = listing.all_ids(db, "households", listing.ListFilter(text="北路"))
    assert found and all(heads[i].startswith("陈") for i in found)
    assert with_li and len(with_li) < len(heads)
    with town.write() as db:
        records.create(db, GridEvent, {"org_code": GRIDS[0], "title": "楼道堆放杂物", "category": "01",
                                       "occurred_at": dt.datetime(2026, 11, 30, 9, tzinfo=dt.UTC),
                                       "place": "东路3号"})
    with town.read() as db:
        rows = listing.page(db, "grid_events", listing.ListFilter(text="堆放"))
        none = listing.page(db, "grid_events", listing.ListFilter(text="100%_"))
    assert [r.values["title"] for r in rows] == ["楼道堆放杂物"] and none == []


def test_periods_are_relative_to_today() -> None:
    wednesday = dt.date(2026, 12, 2)
    assert listing.period_bounds("week", wednesday) == (dt.date(2026, 11, 30), dt.date(2026, 12, 6))
    assert listing.period_bounds("due_week", wednesday) == (None, dt.date(2026, 12, 6))
    assert listing.period_bounds("due_today", wednesday) == (None, wednesday)
    assert listing.period_bounds("overdue", wednesday) == (None, dt.date(2026, 12, 1))
    assert listing.period_bounds("month", wednesday) == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))


def test_review_period_on_cases(town: Workspace) -> None:
    today = dt.date.today()
    with town.read() as db:
        due = listing.all_rows(db, "cases", listing.ListFilter(period="due_30_days"), today=today)
        every = listing.all_rows(db, "cases", listing.ListFilter(), today=today)
    limit = today + dt.timedelta(days=30)
    assert {r.id for r in due} == {r.id for r in every if r.values["next_review_date"] is not None
                                   and r.values["next_review_date"] <= limit}


def test_a_remembered_filter_round_trips_and_drops_what_no_longer_fits() -> None:
    flt = listing.ListFilter(scope=(COMMUNITY,), choices={"categories": ("dibao",)}, period="", sort="phone",
                             descending=True)
    spec = listing.LISTS["households"]
    assert listing.ListFilter.from_dict(flt.to_dict(), spec) == flt
    stale = {"scope": "nonsense", "choices": {"gone": ["x"], "states": ["active"]}, "sort": "gone",
             "period": "someday"}
    assert listing.ListFilter.from_dict(stale, spec) == listing.ListFilter(choices={"states": ("active",)})
    assert listing.ListFilter.from_dict(None, spec) == listing.ListFilter()


def test_ledger_of_the_filtered_list_counts_each_household_once(ws: Workspace, tmp_path: Path) -> None:
    with ws.write() as db:
        h = records.create(db, Household, {"org_code": GRIDS[0], "head_name": "陈秀英", "address": "东风中路1号"})
        records.create(db, Member, {"org_code": GRIDS[0], "household_id": h.id, "name": "陈秀英",
                                    "relationship": "02", "id_number": "11010519491231002X"})
        records.create(db, Member, {"org_code": GRIDS[0], "household_id": h.id, "name": "陈小明",
                                    "relationship": "30"})
        # withdrawn while being verified: not in payment (and no longer open beside the one paid)
        records.transition(db, _case(db, h, "dibao", 1, "999"), "withdrawn")
        _case(db, h, "dibao", 6, "1200")
        _case(db, h, "tekun_dispersed", 6, "300.50")
        _case(db, h, "temporary", 1, "2000")  # one-off aid, paid
        other = records.create(db, Household, {"org_code": GRIDS[1], "head_name": "李娜", "address": "豪贤路2号"})
        records.create(db, Member, {"org_code": GRIDS[1], "household_id": other.id, "name": "李娜",
                                    "relationship": "02", "id_number": "360426199101010071"})
        _case(db, other, "dibao", 6, "800")
        records.create(db, Household, {"org_code": GRIDS[2], "head_name": "张伟", "address": "小北路3号"})
    flt = listing.ListFilter(choices={"categories": ("dibao",)}, sort="head_name")
    path = tmp_path / "名单.xlsx"
    ledger = list_export.save_list_ledger(ws, "households", flt, path, password=None)
    assert [row[1] for row in ledger.rows] == ["陈秀英", "李娜"]  # one row per household, in pinyin order
    sheet = load_workbook(io.BytesIO(path.read_bytes())).active
    assert sheet is not None
    header = [c.value for c in sheet[3]]
    assert header[:3] == ["序号", "户主姓名", "户主身份证号码"]
    id_cell = sheet.cell(row=4, column=3)
    assert id_cell.value == "11010519491231002X" and id_cell.data_type == "s" and id_cell.number_format == "@"
    assert sheet.cell(row=5, column=3).value == "360426199101010071"
    monthly, one_off = header.index("月保障金额（元）") + 1, header.index("一次性救助金额（元）") + 1
    size = header.index("家庭人口") + 1
    chen = [c.value for c in sheet[4]]
    assert chen[monthly - 1] == pytest.approx(1500.50) and chen[one_off - 1] == pytest.approx(2000)
    assert chen[size - 1] == 2
    totals = [c.value for c in sheet[6]]
    assert totals[0] == "合计" and totals[monthly - 1] == "=SUM(" + sheet.cell(row=4, column=monthly).column_letter \
        + "4:" + sheet.cell(row=5, column=monthly).column_letter + "5)"
    assert sum(row[monthly - 1] for row in ledger.rows) == Decimal("2300.50")
    assert sum(row[one_off - 1] for row in ledger.rows) == Decimal("2000")
    with ws.read() as db:
        sheet_html = list_export.list_sheet(db, "households", flt).html
    assert "陈秀英" in sheet_html and "2,300.50" in sheet_html and "合计" in sheet_html


def test_a_list_too_long_to_print_says_so(town: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    from caseapp.errors import ValidationError
    from caseapp.messages import message

    monkeypatch.setattr(list_export, "MAX_PRINT_ROWS", 3)
    with town.read() as db, pytest.raises(ValidationError) as refused:
        list_export.list_sheet(db, "households", listing.ListFilter())
    assert refused.value.key == "lists.print_too_long"
    assert "最多打印 3 行" in message(refused.value.key, "zh", **refused.value.params)
