"""The monthly statistics and the visits-due list at district size (issue 12):
``python -m bench.stats_bench [--households N] [--workspace PATH --passphrase P] [--no-write]``.

Makes an N-household demo workspace (default 50,000; at PATH, kept, when given; or opens the one
there), then times, on warm connections, everything the statistics page counts for one month (every
table and the trend) and the visits due (Today's 7 days: the counts, the first page, a page deep in
the list, the whole list unpaged) over the whole workspace and over one street, each the median of
five runs, and writes the figures into the "stats" section of docs/benchmarks.md."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shlex
import statistics as stats
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bench import doc, machine
from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import ElderProfile, Household
from caseapp.services import demo, schedule, statistics
from caseapp.store import visits_due
from caseapp.store.workspace import Workspace

PASSPHRASE = "bench-passphrase-stats"
RUNS = 5
#: rows of the visits due timed as the first page: a screenful or two (the screens fetch 50 at a time)
FIRST_PAGE = 200
#: where the page deep in the list starts
DEEP_ROW = 2_000
DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    fn()  # warm the page cache
    spent, out = [], None
    for _ in range(RUNS):
        started = time.perf_counter()
        out = fn()
        spent.append(time.perf_counter() - started)
    return stats.median(spent) * 1000, out


def _ms(value: float) -> str:
    return f"{value:,.0f} ms" if value >= 10 else f"{value:.1f} ms"


def run(ws: Workspace) -> list[str]:
    """Time everything; print as it goes; return the Markdown table's rows."""
    today = dt.date.today()
    month = statistics.Month.of(today).shift(-1)
    rows: list[str] = []
    with ws.read() as s:
        households = s.scalar(select(func.count()).select_from(Household))
        elders = s.scalar(select(func.count()).select_from(ElderProfile))
        street = s.scalar(select(func.substr(Household.org_code, 1, 9)).group_by(func.substr(Household.org_code, 1, 9))
                          .order_by(func.count().desc()).limit(1))
        print(f"{households} households, {elders} elder profiles; month {month}; one street: {street}")
        rows.append(f"| workspace | {households:,} households, {elders:,} elder profiles | | |")
        total = 0.0
        for spec in statistics.TABLES:
            ms, _ = timed(partial(statistics.compute, s, spec.key, None, month, today))
            total += ms
            print(f"  table {spec.key:12} {ms:8.1f} ms")
            rows.append(f"| statistics table {spec.key}, {month} | {_ms(ms)} | | |")
        ms, _ = timed(lambda: statistics.trend(s, None, month))
        total += ms
        print(f"  trend (12 months)  {ms:8.1f} ms")
        rows.append(f"| statistics trend, 12 months | {_ms(ms)} | | |")
        print(f"  the page (all)     {total:8.1f} ms")
        rows.append(f"| **the statistics page, everything** | **{_ms(total)}** | ≤ 1 s | {_met(total, 1000)} |")
        for name, scope in (("the whole workspace", None), (f"one street ({street})", (str(street),))):
            rows.extend(_visits_due(s, today, name, scope))
    return rows


def _met(ms: float, target: float) -> str:
    return "yes" if ms <= target else "**no**"


def _visits_due(s: Any, today: dt.date, name: str, scope: tuple[str, ...] | None) -> list[str]:
    """Today's 7 days: the counts alone (the tiles), the first page alone, the first page with its
    counts in one read (as the screens read them), a page deep in the list (keyset: it should cost
    what the first does), and the whole list unpaged."""
    count_ms, counts = timed(lambda: schedule.count_visits_due(s, today, 7, scope))
    page_ms, page = timed(lambda: schedule.visits_due_page(s, today, 7, scope, limit=FIRST_PAGE))
    first_ms, first = timed(lambda: schedule.first_visits_due(s, today, 7, scope, limit=FIRST_PAGE))
    whole_ms, whole = timed(lambda: schedule.visits_due(s, today, 7, scope))
    held = visits_due.current
    visits_due.current = lambda conn: False  # the days worked out, as before elder_due
    try:
        worked_ms, worked = timed(lambda: schedule.first_visits_due(s, today, 7, scope, limit=FIRST_PAGE))
    finally:
        visits_due.current = held
    assert worked == first, "the stored days and the rule disagree"
    assert counts.due == len(whole) and page == whole[:FIRST_PAGE] and first == (counts, page)
    deep = min(len(whole) - 1, DEEP_ROW)
    after = whole[deep - 1].key if deep > 0 else None
    later_ms, _ = timed(lambda: schedule.visits_due_page(s, today, 7, scope, after=after, limit=FIRST_PAGE))
    print(f"  visits due, {name}: {counts.due} due ({counts.overdue} overdue); count {count_ms:.1f} ms, "
          f"first {FIRST_PAGE} {page_ms:.1f} ms, both in one read {first_ms:.1f} ms; "
          f"rows {deep + 1}– {later_ms:.1f} ms; unpaged {whole_ms:.1f} ms; "
          f"count + first page with the days worked out (no elder_due) {worked_ms:.1f} ms")
    return [
        f"| visits due, {name}: the counts alone ({counts.due:,} due, {counts.overdue:,} overdue) "
        f"| {_ms(count_ms)} | | |",
        f"| visits due, {name}: the first page alone ({len(page)} rows) | {_ms(page_ms)} | | |",
        f"| **visits due, {name}: count + first page, one read (as Today and the visits page read them)** "
        f"| **{_ms(first_ms)}** | ≤ 100 ms | {_met(first_ms, 100)} |",
        f"| visits due, {name}: count + first page with each day worked out (without elder_due, as "
        f"before; same run) | {_ms(worked_ms)} | | {worked_ms / first_ms:.1f}× slower |",
        f"| visits due, {name}: a page from row {deep + 1:,} (keyset) | {_ms(later_ms)} | | |",
        f"| visits due, {name}: the whole list unpaged ({len(whole):,} rows, as before paging) "
        f"| {_ms(whole_ms)} | | |",
    ]


def write(given: list[str], rows: list[str], load: float) -> None:
    body = "\n".join([
        f"Command: `python -m bench.stats_bench{' ' + shlex.join(given) if given else ''}`  ",
        f"Date: {time.strftime('%Y-%m-%d %H:%M %Z')}  ",
        f"Machine: {machine.describe()}  ",
        f"Load average (1 min) at start: {load:.1f}; each figure the median of {RUNS} warm runs  ",
        "Workspace: demo households (caseapp.services.demo, seed 0); statistics for last month over the whole "
        "workspace; visits due within Today's 7 days",
        "",
        "| what | time | target | met |",
        "|---|---:|---|---|",
        *rows,
        "",
        NOTES,
    ])
    doc.write_section(DOCS, "stats", body)


NOTES = f"""Reading it: each elder's next visit day is stored in `elder_due` (migration 0019), one
narrow row per elder indexed by (due day, org unit, elder), kept by triggers on care_visits and
elder_profiles that run the one rule (`due_day`, caseapp/store/visits_due.py, which the 探访 statistics
table also counts its overdue by) for the elder each write touches, inside that write's transaction;
the triggers are made from the rules in force when the workspace opens (and the table refilled when the
rules changed). The count is a range of that index and a `count(*)`: no profile, name or address is
read. A page reads the same range in order and cuts {FIRST_PAGE} rows before it joins their members and
households and seeks their last visit, so it reads {FIRST_PAGE} names and addresses from encrypted pages
however many are due; the next page starts after the last row's key, so a page deep in the list costs
what the first does. The row "with each day worked out" is the same query with the stored days
ignored (as a reader does when the rules in force differ from the triggers', and as the list was read
before 0019): every elder profile in scope read and a seek each for the latest visit, in the same run,
on the same workspace; the two agree row for row (the bench asserts it). The unpaged list is what the
screens loaded before paging: every row's name and address and its Python object. On this shared
two-core machine the figures move with other agents' work (up to 2× between runs, with the load
average given above); compare runs at similar load."""



def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.stats_bench")
    parser.add_argument("--households", type=int, default=50_000)
    parser.add_argument("--workspace", type=Path)
    parser.add_argument("--passphrase", default=PASSPHRASE)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    given = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(given)
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        path = args.workspace or Path(tmp) / "ws"
        if path.exists():
            with Workspace.open(path, args.passphrase) as ws:
                rows = run(ws)
        else:  # made there (and kept, when --workspace names it, for the next run)
            ws, _ = Workspace.create(path, args.passphrase, kdf=TEST_KDF, actor="bench")
            started = time.perf_counter()
            demo.generate(ws, args.households, seed=0)
            print(f"demo data: {args.households} households in {time.perf_counter() - started:.1f} s")
            rows = run(ws)
            ws.close()
    if not args.no_write:
        write(given, rows, load)


if __name__ == "__main__":
    main()
