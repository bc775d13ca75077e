"""Households (户) and their members, with each member's income items."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped

from caseapp.domain.base import Record, register
from caseapp.domain.fields import field
from caseapp.domain.types import IsoDate, Money
from caseapp.errors import ValidationError
from caseapp.validation.idnumber import person_facts
from caseapp.validation.rules import BANK_CARD, DISABILITY_CARD, ID_NUMBER, PAST, PERSON_NAME, PHONE

#: GB/T 4761 relationship code of the head of household (户主)
HEAD = "02"
#: A member's standing in the household (``member_status`` codes): still living in it, or left.
PRESENT, MOVED_OUT, DECEASED = "present", "moved_out", "deceased"


@register
class Household(Record):
    """A household (户) as the assistance and care services see it: the statutory 共同生活的家庭成员, their address
    and contact, and the bank account aid is paid into. The household is the root most other records
    hang from; moving it to another grid moves everything that belongs to it."""

    __tablename__ = "households"
    entity = "household"
    label = ("家庭户", "Household")
    summary = ("head_name", "address")

    address: Mapped[str] = field(
        String(200),
        default="",
        label=("地址", "Address"),
        required=True,
        headings=("家庭住址", "住址", "地址", "居住地址"),
        personal=True,
        help="Address where the household lives (current address, which may differ from the 户籍 address).",
    )
    hukou_address: Mapped[str | None] = field(
        String(200),
        default=None,
        label=("户籍地址", "Registered (hukou) address"),
        headings=("户籍地址", "户口所在地", "户籍所在地"),
        personal=True,
        help="Where the household is registered (户籍), when it differs from where it lives.",
    )
    phone: Mapped[str | None] = field(
        String(32),
        default=None,
        label=("联系电话", "Phone number"),
        rule=PHONE,
        personal=True,
        help="The household's contact number.",
    )
    register_type: Mapped[str | None] = field(
        String(16),
        default=None,
        label=("户籍类型", "Household register (hukou) type"),
        codes="household_register_type",
        help="Kind of household registration (户籍): local urban, local rural, migrant, foreign.",
    )
    head_name: Mapped[str] = field(
        String(60),
        default="",
        label=("户主姓名", "Head of household"),
        rule=PERSON_NAME,
        headings=("户主姓名", "户主"),
        personal=True,
        public=True,
        help="Name of the head of household (户主), as on the household register.",
    )
    poverty_reason: Mapped[str | None] = field(
        String(200),
        default=None,
        label=("致贫原因", "Cause of poverty"),
        personal=True,
        help="Main cause of hardship (致贫原因): illness, disability, unemployment, accident …",
    )
    bank_account: Mapped[str | None] = field(
        String(32),
        default=None,
        label=("银行账号", "Bank account number"),
        rule=BANK_CARD,
        masked=True,
        help="Account the monthly aid is paid into (bank card or passbook number).",
    )
    building_id: Mapped[str | None] = field(
        ForeignKey("buildings.id"),
        default=None,
        index=True,
        label=("所在建筑物", "Building"),
        help="The building the household lives in (四标四实 standard address), once it is placed at one.",
    )
    room_no: Mapped[str] = field(
        String(20),
        default="",
        label=("房号", "Room number"),
        headings=("房号", "房间号"),
        personal=True,
        help="The household's dwelling in that building (e.g. 1单元302).",
    )
    notes: Mapped[str] = field(Text, default="", label=("备注", "Notes"), personal=True, help="Free-text remarks.")


#: the six items of the 特困 self-care assessment (DOMAIN.md §2.1), as Member fields
SELF_CARE_ITEMS = ("self_care_eating", "self_care_dressing", "self_care_transfer", "self_care_toilet",
                   "self_care_walking", "self_care_bathing")


def self_care_result(values: Mapping[str, Any]) -> str | None:
    """The result the six items give (all met: self_care; 1-3 failed: partial_care; 4 or more:
    full_care), or None while any item is not yet assessed."""
    given = [values.get(item) for item in SELF_CARE_ITEMS]
    if any(answer not in ("able", "unable") for answer in given):
        return None
    failed = given.count("unable")
    return "self_care" if failed == 0 else "partial_care" if failed <= 3 else "full_care"


@register
class Member(Record):
    """One person in a household, with the identity, family and social facts the 低保 application and the 核对
    need (GB/T 4761 relationship, GB/T 2261.2 marital status, health, disability, work). Sex and birth
    date are filled in from the ID number when left empty and checked against it when typed."""

    __tablename__ = "members"
    # A household's size is counted from this index alone (the household list sorts 50,000 of them).
    __table_args__ = (Index("ix_members_household_id_archived", "household_id", "archived"),)
    entity = "member"
    label = ("家庭成员", "Household member")
    summary = ("name",)
    parent = ("household_id", "household")

    household_id: Mapped[str] = field(
        ForeignKey("households.id"),
        index=True,
        label=("所属家庭", "Household"),
        help="The household the record belongs to.",
    )
    name: Mapped[str] = field(
        String(60),
        label=("姓名", "Name"),
        rule=PERSON_NAME,
        headings=("姓名", "成员姓名"),
        personal=True,
        help="Full name; minority and foreign names use the middle dot `·` (U+00B7).",
    )
    id_number: Mapped[str | None] = field(
        String(18),
        default=None,
        index=True,
        label=("身份证号码", "ID number"),
        rule=ID_NUMBER,
        headings=("公民身份号码", "身份证号码", "身份证号", "证件号码"),
        masked=True,
        help="18-character resident ID number (公民身份号码); old 15-digit numbers are upgraded on input.",
    )
    relationship: Mapped[str] = field(
        String(4),
        default=HEAD,
        label=("与户主关系", "Relationship to head of household"),
        codes="relationship",
        headings=("与户主关系", "关系"),
        help="Relationship to the head of household, GB/T 4761 code; `02` is the head.",
    )
    sex: Mapped[str | None] = field(
        String(1),
        default=None,
        label=("性别", "Sex"),
        codes="sex",
        headings=("性别",),
        personal=True,
        help="`M` or `F`; filled in from the ID number when empty, and must agree with it.",
    )
    birth_date: Mapped[dt.date | None] = field(
        IsoDate,
        default=None,
        label=("出生日期", "Date of birth"),
        rule=PAST,
        personal=True,
        help="Date of birth; filled in from the ID number when empty, and must agree with it.",
    )
    ethnicity: Mapped[str | None] = field(
        String(16),
        default=None,
        label=("民族", "Ethnicity"),
        codes="ethnicity",
        headings=("民族",),
        personal=True,
        help=("Ethnic group (民族), GB 3304 code (`01` 汉族 … `56` 基诺族, `97`, `98`); the name "
              "(汉族, 汉) is accepted and stored as its code."),
    )
    marital_status: Mapped[str | None] = field(
        String(4),
        default=None,
        label=("婚姻状况", "Marital status"),
        codes="marital_status",
        headings=("婚姻状况",),
        personal=True,
        help="Marital status, GB/T 2261.2 code.",
    )
    education: Mapped[str | None] = field(
        String(16),
        default=None,
        label=("文化程度", "Education"),
        codes="education",
        headings=("文化程度", "学历"),
        personal=True,
        help=("Highest education level (文化程度), GB/T 4658 major code; names offices write "
              "(本科, 大专, 中专, 文盲或半文盲 …) are accepted and stored as the code."),
    )
    phone: Mapped[str | None] = field(
        String(32),
        default=None,
        label=("联系电话", "Phone number"),
        rule=PHONE,
        headings=("联系电话", "电话", "手机号码", "手机"),
        personal=True,
        help="The member's own contact number.",
    )
    health: Mapped[str | None] = field(
        String(16),
        default=None,
        label=("健康状况", "Health"),
        codes="health_status",
        headings=("健康状况",),
        personal=True,
        help="Health: healthy, chronic illness, serious illness (大病), disabled.",
    )
    disability_type: Mapped[str | None] = field(
        String(2),
        default=None,
        label=("残疾类别", "Disability type"),
        codes="disability_type",
        personal=True,
        help="Disability type 1–7: vision, hearing, speech, physical, intellectual, mental, multiple.",
    )
    disability_grade: Mapped[str | None] = field(
        String(2),
        default=None,
        label=("残疾等级", "Disability grade"),
        codes="disability_grade",
        personal=True,
        help="Disability grade 1–4 (一级 is the most severe).",
    )
    disability_card: Mapped[str | None] = field(
        String(24),
        default=None,
        label=("残疾人证号", "Disability card number"),
        rule=DISABILITY_CARD,
        masked=True,
        help="Disability certificate number (残疾人证号): ID number, type digit, grade digit (+1–2).",
    )
    employment: Mapped[str | None] = field(
        String(16),
        default=None,
        label=("就业状况", "Employment status"),
        codes="employment_status",
        personal=True,
        help="Employment status (employed, flexible, self-employed, farming, unemployed, retired …).",
    )
    work_capacity: Mapped[str | None] = field(
        String(16),
        default=None,
        label=("劳动能力", "Work capacity"),
        codes="work_capacity",
        personal=True,
        help="Work capacity: full, partly lost, fully lost.",
    )
    self_care_assessed_on: Mapped[dt.date | None] = field(
        IsoDate,
        default=None,
        label=("生活自理能力评估日期", "Self-care assessment date"),
        rule=PAST,
        help=("When the member's self-care ability (生活自理能力) was last assessed: the 特困 test of six items "
              "(DOMAIN.md §2.1), done again within 10 working days of a reported change. Empty: never assessed."),
    )
    self_care_eating: Mapped[str | None] = field(
        String(8),
        default=None,
        label=("自理评估：进食", "Self-care: Eating"),
        codes="self_care_ability",
        personal=True,
        help="One of the six items of the 特困 self-care assessment (生活自理能力评估): `able` 能, `unable` 不能.",
    )
    self_care_dressing: Mapped[str | None] = field(
        String(8),
        default=None,
        label=("自理评估：穿衣", "Self-care: Dressing"),
        codes="self_care_ability",
        personal=True,
        help="One of the six items of the 特困 self-care assessment (生活自理能力评估): `able` 能, `unable` 不能.",
    )
    self_care_transfer: Mapped[str | None] = field(
        String(8),
        default=None,
        label=("自理评估：上下床", "Self-care: Getting in and out of bed"),
        codes="self_care_ability",
        personal=True,
        help="One of the six items of the 特困 self-care assessment (生活自理能力评估): `able` 能, `unable` 不能.",
    )
    self_care_toilet: Mapped[str | None] = field(
        String(8),
        default=None,
        label=("自理评估：如厕", "Self-care: Using the toilet"),
        codes="self_care_ability",
        personal=True,
        help="One of the six items of the 特困 self-care assessment (生活自理能力评估): `able` 能, `unable` 不能.",
    )
    self_care_walking: Mapped[str | None] = field(
        String(8),
        default=None,
        label=("自理评估：室内行走", "Self-care: Walking indoors"),
        codes="self_care_ability",
        personal=True,
        help="One of the six items of the 特困 self-care assessment (生活自理能力评估): `able` 能, `unable` 不能.",
    )
    self_care_bathing: Mapped[str | None] = field(
        String(8),
        default=None,
        label=("自理评估：洗澡", "Self-care: Bathing"),
        codes="self_care_ability",
        personal=True,
        help="One of the six items of the 特困 self-care assessment (生活自理能力评估): `able` 能, `unable` 不能.",
    )
    self_care_result: Mapped[str | None] = field(
        String(16),
        default=None,
        label=("生活自理能力评估结果", "Self-care assessment result"),
        codes="self_care_result",
        personal=True,
        help=("`self_care` 具备生活自理能力 (all six items met), `partial_care` 部分丧失 (3 or fewer failed), "
              "`full_care` 完全丧失 (4 or more failed): the care levels of the 特困 照料护理 standard. Worked out "
              "from the six items once all are given; typed where only the result of a paper assessment is kept."),
    )
    notes: Mapped[str] = field(Text, default="", label=("备注", "Notes"), personal=True, help="Free-text remarks.")
    status: Mapped[str] = field(
        String(16),
        default=PRESENT,
        label=("成员状态", "Member status"),
        codes="member_status",
        help=("`present` (在户), `moved_out` (迁出) or `deceased` (死亡). A member who left is also archived, so "
              "household size, members covered and every list of current members leave them out; they stay "
              "under the household's past members. Changed through caseapp.services.members, never typed."),
    )
    left_on: Mapped[dt.date | None] = field(
        IsoDate,
        default=None,
        label=("迁出或死亡日期", "Date moved out or died"),
        rule=PAST,
        help="The date the member moved out or died (the event's date, not the day it was recorded).",
    )
    left_reason: Mapped[str] = field(
        String(200),
        default="",
        label=("迁出或死亡说明", "Why the member left"),
        personal=True,
        help="Why or where the member left (迁往何处、死亡原因 …), as the caseworker recorded it.",
    )

    @classmethod
    def check(cls, merged: Mapping[str, Any], out: dict[str, Any]) -> list[ValidationError]:
        """Sex and birth date follow from the ID number: filled in when empty, checked when typed.
        (A member who left has the date they left: the actions of caseapp.services.members require
        it. Not a rule across fields here: a sync applies one field at a time, in any order.)
        The self-care result follows from its six items once all are given."""
        result = self_care_result(merged)
        if result is not None and merged.get("self_care_result") != result:
            out["self_care_result"] = result
        return person_facts(merged, out)


@register
class IncomeItem(Record):
    """One income source of a member (wages, farming, business, property, land transfer, pension,
    maintenance received, subsidies), as a monthly amount; the household income the 低保 test uses is the
    sum of these items."""

    __tablename__ = "income_items"
    entity = "income_item"
    label = ("收入项目", "Income item")
    summary = ("income_type", "monthly_amount")
    parent = ("member_id", "member")

    member_id: Mapped[str] = field(
        ForeignKey("members.id"),
        index=True,
        label=("家庭成员", "Household member"),
        help="The member who receives this income.",
    )
    income_type: Mapped[str] = field(
        String(16), label=("收入类型", "Income type"), codes="income_type", help="Kind of income."
    )
    monthly_amount: Mapped[Decimal] = field(
        Money,
        default=Decimal("0"),
        label=("月收入金额（元）", "Monthly income (yuan)"),
        personal=True,
        public=True,
        help="Monthly income from this source, in yuan.",
    )
    note: Mapped[str] = field(
        String(200),
        default="",
        label=("收入说明", "Income details"),
        personal=True,
        help="Details: employer, crop, period, how it was established.",
    )
    people: Mapped[int] = field(
        Integer,
        default=1,
        label=("计算人数", "People counted"),
        help=("Number of people this income is counted for (default 1). Not used by any calculation yet; the model "
              "does not say more."),
    )


@register
class MemberEvent(Record):
    """One change in who a household is (迁出, 死亡, 分户, 合户, 户主变更, 迁入): what happened, to whom,
    on what date and why. A fact, never edited: who recorded it and when are its author and created
    stamp. It stays with the household it happened to, so the household shows its whole history even
    after the member has gone to another household."""

    __tablename__ = "member_events"
    insert_only = True
    entity = "member_event"
    label = ("成员变动", "Household change")
    summary = ("kind", "occurred_on")
    parent = ("household_id", "household")

    household_id: Mapped[str] = field(
        ForeignKey("households.id"),
        index=True,
        label=("所属家庭", "Household"),
        help="The household the change happened to.",
    )
    kind: Mapped[str] = field(
        String(16),
        label=("变动类型", "Kind of change"),
        codes="member_event",
        help=("What happened: `moved_out` 迁出, `deceased` 死亡, `split_out` 分户迁出, `split_from` 分户立户, "
              "`merged_in` 合户并入, `merged_away` 并入他户, `head_changed` 户主变更, `moved_in` 迁入."),
    )
    member_id: Mapped[str | None] = field(
        ForeignKey("members.id"),
        default=None,
        index=True,
        label=("成员", "Member"),
        help="The member it happened to (for a split, a merge: one event per member moved; none for the household).",
    )
    other_household_id: Mapped[str | None] = field(
        ForeignKey("households.id"),
        default=None,
        label=("对方家庭", "Other household"),
        help="The household the member went to or came from (split, merge, move in).",
    )
    occurred_on: Mapped[dt.date] = field(
        IsoDate,
        label=("变动日期", "Date of the change"),
        rule=PAST,
        help="When it happened (迁出日期, 死亡日期 …), which may be before the day it was recorded.",
    )
    reason: Mapped[str] = field(
        String(200),
        default="",
        label=("变动原因", "Reason"),
        personal=True,
        help="Why, as the caseworker recorded it.",
    )
    detail: Mapped[str] = field(
        Text,
        default="",
        label=("变动说明", "Details"),
        personal=True,
        help="What else changed with it (a head change lists the relationships re-expressed).",
    )
