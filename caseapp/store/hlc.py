"""Hybrid logical clock (Kulkarni et al., 2014), used to order edits between devices.

A stamp packs wall-clock milliseconds and a 16-bit counter into one integer: ``ms << 16 | counter``.
It never goes backwards on this device, even if the wall clock does, and it moves past every stamp
seen from the server, so causally later edits always get larger stamps. Concurrency is *not* decided
from these stamps (that uses server positions); they only pick a deterministic winner.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

COUNTER_BITS = 16
COUNTER_MASK = (1 << COUNTER_BITS) - 1


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


def pack(ms: int, counter: int = 0) -> int:
    return (ms << COUNTER_BITS) | (counter & COUNTER_MASK)


def physical_ms(stamp: int) -> int:
    return stamp >> COUNTER_BITS


class HybridClock:
    def __init__(self, last: int = 0, now: Callable[[], int] = wall_ms) -> None:
        self._last = last
        self._now = now
        self._lock = threading.Lock()

    @property
    def last(self) -> int:
        return self._last

    def tick(self) -> int:
        """A new stamp for a local event."""
        with self._lock:
            candidate = pack(self._now())
            self._last = candidate if candidate > self._last else self._last + 1
            return self._last

    def observe(self, remote: int) -> int:
        """Merge a stamp received from elsewhere; later local stamps sort after it."""
        with self._lock:
            self._last = max(self._last, remote, pack(self._now()))
            return self._last
