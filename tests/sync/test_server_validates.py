"""The server trusts no device: every pushed value goes through the device's own rules
(caseapp.services.validate), workflow moves through the device's state machines, and the server
decides stamps itself. Each test is one finding of issue 8, tried through a real server on
loopback, on SQLite and PostgreSQL. A refused value is rejected with its field and reason, never
applied, and stays in the device's outbox with the value it carried.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select

from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import AssistanceCase, CareVisit, ElderProfile, Household, Member
from caseapp.domain.types import format_datetime
from caseapp.errors import ValidationErrors
from caseapp.ids import new_id
from caseapp.services import exchange, records
from caseapp.store.hlc import pack, wall_ms
from caseapp.store.tables import HELD, JournalEntry
from caseapp.store.workspace import Workspace
from sync import outbox
from sync import protocol as p
from sync.server import app as server_app
from sync.server import schema, values

from .conftest import GRID_A1, PASSPHRASE, Device, Server
from .test_end_to_end import household, new_household

DAY_MS = 24 * 3600 * 1000


def raw_push(dev: Device, *ops: p.PushOp) -> list[p.Verdict]:
    """What a hostile or broken device sends, bypassing the device's own checks."""
    client = dev.client()
    try:
        return client.push(list(ops)).verdicts
    finally:
        client.close()


_seq = iter(range(500_000, 10_000_000))


def set_op(entity: str, row_id: str, name: str, value: Any, base: int | None = None, **kw: Any) -> p.PushOp:
    return p.PushOp(seq=next(_seq), entity=entity, row_id=row_id, op="set", field=name, value=value,
                    base_pos=base, hlc=kw.pop("hlc", pack(wall_ms())), **kw)


def create_op(entity: str, value: dict[str, Any], row_id: str | None = None, hlc: int | None = None) -> p.PushOp:
    return p.PushOp(seq=next(_seq), entity=entity, row_id=row_id or new_id(), op="create", value=value,
                    hlc=hlc or pack(wall_ms()))


def server_fields(server: Server, row_id: str) -> dict[str, Any] | None:
    with server.db.read() as conn:
        text = conn.execute(select(schema.records.c.fields).where(schema.records.c.id == row_id)).scalar()
    return json.loads(text) if text else None


def round_trips(ws: Workspace, tmp_path: Path) -> None:
    """Whatever the device holds, it can export, and the export imports back unchanged."""
    data = exchange.export_bytes(ws)
    fresh, _ = Workspace.create(tmp_path / f"fresh-{new_id()}", PASSPHRASE, kdf=TEST_KDF)
    try:
        exchange.import_rows(fresh, exchange.parse(data.decode("utf-8").splitlines()))
        assert exchange.export_bytes(fresh) == data
    finally:
        fresh.close()


@pytest.fixture
def pair(device: Callable[[str], Device]) -> Iterator[tuple[Device, Device, str]]:
    """worker1 holding a synced household, and admin, who sees everything."""
    a, admin = device("worker1"), device("admin")
    hid = new_household(a)
    a.sync()
    yield a, admin, hid


# --- values the device refuses are refused by the server -----------------------------------------

@pytest.mark.parametrize(("name", "value", "reason"), [
    ("phone", "12345", "phone.invalid"),
    ("head_name", "王" * 500, "record.too_long"),
    ("head_name", "王1芳", "name.digit"),
    ("register_type", "nowhere", "record.not_in_list"),
    ("bank_account", "abc", "bank.format"),
    ("notes", "a\x00b", "record.bad_text"),
    ("archived", "yes", "record.bad_type"),
    ("org_code", "not-a-code!", "record.bad_org_code"),
])
def test_a_household_value_the_device_refuses_is_refused(pair: tuple[Device, Device, str], server: Server,
                                                         name: str, value: Any, reason: str) -> None:
    a, _, hid = pair
    before = server_fields(server, hid)
    (verdict,) = raw_push(a, set_op("household", hid, name, value))
    assert server_fields(server, hid) == before  # never applied
    assert (verdict.verdict, verdict.field) == ("rejected", name)
    assert verdict.reason is not None and verdict.reason.startswith(reason.split(".")[0]), verdict


def test_member_values_the_device_refuses(pair: tuple[Device, Device, str], server: Server) -> None:
    a, _, hid = pair
    base = {"org_code": GRID_A1, "household_id": hid, "name": "李四"}
    cases = [({"id_number": "abc"}, "id_number", "idnumber."), ({"id_number": "110105194912310021"}, "id_number",
             "idnumber.checksum"), ({"sex": "Q"}, "sex", "record.not_in_list"),
             ({"id_number": "11010519491231002X", "sex": "M"}, "sex", "idnumber.sex_mismatch")]
    for extra, name, reason in cases:
        row = create_op("member", {**base, **extra})
        (verdict,) = raw_push(a, row)
        assert server_fields(server, row.row_id) is None, extra  # never created
        assert (verdict.verdict, verdict.field) == ("rejected", name), (extra, verdict)
        assert verdict.reason is not None and verdict.reason.startswith(reason), (extra, verdict)
    (bad_id,) = raw_push(a, create_op("member", base, row_id="x"))
    assert (bad_id.verdict, bad_id.reason, bad_id.field) == ("rejected", "record.bad_id", "id")


def test_amounts_counts_and_states(pair: tuple[Device, Device, str], server: Server) -> None:
    a, _, hid = pair
    case = {"org_code": GRID_A1, "household_id": hid, "category": "dibao"}
    verdicts = raw_push(a, create_op("assistance_case", {**case, "monthly_amount": "-150.00"}),
                        create_op("assistance_case", {**case, "people_covered": -2}),
                        create_op("assistance_case", {**case, "status": "bogus_state"}),
                        create_op("assistance_case", {**case, "monthly_amount": "1e400"}))
    assert [v.verdict for v in verdicts] == ["rejected"] * 4
    assert [(v.verdict, v.reason, v.field) for v in verdicts] == [
        ("rejected", "amount.negative", "monthly_amount"), ("rejected", "record.negative", "people_covered"),
        ("rejected", "record.not_in_list", "status"), ("rejected", "amount.format", "monthly_amount")]


def test_years_before_1000_never_reach_a_device(pair: tuple[Device, Device, str], server: Server,
                                                tmp_path: Path) -> None:
    """A 0999 date was stored as '999-01-01…' and then broke ``caseapp export`` on every device in scope."""
    a, admin, hid = pair
    (created,) = raw_push(a, create_op("household", {"org_code": GRID_A1, "address": "一号",
                                                     "created_at": "0999-01-01T00:00:00Z"}))
    assert created.verdict == "applied"  # the server decides the stamp: the device's is no time at all
    elder_member = new_id()
    raw_push(a, create_op("member", {"org_code": GRID_A1, "household_id": hid, "name": "赵老"}, row_id=elder_member))
    elder = new_id()
    raw_push(a, create_op("elder_profile", {"org_code": GRID_A1, "household_id": hid, "member_id": elder_member},
                          row_id=elder))
    (visit,) = raw_push(a, create_op("care_visit", {"org_code": GRID_A1, "elder_id": elder,
                                                    "visited_at": "0999-01-01T00:00:00Z"}))
    assert (visit.verdict, visit.reason, visit.field) == ("rejected", "record.year_out_of_range", "visited_at")
    with server.db.read() as conn:
        stored = [json.loads(t)["created_at"] for t in conn.execute(select(schema.records.c.fields)).scalars()]
    assert all(s[:4] >= "2000" for s in stored), stored
    for dev in (a, admin):
        dev.sync()
        round_trips(dev.ws, tmp_path)


def test_nan_in_a_conflict_resolution_is_refused_and_pulls_stay_json(
        device: Callable[[str], Device], server: Server) -> None:
    a, b = device("worker1"), device("worker2")
    hid = new_household(a)
    a.sync()
    b.sync()
    for dev, phone in ((a, "13800000001"), (b, "13900000002")):
        with dev.ws.write() as s:
            records.update(s, records.get(s, Household, hid), {"phone": phone})
    a.sync()
    b.sync()
    with server.db.read() as conn:
        conflict_id = conn.execute(select(schema.conflicts.c.id)).scalar_one()
    client = b.client()
    body = (f'{{"ops":[{{"seq":777777,"entity":"conflict","row_id":"{conflict_id}","op":"resolve",'
            f'"field":"phone","value":NaN,"hlc":{pack(wall_ms())}}}]}}')
    answer = client.session.post(f"{server.url}{p.API_PREFIX}/push", data=body.encode(),
                                 headers={"Authorization": f"Bearer {client.token}",
                                          "Content-Type": "application/json"}, timeout=10)
    client.close()
    if answer.status_code == 200:
        (verdict,) = answer.json()["verdicts"]
        assert verdict["verdict"] == "rejected"
    else:
        assert answer.status_code == 422  # refused before it reaches the merge: as good
    page = requests.post(f"{server.url}{p.API_PREFIX}/pull", json={"cursor": ""}, timeout=10,
                         headers={"Authorization": f"Bearer {b.ws.get_setting('sync.token')}"})
    json.loads(page.content)  # strict JSON: a bare NaN would not parse
    assert "NaN" not in page.text


def test_the_device_refuses_an_org_code_the_server_would_refuse(device: Callable[[str], Device]) -> None:
    a = device("worker1")
    with a.ws.write() as s, pytest.raises(ValidationErrors) as refused:
        records.create(s, Household, {"org_code": "not-a-code!", "address": "一号"})
    assert [e.key for e in refused.value.errors] == ["record.bad_org_code"]


# --- workflows ------------------------------------------------------------------------------------

def test_workflow_moves_are_checked_on_the_server(pair: tuple[Device, Device, str], server: Server) -> None:
    a, _, hid = pair
    with a.ws.write() as s:
        case = records.create(s, AssistanceCase, {"org_code": GRID_A1, "household_id": hid, "category": "dibao"})
        case_id = case.id
    a.sync()
    verdicts = raw_push(a, set_op("assistance_case", case_id, "status", "active", base=None),  # 低保 cannot skip
                        set_op("assistance_case", case_id, "status", "bogus_state"),
                        set_op("assistance_case", case_id, "status", "verification"),
                        set_op("assistance_case", case_id, "status", "applied"))  # no move back
    assert [(v.verdict, v.reason) for v in verdicts] == [
        ("rejected", "workflow.fast_track_temporary_only"), ("rejected", "record.not_in_list"),
        ("applied", None), ("rejected", "workflow.illegal")]
    assert server_fields(server, case_id)["status"] == "verification"  # type: ignore[index]


def test_a_move_refused_on_the_server_stays_on_the_device_with_its_value(
        device: Callable[[str], Device], server: Server) -> None:
    """Two caseworkers move one case offline: the second move is illegal from the first's state."""
    a, b = device("worker1"), device("worker2")
    hid = new_household(a)
    with a.ws.write() as s:
        case_id = records.create(s, AssistanceCase, {"org_code": GRID_A1, "household_id": hid,
                                                      "category": "dibao"}).id
    a.sync()
    b.sync()
    with a.ws.write() as s:
        records.transition(s, records.get(s, AssistanceCase, case_id), "withdrawn")
    with b.ws.write() as s:
        records.transition(s, records.get(s, AssistanceCase, case_id), "verification")
    a.sync()
    b.sync()
    with b.ws.read() as s:
        refused = s.scalars(select(JournalEntry).where(JournalEntry.field == "status")).one()
    assert (refused.state, refused.reason, json.loads(refused.value)) == ("rejected", "workflow.illegal",
                                                                           "verification")
    with b.ws.read() as s:
        assert s.get(AssistanceCase, case_id).status == "withdrawn"  # type: ignore[union-attr]


# --- stamps and clocks ----------------------------------------------------------------------------

def test_a_fast_clock_cannot_store_the_future(device: Callable[[str], Device], server: Server,
                                             tmp_path: Path) -> None:
    """A device two days fast recorded visits two days ahead; afterwards no device could import its
    own export ('visit time is in the future'). The server clamps such times to its own clock."""
    a, admin = device("worker1"), device("admin")
    hid = new_household(a)
    with a.ws.write() as s:
        member = records.create(s, Member, {"org_code": GRID_A1, "household_id": hid, "name": "赵老"})
        elder = records.create(s, ElderProfile, {"org_code": GRID_A1, "household_id": hid, "member_id": member.id})
        elder_id = elder.id
    a.sync()
    ahead = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    visit = create_op("care_visit", {"org_code": GRID_A1, "elder_id": elder_id, "visited_at": format_datetime(ahead),
                                     "created_at": format_datetime(ahead)}, hlc=pack(wall_ms() + 2 * DAY_MS))
    (verdict,) = raw_push(a, visit)
    assert verdict.verdict == "applied" and verdict.clamped
    stored = server_fields(server, visit.row_id)
    assert stored is not None
    now = dt.datetime.now(dt.UTC)
    for name in ("visited_at", "created_at", "updated_at"):
        assert dt.datetime.fromisoformat(stored[name].replace("Z", "+00:00")) <= now, name
    (far,) = raw_push(a, create_op("care_visit", {"org_code": GRID_A1, "elder_id": elder_id,
                                                  "visited_at": "2999-01-01T00:00:00Z"}))
    assert (far.verdict, far.field) == ("rejected", "visited_at")
    for dev in (a, admin):
        dev.sync()
        with dev.ws.read() as s:
            assert s.get(CareVisit, visit.row_id) is not None
        round_trips(dev.ws, tmp_path)


def test_the_server_decides_author_and_creation_time(pair: tuple[Device, Device, str], server: Server) -> None:
    a, _, _ = pair
    row = create_op("household", {"org_code": GRID_A1, "address": "一号", "author": "someone-else",
                                  "updated_by": "someone-else", "device": "forged"})
    raw_push(a, row)
    stored = server_fields(server, row.row_id)
    assert stored is not None
    assert (stored["author"], stored["updated_by"], stored["device"]) == ("worker1", "worker1", a.ws.device_id)


# --- a newer client, an older server ---------------------------------------------------------------

def test_changes_to_fields_an_older_server_lacks_are_held_then_sent(
        device: Callable[[str], Device], server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """An upgraded client with a new field talking to an older server had every create rejected and
    nobody warned: now the changes wait on the device, say why, and go out once the server knows."""
    a = device("worker1")
    hid = new_household(a)
    a.sync()
    unknown = "poverty_reason"  # stands for a field added by a client upgrade the server has not had
    real = values.clean_wire

    def older(cls: Any, fields: Any, **kw: Any) -> Any:
        if cls.entity == "household" and unknown in fields:
            from caseapp.errors import ValidationError

            raise ValidationErrors([ValidationError("record.unknown_field", unknown, type="household",
                                                    name=unknown)])
        return real(cls, fields, **kw)

    monkeypatch.setattr(values, "clean_wire", older)
    monkeypatch.setitem(server_app.RECORD_FIELDS, "household",
                        [f for f in server_app.RECORD_FIELDS["household"] if f != unknown])
    with a.ws.write() as s:
        records.update(s, records.get(s, Household, hid), {unknown: "因病", "phone": "13800138000"})
        new = records.create(s, Household, {"org_code": GRID_A1, "address": "二号", unknown: "因残"})
    report = a.sync()
    assert report.push.held == 2 and report.push.rejected == 0
    with a.ws.read() as s:
        held = s.scalars(select(JournalEntry).where(JournalEntry.state == HELD)).all()
    assert {(e.op, e.field) for e in held} == {("set", unknown), ("create", None)}
    assert all(e.reason == "record.unknown_field_on_server" for e in held)
    assert household(a, hid).poverty_reason == "因病"  # type: ignore[union-attr]  # kept on the device
    assert server_fields(server, hid)["phone"] == "13800138000"  # type: ignore[index]  # the rest went on
    again = a.sync()  # still the older server: held, not refused, not lost
    assert outbox.held_count(a.ws) == 2 and again.push.rejected == 0
    monkeypatch.undo()  # the server is upgraded
    a.sync()
    assert outbox.held_count(a.ws) == 0
    assert server_fields(server, hid)[unknown] == "因病"  # type: ignore[index]
    assert server_fields(server, new.id)[unknown] == "因残"  # type: ignore[index]


def test_text_no_database_can_hold_is_refused_not_a_server_error(pair: tuple[Device, Device, str],
                                                                 server: Server) -> None:
    """A lone surrogate (valid JSON, not encodable as UTF-8) made the push a 500 (found by the
    round-trip property test)."""
    a, _, hid = pair
    body = ('{"ops":[{"seq":424242,"entity":"household","row_id":"%s","op":"set","field":"notes",'
            '"value":"a\\ud800b","hlc":%d}]}').replace("%s", hid).replace("%d", str(pack(wall_ms())))
    answer = requests.post(f"{server.url}{p.API_PREFIX}/push", data=body.encode("ascii"), timeout=10,
                           headers={"Authorization": f"Bearer {a.ws.get_setting('sync.token')}",
                                    "Content-Type": "application/json"})
    assert answer.status_code == 200, answer.text
    (verdict,) = answer.json()["verdicts"]
    assert (verdict["verdict"], verdict["reason"], verdict["field"]) == ("rejected", "record.bad_text", "notes")


def test_the_checks_across_records_the_device_refuses_are_refused(pair: tuple[Device, Device, str],
                                                                  server: Server) -> None:
    """A second open case of a category, or more people covered than the household's members (one,
    王芳), is refused on the server as on the device (caseapp.services.quality)."""
    a, _, hid = pair
    case = {"org_code": GRID_A1, "household_id": hid, "category": "dibao"}
    first = create_op("assistance_case", {**case, "people_covered": 1})
    second = create_op("assistance_case", case)
    medical = create_op("assistance_case", {**case, "category": "medical"})
    verdicts = raw_push(a, first, second, medical)
    assert [(v.verdict, v.reason, v.field) for v in verdicts] == [
        ("applied", None, None), ("rejected", "quality.two_open_cases", "category"), ("applied", None, None)]
    assert server_fields(server, second.row_id) is None
    (covered,) = raw_push(a, set_op("assistance_case", first.row_id, "people_covered", 3))
    assert (covered.verdict, covered.reason, covered.field) == ("rejected", "quality.covered_exceeds", "people_covered")
    assert covered.params == {"covered": 3, "members": 1}
    (recategorised,) = raw_push(a, set_op("assistance_case", medical.row_id, "category", "dibao"))
    assert (recategorised.verdict, recategorised.reason) == ("rejected", "quality.two_open_cases")
    fields = server_fields(server, first.row_id)
    assert fields is not None and fields["people_covered"] == 1
