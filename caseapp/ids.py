"""UUIDv7 identifiers (RFC 9562): time-ordered, so new rows append to the primary-key index
instead of scattering across it, and ids created offline on different laptops never collide."""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_last_rand = 0


def new_id() -> str:
    """A new UUIDv7 as a lowercase string; monotonic within this process."""
    global _last_ms, _last_rand
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms <= _last_ms:
            # Same millisecond (or the clock stepped back): keep order by bumping the random part.
            ms = _last_ms
            rand = (_last_rand + 1) & ((1 << 74) - 1)
        else:
            rand = int.from_bytes(os.urandom(10), "big") & ((1 << 74) - 1)
        _last_ms, _last_rand = ms, rand
    rand_a = rand >> 62  # 12 bits
    rand_b = rand & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | rand_a << 64 | 0b10 << 62 | rand_b
    return str(uuid.UUID(int=value))


def id_timestamp_ms(value: str) -> int:
    """The creation time (ms since the epoch) embedded in a UUIDv7."""
    return uuid.UUID(value).int >> 80
