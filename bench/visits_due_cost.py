"""What the elder_due triggers (caseapp/store/visits_due.py) cost bulk writes of visits and elder
profiles, as sync apply makes them: ``python -m bench.visits_due_cost [--households N]``.

Makes an N-household demo workspace, then inserts a copy of every care visit and every elder profile
(new ids) with one executemany, once with the triggers and once with them dropped, interleaved, five
times each, every run rolled back; prints the rates and their ratio (measured in one run)."""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from caseapp.crypto.keyfile import TEST_KDF
from caseapp.services import demo
from caseapp.store import visits_due
from caseapp.store.workspace import Workspace

RUNS = 5


def _copies(cur: Any, table: str) -> tuple[str, list[tuple[Any, ...]]]:
    cols = [r[1] for r in cur.execute(f"PRAGMA table_info({table})")]
    key = cols.index("id")
    rows = [tuple("x" + v[1:] if i == key else v for i, v in enumerate(row))
            for row in cur.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall()]
    return f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.visits_due_cost")
    parser.add_argument("--households", type=int, default=1500)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        ws, _ = Workspace.create(Path(tmp) / "ws", "visits-due-cost-bench", kdf=TEST_KDF, actor="bench")
        demo.generate(ws, args.households, seed=1)
        raw = ws.engine.raw_connection()
        try:
            cur = raw.cursor()
            for table in ("care_visits", "elder_profiles"):
                sql, rows = _copies(cur, table)
                spent: dict[bool, list[float]] = {True: [], False: []}
                for _ in range(RUNS):
                    for triggers in (True, False):
                        cur.execute("BEGIN")
                        if not triggers:
                            for name in visits_due.triggers():
                                cur.execute(f"DROP TRIGGER {name}")
                        started = time.perf_counter()
                        cur.executemany(sql, rows)
                        spent[triggers].append(time.perf_counter() - started)
                        cur.execute("ROLLBACK")
                on, off = statistics.median(spent[True]), statistics.median(spent[False])
                print(f"{table}: {len(rows):,} rows; with the triggers {len(rows) / on:,.0f} rows/s, "
                      f"without {len(rows) / off:,.0f} rows/s; rate with them {off / on:.0%} of without")
        finally:
            raw.close()
            ws.close()


if __name__ == "__main__":
    main()
