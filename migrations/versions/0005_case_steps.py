"""Assistance cases sign each step: case steps, and the public notice's start and objections

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 12:18:52.355171
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_steps",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("from_state", sa.String(length=24), nullable=False),
        sa.Column("to_state", sa.String(length=24), nullable=False),
        sa.Column("handler_role", sa.String(length=16), nullable=False),
        sa.Column("opinion", sa.Text(), nullable=False),
        sa.Column("taken_at", sa.String(length=32), nullable=False),
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
            ["case_id"], ["assistance_cases.id"], name=op.f("fk_case_steps_case_id_assistance_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_steps")),
    )
    with op.batch_alter_table("case_steps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_steps_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_steps_org_code"), ["org_code"], unique=False)

    with op.batch_alter_table("assistance_cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notice_started_on", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("notice_objections", sa.Text(), nullable=False, server_default=""))



def downgrade() -> None:
    with op.batch_alter_table("assistance_cases", schema=None) as batch_op:
        batch_op.drop_column("notice_objections")
        batch_op.drop_column("notice_started_on")

    with op.batch_alter_table("case_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_steps_org_code"))
        batch_op.drop_index(batch_op.f("ix_case_steps_case_id"))

    op.drop_table("case_steps")
