"""Times that must not lie in the future (visits, events, disaster reports).

A visit or event cannot be recorded before it happened; a future timestamp almost always means a
wrong year or a tablet whose clock is off, and it would break the ordering that sync and the review
deadlines rely on. A small tolerance absorbs clock drift between field tablets.

Aware datetimes are compared in UTC. Naive datetimes are read as local wall-clock time, which is
what a caseworker types into a form. Plain dates are compared with today's date in the city
(``CITY_TZ``), whatever zone the machine judging them is set to: a server kept on UTC judged a
visit dated today, typed between midnight and 08:00, as a day in the future.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from caseapp.validation._text import as_text, drop_zero_width, fail, halfwidth

DEFAULT_TOLERANCE = timedelta(minutes=5)
#: China Standard Time: the offices' wall clock, and the calendar of every date a caseworker records
CITY_TZ = timezone(timedelta(hours=8))


def city_today(now: datetime | None = None) -> date:
    """Today's date in the city, at ``now`` (default: the current time)."""
    return (now or datetime.now(UTC)).astimezone(CITY_TZ).date()


def _to_utc(moment: datetime) -> datetime:
    """UTC for an aware datetime; local time for a naive one (what ``astimezone`` assumes)."""
    return moment.astimezone(UTC)


def _parse(value: object, field: str) -> datetime | date:
    if isinstance(value, datetime | date):
        return value
    text = as_text(value)
    if text is None or isinstance(value, int):
        fail("time.format", field)
    cleaned = " ".join(drop_zero_width(halfwidth(text)).split())
    if not cleaned:
        fail("time.empty", field)
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(cleaned)
    except (ValueError, OverflowError):
        fail("time.format", field)


def check_not_future(
    value: datetime | date | str,
    field: str = "occurred_at",
    now: datetime | None = None,
    tolerance: timedelta = DEFAULT_TOLERANCE,
) -> None:
    """Raise ``time.future`` if ``value`` is later than ``now`` (default: the current time).

    ``value`` may also be an ISO 8601 string ("2024-05-01", "2024-05-01T09:30", "2024-05-01 09:30+08:00"),
    as it arrives from imports.
    """
    moment = _parse(value, field)
    current = datetime.now(UTC) if now is None else now
    if isinstance(moment, datetime):
        try:
            later = _to_utc(moment) > _to_utc(current) + tolerance
        except (OverflowError, ValueError, OSError):
            # Only years at the very edge of datetime's range fail to convert: year 9999 is future,
            # year 1 is not.
            later = moment.year > current.year
        shown = moment.isoformat(sep=" ", timespec="minutes")
    else:
        try:
            today = current.astimezone(CITY_TZ).date() if current.tzinfo else current.date()
        except (OverflowError, ValueError, OSError):
            today = current.date()
        later = moment > today
        shown = moment.isoformat()
    if later:
        fail("time.future", field, value=shown)
