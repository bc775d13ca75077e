"""Dates as caseworkers type them: 2026-12-01, 2026/12/1, 2026.12.1, 20261201, 2026年12月1日.

Every form of a date that offices commonly write is read into one stored value, so a date copied
from a paper form, a WeChat message or an Excel cell is accepted as it stands. Full-width digits
(from an input method) count as digits. Anything else is not a date.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

_SEPARATED = re.compile(r"([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?")
_COMPACT = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
_TIME = re.compile(r"([0-9]{1,2})[:：]([0-9]{2})(?:[:：]([0-9]{2}))?")


def parse_date_text(text: str) -> dt.date:
    """The calendar date written in ``text``; ValueError if it is not one of the accepted forms or
    not a real date (2026-02-30)."""
    folded = unicodedata.normalize("NFKC", text).strip()
    match = _SEPARATED.fullmatch(folded) or _COMPACT.fullmatch(folded)
    if match is None:
        raise ValueError(text)
    year, month, day = (int(part) for part in match.groups())
    return dt.date(year, month, day)


def parse_date_time_text(text: str) -> dt.datetime:
    """A date in any accepted form, optionally followed by a time (14:05, 14:05:30); naive, in
    whatever time zone the caller means. ValueError otherwise."""
    folded = unicodedata.normalize("NFKC", text).strip()
    date_part, _, time_part = folded.replace("T", " ").partition(" ")
    day = parse_date_text(date_part)
    time_part = time_part.strip()
    if not time_part:
        return dt.datetime(day.year, day.month, day.day)
    match = _TIME.fullmatch(time_part)
    if match is None:
        raise ValueError(text)
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    return dt.datetime(day.year, day.month, day.day, hour, minute, second)
