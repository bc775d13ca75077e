"""A household moves with its records as one unit, and work typed while a record was in a
user's scope is kept after it leaves: every record knows the root of its tree (the household it
belongs to, through its parents), and the server remembers the scopes users had before a change.

Revision ID: s0007
Revises: s0006
Create Date: 2026-12-01 12:30:00
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "s0007"
down_revision = "s0006"
branch_labels = None
depends_on = None

# The parent field of each record type as it was at this revision (caseapp.domain.tree): a
# migration carries its own copy, so later model changes never rewrite history.
PARENTS = {
    "member": "household_id", "income_item": "member_id", "assistance_case": "household_id",
    "case_review": "case_id", "investigation": "household_id", "verification": "household_id",
    "elder_profile": "household_id", "care_visit": "elder_id", "grid_event_update": "event_id",
    "social_work_case": "household_id", "case_note": "case_id", "referral": "household_id",
    "attachment": "owner_id",
}


def upgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.add_column(sa.Column("root_id", sa.String(length=36), nullable=True))
        batch.create_index("ix_records_root_id", ["root_id"])
    op.create_table(
        "scope_history",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("user_name", sa.String(length=64), nullable=False, index=True),
        sa.Column("prefixes", sa.Text(), nullable=False),
        sa.Column("until_pos", sa.BigInteger(), nullable=False),
        sa.Column("until_ms", sa.BigInteger(), nullable=False),
    )
    conn = op.get_bind()
    records = sa.table("records", sa.column("id", sa.String), sa.column("entity", sa.String),
                       sa.column("fields", sa.Text), sa.column("root_id", sa.String))
    parent: dict[str, str | None] = {}
    for row in conn.execute(sa.select(records.c.id, records.c.entity, records.c.fields)):
        column = PARENTS.get(row.entity)
        value = json.loads(row.fields).get(column) if column else None
        parent[row.id] = str(value) if value else None
    roots: dict[str, str] = {}

    def root(row_id: str) -> str:
        seen = [row_id]
        while (up := parent.get(seen[-1])) is not None and up in parent and up not in seen and len(seen) < 16:
            seen.append(up)
        for i in seen:
            roots[i] = seen[-1]
        return seen[-1]

    updates = [{"b_id": i, "root_id": roots.get(i) or root(i)} for i in parent]
    if updates:
        conn.execute(records.update().where(records.c.id == sa.bindparam("b_id"))
                     .values(root_id=sa.bindparam("root_id")), updates)


def downgrade() -> None:
    op.drop_table("scope_history")
    with op.batch_alter_table("records") as batch:
        batch.drop_index("ix_records_root_id")
        batch.drop_column("root_id")
