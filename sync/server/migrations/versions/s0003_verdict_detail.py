"""The push ledger keeps what a refusal was about (the field and the message's parameters), so a
replayed push answers with the same detail, and a hash of each operation, so an operation that is
not the one the ledger holds under its (device, sequence) is recognised.

Revision ID: s0003
Revises: s0002
Create Date: 2026-12-01 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0003"
down_revision = "s0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("push_ledger") as batch:
        batch.add_column(sa.Column("detail", sa.Text(), nullable=True))
        batch.add_column(sa.Column("op_hash", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("push_ledger") as batch:
        batch.drop_column("op_hash")
        batch.drop_column("detail")
