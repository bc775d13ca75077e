"""Server cost of one push-and-pull pair (issue 13): `python -m bench.pair_cost [--pairs N] [--backend sqlite|postgres]
[--profile PATH] [--write]`.

A real ``caseapp-server serve`` process on 127.0.0.1 (SQLite file or a fresh PostgreSQL schema), one
encrypted workspace logged in to it; each round edits one field of a household and syncs (one push,
one pull: counted, not assumed). The server's CPU seconds come from /proc for its pid, so they are
its own whatever else the machine runs. For the floor any request pays, the same process then
answers a route that does nothing but pass the same middleware (the handshake) and the health
probe (answered before the middleware). ``--profile`` attaches py-spy (if installed) to the server
for the first 15 s of the pairs and writes its raw stacks there.
"""

from __future__ import annotations

import argparse
import collections
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import create_engine, select, text

from bench import doc, machine
from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import Household
from caseapp.services import records
from caseapp.store.workspace import Workspace
from sync import run

PASSWORD = "a good password 2026"
PASSPHRASE = "bench-passphrase-pairs"
SCOPE = "440105001001"
GRID = SCOPE + "01"
PG = os.environ.get("CASEAPP_TEST_PG", "postgresql+psycopg://caseapp_test:caseapp-test-2026@127.0.0.1:5432/caseapp_test")
NAMES = "甲乙丙丁戊己庚辛壬癸"



def wait_for(base: str, server: subprocess.Popen[bytes]) -> None:
    """Until the server process answers its health probe (at most a minute)."""
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(f"{base}/healthz", timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            raise SystemExit("the server did not start")
        time.sleep(0.2)

def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=300)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--profile", type=Path, default=None)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="pairs-"))
    schema = f"pairs_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG) if args.backend == "postgres" else None
    if admin is not None:
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        url = f"{PG}?options=-csearch_path%3D{schema}"
    else:
        url = f"sqlite:///{tmp / 'server.db'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEAPP_")} | {"CASEAPP_PASSWORD": PASSWORD}
    cli = [sys.executable, "-m", "sync.server.cli", "--db", url]
    server: subprocess.Popen[bytes] | None = None
    try:
        subprocess.run([*cli, "migrate"], env=env, check=True, capture_output=True, timeout=300)
        subprocess.run([*cli, "user", "add", "worker", "--role", "caseworker", "--scope", SCOPE], env=env,
                       check=True, capture_output=True, timeout=60)
        port = free_port()
        server = subprocess.Popen([*cli, "serve", "--port", str(port), "--log-level", "warning"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        wait_for(base, server)
        out = measure(server.pid, base, tmp, args)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if admin is not None:
            with admin.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            admin.dispose()
        shutil.rmtree(tmp, ignore_errors=True)
    print(out)
    if args.write:
        doc.write_section(Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md",
                          f"pairs-{args.backend}", out)


def measure(pid: int, base: str, tmp: Path, args: Any) -> str:
    ws, _ = Workspace.create(tmp / "ws", PASSPHRASE, kdf=TEST_KDF, actor="worker")
    try:
        run.login(ws, base, "worker", PASSWORD)
        with ws.write() as w:
            for i in range(40):
                records.create(w, Household, {"org_code": GRID, "head_name": "陈" + NAMES[i % 10] + NAMES[i // 10],
                                              "address": f"小北路{i + 1}号"})
        client = run.connect(ws)
        run.sync(ws, client)
        with ws.read() as r:
            ids = list(r.scalars(select(Household.id)))
        calls: collections.Counter[str] = collections.Counter()
        original = requests.Session.request

        def counted(self: requests.Session, method: str, url: str, *a: Any, **k: Any) -> requests.Response:
            calls[f"{method} {url.split('/api/v1')[-1].split('?')[0]}"] += 1
            return original(self, method, url, *a, **k)

        requests.Session.request = counted  # type: ignore[method-assign,assignment]
        spy = None
        if args.profile is not None and shutil.which("py-spy"):
            # --gil: only the thread holding the interpreter, so the stacks are where the CPU went
            spy = subprocess.Popen(["py-spy", "record", "-p", str(pid), "-o", str(args.profile), "-f", "raw",
                                    "-r", "200", "-d", "15", "--gil"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(1)
        try:
            cpu0, wall0 = cpu_seconds(pid), time.perf_counter()
            for i in range(args.pairs):
                with ws.write() as w:
                    home = w.get(Household, ids[i % len(ids)])
                    assert home is not None
                    records.update(w, home, {"phone": f"138{i:08d}"})
                report = run.sync(ws, client)
                assert report.push.rejected == 0 and report.push.applied == 1, report
            cpu1, wall1 = cpu_seconds(pid), time.perf_counter()
        finally:
            requests.Session.request = original  # type: ignore[method-assign]
        if spy is not None:
            spy.wait(timeout=60)
        client.close()
        floors = {}
        with requests.Session() as session:
            for path in ("/healthz", "/api/v1/handshake"):
                before = cpu_seconds(pid)
                for _ in range(500):
                    session.get(base + path, timeout=5).raise_for_status()
                floors[path] = (cpu_seconds(pid) - before) / 500
    finally:
        ws.close()
    per_pair = (cpu1 - cpu0) / args.pairs
    requests_per_pair = sum(calls.values()) / args.pairs
    load = os.getloadavg()[0]
    floor = requests_per_pair * floors["/api/v1/handshake"]
    return "\n".join([
        f"Command: `python -m bench.pair_cost --pairs {args.pairs} --backend {args.backend} --write`  ",
        f"Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}  ",
        f"Machine: {machine.describe()}  ",
        f"Load average (1 min) at the end: {load:.1f}; server: one `caseapp-server serve` process on {args.backend}",
        "",
        "| what | server CPU | target |",
        "|---|---:|---|",
        f"| one push-and-pull pair of a one-field edit ({requests_per_pair:g} requests: "
        f"{', '.join(f'{k} ×{v / args.pairs:g}' for k, v in sorted(calls.items()))}) "
        f"| **{per_pair * 1000:.2f} ms** | ≤ 2 ms |",
        f"| a request through the middleware to a route that does nothing (handshake) "
        f"| {floors['/api/v1/handshake'] * 1000:.2f} ms | |",
        f"| the health probe (answered before the middleware) | {floors['/healthz'] * 1000:.2f} ms | |",
        f"| wall time of a pair, seen from the device | {(wall1 - wall0) / args.pairs * 1000:.1f} ms | |",
        "",
        f"The floor of a pair's requests alone is {floor * 1000:.1f} ms here (uvicorn, Starlette, FastAPI and our "
        f"token and body gates, doing nothing), {'above' if floor > 0.002 else 'within'} the 2 ms target before "
        "any push or pull work.",
    ])


if __name__ == "__main__":
    main()
