"""What small hostile bodies cost the server: `python -m bench.bomb_bench [--checkout DIR] [--pg URL]`.

Runs ``caseapp-server serve`` from a checkout (this one by default; point --checkout at an export
of another commit, e.g. ``git archive main | tar -x -C /tmp/main``, to compare) in a process of
its own over SQLite (or a fresh PostgreSQL schema with --pg), and for each scenario reports the
server's peak resident memory above its idle size (VmHWM, reset between scenarios through
/proc/PID/clear_refs) and the slowest /handshake answered while the scenario ran (a probe asks
every 20 ms):

- the issue's bomb: 3 KB of zstd expanding to 32 MiB of "{}," posted to /push, no token;
  once, then four at once;
- the same four with a valid device token;
- a legitimate 8 MB push (1000 household records with 2,700-character notes), then four at once;
- and on the device's side, a fake server answering a pull with 1 MB of gzip that inflates to
  1 GiB: the client process's peak memory growth (VmHWM), measured in a process of its own.

A measurement, not a test: nothing is asserted. The tests (tests/sync/test_request_limits.py)
assert on the decoders instead.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests
import zstandard

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "/api/v1"
PASSWORD = "bench-password-2026"
GRID = "44010500100101"
MIB = 1 << 20


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bomb(size: int = 32 * MIB - 64) -> bytes:
    """``{"ops":[{},{},...]}`` of ``size`` bytes as a zstd stream (the frame does not declare its size)."""
    out = io.BytesIO()
    with zstandard.ZstdCompressor(level=19).stream_writer(out, closefd=False) as writer:
        writer.write(b'{"ops":[')
        items = (size - 12) // 3
        chunk = b"{}," * (MIB // 3)
        for _ in range(items // (MIB // 3)):
            writer.write(chunk)
        writer.write(b"{}," * (items % (MIB // 3)) + b'{}]}')
    return out.getvalue()


def legit_push() -> bytes:
    note = "入户核查情况记录。" * 300
    ops = [{"seq": i + 1, "entity": "household", "row_id": str(uuid.uuid4()), "op": "create", "hlc": i + 1,
            "value": {"org_code": GRID, "address": f"滨江东路 {i} 号", "head_name": "王芳", "notes": note}}
           for i in range(1000)]
    return zstandard.ZstdCompressor(level=3).compress(
        json.dumps({"ops": ops}, ensure_ascii=False, separators=(",", ":")).encode())


class ServerProcess:
    def __init__(self, checkout: Path, db_url: str) -> None:
        self.checkout = checkout
        self.db_url = db_url
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "PYTHONPATH": str(checkout), "CASEAPP_PASSWORD": PASSWORD}
        self.proc: subprocess.Popen[bytes] | None = None

    def cli(self, *args: str, wait: bool = True) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-c", "import sys; from sync.server.cli import main; sys.exit(main())",
                   "--db", self.db_url, *args]
        proc = subprocess.Popen(command, cwd=self.checkout, env=self.env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        if wait and proc.wait(120) != 0:
            raise RuntimeError(f"caseapp-server {' '.join(args)} failed")
        return proc

    def start(self) -> None:
        self.cli("user", "add", "worker1", "--role", "caseworker", "--scope", GRID[:12])
        self.proc = self.cli("serve", "--port", str(self.port), wait=False)
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{self.url}{PREFIX}/handshake", timeout=2)
                return
            except requests.ConnectionError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("server did not start") from None
                time.sleep(0.1)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(30)

    def status(self, field: str) -> int:
        assert self.proc is not None
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
        raise KeyError(field)

    def reset_peak(self) -> None:
        assert self.proc is not None
        Path(f"/proc/{self.proc.pid}/clear_refs").write_text("5")


def login(url: str) -> str:
    body = {"user": "worker1", "password": PASSWORD, "device_id": f"bench-{uuid.uuid4().hex[:8]}"}
    response = requests.post(f"{url}{PREFIX}/login", json=body, timeout=30)
    response.raise_for_status()
    return str(response.json()["token"])


def scenario(server: ServerProcess, name: str, sends: list[Callable[[], int]]) -> dict[str, Any]:
    time.sleep(0.5)  # let the previous scenario's garbage go
    server.reset_peak()
    idle = server.status("VmRSS")
    slowest = 0.0
    done = threading.Event()

    def probe() -> None:
        nonlocal slowest
        while not done.is_set():
            t0 = time.perf_counter()
            requests.get(f"{server.url}{PREFIX}/handshake", timeout=120)
            slowest = max(slowest, time.perf_counter() - t0)
            time.sleep(0.02)

    prober = threading.Thread(target=probe)
    prober.start()
    statuses: list[int] = []
    t0 = time.perf_counter()
    senders = [threading.Thread(target=lambda send=send: statuses.append(send())) for send in sends]
    for s in senders:
        s.start()
    for s in senders:
        s.join()
    elapsed = time.perf_counter() - t0
    done.set()
    prober.join()
    return {"scenario": name, "statuses": sorted(statuses), "seconds": elapsed,
            "peak_mib": (server.status("VmHWM") - idle) / MIB, "handshake_ms": slowest * 1000}


CLIENT_PROBE = """
import threading, zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
member = zlib.compressobj(9, zlib.DEFLATED, 31)
BODY = (member.compress(bytes(1 << 20)) + member.flush()) * 1024  # 1 GiB as about 1 MB of gzip


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        for name, value in (("Content-Type", "application/json"), ("Content-Encoding", "gzip"),
                            ("Content-Length", str(len(BODY)))):
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(BODY)
        except OSError:
            pass

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
from sync.client import RetryPolicy, SyncClient


def status(field):
    for line in open("/proc/self/status").read().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024


open("/proc/self/clear_refs", "w").write("5")  # the peak starts again from here
before = status("VmRSS")
client = SyncClient(f"http://127.0.0.1:{server.server_address[1]}", "token", retry=RetryPolicy(attempts=1))
try:
    client.pull("")
    outcome = "accepted"
except Exception as error:
    outcome = f"{type(error).__name__} ({len(str(error)):,}-character message)"  # what a CLI prints
grown = status("VmHWM") - before
print(f"{len(BODY)}|{outcome}|{grown:.0f}")
"""


def client_scenario(checkout: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    out = subprocess.run([sys.executable, "-c", CLIENT_PROBE], cwd=checkout, env=env, capture_output=True,
                         text=True, timeout=600, check=True).stdout.strip().split("|")
    return f"client: a {int(out[0]):,}-byte gzip answer to a pull: {out[1]}, peak memory grew {out[2]} MiB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkout", type=Path, default=ROOT)
    parser.add_argument("--pg", default=None, help="PostgreSQL URL (a fresh schema is made and dropped)")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="bomb-bench-"))
    schema = f"bomb_{uuid.uuid4().hex[:8]}"
    if args.pg:
        import sqlalchemy

        admin = sqlalchemy.create_engine(args.pg)
        with admin.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
        db_url = f"{args.pg}?options=-csearch_path%3D{schema}"
    else:
        db_url = f"sqlite:///{folder / 'server.db'}"
    server = ServerProcess(args.checkout.resolve(), db_url)
    server.start()
    try:
        tokens = [login(server.url) for _ in range(5)]  # a device each: no push replays another's
        the_bomb, pushes = bomb(), [legit_push() for _ in range(5)]
        print(f"checkout {server.checkout}; bomb {len(the_bomb):,} bytes of zstd, 32 MiB decoded; "
              f"legitimate push {len(pushes[0]):,} bytes of zstd")

        def post(data: bytes, token: str | None) -> Callable[[], int]:
            headers = {"Content-Type": "application/json", "Content-Encoding": "zstd"}
            if token:
                headers["Authorization"] = f"Bearer {token}"
            return lambda: requests.post(f"{server.url}{PREFIX}/push", data=data, headers=headers,
                                         timeout=300).status_code

        rows = [
            scenario(server, "bomb, no token", [post(the_bomb, None)]),
            scenario(server, "bomb, no token, 4 at once", [post(the_bomb, None)] * 4),
            scenario(server, "bomb, valid token, 4 at once", [post(the_bomb, t) for t in tokens[:4]]),
            scenario(server, "legitimate 8 MB push", [post(pushes[4], tokens[4])]),
            scenario(server, "legitimate 8 MB push, 4 at once", [post(pushes[i], tokens[i]) for i in range(4)]),
        ]
    finally:
        server.stop()
        if args.pg:
            with admin.begin() as conn:
                conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    print("| scenario | answers | server peak RSS above idle | slowest handshake meanwhile | wall time |")
    print("|---|---|---:|---:|---:|")
    for r in rows:
        print(f"| {r['scenario']} | {', '.join(map(str, r['statuses']))} | {r['peak_mib']:.0f} MiB | "
              f"{r['handshake_ms']:.0f} ms | {r['seconds']:.2f} s |")
    print(client_scenario(server.checkout))
    return 0


if __name__ == "__main__":
    sys.exit(main())
