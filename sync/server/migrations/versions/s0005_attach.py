"""Attachments: uploads per uploader, content stored once, grants for who proved possession.

Content already complete keeps its chunks (their ``blob`` is its digest). Uploads left incomplete
cannot be given to an uploader (only the user was recorded, not the device), so they are dropped;
their devices start them again on the next sync.

Revision ID: s0005
Revises: s0004
Create Date: 2026-12-02 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0005"
down_revision = "s0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM attachment_chunks WHERE digest IN "
               "(SELECT digest FROM attachments WHERE complete = false)")
    op.execute("DELETE FROM attachments WHERE complete = false")
    with op.batch_alter_table("attachment_chunks", schema=None) as batch_op:
        batch_op.alter_column("digest", new_column_name="blob", existing_type=sa.String(length=64),
                              existing_nullable=False)
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("blob", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("stored_ms", sa.BigInteger(), nullable=True))
    op.execute("UPDATE attachments SET blob = digest, stored_ms = 0")
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.alter_column("blob", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("stored_ms", existing_type=sa.BigInteger(), nullable=False)
        batch_op.drop_column("received")
        batch_op.drop_column("complete")
        batch_op.drop_column("uploaded_by")
    op.create_table(
        "attachment_uploads",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("user_name", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("received", sa.BigInteger(), nullable=False),
        sa.Column("updated_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment_uploads")),
        sa.UniqueConstraint("digest", "user_name", "device_id",
                            name=op.f("uq_attachment_uploads_digest_user_name_device_id")),
    )
    op.create_index(op.f("ix_attachment_uploads_updated_ms"), "attachment_uploads", ["updated_ms"], unique=False)
    op.create_table(
        "attachment_grants",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("user_name", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("granted_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("digest", "user_name", "device_id", name=op.f("pk_attachment_grants")),
    )


def downgrade() -> None:
    op.drop_table("attachment_grants")
    op.drop_index(op.f("ix_attachment_uploads_updated_ms"), table_name="attachment_uploads")
    op.drop_table("attachment_uploads")
    # Content stored under another upload's blob goes back under its digest.
    op.execute("UPDATE attachment_chunks SET blob = (SELECT digest FROM attachments "
               "WHERE attachments.blob = attachment_chunks.blob) "
               "WHERE blob IN (SELECT blob FROM attachments)")
    op.execute("DELETE FROM attachment_chunks WHERE blob NOT IN (SELECT digest FROM attachments)")
    with op.batch_alter_table("attachment_chunks", schema=None) as batch_op:
        batch_op.alter_column("blob", new_column_name="digest", existing_type=sa.String(length=64),
                              existing_nullable=False)
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("received", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("complete", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("uploaded_by", sa.String(length=64), nullable=True))
    op.execute("UPDATE attachments SET received = size, complete = true, uploaded_by = ''")
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.alter_column("received", existing_type=sa.BigInteger(), nullable=False)
        batch_op.alter_column("complete", existing_type=sa.Boolean(), nullable=False)
        batch_op.alter_column("uploaded_by", existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_column("stored_ms")
        batch_op.drop_column("blob")
