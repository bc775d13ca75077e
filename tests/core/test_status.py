"""`caseapp status` reads its summary straight from the encrypted file (services.status.glance),
without the ORM: it must say exactly what the open workspace says, find every record table, and
hand an older workspace to the full open, which migrates it."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, insert, select, update

from caseapp.domain import ENTITIES
from caseapp.domain.base import LOCAL_FIELDS
from caseapp.services import demo
from caseapp.services.status import RECORD_MARK, glance, record_tables, workspace_status
from caseapp.store import migrate
from caseapp.store.paths import DB_FILE
from caseapp.store.tables import HELD, REJECTED, AuditEntry, ConflictRecord, JournalEntry
from caseapp.store.workspace import Workspace
from tests.cli_proc import caseapp, environment
from tests.conftest import PASSPHRASE

OLD = Path(__file__).parent.parent / "data" / "workspace_0004" / "workspace"
OLD_PASSPHRASE = "correct horse battery staple"


def _busy(ws: Workspace) -> None:
    """A workspace with something in every count: records, an outbox, rejected and held changes, an
    open conflict, audit entries partly shipped, a server and a newer release named."""
    demo.generate(ws, 12, seed=3)
    with ws.write_engine.begin() as conn:
        seqs = conn.execute(select(JournalEntry.seq).order_by(JournalEntry.seq).limit(5)).scalars().all()
        conn.execute(update(JournalEntry).where(JournalEntry.seq.in_(seqs[:2])).values(state=REJECTED))
        conn.execute(update(JournalEntry).where(JournalEntry.seq == seqs[2]).values(state=HELD))
        for n, state in enumerate(("open", "open", "resolved")):
            conn.execute(insert(ConflictRecord).values(
                id=f"c{n}", entity="household", row_id="r", field="address", status=state,
                created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)))
    ws.set_setting("sync.audit_sent", 3)
    ws.set_setting("sync.server_url", "https://127.0.0.1:1")
    ws.set_setting("sync.latest_client", "99.0.0")


def test_the_glance_says_what_the_open_workspace_says(ws: Workspace) -> None:
    _busy(ws)
    opened = workspace_status(ws)
    with ws.read() as s:  # the figures counted through the ORM, as status did before
        records = sum(s.scalar(select(func.count()).select_from(cls)) or 0 for cls in ENTITIES.values())
        rejected = s.scalar(select(func.count()).select_from(JournalEntry).where(JournalEntry.state == REJECTED))
        unsent = s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.id > 3))
    assert opened["records"] == records > 12
    assert opened["rejected"] == rejected == 2 and opened["held"] == 1 and opened["conflicts"] == 2
    assert opened["pending"] > 0 and opened["audit_unsent"] == unsent > 0 and opened["update"] == "99.0.0"
    assert glance(ws.path, PASSPHRASE) == opened


def test_the_record_tables_are_found_by_the_column_every_record_has(ws: Workspace) -> None:
    assert RECORD_MARK in LOCAL_FIELDS
    raw = ws.engine.raw_connection()
    try:
        assert record_tables(raw.driver_connection) == sorted(cls.__tablename__ for cls in ENTITIES.values())
    finally:
        raw.close()


def test_an_older_workspace_is_left_to_the_full_open_which_migrates_it(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    shutil.copytree(OLD, folder)
    before = (folder / DB_FILE).read_bytes()
    assert glance(folder, OLD_PASSPHRASE) is None
    assert (folder / DB_FILE).read_bytes() == before  # the glance wrote nothing
    ran = caseapp(folder, "status", env=environment(tmp_path / "state", passphrase=OLD_PASSPHRASE))
    assert ran.code == 0, ran.err
    assert f"Schema version: {migrate.schema_version()}" in ran.out
    assert glance(folder, OLD_PASSPHRASE) is not None  # migrated by that status


def test_status_on_the_command_line_loads_neither_the_orm_nor_the_models(ws: Workspace) -> None:
    _busy(ws)
    expected = workspace_status(ws)
    ws.close()
    probe = ("import sys; from caseapp.cli import main; code = main(['--workspace', sys.argv[1], 'status']); "
             "sys.stdout.flush(); loaded = [m for m in ('sqlalchemy', 'caseapp.domain', 'alembic') "
             "if m in sys.modules]; print('LOADED', loaded); sys.exit(code)")
    ran = subprocess.run([sys.executable, "-c", probe, str(ws.path)], capture_output=True, text=True, timeout=120,
                         env=environment(ws.path.parent / "state", passphrase=PASSPHRASE))
    assert ran.returncode == 0, ran.stderr
    assert "LOADED []" in ran.stdout
    assert f"Records: {expected['records']}" in ran.stdout and "Changes rejected by the server: 2" in ran.stdout
