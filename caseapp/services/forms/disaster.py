"""灾情报告 (初报 / 续报 / 核报): one report of a disaster series in the layout of the 自然灾害情况
统计制度 — what happened, when and where; the people affected, dead, missing, injured, relocated and
in need; crops affected, damaged and lost; houses collapsed and damaged, by household and by room;
the direct loss; the relief given; and the reporter's, the reviewer's and the unit's sign-off.
Disaster statistics are confidential until published (Statistics Law Art. 9)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from caseapp.domain import DisasterReport
from caseapp.services import display, records
from caseapp.services.forms import layout
from caseapp.services.forms.layout import Box, Fact

TITLE = "灾情报告"
EVENT_FIELDS = ("disaster_type", "sub_type", "occurred_at", "reported_at", "place")
PEOPLE = ("affected", "dead", "missing", "injured", "relocated", "need_urgent_aid", "trapped", "short_of_water")
CROPS = ("crops_affected_ha", "crops_damaged_ha", "crops_lost_ha")
HOUSES = ("houses_collapsed_households", "houses_collapsed_rooms", "houses_severe_households",
          "houses_severe_rooms", "houses_light_households", "houses_light_rooms")


def disaster_form(session: Session, report_id: str, *, today: dt.date | None = None) -> str:
    today = today or dt.date.today()
    report = records.get(session, DisasterReport, report_id)
    event = layout.facts_of(report, EVENT_FIELDS, wide=("place",))
    if report.series_id:
        first = records.get(session, DisasterReport, report.series_id)
        event.append(Fact(layout.label(DisasterReport, "series_id"),
                          f"{layout.number(first.id)}（{layout.said(first, 'reported_at')}）", wide=True))
    loss = [*layout.facts_of(report, ("direct_loss",)),
            Fact("折合（万元）", f"{report.direct_loss / 10000:,.2f}")]
    body = (f"{layout.section('一、灾害基本情况')}{layout.facts(event)}"
            f"{layout.section('二、人员受灾情况')}{layout.facts(layout.facts_of(report, PEOPLE), per_row=2)}"
            f"{layout.section('三、农作物受灾情况')}{layout.facts(layout.facts_of(report, CROPS), per_row=3)}"
            f"{layout.section('四、房屋受损情况')}{layout.facts(layout.facts_of(report, HOUSES), per_row=2)}"
            f"{layout.section('五、经济损失')}{layout.facts(loss)}"
            f"{layout.text_box(layout.label(DisasterReport, 'relief_given'), layout.said(report, 'relief_given'))}"
            f"{layout.text_box(layout.label(DisasterReport, 'narrative'), layout.said(report, 'narrative'))}"
            f"{layout.section('六、报送', keep=True)}"
            + layout.boxes([Box(layout.label(DisasterReport, "reporter"), name=report.reporter),
                            Box(layout.label(DisasterReport, "reviewer"), name=report.reviewer or ""),
                            Box("填报单位", signer="负责人：", seal=True)])
            + layout.note("注：人口、房屋、农作物数据为截至报告时间的累计数；统计资料未经公布前注意保密。"))
    stage = display.state_name("disaster_report", report.stage, layout.ZH)
    return layout.page(TITLE, body, unit=layout.issuing_unit(report.org_code), record=report, today=today,
                       subtitle=f"（{stage}）")


def build(session: Session, record_id: str, today: dt.date) -> str:
    return disaster_form(session, record_id, today=today)
