"""assistance case amount reason

An assistance case gains ``amount_reason``: why its monthly amount differs from the computed one
(caseapp.services.assessment). Existing cases get an empty reason.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 22:22:23.763646
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("assistance_cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("amount_reason", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("assistance_cases", schema=None) as batch_op:
        batch_op.drop_column("amount_reason")
