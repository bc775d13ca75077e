"""The waiting list for a place in a public care home or day-care centre (公办养老机构入住轮候): an
elder's (or the family's) application, the assessment of care need (老年人能力评估, GB/T 42195), the
priority categories it is ranked by, and what became of it, handled APPLYING → WAITING → OFFERED →
ADMITTED, or DECLINED / WITHDRAWN (caseapp.services.workflows.CARE_APPLICATION).

The queue itself is never typed: an application's place in its facility's queue is worked out from
the priority rules in force (``care_waitlist`` of caseapp.refdata, applied by
caseapp.services.waitlist), in SQL where it is listed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped

from caseapp.domain.base import Record, register
from caseapp.domain.fields import TEXT, field
from caseapp.domain.types import IsoDate
from caseapp.errors import ValidationError
from caseapp.validation.rules import PAST


@register
class CareApplication(Record):
    """An application for a place in a care home or a day-care centre, by a household member: who
    applied, the facility, the capacity assessment and its date, the priority categories claimed,
    the day the applicant joined the queue, the places offered and how it ended. Its status moves
    only through the workflow; the queue dates are stamped as it moves."""

    __tablename__ = "care_applications"
    entity = "care_application"
    label = ("养老机构入住轮候申请", "Care-place application")
    summary = ("facility_name", "status")
    state_field = "status"
    parent = ("household_id", "household")

    household_id: Mapped[str] = field(
        ForeignKey("households.id"),
        index=True,
        label=("所属家庭", "Household"),
        help="The household the elder lives in.",
    )
    member_id: Mapped[str] = field(
        ForeignKey("members.id"),
        index=True,
        label=("申请老人（家庭成员）", "Elder (household member)"),
        help="The household member who wants the place.",
    )
    facility_type: Mapped[str] = field(
        String(12),
        default="care_home",
        label=("机构类型", "Facility type"),
        codes="care_facility_type",
        help="A residential place in a care home (入住) or a place in a day-care centre (日间托老).",
    )
    facility_name: Mapped[str] = field(
        String(120),
        default="",
        label=("轮候机构名称", "Facility"),
        required=True,
        help="The public care home or day-care centre applied to; each facility has its own queue.",
    )
    applicant: Mapped[str] = field(
        String(12),
        default="self",
        label=("申请提出方", "Applied by"),
        codes="care_applicant",
        help="The elder, the family or guardian on the elder's behalf, or the community.",
    )
    applicant_name: Mapped[str] = field(
        String(60),
        default="",
        label=("申请人姓名及关系", "Applicant's name and relationship"),
        personal=True,
        help="Who signed the application when it was not the elder (name and relationship).",
    )
    applied_on: Mapped[dt.date] = field(
        IsoDate, label=("申请日期", "Applied on"), rule=PAST, help="Day the application was received."
    )
    capacity_level: Mapped[str | None] = field(
        String(2),
        default=None,
        label=("能力评估等级", "Assessed capacity level"),
        codes="capacity_level",
        personal=True,
        help="The elder's capacity level found by the assessment (GB/T 42195-2022: 0 intact … 4 complete loss); "
        "levels the rules name count as 失能 for priority.",
    )
    assessed_on: Mapped[dt.date | None] = field(
        IsoDate,
        default=None,
        label=("评估日期", "Assessed on"),
        rule=PAST,
        help="Day of the capacity assessment; required, with the level, before the application joins the queue, "
        "and not before the application.",
    )
    priorities: Mapped[str] = field(
        String(120),
        default="",
        label=("优先轮候类别", "Priority categories"),
        codes="care_priority",
        multi=True,
        personal=True,
        help="Categories that rank the application (特困, 低保, 低收入, 失能, 失智, 重点优抚对象, 计划生育特殊家庭), "
        "comma-separated codes; the best of them decides its rank (`care_waitlist` rules). 高龄 follows from the "
        "elder's birth date (80 or over), and 失能 also from an assessed level: a ticked 高龄 counts for nothing.",
    )
    status: Mapped[str] = field(
        String(12),
        default="applying",
        index=True,
        label=("轮候状态", "Status"),
        help="Current workflow state; changes only through the workflow (see below).",
    )
    queued_on: Mapped[dt.date | None] = field(
        IsoDate,
        default=None,
        label=("轮候起始日期", "Queued since"),
        help="Day the application's queue time counts from: the application date when it joins the queue, the "
        "day of a declined offer when the rules send a decliner to the back; set automatically, never before the "
        "application.",
    )
    offers: Mapped[int] = field(
        Integer,
        default=0,
        label=("已通知入住次数", "Places offered"),
        help="How many places have been offered; counted automatically. An applicant may decline `declines_kept` "
        "of them and stay on the list.",
    )
    offered_place: Mapped[str] = field(
        String(120),
        default="",
        label=("通知入住床位", "Place offered"),
        help="The bed or place offered (楼层、房号、床位 or 托位); required to offer a place.",
    )
    offer_reason: Mapped[str] = field(
        Text,
        default="",
        label=("越序通知理由", "Why offered out of turn"),
        personal=True,
        help="Why a place is offered to an application that is not first in its facility's queue (the bed is in a "
        "unit for the other sex, or for dementia care …); required then, on the device and on the server.",
    )
    offered_on: Mapped[dt.date | None] = field(
        IsoDate,
        default=None,
        label=("通知入住日期", "Offered on"),
        rule=PAST,
        help="Day the latest place was offered; set automatically.",
    )
    closed_on: Mapped[dt.date | None] = field(
        IsoDate,
        default=None,
        label=("办结日期", "Closed on"),
        rule=PAST,
        help="Day the elder was admitted, or declined for good, or withdrew; set automatically.",
    )
    closing_reason: Mapped[str] = field(
        Text,
        default="",
        label=("放弃或撤回原因", "Why declined or withdrawn"),
        personal=True,
        help="Why the offered place was declined or the application withdrawn; required for either.",
    )
    notes: Mapped[str] = field(
        Text, default="", label=("备注", "Notes"), widget=TEXT, personal=True, help="Free-text remarks."
    )

    @classmethod
    def check(cls, merged: Mapping[str, Any], out: dict[str, Any]) -> list[ValidationError]:
        found: list[ValidationError] = []
        applied = merged.get("applied_on")
        if not isinstance(applied, dt.date):  # a partial check, of stamps alone
            return found
        assessed, queued = merged.get("assessed_on"), merged.get("queued_on")
        if isinstance(assessed, dt.date) and assessed < applied:
            found.append(ValidationError("care.assessed_before_applied", "assessed_on", applied=applied.isoformat()))
        # the queue counts from the application at the earliest: no one is placed ahead by a typed date
        if isinstance(queued, dt.date) and queued < applied:
            found.append(ValidationError("care.queued_before_applied", "queued_on", applied=applied.isoformat()))
        return found
