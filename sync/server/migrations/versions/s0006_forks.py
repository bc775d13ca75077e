"""A device that turns out to be a copy of another (a workspace restored from a folder copy or a
backup) continues under a new device id: the server remembers which device it was copied from and
where their audit trails parted, so the copy's trail carries on from the shared part.

Revision ID: s0006
Revises: s0005
Create Date: 2026-12-01 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0006"
down_revision = "s0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.add_column(sa.Column("forked_from", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("fork_audit_seq", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.drop_column("fork_audit_seq")
        batch.drop_column("forked_from")
