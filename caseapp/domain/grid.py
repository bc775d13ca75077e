"""Community grid management: events (入格事项) with their handling history, and patrol logs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped

from caseapp.domain.base import Record, register
from caseapp.domain.fields import field
from caseapp.domain.types import UtcDateTime
from caseapp.errors import ValidationError
from caseapp.validation.rules import ID_NUMBER, LATITUDE, LONGITUDE, PAST, PERSON_NAME, RECORD_IDS, TRACK


@register
class GridEvent(Record):
    """A grid event (入格事项): a dispute, hazard, complaint or other matter a grid officer found on patrol or
    that came in by hotline, video or from a resident, with the party concerned, the department handling
    it and its deadline. Minor events may be handled by the officer directly (采办分离)."""

    __tablename__ = "grid_events"
    entity = "grid_event"
    label = ("网格事件", "Grid event")
    summary = ("title", "occurred_at")
    state_field = "status"

    title: Mapped[str] = field(String(120), label=("事件标题", "Title"), help="Short title of the event.")
    category: Mapped[str] = field(
        String(24),
        label=("事件类别", "Event category"),
        codes="grid_event_category",
        help="Event category code (矛盾纠纷, 安全隐患, 消防隐患, 环境卫生 …).",
    )
    occurred_at: Mapped[dt.datetime] = field(
        UtcDateTime,
        index=True,
        label=("发生时间", "Time of occurrence"),
        rule=PAST,
        help="When it happened or was found; cannot be in the future.",
    )
    place: Mapped[str] = field(String(200), default="", label=("发生地点", "Place"), help="Where it happened.")
    latitude: Mapped[float | None] = field(
        Float,
        default=None,
        label=("纬度", "Latitude"),
        rule=LATITUDE,
        personal=True,
        help="WGS-84 latitude where the record was made (kept internally, stripped before any public use).",
    )
    longitude: Mapped[float | None] = field(
        Float,
        default=None,
        label=("经度", "Longitude"),
        rule=LONGITUDE,
        personal=True,
        help="WGS-84 longitude where the record was made.",
    )
    source: Mapped[str] = field(
        String(16),
        default="patrol",
        label=("事件来源", "Source"),
        codes="event_source",
        help="How it came in: officer's patrol, 12345 hotline, video surveillance, a resident.",
    )
    scale: Mapped[str] = field(
        String(8),
        default="normal",
        label=("事件等级", "Scale"),
        codes="event_scale",
        help="Minor (the officer may resolve it directly), normal or major.",
    )
    people_involved: Mapped[int] = field(
        Integer, default=0, label=("涉及人数", "People involved"), help="Number of people involved."
    )
    party_name: Mapped[str | None] = field(
        String(60),
        default=None,
        label=("当事人姓名", "Party's name"),
        rule=PERSON_NAME,
        personal=True,
        help="Name of the party concerned (当事人).",
    )
    party_id_number: Mapped[str | None] = field(
        String(18),
        default=None,
        label=("当事人身份证号码", "Party's ID number"),
        rule=ID_NUMBER,
        masked=True,
        help="ID number of the party concerned.",
    )
    party_address: Mapped[str | None] = field(
        String(200),
        default=None,
        label=("当事人住址", "Party's address"),
        personal=True,
        help="Address of the party concerned.",
    )
    description: Mapped[str] = field(
        Text, default="", label=("事件描述", "Description"), personal=True, help="What happened, in full."
    )
    status: Mapped[str] = field(
        String(16),
        default="reported",
        index=True,
        label=("处置状态", "Handling status"),
        help="Current workflow state; changes only through the workflow (see below).",
    )
    department: Mapped[str | None] = field(
        String(60),
        default=None,
        label=("处置部门", "Handling department"),
        help="Department the event was dispatched to.",
    )
    deadline: Mapped[dt.datetime | None] = field(
        UtcDateTime,
        default=None,
        label=("办结时限", "Deadline"),
        help="Time by which the department must finish (办结时限).",
    )
    household_id: Mapped[str | None] = field(
        ForeignKey("households.id"),
        default=None,
        label=("所属家庭", "Household"),
        help="The household concerned, if the event is about one.",
    )


@register
class GridEventUpdate(Record):
    """One step in a grid event's handling history, written automatically by every status change of the
    event (from status, to status, when, note). A fact: never edited."""

    __tablename__ = "grid_event_updates"
    entity = "grid_event_update"
    label = ("事件处置记录", "Event handling step")
    summary = ("at", "to_status")
    insert_only = True
    parent = ("event_id", "grid_event")

    event_id: Mapped[str] = field(
        ForeignKey("grid_events.id"),
        index=True,
        label=("所属事件", "Event"),
        help="The grid event this step belongs to.",
    )
    at: Mapped[dt.datetime] = field(
        UtcDateTime, label=("处置时间", "Time of step"), rule=PAST, help="When the step was taken."
    )
    from_status: Mapped[str | None] = field(
        String(16),
        default=None,
        label=("原状态", "From status"),
        states="grid_event",
        help="The event's status before the step (empty for the first).",
    )
    to_status: Mapped[str] = field(
        String(16), label=("新状态", "To status"), states="grid_event", help="The event's status after the step."
    )
    note: Mapped[str] = field(
        Text,
        default="",
        label=("处置意见", "Handling note"),
        personal=True,
        help="Handling note entered with the status change.",
    )


@register
class PatrolLog(Record):
    """A grid officer's patrol: start and end, the places checked, the problems found, the GPS track and
    the events raised on the way. A fact: never edited."""

    __tablename__ = "patrol_logs"
    entity = "patrol_log"
    label = ("巡查日志", "Patrol log")
    summary = ("started_at", "places_checked")
    insert_only = True

    started_at: Mapped[dt.datetime] = field(
        UtcDateTime, label=("巡查开始时间", "Patrol start"), rule=PAST, help="When the patrol started."
    )
    ended_at: Mapped[dt.datetime] = field(
        UtcDateTime,
        label=("巡查结束时间", "Patrol end"),
        rule=PAST,
        help="When the patrol ended; not before the start.",
    )
    places_checked: Mapped[str] = field(
        Text, default="", label=("巡查地点", "Places checked"), help="Places checked on the patrol."
    )
    problems: Mapped[str] = field(Text, default="", label=("发现问题", "Problems found"), help="Problems found.")
    track: Mapped[str] = field(
        Text,
        default="[]",
        label=("巡查轨迹", "Track"),
        rule=TRACK,
        personal=True,
        help="GPS track as a JSON list of `[latitude, longitude, ISO time]` points.",
    )
    event_ids: Mapped[str] = field(
        Text,
        default="",
        label=("上报事件", "Events raised"),
        rule=RECORD_IDS,
        help="Comma-separated ids of the grid events raised during the patrol.",
    )

    @classmethod
    def check(cls, merged: Mapping[str, Any], out: dict[str, Any]) -> list[ValidationError]:
        start, end = merged.get("started_at"), merged.get("ended_at")
        if start and end and end < start:
            return [ValidationError("record.end_before_start", "ended_at")]
        return []
