"""Two devices open a 低保 case for the same household offline and sync at the same moment
(parallel pushes, on SQLite and PostgreSQL): the server lets exactly one in, as the rule "one open
case of a category per household" says; the other stays on its device, refused with its reason
and its value."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from caseapp.domain import AssistanceCase, Household, Member
from caseapp.services import records
from caseapp.store.tables import JournalEntry
from sync.server import schema

from .conftest import GRID_A1, Device


def test_two_open_cases_pushed_at_the_same_moment_one_is_kept(device: Callable[[str], Device]) -> None:
    one, two = device("worker1"), device("worker2")
    with one.ws.write() as s:
        home = records.create(s, Household, {"org_code": GRID_A1, "address": "龙庆北 12 号", "head_name": "陈秀英"})
        records.create(s, Member, {"org_code": GRID_A1, "household_id": home.id, "name": "陈秀英",
                                   "relationship": "02"})
    one.sync()
    two.sync()
    for dev in (one, two):
        with dev.ws.write() as s:
            records.create(s, AssistanceCase, {"org_code": GRID_A1, "household_id": home.id, "category": "dibao",
                                               "people_covered": 1})
    barrier = threading.Barrier(2)
    reports: dict[str, Any] = {}

    def sync(dev: Device, name: str) -> None:
        barrier.wait(timeout=30)
        reports[name] = dev.sync()

    threads = [threading.Thread(target=sync, args=(d, n)) for d, n in ((one, "one"), (two, "two"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(r.push.rejected for r in reports.values()) == [0, 1]
    with one.server.db.read() as conn:
        cases = [json.loads(f) for f in conn.execute(select(schema.records.c.fields).where(
            schema.records.c.entity == "assistance_case")).scalars()]
    assert len(cases) == 1
    loser = one if reports["one"].push.rejected else two
    with loser.ws.read() as s:
        refused = s.scalars(select(JournalEntry).where(JournalEntry.state == "rejected")).all()
        assert {r.reason for r in refused} == {"quality.two_open_cases"}
        assert any(json.loads(r.value or "{}").get("category") == "dibao" for r in refused)
