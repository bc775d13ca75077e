"""探访记录表: one visit to an elder (探访关爱): who the elder is and how they live, what the
visitors found (health, mood, home safety, hygiene, family care), the services given, the needs
found, the change in risk and what follows, with the visitors' and the elder's signatures."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from caseapp.domain import CareVisit, ElderProfile, Household, Member
from caseapp.services import records
from caseapp.services.forms import layout
from caseapp.services.forms.layout import Box

TITLE = "探访记录表"
MEMBER_FIELDS = ("name", "sex", "birth_date", "phone")
ELDER_FIELDS = ("living_arrangement", "capacity_level", "risk_tier", "entitlement", "emergency_contact_name",
                "emergency_contact_phone", "emergency_contact_relation", "pingantong_device")
VISIT_FIELDS = ("visited_at", "method", "outcome", "risk_change", "visitors", "health", "mental_state", "safety",
                "hygiene", "family_care", "services", "needs", "follow_up", "notes")
WIDE = ("visitors", "health", "mental_state", "safety", "hygiene", "family_care", "services", "needs",
        "follow_up", "notes")


def visit_form(session: Session, visit_id: str, *, today: dt.date | None = None) -> str:
    today = today or dt.date.today()
    visit = records.get(session, CareVisit, visit_id)
    elder = records.get(session, ElderProfile, visit.elder_id)
    person = records.get(session, Member, elder.member_id)
    home = records.get(session, Household, elder.household_id)
    who = layout.facts([*layout.facts_of(person, MEMBER_FIELDS),
                        *layout.facts_of(home, ("address",), wide=("address",)),
                        *layout.facts_of(elder, ELDER_FIELDS)])
    seen = layout.facts(layout.facts_of(visit, VISIT_FIELDS, wide=WIDE))
    signatures = layout.boxes([Box(layout.label(CareVisit, "visitors"), name=visit.visitors), Box("老人或家属")])
    body = (f"{layout.section('一、老人基本情况')}{who}{layout.section('二、探访情况')}{seen}"
            f"{layout.section('三、签字', keep=True)}{signatures}")
    return layout.page(TITLE, body, unit=layout.issuing_unit(visit.org_code), record=visit, today=today)


def build(session: Session, record_id: str, today: dt.date) -> str:
    return visit_form(session, record_id, today=today)
