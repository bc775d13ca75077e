"""Scope: a caseworker never receives or writes records outside their communities; records that
move out are removed from the device, records that move in arrive whole; scope changes re-pull."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from caseapp.domain import Household, Member
from caseapp.services import records
from caseapp.services.exchange import export_bytes
from caseapp.store.tables import JournalEntry
from sync.server import pull as server_pull
from sync.server.auth import prefixes_for

from .conftest import COMMUNITY_A, COMMUNITY_B, STREET, Device, Server
from .test_end_to_end import household, new_household


def count(dev: Device, cls: type[Household] | type[Member]) -> int:
    with dev.ws.read() as s:
        return s.scalar(select(func.count()).select_from(cls)) or 0


def server_ids(server: Server, role: str, scopes: list[str]) -> set[str]:
    from sync.server.auth import Principal

    who = Principal("x", role, "d", prefixes_for(role, scopes))
    with server.db.read() as conn:
        return {r.id for r in server_pull.scope_rows(conn, who)}


def local_ids(dev: Device) -> set[str]:
    with dev.ws.read() as s:
        return set(s.scalars(select(Household.id))) | set(s.scalars(select(Member.id)))


def test_caseworker_never_receives_or_writes_out_of_scope(device: Callable[[str], Device], server: Server) -> None:
    sup, w1, w3 = device("supervisor"), device("worker1"), device("worker3")
    in_a = new_household(sup, COMMUNITY_A + "01")
    in_b = new_household(sup, COMMUNITY_B + "01")
    sup.sync()
    w1.sync()
    w3.sync()
    assert household(w1, in_a) is not None and household(w1, in_b) is None
    assert household(w3, in_b) is not None and household(w3, in_a) is None
    assert local_ids(w1) == server_ids(server, "caseworker", [COMMUNITY_A])
    # worker3 tries to write into community A: refused per operation, kept visible, never applied.
    stray = new_household(w3, COMMUNITY_A + "02")
    ok = new_household(w3, COMMUNITY_B + "02")
    report = w3.sync()
    assert report.push.rejected == 2 and report.push.applied == 2  # household + member each
    with w3.ws.read() as s:
        rejected = s.scalars(select(JournalEntry).where(JournalEntry.row_id == stray)).all()
    assert [(e.state, e.reason) for e in rejected] == [("rejected", "sync.out_of_scope")]
    assert household(w3, stray) is None and household(w3, ok) is not None  # the device matches the server
    sup.sync()
    assert household(sup, stray) is None and household(sup, ok) is not None
    assert local_ids(w3) == server_ids(server, "caseworker", [COMMUNITY_B])


def test_household_moving_between_communities_leaves_and_arrives_whole(device: Callable[[str], Device],
                                                                        server: Server) -> None:
    sup, w1, w3 = device("supervisor"), device("worker1"), device("worker3")
    hid = new_household(sup, COMMUNITY_A + "01")
    sup.sync()
    w1.sync()
    w3.sync()
    assert count(w1, Member) == 1 and count(w3, Member) == 0
    with sup.ws.write() as s:
        records.move_household(s, records.get(s, Household, hid), COMMUNITY_B + "01")
    sup.sync()
    r1 = w1.sync()
    w3.sync()
    assert r1.removed == 2 and household(w1, hid) is None and count(w1, Member) == 0
    moved = household(w3, hid)
    assert moved is not None and moved.org_code == COMMUNITY_B + "01" and count(w3, Member) == 1
    assert local_ids(w3) == server_ids(server, "caseworker", [COMMUNITY_B])
    assert local_ids(w1) == server_ids(server, "caseworker", [COMMUNITY_A])


def test_scope_change_repulls_without_losing_the_outbox(device: Callable[[str], Device], server: Server) -> None:
    sup, w1 = device("supervisor"), device("worker1")
    in_a = new_household(sup, COMMUNITY_A + "01")
    in_b = new_household(sup, COMMUNITY_B + "01")
    sup.sync()
    w1.sync()
    mine = new_household(w1, COMMUNITY_A + "03")  # still pending when the scope changes
    server.set_scopes("worker1", [COMMUNITY_B, COMMUNITY_A + "03"])
    report = w1.sync()
    assert report.resynced
    assert household(w1, in_a) is None and household(w1, in_b) is not None and household(w1, mine) is not None
    assert local_ids(w1) == server_ids(server, "caseworker", [COMMUNITY_B, COMMUNITY_A + "03"])


def test_supervisor_sees_the_whole_street(device: Callable[[str], Device], server: Server) -> None:
    w1, w3, sup = device("worker1"), device("worker3"), device("supervisor")
    new_household(w1, COMMUNITY_A + "01")
    new_household(w3, COMMUNITY_B + "01")
    w1.sync()
    w3.sync()
    sup.sync()
    assert count(sup, Household) == 2
    assert local_ids(sup) == server_ids(server, "supervisor", [STREET + "999"])
    admin = device("admin")
    admin.sync()
    assert export_bytes(admin.ws) == export_bytes(sup.ws)


def test_reference_to_a_record_outside_the_scope_does_not_break_sync(device: Callable[[str], Device],
                                                                     server: Server) -> None:
    """A grid officer receives an event of their grid about a household in the next grid: the
    household stays out of reach, and the device keeps syncing (keys stay enforced for local edits)."""
    import datetime as dt

    from caseapp.domain import GridEvent

    server.add_user("grid1", "caseworker", [COMMUNITY_A + "01"])
    sup, officer = device("supervisor"), device("grid1")
    hid = new_household(sup, COMMUNITY_A + "02")
    with sup.ws.write() as s:
        records.create(s, GridEvent, {"org_code": COMMUNITY_A + "01", "title": "楼道堆放杂物", "category": "02",
                                      "occurred_at": dt.datetime.now(dt.UTC) - dt.timedelta(hours=1),
                                      "household_id": hid})
    sup.sync()
    officer.sync()
    officer.sync()
    with officer.ws.read() as s:
        assert s.scalar(select(func.count()).select_from(GridEvent)) == 1
        assert s.get(Household, hid) is None
    with officer.ws.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
