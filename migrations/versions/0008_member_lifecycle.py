"""Members leave a household and keep their history: status, date left, member events

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 15:02:53.829637
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every member already recorded lives in their household (status "present"); who left is new.
    op.create_table(
        "member_events",
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=True),
        sa.Column("other_household_id", sa.String(length=36), nullable=True),
        sa.Column("occurred_on", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("org_code", sa.String(length=24), nullable=False),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("device", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("server_pos", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"], name=op.f("fk_member_events_household_id_households")
        ),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name=op.f("fk_member_events_member_id_members")),
        sa.ForeignKeyConstraint(
            ["other_household_id"], ["households.id"], name=op.f("fk_member_events_other_household_id_households")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_events")),
    )
    with op.batch_alter_table("member_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_member_events_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_member_events_member_id"), ["member_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_member_events_org_code"), ["org_code"], unique=False)

    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=16), nullable=False, server_default="present"))
        batch_op.add_column(sa.Column("left_on", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("left_reason", sa.String(length=200), nullable=False, server_default=""))



def downgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_column("left_reason")
        batch_op.drop_column("left_on")
        batch_op.drop_column("status")

    with op.batch_alter_table("member_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_events_org_code"))
        batch_op.drop_index(batch_op.f("ix_member_events_member_id"))
        batch_op.drop_index(batch_op.f("ix_member_events_household_id"))

    op.drop_table("member_events")
