"""search keys for house numbers after compound road names

The household search index gains address keys that start after a road named with a direction
(工业大道南123号 → "123号"), after 段 and after 弄 (caseapp.store.search_index). No table changes:
the households already indexed get their keys brought up to date, each household's changed keys
replaced in place, with the index's own plain-SQL refresh.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 15:44:13.351263
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 2000


def upgrade() -> None:
    from caseapp.store.search_index import refresh

    conn = op.get_bind()
    ids = list(conn.execute(sa.text("SELECT household_id FROM search_households ORDER BY household_id")).scalars())
    for start in range(0, len(ids), BATCH):
        refresh(conn, ids[start:start + BATCH])


def downgrade() -> None:
    # The extra keys only find more; an older version reads the index as it is.
    pass
