"""After a sync a device holds the server's version of what it edited, stamps and all.

Two ways the convergence fuzz found for a device to keep its own ``updated_at`` forever: a pull
that also re-fetched a record of another type under the same id answered the real record's change
as that other record's removal (so the change never arrived), and a pull that brought a version
while the device's own edit of it waited in the outbox (so the device kept its stamps over the
server's) followed by a push of a value the server already held (so no newer version came)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import insert, select

from caseapp.domain import Household
from caseapp.domain.codec import dumps
from caseapp.ids import new_id
from caseapp.services import records
from caseapp.services.exchange import export_bytes
from caseapp.store.tables import ConflictRecord, JournalEntry
from sync import protocol as p
from sync import run
from sync.server import pull
from sync.server.auth import Principal

from .conftest import GRID_A1, Device
from .test_convergence import server_lines


def _household(dev: Device) -> str:
    with dev.ws.write() as s:
        h = records.create(s, Household, {"org_code": GRID_A1, "address": "江南大道中 8 号", "head_name": "欧阳明"})
        return h.id


def _edit(dev: Device, hid: str, **values: Any) -> None:
    with dev.ws.write() as s:
        records.update(s, records.get(s, Household, hid), values)


def _same_as_server(dev: Device, user: str) -> None:
    assert export_bytes(dev.ws).decode("utf-8").splitlines() == server_lines(dev.server, user)


def test_a_refetch_under_another_type_does_not_hide_the_records_change(device: Callable[[str], Device]) -> None:
    one = device("worker1")
    hid = _household(one)
    one.sync()
    # A broken device's outbox: a case "edit" that names the household's id. The server refuses
    # it, and the device asks for "assistance_case <id>" again in the same pull that brings the
    # household's real change.
    with one.ws.engine.begin() as conn:
        conn.execute(insert(JournalEntry).values(
            tx_id=new_id(), entity="assistance_case", row_id=hid, op="set", field="status",
            value=dumps("approved"), base_pos=None, hlc=one.ws.clock.tick(), device_id=one.ws.device_id,
            author="worker1", schema_version=one.ws.schema_version, state="pending"))
    _edit(one, hid, notes="独居")
    one.sync()
    _same_as_server(one, "worker1")
    with one.ws.read() as s:
        assert records.get(s, Household, hid).notes == "独居"


def test_the_server_answers_each_asked_type_apart(device: Callable[[str], Device]) -> None:
    one = device("worker1")
    hid = _household(one)
    one.sync()
    who = Principal("worker1", "caseworker", one.ws.device_id, (GRID_A1[:12],))
    with one.server.db.read() as conn:
        page = pull.pull(conn, who, p.PullIn(cursor="", limit=100,
                                              refetch=[p.RecordRef(entity="assistance_case", id=hid)]))
    assert [(e, i) for e, i, *_ in page.rows] == [("household", hid)]
    assert page.removals == [("assistance_case", hid)]


def test_removing_another_type_keeps_the_records_conflicts(device: Callable[[str], Device]) -> None:
    one, two = device("worker1"), device("worker2")
    hid = _household(one)
    one.sync()
    two.sync()
    _edit(one, hid, phone="13800000001")
    _edit(two, hid, phone="13900000002")
    one.sync()
    two.sync()
    one.sync()
    with one.ws.read() as s:
        assert s.scalars(select(ConflictRecord.row_id)).all() == [hid]
    with one.ws.engine.begin() as conn:
        conn.execute(insert(JournalEntry).values(
            tx_id=new_id(), entity="assistance_case", row_id=hid, op="set", field="status",
            value=dumps("approved"), base_pos=None, hlc=one.ws.clock.tick(), device_id=one.ws.device_id,
            author="worker1", schema_version=one.ws.schema_version, state="pending"))
    one.sync()
    with one.ws.read() as s:
        assert s.scalars(select(ConflictRecord.row_id)).all() == [hid]
    _same_as_server(one, "worker1")


def test_an_edit_pulled_over_then_pushed_unchanged_gets_the_servers_stamps(
        device: Callable[[str], Device]) -> None:
    one, two = device("worker1"), device("worker2")
    hid = _household(one)
    one.sync()
    two.sync()
    _edit(two, hid, notes="独居")  # typed on two, still in its outbox...
    _edit(one, hid, notes="独居")  # ...while one sets the same value and syncs first
    one.sync()
    client = two.client()
    try:  # two pulls while its edit waits (as when a person types during a sync's pull)
        run.pull(two.ws, client, run.SyncReport(), lambda *_: None, p.DEFAULT_PAGE)
    finally:
        client.close()
    two.sync()
    _same_as_server(two, "worker2")
    with two.ws.read() as s:
        assert s.scalars(select(JournalEntry.state)).all() == ["applied"]
