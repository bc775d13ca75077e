"""Run the workspace's Alembic migrations on an (encrypted) connection."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

import migrations


def config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(migrations.__file__).parent))
    cfg.attributes["connection"] = connection
    return cfg


@cache
def script() -> ScriptDirectory:
    # Reading the revision files costs tens of milliseconds; unlocking asks for them several times.
    return ScriptDirectory.from_config(config())


def head() -> str:
    revision = script().get_current_head()
    assert revision is not None
    return revision


def known_revisions() -> set[str]:
    return {rev.revision for rev in script().walk_revisions()}


def schema_version(revision: str | None = None) -> int:
    """The integer schema version journal entries carry: the revision's position in the chain."""
    revision = revision or head()
    chain = [rev.revision for rev in script().walk_revisions()]  # newest first
    return len(chain) - chain.index(revision)


def current(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, target: str = "head") -> None:
    with engine.begin() as conn:
        command.upgrade(config(conn), target)
