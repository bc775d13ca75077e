"""elder_due: each elder's next visit day, kept by triggers

The table only: its triggers are made from the rules in force when the workspace opens
(caseapp.store.visits_due.ensure), which fills the table.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 13:59:24.696357
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "elder_due",
        sa.Column("elder_id", sa.String(length=36), nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=True),
        sa.Column("member_id", sa.String(length=36), nullable=True),
        sa.Column("risk_tier", sa.String(length=16), nullable=True),
        sa.Column("org_code", sa.String(length=24), nullable=True),
        sa.Column("due", sa.String(length=10), nullable=True),
        sa.PrimaryKeyConstraint("elder_id", name=op.f("pk_elder_due")),
    )
    with op.batch_alter_table("elder_due", schema=None) as batch_op:
        batch_op.create_index("ix_elder_due_order", ["due", "org_code", "elder_id"], unique=False)



def downgrade() -> None:
    for name in ("visit_insert", "visit_update", "visit_delete", "profile_insert", "profile_update",
                 "profile_delete"):
        op.execute(f"DROP TRIGGER IF EXISTS elder_due_{name}")
    with op.batch_alter_table("elder_due", schema=None) as batch_op:
        batch_op.drop_index("ix_elder_due_order")

    op.drop_table("elder_due")
