"""Backups and the restore drill (installer/server/backup.sh) against the local PostgreSQL: a server
database with users, devices, synced records and an attachment is dumped, restored and checked,
and a damaged attachment fails `caseapp-server check`."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import make_url, select, text

from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import Household
from caseapp.services import records
from caseapp.store.workspace import Workspace
from sync import run
from sync.server import attachments, auth, schema
from sync.server.cli import main as server_cli
from sync.server.db import Database

from .conftest import FAST_RETRY, GRID_A1, PASSPHRASE, PASSWORD, PG_ADMIN_URL, Server, add_standard_users

pytestmark = pytest.mark.postgres
SCRIPT = Path(__file__).resolve().parents[2] / "installer" / "server" / "backup.sh"
SERVER_BIN = Path(sys.executable).with_name("caseapp-server")


@pytest.fixture
def live(pg_available: bool) -> Iterator[str]:
    """A database of its own (pg_dump dumps whole databases), dropped with any drill leftovers."""
    if not pg_available:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL is not available on 127.0.0.1:5432 (required under CI=true)")
        pytest.skip("PostgreSQL not available")
    name = f"caseapp_bk_{uuid.uuid4().hex[:10]}"
    admin = Database(PG_ADMIN_URL)
    with admin.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    try:
        yield name
    finally:
        with admin.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            left = conn.execute(text("SELECT datname FROM pg_database WHERE datname LIKE :a OR datname LIKE :b"),
                                {"a": f"{name}%", "b": "caseapp_drill_%"}).scalars().all()
            for db in left:
                conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        admin.dispose()


def _url(name: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def _env(name: str, backups: Path) -> dict[str, str]:
    url = make_url(PG_ADMIN_URL)  # the tests' own role, with its password (see scripts/ensure-postgres)
    return {**os.environ, "PGHOST": url.host or "127.0.0.1", "PGPORT": str(url.port or 5432),
            "PGUSER": url.username or "postgres", "PGPASSWORD": url.password or "", "PGDATABASE": name,
            "BACKUP_DIR": str(backups), "BACKUP_KEEP": "2", "CASEAPP_SERVER_BIN": str(SERVER_BIN)}


def _fill(url: str, tmp_path: Path) -> str:
    """Users, a device that synced a household, and an attachment; returns the attachment's digest."""
    db = Database(url)
    db.migrate()
    srv = Server(db)
    srv.start()
    try:
        add_standard_users(srv)
        ws, _ = Workspace.create(tmp_path / "ws", PASSPHRASE, kdf=TEST_KDF, actor="worker1")
        run.login(ws, srv.url, "worker1", PASSWORD, retry=FAST_RETRY)
        with ws.write() as s:
            records.create(s, Household, {"org_code": GRID_A1, "address": "海珠区滨江东路 1 号", "head_name": "王芳"})
        client = run.connect(ws, retry=FAST_RETRY)
        assert run.sync(ws, client) is not None
        client.close()
        ws.close()
        data = os.urandom(5000)
        digest = hashlib.sha256(data).hexdigest()
        with db.write() as conn:
            token, _ = auth.register_device(conn, "worker1", "scanner-1", "扫描仪")
        with db.read() as conn:
            who = auth.principal_for(conn, token)
        with db.write() as conn:
            attachments.put_chunk(conn, who, digest, len(data), 0, data, auth.now_ms())
        return digest
    finally:
        srv.stop()
        db.dispose()


def test_backup_restore_and_drill(live: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    digest = _fill(_url(live), tmp_path)
    backups = tmp_path / "backups"
    env = _env(live, backups)
    for _ in range(3):  # three backups, two kept
        made = subprocess.run(["bash", str(SCRIPT), "backup"], env=env, capture_output=True, text=True, timeout=120)
        assert made.returncode == 0, made.stderr
    assert len(list(backups.glob("caseapp-*.dump"))) == 2 and not list(backups.glob("*.partial"))
    dump = Path(made.stdout.strip())

    drill = subprocess.run(["bash", str(SCRIPT), "drill"], env=env, capture_output=True, text=True, timeout=300)
    assert drill.returncode == 0, drill.stdout + drill.stderr
    assert "row counts match" in drill.stderr and "attachments 1 whole, 0 damaged" in drill.stdout

    restored = f"{live}_restored"
    again = subprocess.run(["bash", str(SCRIPT), "restore", str(dump), restored], env=env, capture_output=True,
                           text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    copy = Database(_url(restored))
    try:
        with copy.read() as conn:
            assert attachments.content(conn, digest) is not None
            assert conn.execute(select(schema.records.c.entity)).scalars().all().count("household") == 1
            assert "worker1" in conn.execute(select(schema.users.c.name)).scalars().all()
        with copy.write() as conn:  # damage the restored copy's attachment: check must say so
            conn.execute(schema.attachment_chunks.update().values(data=b"x" * 5000))
    finally:
        copy.dispose()
    capsys.readouterr()
    assert server_cli(["--db", _url(restored), "check"]) == 1
    assert f"damaged attachment {digest}" in capsys.readouterr().out
    refused = subprocess.run(["bash", str(SCRIPT), "restore", str(dump), restored], env=env, capture_output=True,
                             text=True, timeout=120)
    assert refused.returncode != 0 and "exists" in refused.stderr  # never over a database
