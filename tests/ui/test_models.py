"""Table models on their own, without a window: paging, stale pages, formatting, masking."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from caseapp.domain import CareVisit, ElderProfile, GridEvent, Household, Member
from caseapp.services import records
from caseapp.store.workspace import Workspace
from tests.ui.conftest import ORG
from ui.household.bundle import load_bundle
from ui.household.history_tab import HistoryModel
from ui.models.households import HouseholdsModel
from ui.models.outbox import OutboxModel
from ui.models.records import RecordsModel
from ui.models.today import OpenEventsModel, VisitsDueModel
from ui.qt import QColor, Qt
from ui.widgets.table import RecordTable


class InlineReader:
    """Runs reads at once on the calling thread (the real session uses a pool)."""

    core_lang = "en"

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def read(self, fn: Callable[[DbSession], Any], on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[Exception], None] | None = None) -> None:
        with self.ws.read() as db:
            result = fn(db)
        if on_done is not None:
            on_done(result)


class DeferredReader(InlineReader):
    """Keeps reads until ``run`` is called, in any order: results arriving late and out of order."""

    def __init__(self, ws: Workspace) -> None:
        super().__init__(ws)
        self.waiting: list[tuple[Callable[[DbSession], Any], Callable[[Any], None] | None]] = []

    def read(self, fn: Callable[[DbSession], Any], on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[Exception], None] | None = None) -> None:
        self.waiting.append((fn, on_done))

    def run(self, order: list[int]) -> None:
        jobs, self.waiting = self.waiting, []
        for index in order:
            fn, done = jobs[index]
            super().read(fn, done)


def _households(ws: Workspace, names: list[str]) -> list[str]:
    ids = []
    with ws.write() as db:
        for n, name in enumerate(names):
            household = records.create(db, Household, {"org_code": ORG, "head_name": name,
                                                       "address": f"东风中路 {n} 号"})
            records.create(db, Member, {"org_code": ORG, "household_id": household.id, "name": name,
                                        "relationship": "02"})
            ids.append(household.id)
    return ids


def test_households_page_in_as_the_view_scrolls(qtbot, ws: Workspace) -> None:
    _households(ws, [f"张{chr(0x4E00 + n)}" for n in range(230)])
    model = HouseholdsModel(InlineReader(ws), page_size=100)
    model.reset()
    assert model.rowCount() == 100 and model.total is None  # counted once typing pauses
    qtbot.waitUntil(lambda: model.total == 230, timeout=2_000)
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 200 and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 230 and not model.canFetchMore()
    assert len({r.id for r in model.rows}) == 230
    assert model.headerData(model.HEAD, Qt.Orientation.Horizontal) == "Head of household"
    model.clear()
    assert model.rowCount() == 0 and not model.canFetchMore()


def test_search_filters_and_late_pages_are_dropped(qtbot, ws: Workspace) -> None:
    _households(ws, ["张伟", "张敏", "李娜"])
    reader = DeferredReader(ws)
    model = HouseholdsModel(reader)
    model.set_query("张")
    model.set_query("李")
    # The pages of both searches arrive, the older one last: it must not win.
    reader.run([1, 0])
    assert [r.head_name for r in model.rows] == ["李娜"] and model.total == 1
    assert model.data(model.index(0, model.MATCHED)) == "Name"


def test_table_fits_columns_to_the_first_rows_only(qtbot, ws: Workspace) -> None:
    # Measuring every cell again on each search keystroke was most of the time from a key to its
    # results; the widths the first rows gave (or a width the user dragged) stay.
    _households(ws, ["张伟", "李娜"])
    model = HouseholdsModel(InlineReader(ws))
    table = RecordTable()
    qtbot.addWidget(table)
    table.setModel(model)
    fits: list[int] = []
    table.resizeColumnsToContents = lambda: fits.append(model.rowCount())  # type: ignore[method-assign]
    model.set_query("无此人")
    qtbot.wait(20)
    assert fits == []  # nothing to measure yet: fitted when rows first arrive
    model.set_query("张")
    qtbot.waitUntil(lambda: fits == [1], timeout=2_000)
    for query in ("李", "", "张"):
        model.set_query(query)
        qtbot.wait(20)
    assert fits == [1] and model.rowCount() == 1


def test_visits_due_overdue_first_in_red(qapp: object, ws: Workspace) -> None:
    [household_id] = _households(ws, ["王秀英"])
    with ws.write() as db:
        member = db.query(Member).one()
        elder = records.create(db, ElderProfile, {"org_code": ORG, "household_id": household_id,
                                                  "member_id": member.id, "risk_tier": "high"})
        records.create(db, CareVisit, {"org_code": ORG, "elder_id": elder.id,
                                       "visited_at": dt.datetime.now(dt.UTC) - dt.timedelta(days=10)})
    model = VisitsDueModel(InlineReader(ws))
    model.reset()
    assert model.rowCount() == 1 and model.ready
    assert model.data(model.index(0, model.RISK)) == "High risk"
    assert model.data(model.index(0, model.OVERDUE)) == 3
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ForegroundRole) == QColor("#b00020")


def test_records_model_masks_ids_and_names_states(qapp: object, ws: Workspace) -> None:
    [household_id] = _households(ws, ["陈桂英"])
    with ws.write() as db:
        records.create(db, Member, {"org_code": ORG, "household_id": household_id, "name": "陈小明",
                                    "relationship": "20", "id_number": "11010519491231002X"})
        records.create(db, GridEvent, {"org_code": ORG, "title": "漏水", "category": "02", "scale": "minor",
                                       "occurred_at": dt.datetime(2024, 5, 1, tzinfo=dt.UTC),
                                       "household_id": household_id})
    with ws.read() as db:
        bundle = load_bundle(db, household_id)
    reader = InlineReader(ws)
    members = RecordsModel(reader, "member", ["name", "relationship", "id_number"])
    members.set_rows(bundle.rows("member"))
    son = next(r for r in range(members.rowCount()) if members.data(members.index(r, 0)) == "陈小明")
    assert members.data(members.index(son, 1)) == "Son"
    assert members.data(members.index(son, 2)) == "110105********002X"
    events = RecordsModel(reader, "grid_event", ["title", "status"])
    events.set_rows(bundle.rows("grid_event"))
    assert events.data(events.index(0, 1)) == "Reported"
    # Only the moves the state machine allows now; self-resolving is there because it is minor.
    assert set(bundle.rows("grid_event")[0]["_allowed"]) == {"registered", "voided", "self_resolved"}
    open_events = OpenEventsModel(reader)
    open_events.reset()
    assert open_events.data(open_events.index(0, open_events.CATEGORY)) == "Safety hazard"


def test_outbox_and_history(qapp: object, ws: Workspace) -> None:
    [household_id] = _households(ws, ["林淑珍"])
    with ws.write() as db:
        records.update(db, records.get(db, Household, household_id), {"phone": "13800138000"})
    with ws.write() as db:
        member = db.scalars(select(Member).where(Member.household_id == household_id)).one()
        records.update(db, member, {"phone": "13900139000"})
        records.update(db, records.get(db, Household, household_id), {"address": "东风中路 8 号"})
    outbox = OutboxModel(InlineReader(ws))
    outbox.reset()
    # one row per record, whatever number of its fields changed, each named by its household and person
    assert outbox.rowCount() == 2
    cells = [[outbox.data(outbox.index(r, c)) for c in range(outbox.columnCount())] for r in range(2)]
    household, person = cells
    assert household[outbox.RECORD] == "林淑珍's household"
    assert household[outbox.CHANGE] == "New record, Phone number, Address"
    assert "13800138000" in household[outbox.VALUE] and "林淑珍" in household[outbox.VALUE]  # what it carried
    assert person[outbox.RECORD] == "林淑珍's household · 林淑珍 · Household member"
    assert person[outbox.CHANGE] == "New record, Phone number"
    assert {household[outbox.STATE], person[outbox.STATE]} == {"Waiting"}
    with ws.read() as db:
        bundle = load_bundle(db, household_id)
    history = HistoryModel(InlineReader(ws))
    history.set_rows(bundle.history)
    texts = [history.data(history.index(r, history.CHANGES)) for r in range(history.rowCount())]
    assert "Phone number:  → 13800138000" in texts
    assert history.data(history.index(0, history.ACTION)) in ("Changed", "Created")


def test_a_count_due_after_the_workspace_locked_counts_nothing(qtbot, ws: Workspace) -> None:
    """The count of a list runs a moment after its first page: locking in between leaves it nothing
    to count, not a traceback in the event loop."""
    from caseapp.errors import WorkspaceError

    _households(ws, ["张伟"] * 60)  # more than a page: the total is counted, not read off the page
    reader = InlineReader(ws)
    model = HouseholdsModel(reader, page_size=10)
    model.reset()
    assert len(model.rows) == 10 and model.total is None

    def locked(*_args: object, **_kw: object) -> None:
        raise WorkspaceError("workspace.locked")

    reader.read = locked  # type: ignore[method-assign]
    model._count()  # what the count's timer does
    assert model.total is None
