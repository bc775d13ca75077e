"""Referrals on the device (caseapp.services.referrals, records): the client is a member of the
household, consent is explicit (ticked and dated) before sending, the receiving centre is a division
code of the referral's city and fixed once sent; who may change what, property-tested against the
table of the workflow's steps."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import Referral
from caseapp.errors import ValidationErrors, WorkflowError
from caseapp.services import records, referrals
from caseapp.services.workflows import REFERRAL
from caseapp.store.workspace import Workspace
from tests.core.helpers import ORG, household, member

CENTRE = "440104002"


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    workspace, _ = Workspace.create(tmp_path / "ws", "correct horse battery staple", kdf=TEST_KDF, actor="worker")
    yield workspace
    workspace.close()


def _referral(s: object, **fields: object) -> Referral:
    h = household(s)  # type: ignore[arg-type]
    m = member(s, h.id)  # type: ignore[arg-type]
    return records.create(s, Referral, {  # type: ignore[arg-type]
        "org_code": ORG, "household_id": h.id, "client_member_id": m.id, "client_name": "张伟",
        "from_org": "洪桥家综", "to_org": "越秀区心理援助中心", "to_org_code": CENTRE, **fields})


def test_consent_client_and_receiver_before_sending(ws: Workspace) -> None:
    with ws.write() as s:
        r = _referral(s, to_org_code=None)
        with pytest.raises(WorkflowError) as info:
            records.transition(s, r, "consented", consent_given=True)
        assert info.value.key == "workflow.referral_needs_consent_date"
        records.transition(s, r, "consented", consent_on=dt.date.today())
        with pytest.raises(WorkflowError) as info:
            records.transition(s, r, "sent")
        assert info.value.key == "workflow.referral_needs_receiver"
        records.update(s, r, {"to_org_code": CENTRE})
        records.transition(s, r, "sent")
        assert r.sent_at is not None and referrals.shared_org(r.values()) == CENTRE
        with pytest.raises(ValidationErrors) as fixed:  # who receives it is fixed once sent
            records.update(s, r, {"to_org_code": "440104003"})
        assert fixed.value.errors[0].key == "referral.receiver_fixed"
        records.update(s, r, {"reason": "补充：需要心理疏导"})  # its content stays the sender's to edit


def test_the_client_is_a_member_of_the_referrals_household(ws: Workspace) -> None:
    with ws.write() as s:
        other = member(s, household(s).id, name="李四")
        with pytest.raises(ValidationErrors) as info:
            _referral(s, client_member_id=other.id)
        assert info.value.errors[0].key == "referral.client_not_member"
        r = _referral(s)
        with pytest.raises(ValidationErrors):
            records.update(s, r, {"client_member_id": other.id})


@pytest.mark.parametrize(("code", "key"), [("4401040", "division.length"), ("440305001", "referral.other_city"),
                                           ("440104700", "division.township"), ("abc", "division.format")])
def test_the_receiving_centre_is_a_division_code_of_the_city(ws: Workspace, code: str, key: str) -> None:
    with ws.write() as s, pytest.raises(ValidationErrors) as info:
        _referral(s, to_org_code=code)
    assert info.value.errors[0].key == key


MOVES = [(a, b) for a, targets in REFERRAL.moves.items() for b in targets]
SIDES = [frozenset(), frozenset({referrals.SENDER}), frozenset({referrals.RECEIVER}), referrals.BOTH]
FIELDS = ["reason", "urgency", "client_name", "to_org", "to_org_code", "response", "feedback_on", "to_worker"]


def test_every_step_of_the_workflow_belongs_to_exactly_one_side() -> None:
    assert set(MOVES) == referrals.RECEIVER_MOVES | referrals.SENDER_MOVES
    assert not referrals.RECEIVER_MOVES & referrals.SENDER_MOVES


@given(st.sampled_from(MOVES), st.sampled_from(SIDES))
def test_a_step_is_taken_only_by_its_side(move: tuple[str, str], side: frozenset[str]) -> None:
    owner = referrals.RECEIVER if move in referrals.RECEIVER_MOVES else referrals.SENDER
    refused = referrals.move_refusal(side, *move)
    assert (refused is None) == (owner in side)


@given(st.sampled_from(FIELDS), st.sampled_from(SIDES), st.sampled_from(REFERRAL.states), st.text(max_size=5))
def test_the_answer_is_the_receivers_and_the_content_the_senders(name: str, side: frozenset[str], status: str,
                                                                  value: str) -> None:
    refused = referrals.may_change(side, {"status": status}, name, value)
    if name in referrals.RECEIVER_FIELDS:
        assert (refused is None) == (referrals.RECEIVER in side)
    elif name in referrals.SHARED_FIELDS:
        assert (refused is None) == bool(side)
    elif referrals.SENDER not in side:
        assert refused == "referral.sender_only"
    elif name in referrals.RECEIVER_NAMED and status in referrals.SENT_STATES:
        assert refused == "referral.receiver_fixed"
    else:
        assert refused is None


@given(st.dictionaries(st.sampled_from(["household_id", "case_id", "client_member_id", "reason", "client_name",
                                        "status"]), st.text(max_size=8)))
def test_the_receivers_view_keeps_the_referral_and_drops_the_links(fields: dict[str, str]) -> None:
    shown = referrals.view(fields)
    assert set(shown) == set(fields)
    for name, value in fields.items():
        assert shown[name] == (None if name in referrals.HIDDEN else value)


@given(st.sampled_from(REFERRAL.states), st.one_of(st.none(), st.just(""), st.just(CENTRE)))
def test_shared_from_sending_on(status: str, code: str | None) -> None:
    shared = referrals.shared_org({"status": status, "to_org_code": code})
    assert shared == (code if status in referrals.SENT_STATES and code else None)


def test_sides_follow_reach() -> None:
    fields = {"org_code": ORG + "01", "to_org_code": CENTRE}
    assert referrals.sides([ORG], fields) == {referrals.SENDER}
    assert referrals.sides([CENTRE], fields) == {referrals.RECEIVER}
    assert referrals.sides(["440104"], fields) == referrals.BOTH  # a district reaches both
    assert referrals.sides([""], fields) == referrals.BOTH and referrals.sides(None, fields) == referrals.BOTH
    assert referrals.sides(["440104002001"], fields) == frozenset()  # a community under the centre's street does not


def test_the_client_is_named_as_the_member_chosen(ws: Workspace) -> None:
    with ws.write() as s:
        r = _referral(s, client_name="户主姓名")  # the form held the head's name before the choice
        assert r.client_name == "张伟"
        other = member(s, r.household_id, name="张小明", relationship="20")
        records.update(s, r, {"client_member_id": other.id})
        assert r.client_name == "张小明"
