"""What an operator runs and watches: `caseapp-server migrate` once under a lock, serving processes
that refuse a schema they do not know, /healthz, /readyz, /metrics, JSON logs with request ids and
no personal data, `serve --workers N` and uvicorn's own CLI on the app factory (SQLite and
PostgreSQL)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from alembic import command
from prometheus_client.parser import text_string_to_metric_families

from caseapp.domain import Household
from caseapp.services import records
from sync.server import asgi
from sync.server.cli import main as server_cli
from sync.server.db import Database, _alembic_config, head_revision

from .conftest import COMMUNITY_B, GRID_A1, PG_ADMIN_URL, Device, Server

ENV = {k: v for k, v in os.environ.items() if not k.startswith(("CASEAPP_", "PROMETHEUS_"))}
CLI = [sys.executable, "-m", "sync.server.cli"]


@contextmanager
def empty_database(kind: str, folder: Path) -> Iterator[str]:
    """The URL of a database with no schema at all: a new SQLite file or a new PostgreSQL schema."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / f'empty-{uuid.uuid4().hex[:8]}.db'}"
        return
    name = f"ops_{uuid.uuid4().hex[:12]}"
    admin = Database(PG_ADMIN_URL)
    with admin.engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {name}")
    try:
        yield f"{PG_ADMIN_URL}?options=-csearch_path%3D{name}"
    finally:
        with admin.engine.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {name} CASCADE")
        admin.dispose()


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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


def _metrics(url: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = requests.get(f"{url}/metrics", timeout=10).text
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def test_concurrent_migrators_do_not_race(backend: str, tmp_path: Path) -> None:
    # Without the lock one in four failed here ("database is locked" on SQLite, a duplicate
    # alembic_version type on PostgreSQL) and left the others to finish.
    with empty_database(backend, tmp_path) as url:
        procs = [subprocess.Popen([*CLI, "--db", url, "migrate"], env=ENV, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE) for _ in range(4)]
        results = [(p.wait(120), p.stderr.read().decode() if p.stderr else "") for p in procs]
        assert [code for code, _ in results] == [0, 0, 0, 0], results
        db = Database(url)
        try:
            assert db.schema_state().at_head
            assert db.revision() == head_revision()
        finally:
            db.dispose()


def test_serving_refuses_a_schema_it_does_not_know(backend: str, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    with empty_database(backend, tmp_path) as url:
        assert server_cli(["--db", url, "serve", "--port", str(_port())]) == asgi.EXIT_SCHEMA
        assert "no schema yet" in capsys.readouterr().err
        db = Database(url)
        try:
            assert db.revision() is None  # serve did not migrate
            db.migrate()
            with db.engine.begin() as conn:
                command.downgrade(_alembic_config(conn), "s0005")
            assert server_cli(["--db", url, "serve", "--port", str(_port())]) == asgi.EXIT_SCHEMA
            err = capsys.readouterr().err
            assert "older than this server" in err and "caseapp-server migrate" in err and len(err.splitlines()) == 1
            db.migrate()
            with db.engine.begin() as conn:
                conn.exec_driver_sql("UPDATE alembic_version SET version_num = 's9999'")
            os.environ[asgi.DB_ENV] = url
            try:
                with pytest.raises(asgi.SchemaMismatch) as refused:
                    asgi.app()  # the factory uvicorn and gunicorn call: the same refusal
            finally:
                del os.environ[asgi.DB_ENV]
            assert "newer than this server" in str(refused.value)
        finally:
            db.dispose()
    capsys.readouterr()
    unreachable = f"postgresql+psycopg://nobody@127.0.0.1:{_port()}/none"  # nothing listens there
    assert server_cli(["--db", unreachable, "serve", "--port", str(_port())]) == asgi.EXIT_UNREACHABLE
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot be reached (OperationalError)" in err


def test_version_names_the_program_protocol_and_schema(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        server_cli(["--version"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("caseapp-server 0.") and f"schema {head_revision()}" in out and "protocol " in out


def test_health_readiness_and_metrics(server: Server, device: Callable[[str], Device]) -> None:
    assert requests.get(f"{server.url}/healthz", timeout=5).json() == {"status": "ok"}
    ready = requests.get(f"{server.url}/readyz", timeout=5)
    assert ready.status_code == 200 and ready.json() == {"status": "ready", "schema": head_revision()}
    before = _metrics(server.url)

    dev = device("worker1")
    with dev.ws.write() as s:
        h = records.create(s, Household, {"org_code": GRID_A1, "address": "海珠区滨江东路 1 号", "head_name": "王芳"})
        records.create(s, Household, {"org_code": COMMUNITY_B + "01", "address": "海珠区 2 号", "head_name": "李四"})
    dev.sync()
    assert h.id
    after = _metrics(server.url)

    def grew(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0.0) - before.get(key, 0.0)

    assert grew("caseapp_push_ops_total", verdict="applied") >= 1
    assert grew("caseapp_push_ops_total", verdict="rejected") == 1  # the other community's household
    assert sum(v for (name, _), v in after.items() if name == "caseapp_rejections_total") > 0
    assert grew("caseapp_pull_pages_total") >= 1
    assert grew("caseapp_http_requests_total", method="POST", route="/api/v1/push", status="200") >= 1
    assert grew("caseapp_http_request_duration_seconds_count", method="POST", route="/api/v1/login") == 1
    assert after[("caseapp_active_devices", (("window", "1d"),))] == 1
    assert after[("caseapp_devices", (("state", "active"),))] == 1

    given = requests.get(f"{server.url}/healthz", headers={"X-Request-ID": "lb-1234"}, timeout=5)
    assert given.headers["x-request-id"] == "lb-1234"
    made = requests.get(f"{server.url}/api/v1/handshake", headers={"X-Request-ID": "bad id\u00e9"}, timeout=5)
    assert len(made.headers["x-request-id"]) == 32

    with server.db.engine.begin() as conn:  # a database left behind an upgrade is not ready
        command.downgrade(_alembic_config(conn), "s0005")
    try:
        unready = requests.get(f"{server.url}/readyz", timeout=5)
        assert unready.status_code == 503 and unready.json()["reason"] == "schema"
    finally:
        server.db.migrate()


def test_two_processes_start_together_and_log_json_without_personal_data(backend: str, tmp_path: Path) -> None:
    """The compose topology as processes: migrate racing itself, then two app processes started at
    once on one database, one by `caseapp-server serve --workers 2`, one by uvicorn's own CLI."""
    with empty_database(backend, tmp_path) as url:
        migrators = [subprocess.Popen([*CLI, "--db", url, "migrate"], env=ENV, stdout=subprocess.DEVNULL)
                     for _ in range(2)]
        assert [m.wait(120) for m in migrators] == [0, 0]
        env = {**ENV, "CASEAPP_PASSWORD": "a good password 2026"}
        assert subprocess.run([*CLI, "--db", url, "demo"], env=env, stdout=subprocess.DEVNULL).returncode == 0
        ports = [_port(), _port()]
        logs = [tmp_path / "a.log", tmp_path / "b.log"]
        commands = [[*CLI, "--db", url, "serve", "--workers", "2", "--port", str(ports[0])],
                    [sys.executable, "-m", "uvicorn", "--factory", "sync.server.asgi:app", "--port", str(ports[1]),
                     "--no-access-log"]]
        procs = []
        for cmd, log in zip(commands, logs, strict=True):
            with log.open("wb") as out:
                procs.append(subprocess.Popen(cmd, env={**ENV, asgi.DB_ENV: url}, stdout=out, stderr=out))
        try:
            for port, proc, log in zip(ports, procs, logs, strict=True):
                _wait_ready(f"http://127.0.0.1:{port}", proc, log)
            first = f"http://127.0.0.1:{ports[0]}"
            login = requests.post(f"{first}/api/v1/login", json={"user": "worker1", "password": "a good password 2026",
                                                                 "device_id": uuid.uuid4().hex,
                                                                 "device_name": "王芳的笔记本"}, timeout=10)
            assert login.status_code == 200, login.text
            for _ in range(6):  # spread over both workers
                assert requests.get(f"{first}/api/v1/handshake", timeout=5).status_code == 200
            # a scrape of either worker adds up both workers' counters
            counted = _metrics(first)[("caseapp_http_requests_total",
                                       (("method", "GET"), ("route", "/api/v1/handshake"), ("status", "200")))]
            assert counted == 6
            second = f"http://127.0.0.1:{ports[1]}"
            assert requests.get(f"{second}/readyz", timeout=5).status_code == 200
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                proc.wait(30)
        text = logs[0].read_text()
        lines = [json.loads(line) for line in text.splitlines() if line.strip()]
        access = [line for line in lines if line["logger"] == "caseapp.server.access"]
        assert {line["route"] for line in access} >= {"/api/v1/login", "/api/v1/handshake", "/readyz"}
        assert all(len(line["request_id"]) == 32 for line in access)
        for secret in ("worker1", "王芳", "good password", login.json()["token"], "127.0.0.1:"):
            assert secret not in text
