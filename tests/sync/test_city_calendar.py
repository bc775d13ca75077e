"""Dates are days of the city's calendar (China Standard Time) on the server too, whatever zone it
runs in: a server on UTC took a date typed as today between midnight and 08:00 for a day in the
future, and moved it to yesterday (a visit, an application, a payment recorded at night)."""

from __future__ import annotations

import datetime as dt

import pytest

from caseapp.domain import Resident
from caseapp.errors import ValidationError
from caseapp.validation.times import CITY_TZ, check_not_future, city_today
from sync.server.errors import Rejected
from sync.server.values import checked

#: 02:00 on 4 December in the city, still 3 December in UTC
NIGHT = dt.datetime(2026, 12, 3, 18, 0, tzinfo=dt.UTC)


def test_the_citys_today_is_not_utcs() -> None:
    assert city_today(NIGHT) == dt.date(2026, 12, 4)
    assert NIGHT.astimezone(CITY_TZ).hour == 2


def test_a_date_typed_as_today_at_night_is_kept_as_typed() -> None:
    out, clamped = checked(Resident, {"moved_in_on": "2026-12-04"}, now=NIGHT, partial=True)
    assert out["moved_in_on"] == "2026-12-04" and not clamped
    check_not_future(dt.date(2026, 12, 4), "moved_in_on", now=NIGHT)  # the device's rule agrees


def test_a_date_after_the_citys_today_is_still_brought_back_or_refused() -> None:
    out, clamped = checked(Resident, {"moved_in_on": "2026-12-06"}, now=NIGHT, partial=True)
    assert out["moved_in_on"] == "2026-12-04" and clamped
    with pytest.raises(ValidationError):
        check_not_future(dt.date(2026, 12, 5), "moved_in_on", now=NIGHT)
    with pytest.raises(Rejected):
        checked(Resident, {"moved_in_on": "2027-03-01"}, now=NIGHT, partial=True)
