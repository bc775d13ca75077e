"""A test's server database copied from the template (tests/sync/server_template.py) is the one the
migrations build: the same tables, columns, defaults, keys, indexes, sequences and revision, on
SQLite and PostgreSQL, for the first schema of a process (migrated while recording) as for the later
ones (replayed)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, text

from sync.server.db import Database, head_revision

from .conftest import fresh_database


def catalogue(db: Database) -> dict[str, list[tuple[object, ...]]]:
    """Everything the schema is made of, with its own schema's name taken out of the definitions."""
    with db.read() as conn:
        revision = [tuple(r) for r in conn.execute(text("SELECT version_num FROM alembic_version"))]
        if db.is_sqlite:
            return {"revision": revision,
                    "objects": [tuple(r) for r in conn.execute(text(
                        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"))]}
        return {"revision": revision, **_postgres(conn)}


def _postgres(conn: Connection) -> dict[str, list[tuple[object, ...]]]:
    schema = conn.execute(text("SELECT current_schema()")).scalar_one()

    def rows(query: str) -> list[tuple[object, ...]]:
        found = conn.execute(text(query), {"s": schema}).all()
        return sorted(tuple(str(v).replace(f"{schema}.", "") if v is not None else None for v in r) for r in found)

    return {
        "columns": rows("SELECT table_name, column_name, ordinal_position, data_type, character_maximum_length, "
                        "is_nullable, column_default FROM information_schema.columns WHERE table_schema = :s"),
        "constraints": rows("SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) "
                            "FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = :s"),
        "indexes": rows("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = :s"),
        "sequences": rows("SELECT sequence_name, data_type, start_value, increment FROM information_schema.sequences "
                          "WHERE sequence_schema = :s"),
        "relations": rows("SELECT c.relname, c.relkind, c.relpersistence FROM pg_class c "
                          "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = :s"),
        "triggers": rows("SELECT event_object_table, trigger_name, action_statement FROM information_schema.triggers "
                         "WHERE trigger_schema = :s"),
    }


def test_a_copied_server_database_is_the_migrated_one(backend: str, tmp_path: Path) -> None:
    with fresh_database(backend, tmp_path, migrate=True) as db:
        migrated = catalogue(db)
    assert migrated["revision"] == [(head_revision(),)]
    assert len(migrated["columns" if backend == "postgres" else "objects"]) > 30  # the whole schema, not a part
    for _ in range(2):  # a process's first PostgreSQL schema records its migrations, the next replays them
        with fresh_database(backend, tmp_path) as db:
            assert catalogue(db) == migrated
