"""(g) Laptops whose clocks are two days off, across process restarts (every command a new process,
its clock offset by tests/faults/fault_cli.py): a slow laptop that has synced stamps its next edits
after the server time it saw, even in a new process; a fast one is clamped to the server's clock
and says so, and everyone converges."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from caseapp.domain.types import format_datetime
from sync import protocol as p
from sync.server import schema
from tests.sync.conftest import GRID_A1, Server

from . import tally
from .checks import replica_differences, server_conflicts, server_record
from .devices import CliDevice, make_device
from .marks import SQLITE_THEN_POSTGRES_LONG

DAY_MS = 24 * 3600 * 1000


def skewed(days: int) -> dict[str, str]:
    return {"FAULTS_CLOCK_OFFSET_MS": str(days * DAY_MS)}


def run_skewed(dev: CliDevice, days: int, *args: str) -> None:
    done = dev.run(*args, env=skewed(days), wrapped=True)
    assert done.rc == 0, done


@SQLITE_THEN_POSTGRES_LONG
def test_slow_laptop_that_synced_wins_the_race_it_entered_last(backend: str, server: Server, tmp_path: Path) -> None:
    sup = make_device(tmp_path, "supervisor", server.url)
    hid = sup.new_household(GRID_A1)
    sup.in_process_sync()
    on_time = make_device(tmp_path, "worker2", server.url, name="ws-on-time")
    slow = make_device(tmp_path, "worker1", server.url, name="ws-slow")
    on_time.in_process_sync()
    on_time.edit(hid, notes="准时的电脑先写的")  # offline, now
    run_skewed(slow, -2, "sync")  # the slow laptop sees the server's clock, later than that edit
    run_skewed(slow, -2, "edit", hid, "notes=慢两天的电脑后写的")  # a new process, later still
    run_skewed(slow, -2, "sync")
    assert on_time.sync().rc == 0  # the earlier edit arrives second: the two raced
    (conflict,) = [c for c in server_conflicts(server.db) if c["row_id"] == hid]
    tally.record("clock skew ±2 days", conflicts=1)
    assert (server_record(server.db, hid) or {}).get("notes") == "慢两天的电脑后写的", (
        f"the edit made last lost: stamps {conflict['winner_hlc']} (winner) vs {conflict['loser_hlc']}")


@pytest.mark.faults_long  # in CI, test_protocol.py covers clamping in-process
def test_fast_laptop_is_clamped_and_everyone_converges(backend: str, server: Server, tmp_path: Path) -> None:
    sup = make_device(tmp_path, "supervisor", server.url)
    hid = sup.new_household(GRID_A1)
    sup.in_process_sync()
    fast = make_device(tmp_path, "worker1", server.url, name="ws-fast")
    on_time = make_device(tmp_path, "worker2", server.url, name="ws-on-time")
    run_skewed(fast, 2, "sync")
    run_skewed(fast, 2, "edit", hid, "notes=快两天的电脑写的")
    clamped = fast.run("sync", env=skewed(2), wrapped=True)
    assert clamped.rc == 0 and "more than 5 minutes ahead" in clamped.out, clamped
    with fast.workspace() as ws:
        device = ws.device_id
    with server.db.read() as conn:
        flags = set(conn.execute(select(schema.ledger.c.clamped).where(schema.ledger.c.device_id == device)).scalars())
    assert flags == {True}
    limit = format_datetime(dt.datetime.now(dt.UTC) + dt.timedelta(milliseconds=p.MAX_CLOCK_AHEAD_MS + 60_000))
    assert str((server_record(server.db, hid) or {}).get("updated_at")) < limit  # not two days ahead
    assert on_time.sync().rc == 0
    on_time.edit(hid, notes="准时的电脑看过之后改的")  # after seeing it: not a race, whatever the clocks say
    assert on_time.sync().rc == 0
    run_skewed(fast, 2, "sync")  # a new process of the fast laptop …
    run_skewed(fast, 2, "edit", hid, "notes=快两天的电脑看过之后又改的")  # … after seeing it: no race either
    run_skewed(fast, 2, "sync")
    assert on_time.sync().rc == 0
    assert (server_record(server.db, hid) or {}).get("notes") == "快两天的电脑看过之后又改的"
    raced = [c for c in server_conflicts(server.db) if c["row_id"] == hid]
    tally.record("clock skew ±2 days", conflicts=len(raced))
    assert raced == []
    assert replica_differences([fast, on_time], server.db) == []
