"""Every file CaseApp writes is its owner's only (0600 files, 0700 folders): the workspace, its
database and WAL, key file, attachments, exports, and the server's SQLite database, including
workspaces and databases left readable by earlier versions. Checked by walking the trees under a
permissive umask (022, the usual default), as a caseworker's laptop has."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from caseapp.cli import main as caseapp_main
from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import Household
from caseapp.services import records
from caseapp.store.workspace import Workspace
from sync.server import db as server_db
from sync.server.db import Database

PASSPHRASE = "correct horse battery staple"
pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def loose(*roots: Path) -> list[str]:
    """Everything under the roots (the roots too) that others could read: 'path mode' lines."""
    found = []
    for root in roots:
        for path in [root, *root.rglob("*")]:
            mode = stat.S_IMODE(path.lstat().st_mode)
            want = 0o700 if path.is_dir() else 0o600
            if mode != want:
                found.append(f"{path.relative_to(root.parent)} {oct(mode)}")
    return found


def test_a_new_workspace_and_what_it_writes_are_owner_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ws"
    path.mkdir(mode=0o755)  # made beforehand, as a file manager or an installer would
    ws, _ = Workspace.create(path, PASSPHRASE, kdf=TEST_KDF, actor="worker1")
    with ws.write() as s:
        records.create(s, Household, {"org_code": "440105001001", "address": "滨江东路 1 号"})
    ws.attachments.put(b"an ID scan")
    assert (path / "workspace.db-wal").exists()  # open: the WAL and shared memory are there too
    assert loose(path) == []
    ws.close()
    monkeypatch.setenv("CASEAPP_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("CASEAPP_EXPORT_PASSPHRASE", "export passphrase 2026")
    exports = tmp_path / "exports"
    exports.mkdir(mode=0o700)
    assert caseapp_main(["--workspace", str(path), "export", "-o", str(exports / "ledger.jsonl")]) == 0
    assert caseapp_main(["--workspace", str(path), "export", "--plain", "-o", str(exports / "plain.jsonl")]) == 0
    capsys.readouterr()
    assert loose(path, exports) == []


def test_opening_an_older_workspace_tightens_it(tmp_path: Path) -> None:
    path = tmp_path / "ws"
    ws, _ = Workspace.create(path, PASSPHRASE, kdf=TEST_KDF)
    ws.attachments.put(b"an ID scan")
    ws.close()
    for p in [path, *path.rglob("*")]:  # what earlier versions and folder copies left
        p.chmod(0o755 if p.is_dir() else 0o644)
    assert loose(path)
    with Workspace.open(path, PASSPHRASE) as ws:
        assert loose(path) == []
        with ws.write() as s:
            records.create(s, Household, {"org_code": "440105001001", "address": "滨江东路 2 号"})
        assert loose(path) == []


def test_the_servers_sqlite_database_is_owner_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "server"
    folder.mkdir(mode=0o700)
    db = Database(f"sqlite:///{folder / 'server.db'}")
    db.migrate()
    with db.write() as conn:
        conn.execute(text("INSERT INTO server_meta(key, value) VALUES ('k', 'v')"))
    with db.read() as conn:
        conn.execute(text("SELECT count(*) FROM server_meta")).scalar()
        assert (folder / "server.db-wal").exists()
        assert loose(folder) == []
    db.dispose()
    for p in folder.iterdir():
        p.chmod(0o644)
    Database(f"sqlite:///{folder / 'server.db'}").dispose()  # an older server's file, opened again
    assert loose(folder) == []

    data_home = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data_home))
    (data_home / "CaseApp-Server").mkdir(parents=True, mode=0o755)
    url = server_db.default_url()
    assert url.startswith("sqlite:///") and loose(data_home / "CaseApp-Server") == []
