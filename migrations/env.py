"""Alembic environment for workspace databases.

Migrations run on a connection the store hands over (``config.attributes["connection"]``): the
database is encrypted, so only the store, holding the key, can open it.
"""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy.types import TypeDecorator

from caseapp.store.metadata import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("workspace migrations run through caseapp.store.migrate, which supplies the connection")



def render_item(kind: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    # Render our TypeDecorators as their plain storage type, so migrations stay valid even if the
    # Python-side types are renamed or changed later.
    if kind == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


context.configure(
    connection=connection,
    render_item=render_item,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode recreates tables
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
