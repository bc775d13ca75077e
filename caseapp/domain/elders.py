"""Home-based elderly care: elder profiles and care visits (探访关爱)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped

from caseapp.domain import visits
from caseapp.domain.base import Record, register
from caseapp.domain.fields import TEXT, field
from caseapp.validation.rules import PERSON_NAME, PHONE, RECORD_ID


@register
class ElderProfile(Record):
    """The care file of an older household member (探访关爱): living arrangement (独居 / 空巢 / 留守 …), capacity
    level (GB/T 42195), risk tier, entitlement basis, emergency contact and 平安通 device. The risk tier
    sets how often the elder must be visited."""

    __tablename__ = "elder_profiles"
    entity = "elder_profile"
    label = ("老年人档案", "Elder profile")
    summary = ("risk_tier", "living_arrangement")
    parent = ("household_id", "household")

    household_id: Mapped[str] = field(
        ForeignKey("households.id"),
        index=True,
        label=("所属家庭", "Household"),
        help="The household the record belongs to.",
    )
    member_id: Mapped[str] = field(
        ForeignKey("members.id"),
        index=True,
        label=("老人（家庭成员）", "Elder (household member)"),
        help="The household member this profile is about.",
    )
    living_arrangement: Mapped[str] = field(
        String(16),
        default="with_family",
        label=("居住状况", "Living arrangement"),
        codes="living_arrangement",
        personal=True,
        help="Living alone, empty nest, left behind, with family, in an institution.",
    )
    capacity_level: Mapped[str] = field(
        String(2),
        default="0",
        label=("能力等级", "Capacity level"),
        codes="capacity_level",
        personal=True,
        help="GB/T 42195-2022 capacity level: 0 intact … 4 complete loss.",
    )
    risk_tier: Mapped[str] = field(
        String(8),
        default="normal",
        label=("风险等级", "Risk tier"),
        codes="risk_tier",
        help="High, key or normal; sets the visit interval (Guangzhou defaults 7 / 30 / 90 days).",
    )
    entitlement: Mapped[str] = field(
        String(60),
        default="",
        label=("保障类别", "Entitlement"),
        codes="elder_entitlement",
        multi=True,
        help=("Entitlement basis, comma-separated codes: `youfu` 优抚, `dibao` 低保, `age80` 80+. Dictionary "
              "`elder_entitlement` exists but the value is not checked against it."),
    )
    emergency_contact_name: Mapped[str | None] = field(
        String(60),
        default=None,
        label=("紧急联系人", "Emergency contact"),
        rule=PERSON_NAME,
        personal=True,
        help="Name of the person to call in an emergency.",
    )
    emergency_contact_phone: Mapped[str | None] = field(
        String(32),
        default=None,
        label=("紧急联系人电话", "Emergency contact phone"),
        rule=PHONE,
        personal=True,
        help="Phone of the emergency contact.",
    )
    emergency_contact_relation: Mapped[str | None] = field(
        String(30),
        default=None,
        label=("与紧急联系人关系", "Emergency contact's relationship"),
        personal=True,
        help="How the emergency contact is related to the elder.",
    )
    pingantong_device: Mapped[str | None] = field(
        String(40),
        default=None,
        label=("平安通设备号", "Ping'antong device number"),
        personal=True,
        help="Number of the elder's 平安通 emergency-call device, if any.",
    )
    visit_interval_days: Mapped[int | None] = field(
        Integer,
        default=None,
        label=("探访间隔（天）", "Visit interval (days)"),
        help="Days between visits; overrides the risk tier's interval when set.",
    )
    notes: Mapped[str] = field(Text, default="", label=("备注", "Notes"), personal=True, help="Free-text remarks.")


@register
class CareVisit(Record):
    """One visit to an elder, in person, by phone or by video: health, mental state, home safety, hygiene,
    family care, services delivered, needs, change in risk and follow-up. A fact: never edited; a
    correction is a new visit whose `corrects_id` points at the visit it corrects."""

    __tablename__ = "care_visits"
    # an elder's latest visit is one index seek (the visits-due list and the statistics)
    __table_args__ = (Index("ix_care_visits_elder_id_archived_visited_at", "elder_id", "archived", "visited_at"),)
    entity = "care_visit"
    label = ("探访记录", "Care visit")
    summary = ("visited_at", "method")
    insert_only = True
    parent = ("elder_id", "elder_profile")

    elder_id: Mapped[str] = field(
        ForeignKey("elder_profiles.id"),
        index=True,
        label=("探访对象", "Elder visited"),
        help="The elder profile visited.",
    )
    visited_at: Mapped[dt.datetime] = visits.visited_at()
    method: Mapped[str] = visits.method()
    visitors: Mapped[str] = visits.visitors()
    health: Mapped[str] = field(
        Text,
        default="",
        label=("身体状况", "Physical health"),
        widget=TEXT,
        personal=True,
        help="Physical health observed: speech, mobility, illness.",
    )
    mental_state: Mapped[str] = field(
        String(200), default="", label=("精神状态", "Mental state"), personal=True, help="Mood and mental state."
    )
    safety: Mapped[str] = field(
        String(200),
        default="",
        label=("居家安全（水电气）", "Home safety (gas, electricity, water)"),
        personal=True,
        help="Home safety: gas, electricity, water, heating.",
    )
    hygiene: Mapped[str] = field(
        String(200),
        default="",
        label=("卫生及居住环境", "Hygiene and surroundings"),
        personal=True,
        help="Personal hygiene and the state of the home and surroundings.",
    )
    family_care: Mapped[str] = field(
        String(200),
        default="",
        label=("家庭照料情况", "Family care"),
        personal=True,
        help="How family members care for the elder.",
    )
    services: Mapped[str] = field(
        Text,
        default="",
        label=("提供的服务", "Services delivered"),
        widget=TEXT,
        personal=True,
        help="Services delivered during the visit.",
    )
    needs: Mapped[str] = field(
        String(120),
        default="",
        label=("服务需求", "Needs"),
        codes="visit_need",
        multi=True,
        personal=True,
        help=("Needs found, comma-separated codes: `daily_care`, `emotional`, `emergency`, `health`, `legal`, "
              "`leisure`. Dictionary `visit_need` exists but the value is not checked against it."),
    )
    risk_change: Mapped[str] = field(
        String(8),
        default="none",
        label=("风险变化", "Change in risk"),
        codes="visit_risk_change",
        help="Change in risk since the last visit: `none`, `up`, `down`.",
    )
    outcome: Mapped[str] = field(
        String(16),
        default="done",
        label=("探访结果", "Visit outcome"),
        codes="visit_outcome",
        help="Result of the visit: `done`, `follow_up`, `referred`, `closed`.",
    )
    follow_up: Mapped[str] = visits.follow_up(
        label=("跟进事项", "Follow-up"), help="What has to be followed up, by whom."
    )
    corrects_id: Mapped[str | None] = field(
        String(36),
        default=None,
        label=("更正的探访记录", "Corrects visit"),
        rule=RECORD_ID,
        help="The earlier visit this one corrects, if it is a correction.",
    )
    notes: Mapped[str] = field(
        Text, default="", label=("备注", "Notes"), widget=TEXT, personal=True, help="Free-text remarks."
    )
