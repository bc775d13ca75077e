"""Applications for a place in a public care home or day-care centre (入住轮候): some older elders,
more of those the assessment found severely dependent, each at a stage of the waiting list, with the
priority categories their household's assistance and their age give them. The queue places are
never generated: the list works them out from the rules."""

from __future__ import annotations

import datetime as dt
import random

from caseapp import refdata
from caseapp.domain import CareApplication, ElderProfile, Record
from caseapp.services.demo.common import chance, pick, record
from caseapp.services.demo.households import HouseholdDraft, Person

#: (facility type, name pattern): the district's public homes and the street's day-care centre
FACILITIES = (("care_home", "{district}老人院"), ("care_home", "{district}社会福利院"),
              ("day_care", "{street}长者日间托老中心"))
STAGES = (("waiting", 55), ("applying", 10), ("offered", 8), ("admitted", 17), ("declined", 4), ("withdrawn", 6))
DECLINED = ("家属决定居家照料", "机构离家较远，家属探望不便", "老人不愿入住")
WITHDRAWN = ("已入住民办养老机构", "老人身体好转，暂不入住", "随子女迁居外地")
PRIORITY_BY_ECONOMIC = {"tekun": "tekun", "dibao": "dibao", "low_income": "low_income"}


def build(rng: random.Random, draft: HouseholdDraft, earlier: list[Record], today: dt.date) -> list[Record]:
    profiles = {r.member_id: r for r in earlier if isinstance(r, ElderProfile)}
    out: list[Record] = []
    for person in draft.people:
        profile = profiles.get(person.member.id) if person.member is not None else None
        if profile is None or person.age < 65:
            continue
        dependent = profile.capacity_level in ("3", "4")
        if not chance(rng, 0.3 if dependent else 0.03):
            continue
        kind, pattern = rng.choice(FACILITIES[:2] if dependent else FACILITIES)
        facility = pattern.format(district=draft.grid.district.name, street=draft.grid.street.name)
        priorities = [PRIORITY_BY_ECONOMIC[draft.economic]] if draft.economic in PRIORITY_BY_ECONOMIC else []
        if person.age >= 80:
            priorities.append("advanced_age")
        if chance(rng, 0.08):
            priorities.append("dementia")
        if chance(rng, 0.02):
            priorities.append("family_planning")
        stage = pick(rng, list(STAGES))
        applied = today - dt.timedelta(days=rng.randint(30, 720))
        assessed = None if stage == "applying" else applied + dt.timedelta(days=rng.randint(3, 20))
        relatives = [p for p in draft.people if p is not person and p.age >= 18]
        by_family = bool(relatives) and chance(rng, 0.7)
        app = record(CareApplication, org_code=draft.household.org_code, household_id=draft.household.id,
                     member_id=person.member.id, facility_type=kind, facility_name=facility,
                     applicant="family" if by_family else "self",
                     applicant_name=f"{relatives[0].name}（{_relation(relatives[0], person)}）" if by_family else "",
                     applied_on=applied,
                     capacity_level=profile.capacity_level if assessed else None, assessed_on=assessed,
                     priorities=",".join(priorities), status=stage, queued_on=assessed and applied, offers=0,
                     offered_place="", offered_on=None, closed_on=None, closing_reason="", notes="")
        _stages(rng, app, stage, today)
        out.append(app)
    return out


def _relation(relative: Person, elder: Person) -> str:
    """How the relative who applied is related to the elder (roles are relative to the head)."""
    male = relative.sex == "M"
    if elder.role in ("head", "spouse"):
        names = {"head": "配偶", "spouse": "配偶", "child": "儿子" if male else "女儿",
                 "child_in_law": "女婿" if male else "儿媳", "grandchild": "孙子" if male else "孙女"}
        return names.get(relative.role, "亲属")
    if elder.role == "parent":
        return {"head": "儿子" if male else "女儿", "spouse": "女婿" if male else "儿媳"}.get(relative.role, "亲属")
    return "亲属"


def _stages(rng: random.Random, app: CareApplication, stage: str, today: dt.date) -> None:
    """The offers, dates and reasons a stage has by now (within the rules' declines)."""
    if stage in ("applying", "waiting") or (stage == "withdrawn" and chance(rng, 0.5)):
        if stage == "withdrawn":
            app.closing_reason, app.closed_on = rng.choice(WITHDRAWN), today - dt.timedelta(days=rng.randint(1, 20))
        return
    rules = refdata.rules().care_waitlist
    start = app.assessed_on or app.applied_on
    offered = min(start + dt.timedelta(days=rng.randint(20, 400)), today - dt.timedelta(days=1))
    app.offers, app.offered_on = 1, offered
    app.offered_place = f"{rng.randint(1, 6)}楼 {rng.randint(1, 30):02d}房 {rng.randint(1, 3)}床" \
        if app.facility_type == "care_home" else "日间托位"
    if stage == "declined":
        app.offers = rules.declines_kept + 1  # every offer it was allowed to decline, and this one
        app.closing_reason = rng.choice(DECLINED)
    if stage == "withdrawn":
        app.closing_reason = rng.choice(WITHDRAWN)
    if stage in ("admitted", "declined", "withdrawn"):
        app.closed_on = min(offered + dt.timedelta(days=rng.randint(1, 10)), today - dt.timedelta(days=1))
