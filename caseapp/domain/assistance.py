"""Social assistance: cases (低保, 特困 …), their periodic reviews, home investigations (入户调查)
and economic verification (核对) records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from caseapp.domain.base import Record, register
from caseapp.domain.types import IsoDate, Money, UtcDateTime


@register
class AssistanceCase(Record):
    __tablename__ = "assistance_cases"
    entity = "assistance_case"
    parent = ("household_id", "household")
    state_field = "status"

    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    #: dibao / low_income / tekun_centralized / tekun_dispersed / temporary / medical / orphan / …
    category: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(24), default="applied")
    applied_on: Mapped[dt.date | None] = mapped_column(IsoDate, default=None)
    approved_on: Mapped[dt.date | None] = mapped_column(IsoDate, default=None)
    certificate_no: Mapped[str | None] = mapped_column(String(32), default=None)
    people_covered: Mapped[int] = mapped_column(Integer, default=0)
    monthly_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    #: A / B / C (older scheme) or stable / irregular
    review_class: Mapped[str | None] = mapped_column(String(16), default=None)
    next_review_date: Mapped[dt.date | None] = mapped_column(IsoDate, default=None, index=True)
    rural: Mapped[bool] = mapped_column(Boolean, default=False)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    exit_reason: Mapped[str | None] = mapped_column(String(200), default=None)


@register
class CaseReview(Record):
    """A periodic review or change decision (增发/减发/停发/渐退); a fact, never edited."""

    __tablename__ = "case_reviews"
    entity = "case_review"
    insert_only = True
    parent = ("case_id", "assistance_case")

    case_id: Mapped[str] = mapped_column(ForeignKey("assistance_cases.id"), index=True)
    reviewed_on: Mapped[dt.date] = mapped_column(IsoDate)
    #: unchanged / increase / decrease / taper / stop
    outcome: Mapped[str] = mapped_column(String(16))
    old_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    new_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    effective_month: Mapped[str | None] = mapped_column(String(7), default=None)
    reason: Mapped[str] = mapped_column(Text, default="")


@register
class Investigation(Record):
    """入户调查: home investigation by at least two investigators."""

    __tablename__ = "investigations"
    entity = "investigation"
    parent = ("household_id", "household")

    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    case_id: Mapped[str | None] = mapped_column(ForeignKey("assistance_cases.id"), default=None)
    investigated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    investigators: Mapped[str] = mapped_column(String(200), default="")
    #: own / rented / self_built / lodging
    housing_type: Mapped[str | None] = mapped_column(String(16), default=None)
    housing_area: Mapped[float | None] = mapped_column(Float, default=None)
    housing_owner: Mapped[str | None] = mapped_column(String(60), default=None)
    vehicles: Mapped[str] = mapped_column(String(200), default="")
    savings: Mapped[Decimal | None] = mapped_column(Money, default=None)
    securities: Mapped[Decimal | None] = mapped_column(Money, default=None)
    businesses: Mapped[str] = mapped_column(String(200), default="")
    monthly_expenses: Mapped[Decimal | None] = mapped_column(Money, default=None)
    maintenance_obligors: Mapped[str] = mapped_column(Text, default="")
    findings: Mapped[str] = mapped_column(Text, default="")
    applicant_signed: Mapped[bool] = mapped_column(Boolean, default=False)
    investigators_signed: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_ref: Mapped[str | None] = mapped_column(String(80), default=None)
    latitude: Mapped[float | None] = mapped_column(Float, default=None)
    longitude: Mapped[float | None] = mapped_column(Float, default=None)


@register
class Verification(Record):
    """居民家庭经济状况核对: cross-agency data check; needs signed consent (授权书)."""

    __tablename__ = "verifications"
    entity = "verification"
    parent = ("household_id", "household")

    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    case_id: Mapped[str | None] = mapped_column(ForeignKey("assistance_cases.id"), default=None)
    consent_ref: Mapped[str] = mapped_column(String(80))
    requested_on: Mapped[dt.date] = mapped_column(IsoDate)
    #: city / district / street
    level: Mapped[str] = mapped_column(String(16), default="district")
    members_checked: Mapped[int] = mapped_column(Integer, default=0)
    #: JSON object: source (hukou, tax, social_insurance, real_estate, …) → finding
    results: Mapped[str] = mapped_column(Text, default="{}")
    #: pending / eligible / ineligible / needs_review
    conclusion: Mapped[str] = mapped_column(String(16), default="pending")
    report_ref: Mapped[str | None] = mapped_column(String(80), default=None)
