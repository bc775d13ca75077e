"""End to end: real uvicorn server on loopback (SQLite and PostgreSQL), real encrypted workspaces."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from caseapp.domain import Household, Member
from caseapp.errors import ValidationErrors
from caseapp.services import records
from caseapp.services.exchange import export_bytes
from caseapp.store.tables import AuditEntry, ConflictRecord, JournalEntry
from sync import conflicts, run
from sync.errors import RevokedError, TooOldError
from sync.server.app import ServerConfig

from .conftest import COMMUNITY_A, GRID_A1, GRID_A2, Device, Server


def new_household(dev: Device, org: str = GRID_A1, **fields: Any) -> str:
    with dev.ws.write() as s:
        h = records.create(s, Household, {"org_code": org, "address": "海珠区滨江东路 1 号", "head_name": "王芳",
                                          **fields})
        records.create(s, Member, {"org_code": org, "household_id": h.id, "name": "王芳"})
        return h.id


def edit(dev: Device, row_id: str, **fields: Any) -> None:
    with dev.ws.write() as s:
        records.update(s, records.get(s, Household, row_id), fields)


def household(dev: Device, row_id: str) -> Household | None:
    with dev.ws.read() as s:
        return s.get(Household, row_id)


def outbox_states(dev: Device) -> list[str]:
    with dev.ws.read() as s:
        return list(s.scalars(select(JournalEntry.state).order_by(JournalEntry.seq)))


def test_two_devices_converge_with_conflict_listed_and_resolvable(device: Callable[[str], Device]) -> None:
    a, b = device("worker1"), device("worker2")
    hid = new_household(a)
    a.sync()
    b.sync()
    assert household(b, hid) is not None
    # Offline on both laptops: the same field differently, and one different field each.
    edit(a, hid, phone="13800000001", head_name="王芳芳")
    edit(b, hid, phone="13900000002", address="海珠区滨江东路 2 号")
    ra = a.sync()
    rb = b.sync()
    a.sync()
    assert ra.push.conflicts == 0 and rb.push.conflicts == 1
    assert export_bytes(a.ws) == export_bytes(b.ws)
    final = household(a, hid)
    assert final is not None
    assert final.head_name == "王芳芳" and final.address == "海珠区滨江东路 2 号"  # both different-field edits survive
    listed_a, listed_b = conflicts.list_open(a.ws), conflicts.list_open(b.ws)
    assert [c.id for c in listed_a] == [c.id for c in listed_b] and len(listed_a) == 1
    c = listed_a[0]
    assert c.field == "phone" and {c.winner, c.loser} == {"13800000001", "13900000002"}
    assert c.current == c.winner and {c.winner_author, c.loser_author} == {"worker1", "worker2"}
    # The person on B keeps B's own value; that is an ordinary edit, and it closes the conflict everywhere.
    conflicts.resolve(b.ws, c.id, keep="mine")
    b.sync()
    a.sync()
    assert household(a, hid).phone == "13900000002"  # type: ignore[union-attr]
    assert conflicts.list_open(a.ws) == [] and conflicts.list_open(b.ws) == []
    assert export_bytes(a.ws) == export_bytes(b.ws)
    with a.ws.read() as s:
        assert s.scalars(select(ConflictRecord.status)).all() == ["resolved"]


def test_archive_racing_an_edit_is_a_conflict(device: Callable[[str], Device]) -> None:
    a, b = device("worker1"), device("worker2")
    hid = new_household(a)
    a.sync()
    b.sync()
    edit(a, hid, notes="搬家了，新地址待核实")
    with b.ws.write() as s:
        records.archive(s, records.get(s, Household, hid))
    a.sync()
    report = b.sync()
    a.sync()
    assert report.push.conflicts == 1
    assert export_bytes(a.ws) == export_bytes(b.ws)
    final = household(a, hid)
    assert final is not None and final.archived and final.notes == "搬家了，新地址待核实"
    (c,) = conflicts.list_open(a.ws)
    assert c.field == "archived" and c.winner is True and c.loser is False


def test_revoked_device_is_refused_at_once(device: Callable[[str], Device], server: Server) -> None:
    a = device("worker1")
    new_household(a)
    a.sync()
    server.revoke(a.ws.device_id)
    new_household(a)
    with pytest.raises(RevokedError):
        a.sync()
    assert [st for st in outbox_states(a) if st in ("pending", "sent")] == ["sent", "sent"]  # still queued
    # Logging in again does not bring a revoked device back.
    with pytest.raises(RevokedError):
        run.login(a.ws, server.url, "worker1", "s3cret-password")


def test_too_old_client_keeps_its_outbox(device: Callable[[str], Device], server: Server) -> None:
    a = device("worker1")
    new_household(a)
    server.restart(ServerConfig(min_schema=a.ws.schema_version + 1))
    with pytest.raises(TooOldError):
        a.sync()
    assert set(outbox_states(a)) <= {"pending", "sent"}
    server.restart(ServerConfig())  # "after the upgrade"
    a.sync()
    assert set(outbox_states(a)) == {"applied"}


def test_interrupted_pull_resumes_where_it_stopped(device: Callable[[str], Device]) -> None:
    a, b = device("worker1"), device("worker2")
    for _ in range(12):
        new_household(a)
    a.sync()

    class Stop(Exception):
        pass

    def stop_after_two_pages(stage: str, done: int, total: int) -> None:
        assert stage != "pull" or total == 24
        if stage == "pull" and done >= 10:
            raise Stop

    with pytest.raises(Stop):
        b.sync(page_size=5, progress=stop_after_two_pages)
    partial = b.ws.get_setting("sync.cursor")
    assert partial
    report = b.sync(page_size=5)
    assert report.pulled == 24 - 10  # only what the interrupted run had not committed
    assert export_bytes(a.ws) == export_bytes(b.ws)


def test_different_devices_different_fields_no_conflict(device: Callable[[str], Device]) -> None:
    a, b = device("worker1"), device("supervisor")
    hid = new_household(a)
    a.sync()
    b.sync()
    edit(a, hid, phone="13800000001")
    edit(b, hid, poverty_reason="因病")
    a.sync()
    b.sync()
    a.sync()
    assert conflicts.list_open(a.ws) == []
    h = household(a, hid)
    assert h is not None and h.phone == "13800000001" and h.poverty_reason == "因病"
    assert export_bytes(a.ws) == export_bytes(b.ws)


def test_scope_of_community_is_respected(device: Callable[[str], Device]) -> None:
    assert GRID_A1.startswith(COMMUNITY_A)


def test_pull_keeps_local_values_still_in_the_outbox(device: Callable[[str], Device]) -> None:
    a, b = device("worker1"), device("worker2")
    hid = new_household(a)
    a.sync()
    b.sync()
    edit(b, hid, address="新地址", phone="13900000002")
    b.sync()
    edit(a, hid, phone="13800000001")  # not pushed yet
    client = a.client()
    run.pull(a.ws, client, run.SyncReport(), lambda stage, done, total: None, 100)  # pull only
    client.close()
    h = household(a, hid)
    assert h is not None and h.address == "新地址" and h.phone == "13800000001"
    assert outbox_states(a)[-1] == "pending"
    a.sync()  # now the edit is pushed: a same-field conflict, listed, nothing lost
    b.sync()
    assert export_bytes(a.ws) == export_bytes(b.ws)
    (c,) = conflicts.list_open(b.ws)
    assert {c.winner, c.loser} == {"13800000001", "13900000002"}


def test_same_org_unit_code_from_two_devices_converges(device: Callable[[str], Device]) -> None:
    """Org unit codes are unique on every workspace: the server refuses a second record with a
    code it already holds, and the device that made it gives way to the server's record instead
    of failing every later sync on the unique index. (The units live under their community, so a
    code can change within it: a unit belongs to itself or a unit above it.)"""
    from caseapp.domain import OrgUnit

    a, b = device("worker1"), device("worker2")
    for dev, name in ((a, "一网格"), (b, "第一网格")):
        with dev.ws.write() as s:
            records.create(s, OrgUnit, {"org_code": COMMUNITY_A, "code": GRID_A1, "name": name, "level": "grid",
                                        "parent_code": COMMUNITY_A})
    a.sync()
    report = b.sync()
    assert report.push.rejected == 1
    with b.ws.read() as s:
        units = s.scalars(select(OrgUnit)).all()
        reasons = list(s.scalars(select(JournalEntry.reason).where(JournalEntry.entity == "org_unit")))
    assert [(u.code, u.name) for u in units] == [(GRID_A1, "一网格")]
    assert reasons == ["sync.duplicate_value"]  # the refused create stays visible in the outbox
    a.sync()
    assert export_bytes(a.ws) == export_bytes(b.ws)
    # A code another unit holds is refused on the device, with the field named ...
    with b.ws.write() as s, pytest.raises(ValidationErrors) as refused:
        records.create(s, OrgUnit, {"org_code": COMMUNITY_A, "code": GRID_A1, "name": "重复", "level": "grid"})
    assert [(e.key, e.field) for e in refused.value.errors] == [("record.duplicate", "code")]
    # ... and by the server when the other unit is not on this device yet.
    with a.ws.write() as s:
        records.create(s, OrgUnit, {"org_code": COMMUNITY_A, "code": GRID_A2, "name": "二网格", "level": "grid",
                                    "parent_code": COMMUNITY_A})
    with b.ws.write() as s:
        records.update(s, s.scalars(select(OrgUnit)).one(), {"code": GRID_A2})
    a.sync()
    assert b.sync().push.rejected == 1
    a.sync()
    assert export_bytes(a.ws) == export_bytes(b.ws)
    with b.ws.read() as s:
        assert sorted(s.scalars(select(OrgUnit.code))) == [GRID_A1, GRID_A2]


def test_audit_trail_is_shipped_and_a_trail_cut_on_the_device_shows(
        device: Callable[[str], Device], server: Server, capsys: pytest.CaptureFixture[str]) -> None:
    from caseapp.services.status import workspace_status
    from sync.server import schema
    from sync.server.cli import main as server_cli

    a = device("worker1")
    hid = new_household(a)
    edit(a, hid, phone="13800138000")
    assert workspace_status(a.ws)["audit_unsent"] >= 3  # household, member, the edit: only on this laptop
    a.sync()
    assert workspace_status(a.ws)["audit_unsent"] == 0  # the whole trail is on the server
    a.sync()  # anything the first sync's pull added goes with the next push
    t = schema.device_audit.c
    with server.db.read() as conn:
        shipped = conn.execute(select(t.seq, t.hash, t.intact).where(t.device_id == a.ws.device_id)
                               .order_by(t.seq)).all()
    with a.ws.read() as s:
        local = [(e.id, e.hash) for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert len(shipped) >= 3 and all(r.intact for r in shipped)  # household, member, the edit
    assert [(r.seq, r.hash) for r in shipped] == local[:len(shipped)]
    db_url = server.db.engine.url.render_as_string(hide_password=False)
    assert server_cli(["--db", db_url, "audit", "verify"]) == 0
    capsys.readouterr()
    assert server_cli(["--db", db_url, "audit", "record", hid]) == 0
    history = capsys.readouterr().out
    assert "create" in history and "update" in history and "13800138000" in history

    # Someone cuts the last entry from the device's trail and mends its chain head: the device's
    # own check passes, but the next entries no longer link to what the server holds.
    with a.ws.engine.begin() as conn:
        last, previous = conn.execute(select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc())
                                      .limit(2)).all()
        conn.exec_driver_sql("DELETE FROM audit WHERE id = ?", (last.id,))
        conn.exec_driver_sql("UPDATE device_state SET audit_head = ?, audit_count = ?", (previous.hash, previous.id))
    edit(a, hid, phone="13900139000")
    edit(a, hid, notes="再次回访")
    a.sync()
    capsys.readouterr()
    assert server_cli(["--db", db_url, "audit", "verify"]) == 1
    assert "not intact" in capsys.readouterr().out
