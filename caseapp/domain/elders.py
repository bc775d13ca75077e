"""Home-based elderly care: elder profiles and care visits (探访关爱)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from caseapp.domain.base import Record, register
from caseapp.domain.types import UtcDateTime


@register
class ElderProfile(Record):
    __tablename__ = "elder_profiles"
    entity = "elder_profile"
    parent = ("household_id", "household")

    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    #: alone / empty_nest / left_behind / with_family / institution
    living_arrangement: Mapped[str] = mapped_column(String(16), default="with_family")
    #: GB/T 42195 level 0 (intact) … 4 (complete loss)
    capacity_level: Mapped[str] = mapped_column(String(2), default="0")
    #: high / key / normal: sets the visit frequency
    risk_tier: Mapped[str] = mapped_column(String(8), default="normal")
    #: youfu / dibao / age80 (entitlement basis), comma-separated
    entitlement: Mapped[str] = mapped_column(String(60), default="")
    emergency_contact_name: Mapped[str | None] = mapped_column(String(60), default=None)
    emergency_contact_phone: Mapped[str | None] = mapped_column(String(32), default=None)
    emergency_contact_relation: Mapped[str | None] = mapped_column(String(30), default=None)
    pingantong_device: Mapped[str | None] = mapped_column(String(40), default=None)
    #: overrides the tier's interval when set
    visit_interval_days: Mapped[int | None] = mapped_column(Integer, default=None)
    notes: Mapped[str] = mapped_column(Text, default="")


@register
class CareVisit(Record):
    """One visit to an elder: a fact, never edited (a correction is a new visit referencing it)."""

    __tablename__ = "care_visits"
    entity = "care_visit"
    insert_only = True
    parent = ("elder_id", "elder_profile")

    elder_id: Mapped[str] = mapped_column(ForeignKey("elder_profiles.id"), index=True)
    visited_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    #: in_person / phone / video
    method: Mapped[str] = mapped_column(String(16), default="in_person")
    visitors: Mapped[str] = mapped_column(String(120), default="")
    health: Mapped[str] = mapped_column(Text, default="")
    mental_state: Mapped[str] = mapped_column(String(200), default="")
    safety: Mapped[str] = mapped_column(String(200), default="")
    hygiene: Mapped[str] = mapped_column(String(200), default="")
    family_care: Mapped[str] = mapped_column(String(200), default="")
    services: Mapped[str] = mapped_column(Text, default="")
    #: comma-separated: daily_care, emotional, emergency, health, legal, leisure
    needs: Mapped[str] = mapped_column(String(120), default="")
    #: none / up / down
    risk_change: Mapped[str] = mapped_column(String(8), default="none")
    #: done / follow_up / referred / closed
    outcome: Mapped[str] = mapped_column(String(16), default="done")
    follow_up: Mapped[str] = mapped_column(Text, default="")
    corrects_id: Mapped[str | None] = mapped_column(String(36), default=None)
    notes: Mapped[str] = mapped_column(Text, default="")
