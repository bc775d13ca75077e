"""(b) `caseapp sync` killed with SIGKILL mid-push and mid-pull, and (c) the server process killed
while a pushed batch is in flight. The fault proxy stops the exchange at a seeded random point
(before the server sees a request, while it works on it, or part-way through relaying its answer,
or just after the whole answer reached the client, which is then applying it) and the process is
killed there. Re-running the sync converges, loses nothing, and the workspace opens and its audit
trail verifies.
"""

from __future__ import annotations

import math
import random
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from caseapp.services import demo
from sync.server import auth
from sync.server.db import Database
from tests.sync.conftest import PASSWORD, Server

from . import tally
from .checks import audit_edits, outbox_left, replica_differences
from .devices import CASEAPP_SERVER, CliDevice, base_env, make_device
from .marks import SQLITE_THEN_POSTGRES_LONG, seeds
from .proxy import AT_REQUEST, AT_RESPONSE, AT_SERVER, FaultProxy

PUSH_BATCH = 500  # sync.run.PUSH_BATCH
PAGE = 2000  # sync.protocol.DEFAULT_PAGE
#: CI: about 1,000 records (two push batches, one pull page); make fuzz: 2,100 (five batches, two pages)
HOUSEHOLDS = 210 if tally.LONG else 100


def fill(dev: CliDevice, households: int, seed: int) -> int:
    with dev.workspace() as ws:
        demo.generate(ws, households, seed=seed)
    return len(outbox_left(dev))


def random_point(rng: random.Random) -> tuple[str, float]:
    at = rng.choice([AT_REQUEST, AT_SERVER, AT_RESPONSE, AT_RESPONSE])
    return at, (rng.choice([rng.random(), 1.0]) if at == AT_RESPONSE else 0.0)


def kill_at(dev: CliDevice, proxy: FaultProxy, path: str, nth: int, at: str, fraction: float) -> None:
    hold = proxy.hold(path, at=at, nth=nth, fraction=fraction)
    proc = dev.start("sync")
    try:
        assert hold.wait(180), f"the sync never reached {path} #{nth}: {proc.kill()}"
    finally:
        killed = proc.kill()
        hold.release()
    assert killed.rc == -9, killed


def opens_and_verifies(dev: CliDevice) -> None:
    verified = dev.run("audit", "verify")  # opens the workspace and checks the whole hash chain
    assert verified.rc == 0, verified
    assert outbox_left(dev) == []


@SQLITE_THEN_POSTGRES_LONG
@pytest.mark.parametrize("seed", seeds())
def test_client_killed_mid_push_and_mid_pull(backend: str, server: Server, tmp_path: Path,
                                            make_proxy: Callable[..., FaultProxy], seed: int) -> None:
    rng = random.Random(seed)
    proxy = make_proxy(server.url)
    a = make_device(tmp_path, "admin", proxy.url, name="ws-a")
    records = fill(a, HOUSEHOLDS, seed)
    point = random_point(rng)
    kill_at(a, proxy, "/api/v1/push", rng.randint(1, math.ceil(records / PUSH_BATCH)), *point)
    again = a.sync()
    assert again.rc == 0, again
    opens_and_verifies(a)

    b = make_device(tmp_path, "admin", proxy.url, name="ws-b")
    pull_point = random_point(rng)
    kill_at(b, proxy, "/api/v1/pull", rng.randint(1, math.ceil(records / PAGE)), *pull_point)
    again = b.sync()
    assert again.rc == 0, again
    opens_and_verifies(b)
    if tally.LONG:  # and once more at a moment chosen by the clock, through a slow network
        proxy.bandwidth, proxy.latency_s = 400_000, 0.05
        c = make_device(tmp_path, "admin", proxy.url, name="ws-c")
        proc = c.start("sync")
        time.sleep(rng.uniform(1.0, 6.0))
        proc.kill()
        proxy.bandwidth, proxy.latency_s = None, 0.0
        assert c.sync().rc == 0
        opens_and_verifies(c)
        b = c
    a.sync()
    assert replica_differences([a, b], server.db) == []
    edits = audit_edits([a], server.db)
    tally.record("kill -9 of the client mid-push and mid-pull", injected=proxy.injected, checked=edits.checked,
                 lost=len(edits.lost) + len(edits.rejected))
    assert edits.checked == records and edits.lost == [] and edits.rejected == []


class ServerProcess:
    """`caseapp-server serve` as a real process, so it can be killed with SIGKILL."""

    def __init__(self, db: Database, log: Path) -> None:
        self.db_url = db.url
        self.log = log
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen([str(CASEAPP_SERVER), "--db", self.db_url, "serve", "--port", str(self.port)],
                                         env=base_env(), stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log.read_text()
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("the server did not start: " + self.log.read_text())

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(30)
            self.proc = None


@pytest.fixture
def server_process(server_db: Database, tmp_path: Path) -> Iterator[ServerProcess]:
    with server_db.write() as conn:
        auth.add_user(conn, "admin", PASSWORD, "admin", [])
    srv = ServerProcess(server_db, tmp_path / "server.log")
    srv.start()
    yield srv
    srv.kill()


@pytest.mark.parametrize("seed", seeds())
def test_server_killed_mid_batch(backend: str, server_process: ServerProcess, server_db: Database, tmp_path: Path,
                                 make_proxy: Callable[..., FaultProxy], seed: int) -> None:
    rng = random.Random(seed)
    proxy = make_proxy(server_process.url)
    a = make_device(tmp_path, "admin", proxy.url, name="ws-a")
    records = fill(a, HOUSEHOLDS, seed)
    hold = proxy.hold("/api/v1/push", at=AT_SERVER, nth=rng.randint(1, math.ceil(records / PUSH_BATCH)))
    proc = a.start("sync")
    assert hold.wait(180), proc.kill()
    time.sleep(rng.uniform(0.0, 0.3))  # somewhere in the batch: reading, merging or committing it
    server_process.kill()
    hold.release()
    cut = proc.wait()
    assert cut.one_line_failure and "Cannot reach the sync server" in cut.err, cut  # exit status: not 0
    server_process.start()
    again = a.sync()
    assert again.rc == 0, again
    assert replica_differences([a], server_db) == []
    edits = audit_edits([a], server_db)
    tally.record("server killed mid-batch", injected=proxy.injected, checked=edits.checked,
                 lost=len(edits.lost) + len(edits.rejected))
    assert edits.checked == records and edits.lost == [] and edits.rejected == []
    opens_and_verifies(a)
