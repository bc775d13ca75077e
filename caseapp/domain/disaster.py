"""Disaster information reports: initial (初报), updates (续报) and final (核报), as one series."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from caseapp.domain.base import Record, register
from caseapp.domain.types import Money, UtcDateTime


@register
class DisasterReport(Record):
    __tablename__ = "disaster_reports"
    entity = "disaster_report"
    state_field = "stage"

    #: the initial report of the series (None for the initial report itself)
    series_id: Mapped[str | None] = mapped_column(ForeignKey("disaster_reports.id"), default=None, index=True)
    #: initial / update / final
    stage: Mapped[str] = mapped_column(String(8), default="initial")
    disaster_type: Mapped[str] = mapped_column(String(16))
    sub_type: Mapped[str | None] = mapped_column(String(30), default=None)
    occurred_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    reported_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    place: Mapped[str] = mapped_column(String(200), default="")
    affected: Mapped[int] = mapped_column(Integer, default=0)
    dead: Mapped[int] = mapped_column(Integer, default=0)
    missing: Mapped[int] = mapped_column(Integer, default=0)
    injured: Mapped[int] = mapped_column(Integer, default=0)
    relocated: Mapped[int] = mapped_column(Integer, default=0)
    need_urgent_aid: Mapped[int] = mapped_column(Integer, default=0)
    trapped: Mapped[int] = mapped_column(Integer, default=0)
    short_of_water: Mapped[int] = mapped_column(Integer, default=0)
    crops_affected_ha: Mapped[float] = mapped_column(Float, default=0.0)
    crops_damaged_ha: Mapped[float] = mapped_column(Float, default=0.0)
    crops_lost_ha: Mapped[float] = mapped_column(Float, default=0.0)
    houses_collapsed_households: Mapped[int] = mapped_column(Integer, default=0)
    houses_collapsed_rooms: Mapped[int] = mapped_column(Integer, default=0)
    houses_severe_households: Mapped[int] = mapped_column(Integer, default=0)
    houses_severe_rooms: Mapped[int] = mapped_column(Integer, default=0)
    houses_light_households: Mapped[int] = mapped_column(Integer, default=0)
    houses_light_rooms: Mapped[int] = mapped_column(Integer, default=0)
    #: direct economic loss in yuan
    direct_loss: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    relief_given: Mapped[str] = mapped_column(Text, default="")
    narrative: Mapped[str] = mapped_column(Text, default="")
    reporter: Mapped[str] = mapped_column(String(60), default="")
    reviewer: Mapped[str | None] = mapped_column(String(60), default=None)
