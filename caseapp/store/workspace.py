"""The workspace: a folder holding one SQLCipher database, its key file and the encrypted
attachment store, opened with the user's passphrase (or recovery key).

Layout::

    DIR/key.json          the wrapped data key (caseapp.crypto.keyfile)
    DIR/workspace.db      SQLCipher 4 database (+ -wal/-shm while open, encrypted too)
    DIR/attachments/      AES-GCM files addressed by content (caseapp.crypto.attachments)
    DIR/backups/          encrypted copies taken before each migration

Opening checks the key, refuses a schema newer than this program knows, and otherwise backs the
file up and applies pending migrations before anything else touches it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from caseapp.crypto import keyfile
from caseapp.crypto.attachments import AttachmentStore
from caseapp.domain.types import utcnow
from caseapp.errors import SchemaTooNewError, WorkspaceError
from caseapp.fileio import PRIVATE_DIR, atomic_copy, make_private, private_file
from caseapp.ids import new_id
from caseapp.refdata import SERVER_SETTING, install_standards, with_server_rows
from caseapp.store import faults, journal, migrate, names, search_index, visits_due
from caseapp.store.engine import make_engine, open_dbapi, writes
from caseapp.store.hlc import HybridClock, physical_ms
from caseapp.store.paths import ATTACHMENTS_DIR, BACKUPS_DIR, DB_FILE, KEY_FILE, exists
from caseapp.store.tables import DeviceState, Setting

# Keep the household search index current in every write transaction (see search_index).
search_index.install(journal.WorkspaceSession)

#: setting: how far this laptop's clock was seen to be off the server's, in milliseconds
CLOCK_OFFSET = "clock.offset_ms"
BACKUPS_KEPT = 3


def _put_setting(conn: Connection, key: str, value: Any) -> None:
    conn.execute(text("INSERT INTO settings(key, value) VALUES (:k, :v) "
                      "ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
                 {"k": key, "v": json.dumps(value, ensure_ascii=False)})


def _move_into_place(staging: Path, path: Path) -> None:
    """Give the finished workspace in ``staging`` the name ``path``. A folder made beforehand (an
    empty one, or one holding other files) keeps its other files; the key file, which is what
    makes a folder a workspace (``exists``), moves last."""
    if not path.exists():
        os.replace(staging, path)
        return
    entries = sorted(staging.iterdir(), key=lambda entry: entry.name == KEY_FILE)
    for entry in entries:
        os.replace(entry, path / entry.name)
    staging.rmdir()
    make_private(path)


class Workspace:
    """An unlocked workspace. Writes go through ``write()``; one writer at a time (the caller's
    writer thread); reads may use ``read()`` from any thread."""

    def __init__(self, path: Path, data_key: bytes, *, plain: bool = False) -> None:
        self.path = path
        self._key = data_key
        self.engine: Engine = make_engine(path / DB_FILE, None if plain else data_key)
        #: the same connections, for transactions that write: they take the write lock as they begin
        self.write_engine: Engine = writes(self.engine)
        self._sessions = sessionmaker(self.engine, class_=journal.WorkspaceSession, expire_on_commit=False)
        self._write_sessions = sessionmaker(self.write_engine, class_=journal.WorkspaceSession,
                                            expire_on_commit=False)
        self.attachments = AttachmentStore(path / ATTACHMENTS_DIR, data_key)
        self.schema_version = migrate.schema_version()
        self.device_id, last_hlc = self._device_state()
        self.clock = HybridClock(last_hlc, offset_ms=int(self.get_setting(CLOCK_OFFSET, 0) or 0))
        self.actor = names.actor(self.get_setting(names.USER_NAME, ""))
        self.install_standards()
        # the stored visit days follow the rules in force; the write lock only when they did not
        with self.engine.connect() as conn:
            stale = not visits_due.current(conn)
        if stale:
            with self.write_engine.begin() as conn:
                visits_due.ensure(conn)

    # -- opening ------------------------------------------------------------------------------
    @classmethod
    def create(cls, path: Path, passphrase: str, *, kdf: keyfile.KdfParams = keyfile.PRODUCTION_KDF,
               actor: str = "", plain: bool = False) -> tuple[Workspace, str]:
        """Create a new workspace; returns it and the recovery key (to be shown exactly once).

        Atomic: the workspace is made in a hidden folder beside ``path`` and moved into place only
        once complete, so a failure (a missing migration, a full disk, Ctrl-C) leaves nothing
        behind, not a key file without its database that no later ``init`` or unlock could use."""
        path = Path(path)
        if exists(path):
            raise WorkspaceError("workspace.exists", path=str(path))
        keyfile.check_passphrase(passphrase)
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.parent / f".{path.name}.creating-{new_id()[:12]}"
        staging.mkdir(mode=PRIVATE_DIR)
        try:
            make_private(staging)
            data_key, recovery = keyfile.create_keyfile(staging / KEY_FILE, passphrase, kdf=kdf,
                                                        workspace_id=new_id())
            private_file(staging / DB_FILE)  # before SQLite creates it (and its -wal, -shm) under the umask
            copied = False
            if not plain:
                conn = open_dbapi(staging / DB_FILE, data_key)
                try:
                    copied = migrate.install_head(conn)
                except faults.DBAPI_ERRORS as error:  # a full disk, say: typed, as from the engine
                    raise faults.from_sqlite(error, staging / DB_FILE) or error from None
                finally:
                    conn.close()
            engine = make_engine(staging / DB_FILE, None if plain else data_key)
            try:
                if not copied:  # plain (stdlib sqlite3 has no sqlcipher_export), or no template
                    migrate.upgrade(engine)
                with engine.begin() as conn:
                    conn.execute(insert(DeviceState).values(device_id=new_id(), hlc=0, created_at=utcnow(),
                                                            audit_head="", audit_count=0))
                    if actor:
                        _put_setting(conn, "user.name", actor)
            finally:
                engine.dispose()
            _move_into_place(staging, path)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        ws = cls(path, data_key, plain=plain)
        return ws, recovery

    @classmethod
    def open(cls, path: Path, passphrase: str) -> Workspace:
        data_key = keyfile.unlock(Path(path) / KEY_FILE, passphrase)
        return cls.open_with_key(path, data_key)

    @classmethod
    def open_with_recovery_key(cls, path: Path, recovery_key: str) -> Workspace:
        data_key = keyfile.unlock_with_recovery(Path(path) / KEY_FILE, recovery_key)
        return cls.open_with_key(path, data_key)

    @classmethod
    def open_with_key(cls, path: Path, data_key: bytes) -> Workspace:
        path = Path(path)
        if not (path / DB_FILE).exists():
            raise WorkspaceError("workspace.not_found", path=str(path))
        # Workspaces made by earlier versions left the database and its WAL readable to every
        # local user (0644), and a folder made beforehand at 0755: owner-only from now on.
        make_private(path)
        prepare(path, data_key)
        return cls(path, data_key)

    # -- sessions -----------------------------------------------------------------------------
    def _context(self, remote: bool = False) -> journal.WriteContext:
        return journal.WriteContext(self.actor, self.device_id, self.clock, self.schema_version, remote)

    @contextmanager
    def write(self, *, remote: bool = False) -> Iterator[Session]:
        """A session whose changes are committed (with journal and audit entries) on success."""
        session = self._write_sessions(info={"write_context": self._context(remote)})
        try:
            with session.begin():
                yield session
        finally:
            session.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading. Objects loaded stay usable after it closes (detached, not expired);
        it carries no write context, so nothing read through it can be journaled or saved."""
        session = self._sessions()
        try:
            yield session
        finally:
            session.close()

    # -- settings and device state -------------------------------------------------------------
    def observe_server_clock(self, server_hlc: int) -> None:
        """Merge a stamp the server sent and take its clock as the right time (``persist_clock``
        keeps both in the workspace)."""
        self.clock.observe(server_hlc)
        self.clock.adjust(physical_ms(server_hlc))

    def persist_clock(self) -> None:
        """Keep the clock, and how far this laptop's own clock was seen to be off the server's, in
        the workspace: the next process starts from them, not from a clock that may be days off."""
        offset = self.clock.offset_ms
        with self.write_engine.begin() as conn:
            conn.execute(update(DeviceState).where(DeviceState.device_id == self.device_id)
                         .where(DeviceState.hlc < self.clock.last).values(hlc=self.clock.last))
            conn.execute(text("INSERT INTO settings(key, value) VALUES (:k, :v) "
                              "ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
                         {"k": CLOCK_OFFSET, "v": json.dumps(offset)})

    def become_device(self, device_id: str) -> None:
        """Carry on under a new device id (this workspace is a copy of another device's: a restored
        backup): its journal, records and audit trail stay; only the name it syncs under changes."""
        with self.write_engine.begin() as conn:
            conn.execute(update(DeviceState).where(DeviceState.device_id == self.device_id)
                         .values(device_id=device_id))
        self.device_id = device_id

    def _device_state(self) -> tuple[str, int]:
        with self.engine.connect() as conn:
            row = conn.execute(select(DeviceState.device_id, DeviceState.hlc)).one()
        return row.device_id, row.hlc

    def get_setting(self, key: str, default: Any = None) -> Any:
        with self.engine.connect() as conn:
            value = conn.execute(select(Setting.value).where(Setting.key == key)).scalar_one_or_none()
        return default if value is None else json.loads(value)

    def set_setting(self, key: str, value: Any) -> None:
        with self.write_engine.begin() as conn:
            _put_setting(conn, key, value)

    # -- standards ----------------------------------------------------------------------------
    def standards_version(self) -> str:
        """The version of the administrator's standards this workspace holds ("" none yet)."""
        held = self.get_setting(SERVER_SETTING) or {}
        return str(held.get("version", "")) if isinstance(held, dict) else ""

    def install_standards(self) -> None:
        """Put in force, for this process, the packaged standards with the server's figures this
        workspace holds (caseapp.refdata: the one table the assessment and the checks use)."""
        held = self.get_setting(SERVER_SETTING) or {}
        rows = held.get("rows") if isinstance(held, dict) else None
        try:
            install_standards(with_server_rows(rows) if rows else None)
        except ValueError:  # stored by a program that knew other rules: the packaged ones until the next sync
            install_standards(None)

    def receive_standards(self, version: str, rows: list[Any]) -> bool:
        """Keep the server's figures (checked by the packaged table's rules first) and put them in
        force. False, keeping what was held, if they break a rule this program knows."""
        try:
            with_server_rows(rows)
        except ValueError:
            return False
        self.set_setting(SERVER_SETTING, {"version": version, "rows": rows})
        self.install_standards()
        return True

    # -- keys ---------------------------------------------------------------------------------
    def change_passphrase(self, new_passphrase: str, *, kdf: keyfile.KdfParams | None = None) -> None:
        keyfile.check_passphrase(new_passphrase)
        keyfile.change_passphrase(self.path / KEY_FILE, self._key, new_passphrase, kdf=kdf)

    def subkey(self, purpose: str) -> bytes:
        return keyfile.derive_subkey(self._key, purpose)

    def close(self) -> None:
        """Checkpoint the WAL into the main file and release every connection."""
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        except faults.FAULTS:
            # Every commit is already durable in the WAL, which the next open checkpoints: a full
            # disk (or another program reading) at this moment costs nothing, so it is no error.
            pass
        finally:
            self.engine.dispose()
            self._key = b""

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def prepare(path: Path, data_key: bytes) -> None:
    """Check the schema and migrate if needed, backing up first. Never touches a newer schema."""
    engine = make_engine(path / DB_FILE, data_key, pool_size=1)
    try:
        found = migrate.current(engine)
        head = migrate.head()
        if found == head:
            return
        if found is not None and found not in migrate.known_revisions():
            raise SchemaTooNewError(found, head)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        try:
            backup(path, label=found or "empty")
        except OSError as error:  # no room for the backup: say so, and migrate nothing without one
            raise (faults.from_os_error(error, path) or error) from None
        migrate.upgrade(engine)
    finally:
        engine.dispose()


def backup(path: Path, label: str) -> Path:
    """An encrypted copy of the database (the file is ciphertext already) kept before migrating."""
    folder = path / BACKUPS_DIR
    folder.mkdir(exist_ok=True, mode=PRIVATE_DIR)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    target = folder / f"workspace-{label}-{stamp}.db"
    atomic_copy(path / DB_FILE, target)
    for old in sorted(folder.glob("workspace-*.db"))[:-BACKUPS_KEPT]:
        old.unlink()
    return target
