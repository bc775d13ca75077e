"""Referrals over sync, on both backends: a sent referral reaches the receiving centre's devices (the
referral alone, in its minimal view, never the household), the receiver answers it and the sender
sees the answer; the server refuses a receiver's edits of anything else and a sender's steps that
are the receiver's, and keeps the receiving centre fixed once sent (caseapp.services.referrals)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from caseapp.domain import Household, Member, Referral
from caseapp.errors import ValidationErrors
from caseapp.services import records, referrals
from caseapp.services.workflows import REFERRAL
from caseapp.store.hlc import pack
from sync import protocol as p
from sync.server import pull, schema
from sync.server.auth import Principal
from sync.server.db import Database

from .conftest import COMMUNITY_A, GRID_A1, Device, Server
from .test_end_to_end import new_household
from .test_server_validates import create_op, raw_push, server_fields, set_op
from .test_trees import ADMIN, NOW, put, rid
from .test_trees import create as tree_create
from .test_trees import push as tree_push

#: a family service centre of another street of the same district
CENTRE = "440105002"
YESTERDAY = dt.date.today() - dt.timedelta(days=1)


@pytest.fixture
def centre(server: Server) -> Server:
    server.add_user("centre", "caseworker", [CENTRE])
    return server


def draft(dev: Device, household_id: str, **fields: object) -> str:
    with dev.ws.write() as s:
        member = s.query(Member).filter_by(household_id=household_id).one()
        return records.create(s, Referral, {
            "org_code": GRID_A1, "household_id": household_id, "client_member_id": member.id,
            "client_name": member.name, "from_org": "江南中街家综", "to_org": "素社街家综", "to_org_code": CENTRE,
            "reason": "独居老人需要日间照料服务", "consent_given": True, "consent_ref": "TY001",
            "consent_on": YESTERDAY, **fields}).id


def move(dev: Device, referral_id: str, *targets: str) -> None:
    with dev.ws.write() as s:
        for target in targets:
            records.transition(s, records.get(s, Referral, referral_id), target)


def sent_referral(dev: Device) -> tuple[str, str]:
    household_id = new_household(dev)
    referral_id = draft(dev, household_id)
    move(dev, referral_id, "consented", "sent")
    assert dev.sync().push.rejected == 0
    return household_id, referral_id


def test_the_receiver_gets_the_referral_and_nothing_of_the_household(
        device: Callable[[str], Device], centre: Server) -> None:
    sender, receiver = device("worker1"), device("centre")
    household_id = new_household(sender)
    referral_id = draft(sender, household_id)
    assert sender.sync().push.rejected == 0
    receiver.sync()
    with receiver.ws.read() as s:  # a draft stays with the sender
        assert s.get(Referral, referral_id) is None
    move(sender, referral_id, "consented", "sent")
    assert sender.sync().push.rejected == 0
    report = receiver.sync()
    assert not report.resynced  # the receiver's copy agrees with the server's count of what it holds
    with receiver.ws.read() as s:
        got = records.get(s, Referral, referral_id)
        assert (got.status, got.client_name, got.to_org_code) == ("sent", "王芳", CENTRE)
        assert got.reason == "独居老人需要日间照料服务"
        assert (got.household_id, got.client_member_id, got.case_id) == (None, None, None)
        assert s.query(Household).count() == 0 and s.query(Member).count() == 0
    # asking for the household by id, as a hostile device may, gets a removal, not the record
    client = receiver.client()
    try:
        page = client.pull("", refetch=[p.RecordRef(entity="household", id=household_id)])
    finally:
        client.close()
    assert {r.entity for r in page.rows} == {"referral"}
    assert [(r.entity, r.id) for r in page.removals] == [("household", household_id)]


def test_the_receiver_answers_and_the_sender_sees_it(device: Callable[[str], Device], centre: Server) -> None:
    sender, receiver = device("worker1"), device("centre")
    _, referral_id = sent_referral(sender)
    receiver.sync()
    with receiver.ws.write() as s:
        ref = records.get(s, Referral, referral_id)
        records.update(s, ref, {"response": "已安排社工本周上门", "to_worker": "陈社工"})
        records.transition(s, ref, "accepted")
    assert receiver.sync().push.rejected == 0
    sender.sync()
    with sender.ws.read() as s:
        ref = records.get(s, Referral, referral_id)
        assert (ref.status, ref.response, ref.to_worker, ref.updated_by) == ("accepted", "已安排社工本周上门", "陈社工",
                                                                             "centre")
        assert ref.household_id is not None  # the sender's copy is whole
    move(receiver, referral_id, "in_service", "feedback")
    assert receiver.sync().push.rejected == 0
    sender.sync()
    move(sender, referral_id, "closed")
    assert sender.sync().push.rejected == 0
    receiver.sync()
    with receiver.ws.read() as s:
        ref = records.get(s, Referral, referral_id)
        assert (ref.status, ref.feedback_on) == ("closed", dt.date.today())


def test_hostile_receiver_edits_are_refused(device: Callable[[str], Device], centre: Server) -> None:
    sender, receiver = device("worker1"), device("centre")
    household_id, referral_id = sent_referral(sender)
    receiver.sync()
    with sender.ws.read() as s:
        member_id = s.query(Member).filter_by(household_id=household_id).one().id
    far = 10**6
    refused = raw_push(receiver,
                       set_op("referral", referral_id, "reason", "改写的原因", base=far),
                       set_op("referral", referral_id, "to_org_code", "440105003", base=far),
                       set_op("referral", referral_id, "household_id", household_id, base=far),
                       set_op("referral", referral_id, "archived", True, base=far),
                       set_op("household", household_id, "address", "别处", base=far),
                       set_op("member", member_id, "name", "李四", base=far),
                       create_op("referral", {"org_code": GRID_A1}, row_id=referral_id))
    assert [(v.verdict, v.reason) for v in refused] == [
        ("rejected", "referral.sender_only"), ("rejected", "referral.sender_only"),
        ("rejected", "sync.id_unavailable"), ("rejected", "referral.sender_only"),
        ("rejected", "sync.id_unavailable"), ("rejected", "sync.id_unavailable"),
        ("rejected", "sync.id_unavailable")]
    (skipped,) = raw_push(receiver, set_op("referral", referral_id, "status", "in_service", base=far))
    assert (skipped.verdict, skipped.reason) == ("rejected", "workflow.illegal")  # its steps, in order
    stored = server_fields(centre, referral_id)
    assert stored is not None and (stored["reason"], stored["status"]) == ("独居老人需要日间照料服务", "sent")
    assert server_fields(centre, household_id)["address"] == "海珠区滨江东路 1 号"  # type: ignore[index]


def test_only_the_receiver_answers_and_the_receiver_is_fixed_once_sent(
        device: Callable[[str], Device], centre: Server) -> None:
    sender = device("worker1")
    _, referral_id = sent_referral(sender)
    far = 10**6
    verdicts = raw_push(sender,
                        set_op("referral", referral_id, "status", "accepted", base=far),
                        set_op("referral", referral_id, "response", "自己替对方接收", base=far),
                        set_op("referral", referral_id, "to_org_code", "440105003", base=far),
                        set_op("referral", referral_id, "to_org", "别的中心", base=far),
                        set_op("referral", referral_id, "reason", "补充：需要送餐", base=far))
    assert [(v.verdict, v.reason) for v in verdicts] == [
        ("rejected", "referral.receiver_only"), ("rejected", "referral.receiver_only"),
        ("rejected", "referral.receiver_fixed"), ("rejected", "referral.receiver_fixed"), ("applied", None)]
    with sender.ws.write() as s:  # the device says the same before anything is sent
        ref = records.get(s, Referral, referral_id)
        with pytest.raises(ValidationErrors) as info:
            records.update(s, ref, {"to_org_code": "440105003"})
    assert info.value.errors[0].key == "referral.receiver_fixed"


def test_the_server_checks_client_consent_and_reach_on_create(device: Callable[[str], Device],
                                                                centre: Server) -> None:
    sender = device("worker1")
    household_id = new_household(sender)
    other = new_household(sender)
    assert sender.sync().push.rejected == 0
    with sender.ws.read() as s:
        client = s.query(Member).filter_by(household_id=household_id).one().id
        stranger = s.query(Member).filter_by(household_id=other).one().id
    base = {"org_code": GRID_A1, "household_id": household_id, "client_name": "王芳", "from_org": "家综",
            "to_org": "素社街家综", "to_org_code": CENTRE, "consent_given": True, "consent_on": YESTERDAY.isoformat(),
            "client_member_id": client}
    verdicts = raw_push(sender,
                        create_op("referral", {**base, "client_member_id": stranger}),
                        create_op("referral", {**base, "to_org_code": "440305001"}),  # 深圳: another city
                        create_op("referral", {**base, "status": "sent", "consent_on": None}),
                        create_op("referral", {**base, "status": "accepted"}),
                        create_op("referral", {**base, "status": "sent"}))
    assert [(v.verdict, v.reason) for v in verdicts] == [
        ("rejected", "referral.client_not_member"), ("rejected", "referral.other_city"),
        ("rejected", "workflow.referral_needs_consent_date"), ("rejected", "referral.receiver_only"),
        ("applied", None)]
    with centre.db.read() as conn:
        shared = conn.execute(select(schema.records.c.shared_org).where(
            schema.records.c.entity == "referral")).scalars().all()
    assert shared == [CENTRE]


def test_the_household_moving_keeps_the_referral_with_its_receiver(
        device: Callable[[str], Device], centre: Server) -> None:
    sender, supervisor, receiver = device("worker1"), device("supervisor"), device("centre")
    household_id, referral_id = sent_referral(sender)
    supervisor.sync()
    receiver.sync()
    with supervisor.ws.write() as s:
        records.move_household(s, records.get(s, Household, household_id), COMMUNITY_A[:-1] + "2" + "01")
    assert supervisor.sync().push.rejected == 0
    receiver.sync()
    with receiver.ws.read() as s:
        assert records.get(s, Referral, referral_id).status == "sent"
    with centre.db.read() as conn:
        row = conn.execute(select(schema.records).where(schema.records.c.id == referral_id)).one()
    assert (row.shared_org, json.loads(row.fields)["household_id"]) == (CENTRE, household_id)


# --- the server's rules against the shared ones, property-tested (merge.push, both backends) --------

SIDE_REACH = {"sender": (GRID_A1,), "receiver": (CENTRE,), "both": ("4401",), "neither": ("440106",)}
VALUES = {"reason": "补充：需要送餐", "response": "已安排上门", "to_worker": "陈社工", "to_org": "别的中心",
          "to_org_code": "440105003", "feedback_on": "2026-11-30", "urgency": "urgent", "client_name": "李四",
          "household_id": None, "archived": True}
STEPS = [(state, target) for state, targets in REFERRAL.moves.items() for target in targets]
_counter = itertools.count(1)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(status=st.sampled_from(REFERRAL.states), who=st.sampled_from(sorted(SIDE_REACH)),
       change=st.one_of(st.sampled_from(sorted(VALUES)).map(lambda f: (f, VALUES[f])),
                        st.sampled_from(STEPS).map(lambda m: ("status", m))))
def test_the_server_judges_every_edit_as_the_shared_rules_do(server_db: Database, status: str, who: str,
                                                             change: tuple[str, object]) -> None:
    n = next(_counter)
    name, value = change
    if name == "status":
        status, value = value  # type: ignore[misc]
    key = f"p{n}"
    made = tree_push(server_db, ADMIN,
                     tree_create(1_000 * n, "household", f"{key}h", org_code=GRID_A1, address="江南大道 8 号",
                                 head_name="欧阳明"),
                     tree_create(1_000 * n + 1, "member", f"{key}m", org_code=GRID_A1, household_id=rid(f"{key}h"),
                                 name="欧阳明"),
                     tree_create(1_000 * n + 2, "referral", f"{key}r", org_code=GRID_A1, household_id=rid(f"{key}h"),
                                 client_member_id=rid(f"{key}m"), client_name="欧阳明", from_org="家综",
                                 to_org="素社街家综", to_org_code=CENTRE, consent_given=True,
                                 consent_on="2026-11-01", status=status))
    assert [v.verdict for v in made] == ["applied"] * 3, made
    principal = Principal(who, "caseworker", f"dev-{who}", SIDE_REACH[who])
    (verdict,) = tree_push(server_db, principal, put(1_000 * n + 3, "referral", f"{key}r", name, value, 10**9))
    side = referrals.sides(SIDE_REACH[who], {"org_code": GRID_A1, "to_org_code": CENTRE})
    shared = status in referrals.SENT_STATES
    if not side or (referrals.SENDER not in side and (not shared or name in referrals.HIDDEN)):
        expected: str | None = "sync.id_unavailable"  # what it cannot see, it cannot touch
    else:
        expected = referrals.may_change(side, {"status": status}, name, value)
        if expected is None and name == "household_id":
            expected = "referral.client_not_member"  # the client would belong to no household
    assert (verdict.verdict, verdict.reason) == (("applied", None) if expected is None else ("rejected", expected))


def test_the_receiver_sees_and_settles_only_conflicts_over_what_it_writes(server_db: Database) -> None:
    sender = Principal("worker1", "caseworker", "dev-s1", (GRID_A1,))
    colleague = Principal("worker2", "caseworker", "dev-s2", (GRID_A1,))
    centre = Principal("centre", "caseworker", "dev-c", (CENTRE,))
    made = tree_push(server_db, ADMIN,
                     tree_create(1, "household", "ch", org_code=GRID_A1, address="江南大道 8 号", head_name="欧阳明"),
                     tree_create(2, "member", "cm", org_code=GRID_A1, household_id=rid("ch"), name="欧阳明"),
                     tree_create(3, "referral", "cr", org_code=GRID_A1, household_id=rid("ch"),
                                 client_member_id=rid("cm"), client_name="欧阳明", from_org="家综", to_org="素社街家综",
                                 to_org_code=CENTRE, consent_given=True, consent_on="2026-11-01", status="sent"))
    base = max(v.pos or 0 for v in made)
    # two of the sender's devices race on the reason; the sender and the centre on the contact person
    for who, seq, name, value in ((sender, 10, "reason", "需要送餐"), (colleague, 11, "reason", "需要助浴"),
                                  (sender, 12, "to_worker", "王社工"), (centre, 13, "to_worker", "陈社工")):
        (verdict,) = tree_push(server_db, who, put(seq, "referral", "cr", name, value, base))
        assert verdict.verdict in ("applied", "conflict", "merged"), verdict
    with server_db.read() as conn:
        page = pull.pull(conn, centre, p.PullIn())
        (whole,) = [r for r in pull.pull(conn, sender, p.PullIn()).to_model().rows if r.entity == "referral"]
    everything = {c.field: c.id for c in whole.conflicts}
    (row,) = page.to_model().rows
    assert [c.field for c in row.conflicts] == ["to_worker"]
    assert set(everything) == {"reason", "to_worker"}
    settle = [p.PushOp(seq=20 + n, entity="conflict", row_id=everything[f], op="resolve", value=v, hlc=pack(NOW))
              for n, (f, v) in enumerate((("to_worker", "陈社工"), ("reason", "需要送餐")))]
    verdicts = tree_push(server_db, centre, *settle)
    assert [(v.verdict, v.reason) for v in verdicts] == [("applied", None), ("rejected", "sync.unknown_conflict")]
