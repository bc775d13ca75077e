"""Run the workspace's Alembic migrations on an (encrypted) connection.

Opening a workspace only needs to know whether its schema is the newest: that comes from the
revision files' own ``revision``/``down_revision`` lines and one query, without loading Alembic
(a quarter of a second before any work). Alembic itself is loaded only to migrate.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text

from caseapp.errors import ResourceMissingError
from caseapp.resources import package_dir

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

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


def current(engine: Engine) -> str | None:
    with engine.connect() as conn:
        has_table = conn.execute(text("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                                      "AND name = 'alembic_version'")).first()
        if has_table is None:
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, target: str = "head") -> None:
    from alembic import command

    with engine.begin() as conn:
        command.upgrade(config(conn), target)
