"""The stored verdicts of a push whose answer the device never got.

A push is applied, its verdicts written to the ledger and its audit entries stored in one
transaction, committed before the answer leaves. When that answer is lost on the way, the device
asks here (``POST /push/verdicts``) with the batch's sequence numbers, a digest of its operations
(``sync.replay.batch_digest``) and its last audit entry, and gets the verdicts the ledger holds,
instead of sending the whole batch again for the ledger to answer as a replay.

Only what proves the push was taken is answered as held: a verdict under every number, each
stored with the hash of its operation, the digest over those hashes equal to the device's, and
the batch's last audit entry held with the same hash. Anything else (the push never arrived or is
still being applied, an operation this server does not know a field of and kept no verdict for,
a copy of the device whose operations under these numbers differ) is answered "not held", and the
device sends the push itself, which the merge judges with every check it has, the refusal of a
restored copy (409 ``sync.device_diverged``) among them. So this route never decides anything
the push route would not, and a device only ever reads its own device id's ledger.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from sync import protocol as p
from sync import replay
from sync.server import schema, trails
from sync.server.auth import Principal

#: sequence numbers per ledger query (as the merge reads the ledger)
CHUNK = 500


@dataclass(frozen=True)
class Found:
    held: bool
    verdicts: list[p.Verdict] = field(default_factory=list)
    audit_ack: int = 0


#: ledger columns that are bookkeeping, not part of the verdict a push answered with
LEDGER_ONLY = frozenset({"device_id", "at_ms", "detail", "op_hash"})


def verdict_of(row: Any) -> p.Verdict:
    """A ledger row as the verdict the push answered with. Every column not in ``LEDGER_ONLY``
    goes in by name, so a flag the ledger keeps for the answer (as the merge writes it) comes back
    here too without this module knowing of it; the model keeps the fields it has."""
    values = {k: v for k, v in row._mapping.items() if k not in LEDGER_ONLY}
    detail = json.loads(row.detail) if row.detail else {}
    return p.Verdict.model_validate({**values, "field": detail.get("field"), "params": detail.get("params") or {}})


def stored(conn: Connection, who: Principal, ask: p.VerdictsIn) -> Found:
    seqs = ask.seqs()
    ledger = schema.ledger.c
    rows: list[Any] = []
    for start in range(0, len(seqs), CHUNK):
        rows += conn.execute(select(schema.ledger).where(ledger.device_id == who.device_id,
                                                         ledger.seq.in_(seqs[start:start + CHUNK]))).all()
    if len(rows) != len(seqs) or any(r.op_hash is None for r in rows):
        return Found(False)
    if replay.batch_digest((r.seq, r.op_hash) for r in rows) != ask.digest:
        return Found(False)
    if ask.audit_seq:
        audit = schema.device_audit.c
        held = conn.execute(select(audit.hash).where(audit.device_id == who.device_id,
                                                     audit.seq == ask.audit_seq)).scalar()
        if held != ask.audit_hash:
            return Found(False)
    return Found(True, [verdict_of(r) for r in sorted(rows, key=lambda r: r.seq)],
                 trails.held_up_to(conn, who.device_id))
