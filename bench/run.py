"""``make bench``: ``python -m bench.run [--households N] [--no-write]``.

Runs the foundation suite (bulk insert encrypted against plain, single-record saves, search as you
type, unlock), prints a Markdown table, and rewrites the foundation section of docs/benchmarks.md
with it, the exact command, the date and the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shlex
import sys
from pathlib import Path

from bench import doc, foundation, machine

DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    p.add_argument("--households", type=int, default=50_000, help="size of the demo dataset (default 50000)")
    p.add_argument("--batch", type=int, default=500, help="households per transaction in the bulk insert")
    p.add_argument("--saves", type=int, default=500, help="single-record saves to time")
    p.add_argument("--searches", type=int, default=60, help="typed queries per search kind")
    p.add_argument("--unlock-runs", type=int, default=7)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--workdir", type=Path, default=None, help="where the scratch workspaces go (default: temp)")
    p.add_argument("--keep", action="store_true", help="keep the scratch workspaces")
    p.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    return p.parse_args(argv)


def section(command: str, res: foundation.Results, table: str, missed: list[str], load: tuple[float, float]) -> str:
    verdict = ("All targets met." if not missed else
               "**Targets missed:** " + "; ".join(missed) + ". See the notes below.")
    return "\n".join([
        f"Command: `{command}`" + (" (what `make bench` runs)  " if command == "python -m bench.run" else "  "),
        f"Date: {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}  ",
        f"Machine: {machine.describe()}  ",
        f"Load average (1 min) at start / end: {load[0]:.1f} / {load[1]:.1f} (other work on the shared machine)",
        "",
        table,
        "",
        verdict,
        "",
        *([foundation.analysis(res, load), ""] if missed else []),
        foundation.details(res),
        "",
        NOTES,
    ])


NOTES = """How: both bulk inserts run in one process on identical data (same seed), 500 households per
transaction, alternating which store goes first each batch; only the write path is timed (ORM flush,
journal and audit hooks, search index, commit with `synchronous=FULL`). Single saves are one
transaction each on the full encrypted workspace (half create a care visit, half edit a member, which
also refreshes that household's search keys). Search latency is measured at every keystroke of names,
pinyin, initials, the start and the last digits of ID numbers, phone numbers and road + house number,
each keystroke in a fresh read session, on the full encrypted workspace. Unlock is `Workspace.open`
with the production Argon2id parameters, KDF included."""


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    opts = foundation.Options(households=args.households, batch=args.batch, saves=args.saves,
                              searches_per_kind=args.searches, unlock_runs=args.unlock_runs, seed=args.seed,
                              workdir=args.workdir, keep=args.keep)
    load_start = os.getloadavg()[0]
    res = foundation.run(opts)
    load = (load_start, os.getloadavg()[0])
    table, missed = foundation.table(res)
    given = sys.argv[1:] if argv is None else argv
    command = "python -m bench.run" + (" " + shlex.join(given) if given else "")
    print(table)
    print()
    if missed:
        print(foundation.analysis(res, load))
        print()
    print(foundation.details(res))
    if not args.no_write:
        doc.write_section(DOCS, "foundation", section(command, res, table, missed, load))
        print(f"\nwrote the foundation section of {DOCS}", file=sys.stderr)
    return 0 if not missed else 1


if __name__ == "__main__":
    raise SystemExit(main())
