"""The computed amount of an assistance case (核算金额): 补差 against the standard in force, plus the
分类施保 supplements, from the household's income items and members. A 低收入 case is assessed
against its line but paid no 补差 (``RECOGNITION``).

per-person income = the household's monthly income items / people covered;
补差 = max(0, standard − per-person income) × people covered;
supplements = for each of at most ``people covered`` members in a group (elderly, disabled, minor):
the largest percent of the standard among the rules that apply to them.

The subsidies (``PER_MEMBER`` kinds, standards.json's "categories" maps a category to its kind) are a
figure per covered member, not 补差: for each member the figure of the level they fall in, the largest
first, at most ``people covered`` of them; computed = their sum.

- 高龄津贴 (elder_allowance): the level is the age band (``'80-89'``, ``'100-'`` open-ended) the
  member's age on the assessment day falls in; a member younger than every band, or of unknown birth
  date, gets none.
- 残疾人两项补贴 (disability_care): the 重度残疾人护理补贴 of the level equal to the member's disability
  grade (the table gives grades 1 and 2), plus, where the household has an open 低保 or 低收入 case
  (``LIVING_FOR``), the 困难残疾人生活补贴 (disability_living) for each member with a disability grade
  (any grade). A member's figures count together toward the ``people covered``.

The pure functions read plain values (a record's fields, as the device stores them and as the server
holds them), so the device's save and the server's push judge an amount by the same code. A hand-typed
amount that differs from the computed one needs a reason (``amount_reason``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Protocol

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from caseapp.domain import AssistanceCase, Household, IncomeItem, Member
from caseapp.refdata import StandardNotFound, Standards, standards
from caseapp.refdata._standards import Standard, Supplement
from caseapp.services.workflows import ASSISTANCE

CENT = Decimal("0.01")
#: states in which a monthly allowance is paid (caseapp.services.ledgers.IN_PAYMENT)
IN_PAYMENT = ("active", "review_due", "taper")
#: the states a case is closed in (caseapp.services.quality.CLOSED)
FINAL = frozenset(ASSISTANCE.final)


class Table(Protocol):
    """What an assessment reads of a standards table (``Standards``, or one that remembers look-ups)."""

    def kind_for(self, category: str) -> str | None: ...

    def standard_for(self, kind: str, on: dt.date, district: str | None = None, rural: bool = False,
                     level: str | None = None) -> Standard: ...

    def supplements_for(self, category: str, on: dt.date) -> tuple[Supplement, ...]: ...

    def levels_for(self, kind: str) -> tuple[str, ...]: ...


#: kinds of figure paid per covered member (subsidies), not as 补差 against a per-person standard
PER_MEMBER = frozenset({"elder_allowance", "disability_care"})
#: kinds that are a line a household is recognised under (认定标准), not a standard paid up to: a
#: 低收入 (near-低保) household's income is above the 低保 standard and at most the 低收入 line, and it
#: gets targeted help (专项救助, 分类救济), not a monthly 补差. Its case is assessed (per-person income
#: beside the line) for the 分类施保 supplements the table gives its category, if any; computed 0 else.
RECOGNITION = frozenset({"low_income"})
#: the categories whose open case makes a household's disabled members due the 困难残疾人生活补贴
#: (国发〔2015〕52号: 低保家庭中的残疾人; Guangzhou also pays 低收入 households, standards.json notes)
LIVING_FOR = ("dibao", "low_income")
#: the level a living subsidy share is given (its figure has no levels)
LIVING = "living"


@dataclass(frozen=True)
class MemberFacts:
    """What a supplement rule reads of a member."""

    id: str
    name: str
    birth_date: dt.date | None
    disability_grade: str | None


@dataclass(frozen=True)
class Share:
    """One member's 分类施保 supplement, or their subsidy (``level`` set, ``percent`` 0)."""

    member_id: str
    name: str
    group: str
    percent: Decimal
    amount: Decimal
    #: the level of a subsidy figure (an age band, a disability grade); None for a supplement
    level: str | None = None


@dataclass(frozen=True)
class Assessment:
    category: str
    on: dt.date
    standard: Standard
    total_income: Decimal
    covered: int
    per_person_income: Decimal
    base_amount: Decimal
    shares: tuple[Share, ...]
    computed: Decimal

    @property
    def per_member(self) -> bool:
        """A subsidy: the sum of the covered members' figures (``shares``), no 补差."""
        return self.standard.kind in PER_MEMBER

    @property
    def recognition(self) -> bool:
        """Assessed against a line the household is recognised under, paid no 补差 (``RECOGNITION``)."""
        return self.standard.kind in RECOGNITION

    @property
    def above_standard(self) -> bool:
        """The per-person income is above the standard (or line) it is assessed against."""
        return self.covered > 0 and self.per_person_income > self.standard.amount

    @property
    def supplements(self) -> Decimal:
        return sum((s.amount for s in self.shares), Decimal("0"))

    def differs(self, amount: Decimal) -> bool:
        """Whether a typed monthly amount is not the computed one (to the fen)."""
        return money(amount) != self.computed


def money(value: Any) -> Decimal:
    """A stored amount (Decimal, number or decimal text) as yuan to the fen; anything else is 0."""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value if value is not None else "0"))
    except InvalidOperation:
        return Decimal("0")
    return number.quantize(CENT, ROUND_HALF_UP) if number.is_finite() else Decimal("0")


def age_on(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _applies(rule: Supplement, member: MemberFacts, on: dt.date) -> bool:
    age = None if member.birth_date is None else age_on(member.birth_date, on)
    if rule.group == "elderly":
        return age is not None and age >= (rule.min_age if rule.min_age is not None else 60)
    if rule.group == "minor":
        return age is not None and age < (rule.max_age if rule.max_age is not None else 18)
    if rule.group == "disabled":
        grade = member.disability_grade
        return bool(grade) and (not rule.grades or grade in rule.grades)
    return False


def assess(category: str, on: dt.date, district: str, rural: bool, covered: int, incomes: Iterable[Decimal],
           members: Sequence[MemberFacts], table: Table | None = None, *,
           means_tested: bool = False) -> Assessment | None:
    """The computed amount of a case, or None where its category is not assessed monthly (临时救助,
    医疗救助) or no standard is in force on ``on``. ``means_tested``: the household has an open case
    of a ``LIVING_FOR`` category."""
    table = table if table is not None else standards()
    kind = table.kind_for(category)
    if kind is None:
        return None
    if kind in PER_MEMBER:
        return _per_member(category, kind, on, district, rural, covered, incomes, members, table, means_tested)
    try:
        standard = table.standard_for(kind, on, district, rural)
    except StandardNotFound:
        return None
    total = sum((money(i) for i in incomes), Decimal("0"))
    covered = max(0, int(covered))
    if covered == 0:
        return Assessment(category, on, standard, total, 0, total, Decimal("0"), (), Decimal("0"))
    per_person = (total / covered).quantize(CENT, ROUND_HALF_UP)
    base = Decimal("0") if kind in RECOGNITION else max(Decimal("0"), standard.amount - per_person) * covered
    rules = table.supplements_for(category, on)
    shares: list[Share] = []
    for member in members:
        best: Supplement | None = None
        for rule in rules:
            if _applies(rule, member, on) and (best is None or rule.percent > best.percent):
                best = rule
        if best is not None:
            amount = (standard.amount * best.percent / 100).quantize(CENT, ROUND_HALF_UP)
            shares.append(Share(member.id, member.name, best.group, best.percent, amount))
    # Only covered members are supplemented: where fewer are covered than qualify, the largest shares.
    shares.sort(key=lambda s: (-s.amount, s.member_id))
    kept = tuple(shares[:covered])
    computed = (base + sum((s.amount for s in kept), Decimal("0"))).quantize(CENT, ROUND_HALF_UP)
    return Assessment(category, on, standard, total, covered, per_person, base.quantize(CENT), kept, computed)


def band(level: str) -> tuple[int, int | None] | None:
    """An age band level as (first age, last age or None: open-ended): '80-89', '100-'; None if not one."""
    low, dash, high = level.partition("-")
    if not dash or not low.isdigit() or not (high.isdigit() or high == ""):
        return None
    return int(low), int(high) if high else None


def member_level(kind: str, member: MemberFacts, on: dt.date, levels: Sequence[str]) -> str | None:
    """The level of a ``PER_MEMBER`` kind a member falls in on ``on`` (module docstring), or None."""
    if kind == "elder_allowance":
        if member.birth_date is None:
            return None
        age = age_on(member.birth_date, on)
        for level in levels:
            span = band(level)
            if span is not None and span[0] <= age and (span[1] is None or age <= span[1]):
                return level
        return None
    if kind == "disability_care":
        return member.disability_grade if member.disability_grade in levels else None
    return None


_GROUP = {"elder_allowance": "elderly", "disability_care": "disabled"}


def _living(kind: str, on: dt.date, district: str, rural: bool, table: Table, means_tested: bool) -> Standard | None:
    """The 困难残疾人生活补贴 figure a disabled member of this household is due with ``kind``, if any."""
    if kind != "disability_care" or not means_tested:
        return None
    try:
        return table.standard_for("disability_living", on, district, rural)
    except StandardNotFound:
        return None


def _per_member(category: str, kind: str, on: dt.date, district: str, rural: bool, covered: int,
                incomes: Iterable[Decimal], members: Sequence[MemberFacts], table: Table,
                means_tested: bool = False) -> Assessment | None:
    """A subsidy's assessment (module docstring): None where no figure of ``kind`` is in force."""
    levels = table.levels_for(kind)
    figures: dict[str, Standard] = {}
    for level in levels:
        try:
            figures[level] = table.standard_for(kind, on, district, rural, level)
        except StandardNotFound:
            continue
    living = _living(kind, on, district, rural, table, means_tested)
    # the case's "standard": the figure of the first level in force (the lowest age band, grade 1)
    if figures:
        standard = figures[min(figures, key=lambda lv: ((band(lv) or (0, None))[0], lv))]
    elif living is not None:
        standard = living
    else:
        return None
    total = sum((money(i) for i in incomes), Decimal("0"))
    covered = max(0, int(covered))
    owed: dict[str, list[Share]] = {}
    for member in members:
        tier = member_level(kind, member, on, tuple(figures))
        if tier is not None:
            owed.setdefault(member.id, []).append(Share(member.id, member.name, _GROUP[kind], Decimal("0"),
                                                        money(figures[tier].amount), tier))
        if living is not None and member.disability_grade:
            owed.setdefault(member.id, []).append(Share(member.id, member.name, _GROUP[kind], Decimal("0"),
                                                        money(living.amount), LIVING))
    # at most ``covered`` members, those owed most first; each member's figures together
    ranked = sorted(owed.values(), key=lambda mine: (-sum(s.amount for s in mine), mine[0].member_id))
    kept = tuple(share for mine in ranked[:covered] for share in mine)
    computed = sum((s.amount for s in kept), Decimal("0")).quantize(CENT, ROUND_HALF_UP)
    return Assessment(category, on, standard, total, covered, total if covered == 0 else
                      (total / covered).quantize(CENT, ROUND_HALF_UP), Decimal("0.00"), kept, computed)


# --- over stored values (the device's records or the server's JSON) ------------------------------

def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _born(values: Mapping[str, Any]) -> dt.date | None:
    own = _date(values.get("birth_date"))
    if own is not None:
        return own
    number = str(values.get("id_number") or "")
    if len(number) == 18:
        return _date(f"{number[6:10]}-{number[10:12]}-{number[12:14]}")
    return None


def case_day(case: Mapping[str, Any], today: dt.date) -> dt.date:
    """The day a case is assessed on: today for a case in payment (the standard it is paid against
    now), else its approval or application date."""
    if case.get("status") in IN_PAYMENT:
        return today
    return _date(case.get("approved_on")) or _date(case.get("applied_on")) or today


def means_tested(cases: Iterable[Mapping[str, Any]]) -> bool:
    """Does one of a household's cases, open (not archived, not in a final state), make its disabled
    members due the 困难残疾人生活补贴 (``LIVING_FOR``)?"""
    return any(c.get("category") in LIVING_FOR and not c.get("archived") and c.get("status") not in FINAL
               for c in cases)


def assess_values(case: Mapping[str, Any], members: Sequence[Mapping[str, Any]],
                  incomes: Sequence[Mapping[str, Any]], today: dt.date,
                  table: Table | None = None, on: dt.date | None = None,
                  cases: Iterable[Mapping[str, Any]] = ()) -> Assessment | None:
    """``assess`` over stored values: the case, its household's members (those archived or gone are
    left out, with their income), the income items of its members and the household's cases."""
    current = [m for m in members if not m.get("archived") and (m.get("status") or "present") == "present"]
    ids = {str(m.get("id")) for m in current}
    facts = [MemberFacts(str(m.get("id")), str(m.get("name") or ""), _born(m),
                         str(m.get("disability_grade") or "") or None) for m in current]
    amounts = [money(i.get("monthly_amount")) for i in incomes
               if not i.get("archived") and str(i.get("member_id")) in ids]
    return assess(str(case.get("category") or ""), on or case_day(case, today), str(case.get("org_code") or ""),
                  bool(case.get("rural")), int(case.get("people_covered") or 0), amounts, facts, table,
                  means_tested=means_tested(cases))


def needs_reason(case: Mapping[str, Any], result: Assessment | None) -> bool:
    """A typed monthly amount (not zero: not yet set) that differs from the computed one, without a reason."""
    if result is None or case.get("archived"):
        return False
    amount = money(case.get("monthly_amount"))
    return amount != 0 and result.differs(amount) and not str(case.get("amount_reason") or "").strip()


def _values(record: Any) -> dict[str, Any]:
    return dict(record.values())


def assess_case(session: Session, case: AssistanceCase, today: dt.date | None = None,
                table: Standards | None = None, on: dt.date | None = None) -> Assessment | None:
    """The computed amount of a stored case, from its household's members and income items as stored."""
    members = session.scalars(select(Member).where(Member.household_id == case.household_id)).all()
    ids = [m.id for m in members]
    incomes = session.scalars(select(IncomeItem).where(IncomeItem.member_id.in_(ids))).all() if ids else []
    values = _values(case)
    if not values.get("org_code"):
        home = session.get(Household, case.household_id)
        values["org_code"] = home.org_code if home is not None else ""
    cases = session.scalars(select(AssistanceCase).where(AssistanceCase.household_id == case.household_id)).all()
    return assess_values(values, [_values(m) for m in members], [_values(i) for i in incomes],
                         today or dt.date.today(), table, on, [_values(c) for c in cases])


# --- many stored cases at once (the data-quality page, the re-assessment list) -------------------

#: what ``assess_values`` and ``needs_reason`` read of a case, as stored (the household's org code
#: where the case has none, as ``assess_case``); members and income items as ``assess_values`` keeps
#: them (present, not archived: it filters them again, so this only reads less)
_CASES = """
    SELECT c.id, c.household_id, c.category, c.status, c.applied_on, c.approved_on, c.people_covered,
           c.monthly_amount, c.amount_reason, c.rural, c.archived, h.head_name,
           COALESCE(NULLIF(c.org_code, ''), h.org_code, '') AS org_code
    FROM assistance_cases c JOIN households h ON h.id = c.household_id
    WHERE c.id IN (SELECT value FROM json_each(:ids))
    """
_MEMBERS = """
    SELECT m.id, m.household_id, m.name, m.birth_date, m.id_number, m.disability_grade, m.status, m.archived
    FROM members m
    WHERE m.household_id IN (SELECT value FROM json_each(:ids)) AND m.archived = 0
      AND COALESCE(NULLIF(m.status, ''), 'present') = 'present'
    """
_INCOMES = """
    SELECT m.household_id, i.member_id, i.monthly_amount, i.archived
    FROM members m JOIN income_items i ON i.member_id = m.id
    WHERE m.household_id IN (SELECT value FROM json_each(:ids)) AND m.archived = 0 AND i.archived = 0
    """
_HOME_CASES = """
    SELECT c.household_id, c.category, c.status, c.archived
    FROM assistance_cases c
    WHERE c.household_id IN (SELECT value FROM json_each(:ids)) AND c.archived = 0
    """
@dataclass(frozen=True)
class Assessed:
    """A stored case's values (as ``assess_values`` reads them) and its assessment."""

    case: Mapping[str, Any]
    result: Assessment | None

    @property
    def needs_reason(self) -> bool:
        return needs_reason(self.case, self.result)


@dataclass(frozen=True)
class Stored:
    """Stored cases with their households' members and income items, as plain values, read in a few
    queries (``fetch``): what ``assess_values`` needs to judge each, under any table or day."""

    cases: Sequence[Mapping[str, Any]]
    members: Mapping[str, Sequence[Mapping[str, Any]]]
    incomes: Mapping[str, Sequence[Mapping[str, Any]]]
    #: each household's cases (category and state: ``means_tested``)
    homes: Mapping[str, Sequence[Mapping[str, Any]]] = field(default_factory=dict)

    def assess(self, today: dt.date, table: Standards | None = None,
               on: dt.date | None = None) -> dict[str, Assessed]:
        """``assess_values`` for each case, by case id. The rule is ``assess_values``'s alone."""
        memo = _Memo(table if table is not None else standards())
        out: dict[str, Assessed] = {}
        for case in self.cases:
            home = str(case["household_id"])
            result = assess_values(case, self.members.get(home, ()), self.incomes.get(home, ()), today, memo, on,
                                   self.homes.get(home, ()))
            out[str(case["id"])] = Assessed(case, result)
        return out


def _rows(session: Session, sql: str, ids: Sequence[str]) -> list[dict[str, Any]]:
    """The rows of ``sql`` for ``ids``, bound as one JSON array (json_each: no limit on their number,
    nothing to bind one by one)."""
    result = session.execute(text(sql), {"ids": json.dumps(list(ids))})
    keys = list(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result]


def fetch(session: Session, case_ids: Sequence[str], table: Table | None = None) -> Stored:
    """The cases ``case_ids``, their households' members, those members' income items and the
    households' cases, in four queries (not four per case, ``assess_case``). Given ``table``, the
    members and income items of cases it does not assess (临时救助, 医疗救助: ``kind_for`` None) are not
    read."""
    cases = _rows(session, _CASES, sorted(set(case_ids)))
    assessed = cases if table is None else [c for c in cases if table.kind_for(str(c["category"] or "")) is not None]
    homes = sorted({str(c["household_id"]) for c in assessed})
    members: dict[str, list[dict[str, Any]]] = {}
    for member in _rows(session, _MEMBERS, homes):
        members.setdefault(str(member["household_id"]), []).append(member)
    incomes: dict[str, list[dict[str, Any]]] = {}
    for item in _rows(session, _INCOMES, homes):
        incomes.setdefault(str(item["household_id"]), []).append(item)
    theirs: dict[str, list[dict[str, Any]]] = {}
    for other in _rows(session, _HOME_CASES, homes):
        theirs.setdefault(str(other["household_id"]), []).append(other)
    return Stored(cases, members, incomes, theirs)


def assess_stored(session: Session, case_ids: Sequence[str], today: dt.date, table: Standards | None = None,
                  on: dt.date | None = None) -> dict[str, Assessed]:
    """``assess_values`` for each of the stored cases ``case_ids``, by case id (``fetch``, then
    ``Stored.assess``)."""
    table = table if table is not None else standards()
    return fetch(session, case_ids, table).assess(today, table, on)


class _Memo:
    """A standards table whose look-ups are remembered (many cases share a district, day and area)."""

    def __init__(self, table: Standards) -> None:
        self._table = table
        self._standard: dict[tuple[Any, ...], Standard | StandardNotFound] = {}
        self._supplements: dict[tuple[str, dt.date], tuple[Supplement, ...]] = {}

    def kind_for(self, category: str) -> str | None:
        return self._table.kind_for(category)

    def standard_for(self, kind: str, on: dt.date, district: str | None = None, rural: bool = False,
                     level: str | None = None) -> Standard:
        key = (kind, on, None if district is None else district[:6], rural, level)
        if key not in self._standard:
            try:
                self._standard[key] = self._table.standard_for(kind, on, district, rural, level)
            except StandardNotFound as missing:
                self._standard[key] = missing
        found = self._standard[key]
        if isinstance(found, StandardNotFound):
            raise found
        return found

    def supplements_for(self, category: str, on: dt.date) -> tuple[Supplement, ...]:
        key = (category, on)
        if key not in self._supplements:
            self._supplements[key] = self._table.supplements_for(category, on)
        return self._supplements[key]

    def levels_for(self, kind: str) -> tuple[str, ...]:
        return self._table.levels_for(kind)
