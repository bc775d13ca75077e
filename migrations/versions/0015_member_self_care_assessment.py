"""member self-care assessment

A member gains the 特困 self-care assessment (生活自理能力评估, DOMAIN.md §2.1): its date, its six items
(eating, dressing, bed transfer, toilet, indoor walking, bathing: able/unable) and its result
(self_care / partial_care / full_care). Existing members have none: never assessed.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 01:49:53.088114
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("self_care_assessed_on", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("self_care_eating", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("self_care_dressing", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("self_care_transfer", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("self_care_toilet", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("self_care_walking", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("self_care_bathing", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("self_care_result", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_column("self_care_result")
        batch_op.drop_column("self_care_bathing")
        batch_op.drop_column("self_care_walking")
        batch_op.drop_column("self_care_toilet")
        batch_op.drop_column("self_care_transfer")
        batch_op.drop_column("self_care_dressing")
        batch_op.drop_column("self_care_eating")
        batch_op.drop_column("self_care_assessed_on")
