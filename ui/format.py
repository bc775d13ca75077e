"""How values read on screen: local dates and times, dictionary codes as words, money in yuan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from caseapp import refdata
from caseapp.domain.types import parse_datetime
from caseapp.validation.dates import parse_date_time_text


def local(moment: dt.datetime) -> dt.datetime:
    """Stored times are UTC; caseworkers read and type wall-clock time."""
    return moment.astimezone() if moment.tzinfo else moment


def fmt_datetime(value: dt.datetime | None) -> str:
    return "" if value is None else f"{local(value):%Y-%m-%d %H:%M}"


def fmt_date(value: dt.date | None) -> str:
    return "" if value is None else value.isoformat()


def fmt_money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def code_label(dictionary: str, code: str | None, lang: str) -> str:
    if not code:
        return ""
    try:
        return refdata.label(dictionary, code, lang)
    except KeyError:
        return code  # an unknown dictionary or a retired code: show what is stored


def codes_label(dictionary: str, codes: str | None, lang: str) -> str:
    """Comma-separated codes (needs, entitlements) as a list of words."""
    sep = "、" if lang == "zh" else ", "
    return sep.join(code_label(dictionary, c.strip(), lang) for c in (codes or "").split(",") if c.strip())


def fmt_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, dt.datetime):
        return fmt_datetime(value)
    if isinstance(value, dt.date):
        return fmt_date(value)
    if isinstance(value, Decimal):
        return fmt_money(value)
    return str(value)


def fmt_stamp(text: str | None) -> str:
    """A stored ISO time (settings keep them as text) in local wall-clock time."""
    if not text:
        return ""
    try:
        return fmt_datetime(parse_datetime(text))
    except ValueError:
        return text


#: Fields shown masked in lists and overviews (PIPL sensitive data): the full value is only in the
#: form, where the caseworker is working on that one record.
MASKED = frozenset({"id_number", "party_id_number", "bank_account", "disability_card"})


def masked(value: str | None) -> str:
    """'440803199803113654' → '440803********3654': enough to tell people apart, not to misuse."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def parse_local_datetime(text: str) -> dt.datetime | str:
    """Typed wall-clock time → aware datetime; anything unparsable goes to the core unchanged so
    that its validator reports the error at the field."""
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        try:
            value = parse_date_time_text(text)  # 2026/12/1 9:30, 2026.12.1, 20261201 14:00
        except ValueError:
            return text
    return value if value.tzinfo else value.astimezone()
