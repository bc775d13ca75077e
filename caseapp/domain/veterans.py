"""Veterans and families entitled to preferential care (优抚对象): the entitlement with its monthly
抚恤补助 and certificate, and the visits and holiday calls (走访慰问) made to them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped

from caseapp.domain import visits
from caseapp.domain.base import Record, register
from caseapp.domain.fields import TEXT, field
from caseapp.domain.types import IsoDate, Money
from caseapp.errors import ValidationError
from caseapp.validation.rules import PAST

#: the category whose entitlement depends on a disability grade (残疾等级, 一级 … 十级)
DISABLED = "disabled_soldier"


@register
class VeteranProfile(Record):
    """A household member entitled to preferential care (优抚对象): the category (残疾军人, 烈士遗属,
    在乡复员军人, 带病回乡退伍军人 …), a disabled serviceman's grade, the certificate, and the
    pension or allowance paid every month (抚恤补助)."""

    __tablename__ = "veteran_profiles"
    entity = "veteran_profile"
    label = ("优抚对象档案", "Preferential-care file")
    summary = ("category", "monthly_allowance")
    parent = ("household_id", "household")

    household_id: Mapped[str] = field(
        ForeignKey("households.id"),
        index=True,
        label=("所属家庭", "Household"),
        help="The household the person lives in.",
    )
    member_id: Mapped[str] = field(
        ForeignKey("members.id"),
        index=True,
        label=("优抚对象（家庭成员）", "Entitled person (household member)"),
        help="The household member entitled to preferential care.",
    )
    category: Mapped[str] = field(
        String(24),
        label=("优抚类别", "Category"),
        codes="youfu_category",
        personal=True,
        help="Why the person is entitled: disabled ex-serviceman, a martyr's family, demobilised serviceman at "
        "home, veteran who came home ill …",
    )
    disability_grade: Mapped[str | None] = field(
        String(2),
        default=None,
        label=("残疾等级", "Disability grade"),
        codes="youfu_disability_grade",
        personal=True,
        help="A disabled serviceman's grade (一级 … 十级); required for that category, and only for it.",
    )
    certificate_no: Mapped[str] = field(
        String(40),
        default="",
        label=("优抚证件号码", "Certificate number"),
        required=True,
        personal=True,
        help="Number of the certificate (残疾军人证, 烈士证明书, 优待证 …).",
    )
    monthly_allowance: Mapped[Decimal] = field(
        Money,
        default=Decimal("0"),
        label=("月抚恤补助金额（元）", "Monthly pension or allowance (yuan)"),
        personal=True,
        help="The 抚恤金 or 定期生活补助 paid every month, in yuan.",
    )
    allowance_from: Mapped[dt.date | None] = field(
        IsoDate,
        default=None,
        label=("享受起始日期", "Paid since"),
        rule=PAST,
        help="Day the monthly payment began.",
    )
    service: Mapped[str] = field(
        String(120),
        default="",
        label=("服役情况", "Service"),
        personal=True,
        help="Years and unit of service (入伍 / 退伍年份, 部队).",
    )
    notes: Mapped[str] = field(
        Text, default="", label=("备注", "Notes"), widget=TEXT, personal=True, help="Free-text remarks."
    )

    @classmethod
    def check(cls, merged: Mapping[str, Any], out: dict[str, Any]) -> list[ValidationError]:
        if merged.get("category") is None:  # a partial check, of stamps alone
            return []
        disabled, grade = merged.get("category") == DISABLED, merged.get("disability_grade")
        if disabled and not grade:
            return [ValidationError("veteran.grade_required", "disability_grade")]
        if grade and not disabled:
            return [ValidationError("veteran.grade_only_disabled", "disability_grade")]
        return []


@register
class VeteranVisit(Record):
    """A visit or holiday call (走访慰问) to a person entitled to preferential care: when, on what
    occasion, who went, what was found, what was given and what has to follow. A fact: never edited."""

    __tablename__ = "veteran_visits"
    entity = "veteran_visit"
    label = ("优抚走访慰问记录", "Preferential-care visit")
    summary = ("visited_at", "occasion")
    insert_only = True
    parent = ("veteran_id", "veteran_profile")

    veteran_id: Mapped[str] = field(
        ForeignKey("veteran_profiles.id"),
        index=True,
        label=("走访对象", "Person visited"),
        help="The preferential-care file of the person visited.",
    )
    visited_at: Mapped[dt.datetime] = visits.visited_at(label=("走访时间", "Visit time"))
    occasion: Mapped[str] = field(
        String(16),
        default="routine",
        label=("走访事由", "Occasion"),
        codes="youfu_visit_occasion",
        help="Routine visit, Spring Festival or Army Day call, in hospital, help in hardship.",
    )
    method: Mapped[str] = visits.method(label=("走访方式", "Visit method"))
    visitors: Mapped[str] = visits.visitors(label=("走访人员", "Visitors"))
    findings: Mapped[str] = visits.findings(
        label=("走访情况", "Findings"), help="How the person is: health, living conditions, needs raised."
    )
    support_amount: Mapped[Decimal] = field(
        Money,
        default=Decimal("0"),
        label=("慰问金（元）", "Gift of money (yuan)"),
        personal=True,
        help="Money given on the visit (慰问金), in yuan; goods are noted under follow-up.",
    )
    follow_up: Mapped[str] = visits.follow_up(
        label=("跟进事项", "Follow-up"), help="Goods given, and what has to be done next, by whom."
    )
