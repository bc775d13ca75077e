"""The checks across records at district size (issue 12): ``python -m bench.quality_bench
[--households N]``. Makes an N-household demo workspace (default 50,000) and times each check of
caseapp.services.quality over the whole workspace, and the save-time checks of one case."""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import AssistanceCase
from caseapp.services import demo, quality
from caseapp.store.workspace import Workspace

PASSPHRASE = "bench-passphrase-quality"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ws, _ = Workspace.create(Path(tmp) / "ws", PASSPHRASE, kdf=TEST_KDF, actor="bench")
        started = time.perf_counter()
        demo.generate(ws, args.households, seed=0)
        print(f"demo data: {args.households} households in {time.perf_counter() - started:.1f} s")
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
            case = s.scalars(select(AssistanceCase).limit(1)).one()
            started = time.perf_counter()
            quality.for_record(s, case, today)
            print(f"{'one case on save':28} {'':6}           {(time.perf_counter() - started) * 1000:8.1f} ms")
        ws.close()


if __name__ == "__main__":
    main()
