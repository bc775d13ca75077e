"""Hybrid logical clock (Kulkarni et al., 2014), used to order edits between devices.

A stamp packs wall-clock milliseconds and a 16-bit counter into one integer: ``ms << 16 | counter``.
It never goes backwards on this device, even if the wall clock does, and it moves past every stamp
seen from the server, so causally later edits always get larger stamps. Concurrency is *not* decided
from these stamps (that uses server positions); they only pick a deterministic winner.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable

from caseapp.domain.types import format_datetime

COUNTER_BITS = 16
COUNTER_MASK = (1 << COUNTER_BITS) - 1


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


def pack(ms: int, counter: int = 0) -> int:
    return (ms << COUNTER_BITS) | (counter & COUNTER_MASK)


def physical_ms(stamp: int) -> int:
    return stamp >> COUNTER_BITS


def stamp_time(stamp: int) -> str:
    """``updated_at`` derived from a stamp: the server writes it from the winning operation's stamp,
    and a device whose operation the server took as it was writes the same (``sync.outbox``)."""
    return format_datetime(dt.datetime.fromtimestamp(physical_ms(stamp) / 1000, dt.UTC))


class HybridClock:
    """``offset_ms`` corrects this device's wall clock by what the server's clock was seen to be
    (``adjust``): a laptop whose clock runs two days slow would otherwise stamp every edit two days
    early and lose every same-field race, even long after it last synced."""

    def __init__(self, last: int = 0, now: Callable[[], int] | None = None, offset_ms: int = 0) -> None:
        self._last = last
        self._now = now
        self.offset_ms = offset_ms
        self._lock = threading.Lock()

    @property
    def last(self) -> int:
        return self._last

    def wall(self) -> int:
        """This device's clock as it reads now (milliseconds), before the correction."""
        return self._now() if self._now is not None else wall_ms()

    def now_ms(self) -> int:
        """The corrected time: this device's clock plus what it was seen to be off by."""
        return self.wall() + self.offset_ms

    def tick(self) -> int:
        """A new stamp for a local event."""
        with self._lock:
            candidate = pack(self.now_ms())
            self._last = candidate if candidate > self._last else self._last + 1
            return self._last

    def observe(self, remote: int) -> int:
        """Merge a stamp received from elsewhere; later local stamps sort after it."""
        with self._lock:
            self._last = max(self._last, remote, pack(self.now_ms()))
            return self._last

    def adjust(self, server_ms: int) -> int:
        """Take the server's clock, read just now, as the right time: returns the new offset."""
        self.offset_ms = server_ms - self.wall()
        return self.offset_ms
