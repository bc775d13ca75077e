"""The lists people work from: households, elders, assistance cases, grid events, patrol logs,
disaster reports, referrals and visits, each filtered, sorted by any of its columns and paged, in
SQL (a street's 50,000 households never reach Python whole).

A list (``LISTS``) is a set of columns over one record type, some read through a join (an elder's
name is its member's) or computed (a household's size, its assistance categories and states). A
``ListFilter`` says what to show: an org-unit scope (codes nest by prefix: district ⊃ street ⊃
community ⊃ grid), allowed codes or states per column, text (for households through the search
index, otherwise part of a name or place), a period on the list's date column (named, so a
remembered filter for "this week" stays this week), and the sort. It round-trips through a plain
dict, which is how screens remember it.

Column headings and how values read come from the field definitions (``display``); the few
computed columns take theirs from the message catalogue (``caseapp.messages.lists``) or the org
levels' reference names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, String, and_, case, func, literal, or_, select, type_coerce
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql import FromClause
from sqlalchemy.sql.selectable import Join

from caseapp import refdata
from caseapp.domain import (
    Appraisal,
    AssistanceCase,
    Building,
    CareApplication,
    CareVisit,
    ChildProfile,
    ChildVisit,
    DisasterReport,
    ElderProfile,
    EmergencyCall,
    GridEvent,
    Household,
    Member,
    OrgUnit,
    PatrolLog,
    PublicNotice,
    Referral,
    Resident,
    VeteranProfile,
    VeteranVisit,
)
from caseapp.services import display, referrals, search, waitlist, workflows

#: how a column's value is read and filtered
Kind = Literal["text", "code", "state", "date", "datetime", "int", "money", "community", "grid", "codes", "pairs",
               "age"]
#: the periods a list's date column can be limited to, relative to today
PERIODS = ("today", "week", "month", "last_30_days", "next_30_days", "due_today", "due_week", "due_30_days",
           "overdue")
#: what a filter offers: for a date things happened on, and for a date something falls due
PAST_PERIODS = ("", "today", "week", "month", "last_30_days")
DUE_PERIODS = ("", "overdue", "due_today", "due_week", "due_30_days", "today", "week", "month", "next_30_days")

_h = Household.__table__
_m = Member.__table__
_c = AssistanceCase.__table__
_e = ElderProfile.__table__
_v = CareVisit.__table__
_g = GridEvent.__table__
_p = PatrolLog.__table__
_d = DisasterReport.__table__
_r = Referral.__table__
_o = OrgUnit.__table__
_ap = Appraisal.__table__
_pn = PublicNotice.__table__
_cp = ChildProfile.__table__
_cv = ChildVisit.__table__
_vp = VeteranProfile.__table__
_vv = VeteranVisit.__table__
_ec = EmergencyCall.__table__
_b = Building.__table__
_rs = Resident.__table__
_ca = CareApplication.__table__
COMMUNITY_DIGITS = 12


@dataclass(frozen=True)
class Column:
    key: str
    #: where the heading comes from: a record field (entity, field), or for a computed column the
    #: catalogue's ``field.<key>`` label (entity None)
    entity: str | None
    field: str
    kind: Kind = "text"
    #: for "codes"/"pairs": the dictionary or state machine of the values
    codes: str | None = None

    def label(self, lang: str = "zh") -> str:
        if self.kind in ("community", "grid"):
            return display.code_name("org_level", self.kind, lang)
        return display.field_name(self.entity or "", self.field, lang, short=True)


@dataclass(frozen=True)
class ListSpec:
    name: str
    #: the record type the rows are (their ids open it)
    entity: str
    columns: tuple[Column, ...]
    #: the query: the FROM clause, the SQL of each column, the row id and org code, base conditions
    source: Callable[[], _Source]
    #: columns offered as choice filters
    choices: tuple[str, ...] = ()
    #: columns searched by text (part of the value); households use the search index instead
    text: tuple[str, ...] = ()
    #: the column a period limits
    date: str | None = None
    #: the order before a header is clicked: (column key, descending)
    default_sort: tuple[str, bool] = ("", True)
    #: the date column is a date something falls due (a review), not one it happened on
    due: bool = False

    def periods(self) -> tuple[str, ...]:
        if not self.date:
            return ()
        return DUE_PERIODS if self.due else PAST_PERIODS

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(f"list {self.name} has no column {key!r}")

    def column_keys(self) -> list[str]:
        return [c.key for c in self.columns]


@dataclass(frozen=True)
class _Source:
    froms: FromClause
    exprs: dict[str, ColumnElement[Any]]
    id: ColumnElement[Any]
    org: ColumnElement[Any]
    where: tuple[ColumnElement[bool], ...]
    #: SQL for "has a value among these codes" for a column not among ``exprs`` as a plain value
    #: (a household's assistance categories and states)
    any_of: dict[str, Callable[[Sequence[str]], ColumnElement[bool]]] = field(default_factory=dict)
    #: both a case category and a case state chosen: one case must have both
    both: Callable[[Sequence[str], Sequence[str]], ColumnElement[bool]] | None = None
    #: columns sorted through a join rather than their per-row subquery: the joined FROM clause
    #: and the value to order by
    sort_by: dict[str, Callable[[FromClause, ListFilter], tuple[FromClause, ColumnElement[Any]]]] = field(
        default_factory=dict)


@dataclass(frozen=True)
class ListFilter:
    #: org codes the rows must lie in or under; None: everything on this device
    scope: tuple[str, ...] | None = None
    #: column key -> the codes or states allowed (an empty selection is no filter)
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    text: str = ""
    #: one of PERIODS, on the list's date column; "" for any time
    period: str = ""
    #: column key; "" for the list's own order
    sort: str = ""
    descending: bool = False

    def is_plain(self) -> bool:
        """Nothing chosen but (perhaps) text and a scope: a household search can rank its hits."""
        return not any(self.choices.values()) and not self.period and not self.sort

    def with_sort(self, key: str, descending: bool) -> ListFilter:
        return replace(self, sort=key, descending=descending)

    def to_dict(self) -> dict[str, Any]:
        return {"scope": list(self.scope) if self.scope is not None else None,
                "choices": {k: list(v) for k, v in self.choices.items() if v}, "text": self.text,
                "period": self.period, "sort": self.sort, "descending": self.descending}

    @classmethod
    def from_dict(cls, data: Any, spec: ListSpec | None = None) -> ListFilter:
        """A remembered filter; anything no longer valid (a column renamed, a bad value) is dropped."""
        if not isinstance(data, dict):
            return cls()
        keys = set(spec.column_keys()) if spec else None
        scope = data.get("scope")
        raw = data.get("choices")
        choices: dict[str, Any] = raw if isinstance(raw, dict) else {}
        sort = str(data.get("sort") or "")
        period = str(data.get("period") or "")
        return cls(
            scope=tuple(str(c) for c in scope) if isinstance(scope, list) else None,
            choices={str(k): tuple(str(x) for x in v) for k, v in choices.items()
                     if isinstance(v, list) and v and (keys is None or k in keys)},
            text=str(data.get("text") or ""),
            period=period if period in PERIODS else "",
            sort=sort if keys is None or sort in keys else "",
            descending=bool(data.get("descending")),
        )


@dataclass(frozen=True)
class Row:
    id: str
    org_code: str
    #: column key -> stored value (codes as codes; a household's categories as "dibao,temporary")
    values: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.values[key]


# --- the lists -------------------------------------------------------------------------------------

def _community(org: ColumnElement[Any]) -> ColumnElement[Any]:
    return func.substr(org, 1, COMMUNITY_DIGITS)


def _grid(org: ColumnElement[Any]) -> ColumnElement[Any]:
    return case((func.length(org) > COMMUNITY_DIGITS, org), else_=literal(""))


def _live_cases() -> ColumnElement[bool]:
    return and_(_c.c.household_id == _h.c.id, _c.c.archived.is_(False))


def _case_households(*conditions: ColumnElement[bool]) -> Select[Any]:
    return select(_c.c.household_id).where(_c.c.archived.is_(False), *conditions)


def _cases_grouped(key: str) -> Callable[[FromClause, ListFilter], tuple[FromClause, ColumnElement[Any]]]:
    """The FROM clause joined to each household's cases grouped, and the grouped value to sort by."""
    def join(froms: FromClause, _flt: ListFilter) -> tuple[FromClause, ColumnElement[Any]]:
        value = (func.group_concat(_c.c.category.distinct()) if key == "categories"
                 else func.group_concat(_c.c.category + ":" + _c.c.status))
        grouped = (select(_c.c.household_id.label("household_id"), value.label("value"))
                   .where(_c.c.archived.is_(False)).group_by(_c.c.household_id).subquery(f"sort_{key}"))
        return froms.outerjoin(grouped, grouped.c.household_id == _h.c.id), grouped.c.value

    return join


def _by_org_code(froms: FromClause, _flt: ListFilter) -> tuple[FromClause, ColumnElement[Any]]:
    """Communities, and grids within them, in code order: the org code's own order (and index);
    a household kept at community level comes before that community's grids."""
    return froms, _h.c.org_code


def _by_head_name(froms: FromClause, flt: ListFilter) -> tuple[FromClause, ColumnElement[Any]]:
    """户主 in pinyin order, off the search index's sort key (and its index)."""
    sh = search.ix.SearchHousehold.__table__
    if flt.scope is not None or flt.text.strip():
        # a few households of a community or a search: find them first, then sort them
        return froms.join(sh, sh.c.household_id == _h.c.id), sh.c.head_sort
    # every current household is in the index (kept in the same transaction as its edits), so
    # the index can lead: its head_sort index gives the order, and LIMIT stops after one page
    return _LeadingJoin(sh, froms, sh.c.household_id == _h.c.id), sh.c.head_sort


class _LeadingJoin(Join):
    """An inner join whose left side SQLite must read first (``CROSS JOIN``): its planner would
    rather scan the households and sort them all than walk the sort key's index for one page."""

    inherit_cache = True


@compiles(_LeadingJoin, "sqlite")
def _leading_join(join: _LeadingJoin, compiler: Any, **kw: Any) -> str:
    kw["asfrom"] = True
    return (f"{compiler.process(join.left, **kw)} CROSS JOIN {compiler.process(join.right, **kw)} "
            f"ON {compiler.process(join.onclause, **kw)}")


def _households() -> _Source:
    size = (select(func.count()).select_from(_m)
            .where(_m.c.household_id == _h.c.id, _m.c.archived.is_(False)).scalar_subquery())
    categories = (select(func.group_concat(_c.c.category.distinct())).where(_live_cases())
                  .scalar_subquery())
    # "category:state" per case, so a reader (and an export) can tell which state is whose
    pairs = (select(func.group_concat(_c.c.category + ":" + _c.c.status)).where(_live_cases())
             .scalar_subquery())
    return _Source(
        _h,
        {"head_name": _h.c.head_name, "address": _h.c.address, "community": _community(_h.c.org_code),
         "grid": _grid(_h.c.org_code), "phone": _h.c.phone, "household_size": size, "categories": categories,
         "states": pairs},
        _h.c.id, _h.c.org_code, (_h.c.archived.is_(False),),
        # the households with such a case, read off the cases (a few thousand) rather than asking
        # each of 50,000 households whether it has one
        any_of={"categories": lambda codes: _h.c.id.in_(_case_households(_c.c.category.in_(codes))),
                "states": lambda codes: _h.c.id.in_(_case_households(_c.c.status.in_(codes)))},
        both=lambda cats, states: _h.c.id.in_(_case_households(_c.c.category.in_(cats), _c.c.status.in_(states))),
        # sorting on them: one pass over the cases grouped by household, joined once
        sort_by={"categories": _cases_grouped("categories"), "states": _cases_grouped("states"),
                 "head_name": _by_head_name, "community": _by_org_code, "grid": _by_org_code},
    )


def _fields(table: Any, names: Iterable[str]) -> dict[str, ColumnElement[Any]]:
    return {name: table.c[name] for name in names}


def _of(column: Any, key: Any, value: ColumnElement[Any]) -> ColumnElement[Any]:
    """A value from the record this one points at, as a correlated subquery rather than a join:
    the list's own table is read in its sort order and the subquery runs for the rows of one page
    only (unless the list is sorted or filtered by that value).

    Correlated to the table of ``value`` by name: nested in another ``_of`` (a case's household's
    head), auto-correlation looks only one level out, and the inner select would read the whole
    table and give every row the first record's value."""
    query = select(column).where(key == value)
    table = getattr(value, "table", None)
    return (query.correlate(table) if table is not None else query).scalar_subquery()


def _elders() -> _Source:
    last = (select(func.max(_v.c.visited_at)).where(_v.c.elder_id == _e.c.id, _v.c.archived.is_(False))
            .scalar_subquery())
    return _Source(_e, {"name": _of(_m.c.name, _m.c.id, _e.c.member_id),
                        "age": _of(_m.c.birth_date, _m.c.id, _e.c.member_id),
                        "address": _of(_h.c.address, _h.c.id, _e.c.household_id),
                        "community": _community(_e.c.org_code), "grid": _grid(_e.c.org_code),
                        **_fields(_e, ("living_arrangement", "capacity_level", "risk_tier", "entitlement")),
                        "last_visit": last},
                   _e.c.id, _e.c.org_code, (_e.c.archived.is_(False),))


def _cases() -> _Source:
    return _Source(_c, {"head_name": _of(_h.c.head_name, _h.c.id, _c.c.household_id),
                        "community": _community(_c.c.org_code),
                        **_fields(_c, ("category", "status", "people_covered", "monthly_amount", "applied_on",
                                       "approved_on", "next_review_date", "certificate_no"))},
                   _c.c.id, _c.c.org_code, (_c.c.archived.is_(False),))


def _events() -> _Source:
    return _Source(_g, {**_fields(_g, ("occurred_at", "title", "category", "scale", "status", "source", "place",
                                       "deadline")), "grid": _grid(_g.c.org_code)},
                   _g.c.id, _g.c.org_code, (_g.c.archived.is_(False),))


def _patrols() -> _Source:
    return _Source(_p, {**_fields(_p, ("started_at", "ended_at", "places_checked", "problems", "author")),
                        "grid": _grid(_p.c.org_code)},
                   _p.c.id, _p.c.org_code, (_p.c.archived.is_(False),))


def _disasters() -> _Source:
    return _Source(_d, {**_fields(_d, ("stage", "disaster_type", "occurred_at", "reported_at", "place", "affected",
                                       "relocated", "direct_loss", "reporter")),
                        "community": _community(_d.c.org_code)},
                   _d.c.id, _d.c.org_code, (_d.c.archived.is_(False),))


def _referrals() -> _Source:
    return _Source(_r, _fields(_r, ("client_name", "from_org", "to_org", "urgency", "status", "sent_at")),
                   _r.c.id, _r.c.org_code, (_r.c.archived.is_(False),))


def _referral_inbox() -> _Source:
    """Referrals sent to a centre: the list is scoped by the receiving centre's code, not by
    where the referral lives (the receiver's inbox: caseapp.services.referrals)."""
    return _Source(_r, _fields(_r, ("client_name", "from_org", "to_org", "urgency", "status", "sent_at")),
                   _r.c.id, _r.c.to_org_code,
                   (_r.c.archived.is_(False), _r.c.to_org_code.is_not(None),
                    _r.c.status.in_(sorted(referrals.SENT_STATES))))


def _visits() -> _Source:
    member = select(_e.c.member_id).where(_e.c.id == _v.c.elder_id).correlate(_v).scalar_subquery()
    return _Source(_v, {"visited_at": _v.c.visited_at, "name": _of(_m.c.name, _m.c.id, member),
                        **_fields(_v, ("method", "visitors", "risk_change", "outcome")),
                        "grid": _grid(_v.c.org_code)},
                   _v.c.id, _v.c.org_code, (_v.c.archived.is_(False),))


def _case_head(case_id: ColumnElement[Any]) -> ColumnElement[Any]:
    """The 户主 of the household whose assistance case ``case_id`` is."""
    return _of(_h.c.head_name, _h.c.id, _of(_c.c.household_id, _c.c.id, case_id))


def _appraisals() -> _Source:
    return _Source(_ap, {"head_name": _case_head(_ap.c.case_id),
                         "category": _of(_c.c.category, _c.c.id, _ap.c.case_id),
                         **_fields(_ap, ("held_on", "place", "panel_size", "present", "votes_for", "votes_against",
                                         "result")),
                         "community": _community(_ap.c.org_code)},
                   _ap.c.id, _ap.c.org_code, (_ap.c.archived.is_(False),))


def _notices() -> _Source:
    return _Source(_pn, {"head_name": _case_head(_pn.c.case_id),
                         "category": _of(_c.c.category, _c.c.id, _pn.c.case_id),
                         **_fields(_pn, ("kind", "started_on", "ends_on", "place", "objections")),
                         "community": _community(_pn.c.org_code)},
                   _pn.c.id, _pn.c.org_code, (_pn.c.archived.is_(False),))


def _children() -> _Source:
    last = (select(func.max(_cv.c.visited_at)).where(_cv.c.child_id == _cp.c.id, _cv.c.archived.is_(False))
            .scalar_subquery())
    return _Source(_cp, {"name": _of(_m.c.name, _m.c.id, _cp.c.member_id),
                         "age": _of(_m.c.birth_date, _m.c.id, _cp.c.member_id),
                         "community": _community(_cp.c.org_code), "grid": _grid(_cp.c.org_code),
                         **_fields(_cp, ("category", "guardian_name", "guardianship", "living_situation",
                                         "risk_tier")),
                         "last_visit": last},
                   _cp.c.id, _cp.c.org_code, (_cp.c.archived.is_(False),))


def _child_visits() -> _Source:
    # the profile's member, correlated to the visit by name (nested in the name's subquery: see _of)
    member = select(_cp.c.member_id).where(_cp.c.id == _cv.c.child_id).correlate(_cv).scalar_subquery()
    return _Source(_cv, {"visited_at": _cv.c.visited_at, "name": _of(_m.c.name, _m.c.id, member),
                         **_fields(_cv, ("method", "visitors", "risk")), "grid": _grid(_cv.c.org_code)},
                   _cv.c.id, _cv.c.org_code, (_cv.c.archived.is_(False),))


def _veterans() -> _Source:
    last = (select(func.max(_vv.c.visited_at)).where(_vv.c.veteran_id == _vp.c.id, _vv.c.archived.is_(False))
            .scalar_subquery())
    return _Source(_vp, {"name": _of(_m.c.name, _m.c.id, _vp.c.member_id),
                         "age": _of(_m.c.birth_date, _m.c.id, _vp.c.member_id),
                         "community": _community(_vp.c.org_code), "grid": _grid(_vp.c.org_code),
                         **_fields(_vp, ("category", "disability_grade", "certificate_no", "monthly_allowance",
                                         "allowance_from")),
                         "last_visit": last},
                   _vp.c.id, _vp.c.org_code, (_vp.c.archived.is_(False),))


def _veteran_visits() -> _Source:
    member = select(_vp.c.member_id).where(_vp.c.id == _vv.c.veteran_id).correlate(_vv).scalar_subquery()
    return _Source(_vv, {"visited_at": _vv.c.visited_at, "name": _of(_m.c.name, _m.c.id, member),
                         **_fields(_vv, ("occasion", "method", "visitors", "support_amount")),
                         "grid": _grid(_vv.c.org_code)},
                   _vv.c.id, _vv.c.org_code, (_vv.c.archived.is_(False),))


def _calls() -> _Source:
    member = select(_e.c.member_id).where(_e.c.id == _ec.c.elder_id).correlate(_ec).scalar_subquery()
    return _Source(_ec, {"called_at": _ec.c.called_at, "name": _of(_m.c.name, _m.c.id, member),
                         **_fields(_ec, ("call_type", "status", "dispatched_to", "outcome", "resolved_at")),
                         "grid": _grid(_ec.c.org_code)},
                   _ec.c.id, _ec.c.org_code, (_ec.c.archived.is_(False),))


def _counted(table: Any, key: Any, building: ColumnElement[Any]) -> ColumnElement[Any]:
    """How many current records of ``table`` are placed at ``building`` (counted in SQL, per row)."""
    return (select(func.count()).select_from(table).where(key == building, table.c.archived.is_(False))
            .scalar_subquery())


def _buildings() -> _Source:
    return _Source(_b, {**_fields(_b, ("road", "house_no", "name", "building_code", "use", "floors", "units")),
                        "households": _counted(_h, _h.c.building_id, _b.c.id),
                        "residents": _counted(_rs, _rs.c.building_id, _b.c.id),
                        "floating": (select(func.count()).select_from(_rs)
                                     .where(_rs.c.building_id == _b.c.id, _rs.c.archived.is_(False),
                                            _rs.c.population_type == "floating").scalar_subquery()),
                        "grid": _grid(_b.c.org_code)},
                   _b.c.id, _b.c.org_code, (_b.c.archived.is_(False),))


def _residents() -> _Source:
    return _Source(_rs, {**_fields(_rs, ("name", "sex")), "age": _rs.c.birth_date,
                         "road": _of(_b.c.road, _b.c.id, _rs.c.building_id),
                         "house_no": _of(_b.c.house_no, _b.c.id, _rs.c.building_id),
                         **_fields(_rs, ("room_no", "population_type", "residence_reason", "moved_in_on", "phone")),
                         "grid": _grid(_rs.c.org_code)},
                   _rs.c.id, _rs.c.org_code, (_rs.c.archived.is_(False),))
def _care_waitlist() -> _Source:
    # the rank and the place are the rules in force applied in SQL (caseapp.services.waitlist)
    return _Source(_ca, {"queue_position": waitlist.position_sql(_ca), "name": _of(_m.c.name, _m.c.id, _ca.c.member_id),
                         "age": _of(_m.c.birth_date, _m.c.id, _ca.c.member_id),
                         **_fields(_ca, ("facility_type", "facility_name", "status")),
                         "priority_rank": waitlist.rank_sql(_ca),
                         **_fields(_ca, ("priorities", "capacity_level", "applied_on", "queued_on", "offers",
                                         "offered_on")),
                         "community": _community(_ca.c.org_code), "grid": _grid(_ca.c.org_code)},
                   _ca.c.id, _ca.c.org_code, (_ca.c.archived.is_(False),),
                   any_of={"priorities": lambda codes: or_(*(waitlist.has_code(_ca.c.priorities, c) for c in codes))})


def _col(entity: str, name: str, kind: Kind = "text", codes: str | None = None) -> Column:
    return Column(name, entity, name, kind, codes)


def _coded(entity: str, name: str) -> Column:
    """A field whose values are codes or workflow states, as its facts say."""
    from caseapp.domain import ENTITIES
    from caseapp.domain.fields import all_facts

    cls = ENTITIES[entity]
    facts = all_facts(cls)[name]
    machine = facts.states or (entity if name == cls.state_field else None)
    if machine:
        return Column(name, entity, name, "state", machine)
    return Column(name, entity, name, "code", facts.codes)


_COMMUNITY = Column("community", None, "community", "community")
_GRID = Column("grid", None, "grid", "grid")

LISTS: dict[str, ListSpec] = {spec.name: spec for spec in (
    ListSpec("households", "household", (
        _col("household", "head_name"), _col("household", "address"), _COMMUNITY, _GRID,
        _col("household", "phone"), Column("household_size", None, "household_size", "int"),
        Column("categories", "assistance_case", "category", "codes", "assistance_category"),
        Column("states", "assistance_case", "status", "pairs", "assistance_case"),
    ), _households, choices=("categories", "states"), default_sort=("", True)),
    ListSpec("elders", "elder_profile", (
        _col("member", "name"), Column("age", None, "age", "age"), _col("household", "address"),
        _COMMUNITY, _GRID, _coded("elder_profile", "living_arrangement"), _coded("elder_profile", "capacity_level"),
        _coded("elder_profile", "risk_tier"), _coded("elder_profile", "entitlement"),
        Column("last_visit", None, "last_visit", "datetime"),
    ), _elders, choices=("risk_tier", "living_arrangement", "capacity_level", "entitlement"), text=("name", "address"),
        date="last_visit", default_sort=("", True)),
    ListSpec("cases", "assistance_case", (
        _col("household", "head_name"), _COMMUNITY, _coded("assistance_case", "category"),
        _coded("assistance_case", "status"), _col("assistance_case", "people_covered", "int"),
        _col("assistance_case", "monthly_amount", "money"), _col("assistance_case", "applied_on", "date"),
        _col("assistance_case", "approved_on", "date"), _col("assistance_case", "next_review_date", "date"),
        _col("assistance_case", "certificate_no"),
    ), _cases, choices=("category", "status"), text=("head_name", "certificate_no"), date="next_review_date",
        default_sort=("next_review_date", False), due=True),
    ListSpec("grid_events", "grid_event", (
        _col("grid_event", "occurred_at", "datetime"), _col("grid_event", "title"), _coded("grid_event", "category"),
        _coded("grid_event", "scale"), _coded("grid_event", "status"), _coded("grid_event", "source"),
        _col("grid_event", "place"), _col("grid_event", "deadline", "datetime"), _GRID,
    ), _events, choices=("status", "category", "scale", "source"), text=("title", "place"), date="occurred_at",
        default_sort=("occurred_at", True)),
    ListSpec("patrol_logs", "patrol_log", (
        _col("patrol_log", "started_at", "datetime"), _col("patrol_log", "ended_at", "datetime"),
        _col("patrol_log", "places_checked"), _col("patrol_log", "problems"), _col("patrol_log", "author"), _GRID,
    ), _patrols, text=("places_checked", "problems"), date="started_at", default_sort=("started_at", True)),
    ListSpec("disaster_reports", "disaster_report", (
        _coded("disaster_report", "stage"), _coded("disaster_report", "disaster_type"),
        _col("disaster_report", "occurred_at", "datetime"), _col("disaster_report", "reported_at", "datetime"),
        _col("disaster_report", "place"), _col("disaster_report", "affected", "int"),
        _col("disaster_report", "relocated", "int"), _col("disaster_report", "direct_loss", "money"),
        _col("disaster_report", "reporter"), _COMMUNITY,
    ), _disasters, choices=("stage", "disaster_type"), text=("place", "reporter"), date="reported_at",
        default_sort=("reported_at", True)),
    ListSpec("referrals", "referral", (
        _col("referral", "client_name"), _col("referral", "from_org"), _col("referral", "to_org"),
        _coded("referral", "urgency"), _coded("referral", "status"), _col("referral", "sent_at", "datetime"),
    ), _referrals, choices=("status", "urgency"), text=("client_name", "from_org", "to_org"), date="sent_at",
        default_sort=("", True)),
    ListSpec("referral_inbox", "referral", (
        _col("referral", "client_name"), _col("referral", "from_org"), _coded("referral", "urgency"),
        _coded("referral", "status"), _col("referral", "sent_at", "datetime"),
    ), _referral_inbox, choices=("status", "urgency"), text=("client_name", "from_org"), date="sent_at",
        default_sort=("sent_at", True)),
    ListSpec("visits", "care_visit", (
        _col("care_visit", "visited_at", "datetime"), _col("member", "name"), _coded("care_visit", "method"),
        _col("care_visit", "visitors"), _coded("care_visit", "risk_change"), _coded("care_visit", "outcome"), _GRID,
    ), _visits, choices=("method", "risk_change", "outcome"), text=("name", "visitors"), date="visited_at",
        default_sort=("visited_at", True)),
    ListSpec("appraisals", "appraisal", (
        _col("appraisal", "held_on", "date"), _col("household", "head_name"), _coded("assistance_case", "category"),
        _col("appraisal", "place"), _col("appraisal", "panel_size", "int"), _col("appraisal", "present", "int"),
        _col("appraisal", "votes_for", "int"), _col("appraisal", "votes_against", "int"),
        _coded("appraisal", "result"), _COMMUNITY,
    ), _appraisals, choices=("result", "category"), text=("head_name", "place"), date="held_on",
        default_sort=("held_on", True)),
    ListSpec("public_notices", "public_notice", (
        _col("public_notice", "started_on", "date"), _col("public_notice", "ends_on", "date"),
        _col("household", "head_name"), _coded("assistance_case", "category"), _coded("public_notice", "kind"),
        _col("public_notice", "place"), _col("public_notice", "objections"), _COMMUNITY,
    ), _notices, choices=("kind", "category"), text=("head_name", "place", "objections"), date="started_on",
        default_sort=("started_on", True)),
    ListSpec("children", "child_profile", (
        _col("member", "name"), Column("age", None, "age", "age"), _COMMUNITY, _GRID,
        _coded("child_profile", "category"), _col("child_profile", "guardian_name"),
        _coded("child_profile", "guardianship"), _coded("child_profile", "living_situation"),
        _coded("child_profile", "risk_tier"), Column("last_visit", None, "last_visit", "datetime"),
    ), _children, choices=("category", "risk_tier", "guardianship", "living_situation"),
        text=("name", "guardian_name"), date="last_visit", default_sort=("", True)),
    ListSpec("child_visits", "child_visit", (
        _col("child_visit", "visited_at", "datetime"), _col("member", "name"), _coded("child_visit", "method"),
        _col("child_visit", "visitors"), _coded("child_visit", "risk"), _GRID,
    ), _child_visits, choices=("method", "risk"), text=("name", "visitors"), date="visited_at",
        default_sort=("visited_at", True)),
    ListSpec("veterans", "veteran_profile", (
        _col("member", "name"), Column("age", None, "age", "age"), _COMMUNITY, _GRID,
        _coded("veteran_profile", "category"), _coded("veteran_profile", "disability_grade"),
        _col("veteran_profile", "certificate_no"), _col("veteran_profile", "monthly_allowance", "money"),
        _col("veteran_profile", "allowance_from", "date"), Column("last_visit", None, "last_visit", "datetime"),
    ), _veterans, choices=("category", "disability_grade"), text=("name", "certificate_no"), date="last_visit",
        default_sort=("", True)),
    ListSpec("veteran_visits", "veteran_visit", (
        _col("veteran_visit", "visited_at", "datetime"), _col("member", "name"), _coded("veteran_visit", "occasion"),
        _coded("veteran_visit", "method"), _col("veteran_visit", "visitors"),
        _col("veteran_visit", "support_amount", "money"), _GRID,
    ), _veteran_visits, choices=("occasion", "method"), text=("name", "visitors"), date="visited_at",
        default_sort=("visited_at", True)),
    ListSpec("emergency_calls", "emergency_call", (
        _col("emergency_call", "called_at", "datetime"), _col("member", "name"),
        _coded("emergency_call", "call_type"), _coded("emergency_call", "status"),
        _col("emergency_call", "dispatched_to"), _coded("emergency_call", "outcome"),
        _col("emergency_call", "resolved_at", "datetime"), _GRID,
    ), _calls, choices=("status", "call_type", "outcome"), text=("name", "dispatched_to"), date="called_at",
        default_sort=("called_at", True)),
    ListSpec("buildings", "building", (
        _col("building", "road"), _col("building", "house_no"), _col("building", "name"),
        Column("households", None, "households", "int"), Column("residents", None, "residents", "int"),
        Column("floating", None, "floating", "int"), _coded("building", "use"), _col("building", "floors", "int"),
        _col("building", "units", "int"), _col("building", "building_code"), _GRID,
    ), _buildings, choices=("use",), text=("road", "house_no", "name", "building_code"), default_sort=("", True)),
    ListSpec("residents", "resident", (
        _col("resident", "name"), _coded("resident", "sex"),
        Column("age", None, "age", "age"), _col("building", "road"), _col("building", "house_no"),
        _col("resident", "room_no"), _coded("resident", "population_type"), _coded("resident", "residence_reason"),
        _col("resident", "moved_in_on", "date"), _col("resident", "phone"), _GRID,
    ), _residents, choices=("population_type", "residence_reason", "sex"), text=("name", "road", "room_no"),
        date="moved_in_on", default_sort=("", True)),
    ListSpec("care_waitlist", "care_application", (
        Column("queue_position", None, "queue_position", "int"), _col("member", "name"),
        Column("age", None, "age", "age"), _coded("care_application", "facility_type"),
        _col("care_application", "facility_name"), _coded("care_application", "status"),
        Column("priority_rank", None, "priority_rank", "int"),
        Column("priorities", "care_application", "priorities", "codes", "care_priority"),
        _coded("care_application", "capacity_level"), _col("care_application", "applied_on", "date"),
        _col("care_application", "queued_on", "date"), _col("care_application", "offers", "int"),
        _col("care_application", "offered_on", "date"), _COMMUNITY, _GRID,
    ), _care_waitlist, choices=("status", "facility_type", "priorities"),
        text=("name", "facility_name"), date="applied_on", default_sort=("queue_position", False)),
)}


def choice_options(spec: ListSpec, key: str, lang: str = "zh") -> list[tuple[str, str]]:
    """(code, name) of what a choice filter offers, in the dictionary's or the workflow's order."""
    column = spec.column(key)
    if column.kind in ("state", "pairs"):
        machine = workflows.machine_for(column.codes or "")
        states = machine.states if machine is not None else []
        return [(s, display.state_name(column.codes or "", s, lang)) for s in states]
    codes = column.codes or ""
    return [(code, display.code_name(codes, code, lang)) for code in refdata.dictionary(codes)]


# --- querying -------------------------------------------------------------------------------------

def period_bounds(period: str, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """[first, last] days of a named period (either end may be open)."""
    if period == "today":
        return today, today
    if period == "week":  # Monday to Sunday, as offices plan their week
        monday = today - dt.timedelta(days=today.weekday())
        return monday, monday + dt.timedelta(days=6)
    if period == "month":
        first = today.replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        return first, following - dt.timedelta(days=1)
    if period == "last_30_days":
        return today - dt.timedelta(days=30), today
    if period == "next_30_days":
        return today, today + dt.timedelta(days=30)
    if period == "due_today":  # due today or before (overdue ones are due too)
        return None, today
    if period == "due_week":
        return None, today + dt.timedelta(days=6 - today.weekday())
    if period == "due_30_days":  # overdue ones included: they are due too
        return None, today + dt.timedelta(days=30)
    if period == "overdue":
        return None, today - dt.timedelta(days=1)
    return None, None


def _day_bounds(kind: Kind, first: dt.date | None, last: dt.date | None) -> tuple[Any, Any]:
    """Bounds to compare the column with: days for a date column; for a time column the start of
    the first local day and the start of the day after the last (times are stored in UTC)."""
    if kind == "date":
        return first, last

    def start(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time()).astimezone()

    return (start(first) if first else None, start(last + dt.timedelta(days=1)) if last else None)


def _conditions(spec: ListSpec, src: _Source, flt: ListFilter, today: dt.date) -> list[ColumnElement[bool]]:
    where = list(src.where)
    if flt.scope is not None:
        if not flt.scope:
            where.append(literal(False))
        else:
            where.append(or_(*(func.substr(src.org, 1, len(code)) == code for code in flt.scope)))
    chosen = {k: v for k, v in flt.choices.items() if v and k in src.exprs}
    if src.both is not None and chosen.get("categories") and chosen.get("states"):
        where.append(src.both(chosen.pop("categories"), chosen.pop("states")))
    for key, codes in chosen.items():
        if key in src.any_of:
            where.append(src.any_of[key](codes))
        else:
            where.append(src.exprs[key].in_(codes))
    text = flt.text.strip()
    if text and spec.name == "households":
        where.append(_h.c.id.in_(_search_ids(text)))
    elif text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append(or_(*(src.exprs[k].like(pattern, escape="\\") for k in spec.text)))
    if flt.period and spec.date:
        first, last = period_bounds(flt.period, today)
        low, high = _day_bounds(spec.column(spec.date).kind, first, last)
        expr = src.exprs[spec.date]
        if low is not None:
            where.append(expr >= low)
        if high is not None:
            where.append(expr <= high if spec.column(spec.date).kind == "date" else expr < high)
    return where


def _search_ids(text: str) -> Select[Any]:
    """Ids of the households the search box finds for ``text`` (every key range its plan reads)."""
    k, sh = search.ix.SearchKey.__table__, search.ix.SearchHousehold.__table__
    ranges = [and_(k.c.key >= low, k.c.key < high) for low, high in (step.bounds() for step in search.plan(text))]
    return (select(sh.c.household_id).select_from(k.join(sh, sh.c.num == k.c.household_num))
            .where(or_(*ranges) if ranges else literal(False)))


def _sort_key(spec: ListSpec, flt: ListFilter) -> tuple[str, bool]:
    return (flt.sort, flt.descending) if flt.sort else spec.default_sort


def _from(spec: ListSpec, src: _Source, flt: ListFilter) -> tuple[FromClause, ColumnElement[Any] | None]:
    """The FROM clause of a sorted query, and the value it sorts by when that is joined in."""
    key, _descending = _sort_key(spec, flt)
    if key in src.sort_by:
        return src.sort_by[key](src.froms, flt)
    return src.froms, None


def _ordered(spec: ListSpec, src: _Source, flt: ListFilter,
             joined: ColumnElement[Any] | None = None) -> list[ColumnElement[Any]]:
    key, descending = _sort_key(spec, flt)
    order: list[ColumnElement[Any]] = []
    if key and key in src.exprs:
        expr = joined if joined is not None else src.exprs[key]
        if spec.column(key).kind == "age":  # older is an earlier birth date
            descending = not descending
        # empty values last whichever way (a phone number nobody has told us is not "first"); a
        # time or a number is never "", and ordering it plainly lets an index on it give the order
        if joined is not None and key in ("head_name", "community", "grid"):
            # never empty (the unnamed sort after Z): a plain order an index can give
            order.append(expr.desc() if descending else expr.asc())
        elif spec.column(key).kind in ("text", "codes", "pairs", "code", "community", "grid"):
            order.append(case((expr.is_(None), 1), (type_coerce(expr, String) == "", 1), else_=0))
            order.append(expr.desc() if descending else expr.asc())
        else:
            order.append(expr.desc().nulls_last() if descending else expr.asc().nulls_last())
    # then newest first: ids are UUIDv7, and a total order keeps pages from overlapping
    order.append(src.id.desc() if descending or not key else src.id.asc())
    return order


def _select(spec: ListSpec, src: _Source, flt: ListFilter, today: dt.date,
            froms: FromClause | None = None) -> Select[Any]:
    columns = [src.id.label("_id"), src.org.label("_org"), *(src.exprs[k].label(k) for k in spec.column_keys())]
    return select(*columns).select_from(froms if froms is not None else src.froms).where(
        *_conditions(spec, src, flt, today))


def page(db: Session, name: str, flt: ListFilter, *, offset: int = 0, limit: int = 50,
         today: dt.date | None = None) -> list[Row]:
    """One page of a list, filtered and sorted in SQL."""
    # Two steps: the ids of the page in order (only what filters and sorts is computed, for every
    # row), then the page's columns for those ids. In one query SQLite computes every column of
    # every row before its sort, a household's size and cases 50,000 times for one page.
    ids = all_ids(db, name, flt, today=today, limit=limit, offset=offset)
    return rows_by_id(db, name, ids)


def rows_by_id(db: Session, name: str, ids: Sequence[str]) -> list[Row]:
    """The list's columns for these records, in the order given (a ranked search's page)."""
    if not ids:
        return []
    spec = LISTS[name]
    src = spec.source()
    query = _select(spec, src, ListFilter(), dt.date.today()).where(src.id.in_(list(ids)))
    found = {r["_id"]: Row(r["_id"], r["_org"], {k: r[k] for k in spec.column_keys()})
             for r in db.execute(query).mappings().all()}
    return [found[i] for i in ids if i in found]


def count(db: Session, name: str, flt: ListFilter, *, today: dt.date | None = None) -> int:
    spec = LISTS[name]
    src = spec.source()
    query = (select(func.count()).select_from(src.froms)
             .where(*_conditions(spec, src, flt, today or dt.date.today())))
    return int(db.scalar(query) or 0)


def all_ids(db: Session, name: str, flt: ListFilter, *, today: dt.date | None = None,
            limit: int | None = None, offset: int = 0) -> list[str]:
    """Every id the list shows, in its order (to print or export what is on screen)."""
    spec = LISTS[name]
    src = spec.source()
    froms, joined = _from(spec, src, flt)
    query = (select(src.id).select_from(froms).where(*_conditions(spec, src, flt, today or dt.date.today()))
             .order_by(*_ordered(spec, src, flt, joined)))
    if limit is not None and limit >= 0:
        query = query.limit(limit).offset(offset)
    elif offset:
        query = query.offset(offset)
    return list(db.scalars(query))


def all_rows(db: Session, name: str, flt: ListFilter, *, today: dt.date | None = None) -> list[Row]:
    """Every row the list shows, in its order (what an export of the screen holds)."""
    ids = all_ids(db, name, flt, today=today)
    found: list[Row] = []
    for start in range(0, len(ids), 500):
        found += rows_by_id(db, name, ids[start:start + 500])
    return found


# --- how cells read ---------------------------------------------------------------------------------

def org_names(db: Session, codes: Iterable[str]) -> dict[str, str]:
    """Names of org units: grids from the workspace's org units (they have no national code),
    communities and above from the division reference data."""
    wanted = {c for c in codes if c}
    names: dict[str, str] = {}
    if wanted:
        for code, unit in db.execute(select(_o.c.code, _o.c.name).where(_o.c.code.in_(sorted(wanted)))):
            names[code] = unit
    for code in wanted - names.keys():
        found = refdata.division(code)
        names[code] = found.name if found else code
    return names


def cell_text(column: Column, value: Any, lang: str = "zh", *, names: Mapping[str, str] | None = None,
              today: dt.date | None = None) -> str:
    """A cell as a person reads it (codes by name, states as the workflow calls them)."""
    if value is None or value == "":
        return ""
    sep = "、" if lang == "zh" else ", "
    if column.kind in ("community", "grid"):
        return (names or {}).get(str(value), str(value))
    if column.kind == "codes":
        return sep.join(display.code_name(column.codes or "", c, lang) for c in _distinct(str(value)))
    if column.kind == "pairs":
        colon = "：" if lang == "zh" else ": "
        pairs = _distinct(str(value))
        if len(pairs) == 1:  # one case: its category is the column before
            return display.state_name(column.codes or "", pairs[0].partition(":")[2], lang)
        parts = []
        for pair in pairs:
            category, _sep, state = pair.partition(":")
            parts.append(f"{display.code_name('assistance_category', category, lang)}{colon}"
                         f"{display.state_name(column.codes or '', state, lang)}")
        return ("；" if lang == "zh" else "; ").join(parts)
    if column.kind == "state":
        return display.state_name(column.codes or "", str(value), lang)
    if column.kind == "code":
        return display.code_name(column.codes or "", str(value), lang)
    if column.kind == "age":
        born = _as_date(value)
        if born is None:
            return str(value)
        day = today or dt.date.today()
        return str(day.year - born.year - ((day.month, day.day) < (born.month, born.day)))
    if column.kind == "datetime":
        moment = _as_datetime(value)
        return display.local_time(moment) if moment else str(value)
    if column.kind == "date":
        found = _as_date(value)
        return found.isoformat() if found else str(value)
    if column.kind == "money":
        return f"{Decimal(str(value)):,.2f}"
    return str(value)


def org_codes_of(spec: ListSpec, rows: Sequence[Row]) -> set[str]:
    """The community and grid codes a page of rows shows (to look their names up once)."""
    keys = [c.key for c in spec.columns if c.kind in ("community", "grid")]
    return {str(r.values[k]) for r in rows for k in keys if r.values.get(k)}


def _distinct(text: str) -> list[str]:
    return list(dict.fromkeys(part for part in text.split(",") if part))


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _as_datetime(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    from caseapp.domain.types import parse_datetime

    try:
        return parse_datetime(str(value))
    except ValueError:
        return None


def units_in_reach(db: Session) -> list[tuple[str, str, str]]:
    """(code, name, level) of every org unit on this device: those the user may scope a list to
    (the device holds only what the user's scope lets it sync)."""
    rows = db.execute(select(_o.c.code, _o.c.name, _o.c.level).where(_o.c.archived.is_(False))
                      .order_by(_o.c.code)).all()
    return [(code, name, level) for code, name, level in rows]
