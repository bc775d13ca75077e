"""Column types whose stored form is exact and deterministic.

SQLite has no decimal or date type; storing amounts as floats loses cents and storing datetimes in
driver-dependent formats makes two workspaces with the same data differ byte-wise. Each type here
stores one canonical text form, which is also the form used in the journal, sync and export.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import String
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.types import TypeDecorator


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def format_datetime(value: dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.astimezone()  # naive values are local wall-clock time
    value = value.astimezone(dt.UTC)
    # Not strftime: "%Y" drops the leading zeros of years before 1000 on glibc ("999-01-01"), which
    # would then neither sort nor parse back. Validation keeps such years out; the form stays exact.
    return (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d}T{value.hour:02d}:{value.minute:02d}:"
        f"{value.second:02d}.{value.microsecond:06d}Z"
    )


def parse_datetime(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def format_decimal(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):f}"


class UtcDateTime(TypeDecorator[dt.datetime]):
    """Aware datetime stored as 'YYYY-MM-DDTHH:MM:SS.ffffffZ' (sorts as text, compares as time)."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = parse_datetime(value)
        return format_datetime(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        return None if value is None else parse_datetime(value)


class IsoDate(TypeDecorator[dt.date]):
    """Calendar date stored as 'YYYY-MM-DD'."""

    impl = String(10)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = dt.date.fromisoformat(value)
        if isinstance(value, dt.datetime):
            value = value.date()
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.date | None:
        return None if value is None else dt.date.fromisoformat(value)


class Money(TypeDecorator[Decimal]):
    """Amount in yuan stored as exact text with two decimals ('1234.50')."""

    impl = String(24)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return format_decimal(Decimal(str(value)))

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)
