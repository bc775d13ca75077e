"""What identifies a pushed operation, and a pushed batch, on both sides of the wire.

The server's push ledger keeps, beside each verdict, the SHA-256 of the operation it judged
(``op_hash``): the same operation sent again under the same (device, sequence number) is a replay,
a different one comes from an older copy of the device (see ``sync.server.merge.push``). A device
whose push answer was lost proves with ``batch_digest`` that the operations the ledger holds under
its numbers are exactly the ones it sent, before the server hands it their stored verdicts
(``sync.server.verdicts``); only a digest, so asking costs a few hundred bytes whatever the batch.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from sync import protocol as p


def op_hash(op: p.PushOp) -> str:
    """What a pushed operation is, apart from its sequence number: a replay has the same."""
    # ASCII-escaped: a value of a hostile device may hold a lone surrogate, which UTF-8 cannot encode
    try:
        fields = op.model_dump(mode="json", exclude={"seq"})
    except UnicodeEncodeError:
        # ...and so may a key inside a created record's value, which pydantic's JSON mode refuses to
        # write (a 500 before any rule ran). Every field of an operation is already JSON-typed, so
        # the Python mode gives the same text for all it could write, and this one escaped too.
        fields = op.model_dump(exclude={"seq"})
    body = json.dumps(fields, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(body.encode("ascii")).hexdigest()


def batch_digest(hashes: Iterable[tuple[int, str]]) -> str:
    """SHA-256 over (sequence number, op hash) pairs in sequence order."""
    digest = hashlib.sha256()
    for seq, hashed in sorted(hashes):
        digest.update(f"{seq}:{hashed}\n".encode("ascii"))
    return digest.hexdigest()


def ranges(seqs: Iterable[int]) -> list[tuple[int, int]]:
    """Sequence numbers as (first, last) runs: a batch is mostly one run."""
    out: list[tuple[int, int]] = []
    for seq in sorted(set(seqs)):
        if out and seq == out[-1][1] + 1:
            out[-1] = (out[-1][0], seq)
        else:
            out.append((seq, seq))
    return out
