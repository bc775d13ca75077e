"""Children in hardship (困境儿童) and de facto unsupported children (事实无人抚养儿童): the child's file
and the monitoring visits (监护随访) of the 儿童督导员 / 儿童主任.

Everything about a child is sensitive personal information (PIPL Art. 28 and 31: everything about
children under 14): every field that describes the child or the family is ``personal``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped

from caseapp.domain import visits
from caseapp.domain.base import Record, register
from caseapp.domain.fields import TEXT, field
from caseapp.domain.types import IsoDate
from caseapp.validation.rules import PAST, PERSON_NAME, PHONE


@register
class ChildProfile(Record):
    """The file of a child in hardship or a de facto unsupported child, a member of the household:
    the category, the guardian (name, relationship, phone), the guardianship and living situation,
    and the risk tier that sets how closely the child is followed."""

    __tablename__ = "child_profiles"
    entity = "child_profile"
    label = ("困境儿童档案", "Child in hardship")
    summary = ("category", "risk_tier")
    parent = ("household_id", "household")

    household_id: Mapped[str] = field(
        ForeignKey("households.id"),
        index=True,
        label=("所属家庭", "Household"),
        help="The household the child lives in.",
    )
    member_id: Mapped[str] = field(
        ForeignKey("members.id"),
        index=True,
        label=("儿童（家庭成员）", "Child (household member)"),
        help="The household member this file is about.",
    )
    category: Mapped[str] = field(
        String(24),
        label=("儿童类别", "Category"),
        codes="child_category",
        personal=True,
        help="事实无人抚养儿童, or the kind of hardship (family poverty, disability, guardianship lacking, "
        "left behind …).",
    )
    identified_on: Mapped[dt.date | None] = field(
        IsoDate,
        default=None,
        label=("认定日期", "Identified on"),
        rule=PAST,
        personal=True,
        help="Day the child was identified (认定) as in this category.",
    )
    guardian_name: Mapped[str | None] = field(
        String(60),
        default=None,
        label=("监护人姓名", "Guardian's name"),
        rule=PERSON_NAME,
        personal=True,
        help="Name of the guardian (or the person actually caring for the child).",
    )
    guardian_relation: Mapped[str | None] = field(
        String(30),
        default=None,
        label=("监护人与儿童关系", "Guardian's relationship"),
        personal=True,
        help="How the guardian is related to the child (祖父, 姑母, 委托照护人 …).",
    )
    guardian_phone: Mapped[str | None] = field(
        String(32),
        default=None,
        label=("监护人电话", "Guardian's phone"),
        rule=PHONE,
        personal=True,
        help="Phone of the guardian.",
    )
    guardianship: Mapped[str] = field(
        String(16),
        default="parents",
        label=("监护情况", "Guardianship"),
        codes="guardianship",
        personal=True,
        help="Who holds the guardianship: both parents, one parent, a relative, someone entrusted, the civil "
        "affairs department, or no one.",
    )
    living_situation: Mapped[str] = field(
        String(20),
        default="with_parents",
        label=("生活状况", "Living situation"),
        codes="child_living",
        personal=True,
        help="Whom the child lives with.",
    )
    risk_tier: Mapped[str] = field(
        String(8),
        default="normal",
        label=("风险等级", "Risk tier"),
        codes="risk_tier",
        personal=True,
        help="High, key or normal: how closely the child is followed.",
    )
    notes: Mapped[str] = field(
        Text,
        default="",
        label=("备注", "Notes"),
        widget=TEXT,
        personal=True,
        help="Free-text remarks (schooling, health, support received).",
    )


@register
class ChildVisit(Record):
    """A monitoring visit (监护随访) to a child in hardship: when, how, what was found of the care and
    safety of the child, the risk seen, and what has to follow. A fact: never edited."""

    __tablename__ = "child_visits"
    entity = "child_visit"
    label = ("儿童探访记录", "Child monitoring visit")
    summary = ("visited_at", "method")
    insert_only = True
    parent = ("child_id", "child_profile")

    child_id: Mapped[str] = field(
        ForeignKey("child_profiles.id"),
        index=True,
        label=("探访儿童", "Child visited"),
        help="The child's file.",
    )
    visited_at: Mapped[dt.datetime] = visits.visited_at()
    method: Mapped[str] = visits.method()
    visitors: Mapped[str] = visits.visitors()
    findings: Mapped[str] = visits.findings(
        label=("探访发现", "Findings"),
        help="What was found: the child's health, schooling, care by the guardian, safety at home.",
    )
    risk: Mapped[str] = field(
        String(8),
        default="normal",
        label=("风险评估", "Risk seen"),
        codes="risk_tier",
        personal=True,
        help="The risk seen at this visit (high, key, normal).",
    )
    follow_up: Mapped[str] = visits.follow_up(
        label=("跟进措施", "Follow-up"),
        help="What has to be done next, by whom (referral, 临时救助, guardianship change …).",
    )
