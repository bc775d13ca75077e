"""Referrals name the client as a household member, the consent date and the receiving centre's division code

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 15:26:45.638863
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_member_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("to_org_code", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("consent_on", sa.String(length=10), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_referrals_client_member_id_members"), "members", ["client_member_id"], ["id"]
        )



def downgrade() -> None:
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_referrals_client_member_id_members"), type_="foreignkey")
        batch_op.drop_column("consent_on")
        batch_op.drop_column("to_org_code")
        batch_op.drop_column("client_member_id")

