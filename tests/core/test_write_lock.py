"""Two programs on one workspace (the desktop app and `caseapp sync`, say): a write that reads first
takes the write lock when it begins, so another program's commit in between makes it wait its turn,
never fail. (A deferred BEGIN would let the other commit land between this write's read and its
first change; SQLite then refuses the change at once, busy timeout or not: "database is locked".)"""

from __future__ import annotations

import threading
from pathlib import Path

from caseapp.domain import Household
from caseapp.services import records
from caseapp.store.workspace import Workspace
from tests.conftest import PASSPHRASE

GRID = "44010400100701"


def test_a_write_that_reads_first_waits_for_another_programs_commit(ws: Workspace, ws_path: Path) -> None:
    with ws.write() as s:
        first = records.create(s, Household, {"org_code": GRID, "address": "龙庆北 12 号", "head_name": "陈秀英"}).id
    other = Workspace.open(ws_path, PASSPHRASE)  # its own connections, as another process has
    errors: list[BaseException] = []
    other_done = threading.Event()

    def other_program() -> None:
        try:
            with other.write() as s:
                records.create(s, Household, {"org_code": GRID, "address": "小北路 9 号", "head_name": "李建国"})
        except BaseException as error:
            errors.append(error)
        finally:
            other_done.set()

    try:
        with ws.write() as s:
            household = records.get(s, Household, first)  # this write reads first …
            thread = threading.Thread(target=other_program)
            thread.start()
            other_done.wait(1.0)  # (the other program commits now, or waits for this one to finish)
            records.update(s, household, {"phone": "13800138000"})  # … then changes
        thread.join(timeout=30)
        assert not thread.is_alive() and errors == []
    finally:
        other.close()
    with ws.read() as s:
        assert records.get(s, Household, first).phone == "13800138000"
        assert s.query(Household).count() == 2
