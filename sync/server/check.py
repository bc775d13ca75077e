"""``caseapp-server check``: is this database one this server can serve, and is what it holds whole?

Used by the restore drill (installer/server/backup.sh drill) on a freshly restored copy, and by an
operator after any repair: the schema is at this version's head, every stored attachment's chunks
add up to its size and hash to its digest, and the row count of every table (for comparing a
restore with its source). Reads only; it never migrates.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import func, select

from sync.server import attachments, schema
from sync.server.db import Database, SchemaState


@dataclass
class Report:
    schema: SchemaState
    counts: dict[str, int] = field(default_factory=dict)
    #: digests whose stored content is missing, short, or does not hash to the digest
    bad_attachments: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.schema.at_head and not self.bad_attachments


def check(db: Database) -> Report:
    report = Report(schema=db.schema_state())
    if not report.schema.at_head:
        return report  # tables may not be the ones this version knows
    with db.snapshot() as conn:
        for table in schema.metadata.sorted_tables:
            report.counts[table.name] = int(conn.execute(select(func.count()).select_from(table)).scalar_one())
        for digest, size in conn.execute(select(schema.attachments.c.digest, schema.attachments.c.size)
                                         .order_by(schema.attachments.c.digest)):
            data = attachments.content(conn, digest)
            if data is None or len(data) != size or hashlib.sha256(data).hexdigest() != digest:
                report.bad_attachments.append(digest)
    return report
