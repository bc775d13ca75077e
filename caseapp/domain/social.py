"""Social-work cases (MZ/T 094-2017), their session notes, and referrals between organisations."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped

from caseapp.domain.base import Record, register
from caseapp.domain.fields import field
from caseapp.domain.types import IsoDate, UtcDateTime
from caseapp.validation.rules import DIVISION_CODE, PAST, PERSON_NAME


@register
class SocialWorkCase(Record):
    """A social-work case (个案, MZ/T 094-2017): the client, where the case came from, the presenting
    problem, the assessment (预估), goals and plan, the worker and supervisor, and how it closed."""

    __tablename__ = "social_work_cases"
    entity = "social_work_case"
    label = ("社工个案", "Social-work case")
    summary = ("client_name", "status")
    state_field = "status"
    parent = ("household_id", "household")

    household_id: Mapped[str | None] = field(
        ForeignKey("households.id"),
        default=None,
        index=True,
        label=("所属家庭", "Household"),
        help="The client's household, if known.",
    )
    client_member_id: Mapped[str | None] = field(
        ForeignKey("members.id"),
        default=None,
        label=("服务对象（家庭成员）", "Client (household member)"),
        help="The client as a household member, if registered as one.",
    )
    client_name: Mapped[str] = field(
        String(60), label=("服务对象姓名", "Client's name"), rule=PERSON_NAME, personal=True, help="The client's name."
    )
    referral_source: Mapped[str] = field(
        String(60),
        default="",
        label=("个案来源", "Referral source"),
        help="Where the case came from (self, 居委会, school, hospital, another service …).",
    )
    presenting_problem: Mapped[str] = field(
        Text,
        default="",
        label=("呈现问题", "Presenting problem"),
        personal=True,
        help="The problem as the client presents it.",
    )
    assessment: Mapped[str] = field(
        Text,
        default="",
        label=("预估", "Assessment"),
        personal=True,
        help="The worker's assessment (预估) of the client, family and social situation.",
    )
    goals: Mapped[str] = field(
        Text, default="", label=("服务目标", "Goals"), personal=True, help="Goals agreed with the client."
    )
    plan: Mapped[str] = field(
        Text, default="", label=("服务计划", "Service plan"), personal=True, help="The service plan."
    )
    status: Mapped[str] = field(
        String(16),
        default="intake",
        label=("个案阶段", "Case stage"),
        help="Current workflow state; changes only through the workflow (see below).",
    )
    worker: Mapped[str] = field(
        String(60), default="", label=("负责社工", "Social worker"), help="Social worker responsible for the case."
    )
    supervisor: Mapped[str | None] = field(
        String(60), default=None, label=("督导", "Supervisor"), help="Supervisor who signs off the case."
    )
    closure_reason: Mapped[str | None] = field(
        String(200),
        default=None,
        label=("结案原因", "Closure reason"),
        help="Why the case was closed; required to close it.",
    )
    opened_on: Mapped[dt.date | None] = field(
        IsoDate, default=None, label=("开案日期", "Opened on"), rule=PAST, help="Date the case was opened."
    )
    closed_on: Mapped[dt.date | None] = field(
        IsoDate,
        default=None,
        label=("结案日期", "Closed on"),
        rule=PAST,
        help="Date the case was closed; set automatically on closing.",
    )


@register
class CaseNote(Record):
    """A session, review or supervision note on a social-work case. A fact: never edited."""

    __tablename__ = "case_notes"
    entity = "case_note"
    label = ("个案记录", "Case note")
    summary = ("at", "kind")
    insert_only = True
    parent = ("case_id", "social_work_case")

    case_id: Mapped[str] = field(
        ForeignKey("social_work_cases.id"),
        index=True,
        label=("所属社工个案", "Social-work case"),
        help="The social-work case.",
    )
    at: Mapped[dt.datetime] = field(
        UtcDateTime,
        label=("记录时间", "Time of note"),
        rule=PAST,
        help="When the session, review or supervision took place.",
    )
    kind: Mapped[str] = field(
        String(16),
        default="session",
        label=("记录类型", "Note type"),
        codes="case_note_kind",
        help="`session`, `review` or `supervision`.",
    )
    text: Mapped[str] = field(
        Text, default="", label=("记录内容", "Text"), required=True, personal=True, help="The note."
    )


@register
class Referral(Record):
    """A referral (转介) of a client from one organisation to another: the reason and urgency, the client's
    consent, the receiving organisation's response and the feedback. A referral cannot be sent without
    the client's consent."""

    __tablename__ = "referrals"
    entity = "referral"
    label = ("转介单", "Referral")
    summary = ("client_name", "to_org")
    state_field = "status"
    parent = ("household_id", "household")

    household_id: Mapped[str | None] = field(
        ForeignKey("households.id"),
        default=None,
        index=True,
        label=("所属家庭", "Household"),
        help="The client's household, if known.",
    )
    case_id: Mapped[str | None] = field(
        ForeignKey("social_work_cases.id"),
        default=None,
        label=("关联社工个案", "Related social-work case"),
        help="The social-work case the referral comes from, if any.",
    )
    client_member_id: Mapped[str | None] = field(
        ForeignKey("members.id"),
        default=None,
        label=("服务对象（家庭成员）", "Client (household member)"),
        help="The client as a member of the referral's household; required before the referral is sent "
        "(caseapp.services.referrals).",
    )
    client_name: Mapped[str] = field(
        String(60), label=("服务对象姓名", "Client's name"), rule=PERSON_NAME, personal=True, help="The client's name."
    )
    from_org: Mapped[str] = field(
        String(100), label=("转出机构", "Referring organisation"), help="Organisation making the referral."
    )
    from_worker: Mapped[str] = field(
        String(60), default="", label=("转出社工", "Referring worker"), help="Worker making the referral."
    )
    to_org: Mapped[str] = field(
        String(100),
        label=("转介机构（接收方）", "Receiving organisation"),
        help="Organisation the client is referred to.",
    )
    to_org_code: Mapped[str | None] = field(
        String(12),
        default=None,
        label=("接收机构区划代码", "Receiving centre's division code"),
        rule=DIVISION_CODE,
        help="Division code of the receiving centre's area (district 6, street 9 or community 12 digits, in the "
        "referral's city). Once the referral is sent, devices whose scope holds this code receive it (and "
        "nothing else of the household) and answer it; it cannot change after sending. Required to send.",
    )
    to_worker: Mapped[str | None] = field(
        String(60),
        default=None,
        label=("接收方联系人", "Receiving worker"),
        help="Contact person at the receiving organisation.",
    )
    reason: Mapped[str] = field(
        Text,
        default="",
        label=("转介原因", "Reason for referral"),
        personal=True,
        help="Why the client is referred and what is asked of the receiving organisation.",
    )
    urgency: Mapped[str] = field(
        String(12),
        default="normal",
        label=("紧急程度", "Urgency"),
        codes="referral_urgency",
        help="Normal, urgent, emergency.",
    )
    consent_given: Mapped[bool] = field(
        Boolean,
        default=False,
        label=("已取得同意", "Consent given"),
        help="The client (or guardian) consented to the referral; required before it is sent.",
    )
    consent_ref: Mapped[str | None] = field(
        String(80), default=None, label=("同意书编号", "Consent form number"), help="Number of the signed consent form."
    )
    consent_on: Mapped[dt.date | None] = field(
        IsoDate,
        default=None,
        label=("同意日期", "Consent date"),
        rule=PAST,
        help="Date the client (or guardian) signed the consent; required, with `consent_given`, before the referral "
        "is marked consented or sent.",
    )
    status: Mapped[str] = field(
        String(16),
        default="draft",
        label=("转介状态", "Referral status"),
        help="Current workflow state; changes only through the workflow (see below).",
    )
    sent_at: Mapped[dt.datetime | None] = field(
        UtcDateTime,
        default=None,
        label=("发送时间", "Sent at"),
        rule=PAST,
        help="When the referral was sent; set automatically.",
    )
    response: Mapped[str] = field(
        Text, default="", label=("接收方回复", "Response"), personal=True, help="The receiving organisation's answer."
    )
    feedback_on: Mapped[dt.date | None] = field(
        IsoDate,
        default=None,
        label=("反馈日期", "Feedback date"),
        rule=PAST,
        help="Date feedback on the service was received.",
    )
