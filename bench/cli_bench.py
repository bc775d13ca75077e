"""The command line's own start (issue 13): ``python -m bench.cli_bench [--households N] [--runs R]
[--write]``.

Makes a workspace under the production KDF (the one a caseworker's laptop has) with an N-household
demo (default 3,000, the sync benchmark's dataset), then times, each as a new process, R times:

- ``caseapp status`` as shipped (read straight from the file: ``caseapp.services.status.glance``);
- the same summary through a fully opened Workspace (the ORM and the migration check), which is
  what ``caseapp status`` did before;
- ``python -c pass`` (the interpreter's own start) and one production-KDF derivation in-process.

The target, ≤ 0.6 s for ``caseapp status``, is an absolute figure on the machine the KDF was tuned
for; on a shared, loaded machine read it against the KDF and interpreter start measured in the
same run. With --write the figures replace this suite's section of docs/benchmarks.md."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.doc import write_section
from caseapp.crypto.keyfile import PRODUCTION_KDF, benchmark_kdf
from caseapp.services import demo
from caseapp.store.workspace import Workspace

PASSPHRASE = "bench-passphrase-cli"
DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
FULL_OPEN = ("import sys; from caseapp.services.status import workspace_status; "
             "from caseapp.store.workspace import Workspace; "
             "ws = Workspace.open(sys.argv[1], sys.argv[2]); print(workspace_status(ws)['records']); ws.close()")


def wall(cmd: list[str], env: dict[str, str], runs: int) -> list[float]:
    spent = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, timeout=120)
        spent.append(time.perf_counter() - started)
    return spent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    env = dict(os.environ, CASEAPP_PASSPHRASE=PASSPHRASE, CASEAPP_LANG="en")
    caseapp = [sys.executable, "-m", "caseapp.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ws"
        ws, _ = Workspace.create(path, PASSPHRASE, kdf=PRODUCTION_KDF, actor="bench")
        demo.generate(ws, args.households, seed=0)
        ws.close()
        rows: dict[str, list[float]] = {}
        # interleaved, so that a change in the machine's load falls on every row alike
        for _ in range(args.runs):
            rows.setdefault("status", []).extend(wall([*caseapp, "--workspace", str(path), "status"], env, 1))
            rows.setdefault("full", []).extend(wall([sys.executable, "-c", FULL_OPEN, str(path), PASSPHRASE], env, 1))
            rows.setdefault("python", []).extend(wall([sys.executable, "-c", "pass"], env, 1))
            rows.setdefault("kdf", []).append(benchmark_kdf(PRODUCTION_KDF, runs=1))
    med = {name: statistics.median(values) for name, values in rows.items()}
    lines = [
        "## Command line start (issue 13)",
        "",
        f"Command: `python -m bench.cli_bench --households {args.households} --runs {args.runs} --write`: a "
        f"{args.households}-household demo workspace under the production KDF; each row is the median of "
        f"{args.runs} new processes, the rows interleaved.",
        "",
        "| | median s | min s |",
        "|---|---:|---:|",
        f"| `caseapp status` (read from the file, no ORM) | {med['status']:.3f} | {min(rows['status']):.3f} |",
        f"| the same summary through a fully opened Workspace (before) | {med['full']:.3f} | {min(rows['full']):.3f} |",
        f"| of which every run pays: one production-KDF derivation | {med['kdf']:.3f} | {min(rows['kdf']):.3f} |",
        f"| of which every run pays: `python -c pass` | {med['python']:.3f} | {min(rows['python']):.3f} |",
        "",
        f"`caseapp status` beyond the KDF and the interpreter: {med['status'] - med['kdf'] - med['python']:.3f} s "
        f"(before: {med['full'] - med['kdf'] - med['python']:.3f} s); status is {med['full'] / med['status']:.2f}× "
        "faster than the full open. Target: ≤ 0.6 s in all.",
    ]
    print("\n".join(lines))
    if args.write:
        write_section(DOC, "cli", "\n".join(lines))


if __name__ == "__main__":
    main()
