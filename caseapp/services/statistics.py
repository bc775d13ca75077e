"""Monthly statistics (统计月报): what a street office reports each month, counted in SQL.

Each table is declared once in ``TABLES``: its key (its title and column headings are messages
``stats.<key>.*`` in caseapp.messages.statistics), its columns and how the row of totals (合计) is made
(a sum, a ratio of two sums, or a mean weighted by another column), and the query that fills it. The
page shows a table and its chart; ``monthly_report`` lays the same table out as the 月报 an office files
(caseapp.services.xlsx). Nothing here loops over records in Python: every figure is one GROUP BY over
a scope (org-code prefixes, as in caseapp.services.schedule), so a 50,000-household workspace is
counted in well under a second.

Times are stored in UTC; a month is the local calendar month (its first and last instants converted to
UTC), and a day is the local day. Dates (approval, review, due) are calendar dates as typed.

How a case's time in payment is reckoned (the 增减变动 table): it starts on its approval date and ends
on the day it was stopped (the first 停保 step, else the effective month of a review that stopped it,
else the day the record last changed); a case in payment now has no end. In payment at an instant is
started on or before it and not ended by it, so 期末 = 期初 + 新增 − 停保 holds by construction.

A one-off grant (临时救助, 医疗救助: the rules' ``one_off_categories``) is no time in payment: it is
counted by its payment records (CasePayment) in the month of the day paid. In the caseload its
households, people and amount are those paid in the month; in 增减变动 it has no opening, additions,
stops or closing, only the amount paid in the month. A one-off case's monthly amount (as written
before payments were recorded) is counted nowhere.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import ColumnElement, Float, Integer, and_, case, cast, distinct, func, or_, select
from sqlalchemy.orm import Session

from caseapp import refdata
from caseapp.domain import (
    AssistanceCase,
    CareVisit,
    CasePayment,
    CaseReview,
    CaseStep,
    DisasterReport,
    ElderProfile,
    EmergencyCall,
    GridEvent,
    GridEventUpdate,
    Referral,
)
from caseapp.domain.types import format_datetime
from caseapp.messages import message
from caseapp.services import display, schedule
from caseapp.services.workflows import ASSISTANCE, REFERRAL

Kind = Literal["text", "int", "money", "percent", "hours"]

#: a case in payment (caseapp.services.ledgers.IN_PAYMENT)
IN_PAYMENT = ("active", "review_due", "taper")
#: an application still being handled: neither decided nor in payment
APPLYING = tuple(s for s in ASSISTANCE.states if s not in ASSISTANCE.final and s not in IN_PAYMENT
                 and s != "stopped")
#: an event is closed (结案) once it reaches one of these
CLOSED_EVENT = ("closed", "evaluated")
#: months the trend chart looks back over, the month chosen included
TREND_MONTHS = 12


@dataclass(frozen=True)
class Column:
    key: str
    kind: Kind = "int"
    #: how the totals row shows this column: a sum; None leaves it empty
    total: bool = True
    #: a ratio of two other columns (numerator, denominator), per row and in the totals row
    ratio: tuple[str, str] | None = None
    #: a mean weighted by another column: the totals row is Σ(value × weight) / Σ weight
    weight: str | None = None

    def title(self, table: str, lang: str) -> str:
        return message(f"stats.{table}.{self.key}", lang)


@dataclass(frozen=True)
class Month:
    """A local calendar month, ``YYYY-MM``."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        year, month = (int(part) for part in text.split("-"))
        if not 1 <= month <= 12 or year < 1900:
            raise ValueError(text)
        return cls(year, month)

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def shift(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    def next_first(self) -> dt.date:
        return self.shift(1).first

    def utc_bounds(self) -> tuple[str, str]:
        """The month's first instant and the next month's, local time, as stored UTC text."""
        return _instant(self.first), _instant(self.next_first())

    def text(self, lang: str) -> str:
        return f"{self.year}年{self.month}月" if lang == "zh" else f"{calendar.month_abbr[self.month]} {self.year}"


def _instant(day: dt.date) -> str:
    return format_datetime(dt.datetime.combine(day, dt.time()).astimezone())


@dataclass
class Table:
    """One statistics table: a row per code (a category, a tier, a state) and a totals row."""

    key: str
    columns: tuple[Column, ...]
    #: the first column's code and label per row, then the values in column order
    codes: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    totals: list[Any] = field(default_factory=list)

    def index(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)

    def value(self, code: str, key: str) -> Any:
        return self.rows[self.codes.index(code)][self.index(key)]

    def column(self, key: str) -> list[Any]:
        i = self.index(key)
        return [row[i] for row in self.rows]


@dataclass(frozen=True)
class Trend:
    """Month by month, oldest first: households in payment at each month's end, and the month's
    新增 and 停保 (the 增减变动 chart)."""

    months: list[Month]
    in_payment: list[int]
    added: list[int]
    stopped: list[int]


@dataclass(frozen=True)
class Spec:
    key: str
    #: the dictionary (or state machine, for a "state." name) its rows' codes come from
    rows: str
    columns: tuple[Column, ...]
    fill: Callable[[Session, Sequence[str] | None, Month, dt.date], dict[str, list[Any]]]
    #: the columns its chart draws (bars, one series each)
    chart: tuple[str, ...]
    #: figures as they stand now, not for the month (the 现状 tables)
    snapshot: bool = False


# -- shared pieces of SQL --------------------------------------------------------------------------

def _scope(cls: Any, scope: Sequence[str] | None) -> ColumnElement[bool]:
    return and_(cls.archived.is_(False), schedule.in_scope(cls.org_code, scope))


def _count_if(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _sum_if(condition: ColumnElement[bool], value: Any) -> Any:
    return func.coalesce(func.sum(case((condition, value), else_=0)), 0)


def _cents(value: Any) -> Any:
    """A Money column (exact text) as whole fen, so sums stay exact."""
    return cast(func.round(cast(value, Float) * 100), Integer)


def _money(cents: Any) -> Decimal:
    return (Decimal(int(cents or 0)) / 100).quantize(Decimal("0.01"))


def _local_day(moment: Any) -> Any:
    return func.date(moment, "localtime")


def _month_of(day_text: Any) -> Any:
    return func.substr(day_text, 1, 7)


def _case_span() -> Any:
    """Each approved case's start and end (both ISO date text; end NULL while in payment)."""
    step_stop = (select(CaseStep.case_id.label("case_id"), func.min(_local_day(CaseStep.taken_at)).label("day"))
                 .where(CaseStep.to_state == "stopped").group_by(CaseStep.case_id).subquery())
    review_day = func.coalesce(CaseReview.effective_month + "-01", CaseReview.reviewed_on)
    review_stop = (select(CaseReview.case_id.label("case_id"), func.min(review_day).label("day"))
                   .where(CaseReview.outcome == "stop").group_by(CaseReview.case_id).subquery())
    ended = func.coalesce(step_stop.c.day, review_stop.c.day, _local_day(AssistanceCase.updated_at))
    end = case((AssistanceCase.status.in_(IN_PAYMENT), None),
               else_=func.max(ended, AssistanceCase.approved_on))
    return (select(AssistanceCase.id, AssistanceCase.category, AssistanceCase.people_covered,
                   AssistanceCase.monthly_amount, AssistanceCase.approved_on.label("start"), end.label("end"))
            .outerjoin(step_stop, step_stop.c.case_id == AssistanceCase.id)
            .outerjoin(review_stop, review_stop.c.case_id == AssistanceCase.id)
            .where(AssistanceCase.approved_on.is_not(None)))


def _paid_at(span: Any, before: dt.date) -> ColumnElement[bool]:
    """In payment at the instant ``before`` begins (started earlier, not ended by then)."""
    day = before.isoformat()
    return and_(span.c.start < day, or_(span.c.end.is_(None), span.c.end >= day))


def _one_off() -> tuple[str, ...]:
    """Categories paid once (临时救助, 医疗救助): counted by their payments, not as a monthly amount."""
    return tuple(sorted(refdata.rules().one_off_categories))


def _paid_once(db: Session, scope: Sequence[str] | None, month: Month) -> dict[str, list[Any]]:
    """By category, the one-off payments made in ``month`` (by the day paid): households paid, the
    people their cases cover (each case once) and the amount in fen."""
    p, c = CasePayment, AssistanceCase
    first, after = month.first.isoformat(), month.next_first().isoformat()
    cases = (select(c.category.label("category"), c.household_id.label("household_id"),
                    c.people_covered.label("people"), func.sum(_cents(p.amount_paid)).label("cents"))
             .join(c, c.id == p.case_id)
             .where(_scope(c, scope), p.archived.is_(False), p.paid_on >= first, p.paid_on < after)
             .group_by(c.id).subquery())
    query = (select(cases.c.category, func.count(distinct(cases.c.household_id)), func.sum(cases.c.people),
                    func.sum(cases.c.cents)).group_by(cases.c.category))
    return _by(db.execute(query), 3)


def _by(rows: Any, width: int) -> dict[str, list[Any]]:
    return {str(code): list(values) for code, *values in rows if code is not None and len(values) == width}


# -- the tables ------------------------------------------------------------------------------------

def _caseload(db: Session, scope: Sequence[str] | None, month: Month, today: dt.date) -> dict[str, list[Any]]:
    c = AssistanceCase
    once = _one_off()
    paid = and_(c.status.in_(IN_PAYMENT), c.category.not_in(once))
    query = (select(c.category,
                    func.count(distinct(case((c.status.in_(APPLYING), c.household_id)))),
                    func.count(distinct(case((paid, c.household_id)))),
                    _sum_if(paid, c.people_covered),
                    _count_if(c.status == "review_due"),
                    _count_if(c.status == "taper"),
                    _count_if(c.status == "stopped"),
                    _sum_if(paid, _cents(c.monthly_amount)))
             .where(_scope(c, scope)).group_by(c.category))
    out = _by(db.execute(query), 7)
    # a one-off category's households, people and amount are those paid in the month
    for code, (households, people, cents) in _paid_once(db, scope, month).items():
        values = out.setdefault(code, [0] * 7)
        values[1], values[2], values[6] = int(households), int(people or 0), int(cents or 0)
    for values in out.values():
        values[6] = _money(values[6])
    return out


def _changes(db: Session, scope: Sequence[str] | None, month: Month, today: dt.date) -> dict[str, list[Any]]:
    # a one-off grant is no time in payment: its category counts only what was paid in the month
    span = _case_span().where(_scope(AssistanceCase, scope), AssistanceCase.category.not_in(_one_off())).subquery()
    first, after = month.first.isoformat(), month.next_first().isoformat()
    opening = _paid_at(span, month.first)
    closing = _paid_at(span, month.next_first())
    added = and_(span.c.start >= first, span.c.start < after)
    stopped = and_(span.c.end.is_not(None), span.c.end >= first, span.c.end < after)
    query = (select(span.c.category,
                    _count_if(opening), _sum_if(opening, span.c.people_covered),
                    _count_if(added), _sum_if(added, span.c.people_covered),
                    _count_if(stopped), _sum_if(stopped, span.c.people_covered),
                    _count_if(closing), _sum_if(closing, span.c.people_covered),
                    _sum_if(closing, _cents(span.c.monthly_amount)))
             .group_by(span.c.category))
    out = _by(db.execute(query), 9)
    r, c = CaseReview, AssistanceCase
    in_month = _month_of(func.coalesce(r.effective_month + "-01", r.reviewed_on)) == str(month)
    change = func.sum(_cents(r.new_amount) - _cents(r.old_amount))
    adjusted = (select(c.category, func.count(distinct(r.case_id)), change)
                .join(c, c.id == r.case_id)
                .where(_scope(c, scope), r.archived.is_(False), r.outcome.in_(("increase", "decrease")), in_month)
                .group_by(c.category))
    moved = _by(db.execute(adjusted), 2)
    once = _paid_once(db, scope, month)
    for code in set(out) | set(moved) | set(once):
        values = out.setdefault(code, [0] * 9)
        if code in once:
            values[8] = once[code][2]
        values[8] = _money(values[8])
        count, cents = moved.get(code, [0, 0])
        values.extend([int(count), _money(cents)])
    return out


def _reviews(db: Session, scope: Sequence[str] | None, month: Month, today: dt.date) -> dict[str, list[Any]]:
    c, r = AssistanceCase, CaseReview
    as_of = min(today, month.last).isoformat()
    first, after = month.first.isoformat(), month.next_first().isoformat()
    done = (select(c.category, func.count(distinct(r.case_id)))
            .join(c, c.id == r.case_id)
            .where(_scope(c, scope), r.archived.is_(False), r.reviewed_on >= first, r.reviewed_on < after)
            .group_by(c.category))
    reviewed = _by(db.execute(done), 1)
    paid = c.status.in_(IN_PAYMENT)
    due = (select(c.category, _count_if(and_(c.next_review_date >= first, c.next_review_date < after)),
                  _count_if(c.next_review_date < as_of))
           .where(_scope(c, scope), paid, c.next_review_date.is_not(None)).group_by(c.category))
    pending = _by(db.execute(due), 2)
    return {code: [reviewed.get(code, [0])[0], *pending.get(code, [0, 0])] for code in set(reviewed) | set(pending)}


def _visits(db: Session, scope: Sequence[str] | None, month: Month, today: dt.date) -> dict[str, list[Any]]:
    e, v = ElderProfile, CareVisit
    start, end = month.utc_bounds()
    visited = (select(v.elder_id.label("elder_id"), func.count().label("visits"))
               .where(v.visited_at >= start, v.visited_at < end, v.archived.is_(False))
               .group_by(v.elder_id).subquery())
    # each elder's latest visit before the month's end (one index seek each), then the due day from it
    elders = (select(e.id, e.risk_tier, e.created_at, e.visit_interval_days,
                     schedule.last_visit(before=end).label("last"))
              .where(_scope(e, scope)).cte("elders").prefix_with("MATERIALIZED"))
    overdue = schedule.due_day(elders.c.last, elders.c) < min(today, month.last).isoformat()
    query = (select(elders.c.risk_tier, func.count(), _count_if(visited.c.visits.is_not(None)),
                    func.coalesce(func.sum(visited.c.visits), 0), _count_if(overdue))
             .select_from(elders)
             .outerjoin(visited, visited.c.elder_id == elders.c.id)
             .group_by(elders.c.risk_tier))
    out = _by(db.execute(query), 4)
    return {code: [n, seen, None, visits, late] for code, (n, seen, visits, late) in out.items()}


def _events(db: Session, scope: Sequence[str] | None, month: Month, today: dt.date) -> dict[str, list[Any]]:
    g, u = GridEvent, GridEventUpdate
    start, end = month.utc_bounds()
    closed = (select(u.event_id.label("event_id"), func.min(u.at).label("at"))
              .where(u.to_status == "closed", u.archived.is_(False)).group_by(u.event_id).subquery())
    reported = and_(g.occurred_at >= start, g.occurred_at < end)
    closed_in_month = and_(closed.c.at >= start, closed.c.at < end)
    hours = (func.julianday(closed.c.at) - func.julianday(g.occurred_at)) * 24
    query = (select(g.category, _count_if(reported), _count_if(and_(reported, closed.c.at.is_not(None))),
                    _count_if(closed_in_month), _sum_if(closed_in_month, hours),
                    _count_if(g.status.in_(schedule.OPEN_EVENT_STATES)))
             .outerjoin(closed, closed.c.event_id == g.id)
             .where(_scope(g, scope)).group_by(g.category))
    out: dict[str, list[Any]] = {}
    for code, (n, of_them_closed, closed_n, hours_sum, still_open) in _by(db.execute(query), 5).items():
        mean = round(float(hours_sum) / closed_n, 1) if closed_n else None
        out[code] = [n, of_them_closed, None, closed_n, mean, still_open]
    return out


def _referrals(db: Session, scope: Sequence[str] | None, month: Month, today: dt.date) -> dict[str, list[Any]]:
    f = Referral
    start, end = month.utc_bounds()
    query = (select(f.status, func.count(), _count_if(and_(f.created_at >= start, f.created_at < end)),
                    _count_if(f.urgency.in_(("urgent", "emergency"))))
             .where(_scope(f, scope)).group_by(f.status))
    return _by(db.execute(query), 3)


def _disasters(db: Session, scope: Sequence[str] | None, month: Month, today: dt.date) -> dict[str, list[Any]]:
    d = DisasterReport
    start, end = month.utc_bounds()
    series = func.coalesce(d.series_id, d.id)
    latest = func.row_number().over(partition_by=series, order_by=(d.reported_at.desc(), d.id.desc()))
    reports = (select(d.disaster_type, series.label("series"), d.affected, d.dead, d.missing, d.relocated,
                      _cents(d.direct_loss).label("loss"), latest.label("n"),
                      func.count().over(partition_by=series).label("reports"))
               .where(_scope(d, scope), d.occurred_at >= start, d.occurred_at < end).subquery())
    query = (select(reports.c.disaster_type, func.count(), func.sum(reports.c.reports),
                    func.sum(reports.c.affected), func.sum(reports.c.dead), func.sum(reports.c.missing),
                    func.sum(reports.c.relocated), func.sum(reports.c.loss))
             .where(reports.c.n == 1).group_by(reports.c.disaster_type))
    out = _by(db.execute(query), 7)
    for values in out.values():
        values[6] = _money(values[6])
    return out


def _calls(db: Session, scope: Sequence[str] | None, month: Month, today: dt.date) -> dict[str, list[Any]]:
    c = EmergencyCall
    start, end = month.utc_bounds()
    in_month = and_(c.called_at >= start, c.called_at < end)
    dispatched = and_(in_month, c.dispatched_at.is_not(None))
    minutes = (func.julianday(c.dispatched_at) - func.julianday(c.called_at)) * 24 * 60
    query = (select(c.call_type, _count_if(in_month), _count_if(dispatched), _sum_if(dispatched, minutes),
                    _count_if(and_(in_month, c.status == "resolved")), _count_if(c.status != "resolved"))
             .where(_scope(c, scope)).group_by(c.call_type))
    out: dict[str, list[Any]] = {}
    for code, (n, sent, minutes_sum, resolved, still_open) in _by(db.execute(query), 5).items():
        out[code] = [n, sent, round(float(minutes_sum) / sent, 1) if sent else None, resolved, still_open]
    return out


TABLES: tuple[Spec, ...] = (
    Spec("caseload", "assistance_category", (
        Column("applying"), Column("households"), Column("people"), Column("review_due"), Column("taper"),
        Column("stopped"), Column("amount", "money")), _caseload, ("households", "people"), snapshot=True),
    Spec("changes", "assistance_category", (
        Column("opening"), Column("opening_people"), Column("added"), Column("added_people"), Column("stopped"),
        Column("stopped_people"), Column("closing"), Column("closing_people"), Column("amount", "money"),
        Column("adjusted"), Column("adjusted_amount", "money")), _changes, ("added", "stopped")),
    Spec("reviews", "assistance_category", (
        Column("done"), Column("due_in_month"), Column("overdue")), _reviews, ("done", "overdue")),
    Spec("visits", "risk_tier", (
        Column("elders"), Column("visited"), Column("coverage", "percent", ratio=("visited", "elders")),
        Column("visits"), Column("overdue")), _visits, ("visited", "overdue")),
    Spec("events", "grid_event_category", (
        Column("reported"), Column("reported_closed"),
        Column("closure_rate", "percent", ratio=("reported_closed", "reported")),
        Column("closed"), Column("hours", "hours", weight="closed"), Column("open")), _events,
        ("reported", "closed")),
    Spec("referrals", "state.referral", (
        Column("referrals"), Column("new"), Column("urgent")), _referrals, ("referrals",), snapshot=True),
    Spec("disasters", "disaster_type", (
        Column("events"), Column("reports"), Column("affected"), Column("dead"), Column("missing"),
        Column("relocated"), Column("loss", "money")), _disasters, ("affected", "relocated")),
    Spec("calls", "pingantong_call_type", (
        Column("calls"), Column("dispatched"), Column("minutes", "hours", weight="dispatched"), Column("resolved"),
        Column("open")), _calls, ("calls", "dispatched")),
)
SPECS = {spec.key: spec for spec in TABLES}


def _row_codes(spec: Spec) -> list[str]:
    if spec.rows == "state.referral":
        return list(REFERRAL.states)
    return list(refdata.dictionary(spec.rows))


def _row_label(spec: Spec, code: str, lang: str) -> str:
    if spec.rows.startswith("state."):
        return display.state_name(spec.rows.removeprefix("state."), code, lang)
    return display.code_name(spec.rows, code, lang)


def _ratio(num: Any, den: Any) -> float | None:
    return float(num) / float(den) if den else None


def _finish(spec: Spec, found: dict[str, list[Any]], lang: str) -> Table:
    table = Table(spec.key, spec.columns)
    known = _row_codes(spec)
    # every code of the dictionary, in its order (a 月报 lists every category, with its zeros), then
    # any retired code still found in the records
    for code in known + sorted(set(found) - set(known)):
        values = found.get(code) or [0 if c.kind in ("int", "money") and c.ratio is None else None
                                     for c in spec.columns]
        values = [Decimal("0.00") if c.kind == "money" and v == 0 else v for v, c in zip(values, spec.columns,
                                                                                           strict=True)]
        table.codes.append(code)
        table.labels.append(_row_label(spec, code, lang))
        table.rows.append(values)
    for i, col in enumerate(spec.columns):
        if col.ratio is not None:
            num, den = table.index(col.ratio[0]), table.index(col.ratio[1])
            for row in table.rows:
                row[i] = _ratio(row[num], row[den])
    table.totals = _totals(table)
    return table


def _totals(table: Table) -> list[Any]:
    out: list[Any] = []
    for i, col in enumerate(table.columns):
        values = [row[i] for row in table.rows]
        if col.ratio is not None:
            num, den = table.index(col.ratio[0]), table.index(col.ratio[1])
            out.append(_ratio(sum(row[num] or 0 for row in table.rows), sum(row[den] or 0 for row in table.rows)))
        elif col.weight is not None:
            w = table.index(col.weight)
            weights = sum(row[w] or 0 for row in table.rows)
            weighted = sum((row[i] or 0) * (row[w] or 0) for row in table.rows)
            out.append(round(weighted / weights, 1) if weights else None)
        elif not col.total:
            out.append(None)
        elif col.kind == "money":
            out.append(sum((v or Decimal(0) for v in values), Decimal("0.00")))
        else:
            out.append(sum(v or 0 for v in values))
    return out


def compute(db: Session, key: str, scope: Sequence[str] | None, month: Month, today: dt.date,
            lang: str = "zh") -> Table:
    """One table for a scope (None: everything on this device) and month."""
    spec = SPECS[key]
    return _finish(spec, spec.fill(db, scope, month, today), lang)


def compute_all(db: Session, scope: Sequence[str] | None, month: Month, today: dt.date,
                lang: str = "zh") -> list[Table]:
    return [compute(db, spec.key, scope, month, today, lang) for spec in TABLES]


def trend(db: Session, scope: Sequence[str] | None, month: Month, months: int = TREND_MONTHS) -> Trend:
    """In payment at each month's end, and each month's 新增 and 停保: two GROUP BYs over the cases
    (starts by month, ends by month). A case ends on or after it starts, so in payment at an instant is
    the cases started before it less those ended before it: running sums of the two."""
    # as the 增减变动 table counts them (_changes): a one-off grant is no time in payment
    span = _case_span().where(_scope(AssistanceCase, scope), AssistanceCase.category.not_in(_one_off())).subquery()
    chosen = [month.shift(k - months + 1) for k in range(months)]
    window = chosen[0].first.isoformat()
    started, ended = Counter[str](), Counter[str]()
    for column, counts in ((span.c.start, started), (span.c.end, ended)):
        bucket = case((column < window, ""), else_=_month_of(column))
        for key, n in db.execute(select(bucket, func.count()).where(column.is_not(None)).group_by(bucket)):
            counts[str(key)] += int(n)
    in_payment, running = [], started[""] - ended[""]
    for m in chosen:
        running += started[str(m)] - ended[str(m)]
        in_payment.append(running)
    return Trend(chosen, in_payment, [started[str(m)] for m in chosen], [ended[str(m)] for m in chosen])


def title(key: str, lang: str = "zh") -> str:
    return message(f"stats.{key}", lang)


def column_titles(table: Table, lang: str = "zh") -> list[str]:
    return [message(f"stats.{table.key}.row", lang)] + [c.title(table.key, lang) for c in table.columns]


def cell_text(value: Any, kind: Kind) -> str:
    """A figure as the page shows it: counts plain, money with two decimals, rates in per cent."""
    if value is None:
        return "—"
    if kind == "money":
        return f"{Decimal(value):,.2f}"
    if kind == "percent":
        return f"{float(value) * 100:.1f}%"
    if kind == "hours":
        return f"{float(value):.1f}"
    return f"{int(value):,}"
