"""(h) The disk fills up during a sync: the command says so in one line (not that the workspace
cannot be decrypted, which could make a caseworker throw away a healthy workspace holding unsynced
work), and once there is room again the next sync finishes, nothing lost.

Two variants: a real full file system (a small tmpfs, mounted when the test runs as root) and a
simulated one (tests/faults/fault_cli.py makes SQLite's writes fail with SQLITE_FULL part-way
through), which runs anywhere.
"""

from __future__ import annotations

import os
import random
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from caseapp.services import demo
from tests.sync.conftest import GRID_A1, Server

from . import tally
from .checks import audit_edits, outbox_left, replica_differences
from .devices import CliDevice, Run, make_device
from .marks import SQLITE_THEN_POSTGRES_LONG

DISK = 6 << 20  # bytes: room for the workspace, not for what the sync brings
MISLEADING = ("cannot be decrypted", "damaged", "another key file")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root; test_simulated_full_disk covers the same path")
    mount = tmp_path / "small-disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK},mode=0700", "tmpfs", str(mount)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def server_with_work(server: Server, tmp_path: Path, households: int = 20) -> None:
    """Records on the server for the device to pull (100 households: about 1,000 records)."""
    office = make_device(tmp_path, "admin", server.url, name="ws-office")
    with office.workspace() as ws:
        demo.generate(ws, households, seed=1)
    office.in_process_sync()


def said_in_one_line(full: Run) -> list[str]:
    problems = []
    if full.rc == 0:
        problems.append("the sync reported success on a full disk")
    if not full.one_line_failure:
        problems.append(f"not one line: {len(full.err_lines)} lines, traceback {full.traceback}")
    if any(word in full.err for word in MISLEADING):
        problems.append("blames the key or a damaged workspace for a full disk")
    return problems


def recovers(laptop: CliDevice, server: Server, pending: str) -> None:
    again = laptop.sync()
    assert again.rc == 0, again
    assert laptop.run("audit", "verify").rc == 0  # it opens, and its hash chain checks out
    assert outbox_left(laptop) == [] and replica_differences([laptop], server.db) == []
    edits = audit_edits([laptop], server.db)
    assert edits.lost == [] and edits.checked >= 2, pending


def fill(folder: Path, leave: int) -> Path:
    """Write a ballast file until the file system is full, then give back ``leave`` bytes."""
    ballast = folder / "ballast"
    with ballast.open("wb") as f:
        try:
            while True:
                f.write(b"\0" * (64 << 10))
                f.flush()
        except OSError:
            pass
    size = ballast.stat().st_size
    os.truncate(ballast, max(0, size - leave))
    return ballast


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize("room", [pytest.param(0, id="full-before"),
                                  pytest.param(256 << 10, id="fills-up-during", marks=pytest.mark.faults_long)])
def test_full_disk_during_a_sync(backend: str, server: Server, tmp_path: Path, small_disk: Path, room: int) -> None:
    server_with_work(server, tmp_path, 100 if room else 20)
    laptop = make_device(small_disk, "admin", server.url)
    pending = laptop.new_household(GRID_A1, notes="磁盘满之前录入的")
    ballast = fill(small_disk, leave=room)
    full = laptop.sync()
    problems = said_in_one_line(full)
    ballast.unlink()
    tally.record("full disk", lost=0, notes={"real tmpfs": 1})
    recovers(laptop, server, pending)
    assert problems == [], f"{problems}:\n{full}"


@SQLITE_THEN_POSTGRES_LONG
def test_simulated_full_disk(backend: str, server: Server, tmp_path: Path) -> None:
    server_with_work(server, tmp_path)
    laptop = make_device(tmp_path, "admin", server.url)
    pending = laptop.new_household(GRID_A1, notes="磁盘满之前录入的")
    after = random.Random(tally.BASE_SEED).randint(0, 6)  # writes before the disk is full: push, verdicts, pages
    full = laptop.run("sync", env={"FAULTS_DISK_FULL_AFTER": str(after)}, wrapped=True)
    problems = said_in_one_line(full)
    tally.record("full disk", lost=0, notes={"simulated ENOSPC": 1})
    recovers(laptop, server, pending)
    assert problems == [], f"{problems}:\n{full}"
