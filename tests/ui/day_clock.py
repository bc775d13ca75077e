"""The office's calendar for the scripted day: a fixed Monday in Guangzhou, on which each step of the
day happens at its own time, the same on every run and every machine.

The printed forms show what the day's clock put on them: the date printed, the times of the
investigation and of each sign-off, and the record numbers, which are the first 8 hex digits of a
UUIDv7 (the top 32 bits of its milliseconds: one number per 65.536 s window). So the whole process
(every thread: the three windows' writers, the server, the ids) runs on time-machine's clock,
ticking as the real one does, and each step is moved on to its own slot first: the start of an id
window that falls in the first seconds of a minute, so a step taking less than ~50 s leaves the
same number and the same minute on paper whatever the machine's speed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import time_machine

OFFICE = ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 11, 30)
START = dt.time(8, 30)
SLOT = dt.timedelta(minutes=15)
_WINDOW_MS = 1 << 16  # the milliseconds one printed record number covers
_EARLY_MS = 6_000  # a slot starts in the first 6 s of its minute


def slot_start(after: dt.datetime) -> dt.datetime:
    """The first start of an id window at or after ``after`` that falls in a minute's first 6 s."""
    ms = -(-int(after.timestamp() * 1000) // _WINDOW_MS) * _WINDOW_MS
    while ms % 60_000 >= _EARLY_MS:
        ms += _WINDOW_MS
    return dt.datetime.fromtimestamp(ms / 1000, OFFICE)


class OfficeClock:
    """The day's clock; ``step()`` moves it on to the next step's slot (15 minutes apart)."""

    def __init__(self, traveller: time_machine.Coordinates) -> None:
        self._traveller = traveller
        self.steps = 0

    def step(self) -> dt.datetime:
        self.steps += 1
        moment = slot_start(dt.datetime.combine(DAY, START, OFFICE) + self.steps * SLOT)
        now = dt.datetime.now(OFFICE)
        if moment <= now:
            raise AssertionError(f"the day's step {self.steps} ran past its slot "
                                 f"({moment:%H:%M:%S}, now {now:%H:%M:%S})")
        self._traveller.move_to(moment)
        return moment


_running: OfficeClock | None = None


@contextmanager
def office_day() -> Iterator[OfficeClock]:
    """The process on the office's calendar, from 08:30 (Shanghai time) of ``DAY``, ticking."""
    global _running
    with time_machine.travel(dt.datetime.combine(DAY, START, OFFICE), tick=True) as traveller:
        _running = OfficeClock(traveller)
        try:
            yield _running
        finally:
            _running = None


def step() -> None:
    """The next step of the day begins (nothing when the day's clock is not running)."""
    if _running is not None:
        _running.step()
