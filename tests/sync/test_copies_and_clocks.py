"""Work done on a restored copy of a workspace, or on a laptop whose clock is days off, is never
lost or silently outvoted (issue 9, "Work silently lost"). Real server on loopback, SQLite and
PostgreSQL; real encrypted workspaces, copied as `cp -a` copies them.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from caseapp.domain import Household
from caseapp.services import records
from caseapp.store.hlc import wall_ms
from caseapp.store.workspace import Workspace
from sync.server import schema, trails

from .conftest import PASSPHRASE, Device, Server
from .test_end_to_end import edit, household, new_household

DAY_MS = 24 * 3600 * 1000


def on_server(server: Server, row_id: str) -> dict[str, object]:
    import json

    with server.db.read() as conn:
        return json.loads(conn.execute(select(schema.records.c.fields).where(schema.records.c.id == row_id))
                          .scalar_one())


def test_a_workspace_restored_from_a_folder_copy_loses_nothing(device: Callable[[str], Device], server: Server,
                                                               tmp_path: Path) -> None:
    """cp -a w1 w1-copy; edit and sync w1; replace w1 by the copy; edit another household; sync. The
    server used to answer the copy's new edits with the stored verdicts of the original's, and the
    edits existed nowhere ("pushed 5 (conflicts 0, rejected 0)")."""
    a = device("worker1")
    first, second = new_household(a), new_household(a)
    a.sync()
    backup = tmp_path / "w1-copy"
    shutil.copytree(a.ws.path, backup)  # the folder copy a backup tool or a re-imaged laptop makes
    edit(a, first, phone="13800000001")
    a.sync()
    original_device = a.ws.device_id
    a.ws.close()
    restored = Workspace.open(backup, PASSPHRASE)
    copy = Device(restored, server)
    try:
        edit(copy, second, phone="13900000002", notes="恢复备份后的修改")
        report = copy.sync()
        assert on_server(server, second)["phone"] == "13900000002"  # the copy's edit reached the server
        assert on_server(server, second)["notes"] == "恢复备份后的修改"
        assert getattr(report, "forked", False) and report.push.rejected == 0
        assert restored.device_id != original_device  # a device of its own from now on
        assert on_server(server, first)["phone"] == "13800000001"  # and the original's is still there
        assert household(copy, first).phone == "13800000001"  # type: ignore[union-attr]
        edit(copy, second, phone="13700000003")  # and it goes on syncing as itself
        again = copy.sync()
        assert not again.forked and on_server(server, second)["phone"] == "13700000003"
        with server.db.read() as conn:
            summaries = {s.device_id: s for s in trails.verify(conn)}
            assert summaries[restored.device_id].broken == 0  # its trail carries on from the shared part
            assert summaries[original_device].broken == 0
    finally:
        restored.close()


def test_the_original_and_its_copy_both_go_on(device: Callable[[str], Device], server: Server,
                                              tmp_path: Path) -> None:
    """The folder copied onto a second laptop: both laptops keep working, neither's edits are lost."""
    a = device("worker1")
    hid = new_household(a)
    a.sync()
    shutil.copytree(a.ws.path, tmp_path / "laptop-2")
    edit(a, hid, notes="一号机")
    a.sync()
    second = Device(Workspace.open(tmp_path / "laptop-2", PASSPHRASE), server)
    try:
        with second.ws.write() as s:
            other = records.create(s, Household, {"org_code": "44010500100101", "address": "二号机新登记"})
        second.sync()
        assert household(a, other.id) is None and on_server(server, other.id)["address"] == "二号机新登记"
        edit(a, hid, phone="13800000001")
        assert not getattr(a.sync(), "forked", False)  # the original keeps its id
        second.sync()
        assert household(second, hid).phone == "13800000001"  # type: ignore[union-attr]
        assert household(a, other.id) is not None
    finally:
        second.ws.close()


def test_a_slow_clock_stays_corrected_after_a_restart(device: Callable[[str], Device], tmp_path: Path) -> None:
    """A laptop two days slow kept losing same-field races even after it had synced: the server clock
    it observed was kept only in memory, so the next process started from its own clock again."""
    a, b = device("worker1"), device("worker2")
    hid = new_household(a)
    a.sync()
    b.sync()

    def slow() -> int:
        return wall_ms() - 2 * DAY_MS

    b.ws.clock._now = slow
    b.sync()  # sees the server's clock
    path = b.ws.path
    b.ws.close()
    b.ws = Workspace.open(path, PASSPHRASE)  # the next day: a new process, the same slow clock
    b.ws.clock._now = slow
    edit(a, hid, phone="13800000001")  # offline on both, a first...
    time.sleep(0.01)
    edit(b, hid, phone="13900000002")  # ...then b, later in real time
    a.sync()
    report = b.sync()
    a.sync()
    assert report.push.conflicts == 1
    assert household(a, hid).phone == "13900000002"  # type: ignore[union-attr]  # the later edit wins


def test_reimporting_an_older_export_keeps_a_colleagues_newer_edits(device: Callable[[str], Device],
                                                                     server: Server) -> None:
    """It used to revert 5 of 5 newer accepted edits with no conflict."""
    from caseapp.services import exchange

    a, b = device("worker1"), device("worker2")
    homes = [new_household(a) for _ in range(5)]
    a.sync()
    b.sync()
    old = exchange.export_bytes(a.ws)
    for n, hid in enumerate(homes):
        edit(b, hid, phone=f"1390000000{n}")
    b.sync()
    a.sync()
    summary = exchange.import_rows(a.ws, exchange.parse(old.decode("utf-8").splitlines()))
    assert summary.kept_newer == 5 and summary.updated == 0
    a.sync()
    assert [on_server(server, hid)["phone"] for hid in homes] == [f"1390000000{n}" for n in range(5)]
