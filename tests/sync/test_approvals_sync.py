"""The server enforces who signs each step of an assistance case, and what approval rests on, with
the device's own workflow rules: a step taken offline by the wrong role is refused and stays on the
device with its value and reason; the role a step is signed in is the one the server knows."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from sqlalchemy import select

from caseapp.domain import AssistanceCase, CaseStep, Investigation, Verification
from caseapp.errors import WorkflowError
from caseapp.services import records
from caseapp.store.tables import JournalEntry
from sync.server import schema

from .conftest import GRID_A1, Device, Server
from .test_end_to_end import new_household
from .test_server_validates import raw_push, set_op

EIGHT_DAYS_AGO = dt.datetime.now(dt.UTC) - dt.timedelta(days=8)


def move(dev: Device, case_id: str, target: str, **fields: object) -> None:
    """As a device does offline: its own copy of the rules lets it (a workspace the test never
    tells its role, like one that believes it holds every role)."""
    with dev.ws.write() as s:
        records.transition(s, records.get(s, AssistanceCase, case_id), target, **fields)  # type: ignore[arg-type]


def refusal(dev: Device, case_id: str) -> tuple[str, str | None, object]:
    with dev.ws.read() as s:
        entry = s.scalars(select(JournalEntry).where(JournalEntry.row_id == case_id, JournalEntry.field == "status")
                          .order_by(JournalEntry.seq.desc())).first()
    assert entry is not None
    return entry.state, entry.reason, json.loads(entry.value)


def server_case(server: Server, case_id: str) -> dict[str, object]:
    with server.db.read() as conn:
        return json.loads(conn.execute(select(schema.records.c.fields)
                                       .where(schema.records.c.id == case_id)).scalar_one())


def submitted_case(worker: Device) -> tuple[str, str]:
    hid = new_household(worker)
    with worker.ws.write() as s:
        case_id = records.create(s, AssistanceCase, {"org_code": GRID_A1, "household_id": hid,
                                                      "category": "dibao", "monthly_amount": "600",
                                                      "amount_reason": "按测试设定的金额"}).id
    for target in ("verification", "investigation", "preliminary_review"):
        move(worker, case_id, target)
    assert worker.sync().push.rejected == 0
    return hid, case_id


def test_a_caseworker_cannot_pass_the_streets_review(device: Callable[[str], Device], server: Server) -> None:
    worker = device("worker1")
    _, case_id = submitted_case(worker)
    move(worker, case_id, "public_notice", at=EIGHT_DAYS_AGO)
    report = worker.sync()
    assert report.push.rejected == 1
    assert refusal(worker, case_id) == ("rejected", "workflow.needs_supervisor", "public_notice")
    assert server_case(server, case_id)["status"] == "preliminary_review"
    with worker.ws.read() as s:  # the device's copy went back to what the server holds
        assert records.get(s, AssistanceCase, case_id).status == "preliminary_review"


def test_each_role_signs_its_step_and_the_server_names_the_role(device: Callable[[str], Device],
                                                                server: Server) -> None:
    server.add_user("approver1", "approver", [GRID_A1[:6]])
    worker, supervisor, approver = device("worker1"), device("supervisor"), device("approver1")
    hid, case_id = submitted_case(worker)
    supervisor.sync()
    move(supervisor, case_id, "public_notice", at=EIGHT_DAYS_AGO, note="同意公示")
    move(supervisor, case_id, "approval", notice_objections="公示期间无异议")
    assert supervisor.sync().push.rejected == 0
    approver.sync()
    with pytest.raises(WorkflowError) as local:  # no 核对 conclusion, no signed investigation yet
        move(approver, case_id, "active", note="同意")
    assert local.value.key == "workflow.needs_verification"
    (pushed,) = raw_push(approver, set_op("assistance_case", case_id, "status", "active", base=10**6))
    assert (pushed.verdict, pushed.reason) == ("rejected", "workflow.needs_verification")  # the same rule there
    with worker.ws.write() as s:
        records.create(s, Verification, {"org_code": GRID_A1, "household_id": hid, "case_id": case_id,
                                         "consent_ref": "SQ-1", "requested_on": dt.date.today(),
                                         "conclusion": "eligible"})
        records.create(s, Investigation, {"org_code": GRID_A1, "household_id": hid, "case_id": case_id,
                                          "investigators": "张敏、刘志强", "investigators_signed": True,
                                          "investigated_at": dt.datetime.now(dt.UTC)})
    assert worker.sync().push.rejected == 0
    approver.sync()
    move(approver, case_id, "active", note="同意")
    assert approver.sync().push.rejected == 0
    assert server_case(server, case_id)["status"] == "active"
    worker.sync()
    with worker.ws.read() as s:
        steps = s.scalars(select(CaseStep).where(CaseStep.case_id == case_id).order_by(CaseStep.id)).all()
    assert [(x.action, x.author, x.handler_role) for x in steps] == [
        ("accept", "worker1", "caseworker"), ("start_investigation", "worker1", "caseworker"),
        ("submit", "worker1", "caseworker"), ("pass_review", "supervisor", "supervisor"),
        ("report", "supervisor", "supervisor"), ("approve", "approver1", "approver")]


def test_a_step_claims_no_role_the_server_does_not_give(device: Callable[[str], Device], server: Server) -> None:
    worker = device("worker1")
    _, case_id = submitted_case(worker)
    with worker.ws.write() as s:  # a doctored device signs its own step as the district's
        records.create(s, CaseStep, {"org_code": GRID_A1, "case_id": case_id, "action": "approve",
                                     "from_state": "approval", "to_state": "active", "handler_role": "approver",
                                     "taken_at": dt.datetime.now(dt.UTC)})
    worker.sync()
    with server.db.read() as conn:
        roles = {json.loads(f)["handler_role"] for f in conn.execute(
            select(schema.records.c.fields).where(schema.records.c.entity == "case_step")).scalars()}
    assert roles == {"caseworker"}
