"""Accounts: login back-off per user and address, tokens ended by a password change or disabling,
the authenticated user beside each audit entry's claimed actor.

The login_failures rows (a count per user and per address, checked before and recorded after the
password check, so concurrent logins all got through) are not carried over: they only ever counted
the last minute.

Revision ID: s0004
Revises: s0003
Create Date: 2026-12-08 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0004"
down_revision = "s0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("user_name", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_ms", sa.BigInteger(), nullable=False),
        sa.Column("grant_id", sa.String(length=32), nullable=False),
        sa.Column("updated_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("user_name", "address", name=op.f("pk_login_throttle")),
    )
    op.drop_index("ix_login_failures_key_at", table_name="login_failures")
    op.drop_table("login_failures")
    with op.batch_alter_table("devices") as batch:
        batch.add_column(sa.Column("token_ended", sa.String(length=16), nullable=True))
    with op.batch_alter_table("device_audit") as batch:
        batch.add_column(sa.Column("user_name", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("problem", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("device_audit") as batch:
        batch.drop_column("problem")
        batch.drop_column("user_name")
    with op.batch_alter_table("devices") as batch:
        batch.drop_column("token_ended")
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("at_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    op.create_index("ix_login_failures_key_at", "login_failures", ["key", "at_ms"], unique=False)
    op.drop_table("login_throttle")
