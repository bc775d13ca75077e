"""Households (户) and their members, with each member's income items."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from caseapp.domain.base import Record, register
from caseapp.domain.types import IsoDate, Money

#: GB/T 4761 relationship code of the head of household (户主)
HEAD = "02"


@register
class Household(Record):
    __tablename__ = "households"
    entity = "household"

    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str | None] = mapped_column(String(32), default=None)
    #: local_urban / local_rural / migrant / foreign
    register_type: Mapped[str | None] = mapped_column(String(16), default=None)
    head_name: Mapped[str] = mapped_column(String(60), default="")
    poverty_reason: Mapped[str | None] = mapped_column(String(200), default=None)
    bank_account: Mapped[str | None] = mapped_column(String(32), default=None)
    notes: Mapped[str] = mapped_column(Text, default="")


@register
class Member(Record):
    __tablename__ = "members"
    entity = "member"
    parent = ("household_id", "household")

    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    id_number: Mapped[str | None] = mapped_column(String(18), default=None, index=True)
    #: GB/T 4761 relationship code; HEAD ("02") is the head of household
    relationship: Mapped[str] = mapped_column(String(4), default=HEAD)
    #: "M" / "F"; derived from the ID number and checked against it
    sex: Mapped[str | None] = mapped_column(String(1), default=None)
    birth_date: Mapped[dt.date | None] = mapped_column(IsoDate, default=None)
    ethnicity: Mapped[str | None] = mapped_column(String(16), default=None)
    marital_status: Mapped[str | None] = mapped_column(String(4), default=None)
    education: Mapped[str | None] = mapped_column(String(16), default=None)
    phone: Mapped[str | None] = mapped_column(String(32), default=None)
    #: healthy / chronic / serious
    health: Mapped[str | None] = mapped_column(String(16), default=None)
    disability_type: Mapped[str | None] = mapped_column(String(2), default=None)
    disability_grade: Mapped[str | None] = mapped_column(String(2), default=None)
    disability_card: Mapped[str | None] = mapped_column(String(24), default=None)
    employment: Mapped[str | None] = mapped_column(String(16), default=None)
    work_capacity: Mapped[str | None] = mapped_column(String(16), default=None)
    notes: Mapped[str] = mapped_column(Text, default="")


@register
class IncomeItem(Record):
    __tablename__ = "income_items"
    entity = "income_item"
    parent = ("member_id", "member")

    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    #: wages / farming / business / property / land_transfer / pension / maintenance / subsidies / other
    income_type: Mapped[str] = mapped_column(String(16))
    monthly_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    note: Mapped[str] = mapped_column(String(200), default="")
    people: Mapped[int] = mapped_column(Integer, default=1)
