"""The compose topology under load, as processes: `python -m bench.topology_bench [--devices 200]
[--seconds 20] [--processes 1,2] [--write]` (what `make bench-topology` runs).

One PostgreSQL, N `caseapp-server serve` processes (each on its own port, as compose's app1 and
app2), nginx in front as the reverse proxy, and D simulated devices (threads, each with its own
token and connection) that push a one-field edit and pull what changed, over and over, for a
bounded time. Reported per N: requests/s through the proxy, push and pull latency p50/p99, errors,
so the step from one process to two shows. Client, proxy, servers and database share one 2-core
machine, so the figures are a floor, not a capacity. With --write the figures replace the
"Topology" section of docs/benchmarks.md. Needs nginx (`scripts/system-deps bench`).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests

from bench.doc import write_section
from bench.sync_bench import DOCS, PASSWORD, fill
from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import Household
from caseapp.store.workspace import Workspace
from sync import protocol as p
from sync import run
from sync.client import RetryPolicy, SyncClient
from sync.server import auth
from sync.server.db import DEFAULT_POOL, POOL_ENV, Database

PG = "postgresql+psycopg://caseapp_test:caseapp-test-2026@127.0.0.1:5432/caseapp_test"  # scripts/ensure-postgres
NO_RETRY = RetryPolicy(attempts=1, base_s=0.0, cap_s=0.0)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(url: str, procs: list[subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if any(proc.poll() is not None for proc in procs):
            raise RuntimeError("a process of the topology exited")
        try:
            if requests.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not become ready")


NGINX = """
{user}worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body; proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fcgi; uwsgi_temp_path {dir}/uwsgi; scgi_temp_path {dir}/scgi;
    upstream caseapp {{ least_conn; {servers} keepalive 64; }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 40m;
        location = /metrics {{ return 404; }}
        location / {{
            proxy_pass http://caseapp;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header X-Request-ID $request_id;
            proxy_set_header X-Forwarded-For $remote_addr;
        }}
    }}
}}
"""


@dataclass
class Topology:
    """N app processes and nginx in front of them, on one database."""

    url: str
    processes: int
    folder: Path
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    proxy_url: str = ""

    def start(self) -> None:
        ports = [free_port() for _ in range(self.processes)]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CASEAPP_", "PROMETHEUS_"))}
        # the processes share PostgreSQL's 100 connections (less the superusers' few and this bench's own)
        env[POOL_ENV] = str(min(DEFAULT_POOL, 80 // self.processes))
        for i, port in enumerate(ports):
            with (self.folder / f"server-{self.processes}-{i}.log").open("ab") as log:
                self.procs.append(subprocess.Popen(
                    [sys.executable, "-m", "sync.server.cli", "--db", self.url, "serve", "--port", str(port),
                     "--log-level", "warning"], env=env, stdout=log, stderr=log))
        for port in ports:
            wait_ready(f"http://127.0.0.1:{port}", self.procs)
        nginx_dir = self.folder / f"nginx-{self.processes}"
        for sub in ("body", "proxy", "fcgi", "uwsgi", "scgi"):
            (nginx_dir / sub).mkdir(parents=True, exist_ok=True)
        proxy_port = free_port()
        conf = nginx_dir / "nginx.conf"
        # run as root (as on CI), nginx's workers would drop to nobody and not reach the temp folder
        user = "user root;\n" if os.geteuid() == 0 else ""
        conf.write_text(NGINX.format(user=user, dir=nginx_dir, port=proxy_port,
                                     servers=" ".join(f"server 127.0.0.1:{port};" for port in ports)))
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.procs.append(subprocess.Popen([nginx, "-c", str(conf), "-p", str(nginx_dir), "-g", "daemon off;"],
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        self.proxy_url = f"http://127.0.0.1:{proxy_port}"
        wait_ready(self.proxy_url, self.procs)

    def stop(self) -> None:
        died = [f"process {proc.pid} exit {proc.returncode}" for proc in self.procs if proc.poll() is not None]
        if died:
            print(f"  died during the run: {died} (logs in {self.folder})", flush=True)
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            proc.wait(30)


@dataclass
class Load:
    push_ms: list[float] = field(default_factory=list)
    pull_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def device(n: int, url: str, token: str, row_id: str, cursor: str, deadline: float, load: Load) -> None:
    client = SyncClient(url, token, retry=NO_RETRY)
    seq, base = 0, 0
    try:
        while time.monotonic() < deadline:
            seq += 1
            op = p.PushOp(seq=seq, entity="household", row_id=row_id, op="set", field="notes",
                          value=f"设备 {n} 第 {seq} 次回访", base_pos=base, hlc=(time.time_ns() // 10**6) << 16)
            t0 = time.perf_counter()
            try:
                verdict = client.push([op]).verdicts[0]
                t1 = time.perf_counter()
                base = verdict.pos or base
                page = client.pull(cursor, p.MAX_PAGE)
                while page.has_more:
                    page = client.pull(page.cursor, p.MAX_PAGE)
                cursor = page.cursor
                t2 = time.perf_counter()
            except Exception as error:  # a load test counts failures instead of dying
                with load.lock:
                    load.errors.append(f"{type(error).__name__} {getattr(error, 'key', '')} "
                                       f"{getattr(error, 'params', '')}")
                continue
            with load.lock:
                load.push_ms.append((t1 - t0) * 1000)
                load.pull_ms.append((t2 - t1) * 1000)
    finally:
        client.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--processes", default="1,2")
    parser.add_argument("--pg", default=os.environ.get("CASEAPP_TEST_PG", PG))
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = Database(args.pg)
    with admin.engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    url = f"{args.pg}?options=-csearch_path%3D{schema}"
    folder = Path(tempfile.mkdtemp(prefix="caseapp-topology-"))
    rows: list[str] = []
    try:
        db = Database(url)
        db.migrate()
        with db.write() as conn:
            auth.add_user(conn, "admin", PASSWORD, "admin", [])
        seed = Topology(url, 1, folder)
        seed.start()
        try:  # the households the devices edit, pushed by a real workspace
            ws, _ = Workspace.create(folder / "ws", "correct horse battery staple", kdf=TEST_KDF, actor="admin")
            fill(ws, args.devices)
            run.login(ws, seed.proxy_url, "admin", PASSWORD)
            client = run.connect(ws)
            run.sync(ws, client)
            client.close()
            with ws.read() as s:
                ids = [r[0] for r in s.query(Household.id).limit(args.devices)]
            cursor = str(ws.get_setting("sync.cursor", ""))
            ws.close()
        finally:
            seed.stop()
        for processes in [int(x) for x in args.processes.split(",")]:
            with db.write() as conn:
                tokens = [auth.register_device(conn, "admin", f"load-{processes}-{n}", "load")[0]
                          for n in range(args.devices)]
            topology = Topology(url, processes, folder)
            topology.start()
            load = Load()
            try:
                deadline = time.monotonic() + args.seconds
                threads = [threading.Thread(target=device, args=(n, topology.proxy_url, tokens[n], ids[n % len(ids)],
                                                                 cursor, deadline, load))
                           for n in range(args.devices)]
                started = time.perf_counter()
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                elapsed = time.perf_counter() - started
            finally:
                topology.stop()
            cycles = len(load.push_ms)
            requests_done = cycles * 2
            rows.append(f"| {processes} | {args.devices} | {elapsed:.0f} s | {requests_done / elapsed:,.0f} | "
                        f"{cycles / elapsed:,.0f} | {statistics.median(load.push_ms):.0f} / "
                        f"{percentile(load.push_ms, 0.99):.0f} ms | {statistics.median(load.pull_ms):.0f} / "
                        f"{percentile(load.pull_ms, 0.99):.0f} ms | {len(load.errors)} |")
            print(rows[-1], flush=True)
            kinds: dict[str, int] = {}
            for e in load.errors:
                kinds[e] = kinds.get(e, 0) + 1
            for kind, count in sorted(kinds.items(), key=lambda kv: -kv[1])[:5]:
                print(f"  errors: {count} × {kind}", flush=True)
        db.dispose()
    finally:
        with admin.engine.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()
        if os.environ.get("BENCH_KEEP"):
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    load_avg = os.getloadavg()[0]
    body = "\n".join([
        f"Command: `python -m bench.topology_bench --devices {args.devices} --seconds {args.seconds:g} "
        f"--processes {args.processes} --write` "
        f"(`make bench-topology`). Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        "",
        "The compose topology as processes on one 2-core machine shared with other work: PostgreSQL 15, N "
        "`caseapp-server serve` processes on their own ports, nginx 1.22 in front (least_conn, keep-alive), "
        f"and {args.devices} simulated devices (threads, own token and connection each) that push a one-field "
        "edit and then pull every change since their cursor (everyone's edits: all are admin devices), "
        "without pause, for a bounded time. A request is one push or one pull page; a cycle is both. The "
        "client's threads share the two cores with the servers, proxy and database, so these are floors.",
        "",
        "| app processes | devices | ran | requests/s | cycles/s | push p50 / p99 | pull p50 / p99 | errors |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
        *rows,
        "",
        f"Load average (1 min) at the end: {load_avg:.1f}.",
        "",
        "Reading it: every push takes the change log's advisory lock until it commits (positions must become "
        "visible in commit order, see docs/sync.md), so pushes are serialised by PostgreSQL whatever the "
        "number of app processes; a second process adds capacity for pulls, logins and attachments, and only "
        "where there are cores for it. Here the client's 200 threads, nginx, the app processes and PostgreSQL "
        "share two cores with other work, so more processes than cores add nothing here but their own "
        "overhead. Each process's connection pool is sized so that all of them fit PostgreSQL's 100 "
        "connections (CASEAPP_SERVER_POOL = 80 // processes): the first run with four processes of the default "
        "30 got 'too many clients' as 500s, now 503 sync.database_unavailable (docs/deployment.md). The first "
        "run of this benchmark found a crash, not a limit: a zstd compressor shared across threads killed the "
        "app process with SIGSEGV within seconds (every request then a 502); fixed in sync/compress.py, "
        "tests/sync/test_compress_threads.py.",
    ])
    print(body)
    if args.write:
        write_section(DOCS, "topology", "## Topology: app processes behind a proxy\n\n" + body)


if __name__ == "__main__":
    main()
