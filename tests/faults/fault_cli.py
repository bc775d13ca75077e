"""Run CaseApp's command line with a fault applied inside the process (tests only).

    python tests/faults/fault_cli.py --workspace W sync            # any caseapp command line
    python tests/faults/fault_cli.py --workspace W edit ID field=value [field=value …] [--entity E]

``edit`` makes the change a person would make in the app (one transaction, journaled as usual).

Environment:

FAULTS_CLOCK_OFFSET_MS
    This process reads the wall clock that many milliseconds off (``time.time`` and
    ``time.time_ns``, which the hybrid logical clock in caseapp/store/hlc.py reads): a laptop whose
    clock is days wrong. CaseApp has no supported way to offset its clock, so the standard library
    is patched before CaseApp is imported; ``datetime.now`` is left alone (it keeps the real time).
FAULTS_DISK_FULL_AFTER
    Once this many statements that write (INSERT, UPDATE, DELETE, REPLACE) have run, every further
    one fails exactly as SQLite reports a full disk (SQLITE_FULL: the driver's OperationalError
    "database or disk is full", raised where SQLAlchemy calls the driver, so it arrives wrapped the
    way a real one does).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

_OFFSET_MS = int(os.environ.get("FAULTS_CLOCK_OFFSET_MS", "0") or 0)
if _OFFSET_MS:
    _real_time, _real_time_ns = time.time, time.time_ns
    time.time = lambda: _real_time() + _OFFSET_MS / 1000
    time.time_ns = lambda: _real_time_ns() + _OFFSET_MS * 1_000_000

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def fill_the_disk_after(allowed: int) -> None:
    from sqlalchemy.engine.default import DefaultDialect

    state = {"writes": 0}
    real_execute, real_many = DefaultDialect.do_execute, DefaultDialect.do_executemany

    def check(dialect: Any, statement: str) -> None:
        if statement.lstrip().upper().startswith(WRITES):
            state["writes"] += 1
            if state["writes"] > allowed:
                raise dialect.dbapi.OperationalError("database or disk is full")

    def do_execute(self: Any, cursor: Any, statement: str, parameters: Any, context: Any = None) -> None:
        check(self, statement)
        real_execute(self, cursor, statement, parameters, context)

    def do_executemany(self: Any, cursor: Any, statement: str, parameters: Any, context: Any = None) -> None:
        check(self, statement)
        real_many(self, cursor, statement, parameters, context)

    DefaultDialect.do_execute = do_execute  # type: ignore[method-assign]
    DefaultDialect.do_executemany = do_executemany  # type: ignore[method-assign]


def edit(argv: list[str]) -> int:
    import argparse

    from caseapp.domain import ENTITIES
    from caseapp.services import records
    from caseapp.store.workspace import Workspace

    parser = argparse.ArgumentParser(prog="fault_cli edit")
    parser.add_argument("--workspace", type=Path, required=True)
    parser.add_argument("--entity", default="household")
    parser.add_argument("id")
    parser.add_argument("changes", nargs="+", metavar="field=value")
    args = parser.parse_args(argv)
    fields = dict(change.split("=", 1) for change in args.changes)
    with Workspace.open(args.workspace, os.environ["CASEAPP_PASSPHRASE"]) as ws, ws.write() as s:
        records.update(s, records.get(s, ENTITIES[args.entity], args.id), fields)
    return 0


def main(argv: list[str]) -> int:
    if os.environ.get("FAULTS_DISK_FULL_AFTER"):
        fill_the_disk_after(int(os.environ["FAULTS_DISK_FULL_AFTER"]))
    if "edit" in argv[:3]:
        at = argv.index("edit")
        return edit(argv[:at] + argv[at + 1:])
    from caseapp.cli import main as caseapp

    return caseapp(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
