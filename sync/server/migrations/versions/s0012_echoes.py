"""A device's own accepted writes are not pulled back to it: the log marks a change that is exactly
one device's operation (``changes.echo_device``, ``changes.echo_seq``), and the push ledger keeps
whether a verdict said so (``push_ledger.echo``) for the replay of a batch whose answer was lost.
Changes logged before this revision are no one's echo, so they are sent as before.

Revision ID: s0012
Revises: s0011
Create Date: 2026-12-03 16:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0012"
down_revision = "s0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("changes") as batch:
        batch.add_column(sa.Column("echo_device", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("echo_seq", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("push_ledger") as batch:
        batch.add_column(sa.Column("echo", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("push_ledger") as batch:
        batch.drop_column("echo")
    with op.batch_alter_table("changes") as batch:
        batch.drop_column("echo_seq")
        batch.drop_column("echo_device")
