"""What is due: the SQL filter of visits_due agrees with the rule as written in next_visit_due."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Integer, String, create_engine, func, literal, select

from caseapp.domain import CareVisit, ElderProfile
from caseapp.services import demo, schedule
from caseapp.store.workspace import Workspace


def test_visits_due_matches_the_rule_for_every_elder(ws: Workspace) -> None:
    demo.generate(ws, 150, seed=3)
    today = dt.date.today()
    for horizon in (0, 7, 30):
        with ws.read() as s:
            got = {d.elder_id: d.due for d in schedule.visits_due(s, today, horizon)}
            expected = {}
            for profile in s.scalars(select(ElderProfile).where(ElderProfile.archived.is_(False))):
                last = s.scalar(select(func.max(CareVisit.visited_at))
                                .where(CareVisit.elder_id == profile.id, CareVisit.archived.is_(False)))
                due = schedule.next_visit_due(profile, last)
                if due <= today + dt.timedelta(days=horizon):
                    expected[profile.id] = due
        assert got == expected
        assert expected, "the demo has elders due"


def test_high_risk_elders_are_due_weekly(ws: Workspace) -> None:
    from caseapp.services import records
    from tests.core.helpers import household, member

    with ws.write() as s:
        h = household(s)
        m = member(s, h.id)
        elder = records.create(s, ElderProfile, {"org_code": h.org_code, "household_id": h.id, "member_id": m.id,
                                                 "risk_tier": "high"})
        records.create(s, CareVisit, {"org_code": h.org_code, "elder_id": elder.id,
                                      "visited_at": dt.datetime.now(dt.UTC) - dt.timedelta(days=8)})
    with ws.read() as s:
        due = schedule.visits_due(s, dt.date.today(), 0)
    assert [d.elder_id for d in due] == [elder.id]
    assert due[0].overdue_days >= 1


_DAYS = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))
_TIMES = st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2030, 12, 31))


def _stored(moment: dt.datetime) -> str:
    """A time as a workspace stores it (UTC, ISO text)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@settings(max_examples=300, deadline=None)
@given(limit=_DAYS, created=_TIMES, last=st.none() | _TIMES,
       tier=st.sampled_from(["high", "key", "normal", "unknown"]), own=st.none() | st.integers(1, 400))
def test_due_by_says_what_the_due_day_says(limit: dt.date, created: dt.datetime, last: dt.datetime | None,
                                           tier: str, own: int | None) -> None:
    """visits_due filters with due_by (text compared per tier); it must agree with due_day, the day
    worked out, on every elder: never visited, visited at any time of day, with an interval of their
    own, of a tier the rules do not know."""
    elder = select(literal(tier).label("risk_tier"), literal(_stored(created)).label("created_at"),
                   literal(own, Integer).label("visit_interval_days"),
                   literal(None if last is None else _stored(last), String).label("last")).subquery()
    engine = create_engine("sqlite://")
    with engine.connect() as conn:
        day, due = conn.execute(select(schedule.due_day(elder.c.last, elder.c),
                                       schedule.due_by(limit, elder.c.last, elder.c))).one()
    engine.dispose()
    assert bool(due) == (day <= limit.isoformat()), (day, limit)
