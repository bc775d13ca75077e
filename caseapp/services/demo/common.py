"""What every part of the demo generator shares: the random source of one household, its place,
time helpers, and the reference data it draws from."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar

from caseapp import data, refdata
from caseapp.domain import Record
from caseapp.ids import new_id

T = TypeVar("T")

# Guangzhou keeps China Standard Time all year; form times are typed in it.
CST = dt.timezone(dt.timedelta(hours=8), "CST")

# Demo figures near the city's recent levels, not official values: the 低保 standard per person
# per month, and the 特困 basic support (at least 1.3 times the 低保 standard).
DIBAO_STANDARD = Decimal("1200")
TEKUN_BASIC = Decimal("1560")


def pick(rng: random.Random, weighted: Sequence[tuple[T, float]]) -> T:
    """One item of (item, weight) pairs."""
    total = sum(w for _, w in weighted)
    point = rng.random() * total
    for item, weight in weighted:
        point -= weight
        if point < 0:
            return item
    return weighted[-1][0]


def chance(rng: random.Random, p: float) -> bool:
    return rng.random() < p


def money(value: float | int | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def at(day: dt.date, rng: random.Random, first_hour: int = 9, last_hour: int = 17) -> dt.datetime:
    """A working-hours moment on ``day``, Guangzhou time (stored as UTC)."""
    return dt.datetime.combine(day, dt.time(rng.randint(first_hour, last_hour), rng.randrange(60)), CST)


def days_before(today: dt.date, rng: random.Random, low: int, high: int) -> dt.date:
    """A day between ``low`` and ``high`` days before today (low >= 1 keeps it in the past)."""
    return today - dt.timedelta(days=rng.randint(low, high))


def record(cls: type[Record], **fields: Any) -> Any:
    """A new record with its id assigned now, so children can point at it before the flush."""
    return cls(id=new_id(), **fields)


@dataclass(frozen=True)
class Grid:
    """A grid (网格) of about 200 households and the divisions above it."""

    code: str
    name: str
    seq: int
    district: refdata.Division
    street: refdata.Division
    community: refdata.Division
    rural: bool
    roads: tuple[str, ...]
    #: community workers who visit elders and investigate cases; the grid officer patrols
    workers: tuple[str, ...]
    officer: str


@dataclass
class Tally:
    """Records generated, by entity."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, records: Sequence[Record]) -> None:
        for r in records:
            self.counts[r.entity] = self.counts.get(r.entity, 0) + 1


@cache
def people_data() -> dict[str, Any]:
    loaded: dict[str, Any] = data.load("demo_people.json")
    return loaded


@cache
def places_data() -> dict[str, Any]:
    loaded: dict[str, Any] = data.load("demo_places.json")
    return loaded


def codes(dictionary: str) -> list[str]:
    """The codes of a refdata dictionary (so demo values always pass validation)."""
    return list(refdata.dictionary(dictionary))
