"""Where a first push spends its time: the device's side through HTTP, and the server's merge.

    python -m bench.profile_push [--households 1000] [--side client|server|e2e] [--top 30]

A demo workspace of --households households is pushed whole: ``client`` runs sync.run.push against a
real server on loopback (the server's own time shows as waiting in recv_into); ``server`` runs
sync.server.merge.push in batches of 500 directly, so its costs show function by function. Prints
operations per second and cProfile's top functions. ``e2e`` (no profile) runs the server as its own
process, as deployed (bench.sync_bench.LoopbackServer), and times the push as `caseapp sync` runs it,
from its first request to the last verdict committed on the device, with the CPU seconds each process
spent: attach a sampling profiler to the server's pid (printed) to see its side. Figures vary with
the machine's load: compare runs made one after another on the same machine, and say so."""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import tempfile
import time
from pathlib import Path

from caseapp.crypto.keyfile import TEST_KDF
from caseapp.services import demo
from caseapp.store.workspace import Workspace
from sync import outbox, run
from sync.server import merge
from sync.server.auth import Principal
from sync.server.db import Database

PASSPHRASE = "correct horse battery staple"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=1000)
    parser.add_argument("--side", choices=["client", "server", "e2e"], default="server")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="caseapp-profile-") as t:
        root = Path(t)
        db = Database(f"sqlite:///{root / 'server.db'}")
        db.migrate()
        ws, _ = Workspace.create(root / "ws", PASSPHRASE, kdf=TEST_KDF, actor="admin")
        demo.generate(ws, args.households, seed=3)
        prof = cProfile.Profile()
        if args.side == "e2e":
            return end_to_end(ws, root, db)
        if args.side == "server":
            ops = [outbox.to_op(e) for e in outbox.pending(ws, 10**7)]
            who = Principal("admin", "admin", ws.device_id, ("",))
            started = time.perf_counter()
            prof.enable()
            for start in range(0, len(ops), 500):
                with db.write(ordered=True) as conn:
                    merge.push(conn, who, ops[start:start + 500], int(time.time() * 1000))
            prof.disable()
            count = len(ops)
        else:
            from tests.sync.conftest import FAST_RETRY, PASSWORD, Server

            server = Server(db)
            server.start()
            try:
                server.add_user("admin", "admin", [])
                run.login(ws, server.url, "admin", PASSWORD, retry=FAST_RETRY)
                client = run.connect(ws, retry=FAST_RETRY)
                report = run.SyncReport()
                started = time.perf_counter()
                prof.enable()
                run.push(ws, client, report, lambda *_: None, run.PUSH_BATCH)
                prof.disable()
                count = report.push.pushed
                client.close()
            finally:
                server.stop()
        elapsed = time.perf_counter() - started
        ws.close()
        db.dispose()
    print(f"{args.side}: {count} operations in {elapsed:.2f} s = {count / elapsed:.0f} ops/s")
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(args.top)
    print(out.getvalue())
    return 0


def end_to_end(ws: Workspace, root: Path, db: Database) -> int:
    from bench.sync_bench import PASSWORD, LoopbackServer, process_cpu
    from sync.server import auth

    db.dispose()
    server = LoopbackServer(f"sqlite:///{root / 'server.db'}")
    try:
        with server.db.write() as conn:
            auth.add_user(conn, "admin", PASSWORD, "admin", [])
        run.login(ws, server.url, "admin", PASSWORD)
        client = run.connect(ws)
        report = run.SyncReport()
        print(f"server pid {server.proc.pid}", flush=True)
        cpu = time.process_time(), process_cpu(server.proc.pid)
        started = time.perf_counter()
        run.push(ws, client, report, lambda *_: None, run.PUSH_BATCH)
        elapsed = time.perf_counter() - started
        device_s, server_s = time.process_time() - cpu[0], process_cpu(server.proc.pid) - cpu[1]
        client.close()
    finally:
        server.stop()
        ws.close()
    n = report.push.pushed
    print(f"e2e: {n} operations in {elapsed:.2f} s = {n / elapsed:,.0f} ops/s (applied {report.push.applied}, "
          f"rejected {report.push.rejected}); CPU device {device_s:.2f} s, server {server_s:.2f} s "
          f"= {n / (device_s + server_s):,.0f} ops per CPU second; {n / max(device_s, server_s):,.0f} ops/s "
          f"if the two overlapped fully on idle cores; load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
