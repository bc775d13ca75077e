"""The care-place waiting list (入住轮候): an application's priority rank and its place in its
facility's queue, both worked out from the rules in force (``refdata.rules().care_waitlist``),
never typed; and what each step of the workflow stamps on the application.

The order is one rule written twice, for one reader each: ``queue_key`` in Python (a test, a single
application) and ``rank_sql`` / ``position_sql`` in SQL (the list, sorted and paged without reading
every application). A property test holds the two to the same answer.

Order of the queue of one facility (its type and name): the best (lowest) rank of the applicant's
priority categories, an assessed capacity level the rules count as 失能 ranking as that category
and an elder aged 80 or over (their birth date, else the one in their ID number) as 高龄 — never a
typed 高龄 — and ``general_rank`` for anyone in none; then the day the applicant joined the queue; then the
record (ids are time-ordered, so the earlier record).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, case, false, func, literal, literal_column, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import FromClause

from caseapp import refdata
from caseapp.domain import CareApplication, Member
from caseapp.errors import WorkflowError
from caseapp.refdata import CareWaitlist
from caseapp.services import quality

#: the category an assessed capacity level may stand for
DISABLED = "disabled"
#: the category an elder's age stands for (高龄: quality.ELDER_AGE or over), never typed
ADVANCED_AGE = "advanced_age"
WAITING = "waiting"
#: what the workflow's steps stamp (``on_move``), never typed
STAMPS = ("queued_on", "offers", "offered_on", "closed_on")


def _rules(rules: CareWaitlist | None) -> CareWaitlist:
    return rules if rules is not None else refdata.rules().care_waitlist


def born_of(member: Mapping[str, Any] | None) -> str | None:
    """A member's birth date as ISO text: their own, else the one in an 18-digit ID number (as
    quality.born says it in SQL)."""
    if member is None:
        return None
    own = member.get("birth_date")
    if own:
        return own.isoformat() if isinstance(own, dt.date) else str(own)[:10]
    number = str(member.get("id_number") or "")
    return f"{number[6:10]}-{number[10:12]}-{number[12:14]}" if len(number) == 18 else None


def categories_of(priorities: str | None, capacity_level: str | None, rules: CareWaitlist | None = None,
                  born: str | None = None, on: dt.date | None = None) -> set[str]:
    """The priority categories an application counts under: those claimed but 高龄, 失能 when the
    assessed level is one the rules name, and 高龄 when the elder (born ``born``, ISO text) is 80 or
    over on ``on`` (today)."""
    found = {c.strip() for c in (priorities or "").split(",") if c.strip()} - {ADVANCED_AGE}
    if capacity_level is not None and capacity_level in _rules(rules).disabled_capacity_levels:
        found.add(DISABLED)
    if born is not None and born <= quality.elder_born(on or dt.date.today()):
        found.add(ADVANCED_AGE)
    return found


def priority_rank(priorities: str | None, capacity_level: str | None, rules: CareWaitlist | None = None,
                  born: str | None = None, on: dt.date | None = None) -> int:
    """1 first: the best rank of the application's categories, or ``general_rank``."""
    table = _rules(rules)
    ranks = [table.priority_ranks[c] for c in categories_of(priorities, capacity_level, table, born, on)
             if c in table.priority_ranks]
    return min(ranks, default=table.general_rank)


def queue_key(application: Mapping[str, Any], rules: CareWaitlist | None = None,
              on: dt.date | None = None) -> tuple[int, str, str]:
    """What a queue is sorted by: (rank, queued since as ISO text, record id). The application's
    ``born`` is its elder's birth date (``born_of``)."""
    queued = application.get("queued_on") or application.get("applied_on")
    return (priority_rank(application.get("priorities"), application.get("capacity_level"), rules,
                          application.get("born"), on),
            queued.isoformat() if isinstance(queued, dt.date) else str(queued or ""), str(application["id"]))


def queue(applications: Sequence[Mapping[str, Any]], rules: CareWaitlist | None = None,
          on: dt.date | None = None) -> dict[str, int]:
    """Each waiting application's place (1 first) in its facility's queue, by id (each with its
    elder's ``born``)."""
    places: dict[str, int] = {}
    by_facility: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for app in applications:
        if app.get("status") == WAITING and not app.get("archived"):
            by_facility.setdefault((str(app["facility_type"]), str(app["facility_name"])), []).append(app)
    for members in by_facility.values():
        for n, app in enumerate(sorted(members, key=lambda a: queue_key(a, rules, on)), start=1):
            places[str(app["id"])] = n
    return places


# --- the same in SQL ---------------------------------------------------------------------------


def has_code(priorities: ColumnElement[Any], code: str) -> ColumnElement[bool]:
    """The comma-separated codes hold ``code`` (codes never contain a comma)."""
    return (literal(",") + priorities + literal(",")).like(f"%,{code},%")


def born_sql(table: FromClause) -> ColumnElement[Any]:
    """The birth date (ISO text) of each row's elder, as ``born_of`` reads it (correlated to ``table``
    however deep it is used: ``position_sql`` uses it inside its count)."""
    elder = Member.__table__.alias("elder")
    return (select(literal_column(quality.born("elder"))).select_from(elder)
            .where(elder.c.id == table.c.member_id).correlate_except(elder).scalar_subquery())


def rank_sql(table: FromClause, rules: CareWaitlist | None = None, on: dt.date | None = None) -> ColumnElement[Any]:
    """``priority_rank`` of each row of ``table`` (care_applications or an alias of it), in SQL: the
    categories tried best rank first."""
    table_rules = _rules(rules)
    whens: list[tuple[ColumnElement[bool], Any]] = []
    for rank in sorted(set(table_rules.priority_ranks.values())):
        codes = sorted(c for c, r in table_rules.priority_ranks.items() if r == rank)
        held = [has_code(table.c.priorities, c) for c in codes if c != ADVANCED_AGE]
        if DISABLED in codes and table_rules.disabled_capacity_levels:
            held.append(table.c.capacity_level.in_(sorted(table_rules.disabled_capacity_levels)))
        if ADVANCED_AGE in codes:
            held.append(born_sql(table) <= literal(quality.elder_born(on or dt.date.today())))
        whens.append((or_(*held) if held else false(), literal(rank)))
    return case(*whens, else_=literal(table_rules.general_rank)) if whens else literal(table_rules.general_rank)


def _queued(table: FromClause) -> ColumnElement[Any]:
    return func.coalesce(table.c.queued_on, table.c.applied_on)


def position_sql(table: FromClause, rules: CareWaitlist | None = None, on: dt.date | None = None) -> ColumnElement[Any]:
    """Each waiting row's place in its facility's queue (NULL for any other state): one more than the
    waiting applications to the same facility that come before it, a correlated count (a street's
    queue is a few hundred applications, read for one page)."""
    ahead = CareApplication.__table__.alias("ahead")
    mine, theirs = rank_sql(table, rules, on), rank_sql(ahead, rules, on)
    before = or_(theirs < mine,
                 and_(theirs == mine, _queued(ahead) < _queued(table)),
                 and_(theirs == mine, _queued(ahead) == _queued(table), ahead.c.id < table.c.id))
    count = (select(func.count()).select_from(ahead)
             .where(ahead.c.status == WAITING, ahead.c.archived.is_(False),
                    ahead.c.facility_type == table.c.facility_type, ahead.c.facility_name == table.c.facility_name,
                    before)
             .scalar_subquery())
    return case((and_(table.c.status == WAITING, table.c.archived.is_(False)), count + 1), else_=None)


# --- the workflow's stamps ---------------------------------------------------------------------


def stamps(application: Any, current: str, target: str, today: dt.date,
           rules: CareWaitlist | None = None) -> dict[str, Any]:
    """What a step stamps, as field -> value: joining the queue counts from the application; an
    offer is counted and dated; a declined offer that keeps the applicant on the list may send them
    to the back of it; admission, a final decline and a withdrawal close the application.
    ``application`` is anything with the application's fields as attributes (a record, or the
    server's view of a stored one)."""
    table = _rules(rules)
    out: dict[str, Any] = {}
    if target == WAITING and current == "applying":
        out["queued_on"] = application.queued_on or application.applied_on
    elif target == WAITING and current == "offered" and table.back_of_queue_after_decline:
        out["queued_on"] = max(today, application.applied_on)
    if target == "offered":
        out["offers"] = (application.offers or 0) + 1
        out["offered_on"] = today
    if target in ("admitted", "declined", "withdrawn"):
        out["closed_on"] = today
    return out


def on_move(application: CareApplication, current: str, target: str, today: dt.date,
            rules: CareWaitlist | None = None) -> None:
    """Stamp a step on the application (``stamps``)."""
    for name, value in stamps(application, current, target, today, rules).items():
        setattr(application, name, value)


def stamp_allowed(application: Any, current: str, target: str, name: str, value: Any, *,
                  earliest: dt.date, latest: dt.date, rules: CareWaitlist | None = None) -> bool:
    """Whether ``value`` is what the step from ``current`` to ``target`` stamps in ``name`` on some
    day between ``earliest`` and ``latest`` (the server's view of when the device took the step: no
    earlier than the application's last stamped day, no later than the server's today; the device's
    own clock is not evidence). A date the step does not stamp, or stamps otherwise, is typed."""
    if latest < earliest:
        return False
    days = {earliest, latest} | ({value} if isinstance(value, dt.date) and earliest <= value <= latest else set())
    return any(stamps(application, current, target, day, rules).get(name, _NONE) == value for day in days)


_NONE = object()


def last_stamped(application: Any) -> dt.date | None:
    """The latest day a step of the application stamped: no later step can be taken before it."""
    days = [d for d in (getattr(application, n, None) for n in STAMPS) if isinstance(d, dt.date)]
    return max(days, default=None)


def place_in_queue(session: Session, application: CareApplication) -> int | None:
    """The application's place in its facility's queue among the applications this workspace holds."""
    table = CareApplication.__table__
    return session.scalar(select(position_sql(table)).where(table.c.id == application.id))


def out_of_turn(place: int | None, application: Any) -> WorkflowError | None:
    """An offer to an application that is not first in its queue needs its reason (the device asks
    with ``place_in_queue``, the server over every device's applications with ``queue``)."""
    if place is None or place <= 1 or str(getattr(application, "offer_reason", "") or "").strip():
        return None
    return WorkflowError("workflow.care_out_of_turn", "offer_reason", place=place)


def may_stay_after_decline(application: Any, rules: CareWaitlist | None = None) -> bool:
    """Whether declining the place now offered keeps the applicant on the list: every earlier offer
    was declined, so this decline is the applicant's ``offers``-th, kept while within ``declines_kept``."""
    return int(getattr(application, "offers", 0) or 0) <= _rules(rules).declines_kept
