"""Community grid management: events (入格事项) with their handling history, and patrol logs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from caseapp.domain.base import Record, register
from caseapp.domain.types import UtcDateTime


@register
class GridEvent(Record):
    __tablename__ = "grid_events"
    entity = "grid_event"
    state_field = "status"

    title: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(24))
    occurred_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    place: Mapped[str] = mapped_column(String(200), default="")
    latitude: Mapped[float | None] = mapped_column(Float, default=None)
    longitude: Mapped[float | None] = mapped_column(Float, default=None)
    #: patrol / hotline / video / resident
    source: Mapped[str] = mapped_column(String(16), default="patrol")
    #: minor (may be self-resolved under 采办分离) / normal / major
    scale: Mapped[str] = mapped_column(String(8), default="normal")
    people_involved: Mapped[int] = mapped_column(Integer, default=0)
    party_name: Mapped[str | None] = mapped_column(String(60), default=None)
    party_id_number: Mapped[str | None] = mapped_column(String(18), default=None)
    party_address: Mapped[str | None] = mapped_column(String(200), default=None)
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="reported", index=True)
    department: Mapped[str | None] = mapped_column(String(60), default=None)
    deadline: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    household_id: Mapped[str | None] = mapped_column(ForeignKey("households.id"), default=None)


@register
class GridEventUpdate(Record):
    """One step in an event's handling history: a fact, never edited."""

    __tablename__ = "grid_event_updates"
    entity = "grid_event_update"
    insert_only = True
    parent = ("event_id", "grid_event")

    event_id: Mapped[str] = mapped_column(ForeignKey("grid_events.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    from_status: Mapped[str | None] = mapped_column(String(16), default=None)
    to_status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")


@register
class PatrolLog(Record):
    __tablename__ = "patrol_logs"
    entity = "patrol_log"
    insert_only = True

    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    places_checked: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[str] = mapped_column(Text, default="")
    #: JSON list of [lat, lon, iso-time] points
    track: Mapped[str] = mapped_column(Text, default="[]")
    #: comma-separated grid event ids raised during the patrol
    event_ids: Mapped[str] = mapped_column(Text, default="")
