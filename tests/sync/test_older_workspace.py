"""A workspace an older release made opens in this one through its migrations alone, with all
its records, its unsynced changes and its audit trail intact, and its changes then sync.

tests/data/workspace_0004 was written by the release at commit 9f98e18^ (workspace schema at
migration 0004, before the case steps), as its build.py says: a real encrypted folder, not one
made by this release at an old revision. Installing a new bundle over an old one is this: the new
program meets the old folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import ENTITIES
from caseapp.services.exchange import export_bytes
from caseapp.store import audit, migrate
from caseapp.store.paths import BACKUPS_DIR, DB_FILE
from caseapp.store.tables import JournalEntry
from caseapp.store.workspace import Workspace
from sync import run

from .conftest import FAST_RETRY, PASSWORD, Server
from .test_convergence import server_lines

DATA = Path(__file__).parent.parent / "data" / "workspace_0004"
PASSPHRASE = "correct horse battery staple"
OLD_SCHEMA = 4


def _outbox(ws: Workspace) -> list[dict[str, object]]:
    with ws.read() as s:
        return [{"entity": e.entity, "row_id": e.row_id, "op": e.op, "field": e.field, "value": e.value}
                for e in s.scalars(select(JournalEntry).where(JournalEntry.state == "pending")
                                   .order_by(JournalEntry.seq))]


def _default(entity: str, name: str) -> object:
    """The value a migration gives a field it adds to existing records: the model's default."""
    default = ENTITIES[entity].__table__.c[name].default
    return getattr(default, "arg", None) if default is not None and not callable(default.arg) else None


@pytest.fixture
def old_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "old-workspace"
    shutil.copytree(DATA / "workspace", folder)
    return folder


def test_an_older_releases_workspace_opens_with_everything_in_it(old_folder: Path) -> None:
    before = (old_folder / DB_FILE).read_bytes()
    ws = Workspace.open(old_folder, PASSPHRASE)
    try:
        assert ws.schema_version == migrate.schema_version() > OLD_SCHEMA
        # Every record with every value the old release exported; what is new is the fields later
        # migrations added, empty (this release also exports parents before their children).
        old = {r["id"]: r for r in map(json.loads, (DATA / "export.jsonl").read_text("utf-8").splitlines())}
        new = {r["id"]: r for r in map(json.loads, export_bytes(ws).decode("utf-8").splitlines())}
        assert set(new) == set(old)
        for row_id, was in old.items():
            now = new[row_id]
            assert {k: now[k] for k in was} == was
            added = {k: v for k, v in now.items() if k not in was}
            assert all(v in (None, "", _default(was["type"], k)) for k, v in added.items()), (was["type"], added)
        old_outbox = [json.loads(line) for line in (DATA / "outbox.jsonl").read_text("utf-8").splitlines()]
        assert _outbox(ws) == old_outbox and len(old_outbox) > 100
        with ws.engine.connect() as conn:
            assert audit.verify(conn) == []
    finally:
        ws.close()
    # The file as the old release left it is kept, encrypted, beside the migrated one.
    backups = list((old_folder / BACKUPS_DIR).glob("workspace-*.db"))
    assert [b.read_bytes() == before for b in backups] == [True]
    assert not before.startswith(b"SQLite format 3")


def test_an_older_releases_unsynced_work_reaches_the_server(old_folder: Path, server: Server) -> None:
    ws = Workspace.open(old_folder, PASSPHRASE)
    try:
        run.login(ws, server.url, "admin", PASSWORD, retry=FAST_RETRY)
        client = run.connect(ws, retry=FAST_RETRY)
        try:
            report = run.sync(ws, client)
        finally:
            client.close()
        assert report.push.rejected == 0 and report.push.pushed == len(
            (DATA / "outbox.jsonl").read_text("utf-8").splitlines())
        assert _outbox(ws) == []
        assert export_bytes(ws).decode("utf-8").splitlines() == server_lines(server, "admin")
    finally:
        ws.close()


def test_the_fixture_is_what_its_builder_says(tmp_path: Path) -> None:
    """The committed folder needs the passphrase build.py names, and the test KDF (cheap to open)."""
    key = json.loads((DATA / "workspace" / "key.json").read_text("utf-8"))
    assert json.dumps(key).count(str(TEST_KDF.memory_cost_kib)) >= 1
    with pytest.raises(Exception):  # noqa: B017 - any refusal will do: the wrong passphrase
        Workspace.open(shutil.copytree(DATA / "workspace", tmp_path / "w"), "not the passphrase")
