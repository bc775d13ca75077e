"""The server tests' PostgreSQL set-up works on a genuinely fresh Debian cluster: scram-sha-256 on
127.0.0.1 and peer on the socket, nothing trusted. A private cluster is made with initdb in a
temporary folder, on a free port, exactly so; scripts/ensure-postgres then makes the tests' role
and database, and the server's migrations run as that role with its password.

Needs root (initdb runs as the postgres system user) and PostgreSQL's server binaries; skipped
elsewhere."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.server.db import Database

ROOT = Path(__file__).resolve().parents[2]
INITDB = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
pytestmark = pytest.mark.skipif(
    not INITDB or os.geteuid() != 0 or shutil.which("runuser") is None or shutil.which("psql") is None,
    reason="needs root, runuser, psql and PostgreSQL's initdb")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["runuser", "-u", "postgres", "--", *cmd], capture_output=True, text=True, timeout=120,
                          check=True)


@pytest.fixture
def fresh_cluster() -> Iterator[tuple[int, Path]]:
    folder = Path(tempfile.mkdtemp(prefix="caseapp-pg-"))
    shutil.chown(folder, "postgres", "postgres")
    data, port = folder / "data", _free_port()
    bin_dir = Path(INITDB[-1]).parent
    _as_postgres(str(bin_dir / "initdb"), "-D", str(data), "--auth-host=scram-sha-256", "--auth-local=peer",
                 "-U", "postgres", "--encoding=UTF8", "--locale=C.UTF-8")
    _as_postgres(str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-l", str(folder / "log"), "-o",
                 f"-p {port} -k {folder} -c listen_addresses=127.0.0.1", "start")
    try:
        yield port, folder
    finally:
        subprocess.run(["runuser", "-u", "postgres", "--", str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast",
                        "-w", "stop"], capture_output=True, timeout=120)
        shutil.rmtree(folder, ignore_errors=True)


def test_the_test_role_is_made_on_a_scram_cluster_and_the_server_migrates_as_it(
        fresh_cluster: tuple[int, Path]) -> None:
    port, sockets = fresh_cluster
    hba = next(sockets.glob("data/pg_hba.conf")).read_text()
    assert "trust" not in "\n".join(line for line in hba.splitlines() if not line.startswith("#"))
    # Nothing gets in over TCP without a password, as on a fresh Debian machine.
    refused = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-w", "-c", "SELECT 1"],
                             capture_output=True, text=True, timeout=30)
    assert refused.returncode != 0 and "password" in refused.stderr
    env = {**os.environ, "CASEAPP_PG_PORT": str(port), "PGHOST": str(sockets), "CI": "true"}
    done = subprocess.run(["bash", str(ROOT / "scripts/ensure-postgres")], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    again = subprocess.run(["bash", str(ROOT / "scripts/ensure-postgres")], env=env, capture_output=True, text=True,
                           timeout=120)
    assert again.returncode == 0, again.stderr  # made once, kept after
    url = f"postgresql+psycopg://caseapp_test:caseapp-test-2026@127.0.0.1:{port}/caseapp_test"
    db = Database(url)
    try:
        db.migrate()
        with db.read() as conn:
            assert conn.exec_driver_sql("SELECT current_user").scalar_one() == "caseapp_test"
            assert conn.exec_driver_sql("SELECT count(*) FROM users").scalar_one() == 0
    finally:
        db.dispose()
    wrong = subprocess.run(["psql", f"postgresql://caseapp_test:wrong@127.0.0.1:{port}/caseapp_test", "-w", "-c",
                            "SELECT 1"], capture_output=True, text=True, timeout=30)
    assert wrong.returncode != 0  # the password is checked: scram, not trust
