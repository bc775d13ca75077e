"""The ledgers (台账) civil-affairs offices keep in Excel, built from the workspace's records.

A ledger is plain data here (title, columns, rows of typed values); ``caseapp.services.xlsx``
writes it as a workbook laid out the way these ledgers are printed and filed.

- **救助对象台账**: one row per assistance case in payment (active, review due, tapering): where
  the household is, its head and ID number, people in the household and covered, the household's
  monthly income, the monthly amount, approval date, certificate number and next review.
- **公示名单**: the cases under public notice. Only what the 2021 procedure says a notice may show
  (户主 name, people covered, household income, amount; DOMAIN.md): no ID numbers, addresses,
  phones or illnesses.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseapp import refdata
from caseapp.domain import AssistanceCase, Household, IncomeItem, Member, Record
from caseapp.domain.fields import field_label
from caseapp.domain.households import HEAD
from caseapp.services import display

Kind = Literal["text", "id", "int", "money", "date", "percent", "decimal"]
IN_PAYMENT = ("active", "review_due", "taper")
UNDER_NOTICE = ("public_notice",)


@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind = "text"
    #: a column total at the foot of the ledger
    total: bool = False
    #: the record field it shows (entity, field), if it shows one: its privacy facts apply
    source: tuple[str, str] | None = None
    #: a rate: its total is the ratio of the totals of these two columns (numerator, denominator; 0-based)
    ratio: tuple[int, int] | None = None
    #: a mean: its total is weighted by this column's values (0-based)
    weight: int | None = None


def _field(cls: type[Record], name: str, kind: Kind = "text", *, total: bool = False, prefix: str = "") -> Column:
    """A column showing a field, headed with the field's own label (ledgers are in Chinese)."""
    return Column(prefix + field_label(cls, name, "zh"), kind, total, (cls.entity, name))


@dataclass
class Ledger:
    title: str
    subtitle: str
    columns: Sequence[Column]
    rows: list[list[Any]] = field(default_factory=list)
    #: printed under the table (who compiled it, when, and what it may be used for)
    footer: str = ""


def _area(org_code: str) -> tuple[str, str, str]:
    """District, street/town and community/village names of an org code (grids sit in communities)."""
    names = []
    for length in (6, 9, 12):
        found = refdata.division(org_code[:length]) if len(org_code) >= length else None
        names.append(found.name if found else "")
    return names[0], names[1], names[2]


@dataclass(frozen=True)
class _Household:
    record: Household
    size: int
    income: Decimal
    head_id_number: str


def _households(session: Session, ids: set[str]) -> dict[str, _Household]:
    found: dict[str, _Household] = {}
    id_list = sorted(ids)
    for start in range(0, len(id_list), 500):
        chunk = id_list[start:start + 500]
        homes = {h.id: h for h in session.scalars(select(Household).where(Household.id.in_(chunk)))}
        members: dict[str, list[Member]] = defaultdict(list)
        for m in session.scalars(select(Member).where(Member.household_id.in_(chunk), Member.archived.is_(False))):
            members[m.household_id].append(m)
        income: dict[str, Decimal] = defaultdict(Decimal)
        by_member = {m.id: m.household_id for ms in members.values() for m in ms}
        if by_member:
            for item in session.scalars(select(IncomeItem).where(IncomeItem.member_id.in_(list(by_member)),
                                                                 IncomeItem.archived.is_(False))):
                income[by_member[item.member_id]] += item.monthly_amount
        for hid, home in homes.items():
            people = members.get(hid, [])
            head = next((m for m in people if m.relationship == HEAD), None) or next(
                (m for m in people if m.name == home.head_name), None)
            found[hid] = _Household(home, len(people), income[hid], (head.id_number or "") if head else "")
    return found


def _cases(session: Session, statuses: Sequence[str], org_prefix: str, category: str | None) -> list[AssistanceCase]:
    query = select(AssistanceCase).where(AssistanceCase.archived.is_(False), AssistanceCase.status.in_(statuses))
    if org_prefix:
        query = query.where(AssistanceCase.org_code.startswith(org_prefix, autoescape=True))
    if category:
        query = query.where(AssistanceCase.category == category)
    return list(session.scalars(query.order_by(AssistanceCase.org_code, AssistanceCase.id)))


def _scope_title(org_prefix: str) -> str:
    return refdata.full_name(org_prefix) if org_prefix and refdata.division(org_prefix) else "广州市"


def assistance_ledger(session: Session, *, org_prefix: str = "", category: str | None = None,
                      today: dt.date | None = None, compiled_by: str = "") -> Ledger:
    today = today or dt.date.today()
    what = refdata.label("assistance_category", category) if category else "社会救助对象"
    ledger = Ledger(
        title=f"{_scope_title(org_prefix)}{what}台账",
        subtitle=f"截至 {today:%Y年%m月%d日}",
        columns=[Column("序号", "int"), Column("区"), Column("街道（镇）"), Column("社区（村）"),
                 _field(AssistanceCase, "category"), _field(Household, "head_name"),
                 _field(Member, "id_number", "id", prefix="户主"),
                 Column("家庭人口", "int", total=True), _field(AssistanceCase, "people_covered", "int", total=True),
                 Column("家庭月收入（元）", "money", total=True, source=("income_item", "monthly_amount")),
                 _field(AssistanceCase, "monthly_amount", "money", total=True),
                 _field(AssistanceCase, "approved_on", "date"), _field(AssistanceCase, "certificate_no"),
                 _field(AssistanceCase, "next_review_date", "date"), _field(Household, "address"),
                 _field(Household, "phone"), _field(AssistanceCase, "status")],
        footer=f"制表人：{compiled_by}    制表日期：{today:%Y年%m月%d日}    内部资料，含个人信息，注意保密",
    )
    cases = _cases(session, IN_PAYMENT, org_prefix, category)
    homes = _households(session, {c.household_id for c in cases})
    for n, case in enumerate(cases, start=1):
        home = homes.get(case.household_id)
        district, street, community = _area(case.org_code)
        ledger.rows.append([
            n, district, street, community, refdata.label("assistance_category", case.category),
            home.record.head_name if home else "", home.head_id_number if home else "", home.size if home else 0,
            case.people_covered, home.income if home else Decimal(0), case.monthly_amount, case.approved_on,
            case.certificate_no or "", case.next_review_date, home.record.address if home else "",
            (home.record.phone or "") if home else "", display.state_name("assistance_case", case.status, "zh"),
        ])
    return ledger


def public_notice(session: Session, *, org_prefix: str = "", category: str | None = None,
                  today: dt.date | None = None, compiled_by: str = "") -> Ledger:
    today = today or dt.date.today()
    days = refdata.rules().time_limit("public_notice_days")
    ledger = Ledger(
        title=f"{_scope_title(org_prefix)}社会救助审核对象公示名单",
        subtitle=f"公示期 {days} 天，自 {today:%Y年%m月%d日} 起；如有异议，请向街道（镇）社会救助经办机构反映",
        columns=[Column("序号", "int"), Column("街道（镇）"), Column("社区（村）"),
                 _field(AssistanceCase, "category"), _field(Household, "head_name"),
                 _field(AssistanceCase, "people_covered", "int"),
                 Column("家庭月收入（元）", "money", source=("income_item", "monthly_amount")),
                 _field(AssistanceCase, "monthly_amount", "money", prefix="拟")],
        footer=f"公示单位：{_scope_title(org_prefix)}    {today:%Y年%m月%d日}",
    )
    cases = _cases(session, UNDER_NOTICE, org_prefix, category)
    homes = _households(session, {c.household_id for c in cases})
    for n, case in enumerate(cases, start=1):
        home = homes.get(case.household_id)
        _, street, community = _area(case.org_code)
        ledger.rows.append([n, street, community, refdata.label("assistance_category", case.category),
                            home.record.head_name if home else "", case.people_covered,
                            home.income if home else Decimal(0), case.monthly_amount])
    return ledger


LEDGERS = {"assistance": assistance_ledger, "notice": public_notice}
