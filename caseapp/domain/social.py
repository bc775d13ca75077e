"""Social-work cases (MZ/T 094-2017), their session notes, and referrals between organisations."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from caseapp.domain.base import Record, register
from caseapp.domain.types import IsoDate, UtcDateTime


@register
class SocialWorkCase(Record):
    __tablename__ = "social_work_cases"
    entity = "social_work_case"
    state_field = "status"

    household_id: Mapped[str | None] = mapped_column(ForeignKey("households.id"), default=None, index=True)
    client_member_id: Mapped[str | None] = mapped_column(ForeignKey("members.id"), default=None)
    client_name: Mapped[str] = mapped_column(String(60))
    referral_source: Mapped[str] = mapped_column(String(60), default="")
    presenting_problem: Mapped[str] = mapped_column(Text, default="")
    assessment: Mapped[str] = mapped_column(Text, default="")
    goals: Mapped[str] = mapped_column(Text, default="")
    plan: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="intake")
    worker: Mapped[str] = mapped_column(String(60), default="")
    supervisor: Mapped[str | None] = mapped_column(String(60), default=None)
    closure_reason: Mapped[str | None] = mapped_column(String(200), default=None)
    opened_on: Mapped[dt.date | None] = mapped_column(IsoDate, default=None)
    closed_on: Mapped[dt.date | None] = mapped_column(IsoDate, default=None)


@register
class CaseNote(Record):
    """A session or review note on a social-work case: a fact, never edited."""

    __tablename__ = "case_notes"
    entity = "case_note"
    insert_only = True
    parent = ("case_id", "social_work_case")

    case_id: Mapped[str] = mapped_column(ForeignKey("social_work_cases.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    #: session / review / supervision
    kind: Mapped[str] = mapped_column(String(16), default="session")
    text: Mapped[str] = mapped_column(Text, default="")


@register
class Referral(Record):
    __tablename__ = "referrals"
    entity = "referral"
    state_field = "status"

    household_id: Mapped[str | None] = mapped_column(ForeignKey("households.id"), default=None, index=True)
    case_id: Mapped[str | None] = mapped_column(ForeignKey("social_work_cases.id"), default=None)
    client_name: Mapped[str] = mapped_column(String(60))
    from_org: Mapped[str] = mapped_column(String(100))
    from_worker: Mapped[str] = mapped_column(String(60), default="")
    to_org: Mapped[str] = mapped_column(String(100))
    to_worker: Mapped[str | None] = mapped_column(String(60), default=None)
    reason: Mapped[str] = mapped_column(Text, default="")
    #: normal / urgent / emergency
    urgency: Mapped[str] = mapped_column(String(12), default="normal")
    consent_given: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_ref: Mapped[str | None] = mapped_column(String(80), default=None)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    response: Mapped[str] = mapped_column(Text, default="")
    feedback_on: Mapped[dt.date | None] = mapped_column(IsoDate, default=None)
