"""An administrator runs ``caseapp-server standards add`` on the SQLite file a live server is
serving, while devices push: every add goes in, every push goes in, and nothing answers "database
is locked". Two processes write the one file (the server and the command; or two ``serve
--workers``), so the server's in-process write lock cannot order them: SQLite must, by taking its
write lock when a write transaction begins (sync/server/db.py). A command that still cannot write
says so in one line, never a traceback.

A real ``caseapp-server serve`` process on 127.0.0.1, real encrypted workspaces pushing from
threads, the command run as operators run it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import Household
from caseapp.services import records
from caseapp.store.tables import JournalEntry
from caseapp.store.workspace import Workspace
from sync import run
from sync.server import standards
from sync.server.db import Database

from .conftest import FAST_RETRY, PASSPHRASE

ENV = {k: v for k, v in os.environ.items() if not k.startswith(("CASEAPP_", "PROMETHEUS_"))}
CLI = [sys.executable, "-m", "sync.server.cli"]
PASSWORD = "a good password 2026"
GRID = "44011101001001"  # in worker1's and worker2's community (caseapp-server demo)
ADDS = 6
PER_PUSH = 40
NOTICE = "穗民规字〔2025〕7号 关于调整海珠区最低生活保障标准的通知（测试）"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cli(url: str, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, "--db", url, *args], env={**ENV, "CASEAPP_PASSWORD": PASSWORD},
                          capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def _wait_ready(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text()
        try:
            if requests.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise AssertionError("not ready: " + log.read_text())


def _add(url: str, month: int) -> subprocess.CompletedProcess[str]:
    return _cli(url, "standards", "add", "--kind", "dibao", "--district", "440105",
                "--amount", str(1500 + month), "--effective-from", f"2025-{month:02d}-01", "--source", NOTICE,
                "--verified")


@pytest.fixture
def served(tmp_path: Path) -> object:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    assert _cli(url, "demo").returncode == 0  # migrates, then the demo users
    port, log = _port(), tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([*CLI, "--db", url, "serve", "--port", str(port)], env=ENV, stdout=out, stderr=out)
    address = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(address, proc, log)
        yield url, address
    finally:
        proc.terminate()
        proc.wait(30)
    assert "database is locked" not in log.read_text()


def _pusher(ws: Workspace, stop: threading.Event, failures: list[BaseException], pushed: list[int]) -> None:
    """Create a household and sync it, again and again, until told to stop (at least twice)."""
    rounds = 0
    try:
        while rounds < 2 or not stop.is_set():
            with ws.write() as s:  # a push long enough that the command's add meets it
                for n in range(PER_PUSH):
                    records.create(s, Household, {"org_code": GRID, "address": f"龙庆北 {rounds}-{n} 号",
                                                  "head_name": "陈秀英"})
            client = run.connect(ws, retry=FAST_RETRY)
            try:
                report = run.sync(ws, client)
            finally:
                client.close()
            pushed.append(report.push.applied)
            rounds += 1
    except BaseException as error:  # handed to the test thread, which fails with it
        failures.append(error)


def test_standards_added_beside_a_serving_process_while_devices_push(served: tuple[str, str],
                                                                     tmp_path: Path) -> None:
    url, address = served
    devices = []
    for n, user in enumerate(("worker1", "worker2", "worker1")):
        ws, _ = Workspace.create(tmp_path / f"ws-{n}-{user}", PASSPHRASE, kdf=TEST_KDF, actor=user)
        run.login(ws, address, user, PASSWORD, retry=FAST_RETRY)
        devices.append(ws)
    stop, failures, pushed = threading.Event(), [], []
    threads = [threading.Thread(target=_pusher, args=(ws, stop, failures, pushed)) for ws in devices]
    for t in threads:
        t.start()
    try:
        ran = [_add(url, month) for month in range(1, ADDS + 1)]
    finally:
        stop.set()
        for t in threads:
            t.join(300)
    assert not failures, failures
    for done in ran:
        assert (done.returncode, done.stderr) == (0, ""), done
        assert done.stdout.startswith("Standard #")
    db = Database(url)
    try:
        with db.read() as conn:
            assert len(standards.listed(conn)) == ADDS
    finally:
        db.dispose()
    for ws in devices:
        with ws.read() as s:  # every household pushed went in
            states = set(s.scalars(select(JournalEntry.state)))
        assert states <= {"applied"}, states
        ws.close()
    assert len(pushed) >= 4 and sum(pushed) == PER_PUSH * len(pushed)  # each round's household applied


def test_a_database_that_stays_busy_is_one_line_and_nothing_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    from sync.server import cli, db

    url = f"sqlite:///{tmp_path / 'server.db'}"
    assert cli.main(["--db", url, "migrate"]) == 0
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)
    monkeypatch.setattr(cli, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(tmp_path / "server.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process's long write, as far as SQLite can tell
    try:
        capsys.readouterr()
        code = cli.main(["--db", url, "standards", "add", "--kind", "dibao", "--district", "440105", "--amount",
                         "1500", "--effective-from", "2025-07-01", "--source", NOTICE])
    finally:
        holder.rollback()
        holder.close()
    err = capsys.readouterr().err
    assert code == cli.EXIT_BUSY
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert err.startswith("服务器数据库正被另一个进程写入") and "nothing was changed" in err
    assert cli.main(["--db", url, "standards", "list"]) == 0
    assert "No administrator has added" in capsys.readouterr().out
