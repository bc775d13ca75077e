"""A disaster report series is a tree: each 续报 and 核报 belongs to its 初报 (DisasterReport's
parent, series_id), so the server finds a series by its root and checks which report may come
next with the device's own rule. Reports stored before this revision get their root.

Revision ID: s0009
Revises: s0008
Create Date: 2026-12-01 16:00:00
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "s0009"
down_revision = "s0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    records = sa.table("records", sa.column("id", sa.String), sa.column("entity", sa.String),
                       sa.column("fields", sa.Text), sa.column("root_id", sa.String))
    updates = []
    for row in conn.execute(sa.select(records.c.id, records.c.fields)
                            .where(records.c.entity == "disaster_report")):
        series_id = json.loads(row.fields).get("series_id")
        if series_id:
            updates.append({"b_id": row.id, "root_id": str(series_id)})
    if updates:
        conn.execute(records.update().where(records.c.id == sa.bindparam("b_id"))
                     .values(root_id=sa.bindparam("root_id")), updates)


def downgrade() -> None:
    conn = op.get_bind()
    records = sa.table("records", sa.column("id", sa.String), sa.column("entity", sa.String),
                       sa.column("root_id", sa.String))
    conn.execute(records.update().where(records.c.entity == "disaster_report").values(root_id=records.c.id))
