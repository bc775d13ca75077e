"""The monthly statistics and the visits-due list at district size (issue 12):
``python -m bench.stats_bench [--households N] [--workspace PATH --passphrase P]``.

Makes an N-household demo workspace (default 50,000; at PATH, kept, when given; or opens the one
there), then times, on warm connections, everything the statistics page counts for one month (every
table and the trend) and the visits-due list (Today's 7 days) over the whole workspace and over one
street, each the median of five runs, with the rows they return."""

from __future__ import annotations

import argparse
import datetime as dt
import statistics as stats
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import ElderProfile, Household
from caseapp.services import demo, schedule, statistics
from caseapp.store.workspace import Workspace

PASSPHRASE = "bench-passphrase-stats"
RUNS = 5


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    fn()  # warm the page cache
    spent, out = [], None
    for _ in range(RUNS):
        started = time.perf_counter()
        out = fn()
        spent.append(time.perf_counter() - started)
    return stats.median(spent) * 1000, out


def run(ws: Workspace) -> None:
    today = dt.date.today()
    month = statistics.Month.of(today).shift(-1)
    with ws.read() as s:
        households = s.scalar(select(func.count()).select_from(Household))
        elders = s.scalar(select(func.count()).select_from(ElderProfile))
        street = s.scalar(select(func.substr(Household.org_code, 1, 9)).group_by(func.substr(Household.org_code, 1, 9))
                          .order_by(func.count().desc()).limit(1))
        print(f"{households} households, {elders} elder profiles; month {month}; one street: {street}")
        total = 0.0
        for spec in statistics.TABLES:
            ms, _ = timed(lambda key=spec.key: statistics.compute(s, key, None, month, today))
            total += ms
            print(f"  table {spec.key:12} {ms:8.1f} ms")
        ms, _ = timed(lambda: statistics.trend(s, None, month))
        total += ms
        print(f"  trend (12 months)  {ms:8.1f} ms")
        print(f"  the page (all)     {total:8.1f} ms")
        for name, scope in (("whole workspace", None), (f"street {street}", (str(street),))):
            ms, due = timed(lambda scope=scope: schedule.visits_due(s, today, 7, scope=scope))
            print(f"  visits due, {name:24} {ms:8.1f} ms  {len(due)} elders due")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=50_000)
    parser.add_argument("--workspace", type=Path)
    parser.add_argument("--passphrase", default=PASSPHRASE)
    args = parser.parse_args()
    if args.workspace and args.workspace.exists():
        with Workspace.open(args.workspace, args.passphrase) as ws:
            run(ws)
        return
    if args.workspace:  # made there and kept, for the next run
        ws, _ = Workspace.create(args.workspace, args.passphrase, kdf=TEST_KDF, actor="bench")
        started = time.perf_counter()
        demo.generate(ws, args.households, seed=0)
        print(f"demo data: {args.households} households in {time.perf_counter() - started:.1f} s")
        run(ws)
        ws.close()
        return
    with tempfile.TemporaryDirectory() as tmp:
        ws, _ = Workspace.create(Path(tmp) / "ws", PASSPHRASE, kdf=TEST_KDF, actor="bench")
        started = time.perf_counter()
        demo.generate(ws, args.households, seed=0)
        print(f"demo data: {args.households} households in {time.perf_counter() - started:.1f} s")
        run(ws)
        ws.close()


if __name__ == "__main__":
    main()
