"""The care-place waiting list syncs like any other record (issue 12): an application assessed,
queued, offered a place, declined once and queued again, typed on one device, reaches another device
in the same community through a real server on loopback (SQLite and PostgreSQL) with the same place
in its queue, and never a device outside it; the server holds it to the device's own rules (the
workflow's order and guards, the declines the rules keep, no queue date before the application) and
to the whole queue, which only it sees: a place offered out of turn needs its reason."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import select

from caseapp.domain import CareApplication, Member
from caseapp.services import listing, records
from caseapp.validation.times import city_today

from .conftest import COMMUNITY_B, GRID_A1, Device
from .test_end_to_end import new_household
from .test_server_validates import create_op, raw_push, server_fields, set_op

TODAY = city_today()  # the day the device and the server stamp, in the city's calendar


@pytest.fixture(autouse=True)
def a_laptop_in_the_city(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The device runs on China Standard Time, as a laptop in the city does (its steps are stamped
    with its own calendar day; the server counts days in the city's calendar whatever its zone)."""
    monkeypatch.setenv("TZ", "CST-8")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
APPLIED = TODAY - dt.timedelta(days=40)


def _queue(dev: Device) -> tuple[dict[str, Any], dict[str, Any]]:
    home = new_household(dev, GRID_A1, head_name="李桂英")
    with dev.ws.write() as s:
        elder = s.scalars(select(Member).where(Member.household_id == home)).one()
        first = records.create(s, CareApplication, {
            "org_code": GRID_A1, "household_id": home, "member_id": elder.id, "facility_name": "越秀区老人院",
            "applied_on": APPLIED, "priorities": "dibao", "capacity_level": "3", "assessed_on": APPLIED})
        records.transition(s, first, "waiting")
        records.transition(s, first, "offered", offered_place="3楼 302房")
        records.transition(s, first, "waiting")  # declined once: back on the list, from today
        spouse = records.create(s, Member, {"org_code": GRID_A1, "household_id": home, "name": "陈伯",
                                            "relationship": "10"})
        second = records.create(s, CareApplication, {  # one open application an elder: the spouse's
            "org_code": GRID_A1, "household_id": home, "member_id": spouse.id, "facility_name": "越秀区老人院",
            "applied_on": APPLIED + dt.timedelta(days=5), "capacity_level": "1",
            "assessed_on": APPLIED + dt.timedelta(days=6)})
        records.transition(s, second, "waiting")
        return ({"id": first.id, "second": second.id, "household": home, "member": elder.id},
                {k: v for k, v in first.values().items() if k not in ("updated_at", "created_at", "server_pos")})


def _places(dev: Device) -> dict[str, int | None]:
    with dev.ws.read() as s:
        return {r.id: r["queue_position"] for r in listing.page(s, "care_waitlist", listing.ListFilter())}


def test_the_waiting_list_syncs_within_scope_with_its_queue(device: Callable[[str], Device]) -> None:
    one, two, other = device("worker1"), device("worker2"), device("worker3")
    ids, mine = _queue(one)
    report = one.sync()
    assert report.push.rejected == 0 and report.push.applied > 0
    two.sync()
    other.sync()
    with two.ws.read() as s:
        theirs = s.get(CareApplication, ids["id"])
        assert theirs is not None
        got = {k: v for k, v in theirs.values().items() if k not in ("updated_at", "created_at", "server_pos")}
    assert got == mine and (got["status"], got["offers"], got["queued_on"]) == ("waiting", 1, TODAY)
    # 低保 ranks first though it now queues from today; the same queue on both devices
    assert _places(one) == _places(two) and _places(two)[ids["id"]] == 1 and len(_places(two)) == 2
    assert _places(other) == {}  # another community's device


def test_the_server_refuses_what_the_device_refuses(device: Callable[[str], Device]) -> None:
    one = device("worker1")
    ids, _ = _queue(one)
    one.sync()
    (unassessed,) = raw_push(one, create_op("care_application", {
        "org_code": GRID_A1, "household_id": ids["household"], "member_id": ids["member"],
        "facility_name": "越秀区老人院", "applied_on": TODAY.isoformat(),
        "assessed_on": (TODAY - dt.timedelta(days=3)).isoformat()}))
    assert (unassessed.verdict, unassessed.reason) == ("rejected", "care.assessed_before_applied")
    (jump,) = raw_push(one, set_op("care_application", ids["id"], "queued_on",
                                   (APPLIED - dt.timedelta(days=100)).isoformat()))
    assert (jump.verdict, jump.reason) == ("rejected", "care.queued_before_applied")
    (skipped,) = raw_push(one, set_op("care_application", ids["id"], "status", "admitted"))
    assert skipped.verdict == "rejected" and (skipped.reason or "").startswith("workflow."), skipped
    # offered again: a second decline is beyond the rules' one, on the server as on the device
    with one.ws.write() as s:
        app = s.get(CareApplication, ids["id"])
        assert app is not None
        records.transition(s, app, "offered", offered_place="2楼 201房")
    assert one.sync().push.rejected == 0
    (again,) = raw_push(one, set_op("care_application", ids["id"], "status", "waiting"))
    assert (again.verdict, again.reason) == ("rejected", "workflow.care_declines_used")


def test_the_server_holds_offers_to_the_whole_queue_across_communities(device: Callable[[str], Device]) -> None:
    one, other = device("worker1"), device("worker3")
    ids, _ = _queue(one)
    one.sync()
    # another community's elder, 特困, applied to the same home: first in its queue, which only the
    # server sees whole
    home = new_household(other, COMMUNITY_B, head_name="周大爷")
    with other.ws.write() as s:
        elder = s.scalars(select(Member).where(Member.household_id == home)).one()
        theirs = records.create(s, CareApplication, {
            "org_code": COMMUNITY_B, "household_id": home, "member_id": elder.id, "facility_name": "越秀区老人院",
            "applied_on": APPLIED, "priorities": "tekun", "capacity_level": "2", "assessed_on": APPLIED})
        records.transition(s, theirs, "waiting")
    assert other.sync().push.rejected == 0
    assert _places(one)[ids["id"]] == 1  # first among what this device holds
    with one.ws.write() as s:
        app = s.get(CareApplication, ids["id"])
        assert app is not None
        records.transition(s, app, "offered", offered_place="3楼 303房")  # the device knows no better
    report = one.sync()
    # the step is refused, and its stamps with it (the offer is neither counted nor dated)
    assert report.push.rejected == 2 and set(report.push.reasons) == {"workflow.care_out_of_turn"}, report.push
    # with its reason, the offer out of turn is taken
    (reason,) = raw_push(one, set_op("care_application", ids["id"], "offer_reason", "该床位位于认知症照护专区"))
    assert reason.verdict == "applied", reason
    (offer,) = raw_push(one, set_op("care_application", ids["id"], "status", "offered"))
    assert offer.verdict == "applied", offer
    # pushed without its stamps, the step is stamped by the server as the device stamps it
    held = server_fields(one.server, ids["id"])
    assert held is not None and (held["offers"], held["offered_on"]) == (2, TODAY.isoformat()), held


def test_a_second_open_application_of_one_elder_is_refused_on_the_server(device: Callable[[str], Device]) -> None:
    one = device("worker1")
    ids, _ = _queue(one)
    assert one.sync().push.rejected == 0
    again = {"org_code": GRID_A1, "household_id": ids["household"], "member_id": ids["member"],
             "facility_name": "海珠区老人院", "applied_on": TODAY.isoformat()}
    (twice,) = raw_push(one, create_op("care_application", again))
    assert (twice.verdict, twice.reason, twice.field) == ("rejected", "quality.two_open_applications", "member_id")
    assert twice.params == {"facility": "越秀区老人院"}
    # once the first is withdrawn, the elder may apply again
    (gone,) = raw_push(one, set_op("care_application", ids["id"], "closing_reason", "家属接回家中照顾"))
    assert gone.verdict == "applied", gone
    (withdrawn,) = raw_push(one, set_op("care_application", ids["id"], "status", "withdrawn"))
    assert withdrawn.verdict == "applied", withdrawn
    (fresh,) = raw_push(one, create_op("care_application", again))
    assert fresh.verdict == "applied", fresh
    # and an edit that would give the spouse's application to the same elder is refused too
    (moved,) = raw_push(one, set_op("care_application", ids["second"], "member_id", ids["member"]))
    assert (moved.verdict, moved.reason) == ("rejected", "quality.two_open_applications"), moved


def test_queue_stamps_come_only_with_their_step(device: Callable[[str], Device]) -> None:
    """The queue dates decide who is offered a place first: a device may not move its own
    application up the list by setting them, and a step pushed with stamps other than the ones it
    makes, or without them, leaves the server's stamps as the step makes them."""
    one = device("worker1")
    ids, _ = _queue(one)  # declined once: queued again from today
    assert one.sync().push.rejected == 0
    app = ids["id"]
    # typed, without a step: refused, even within the dates the field allows
    (typed,) = raw_push(one, set_op("care_application", app, "queued_on", APPLIED.isoformat()))
    assert (typed.verdict, typed.reason, typed.field) == ("rejected", "care.stamped", "queued_on")
    (counted,) = raw_push(one, set_op("care_application", app, "offers", 0))
    assert (counted.verdict, counted.reason) == ("rejected", "care.stamped")
    # offered and declined again in one transaction, the decline claiming the old queue date back
    tx = "tx-declined-twice"
    ops = [set_op("care_application", app, "offered_place", "5楼 501房", tx_id=tx),
           set_op("care_application", app, "offers", 2, tx_id=tx),
           set_op("care_application", app, "offered_on", TODAY.isoformat(), tx_id=tx),
           set_op("care_application", app, "status", "offered", tx_id=tx)]
    assert [v.verdict for v in raw_push(one, *ops)] == ["applied"] * 4
    held = server_fields(one.server, app)
    assert held is not None and (held["offers"], held["status"]) == (2, "offered")
    (reason,) = raw_push(one, set_op("care_application", app, "closing_reason", "床位离家太远，家属不同意"))
    assert reason.verdict == "applied", reason
    held = server_fields(one.server, app)
    # a final decline dated before the offer it declines: refused with the step
    forged = [set_op("care_application", app, "closed_on", (TODAY - dt.timedelta(days=400)).isoformat(),
                     tx_id="tx-forged"),
              set_op("care_application", app, "status", "declined", tx_id="tx-forged")]
    verdicts = raw_push(one, *forged)
    assert [(v.verdict, v.reason) for v in verdicts] == [("rejected", "care.stamped")] * 2, verdicts
    assert server_fields(one.server, app) == held
    # the same step without its stamp: taken, and closed today by the server
    (declined,) = raw_push(one, set_op("care_application", app, "status", "declined"))
    assert declined.verdict == "applied", declined
    closed = server_fields(one.server, app)
    assert closed is not None and (closed["status"], closed["closed_on"]) == ("declined", TODAY.isoformat())


def test_a_step_and_its_stamps_travel_in_one_batch(device: Callable[[str], Device]) -> None:
    """The outbox never cuts a transaction at the end of a batch when the batch holds another:
    a step reaches the server with what it stamped, whatever the batch size."""
    from sync import outbox

    one = device("worker1")
    _queue(one)
    with one.ws.write() as s:
        (app,) = s.scalars(select(CareApplication).where(CareApplication.status == "waiting",
                                                          CareApplication.offers == 1)).all()
        records.transition(s, app, "offered", offered_place="4楼 401房")
    entries = [e.seq for e in outbox.pending(one.ws, 1_000)]
    last_tx = outbox.pending(one.ws, 1_000)[-1].tx_id
    tail = sum(1 for e in outbox.pending(one.ws, 1_000) if e.tx_id == last_tx)
    assert tail > 1

    def seqs(limit: int, after: int = 0) -> list[int]:
        return [e.seq for e in outbox.pending(one.ws, limit, after_seq=after)]

    for limit in range(len(entries) - tail + 1, len(entries)):  # every limit that would cut the last one
        assert seqs(limit) == entries[:len(entries) - tail], limit
    assert seqs(len(entries)) == entries
    assert seqs(2, after=entries[-tail - 1]) == entries[-tail:][:2]  # a transaction larger than a batch
    assert one.sync().push.rejected == 0
