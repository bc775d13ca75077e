"""What is due: the SQL filter of visits_due agrees with the rule as written in next_visit_due."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

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
