"""Standards edited by an administrator on the server: a ``standards`` table, one row per figure
added (caseapp-server standards add, POST /api/v1/standards), which devices receive on sync.

Revision ID: s0011
Revises: s0010
Create Date: 2026-12-02 02:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0011"
down_revision = "s0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "standards",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("district", sa.String(length=6), nullable=True),
        sa.Column("effective_from", sa.String(length=10), nullable=False),
        sa.Column("row", sa.Text(), nullable=False),
        sa.Column("added_by", sa.String(length=64), nullable=False),
        sa.Column("added_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_standards")),
    )


def downgrade() -> None:
    op.drop_table("standards")
