"""one-off payments of assistance cases

One-off grants (临时救助, 医疗救助) become dated payment records (``case_payments``: amount, day
paid, kind, reason, approver) attached to their case, counted by the monthly statistics in the month
paid. Existing cases are left as they are: a payment made up here on each device would be a
different record on every device (its id is new), duplicated by sync; an office records the payments
of past grants once, on one device, if it wants them counted.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 01:53:11.243189
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_payments",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("paid_on", sa.String(length=10), nullable=False),
        sa.Column("amount_paid", sa.String(length=24), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("approved_by", sa.String(length=60), nullable=False),
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
            ["case_id"], ["assistance_cases.id"], name=op.f("fk_case_payments_case_id_assistance_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_payments")),
    )
    with op.batch_alter_table("case_payments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_payments_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_payments_org_code"), ["org_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_payments_paid_on"), ["paid_on"], unique=False)



def downgrade() -> None:
    with op.batch_alter_table("case_payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_payments_paid_on"))
        batch_op.drop_index(batch_op.f("ix_case_payments_org_code"))
        batch_op.drop_index(batch_op.f("ix_case_payments_case_id"))

    op.drop_table("case_payments")
