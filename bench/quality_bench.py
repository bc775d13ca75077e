"""The checks across records at district size (issue 12): ``python -m bench.quality_bench
[--households N] [--workspace PATH --passphrase P]``. Makes an N-household demo workspace (default
50,000; at PATH, kept, where PATH does not exist yet; opened where it does) and times each check of
caseapp.services.quality over the whole workspace, the re-assessment list, and the save-time checks
of one case."""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

from sqlalchemy import select, text

from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import AssistanceCase
from caseapp.services import assessment, demo, quality, reassessment
from caseapp.store.workspace import Workspace

PASSPHRASE = "bench-passphrase-quality"


def run(ws: Workspace) -> None:
    today = dt.date.today()
    with ws.read() as s:
        total = 0.0
        for check in quality.CHECKS:
            started = time.perf_counter()
            found = quality.run(s, "", today, checks=[check])
            spent = time.perf_counter() - started
            total += spent
            print(f"{check.code:28} {len(found):6} findings  {spent * 1000:8.1f} ms")
        print(f"{'all checks':28} {'':6}           {total * 1000:8.1f} ms")
        # the set-based amount check again, its pages and the standards table now warm
        check = quality.BY_CODE["amount_without_reason"]
        started = time.perf_counter()
        found = quality.run(s, "", today, checks=[check])
        print(f"{'amount, again (warm)':28} {len(found):6} findings  {(time.perf_counter() - started) * 1000:8.1f} ms")
        # the former path of amount_without_reason, for comparison: each candidate read and assessed alone
        started = time.perf_counter()
        rows = s.execute(text(check.sql.format(filter="c.org_code LIKE '%'"))).all()
        flagged = 0
        for row in rows:
            case = s.get(AssistanceCase, row.record_id)
            assert case is not None
            flagged += assessment.needs_reason(case.values(), assessment.assess_case(s, case, today))
        print(f"{'amount, per case (former)':28} {flagged:6} findings  {(time.perf_counter() - started) * 1000:8.1f} ms"
              f"  ({len(rows)} candidates)")
        on = reassessment.current_change(today)
        if on is not None:
            started = time.perf_counter()
            listed = reassessment.listed(s, on, None, today)
            spent = (time.perf_counter() - started) * 1000
            print(f"{'re-assessment list':28} {len(listed):6} cases     {spent:8.1f} ms  (standard from {on})")
        case = s.scalars(select(AssistanceCase).limit(1)).one()
        started = time.perf_counter()
        quality.for_record(s, case, today)
        print(f"{'one case on save':28} {'':6}           {(time.perf_counter() - started) * 1000:8.1f} ms")


def make(path: Path, households: int, passphrase: str) -> Workspace:
    ws, _ = Workspace.create(path, passphrase, kdf=TEST_KDF, actor="bench")
    started = time.perf_counter()
    demo.generate(ws, households, seed=0)
    print(f"demo data: {households} households in {time.perf_counter() - started:.1f} s")
    return ws


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=50_000)
    parser.add_argument("--workspace", type=Path)
    parser.add_argument("--passphrase", default=PASSPHRASE)
    args = parser.parse_args()
    if args.workspace is not None:
        if args.workspace.exists():
            ws = Workspace.open(args.workspace, args.passphrase)
        else:
            ws = make(args.workspace, args.households, args.passphrase)
        with ws:
            run(ws)
        return
    with tempfile.TemporaryDirectory() as tmp:
        ws = make(Path(tmp) / "ws", args.households, PASSPHRASE)
        run(ws)
        ws.close()


if __name__ == "__main__":
    main()
