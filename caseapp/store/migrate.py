"""Run the workspace's Alembic migrations on an (encrypted) connection.

Opening a workspace only needs to know whether its schema is the newest: that comes from the
revision files' own ``revision``/``down_revision`` lines and one query, without loading Alembic
(a quarter of a second before any work). Alembic itself is loaded only to migrate.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
import threading
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from caseapp.errors import ResourceMissingError
from caseapp.resources import package_dir

if TYPE_CHECKING:  # SQLAlchemy and Alembic are imported where they are used: `caseapp status` reads
    # the schema's revision without either (stored_revision)
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy import Connection, Engine

_REVISION = re.compile(r"^revision(?::[^=]*)?=\s*[\"']([^\"']+)[\"']", re.MULTILINE)
_DOWN = re.compile(r"^down_revision(?::[^=]*)?=\s*(?:[\"']([^\"']+)[\"']|None)", re.MULTILINE)


def config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(package_dir("migrations", "env.py", "script.py.mako")))
    cfg.attributes["connection"] = connection
    return cfg


@cache
def script() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(config())


@cache
def _chain() -> tuple[str, ...]:
    """The revisions, oldest first, read from the revision files (one straight chain)."""
    parents: dict[str, str | None] = {}
    for entry in package_dir("migrations.versions").iterdir():
        if not (entry.name.endswith(".py") and entry.name[:1].isdigit()):
            continue
        source = entry.read_text(encoding="utf-8")
        found, down = _REVISION.search(source), _DOWN.search(source)
        if found is None or down is None:
            raise RuntimeError(f"migration {entry.name} names no revision")
        parents[found.group(1)] = down.group(1)
    if not parents:
        raise ResourceMissingError("migrations/versions")
    children = {parent: child for child, parent in parents.items()}
    if len(children) != len(parents):
        raise RuntimeError("workspace migrations branch: they must form one chain")
    chain: list[str] = []
    revision = children.get(None)
    while revision is not None:
        chain.append(revision)
        revision = children.get(revision)
    if len(chain) != len(parents):
        raise RuntimeError("workspace migrations do not form one chain")
    return tuple(chain)


def head() -> str:
    return _chain()[-1]


def known_revisions() -> set[str]:
    return set(_chain())


def schema_version(revision: str | None = None) -> int:
    """The integer schema version journal entries carry: the revision's position in the chain."""
    return _chain().index(revision or head()) + 1


_HAS_VERSION = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
_VERSION = "SELECT version_num FROM alembic_version"


def stored_revision(dbapi_conn: Any) -> str | None:
    """The revision a workspace's schema is at (None: not migrated at all), read over a DB-API
    connection."""
    if dbapi_conn.execute(_HAS_VERSION).fetchone() is None:
        return None
    row = dbapi_conn.execute(_VERSION).fetchone()
    return None if row is None else str(row[0])


def current(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if conn.exec_driver_sql(_HAS_VERSION).first() is None:
            return None
        return conn.exec_driver_sql(_VERSION).scalar()


def upgrade(engine: Engine, target: str = "head") -> None:
    from alembic import command

    with engine.begin() as conn:
        command.upgrade(config(conn), target)


# --- a new workspace at head, without running every migration again -------------------------------

_TEMPLATE_LOCK = threading.Lock()


@cache
def _template() -> tuple[Path, bytes]:
    """A database migrated to head once per process, and its key: its schema and the alembic_version
    row, nothing else. Encrypted like any workspace (with a key of its own, made for this process),
    through the same engine, in a private temporary folder removed at exit."""
    from caseapp.store.engine import make_engine

    folder = Path(tempfile.mkdtemp(prefix="caseapp-schema-"))
    atexit.register(shutil.rmtree, folder, True)
    path, key = folder / "head.db", os.urandom(32)
    engine = make_engine(path, key)
    try:
        upgrade(engine)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()
    return path, key


def install_head(dbapi_conn: Any) -> bool:
    """Give an empty workspace database (an open, keyed SQLCipher DB-API connection) the schema at
    head: the template's schema and version row copied in by ``sqlcipher_export``, SQLCipher's own
    way of copying one database into another under a different key. The same tables, indexes,
    triggers and full-text tables as running every migration (a test compares the two), in a few
    milliseconds instead of half a second for each new workspace after the first. The connection's
    schema cache is stale afterwards: close it and open another. False, with nothing done, when the
    template cannot be made (no temporary folder to write in, a full one): then migrate the workspace
    itself, which reports what is wrong if it is wrong there too."""
    with _TEMPLATE_LOCK:
        try:
            path, key = _template()
        except Exception:
            return False
    dbapi_conn.execute("ATTACH DATABASE ? AS head_template KEY ?", (str(path), f"x'{key.hex()}'"))
    try:
        # one transaction: one sync of the new file, not one per table and index
        dbapi_conn.execute("BEGIN")
        try:
            dbapi_conn.execute("SELECT sqlcipher_export('main', 'head_template')")
        except BaseException:
            dbapi_conn.execute("ROLLBACK")
            raise
        dbapi_conn.execute("COMMIT")
    finally:
        dbapi_conn.execute("DETACH DATABASE head_template")
    return True
