"""Each elder's stored next visit day (caseapp.store.visits_due) is always what the rule gives: after
visits are added, moved, archived and deleted, profiles change tier, interval or grid, are archived or
deleted, in any order (hypothesis); when a deployment's rules change the intervals, the lists work
the days out again until the workspace is opened again, which remakes the triggers and the table."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, inspect, select, update

from caseapp import refdata
from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import CareVisit, ElderProfile
from caseapp.ids import new_id
from caseapp.services import demo, schedule
from caseapp.store import visits_due
from caseapp.store.visits_due import ElderDue
from caseapp.store.workspace import Workspace

PASSPHRASE = "stored-due-passphrase"
TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def _default_rules() -> Iterator[None]:
    refdata.install_rules(None)
    yield
    refdata.install_rules(None)


@pytest.fixture(scope="module")
def demo_ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    refdata.install_rules(None)
    ws, _ = Workspace.create(tmp_path_factory.mktemp("stored-due") / "ws", PASSPHRASE, kdf=TEST_KDF,
                             actor="tester")
    demo.generate(ws, 60, seed=11)
    yield ws
    ws.close()


def _stored(ws: Workspace) -> dict[str, tuple[Any, ...]]:
    d = ElderDue.__table__.c
    with ws.read() as s:
        return {r[0]: tuple(r[1:]) for r in s.execute(select(d.elder_id, d.household_id, d.member_id, d.risk_tier,
                                                              d.org_code, d.due))}


def _by_rule(ws: Workspace) -> dict[str, tuple[Any, ...]]:
    p = ElderProfile
    with ws.read() as s:
        rows = s.execute(select(p.id, p.household_id, p.member_id, p.risk_tier, p.org_code,
                                schedule.due_day(schedule.last_visit())).where(p.archived.is_(False)))
        return {r[0]: tuple(r[1:]) for r in rows}


def _copy(obj: Any, **changes: Any) -> Any:
    cls = type(obj)
    values = {c.key: getattr(obj, c.key) for c in inspect(cls).column_attrs}
    values.update(id=new_id(), server_pos=0, **changes)
    return cls(**values)


OPS = st.lists(st.tuples(st.sampled_from(["visit", "move_visit", "archive_visit", "delete_visit", "tier",
                                          "interval", "grid", "archive_elder", "delete_elder", "new_elder"]),
                         st.integers(0, 10_000), st.integers(-400, 30)), min_size=1, max_size=8)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_the_stored_days_are_always_the_rules(demo_ws: Workspace, ops: list[tuple[str, int, int]]) -> None:
    assert _stored(demo_ws) == _by_rule(demo_ws)
    for op, pick, days in ops:
        with demo_ws.write() as s:
            elders = s.scalars(select(ElderProfile).order_by(ElderProfile.id)).all()
            visits = s.scalars(select(CareVisit).order_by(CareVisit.id)).all()
            elder, visit = elders[pick % len(elders)], visits[pick % len(visits)]
            when = dt.datetime.now(dt.UTC) + dt.timedelta(days=days)
            if op == "visit":
                s.add(_copy(visit, elder_id=elder.id, visited_at=when))
            elif op == "move_visit":  # to another elder, on another day (as sync apply writes: visits
                # are insert-only on the device, but the server's version of one may differ)
                s.execute(update(CareVisit).where(CareVisit.id == visit.id)
                          .values(elder_id=elder.id, visited_at=when))
            elif op == "archive_visit":
                s.execute(update(CareVisit).where(CareVisit.id == visit.id).values(archived=not visit.archived))
            elif op == "delete_visit":  # as sync apply removes a record that left the scope
                s.execute(delete(CareVisit).where(CareVisit.id == visit.id))
            elif op == "tier":
                elder.risk_tier = ("high", "key", "normal")[pick % 3]
            elif op == "interval":
                elder.visit_interval_days = None if pick % 2 else 1 + pick % 60
            elif op == "grid":
                s.execute(update(ElderProfile).where(ElderProfile.id == elder.id)
                          .values(org_code=elders[(pick + 1) % len(elders)].org_code))
            elif op == "archive_elder":
                elder.archived = not elder.archived
            elif op == "delete_elder":  # with whatever refers to it, as a removal from the scope does
                if len(elders) > 1:
                    for table in reversed(ElderProfile.metadata.sorted_tables):
                        if any(fk.column.table is ElderProfile.__table__ for fk in table.foreign_keys):
                            fk_col = next(fk.parent for fk in table.foreign_keys
                                          if fk.column.table is ElderProfile.__table__)
                            s.execute(delete(table).where(fk_col == elder.id))
                    s.execute(delete(ElderProfile).where(ElderProfile.id == elder.id))
            else:
                s.add(_copy(elder, created_at=when))  # a second profile of one member
        assert _stored(demo_ws) == _by_rule(demo_ws), op


def test_the_list_reads_the_stored_days_and_agrees_with_working_them_out(
        demo_ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    with demo_ws.read() as s:
        assert visits_due.current(s.connection())
        held = schedule.visits_due(s, TODAY, 30)
        counts = schedule.count_visits_due(s, TODAY, 30)
        first = schedule.first_visits_due(s, TODAY, 30, limit=5)
    monkeypatch.setattr(visits_due, "current", lambda conn: False)  # the readers work the days out
    with demo_ws.read() as s:
        assert schedule.visits_due(s, TODAY, 30) == held
        assert schedule.count_visits_due(s, TODAY, 30) == counts
        assert schedule.first_visits_due(s, TODAY, 30, limit=5) == first
    assert held and counts.due == len(held) and first == (counts, held[:5])


def test_new_rules_are_followed_at_once_and_stored_at_the_next_open(tmp_path: Path) -> None:
    ws, _ = Workspace.create(tmp_path / "ws", PASSPHRASE, kdf=TEST_KDF, actor="tester")
    demo.generate(ws, 30, seed=3)
    before = _stored(ws)
    ws.close()
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps({"elder_visit": {"interval_days": {"high": 2, "key": 3, "normal": 5}}}),
                     encoding="utf-8")
    refdata.install_rules(refdata.load_rules(rules))
    ws = Workspace.open(tmp_path / "ws", PASSPHRASE)
    try:
        after = _stored(ws)
        assert after == _by_rule(ws) and after != before  # remade from the new intervals on open
        with ws.read() as s:
            assert visits_due.current(s.connection())
        refdata.install_rules(None)  # changed again while open: the lists follow the rules in force
        with ws.read() as s:
            assert not visits_due.current(s.connection())
            worked_out = {v.elder_id: v.due.isoformat() for v in schedule.visits_due(s, TODAY, 400)}
        assert worked_out == {k: v[-1] for k, v in _by_rule(ws).items() if v[-1] <= (
            TODAY + dt.timedelta(days=400)).isoformat()}
    finally:
        ws.close()


def _sentinel(ws: Workspace, elder_id: str) -> None:
    with ws.write() as s:  # a day no rule gives: it stays until a trigger works the row out again
        s.execute(update(ElderDue).where(ElderDue.elder_id == elder_id).values(due="1999-01-01"))


def test_an_update_of_what_the_rule_does_not_read_fires_no_refresh(demo_ws: Workspace) -> None:
    """A sync's echo sets a visit's or profile's server_pos and stamps (and an edit may change only
    its notes): none of it moves a due day, so the triggers (UPDATE OF the columns the rule reads)
    leave the row alone; an update of any column the rule reads works it out again."""
    assert set(visits_due.read_columns(CareVisit.__tablename__)) == {"elder_id", "visited_at", "archived"}
    assert {"risk_tier", "visit_interval_days", "created_at", "archived", "org_code"} <= set(
        visits_due.read_columns(ElderProfile.__tablename__))
    held = set(_stored(demo_ws))  # the module's other tests archive and delete elders: one still listed
    with demo_ws.read() as s:
        visit = next(v for v in s.scalars(select(CareVisit).where(CareVisit.archived.is_(False))
                                          .order_by(CareVisit.id)) if v.elder_id in held)
        elder = s.get(ElderProfile, visit.elder_id)
        assert elder is not None
        visit_values = {c.name: getattr(visit, c.key) for c in CareVisit.__table__.columns}
        elder_values = {c.name: getattr(elder, c.key) for c in ElderProfile.__table__.columns}
    for table, row_id, values in ((CareVisit, visit.id, visit_values), (ElderProfile, elder.id, elder_values)):
        read = visits_due.read_columns(table.__tablename__)
        for name in ("server_pos", "updated_at", "updated_by", "notes"):
            if name not in values:
                continue
            _sentinel(demo_ws, elder.id)
            with demo_ws.write() as s:
                s.execute(update(table).where(table.id == row_id).values({name: values[name]}))
            assert _stored(demo_ws)[elder.id][-1] == "1999-01-01", (table.__tablename__, name)
        for name in read:
            _sentinel(demo_ws, elder.id)
            with demo_ws.write() as s:  # set to what it holds: the trigger fires all the same
                s.execute(update(table).where(table.id == row_id).values({name: values[name]}))
            assert _stored(demo_ws)[elder.id] == _by_rule(demo_ws)[elder.id], (table.__tablename__, name)
