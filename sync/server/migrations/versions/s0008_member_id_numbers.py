"""One person, one record: a member record's resident ID number is a column of its own, indexed,
so the server finds the member holding a number without reading every member.

Revision ID: s0008
Revises: s0007
Create Date: 2026-12-01 15:45:00
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "s0008"
down_revision = "s0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.add_column(sa.Column("person_id", sa.String(length=18), nullable=True))
        batch.create_index("ix_records_person_id", ["person_id"])
    conn = op.get_bind()
    records = sa.table("records", sa.column("id", sa.String), sa.column("entity", sa.String),
                       sa.column("fields", sa.Text), sa.column("person_id", sa.String))
    held = []
    for row in conn.execute(sa.select(records.c.id, records.c.fields).where(records.c.entity == "member")):
        number = json.loads(row.fields).get("id_number")
        if isinstance(number, str) and number:
            held.append({"b_id": row.id, "person_id": number[:18]})
    if held:
        conn.execute(records.update().where(records.c.id == sa.bindparam("b_id"))
                     .values(person_id=sa.bindparam("person_id")), held)


def downgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.drop_index("ix_records_person_id")
        batch.drop_column("person_id")
