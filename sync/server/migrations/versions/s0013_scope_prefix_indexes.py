"""Scope lookups by prefix use their index on PostgreSQL: ``records.org_code`` and
``records.shared_org`` indexed with ``varchar_pattern_ops``.

A device's scope is a set of org-code prefixes, matched with ``LIKE 'prefix%'`` (every pull ends
by counting the records in scope, sync.server.pull._scope_count; the quality checks read a scope
too). PostgreSQL answers ``LIKE`` from a default btree index only in the C collation ("C.UTF-8" is
not one before PostgreSQL 17, nor is any locale a city's server is set up in), so the plain indexes
made by s0001 and s0010 were never used for it: the count read every record (EXPLAIN: Seq Scan on
records, 59,700 rows removed by the filter to count 300), a cost growing with the city, not with
the device's scope. An index with the pattern operator class serves prefix matches whatever the
collation, and equality as well; nothing orders or ranges over these columns, so it replaces the
plain one under the same name. SQLite's indexes are left as they are (the name and column are
the same; SQLite has no operator classes).

Revision ID: s0013
Revises: s0012
Create Date: 2026-12-03 17:00:00
"""

from __future__ import annotations

from alembic import op

revision = "s0013"
down_revision = "s0012"
branch_labels = None
depends_on = None

COLUMNS = ("org_code", "shared_org")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in COLUMNS:
        op.drop_index(f"ix_records_{column}", table_name="records")
        op.create_index(f"ix_records_{column}", "records", [column],
                        postgresql_ops={column: "varchar_pattern_ops"})


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in COLUMNS:
        op.drop_index(f"ix_records_{column}", table_name="records")
        op.create_index(f"ix_records_{column}", "records", [column])
