"""A device's own accepted writes are not pulled back to it (issue 13, slow link): the server marks
a change that is exactly the device's operation (``merge.echo``), the verdict says so, the device
takes the verdict's position and stamps, and its pull skips the record (``PullIn.own_through``).
Whatever the server did to a write on the way (a clamped clock, a colleague's edit of the same
record, a stamp of its own) still comes back, and a restored copy that lacks its own writes is sent
them. Real server on loopback, SQLite and PostgreSQL; the device ends as the server holds it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select, update

from caseapp.domain import Household, Member
from caseapp.services import records
from caseapp.store.hlc import pack, wall_ms
from caseapp.store.tables import JournalEntry
from caseapp.store.workspace import Workspace
from sync import outbox
from sync import protocol as p
from sync.errors import RefusedError
from sync.server import schema

from .conftest import COMMUNITY_A, COMMUNITY_B, PASSPHRASE, Device, Server
from .test_end_to_end import edit, household, new_household
from .test_own_writes import _same_as_server
from .test_search_after_pull import names_found

DAY_MS = 24 * 3600 * 1000
#: what the device does with a verdict, the same whichever database the server keeps: SQLite only
ONE_BACKEND = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def _synced_empty(dev: Device) -> None:
    """A device that has synced once already: its next pull starts from a cursor, not the start."""
    dev.sync()


def test_own_creates_and_edits_are_not_pulled_back(device: Callable[[str], Device], server: Server) -> None:
    a = device("worker1")
    _synced_empty(a)
    hids = [new_household(a) for _ in range(3)]
    report = a.sync()
    assert report.push.applied == 6 and report.pulled == 0
    edit(a, hids[0], phone="13800000001")
    edit(a, hids[1], notes="独居老人")
    report = a.sync()
    assert report.push.applied == 2 and report.pulled == 0
    _same_as_server(a, "worker1")  # stamps and all
    with a.ws.read() as s:
        positions = {row.id: row.server_pos for row in s.execute(select(Household.id, Household.server_pos))}
        assert all(positions[h] for h in hids)
        assert s.scalar(select(Member.server_pos).where(Member.household_id == hids[2]))
    with server.db.read() as conn:
        echoes = conn.execute(select(schema.changes.c.echo_device).where(
            schema.changes.c.row_id.in_(hids))).scalars().all()
        assert echoes == [a.ws.device_id] * 5
    again = a.sync()  # the device's count of what it holds agrees: no re-pull of the scope
    assert not again.resynced and again.pulled == 0
    b = device("worker2")
    b.sync()
    assert household(b, hids[0]).phone == "13800000001"  # type: ignore[union-attr]  # others get them


def test_a_colleagues_edit_of_the_same_record_still_arrives(device: Callable[[str], Device]) -> None:
    a, b = device("worker1"), device("worker2")
    hid = new_household(a)
    a.sync()
    b.sync()
    edit(a, hid, phone="13800000001")
    edit(b, hid, notes="邻居反映")
    b.sync()
    report = a.sync()
    assert report.pulled == 1  # b's change of the record a also changed
    assert household(a, hid).notes == "邻居反映"  # type: ignore[union-attr]
    _same_as_server(a, "worker1")
    b.sync()
    _same_as_server(b, "worker2")


@ONE_BACKEND
def test_an_edit_whose_clock_the_server_brought_back_is_sent_back(device: Callable[[str], Device]) -> None:
    a = device("worker1")
    hid = new_household(a)
    a.sync()
    edit(a, hid, phone="13800000001")
    with a.ws.write_engine.begin() as conn:  # a laptop whose clock ran ten days ahead when it was typed
        conn.execute(update(JournalEntry).where(JournalEntry.state == "pending")
                     .values(hlc=pack(wall_ms() + 10 * DAY_MS)))
    report = a.sync()
    assert report.push.clamped == 1 and report.pulled == 1
    _same_as_server(a, "worker1")


@ONE_BACKEND
def test_a_server_stamped_step_is_sent_back(device: Callable[[str], Device]) -> None:
    """A member moved to another household takes the server's placement of it: a move is no echo."""
    a = device("worker1")
    first, second = new_household(a), new_household(a)
    a.sync()
    with a.ws.write() as s:
        member = s.scalars(select(Member).where(Member.household_id == first)).one()
        records.update(s, member, {"household_id": second})
    report = a.sync()
    assert report.push.applied == 1
    _same_as_server(a, "worker1")


def test_a_restored_copy_is_sent_the_writes_it_lacks(device: Callable[[str], Device], server: Server,
                                                     tmp_path: Path) -> None:
    a = device("worker1")
    hid = new_household(a)
    a.sync()
    backup = tmp_path / "w1-copy"
    shutil.copytree(a.ws.path, backup)
    edit(a, hid, phone="13800000001")
    later = new_household(a, head_name="李强")
    assert a.sync().pulled == 0
    a.ws.close()
    restored = Workspace.open(backup, PASSPHRASE)
    copy = Device(restored, server)
    try:
        report = copy.sync()  # nothing new typed on the copy: a pull only, as the original's device
        assert report.pulled == 3
        assert household(copy, hid).phone == "13800000001"  # type: ignore[union-attr]
        assert household(copy, later) is not None
        _same_as_server(copy, "worker1")
    finally:
        restored.close()


@ONE_BACKEND
def test_a_replayed_batch_still_says_echo(device: Callable[[str], Device]) -> None:
    """A push whose answer was lost is answered again from the ledger, echo and all."""
    a = device("worker1")
    new_household(a)
    entries = outbox.pending(a.ws, 100)
    ops = [outbox.to_op(e) for e in entries]
    client = a.client()
    try:
        first = client.push(ops, [])
        again = client.push(ops, [])
    finally:
        client.close()
    assert [v.echo for v in first.verdicts] == [True, True]
    assert [v.model_dump() for v in again.verdicts] == [v.model_dump() for v in first.verdicts]


@ONE_BACKEND
def test_own_through_past_what_the_device_holds_hides_only_its_own(device: Callable[[str], Device]) -> None:
    """A device that claims verdicts it has not taken misses only its own writes, never anyone
    else's: the claim is about its own operations, and only its own echoes are skipped."""
    a, b = device("worker1"), device("worker2")
    _synced_empty(a)
    hid = new_household(b)
    b.sync()
    cursor = a.ws.get_setting("sync.cursor", "")
    client = a.client()
    try:
        page = client.pull(str(cursor), p.DEFAULT_PAGE, [], own_through=(1 << 62) - 1)
    finally:
        client.close()
    assert {r.id for r in page.rows} >= {hid}


def test_a_first_sync_pulls_none_of_its_own_work_back(device: Callable[[str], Device]) -> None:
    """A ledger typed in (or imported) before the laptop ever synced: pushed once, not pulled back."""
    a = device("worker1")
    hids = [new_household(a) for _ in range(3)]
    report = a.sync()
    assert report.push.applied == 6 and report.pulled == 0 and not report.resynced
    _same_as_server(a, "worker1")
    assert all(household(a, h) is not None for h in hids)
    # nothing came, so the search index the saves kept needs no rebuild, and finds them
    assert a.ws.get_setting("search.stale") is not True
    assert sorted(names_found(a, "王芳")) == sorted(hids)


def test_a_re_pull_of_the_scope_is_sent_everything_and_keeps_it(device: Callable[[str], Device],
                                                                 server: Server) -> None:
    """A scope change refuses the cursor: the device marks every record to be sent again and removes
    those that are not, so its own must be sent too."""
    a = device("worker1")
    hids = [new_household(a) for _ in range(2)]
    a.sync()
    server.set_scopes("worker1", [COMMUNITY_A, COMMUNITY_B])
    report = a.sync()
    assert report.resynced and report.pulled == 4 and report.removed == 0
    assert all(household(a, h) is not None for h in hids)
    _same_as_server(a, "worker1")


@ONE_BACKEND
def test_a_first_sync_indexes_the_few_records_it_is_sent_back(device: Callable[[str], Device]) -> None:
    """What the server made of a ledger (a clock brought back) comes back on the first sync: a few
    records, indexed as they arrive, not a rebuild of every household's search keys."""
    a = device("worker1")
    hids = [new_household(a) for _ in range(3)]
    with a.ws.write_engine.begin() as conn:
        first = conn.execute(select(JournalEntry.seq).where(JournalEntry.row_id == hids[0])).scalar_one()
        conn.execute(update(JournalEntry).where(JournalEntry.seq == first).values(hlc=pack(wall_ms() + 10 * DAY_MS)))
    report = a.sync()
    assert report.push.clamped == 1 and report.pulled == 1
    assert a.ws.get_setting("search.stale") is not True
    assert sorted(names_found(a, "王芳")) == sorted(hids)
    _same_as_server(a, "worker1")


@ONE_BACKEND
@pytest.mark.parametrize("claim", [-1, 1 << 62, "all", 1.5])
def test_an_own_through_no_device_sends_is_refused_in_one_line(device: Callable[[str], Device], claim: object) -> None:
    """A hostile pull's claim is refused as a bad request (one message key), and moves no cursor."""
    a = device("worker1")
    _synced_empty(a)
    cursor = str(a.ws.get_setting("sync.cursor", ""))
    client = a.client()
    try:
        with pytest.raises(RefusedError) as refused:
            client._json("POST", "/pull", {"cursor": cursor, "limit": 10, "own_through": claim})
    finally:
        client.close()
    assert 400 <= refused.value.status < 500 and refused.value.key.startswith("sync.")
    assert a.ws.get_setting("sync.cursor", "") == cursor


def test_the_same_batch_pushed_twice_at_once_is_applied_once_and_answered_alike(
        device: Callable[[str], Device], server: Server) -> None:
    """Two syncs of one workspace racing (a retry overlapping the first try): the push lock makes one
    of them the replay, with the same verdicts, echoes and positions, and one change per operation."""
    from concurrent.futures import ThreadPoolExecutor

    a = device("worker1")
    for _ in range(20):
        new_household(a)
    ops = [outbox.to_op(e) for e in outbox.pending(a.ws, 100)]
    clients = [a.client(), a.client()]
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            answers = list(pool.map(lambda c: c.push(ops, []), clients))
    finally:
        for c in clients:
            c.close()
    first, second = ([v.model_dump() for v in answer.verdicts] for answer in answers)
    assert first == second and all(v["echo"] for v in first)
    with server.db.read() as conn:
        logged = conn.execute(select(schema.changes.c.echo_seq).where(
            schema.changes.c.echo_device == a.ws.device_id)).scalars().all()
    assert sorted(logged) == sorted(o.seq for o in ops)
