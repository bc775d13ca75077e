"""One person, one record: the server finds the member holding a resident ID number by an index on
that field of member records (an expression index, so no table of its own to keep in step).

Revision ID: s0008
Revises: s0007
Create Date: 2026-12-01 15:45:00
"""

from __future__ import annotations

from alembic import op

revision = "s0008"
down_revision = "s0007"
branch_labels = None
depends_on = None

#: The expression sync.server.merge looks ID numbers up by, in each dialect (the same text, or the
#: index is not used).
EXPRESSIONS = {"sqlite": "json_extract(fields, '$.id_number')", "postgresql": "((fields::jsonb) ->> 'id_number')"}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.execute(f"CREATE INDEX ix_records_member_id_number ON records ({EXPRESSIONS[dialect]}) "
               "WHERE entity = 'member'")


def downgrade() -> None:
    op.execute("DROP INDEX ix_records_member_id_number")
