"""The visits due in pages (issue 12): the pages, read one after another, are the whole list; the
counts are its length; a scope keeps to its org units; the statistics' overdue column agrees."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import ElderProfile
from caseapp.services import demo, schedule, statistics
from caseapp.services.schedule import DueVisit
from caseapp.store.workspace import Workspace

PASSPHRASE = "pages-passphrase"
HORIZONS = (0, 7, 30)


@pytest.fixture(scope="module")
def demo_ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    ws, _ = Workspace.create(tmp_path_factory.mktemp("due") / "ws", PASSPHRASE, kdf=TEST_KDF, actor="tester")
    demo.generate(ws, 450, seed=5)  # three grids
    yield ws
    ws.close()


def _grid(ws: Workspace) -> str:
    """The grid (of the demo's three) with most elders."""
    code = ElderProfile.org_code
    with ws.read() as s:
        return str(s.scalar(select(code).group_by(code).order_by(func.count().desc()).limit(1)))


def _paged(ws: Workspace, today: dt.date, horizon: int, scope: Sequence[str] | None, size: int,
           overdue_only: bool = False) -> list[DueVisit]:
    out: list[DueVisit] = []
    with ws.read() as s:
        while True:
            page = schedule.visits_due_page(s, today, horizon, scope, overdue_only=overdue_only,
                                            after=out[-1].key if out else None, limit=size)
            assert len(page) <= size
            out.extend(page)
            if len(page) < size:
                return out


def _scopes(ws: Workspace) -> list[Any]:
    grid = _grid(ws)
    return [None, (grid,), (grid[:12],), ()]


@pytest.mark.parametrize("horizon", HORIZONS)
def test_the_pages_are_the_list_and_the_counts_its_length(demo_ws: Workspace, horizon: int) -> None:
    today = dt.date.today()
    for scope in _scopes(demo_ws):
        with demo_ws.read() as s:
            whole = schedule.visits_due(s, today, horizon, scope)
            counts = schedule.count_visits_due(s, today, horizon, scope)
        assert _paged(demo_ws, today, horizon, scope, 7) == whole
        assert counts.due == len(whole)
        overdue = [d for d in whole if d.overdue_days > 0]
        assert counts.overdue == len(overdue)
        assert _paged(demo_ws, today, horizon, scope, 5, overdue_only=True) == overdue
        with demo_ws.read() as s:  # the first page with its counts, in one read
            assert schedule.first_visits_due(s, today, horizon, scope, limit=7) == (counts, whole[:7])
            assert schedule.first_visits_due(s, today, horizon, scope, overdue_only=True, limit=5) \
                == (counts, overdue[:5])
        # the list's order: due day (most overdue first), then org unit, then elder, no repeats
        keys = [(d.due, d.org_code, d.elder_id) for d in whole]
        assert keys == sorted(keys) and len(set(keys)) == len(keys)
        if scope:
            assert all(d.org_code.startswith(scope[0]) for d in whole)
        if scope == ():
            assert whole == [] and counts == schedule.DueCounts(0, 0)
    with demo_ws.read() as s:
        assert schedule.count_visits_due(s, today, horizon).due > 0, "the demo has elders due"


def test_a_grid_is_part_of_the_whole(demo_ws: Workspace) -> None:
    today, grid = dt.date.today(), _grid(demo_ws)
    with demo_ws.read() as s:
        whole = schedule.visits_due(s, today, 30)
        mine = schedule.visits_due(s, today, 30, (grid,))
    assert mine == [d for d in whole if d.org_code.startswith(grid)]
    assert 0 < len(mine) < len(whole)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(size=st.integers(1, 80), horizon=st.sampled_from(HORIZONS), narrow=st.booleans(),
       overdue_only=st.booleans())
def test_any_page_size_gives_the_same_list(demo_ws: Workspace, size: int, horizon: int, narrow: bool,
                                           overdue_only: bool) -> None:
    today = dt.date.today()
    scope = (_grid(demo_ws),) if narrow else None
    with demo_ws.read() as s:
        whole = [d for d in schedule.visits_due(s, today, horizon, scope) if d.overdue_days > 0 or not overdue_only]
    assert _paged(demo_ws, today, horizon, scope, size, overdue_only) == whole
    with demo_ws.read() as s:
        counts, first = schedule.first_visits_due(s, today, horizon, scope, overdue_only=overdue_only, limit=size)
        assert counts == schedule.count_visits_due(s, today, horizon, scope)
    assert first == whole[:size]


def test_the_statistics_count_the_same_elders_overdue(demo_ws: Workspace) -> None:
    # one rule of when a visit falls due (schedule.due_day): the 探访 table's overdue column for this
    # month is Today's overdue tile
    today = dt.date.today()
    for scope in (None, (_grid(demo_ws),)):
        with demo_ws.read() as s:
            table = statistics.compute(s, "visits", scope, statistics.Month.of(today), today)
            counts = schedule.count_visits_due(s, today, 0, scope)
        assert table.totals[table.index("overdue")] == counts.overdue > 0
