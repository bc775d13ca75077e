"""A server whose PostgreSQL cannot be reached (down, restarting, every connection slot taken)
answers 503 with Retry-After and its own message, never a 500: nothing was written, the device keeps
its changes and says so in one line, and they go in once the database answers again. The pool each
process holds is sized by CASEAPP_SERVER_POOL, so several processes fit PostgreSQL's connections.

Real uvicorn servers on 127.0.0.1; the unreachable database is a PostgreSQL URL on a closed port.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Callable

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from caseapp.messages import message
from sync import outbox, settings
from sync import protocol as p
from sync.errors import ServerFailedError
from sync.server import db as server_db
from sync.server.db import Database, is_unavailable

from .conftest import GRID_A1, PG_ADMIN_URL, Device, Server
from .test_end_to_end import new_household


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when the block ends: nothing listens there


def _unreachable() -> Database:
    return Database(f"postgresql+psycopg://caseapp_test:x@127.0.0.1:{_closed_port()}/caseapp_test"
                    "?connect_timeout=2")


def test_a_database_out_of_reach_is_503_and_the_changes_go_in_later(server: Server,
                                                                    device: Callable[[str], Device]) -> None:
    one = device("worker1")
    new_household(one, GRID_A1, head_name="区伯")
    server.stop()
    down = Server(_unreachable(), port=server.port)  # the same address, its database gone
    down.start()
    try:
        with pytest.raises(ServerFailedError) as refused:
            one.sync()
        assert refused.value.key == "sync.database_unavailable" and refused.value.params == {"status": 503}
        said = message(refused.value.key, "zh", **refused.value.params)
        assert "\n" not in said and "未做任何改动" in said
        token = one.ws.get_setting(settings.TOKEN)
        # answered by the token check, before any route ...
        answer = requests.post(f"{down.url}{p.API_PREFIX}/pull", json={}, timeout=10,
                               headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 503 and answer.headers["Retry-After"] == "5", answer.text
        assert answer.json()["error"] == "sync.database_unavailable"
        # ... and by a route that needs no token
        login = requests.post(f"{down.url}{p.API_PREFIX}/login", timeout=10, json={
            "user": "worker1", "password": "whatever it is", "device_id": "dev-x"})
        assert login.status_code == 503 and login.headers["Retry-After"] == "5", login.text
        assert login.json()["error"] == "sync.database_unavailable"
    finally:
        down.stop()
        down.db.dispose()
    server.start()
    report = one.sync()  # what was kept goes in, all of it
    assert report.push.rejected == 0 and report.push.applied == report.push.pushed > 0
    assert outbox.pending_count(one.ws) == 0


def test_only_errors_that_pass_count_as_unavailable() -> None:
    db = _unreachable()
    try:
        with pytest.raises(OperationalError) as refused, db.engine.connect():
            pass
        assert is_unavailable(refused.value)
    finally:
        db.dispose()
    sqlite = create_engine("sqlite://")
    with pytest.raises(OperationalError) as broken, sqlite.connect() as conn:
        conn.execute(text("SELECT * FROM no_such_table"))
    assert not is_unavailable(broken.value)  # SQLite's own errors are its busy check's business
    assert not is_unavailable(ValueError("not a database error"))


@pytest.mark.postgres
def test_a_statement_that_is_wrong_is_not_unavailable(pg_available: bool) -> None:
    if not pg_available:
        pytest.skip("PostgreSQL is not running")
    engine = create_engine(PG_ADMIN_URL)
    try:
        with pytest.raises(OperationalError) as cancelled, engine.connect() as conn:
            conn.execute(text("SET statement_timeout = 1"))
            conn.execute(text("SELECT pg_sleep(1)"))
        assert not is_unavailable(cancelled.value)  # 57014: a query cancelled is the server's own doing
    finally:
        engine.dispose()


def test_the_pool_is_sized_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(server_db.POOL_ENV, raising=False)
    assert server_db.pool_limit() == server_db.DEFAULT_POOL
    monkeypatch.setenv(server_db.POOL_ENV, "20")
    pool = _unreachable().engine.pool
    assert pool.size() + pool._max_overflow == 20  # type: ignore[attr-defined]
    for bad in ("0", "1", "abc", "5000", "-3"):
        monkeypatch.setenv(server_db.POOL_ENV, bad)
        with pytest.raises(ValueError, match=server_db.POOL_ENV):
            server_db.pool_limit()


def test_serve_refuses_a_bad_pool_size_in_one_line() -> None:
    done = subprocess.run([sys.executable, "-m", "sync.server.cli", "--db", _unreachable().url, "serve",
                           "--port", str(_closed_port())], capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", server_db.POOL_ENV: "many"})
    assert done.returncode == 2, done
    assert done.stderr.strip().count("\n") == 0 and server_db.POOL_ENV in done.stderr, done.stderr
