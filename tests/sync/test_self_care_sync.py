"""The 特困 self-care assessment (a member's six items, date and result) syncs like any field, and
the server's sweep (caseapp-server quality, GET /quality) lists a 特困 member of 60 or over without
one, as the device's data-quality page does (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select

from caseapp.domain import AssistanceCase, Member
from caseapp.domain.households import SELF_CARE_ITEMS
from caseapp.services import records
from sync.server import quality as server_quality

from .conftest import COMMUNITY_A, GRID_A1, Device, Server
from .test_end_to_end import new_household


def sweep(server: Server) -> list[str]:
    with server.db.read() as conn:
        return [f.record_id for f in server_quality.sweep(conn, COMMUNITY_A, dt.date.today())
                if f.check == "tekun_without_self_care"]


def test_a_tekun_elder_is_listed_until_assessed_and_the_assessment_reaches_other_devices(
        device: Callable[[str], Device], server: Server) -> None:
    worker, colleague = device("worker1"), device("worker2")
    home = new_household(worker, GRID_A1, head_name="李桂兰")
    with worker.ws.write() as s:
        elder = s.scalars(select(Member).where(Member.household_id == home)).one()
        records.update(s, elder, {"birth_date": dt.date(1950, 3, 1)})
        records.create(s, AssistanceCase, {"org_code": GRID_A1, "household_id": home,
                                           "category": "tekun_dispersed", "people_covered": 1})
        elder_id = elder.id
    worker.sync()
    assert sweep(server) == [elder_id]

    with worker.ws.write() as s:
        elder = records.get(s, Member, elder_id)
        records.update(s, elder, {**{item: "able" for item in SELF_CARE_ITEMS}, "self_care_bathing": "unable",
                                  "self_care_walking": "unable", "self_care_transfer": "unable",
                                  "self_care_toilet": "unable", "self_care_assessed_on": dt.date.today()})
        assert elder.self_care_result == "full_care"  # four items failed
    worker.sync()
    assert sweep(server) == []
    colleague.sync()
    with colleague.ws.read() as s:
        got = s.get(Member, elder_id)
        assert got is not None
        assert (got.self_care_result, got.self_care_eating, got.self_care_bathing, got.self_care_assessed_on) == (
            "full_care", "able", "unable", dt.date.today())
