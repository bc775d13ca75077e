"""Times that must not be in the future: aware, naive (local) and plain dates."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from caseapp.errors import ValidationError
from caseapp.validation import check_not_future
from caseapp.validation.times import city_today

NOW = datetime(2024, 5, 1, 0, 0, tzinfo=UTC)
CHINA = timezone(timedelta(hours=8))


def future_key(value: object, **kwargs: object) -> tuple[str, str | None, dict[str, object]]:
    with pytest.raises(ValidationError) as info:
        check_not_future(value, **kwargs)  # type: ignore[arg-type]
    return info.value.key, info.value.field, info.value.params


@pytest.fixture
def china_local_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run with the process's local time zone set to UTC+8 (POSIX TZ string: no tzdata needed)."""
    monkeypatch.setenv("TZ", "CST-8")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_aware_datetimes_compare_in_utc() -> None:
    check_not_future(datetime(2024, 5, 1, 8, 0, tzinfo=CHINA), now=NOW)
    check_not_future(datetime(2024, 5, 1, 8, 4, tzinfo=CHINA), now=NOW)  # within 5 minutes
    assert future_key(datetime(2024, 5, 1, 8, 6, tzinfo=CHINA), now=NOW) == (
        "time.future",
        "occurred_at",
        {"value": "2024-05-01 08:06+08:00"},
    )


def test_tolerance_is_configurable() -> None:
    check_not_future(NOW + timedelta(hours=1), now=NOW, tolerance=timedelta(hours=2))
    with pytest.raises(ValidationError):
        check_not_future(NOW + timedelta(seconds=1), now=NOW, tolerance=timedelta(0))


def test_naive_datetimes_are_local_time(china_local_time: None) -> None:
    # 08:04 in UTC+8 is 00:04 UTC: fine; 08:10 local is 00:10 UTC: in the future.
    check_not_future(datetime(2024, 5, 1, 8, 4), now=NOW)
    assert future_key(datetime(2024, 5, 1, 8, 10), field="visited_at", now=NOW)[:2] == (
        "time.future",
        "visited_at",
    )
    # A naive "now" is local time too.
    check_not_future(datetime(2024, 5, 1, 0, 0, tzinfo=UTC), now=datetime(2024, 5, 1, 8, 0))


def test_default_now() -> None:
    check_not_future(datetime.now(UTC))
    check_not_future(datetime.now())
    check_not_future(date.today())
    assert future_key(datetime.now() + timedelta(hours=1))[0] == "time.future"
    assert future_key(datetime.now(UTC) + timedelta(minutes=10))[0] == "time.future"
    assert future_key(city_today() + timedelta(days=1))[0] == "time.future"  # the city's tomorrow


def test_dates_compare_with_local_today(china_local_time: None) -> None:
    # 2024-04-30 20:00 UTC is already 1 May in China.
    now = datetime(2024, 4, 30, 20, 0, tzinfo=UTC)
    check_not_future(date(2024, 5, 1), now=now)
    assert future_key(date(2024, 5, 2), now=now) == ("time.future", "occurred_at", {"value": "2024-05-02"})


def test_extreme_values_do_not_crash() -> None:
    assert future_key(datetime.max)[0] == "time.future"
    check_not_future(datetime.min)
    check_not_future(datetime.min.replace(tzinfo=UTC))
    assert future_key(datetime.max.replace(tzinfo=CHINA))[0] == "time.future"


@pytest.mark.parametrize(
    ("text", "ok"),
    [("2024-04-30", True), ("2024-04-30 09:30", True), ("２０２４-０４-３０T09:30+08:00", True), ("2099-01-01", False)],
)
def test_iso_strings(text: str, ok: bool) -> None:
    if ok:
        check_not_future(text, now=NOW)
    else:
        assert future_key(text, now=NOW)[0] == "time.future"


@pytest.mark.parametrize(
    ("text", "key"), [("", "time.empty"), ("yesterday", "time.format"), ("2024-02-30", "time.format")]
)
def test_bad_strings(text: str, key: str) -> None:
    assert future_key(text, now=NOW)[0] == key
