"""(d) A workspace restored from a folder copy (a backup, a re-imaged laptop) carries on: the edits
made after the restore reach the server, and the ones made before it stay in force."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.sync.conftest import GRID_A1, Server

from . import tally
from .checks import audit_edits, replica_differences, server_record
from .devices import make_device
from .marks import SQLITE_THEN_POSTGRES_LONG

BEFORE = {"phone": "13811112222", "notes": "备份之后的走访记录", "address": "备份之后搬到的地址"}
AFTER = {"phone": "13933334444", "notes": "恢复之后的走访记录", "address": "恢复之后核实的地址"}


@SQLITE_THEN_POSTGRES_LONG
def test_workspace_restored_from_a_folder_copy_loses_nothing(backend: str, server: Server, tmp_path: Path) -> None:
    sup = make_device(tmp_path, "supervisor", server.url)
    first, second = sup.new_household(GRID_A1), sup.new_household(GRID_A1)
    sup.in_process_sync()
    laptop = make_device(tmp_path, "worker1", server.url, name="w1")
    assert laptop.sync().rc == 0
    copy = tmp_path / "w1-copy"
    subprocess.run(["cp", "-a", str(laptop.path), str(copy)], check=True)  # the backup
    laptop.edit(first, **BEFORE)
    before = laptop.sync()
    assert before.rc == 0 and (before.counts() or {}).get("pushed") == len(BEFORE), before
    shutil.rmtree(laptop.path)
    copy.rename(laptop.path)  # the laptop is restored from the backup
    laptop.edit(second, **AFTER)  # and work goes on, on another household
    after = laptop.sync()
    assert after.rc == 0, after
    on_server = server_record(server.db, second) or {}
    edits = audit_edits([laptop], server.db)
    tally.record("restored folder copy", checked=edits.checked, lost=len(edits.lost))
    assert {k: on_server.get(k) for k in AFTER} == AFTER, (
        f"the edits after the restore exist nowhere ({after.out.strip()})")
    assert {k: (server_record(server.db, first) or {}).get(k) for k in BEFORE} == BEFORE
    assert laptop.sync().rc == 0
    assert replica_differences([laptop], server.db) == []
    assert edits.lost == []
