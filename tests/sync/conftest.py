"""Sync fixtures: a real uvicorn server on a free loopback port over SQLite *and* PostgreSQL, and
real encrypted workspaces acting as devices.

PostgreSQL tests run in a fresh schema per server (dropped afterwards) in the `caseapp_test`
database on 127.0.0.1:5432, as the role of that name with its password (scripts/ensure-postgres
makes both, on a fresh scram-sha-256 cluster as on a trusting one). Without PostgreSQL they skip,
except under CI=true, where that is a failure.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from caseapp.crypto.keyfile import TEST_KDF
from caseapp.store.workspace import Workspace
from sync import run
from sync.client import RetryPolicy, SyncClient
from sync.server import auth
from sync.server.app import ServerConfig, create_app
from sync.server.db import Database

from . import server_template

#: the role and database scripts/ensure-postgres sets up (CASEAPP_TEST_PG names another)
PG_TEST_URL = "postgresql+psycopg://caseapp_test:caseapp-test-2026@127.0.0.1:5432/caseapp_test"
PG_ADMIN_URL = os.environ.get("CASEAPP_TEST_PG", PG_TEST_URL)
PASSWORD = "s3cret-password"
PASSPHRASE = "correct horse battery staple"
STREET = "440105001"
COMMUNITY_A = "440105001001"
COMMUNITY_B = "440105001002"
GRID_A1 = COMMUNITY_A + "01"
GRID_A2 = COMMUNITY_A + "02"
FAST_RETRY = RetryPolicy(attempts=2, base_s=0.01, cap_s=0.02)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_available() -> bool:
    import psycopg

    try:
        with psycopg.connect(PG_ADMIN_URL.replace("postgresql+psycopg", "postgresql"), connect_timeout=3):
            return True
    except psycopg.Error:
        return False


@dataclass
class Server:
    """A running sync server; ``restart`` stops and starts it on the same port and database."""

    db: Database
    config: ServerConfig = field(default_factory=ServerConfig)
    port: int = field(default_factory=_free_port)
    _server: uvicorn.Server | None = None
    _thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        app = create_app(self.db, self.config)
        self._server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                     lifespan="off"))
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
            self._server = None

    def restart(self, config: ServerConfig | None = None) -> None:
        self.stop()
        if config is not None:
            self.config = config
        self.start()

    # -- administration shortcuts ---------------------------------------------------------------
    def add_user(self, name: str, role: str = "caseworker", scopes: list[str] | None = None) -> None:
        with self.db.write() as conn:
            auth.add_user(conn, name, PASSWORD, role, scopes if scopes is not None else [COMMUNITY_A])

    def set_scopes(self, name: str, scopes: list[str]) -> None:
        with self.db.write() as conn:
            auth.set_scopes(conn, name, scopes)

    def revoke(self, device_id: str) -> None:
        with self.db.write() as conn:
            auth.revoke_device(conn, device_id)


@pytest.fixture(scope="session")
def pg_available() -> bool:
    return _pg_available()


@contextmanager
def fresh_database(kind: str, folder: Path, *, migrate: bool = False) -> Iterator[Database]:
    """An empty server database at head: a SQLite file in ``folder`` or a new PostgreSQL schema.
    Built from a template (tests/sync/server_template.py: a copied file, replayed statements),
    or, with ``migrate``, by running the migrations themselves, for the tests that prove them."""
    if kind == "sqlite":
        path = folder / f"server-{uuid.uuid4().hex[:8]}.db"
        if migrate:
            db = Database(f"sqlite:///{path}")
            db.migrate()
        else:
            db = server_template.sqlite_at_head(path)
        try:
            yield db
        finally:
            db.dispose()
        return
    schema = f"sync_{uuid.uuid4().hex[:12]}"
    admin = Database(PG_ADMIN_URL)
    with admin.engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    db = Database(f"{PG_ADMIN_URL}?options=-csearch_path%3D{schema}")
    try:
        if migrate:
            db.migrate()
        else:
            server_template.migrate_postgres_schema(db, schema)
        yield db
    finally:
        db.dispose()
        with admin.engine.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, pg_available: bool) -> str:
    if request.param == "postgres" and not pg_available:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL is not available on 127.0.0.1:5432 (required under CI=true)")
        pytest.skip("PostgreSQL not available")
    return str(request.param)


@pytest.fixture
def server_db(backend: str, tmp_path: Path) -> Iterator[Database]:
    with fresh_database(backend, tmp_path) as db:
        yield db


@pytest.fixture
def server(server_db: Database) -> Iterator[Server]:
    srv = Server(server_db)
    srv.start()
    add_standard_users(srv)
    yield srv
    srv.stop()


def add_standard_users(srv: Server) -> None:
    srv.add_user("admin", "admin", [])
    srv.add_user("supervisor", "supervisor", [STREET])
    srv.add_user("worker1", "caseworker", [COMMUNITY_A])
    srv.add_user("worker2", "caseworker", [COMMUNITY_A])
    srv.add_user("worker3", "caseworker", [COMMUNITY_B])


@dataclass
class Device:
    """A workspace logged in to the test server."""

    ws: Workspace
    server: Server

    def client(self, **kwargs: Any) -> SyncClient:
        return run.connect(self.ws, retry=FAST_RETRY, **kwargs)

    def sync(self, **kwargs: Any) -> run.SyncReport:
        client = self.client()
        try:
            return run.sync(self.ws, client, **kwargs)
        finally:
            client.close()


@pytest.fixture
def device(tmp_path: Path, server: Server) -> Iterator[Callable[[str], Device]]:
    """Factory: device("worker1") is a fresh workspace logged in as that user."""
    made: list[Workspace] = []

    def make(user: str, *, login: bool = True) -> Device:
        path = tmp_path / f"ws-{user}-{len(made)}"
        ws, _ = Workspace.create(path, PASSPHRASE, kdf=TEST_KDF, actor=user)
        made.append(ws)
        if login:
            run.login(ws, server.url, user, PASSWORD, retry=FAST_RETRY)
        return Device(ws, server)

    yield make
    for ws in made:
        ws.close()
