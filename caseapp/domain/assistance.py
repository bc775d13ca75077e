"""Social assistance: cases (低保, 特困 …), their periodic reviews, home investigations (入户调查)
and economic verification (核对) records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped

from caseapp.domain.base import Record, register
from caseapp.domain.fields import field
from caseapp.domain.types import IsoDate, Money, UtcDateTime
from caseapp.errors import ValidationError
from caseapp.validation.rules import JSON_OBJECT, LATITUDE, LONGITUDE, MONTH, PAST


@register
class AssistanceCase(Record):
    """A social-assistance case of a household: one application for, and then the running
    entitlement to, 低保, 低收入, 特困供养 (centralised or dispersed), 临时救助, 医疗救助 or
    another category. It follows the application procedure (申请 → 核对 → 入户调查 → 民主评议 →
    初审 → 公示 → 审批) and then dynamic management (在保 → 待复核 → 渐退 / 停保 → 退出)."""

    __tablename__ = "assistance_cases"
    entity = "assistance_case"
    label = ("救助案件", "Assistance case")
    summary = ("category", "status")
    parent = ("household_id", "household")
    state_field = "status"

    household_id: Mapped[str] = field(
        ForeignKey("households.id"),
        index=True,
        label=("所属家庭", "Household"),
        help="The household the record belongs to.",
    )
    category: Mapped[str] = field(
        String(32),
        label=("救助类别", "Assistance category"),
        codes="assistance_category",
        public=True,
        help="Kind of assistance: 低保, 低收入, 特困 (centralised / dispersed), 临时, 医疗, 孤儿 …",
    )
    status: Mapped[str] = field(
        String(24),
        default="applied",
        label=("办理状态", "Case status"),
        help="Current workflow state; changes only through the workflow (see below).",
    )
    applied_on: Mapped[dt.date | None] = field(
        IsoDate, default=None, label=("申请日期", "Application date"), rule=PAST, help="Date the application was made."
    )
    approved_on: Mapped[dt.date | None] = field(
        IsoDate,
        default=None,
        label=("批准日期", "Approval date"),
        rule=PAST,
        help="Date of approval; set automatically when the case first becomes active.",
    )
    certificate_no: Mapped[str | None] = field(
        String(32),
        default=None,
        label=("低保证号", "Certificate number"),
        personal=True,
        help="Number of the certificate issued on approval (低保证 / 特困供养证).",
    )
    people_covered: Mapped[int] = field(
        Integer,
        default=0,
        label=("保障人数", "People covered"),
        public=True,
        help="Number of household members covered by the allowance (保障人数).",
    )
    monthly_amount: Mapped[Decimal] = field(
        Money,
        default=Decimal("0"),
        label=("月保障金额（元）", "Monthly allowance (yuan)"),
        personal=True,
        public=True,
        help="Monthly amount paid, in yuan (月保障金额).",
    )
    amount_reason: Mapped[str] = field(
        Text,
        default="",
        label=("金额与核算不一致的理由", "Why the amount differs from the computed one"),
        personal=True,
        help=("Why the monthly amount differs from the computed one (核算金额: 补差 against the standard in force "
              "plus the 分类施保 supplements; for a subsidy, each covered member's figure, "
              "caseapp.services.assessment); required when it differs."),
    )
    review_class: Mapped[str | None] = field(
        String(16),
        default=None,
        label=("复核类别", "Review class"),
        codes="review_class",
        help=("Review class, which sets how often the case is reviewed: stable / irregular income, or the older A "
              "/ B / C scheme."),
    )
    next_review_date: Mapped[dt.date | None] = field(
        IsoDate,
        default=None,
        index=True,
        label=("下次复核日期", "Next review date"),
        help=("Date the next periodic review falls due. Set from the configurable review intervals when the case "
              "becomes active or is reviewed; cleared when it stops, exits, is rejected or withdrawn."),
    )
    rural: Mapped[bool] = field(
        Boolean,
        default=False,
        label=("农村对象", "Rural"),
        help="Rural case (some review intervals differ between urban and rural cases).",
    )
    decision_reason: Mapped[str] = field(
        Text,
        default="",
        label=("审批意见及理由", "Decision and reasons"),
        personal=True,
        help="The decision and its reasons (a rejection must be explained in writing).",
    )
    exit_reason: Mapped[str | None] = field(
        String(200),
        default=None,
        label=("退出原因", "Exit reason"),
        personal=True,
        help="Why the household left assistance; required to move from 停保 to 退出.",
    )
    notice_started_on: Mapped[dt.date | None] = field(
        IsoDate,
        default=None,
        label=("公示开始日期", "Public notice from"),
        rule=PAST,
        help="Day the 公示 began; set when the street passes its review. The case goes for approval only "
        "once the notice period (`public_notice_days` of the rules) has run.",
    )
    notice_objections: Mapped[str] = field(
        Text,
        default="",
        label=("公示异议情况", "Objections during the notice"),
        personal=True,
        help="What was raised during the 公示 and how it was answered, or 无异议; required before approval.",
    )


@register
class CasePayment(Record):
    """A one-off payment of an assistance case (临时救助, 医疗救助): the amount paid, the day it was
    paid, what for and who approved it. A one-off grant is money paid on a date, not a monthly
    allowance: the monthly statistics count it in the month it was paid. A fact: never edited; a
    correction is a new record (and the wrong one archived)."""

    __tablename__ = "case_payments"
    entity = "case_payment"
    label = ("救助发放记录", "One-off payment")
    summary = ("paid_on", "amount_paid")
    insert_only = True
    parent = ("case_id", "assistance_case")

    case_id: Mapped[str] = field(
        ForeignKey("assistance_cases.id"),
        index=True,
        label=("所属救助案件", "Assistance case"),
        help="The assistance case the payment was made under.",
    )
    paid_on: Mapped[dt.date] = field(
        IsoDate, index=True, label=("发放日期", "Date paid"), rule=PAST, help="Day the money was paid."
    )
    amount_paid: Mapped[Decimal] = field(
        Money,
        label=("发放金额（元）", "Amount paid (yuan)"),
        personal=True,
        public=True,
        help="Amount paid, in yuan; more than zero.",
    )
    kind: Mapped[str] = field(
        String(24),
        label=("救助类型", "Kind of payment"),
        codes="payment_kind",
        help="What the payment is: 基本生活, 急难 (临时救助), 住院, 门诊, 重特大疾病 (医疗救助), other.",
    )
    reason: Mapped[str] = field(
        Text,
        default="",
        label=("发放事由", "What it was paid for"),
        required=True,
        personal=True,
        help="Why the payment was made (the emergency, the hospital stay and its bills).",
    )
    approved_by: Mapped[str] = field(
        String(60),
        default="",
        label=("批准人", "Approved by"),
        required=True,
        personal=True,
        help="Who approved the payment (name and office).",
    )

    @classmethod
    def check(cls, merged: Mapping[str, Any], out: dict[str, Any]) -> list[ValidationError]:
        amount = merged.get("amount_paid")
        if amount is None:
            return []
        try:
            positive = Decimal(str(amount)) > 0
        except InvalidOperation:
            return []  # the field's own type check says so
        return [] if positive else [ValidationError("payment.amount_not_positive", "amount_paid")]


@register
class CaseReview(Record):
    """The record of one periodic review (复核) or change decision (维持 / 增发 / 减发 / 渐退 / 停发) on an assistance
    case: old and new monthly amount, the month it takes effect and why. A fact: never edited after it
    is saved."""

    __tablename__ = "case_reviews"
    entity = "case_review"
    label = ("复核记录", "Case review")
    summary = ("reviewed_on", "outcome")
    insert_only = True
    parent = ("case_id", "assistance_case")

    case_id: Mapped[str] = field(
        ForeignKey("assistance_cases.id"),
        index=True,
        label=("所属救助案件", "Assistance case"),
        help="The assistance case reviewed.",
    )
    reviewed_on: Mapped[dt.date] = field(
        IsoDate, label=("复核日期", "Review date"), rule=PAST, help="Date of the review."
    )
    outcome: Mapped[str] = field(
        String(16),
        label=("复核结果", "Review decision"),
        codes="review_decision",
        help="Decision: unchanged, increase, decrease, taper, stop.",
    )
    old_amount: Mapped[Decimal] = field(
        Money,
        default=Decimal("0"),
        label=("原保障金额", "Previous amount"),
        personal=True,
        help="Monthly amount before the review, in yuan.",
    )
    new_amount: Mapped[Decimal] = field(
        Money,
        default=Decimal("0"),
        label=("新保障金额", "New amount"),
        personal=True,
        help="Monthly amount after the review, in yuan.",
    )
    effective_month: Mapped[str | None] = field(
        String(7),
        default=None,
        label=("生效月份", "Effective month"),
        rule=MONTH,
        help="Month the change takes effect, `YYYY-MM`.",
    )
    reason: Mapped[str] = field(
        Text,
        default="",
        label=("变更原因", "Reason for the change"),
        personal=True,
        help="Why the amount changed or the case was stopped.",
    )


@register
class CaseStep(Record):
    """One step signed on an assistance case (受理, 提交审核, 审核通过, 退回补充, 批准, 不予批准 …): the
    move it made, the handler's role and opinion, and when. The record's author is the handler (the
    server writes the authenticated user, and the role it knows for them). A fact: never edited; the
    case's step history is its steps in order."""

    __tablename__ = "case_steps"
    entity = "case_step"
    label = ("办理记录", "Case step")
    summary = ("action", "author")
    insert_only = True
    parent = ("case_id", "assistance_case")

    case_id: Mapped[str] = field(
        ForeignKey("assistance_cases.id"),
        index=True,
        label=("所属救助案件", "Assistance case"),
        help="The assistance case the step was taken on.",
    )
    action: Mapped[str] = field(
        String(32), label=("办理环节", "Step"), codes="case_action", help="What was done, as the office names it."
    )
    from_state: Mapped[str] = field(
        String(24), label=("原状态", "From"), states="assistance_case", help="The case's state before the step."
    )
    to_state: Mapped[str] = field(
        String(24), label=("新状态", "To"), states="assistance_case", help="The case's state after the step."
    )
    handler_role: Mapped[str] = field(
        String(16),
        default="",
        label=("经办角色", "Handler's role"),
        codes="user_role",
        help="The role the handler took the step in (on the server: the role it holds for the user).",
    )
    opinion: Mapped[str] = field(
        Text,
        default="",
        label=("办理意见", "Opinion"),
        personal=True,
        help="The handler's opinion, signed with the step (a return or refusal says why).",
    )
    taken_at: Mapped[dt.datetime] = field(
        UtcDateTime, label=("办理时间", "Taken at"), rule=PAST, help="When the step was taken."
    )


@register
class Investigation(Record):
    """The 入户调查表: a home investigation by at least two investigators, recording housing, vehicles, savings
    and securities, businesses, monthly expenses, persons obliged to support the household, the findings
    and the signatures, with the place it was done."""

    __tablename__ = "investigations"
    entity = "investigation"
    label = ("入户调查", "Home investigation")
    summary = ("investigated_at", "investigators")
    parent = ("household_id", "household")

    household_id: Mapped[str] = field(
        ForeignKey("households.id"),
        index=True,
        label=("所属家庭", "Household"),
        help="The household the record belongs to.",
    )
    case_id: Mapped[str | None] = field(
        ForeignKey("assistance_cases.id"),
        default=None,
        label=("所属救助案件", "Assistance case"),
        help="The assistance case the investigation was made for, if any.",
    )
    investigated_at: Mapped[dt.datetime] = field(
        UtcDateTime, label=("入户调查时间", "Investigation time"), rule=PAST, help="When the home visit took place."
    )
    investigators: Mapped[str] = field(
        String(200),
        default="",
        label=("调查人员", "Investigators"),
        required=True,
        personal=True,
        help="Names of the investigators (at least two).",
    )
    housing_type: Mapped[str | None] = field(
        String(16),
        default=None,
        label=("住房性质", "Housing tenure"),
        codes="housing_tenure",
        help="Housing tenure: own, rented, self-built, lodging.",
    )
    housing_area: Mapped[float | None] = field(
        Float,
        default=None,
        label=("住房面积（平方米）", "Floor area (m²)"),
        personal=True,
        help="Floor area in square metres.",
    )
    housing_owner: Mapped[str | None] = field(
        String(60),
        default=None,
        label=("房屋产权人", "Property owner"),
        personal=True,
        help="Name of the property's title owner.",
    )
    vehicles: Mapped[str] = field(
        String(200),
        default="",
        label=("车辆情况", "Vehicles"),
        personal=True,
        help="Vehicles owned (kind, plate, value).",
    )
    savings: Mapped[Decimal | None] = field(
        Money, default=None, label=("存款（元）", "Savings (yuan)"), personal=True, help="Savings found, in yuan."
    )
    securities: Mapped[Decimal | None] = field(
        Money,
        default=None,
        label=("有价证券（元）", "Securities (yuan)"),
        personal=True,
        help="Securities and bonds held, in yuan.",
    )
    businesses: Mapped[str] = field(
        String(200),
        default="",
        label=("经营情况", "Businesses"),
        personal=True,
        help="Businesses owned or run by household members.",
    )
    monthly_expenses: Mapped[Decimal | None] = field(
        Money,
        default=None,
        label=("月均支出（元）", "Monthly expenses (yuan)"),
        personal=True,
        help="Monthly utilities and fees, in yuan.",
    )
    maintenance_obligors: Mapped[str] = field(
        Text,
        default="",
        label=("赡养（抚养、扶养）义务人情况", "Persons obliged to support"),
        personal=True,
        help="Persons obliged to support the household (赡养/抚养/扶养) and their income.",
    )
    findings: Mapped[str] = field(
        Text, default="", label=("调查结论", "Findings"), personal=True, help="The investigators' findings and opinion."
    )
    applicant_signed: Mapped[bool] = field(
        Boolean,
        default=False,
        label=("申请人已签字", "Applicant signed"),
        help="The applicant signed the investigation form.",
    )
    investigators_signed: Mapped[bool] = field(
        Boolean,
        default=False,
        label=("调查人员已签字", "Investigators signed"),
        help="Both investigators signed the investigation form.",
    )
    consent_ref: Mapped[str | None] = field(
        String(80),
        default=None,
        label=("核对授权书编号", "Verification consent number"),
        help="Reference of the household's signed 核对 consent (授权书), if taken at the visit.",
    )
    latitude: Mapped[float | None] = field(
        Float,
        default=None,
        label=("纬度", "Latitude"),
        rule=LATITUDE,
        personal=True,
        help="WGS-84 latitude where the record was made (kept internally, stripped before any public use).",
    )
    longitude: Mapped[float | None] = field(
        Float,
        default=None,
        label=("经度", "Longitude"),
        rule=LONGITUDE,
        personal=True,
        help="WGS-84 longitude where the record was made.",
    )


@register
class Verification(Record):
    """A 居民家庭经济状况核对 request and its result: the cross-agency check of the household's income and assets
    (户籍, tax, social insurance, real estate, business registration, 公积金, vehicles, banks, insurance,
    securities). It needs the household's signed consent (授权书)."""

    __tablename__ = "verifications"
    entity = "verification"
    label = ("经济状况核对", "Economic verification")
    summary = ("requested_on", "conclusion")
    parent = ("household_id", "household")

    household_id: Mapped[str] = field(
        ForeignKey("households.id"),
        index=True,
        label=("所属家庭", "Household"),
        help="The household the record belongs to.",
    )
    case_id: Mapped[str | None] = field(
        ForeignKey("assistance_cases.id"),
        default=None,
        label=("所属救助案件", "Assistance case"),
        help="The assistance case the check was made for, if any.",
    )
    consent_ref: Mapped[str] = field(
        String(80),
        label=("核对授权书编号", "Verification consent number"),
        help="Reference of the signed consent (授权书); required.",
    )
    requested_on: Mapped[dt.date] = field(
        IsoDate, label=("核对申请日期", "Request date"), rule=PAST, help="Date the check was requested."
    )
    level: Mapped[str] = field(
        String(16),
        default="district",
        label=("核对层级", "Verification level"),
        codes="verification_level",
        help="Verification centre that ran the check: city, district or street.",
    )
    members_checked: Mapped[int] = field(
        Integer, default=0, label=("核对人数", "Members checked"), help="Number of household members checked."
    )
    results: Mapped[str] = field(
        Text,
        default="{}",
        label=("分项核对结果", "Results by source"),
        rule=JSON_OBJECT,
        personal=True,
        keys="verification_source",
        help="JSON object: data source (`hukou`, `tax`, `social_insurance`, `real_estate` …) → finding.",
    )
    conclusion: Mapped[str] = field(
        String(16),
        default="pending",
        label=("核对结论", "Conclusion"),
        codes="verification_conclusion",
        help="`pending`, `eligible`, `ineligible` or `needs_review`.",
    )
    report_ref: Mapped[str | None] = field(
        String(80), default=None, label=("核对报告编号", "Verification report number"), help="Number of the 核对报告."
    )
