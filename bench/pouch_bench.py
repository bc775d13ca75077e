"""CaseApp's sync beside PouchDB's replication, on the same records, in one run (issue 13):

    python -m bench.pouch_bench [--households 3000] [--rounds 2] [--write]

One demo workspace of --households households (bench.profile_push's seed) is made once; each
round then measures, on fresh servers:

- CaseApp: a copy of that workspace runs `caseapp sync` as its own process (bench.timed_cli: the
  real command line, with marks) against `caseapp-server serve` on 127.0.0.1 with a SQLite file
  (bench.sync_bench.LoopbackServer). Push: from the command's first request to the last verdict
  committed on the device. Then a fresh workspace runs `caseapp sync`: the initial pull, from its
  first request to the last page committed (and the search index rebuilt once, as a first sync
  does);
- PouchDB: the same records, exported from the workspace as JSON documents (one record = one
  document, ``_id`` its id), loaded into an in-memory PouchDB 9 and replicated one-shot to a
  pouchdb-server 4.2 in memory (push), then from it into a fresh in-memory PouchDB (pull), with
  PouchDB's default replication options (bench/pouch/replicate.js).

Rounds alternate which side goes first, so both see the same moments of a shared machine's load.
Prints records/s for both and the ratios CaseApp/PouchDB; with --write the figures replace the
"pouch" section of docs/benchmarks.md. Node packages come from bench/pouch/package-lock.json
(`npm ci`, run when node_modules does not match it). Without node and npm the bench says so in one
line and exits 0.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.doc import write_section
from bench.machine import describe
from bench.profile_push import PASSPHRASE
from bench.sync_bench import PASSWORD, LoopbackServer, process_cpu
from bench.timed_cli import MARKS_FD
from caseapp.crypto.keyfile import TEST_KDF
from caseapp.services import demo
from caseapp.services.exchange import export_bytes
from caseapp.store.workspace import Workspace
from sync import outbox, run
from sync.server import auth

ROOT = Path(__file__).resolve().parent.parent
POUCH = Path(__file__).resolve().parent / "pouch"
DOC = ROOT / "docs" / "benchmarks.md"
SEED = 3  # bench.profile_push's demo
#: no step of a round may take longer than this (a hung process fails the bench instead)
STEP_TIMEOUT_S = 900
#: issue 13's targets: (CaseApp records/s, CaseApp/PouchDB ratio)
TARGETS = {"push": (15_000, 2.5), "pull": (40_000, 4.0)}


def documents(lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """CaseApp's JSON Lines export as CouchDB documents: one record, one document, its id as ``_id``
    (type and fields as exported)."""
    for line in lines:
        if line.strip():
            row = json.loads(line)
            yield {"_id": row.pop("id"), **row}


def write_documents(ws: Workspace, target: Path) -> int:
    count = 0
    with target.open("w", encoding="utf-8") as f:
        for doc in documents(export_bytes(ws).decode("utf-8").splitlines()):
            f.write(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n")
            count += 1
    return count


class RunQueue:
    """How long each of some processes' threads have been ready to run but waited for a CPU (Linux
    schedstat: a shared machine's load, as these processes felt it), summed per process. Threads
    are sampled every SAMPLE_S and on demand, so one that ends between samples loses at most that
    much of its count; 0 where schedstat is missing."""

    SAMPLE_S = 0.1

    def __init__(self, *pids: int) -> None:
        self._seen: dict[int, dict[int, float]] = {pid: {} for pid in pids}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        while not self._stop.wait(self.SAMPLE_S):
            self.waited()

    def waited(self) -> dict[int, float]:
        with self._lock:
            for pid, seen in self._seen.items():
                for task in Path(f"/proc/{pid}/task").glob("*/schedstat"):
                    with contextlib.suppress(OSError, ValueError, IndexError):  # a thread just gone
                        seen[int(task.parent.name)] = int(task.read_text().split()[1]) / 1e9
            return {pid: sum(seen.values()) for pid, seen in self._seen.items()}

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


@dataclass(frozen=True)
class Mark:
    t: float  # time.perf_counter of the process that marked (CLOCK_MONOTONIC)
    cpu: float  # its CPU seconds so far
    server_cpu: float  # the server process's CPU seconds, read as the mark arrived
    load: float  # the machine's one-minute load average then
    waited: float  # seconds the marking process's threads have waited for a CPU so far
    server_waited: float  # the same for the server process


@dataclass
class Window:
    """One timed step: records/s, and the CPU each process spent inside it."""

    seconds: float
    client_cpu: float
    server_cpu: float
    load: float  # one-minute load average as the step began
    client_waited: float  # seconds ready to run but waiting for a CPU
    server_waited: float

    @classmethod
    def between(cls, marks: dict[str, Mark], start: str, end: str) -> Window:
        a, b = marks[start], marks[end]
        return cls(b.t - a.t, b.cpu - a.cpu, b.server_cpu - a.server_cpu, a.load, b.waited - a.waited,
                   b.server_waited - a.server_waited)


@dataclass
class Round:
    order: list[str]
    caseapp: dict[str, Window] = field(default_factory=dict)
    pouch: dict[str, Window] = field(default_factory=dict)
    #: extra CaseApp figures: the whole `caseapp sync` of the fresh device as a person waits for it,
    #: and the index rebuild inside the pull
    pull_command_s: float = 0.0
    index_s: float = 0.0


def follow(cmd: list[str], server_pid: int, cwd: Path | None = None,
           env: dict[str, str] | None = None) -> tuple[dict[str, Mark], str, float]:
    """Run ``cmd`` with a marks pipe (BENCH_MARKS_FD); read the server's CPU as each mark arrives.
    Returns the marks, the command's stdout and its wall time."""
    read_fd, write_fd = os.pipe()
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env={**(env or os.environ), MARKS_FD: str(write_fd)},
                            pass_fds=(write_fd,), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    os.close(write_fd)
    watchdog = threading.Timer(STEP_TIMEOUT_S, proc.kill)
    watchdog.start()
    queue = RunQueue(proc.pid, server_pid)
    marks: dict[str, Mark] = {}
    try:
        with os.fdopen(read_fd, encoding="utf-8") as pipe:
            for line in pipe:  # ends when the command exits (or is killed by the watchdog)
                m = json.loads(line)
                server_cpu, waited = process_cpu(server_pid), queue.waited()
                marks[m["mark"]] = Mark(m["t"], m["cpu"], server_cpu, os.getloadavg()[0], waited[proc.pid],
                                        waited[server_pid])
        out, err = proc.communicate(timeout=STEP_TIMEOUT_S)
    finally:
        watchdog.cancel()
        queue.close()
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])}… failed ({proc.returncode}): {(err or out).strip()[-2000:]}")
    return marks, out, wall


def caseapp_sync(workspace: Path, server: LoopbackServer) -> tuple[dict[str, Mark], float]:
    env = dict(os.environ, CASEAPP_PASSPHRASE=PASSPHRASE, CASEAPP_LANG="en")
    marks, _, wall = follow([sys.executable, "-m", "bench.timed_cli", "--workspace", str(workspace), "sync"],
                            server.proc.pid, cwd=ROOT, env=env)
    return marks, wall


def logged_in(path: Path, server: LoopbackServer, *, create: bool) -> None:
    """A workspace at ``path`` (new, or the copied demo) registered with ``server``, then closed: the
    command line opens it next."""
    if create:
        ws, _ = Workspace.create(path, PASSPHRASE, kdf=TEST_KDF, actor="admin")
    else:
        ws = Workspace.open(path, PASSPHRASE)
    try:
        run.login(ws, server.url, "admin", PASSWORD)
    finally:
        ws.close()


def caseapp_round(pristine: Path, work: Path, result: Round) -> None:
    server = LoopbackServer(f"sqlite:///{work / 'server.db'}")
    try:
        with server.db.write() as conn:
            auth.add_user(conn, "admin", PASSWORD, "admin", [])
        device, fresh = work / "device", work / "fresh"
        shutil.copytree(pristine, device)
        logged_in(device, server, create=False)
        marks, _ = caseapp_sync(device, server)
        result.caseapp["push"] = Window.between(marks, "first_request", "push_end")
        logged_in(fresh, server, create=True)
        marks, wall = caseapp_sync(fresh, server)
        result.caseapp["pull"] = Window.between(marks, "first_request", "pull_end")
        result.pull_command_s = wall
        result.index_s = marks["pull_end"].t - marks["index_start"].t if "index_start" in marks else 0.0
    finally:
        server.stop()
    a, b = Workspace.open(device, PASSPHRASE), Workspace.open(fresh, PASSPHRASE)
    try:
        if export_bytes(a) != export_bytes(b):
            raise SystemExit("CaseApp: the pulled workspace differs from the pushed one")
    finally:
        a.close()
        b.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def pouch_round(node: str, docs: Path, count: int, work: Path, result: Round) -> None:
    port = free_port()
    work.mkdir(parents=True, exist_ok=True)  # pouchdb-server writes its config.json and log.txt here
    server = subprocess.Popen([node, str(POUCH / "node_modules" / "pouchdb-server" / "bin" / "pouchdb-server"),
                               "--in-memory", "--host", "127.0.0.1", "--port", str(port), "--no-stdout-logs"],
                              cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("pouchdb-server did not start") from None
                time.sleep(0.2)
        marks, out, _ = follow([node, str(POUCH / "replicate.js"), str(docs), f"http://127.0.0.1:{port}"],
                               server.pid, cwd=POUCH)
    finally:
        server.terminate()
        server.wait(timeout=30)
    figures = json.loads(out)
    for key in ("loaded", "push_written", "server_docs", "pull_written", "pulled_docs"):
        if figures[key] != count:
            raise SystemExit(f"PouchDB: {key} = {figures[key]}, expected {count}")
    result.pouch["push"] = Window.between(marks, "push_start", "push_end")
    result.pouch["pull"] = Window.between(marks, "pull_start", "pull_end")


def node_tools() -> tuple[str, str] | None:
    node, npm = shutil.which("node"), shutil.which("npm")
    return (node, npm) if node and npm else None


def installed() -> bool:
    """node_modules holds exactly what package-lock.json names (npm keeps its own copy of the lock
    there): `npm ci` would only install the same again, in a minute or two."""
    try:
        lock = json.loads((POUCH / "package-lock.json").read_text(encoding="utf-8"))["packages"]
        have = json.loads((POUCH / "node_modules" / ".package-lock.json").read_text(encoding="utf-8"))["packages"]
    except (OSError, ValueError, KeyError):
        return False
    return bool(have == {k: v for k, v in lock.items() if k})


def versions(node: str) -> str:
    script = ("const v=(n)=>require(n+'/package.json').version;"
              "console.log(`node ${process.version}, pouchdb ${v('pouchdb')}, pouchdb-server ${v('pouchdb-server')}, "
              "pouchdb-adapter-memory ${v('pouchdb-adapter-memory')}`)")
    return subprocess.run([node, "-e", script], cwd=POUCH, capture_output=True, text=True, check=True,
                          timeout=60).stdout.strip()


def rate(count: int, w: Window) -> float:
    return count / w.seconds


def report(rounds: list[Round], count: int, households: int, node_versions: str, setup_s: float) -> str:
    lines = [
        "## CaseApp beside PouchDB (issue 13)",
        "",
        f"Command: `python -m bench.pouch_bench --households {households} --rounds {len(rounds)} --write` "
        "(in `make bench-sync`). The same "
        f"{count:,} records (a {households:,}-household demo workspace, seed {SEED}) on both sides, on fresh "
        "servers each round, rounds alternating which side goes first. CaseApp: `caseapp sync` as its own "
        "process against `caseapp-server serve` (SQLite file) on 127.0.0.1, onto an encrypted workspace; push "
        "from the command's first request to the last verdict committed on the device, initial pull into a "
        "fresh workspace from its first request to the last page committed (search index rebuilt). PouchDB: "
        "the records exported as JSON documents (one record = one document), an in-memory PouchDB replicating "
        "one-shot to pouchdb-server in memory (push), then into a fresh in-memory PouchDB (pull), default "
        f"replication options ({node_versions}).",
        "",
        "| round (first side) | step | CaseApp records/s | PouchDB records/s | CaseApp/PouchDB | "
        "load (1 min) CaseApp / PouchDB |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for n, r in enumerate(rounds, start=1):
        for step in ("push", "pull"):
            c, q = r.caseapp[step], r.pouch[step]
            lines.append(f"| {n} ({r.order[0]}) | {step} | {rate(count, c):,.0f} | {rate(count, q):,.0f} | "
                         f"{q.seconds / c.seconds:.2f}× | {c.load:.1f} / {q.load:.1f} |")
    lines += [
        "",
        "Where each step's time went: CPU seconds, and seconds ready to run but waiting for a CPU (Linux "
        "schedstat, summed over threads, so it can exceed the wall time: the machine's load as these processes felt "
        "it), of the device or local "
        "PouchDB / of the server.",
        "",
        "| round | step | side | wall s | CPU s device / server | waiting for a CPU s device / server | "
        "records per CPU second of the busier process |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    for n, r in enumerate(rounds, start=1):
        for step in ("push", "pull"):
            for side, w in (("CaseApp", r.caseapp[step]), ("PouchDB", r.pouch[step])):
                lines.append(f"| {n} | {step} | {side} | {w.seconds:.1f} | {w.client_cpu:.1f} / {w.server_cpu:.1f} | "
                             f"{w.client_waited:.1f} / {w.server_waited:.1f} | "
                             f"{count / max(w.client_cpu, w.server_cpu, 1e-9):,.0f} |")
    lines += [
        "",
        "The last column is the rate each side would reach on two idle cores if its two processes overlapped "
        "fully: the busier one's CPU is the limit no scheduling removes (CPU seconds themselves grow somewhat "
        "on a loaded machine).",
    ]
    lines += ["", "Issue 13's targets, judged in every round:", ""]
    for step, (floor, ratio) in TARGETS.items():
        rates = [rate(count, r.caseapp[step]) for r in rounds]
        ratios = [r.pouch[step].seconds / r.caseapp[step].seconds for r in rounds]
        met_rate = all(x >= floor for x in rates)
        met_ratio = all(x >= ratio for x in ratios)
        lines.append(f"- {step}: ≥ {floor:,} records/s: **{'met' if met_rate else 'not met'}** "
                     f"({', '.join(f'{x:,.0f}' for x in rates)}); ≥ {ratio}× PouchDB: "
                     f"**{'met' if met_ratio else 'not met'}** ({', '.join(f'{x:.2f}×' for x in ratios)})")
    pull_cmd = statistics.median(r.pull_command_s for r in rounds)
    index = statistics.median(r.index_s for r in rounds)
    lines += [
        "",
        f"The fresh device's whole `caseapp sync` (process start to exit, as a person waits for it): median "
        f"{pull_cmd:.1f} s, of which the search index rebuilt at the end of the pull {index:.1f} s. The load "
        "column is the one-minute load average as each side began: on this shared 2-core machine read the "
        "ratios, measured side by side, before the absolute figures.",
        "",
        f"Machine: {describe()}. Setup (demo workspace and its export, not timed): {setup_s:.0f} s.",
    ]
    return "\n".join(lines)


def ensure_packages(npm: str) -> None:
    if not installed():
        print("installing the PouchDB packages (npm ci in bench/pouch)…", flush=True)
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=POUCH, check=True, timeout=STEP_TIMEOUT_S,
                       stdout=subprocess.DEVNULL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=2, help="rounds, alternating which side goes first")
    parser.add_argument("--write", action="store_true", help="replace the pouch section of docs/benchmarks.md")
    args = parser.parse_args(argv)
    tools = node_tools()
    if tools is None:
        print("bench.pouch_bench: node and npm not found; the PouchDB side-by-side is skipped")
        return 0
    node, npm = tools
    ensure_packages(npm)
    node_versions = versions(node)
    with tempfile.TemporaryDirectory(prefix="pouch-bench-") as t:
        root = Path(t)
        started = time.perf_counter()
        pristine, docs = root / "demo", root / "documents.jsonl"
        ws, _ = Workspace.create(pristine, PASSPHRASE, kdf=TEST_KDF, actor="admin")
        try:
            demo.generate(ws, args.households, seed=SEED)
            count = outbox.pending_count(ws)
            if write_documents(ws, docs) != count:
                raise SystemExit("the export and the outbox disagree on the number of records")
        finally:
            ws.close()
        setup_s = time.perf_counter() - started
        print(f"{count:,} records; {node_versions}", flush=True)
        rounds: list[Round] = []
        for n in range(args.rounds):
            order = ["CaseApp", "PouchDB"] if n % 2 == 0 else ["PouchDB", "CaseApp"]
            result = Round(order)
            for side in order:
                work = root / f"round{n}-{side.lower()}"
                work.mkdir()
                if side == "CaseApp":
                    caseapp_round(pristine, work, result)
                else:
                    pouch_round(node, docs, count, work, result)
                shutil.rmtree(work)
                print(f"round {n + 1}: {side} " + ", ".join(
                    f"{step} {rate(count, w):,.0f} records/s" for step, w in
                    (result.caseapp if side == "CaseApp" else result.pouch).items()), flush=True)
            rounds.append(result)
    text = report(rounds, count, args.households, node_versions, setup_s)
    print(text)
    if args.write:
        write_section(DOC, "pouch", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
