"""Disaster information reports: initial (初报), updates (续报) and final (核报), as one series."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped

from caseapp.domain.base import Record, register
from caseapp.domain.fields import field
from caseapp.domain.types import Money, UtcDateTime
from caseapp.validation.rules import PAST


@register
class DisasterReport(Record):
    """One disaster information report (灾情报告) in the statistical format of the 自然灾害情况统计制度: the initial
    report (初报), any number of updates (续报) and one final report (核报) form a series linked by
    `series_id`. Figures are the cumulative totals as known at the report time. Disaster statistics are
    confidential (Statistics Law Art. 9)."""

    __tablename__ = "disaster_reports"
    entity = "disaster_report"
    label = ("灾情报告", "Disaster report")
    summary = ("stage", "disaster_type", "occurred_at")
    state_field = "stage"
    #: a 续报 or 核报 belongs to its series' 初报: it lives (and moves) where the initial report does
    parent = ("series_id", "disaster_report")

    series_id: Mapped[str | None] = field(
        ForeignKey("disaster_reports.id"),
        default=None,
        index=True,
        fixed=True,
        label=("所属初报", "Initial report of the series"),
        help="The initial report (初报) of the series; empty on the initial report itself.",
    )
    stage: Mapped[str] = field(
        String(8),
        default="initial",
        fixed=True,
        label=("报告类型（初报/续报/核报）", "Report stage (initial / update / final)"),
        help="`initial` (初报), `update` (续报) or `final` (核报).",
    )
    disaster_type: Mapped[str] = field(
        String(16),
        label=("灾害种类", "Disaster type"),
        codes="disaster_type",
        help="Kind of disaster: flood, typhoon, drought, hail, low temperature, landslide …",
    )
    sub_type: Mapped[str | None] = field(
        String(30), default=None, label=("灾害细类", "Sub-type"), help="Finer kind of disaster, free text."
    )
    occurred_at: Mapped[dt.datetime] = field(
        UtcDateTime, label=("发生时间", "Time of occurrence"), rule=PAST, help="When the disaster began."
    )
    reported_at: Mapped[dt.datetime] = field(
        UtcDateTime, label=("报告时间", "Report time"), rule=PAST, help="When this report was made."
    )
    place: Mapped[str] = field(
        String(200), default="", label=("受灾地点", "Affected place"), help="Townships and villages affected."
    )
    affected: Mapped[int] = field(
        Integer, default=0, label=("受灾人口（人）", "People affected"), help="People affected (受灾人口)."
    )
    dead: Mapped[int] = field(Integer, default=0, label=("死亡人口（人）", "Dead"), help="People dead (死亡人口).")
    missing: Mapped[int] = field(
        Integer, default=0, label=("失踪人口（人）", "Missing"), help="People missing (失踪人口)."
    )
    injured: Mapped[int] = field(Integer, default=0, label=("受伤人口（人）", "Injured"), help="People injured.")
    relocated: Mapped[int] = field(
        Integer,
        default=0,
        label=("紧急转移安置人口（人）", "People relocated"),
        help="People urgently relocated (紧急转移安置人口).",
    )
    need_urgent_aid: Mapped[int] = field(
        Integer,
        default=0,
        label=("需紧急生活救助人口（人）", "People needing urgent aid"),
        help="People in need of urgent living assistance (需紧急生活救助人口).",
    )
    trapped: Mapped[int] = field(Integer, default=0, label=("被困人口（人）", "People trapped"), help="People trapped.")
    short_of_water: Mapped[int] = field(
        Integer,
        default=0,
        label=("饮水困难需救助人口（人）", "People short of drinking water"),
        help="People short of drinking water and needing help (饮水困难).",
    )
    crops_affected_ha: Mapped[float] = field(
        Float,
        default=0.0,
        label=("农作物受灾面积（公顷）", "Crops affected (ha)"),
        help="Crop area affected (受灾), hectares.",
    )
    crops_damaged_ha: Mapped[float] = field(
        Float,
        default=0.0,
        label=("农作物成灾面积（公顷）", "Crops damaged (ha)"),
        help="Crop area damaged (成灾), hectares.",
    )
    crops_lost_ha: Mapped[float] = field(
        Float, default=0.0, label=("农作物绝收面积（公顷）", "Crops lost (ha)"), help="Crop area lost (绝收), hectares."
    )
    houses_collapsed_households: Mapped[int] = field(
        Integer,
        default=0,
        label=("倒塌房屋（户）", "Houses collapsed (households)"),
        help="Households whose houses collapsed.",
    )
    houses_collapsed_rooms: Mapped[int] = field(
        Integer, default=0, label=("倒塌房屋（间）", "Houses collapsed (rooms)"), help="Rooms collapsed."
    )
    houses_severe_households: Mapped[int] = field(
        Integer,
        default=0,
        label=("严重损坏房屋（户）", "Houses badly damaged (households)"),
        help="Households whose houses were badly damaged.",
    )
    houses_severe_rooms: Mapped[int] = field(
        Integer, default=0, label=("严重损坏房屋（间）", "Houses badly damaged (rooms)"), help="Rooms badly damaged."
    )
    houses_light_households: Mapped[int] = field(
        Integer,
        default=0,
        label=("一般损坏房屋（户）", "Houses lightly damaged (households)"),
        help="Households whose houses were lightly damaged.",
    )
    houses_light_rooms: Mapped[int] = field(
        Integer,
        default=0,
        label=("一般损坏房屋（间）", "Houses lightly damaged (rooms)"),
        help="Rooms lightly damaged.",
    )
    direct_loss: Mapped[Decimal] = field(
        Money,
        default=Decimal("0"),
        label=("直接经济损失（元）", "Direct economic loss (yuan)"),
        help="Direct economic loss in yuan (statistical forms use 万元: divide by 10,000).",
    )
    relief_given: Mapped[str] = field(
        Text,
        default="",
        label=("已采取的救灾措施", "Relief given"),
        help="Relief measures taken and goods or money given.",
    )
    narrative: Mapped[str] = field(
        Text,
        default="",
        label=("灾情描述", "Narrative"),
        personal=True,
        help="Description of the disaster and its course.",
    )
    reporter: Mapped[str] = field(
        String(60), default="", label=("填报人", "Reported by"), help="Person who filled in the report."
    )
    reviewer: Mapped[str | None] = field(
        String(60), default=None, label=("审核人", "Reviewed by"), help="Person who checked the report."
    )
