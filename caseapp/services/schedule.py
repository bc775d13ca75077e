"""What is due: the next elder visit by risk tier, the next assistance review by category and class,
and the lists the Today screen shows (each within a scope of org units when one is given). Intervals
come from the configurable rules in caseapp.refdata."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, false, func, or_, select, true, tuple_
from sqlalchemy.orm import Session

from caseapp import refdata
from caseapp.domain import AssistanceCase, ElderProfile, GridEvent, Household, Member
from caseapp.store import visits_due as stored
from caseapp.store.visits_due import ElderDue, due_day, last_visit

__all__ = ["due_day", "last_visit"]  # the rule's SQL lives with the table that stores it

OPEN_EVENT_STATES = ("reported", "registered", "dispatched", "in_progress", "feedback", "verified",
                     "self_resolved")


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def visit_interval(profile: ElderProfile) -> int:
    if profile.visit_interval_days:
        return profile.visit_interval_days
    return refdata.rules().visit_interval_days(profile.risk_tier)


def next_visit_due(profile: ElderProfile, last_visit: dt.datetime | None) -> dt.date:
    """Due date of the next visit: interval after the last one, or today if never visited."""
    if last_visit is None:
        return profile.created_at.date() if profile.created_at else dt.date.today()
    return (last_visit + dt.timedelta(days=visit_interval(profile))).date()


def next_review_date(case: AssistanceCase, from_day: dt.date) -> dt.date | None:
    """None for one-off aid (临时救助, 医疗救助 …), which has no periodic review."""
    rules = refdata.rules()
    if not rules.has_periodic_review(case.category):
        return None
    months = rules.review_interval_months(case.category, case.review_class, case.rural)
    return add_months(from_day, months)


@dataclass(frozen=True)
class DueKey:
    """Where a page of the visits due ends, in the list's order (due day, org unit, elder): the next
    page starts after it."""

    due: dt.date
    org_code: str
    elder_id: str


@dataclass(frozen=True)
class DueVisit:
    elder_id: str
    household_id: str
    name: str
    address: str
    risk_tier: str
    last_visit: dt.datetime | None
    due: dt.date
    overdue_days: int
    org_code: str

    @property
    def key(self) -> DueKey:
        return DueKey(self.due, self.org_code, self.elder_id)


@dataclass(frozen=True)
class DueCounts:
    """How many elders are due within the horizon, and how many of them are already overdue."""

    due: int
    overdue: int


def in_scope(org_code: Any, scope: Sequence[str] | None) -> Any:
    """SQL: the record lies in one of these org units or below one (codes nest by prefix);
    None is no limit, an empty scope matches nothing."""
    if scope is None:
        return true()
    if not scope:
        return false()
    return or_(*(func.substr(org_code, 1, len(code)) == code for code in scope))


#: rows per page of the visits due: a screenful or two
PAGE = 200


def _due_elders(session: Session, today: dt.date, horizon_days: int,
                scope: Sequence[str] | None) -> tuple[Any, Any]:
    """SQL, the one statement of who is due that the list and its counts share: the elders in
    ``scope``, each with the day their next visit falls due, and the condition that it falls within
    ``horizon_days`` of today. The days are read from ``elder_due`` (caseapp.store.visits_due: one
    indexed range of narrow rows) when its triggers follow the rules in force, else worked out
    here with the same rule, once per elder (a materialised CTE: one seek of the visits' index each).
    The last visit itself is sought again only for the rows shown."""
    limit = (today + dt.timedelta(days=horizon_days)).isoformat()
    if stored.current(session.connection()):
        d = ElderDue.__table__.c
        held = (select(d.elder_id, d.household_id, d.member_id, d.risk_tier, d.org_code, d.due)
                .where(d.due <= limit, in_scope(d.org_code, scope)).cte("due"))
        return held, held.c.due <= limit
    elders = stored.worked_out().where(in_scope(ElderProfile.org_code, scope))
    # materialised so the filter, the order and the counts read the due day rather than work it out
    # again (at 31,352 elders that was a third of the count's time)
    due = elders.cte("due").prefix_with("MATERIALIZED")
    return due, due.c.due <= limit


def count_visits_due(session: Session, today: dt.date, horizon_days: int = 7,
                     scope: Sequence[str] | None = None) -> DueCounts:
    """The elders due within ``horizon_days`` (as visits_due lists them) and the overdue among them,
    counted in SQL without reading a name or making a row (Today's tiles)."""
    elders, within = _due_elders(session, today, horizon_days, scope)
    overdue = func.coalesce(func.sum(case((elders.c.due < today.isoformat(), 1), else_=0)), 0)
    n, late = session.execute(select(func.count(), overdue).select_from(elders).where(within)).one()
    return DueCounts(int(n), int(late))


def visits_due_page(session: Session, today: dt.date, horizon_days: int = 7, scope: Sequence[str] | None = None,
                    *, overdue_only: bool = False, after: DueKey | None = None,
                    limit: int | None = PAGE) -> list[DueVisit]:
    """One page of the elders whose next visit falls within ``horizon_days`` of today, in ``scope``
    (org units and everything below them) when one is given, only the overdue ones if asked: in the
    order of due day (the most overdue first), then org unit (a grid's elders together), then elder,
    starting after ``after`` (keyset paging: page N costs what page 1 does), ``limit`` rows (None:
    all). Filtered, ordered and cut in SQL before names and addresses are read, so a page reads
    ``limit`` members and households however many elders are due."""
    return _page(session, today, horizon_days, scope, overdue_only, after, limit, counted=False)[1]


def first_visits_due(session: Session, today: dt.date, horizon_days: int = 7, scope: Sequence[str] | None = None,
                     *, overdue_only: bool = False, limit: int = PAGE) -> tuple[DueCounts, list[DueVisit]]:
    """The counts (count_visits_due's) and the first page (visits_due_page's) in one query: the
    elders' due days are worked out once for both (the materialised CTE, read by the page and by
    two scalar counts), where reading them apart works them out twice."""
    counts, rows = _page(session, today, horizon_days, scope, overdue_only, None, limit, counted=True)
    return counts or DueCounts(0, 0), rows


def _page(session: Session, today: dt.date, horizon_days: int, scope: Sequence[str] | None, overdue_only: bool,
          after: DueKey | None, limit: int | None, *, counted: bool) -> tuple[DueCounts | None, list[DueVisit]]:
    elders, within = _due_elders(session, today, horizon_days, scope)
    late = elders.c.due < today.isoformat()
    e = elders.c
    keyed = select(e.elder_id, e.household_id, e.member_id, e.risk_tier, e.org_code, e.due).where(within)
    if overdue_only:
        keyed = keyed.where(late)
    if after is not None:
        keyed = keyed.where(tuple_(e.due, e.org_code, e.elder_id)
                            > tuple_(after.due.isoformat(), after.org_code, after.elder_id))
    keyed = keyed.order_by(e.due, e.org_code, e.elder_id)
    if limit is not None:
        keyed = keyed.limit(limit)
    page = keyed.subquery("page")  # a LIMITed subquery of a join: SQLite keeps it apart, cut first
    last = last_visit(elder=page.c.elder_id)  # sought again for the page's rows only
    # the counts read the same materialised CTE (worked out once for the whole statement)
    totals = (select(func.count()).select_from(elders).where(within).scalar_subquery(),
              select(func.coalesce(func.sum(case((late, 1), else_=0)), 0)).select_from(elders).where(within)
              .scalar_subquery())
    query = (select(page.c.elder_id, page.c.household_id, func.coalesce(Member.name, ""),
                    func.coalesce(Household.address, ""), page.c.risk_tier, last, page.c.due, page.c.org_code,
                    *(totals if counted else ()))
             .outerjoin(Member, Member.id == page.c.member_id)
             .outerjoin(Household, Household.id == page.c.household_id)
             .order_by(page.c.due, page.c.org_code, page.c.elder_id))
    out: list[DueVisit] = []
    counts: DueCounts | None = None
    for elder_id, household_id, name, address, tier, last_raw, due_raw, org_code, *total in session.execute(query):
        when = dt.date.fromisoformat(due_raw)
        out.append(DueVisit(elder_id, household_id, name, address, tier, _as_datetime(last_raw), when,
                            max(0, (today - when).days), org_code))
        if total:
            counts = DueCounts(int(total[0]), int(total[1]))
    if counted and counts is None and overdue_only:  # none overdue: the due still need counting
        counts = count_visits_due(session, today, horizon_days, scope)
    return counts, out


def visits_due(session: Session, today: dt.date, horizon_days: int = 7,
               scope: Sequence[str] | None = None) -> list[DueVisit]:
    """Every elder due within ``horizon_days`` of today, in the list's order (visits_due_page
    unpaged): for a street or a test; the screens page it."""
    return visits_due_page(session, today, horizon_days, scope, limit=None)


def _as_datetime(value: Any) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    from caseapp.domain.types import parse_datetime

    return parse_datetime(str(value))


#: the states of a case in payment, whose periodic review falls due
REVIEWED_STATES = ("active", "review_due", "taper")


def reviews_due(session: Session, today: dt.date, horizon_days: int = 30,
                scope: Sequence[str] | None = None) -> list[AssistanceCase]:
    limit = today + dt.timedelta(days=horizon_days)
    return list(session.scalars(
        select(AssistanceCase)
        .where(AssistanceCase.archived.is_(False), AssistanceCase.status.in_(REVIEWED_STATES),
               AssistanceCase.next_review_date <= limit, in_scope(AssistanceCase.org_code, scope))
        .order_by(AssistanceCase.next_review_date, AssistanceCase.id)
    ))


def open_events(session: Session, scope: Sequence[str] | None = None) -> list[GridEvent]:
    return list(session.scalars(
        select(GridEvent).where(GridEvent.archived.is_(False), GridEvent.status.in_(OPEN_EVENT_STATES),
                                in_scope(GridEvent.org_code, scope))
        .order_by(GridEvent.occurred_at.desc())
    ))
