"""A sent referral reaches its receiving centre: a second scope column, ``shared_org``, on the
records and on the log, filled from the referral's ``to_org_code`` once it is sent (backfilled for
referrals already sent; referrals stored before the field existed have no code and stay unshared).

Revision ID: s0010
Revises: s0009
Create Date: 2026-12-01 16:00:00
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "s0010"
down_revision = "s0009"
branch_labels = None
depends_on = None

#: caseapp.services.referrals.SENT_STATES, as it stood when this migration was written
SENT_STATES = ("sent", "accepted", "declined", "in_service", "feedback", "closed")


def upgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.add_column(sa.Column("shared_org", sa.String(length=24), nullable=True))
        batch.create_index("ix_records_shared_org", ["shared_org"])
    with op.batch_alter_table("changes") as batch:
        batch.add_column(sa.Column("shared_org", sa.String(length=24), nullable=True))
    conn = op.get_bind()
    records = sa.table("records", sa.column("id", sa.String), sa.column("entity", sa.String),
                       sa.column("org_code", sa.String), sa.column("fields", sa.Text), sa.column("pos", sa.BigInteger),
                       sa.column("shared_org", sa.String))
    changes = sa.table("changes", sa.column("pos", sa.BigInteger), sa.column("entity", sa.String),
                       sa.column("row_id", sa.String), sa.column("org_code", sa.String),
                       sa.column("old_org_code", sa.String), sa.column("fields", sa.Text),
                       sa.column("shared_org", sa.String))
    top = conn.execute(sa.select(sa.func.max(changes.c.pos))).scalar() or 0
    shared, logged = [], []
    query = sa.select(records.c.id, records.c.org_code, records.c.fields).where(records.c.entity == "referral")
    for row in conn.execute(query.order_by(records.c.id)):
        fields = json.loads(row.fields)
        code = fields.get("to_org_code")
        if fields.get("status") in SENT_STATES and isinstance(code, str) and code:
            top += 1
            shared.append({"b_id": row.id, "b_shared": code[:24], "b_pos": top})
            # a new log entry, so receivers already past the referral's last change pull it too
            logged.append({"pos": top, "entity": "referral", "row_id": row.id, "org_code": row.org_code,
                           "old_org_code": None, "fields": "{}", "shared_org": code[:24]})
    if shared:
        conn.execute(records.update().where(records.c.id == sa.bindparam("b_id"))
                     .values(shared_org=sa.bindparam("b_shared"), pos=sa.bindparam("b_pos")), shared)
        conn.execute(changes.insert(), logged)


def downgrade() -> None:
    with op.batch_alter_table("changes") as batch:
        batch.drop_column("shared_org")
    with op.batch_alter_table("records") as batch:
        batch.drop_index("ix_records_shared_org")
        batch.drop_column("shared_org")
