"""Opening, unlocking and refusing: wrong passphrase, missing or tampered key file, newer schema."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select, text

from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import Household
from caseapp.errors import KeyFileError, SchemaTooNewError, WorkspaceError, WrongPassphraseError
from caseapp.messages import render
from caseapp.store import migrate
from caseapp.store.engine import make_engine
from caseapp.store.paths import DB_FILE, KEY_FILE
from caseapp.store.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.helpers import household


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Content hash and mtime of every file under a folder."""
    return {
        str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


def closed_workspace(ws_path: Path) -> Path:
    ws, _ = Workspace.create(ws_path, PASSPHRASE, kdf=TEST_KDF, actor="tester")
    with ws.write() as s:
        household(s)
    ws.close()
    return ws_path


def test_reopen_keeps_data_and_device(ws_path: Path) -> None:
    ws, _ = Workspace.create(ws_path, PASSPHRASE, kdf=TEST_KDF)
    device = ws.device_id
    with ws.write() as s:
        hid = household(s).id
    ws.close()
    with Workspace.open(ws_path, PASSPHRASE) as again:
        assert again.device_id == device
        with again.read() as s:
            assert s.get(Household, hid) is not None


def test_wrong_passphrase_is_refused_and_changes_no_file(ws_path: Path) -> None:
    closed_workspace(ws_path)
    before = snapshot(ws_path)
    with pytest.raises(WrongPassphraseError) as info:
        Workspace.open(ws_path, "not the passphrase")
    assert snapshot(ws_path) == before
    assert "密码不正确" in render(info.value, "zh")
    assert "Wrong passphrase" in render(info.value, "en")


def test_recovery_key_opens_and_wrong_one_is_refused(ws_path: Path) -> None:
    ws, recovery = Workspace.create(ws_path, PASSPHRASE, kdf=TEST_KDF)
    ws.close()
    with Workspace.open_with_recovery_key(ws_path, recovery.lower()) as again:
        assert again.device_id
    with pytest.raises(WorkspaceError):
        Workspace.open_with_recovery_key(ws_path, "0" * 52)


def test_change_passphrase_rewraps_without_reencrypting(ws_path: Path) -> None:
    ws, _ = Workspace.create(ws_path, PASSPHRASE, kdf=TEST_KDF)
    db_before = (ws_path / DB_FILE).read_bytes()
    ws.change_passphrase("a brand new passphrase", kdf=TEST_KDF)
    ws.close()
    with pytest.raises(WrongPassphraseError):
        Workspace.open(ws_path, PASSPHRASE)
    Workspace.open(ws_path, "a brand new passphrase").close()
    # the database is encrypted under the same data key: same header salt, still opens
    assert (ws_path / DB_FILE).read_bytes()[:16] == db_before[:16]


def test_missing_key_file_names_the_problem(ws_path: Path) -> None:
    closed_workspace(ws_path)
    (ws_path / KEY_FILE).unlink()
    with pytest.raises(KeyFileError) as info:
        Workspace.open(ws_path, PASSPHRASE)
    assert info.value.key == "workspace.keyfile_missing"
    assert KEY_FILE in render(info.value, "en")


@pytest.mark.parametrize("field", ["salt", "wrapped", "memory_cost", "checksum"])
def test_tampered_key_file_is_refused(ws_path: Path, field: str) -> None:
    closed_workspace(ws_path)
    path = ws_path / KEY_FILE
    doc = json.loads(path.read_text())

    def tamper(node: object) -> bool:
        # change the first value whose key mentions `field`
        if isinstance(node, dict):
            for key, value in node.items():
                if field in key and isinstance(value, str) and len(value) > 4:
                    node[key] = ("A" if value[0] != "A" else "B") + value[1:]
                    return True
                if field in key and isinstance(value, int):
                    node[key] = value + 1
                    return True
                if tamper(value):
                    return True
        return False

    assert tamper(doc), f"no {field} field found in {sorted(doc)}"
    path.write_text(json.dumps(doc))
    before = snapshot(ws_path)
    with pytest.raises(KeyFileError) as info:
        Workspace.open(ws_path, PASSPHRASE)
    assert info.value.key in ("workspace.keyfile_tampered", "workspace.keyfile_corrupt")
    assert snapshot(ws_path) == before


def test_garbage_key_file_is_reported_as_corrupt(ws_path: Path) -> None:
    closed_workspace(ws_path)
    (ws_path / KEY_FILE).write_bytes(b"\x00not json at all")
    with pytest.raises(KeyFileError) as info:
        Workspace.open(ws_path, PASSPHRASE)
    assert info.value.key == "workspace.keyfile_corrupt"


def test_newer_schema_is_refused_without_touching_the_database(ws_path: Path) -> None:
    ws, _ = Workspace.create(ws_path, PASSPHRASE, kdf=TEST_KDF)
    key = ws._key
    ws.close()
    engine = make_engine(ws_path / DB_FILE, key)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    db_before = hashlib.sha256((ws_path / DB_FILE).read_bytes()).hexdigest()
    with pytest.raises(SchemaTooNewError) as info:
        Workspace.open(ws_path, PASSPHRASE)
    assert "9999_from_the_future" in render(info.value, "en")
    assert "升级" in render(info.value, "zh")
    assert hashlib.sha256((ws_path / DB_FILE).read_bytes()).hexdigest() == db_before
    assert not (ws_path / "backups").exists()


def test_opening_an_old_workspace_backs_up_then_migrates(tmp_path: Path) -> None:
    """The saved revision-0001 workspace opens with today's code; a backup is taken if it migrates."""
    target = tmp_path / "old"
    shutil.copytree(Path(__file__).parent.parent / "fixtures" / "workspace-0001", target)
    with Workspace.open(target, "fixture passphrase 0001") as ws:
        assert migrate.current(ws.engine) == migrate.head()
        with ws.read() as s:
            names = {h.head_name for h in s.scalars(select(Household))}
        assert names == {"欧阳明"}
    backups = list((target / "backups").glob("*.db")) if (target / "backups").exists() else []
    assert bool(backups) == (migrate.head() != "0001")


def test_workspace_files_are_private(ws_path: Path) -> None:
    closed_workspace(ws_path)
    assert (ws_path / KEY_FILE).stat().st_mode & 0o077 == 0
    assert ws_path.stat().st_mode & 0o077 == 0
