"""The device's peak memory in a big first pull and a big push (issue 13): ``python -m bench.memory_bench
[--pull-households N] [--push-households M] [--cache DIR] [--write]``.

Target: a first pull of 400,000 records and a push of 100,000 stay under 300 MB resident on the
device. A demo household brings about 10.9 records, so the defaults (37,000 and 9,200 households)
make about 400,000 and 100,000; smaller sizes run the same steps faster.

The data, built once (and kept under ``--cache`` for later runs):
- a server (SQLite) holding the records of a ``N``-household demo workspace, filled through the
  server's own merge path (``sync.server.merge.push``, in batches of 500 as a device sends them),
  so it holds exactly the rows a push of that workspace would have written;
- a device workspace with an ``M``-household demo in its outbox, nothing sent (copied for each run).

Then the device side runs as its own process, the way a user runs it: ``caseapp sync``, on a
terminal (a pseudo-terminal here, so the command shows its progress line as it would to a person,
which also tells this bench which stage the command is in):
- first pull: a new workspace, logged in as an administrator (scope: everything), syncs once
  against the filled server (pull, then the search index rebuilt for what arrived);
- push: the unsent workspace syncs once against an empty server (the push, then the pull that
  follows it in every sync).
Each row's peak is the process's own high-water mark (the kernel's VmHWM, read from /proc every
5 ms until the process ends: it misses only growth in its last 5 ms); the peak of each stage is
VmRSS sampled as often while that stage's progress line was up.
"""

from __future__ import annotations

import argparse
import json
import os
import pty
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.doc import write_section
from bench.sync_bench import PASSWORD, LoopbackServer
from caseapp.crypto.keyfile import TEST_KDF
from caseapp.services import demo
from caseapp.store.workspace import Workspace
from sync import outbox, run
from sync.server import auth, merge
from sync.server.auth import Principal
from sync.server.db import Database

PASSPHRASE = "correct horse battery staple"
DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
TARGET_MB = 300
#: the progress lines of `caseapp sync` in English (caseapp/messages/sync.py), by stage
STAGES = {"Sending changes": "push", "Receiving changes": "pull", "Preparing search": "index",
          "Uploading attachments": "attachments"}
SAMPLE_S = 0.005


@dataclass
class Peak:
    """What one `caseapp sync` process used: its high-water mark and, per stage, the largest
    resident size sampled while that stage was shown."""

    hwm_mb: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    output: str = ""


def memory_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a running process in MB; zeros once it is gone."""
    found = {"VmRSS": 0.0, "VmHWM": 0.0}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name = line.split(":", 1)[0]
            if name in found:
                found[name] = int(line.split()[1]) / 1024
    except OSError:
        pass
    return found["VmRSS"], found["VmHWM"]


def rss_mb(pid: int) -> float:
    return memory_mb(pid)[0]


def caseapp_command() -> list[str]:
    script = Path(sys.executable).with_name("caseapp")
    return [str(script)] if script.exists() else [sys.executable, "-m", "caseapp.cli"]


def measured_sync(workspace: Path) -> Peak:
    """Run `caseapp sync` on ``workspace`` as its own process on a pseudo-terminal; its peaks."""
    env = dict(os.environ, CASEAPP_PASSPHRASE=PASSPHRASE, CASEAPP_LANG="en")
    master, slave = pty.openpty()
    started = time.perf_counter()
    proc = subprocess.Popen([*caseapp_command(), "--workspace", str(workspace), "sync"], env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    peak = Peak()
    stage = ["start"]
    done = threading.Event()

    def read_terminal() -> None:
        pending = ""
        while True:
            try:
                chunk = os.read(master, 4096).decode("utf-8", "replace")
            except OSError:  # the child closed its end
                return
            if not chunk:
                return
            # each progress line rewrites the last (a carriage return first): the newest tells
            pending = (pending + chunk)[-400:]
            line = pending.rsplit("\r", 1)[-1] or pending
            for prefix, name in STAGES.items():
                if prefix in line:
                    stage[0] = name
            if line == "\x1b[K":  # the line cleared: the sync is over, the workspace closing
                stage[0] = "end"

    def sample() -> None:
        while not done.is_set():
            now, high = memory_mb(proc.pid)
            peak.stages[stage[0]] = max(peak.stages.get(stage[0], 0.0), now)
            peak.hwm_mb = max(peak.hwm_mb, high)
            time.sleep(SAMPLE_S)

    reader = threading.Thread(target=read_terminal, daemon=True)
    sampler = threading.Thread(target=sample, daemon=True)
    reader.start()
    sampler.start()
    assert proc.stdout is not None
    out = proc.stdout.read().decode("utf-8", "replace")
    # Not wait4's ru_maxrss: the kernel carries the high-water mark of the memory the child was
    # forked with (this bench's, several hundred MB after building the data) across the exec.
    proc.wait()
    peak.seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    reader.join(timeout=5)
    os.close(master)
    if proc.returncode != 0:
        raise SystemExit(f"caseapp sync failed ({proc.returncode}): {out}")
    peak.output = " ".join(out.split("\n")).strip()  # one line, for a sentence of the document
    return peak


def fill_server(url: str, households: int, root: Path) -> int:
    """A server holding the records of an ``households``-household demo, written by the server's
    merge of that workspace's outbox, batch by batch; returns the records."""
    ws, _ = Workspace.create(root / "source", PASSPHRASE, kdf=TEST_KDF, actor="admin")
    summary = demo.generate(ws, households, seed=11, progress=_progress("  generating the server's data"))
    db = Database(url)
    db.migrate()
    with db.write() as conn:
        auth.add_user(conn, "admin", PASSWORD, "admin", [])
    who = Principal("admin", "admin", ws.device_id, ("",))
    after, pushed = 0, 0
    while True:
        entries = outbox.pending(ws, run.PUSH_BATCH, after_seq=after)
        if not entries:
            break
        with db.write(ordered=True) as conn:
            merge.push(conn, who, [outbox.to_op(e) for e in entries], int(time.time() * 1000))
        after = entries[-1].seq
        pushed += len(entries)
        if pushed % 20_000 < run.PUSH_BATCH:
            print(f"  merged {pushed:,} operations", flush=True)
    db.dispose()
    ws.close()
    shutil.rmtree(root / "source")
    return summary.records


def _progress(label: str) -> Callable[[int, int], None]:
    def say(done: int, total: int) -> None:
        if done % 2000 < 500 or done == total:
            print(f"{label}: {done:,} of {total:,} households", flush=True)

    return say


def build(cache: Path, pull_households: int, push_households: int) -> dict[str, int]:
    """The server's database and the unsent workspace, made once per size under ``cache``."""
    marker = cache / "sizes.json"
    wanted = {"pull_households": pull_households, "push_households": push_households}
    if marker.exists():
        made = json.loads(marker.read_text())
        if all(made.get(k) == v for k, v in wanted.items()):
            return {"pull_records": made["pull_records"], "push_records": made["push_records"]}
    shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir(parents=True)
    started = time.perf_counter()
    pull_records = fill_server(f"sqlite:///{cache / 'server.db'}", pull_households, cache)
    ws, _ = Workspace.create(cache / "unsent", PASSPHRASE, kdf=TEST_KDF, actor="admin")
    push_records = demo.generate(ws, push_households, seed=12,
                                 progress=_progress("  generating the unsent workspace")).records
    ws.close()
    marker.write_text(json.dumps({**wanted, "pull_records": pull_records, "push_records": push_records}))
    print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
    return {"pull_records": pull_records, "push_records": push_records}


def logged_in(path: Path, server: LoopbackServer, *, template: Path | None = None) -> Path:
    """A workspace at ``path`` (new, or a copy of ``template``) logged in to ``server``, closed."""
    if template is not None:
        shutil.copytree(template, path)
        ws = Workspace.open(path, PASSPHRASE)
    else:
        ws, _ = Workspace.create(path, PASSPHRASE, kdf=TEST_KDF, actor="admin")
    run.login(ws, server.url, "admin", PASSWORD)
    ws.close()
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pull-households", type=int, default=37_000, help="demo households on the server")
    parser.add_argument("--push-households", type=int, default=9_200, help="demo households in the outbox")
    parser.add_argument("--cache", type=Path, default=None,
                        help="keep the built data here and reuse it while the sizes are the same")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="memory-bench-"))
    try:
        cache = args.cache or tmp / "data"
        print("building the data", flush=True)
        sizes = build(cache, args.pull_households, args.push_households)
        server_db = tmp / "server.db"
        shutil.copyfile(cache / "server.db", server_db)  # the run registers devices: keep the cache as built
        server = LoopbackServer(f"sqlite:///{server_db}")
        try:
            print(f"first pull of {sizes['pull_records']:,} records", flush=True)
            pulled = measured_sync(logged_in(tmp / "fresh", server))
        finally:
            server.stop()
        server = LoopbackServer(f"sqlite:///{tmp / 'empty.db'}")
        try:
            with server.db.write() as conn:
                auth.add_user(conn, "admin", PASSWORD, "admin", [])
            print(f"push of {sizes['push_records']:,} records", flush=True)
            pushed = measured_sync(logged_in(tmp / "unsent", server, template=cache / "unsent"))
        finally:
            server.stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    text = report(args, sizes, pulled, pushed)
    print(text)
    if args.write:
        write_section(DOC, "memory", text)
    return 0


def report(args: argparse.Namespace, sizes: dict[str, int], pulled: Peak, pushed: Peak) -> str:
    def stages(peak: Peak) -> str:
        return ", ".join(f"{name} {mb:,.0f}" for name, mb in peak.stages.items() if mb)

    def verdict(mb: float) -> str:
        return "yes" if mb < TARGET_MB else "**no**"

    lines = [
        "## Device memory in a big first pull and push (issue 13)",
        "",
        f"Command: `python -m bench.memory_bench --pull-households {args.pull_households} --push-households "
        f"{args.push_households} --write`. Each row is one `caseapp sync` process on a (pseudo-)terminal, "
        "as a user runs it, against the server (SQLite) in its own process on loopback; the peak is the "
        "process's high-water mark (VmHWM, read every 5 ms until it ends), the stage figures VmRSS sampled as often "
        f"while that stage's progress line was shown. Target: under {TARGET_MB} MB.",
        "",
        "| | records | peak resident MB | under target | by stage, MB | wall s |",
        "|---|---:|---:|---|---|---:|",
        f"| first pull (new workspace, scope: everything) | {sizes['pull_records']:,} | {pulled.hwm_mb:,.0f} | "
        f"{verdict(pulled.hwm_mb)} | {stages(pulled)} | {pulled.seconds:,.0f} |",
        f"| push (an unsent workspace, to an empty server; then the pull that follows) | "
        f"{sizes['push_records']:,} | {pushed.hwm_mb:,.0f} | {verdict(pushed.hwm_mb)} | {stages(pushed)} | "
        f"{pushed.seconds:,.0f} |",
        "",
        f"`caseapp sync` said: first pull «{pulled.output}»; push «{pushed.output}».",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
