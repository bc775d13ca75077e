"""平安通: Guangzhou's emergency-call and care-call service for older people. Each call from an elder's
device is a record on the elder's profile, handled ALARM → VERIFY → DISPATCH → FOLLOW → RESOLVED
(caseapp.services.workflows.EMERGENCY_CALL)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped

from caseapp.domain.base import Record, register
from caseapp.domain.fields import TEXT, field
from caseapp.domain.types import UtcDateTime
from caseapp.validation.rules import PAST


@register
class EmergencyCall(Record):
    """A call from an elder's 平安通 device: when, an alarm or a care call, how the call centre or
    community responded, whom it dispatched, the outcome and the follow-up. Its status moves only
    through the workflow; dispatch and resolution are stamped as they happen."""

    __tablename__ = "emergency_calls"
    entity = "emergency_call"
    label = ("平安通呼叫记录", "Ping'antong call")
    summary = ("called_at", "call_type")
    state_field = "status"
    parent = ("elder_id", "elder_profile")

    elder_id: Mapped[str] = field(
        ForeignKey("elder_profiles.id"),
        index=True,
        label=("呼叫老人", "Elder calling"),
        help="The elder profile whose device called.",
    )
    device_no: Mapped[str] = field(
        String(40),
        default="",
        label=("平安通设备号", "Ping'antong device number"),
        personal=True,
        help="The device that called; the elder profile's `pingantong_device` when left empty.",
    )
    called_at: Mapped[dt.datetime] = field(
        UtcDateTime,
        index=True,
        label=("呼叫时间", "Call time"),
        rule=PAST,
        help="When the call came in; cannot be in the future.",
    )
    call_type: Mapped[str] = field(
        String(8),
        default="alarm",
        label=("呼叫类型", "Call type"),
        codes="pingantong_call_type",
        help="An emergency alarm (一键呼救) or a care call.",
    )
    status: Mapped[str] = field(
        String(12),
        default="alarm",
        index=True,
        label=("处置状态", "Handling status"),
        help="Current workflow state; changes only through the workflow (see below).",
    )
    response: Mapped[str] = field(
        Text,
        default="",
        label=("响应情况", "Response"),
        widget=TEXT,
        personal=True,
        help="How the call was answered and checked (回拨老人, 联系紧急联系人 …).",
    )
    dispatched_to: Mapped[str] = field(
        String(120),
        default="",
        label=("派单对象", "Dispatched to"),
        personal=True,
        help="Whom the call was passed to (family, 社区工作人员, 120, 110 …); required to dispatch.",
    )
    dispatched_at: Mapped[dt.datetime | None] = field(
        UtcDateTime,
        default=None,
        label=("派单时间", "Dispatched at"),
        rule=PAST,
        help="When the call was dispatched; set automatically.",
    )
    outcome: Mapped[str | None] = field(
        String(12),
        default=None,
        label=("处置结果", "Outcome"),
        codes="pingantong_outcome",
        personal=True,
        help="How it ended: found safe, false alarm, family came, taken to hospital …; required to resolve.",
    )
    follow_up: Mapped[str] = field(
        Text,
        default="",
        label=("跟进回访", "Follow-up"),
        widget=TEXT,
        personal=True,
        help="The follow-up call or visit after the event, and what it found.",
    )
    resolved_at: Mapped[dt.datetime | None] = field(
        UtcDateTime,
        default=None,
        label=("办结时间", "Resolved at"),
        rule=PAST,
        help="When the call was resolved; set automatically.",
    )
