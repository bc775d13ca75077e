"""The programmes around an application and a family: the public notice (公示) of each means-tested
case that reached it, with the case's notice fields as its notice says (caseapp.services.notices),
a democratic appraisal (民主评议) for some (no longer mandatory since 2021), and the files and
monitoring visits of children in hardship (困境儿童, 事实无人抚养儿童), and the people entitled to
preferential care (优抚对象) with their visits and holiday calls."""

from __future__ import annotations

import datetime as dt
import random

from caseapp import refdata
from caseapp.domain import (
    Appraisal,
    AssistanceCase,
    ChildProfile,
    ChildVisit,
    PublicNotice,
    Record,
    VeteranProfile,
    VeteranVisit,
)
from caseapp.domain.appraisal import notice_end
from caseapp.services.demo.common import at, chance, money, pick, record
from caseapp.services.demo.households import HouseholdDraft, Person

#: case states that have been through (or are in) the review notice
NOTICED = ("public_notice", "approval", "active", "review_due", "taper", "stopped", "exited")
MEANS_TESTED = ("dibao", "low_income", "tekun_dispersed", "tekun_centralized")
PLACES = ("社区居务公开栏", "社区党群服务中心公示栏", "村务公开栏")
OBJECTIONS = (("邻居反映申请人有经营收入", "经入户复核，为临时帮工，月收入已计入家庭收入，符合条件"),
              ("群众反映申请人有车辆", "经核对车辆登记信息，车辆已于申请前过户，情况属实"))
FINDINGS = ("按时上学，监护人照料良好", "学习成绩一般，已联系学校关注", "身体健康，生活物资充足",
            "监护人年老体弱，照料能力不足，已联系社工跟进", "情绪低落，已安排心理辅导")


def _started(rng: random.Random, case: AssistanceCase, today: dt.date, days: int) -> dt.date:
    applied = case.applied_on or today
    if case.status == "public_notice":
        start = today - dt.timedelta(days=rng.randint(0, days - 1))
    elif case.status == "approval":
        start = today - dt.timedelta(days=rng.randint(days, days + 5))
    else:
        start = (case.approved_on or today) - dt.timedelta(days=rng.randint(days + 1, days + 5))
    return min(max(start, applied), today)


def notices(rng: random.Random, draft: HouseholdDraft, cases: list[Record], today: dt.date) -> list[Record]:
    out: list[Record] = []
    days = refdata.rules().time_limit("public_notice_days")
    for case in cases:
        if not isinstance(case, AssistanceCase) or case.category not in MEANS_TESTED or case.status not in NOTICED:
            continue
        started = _started(rng, case, today, days)
        objections, answers = ("", "") if case.status == "public_notice" else ("无异议", "")
        if objections and chance(rng, 0.05):
            objections, answers = rng.choice(OBJECTIONS)
        if chance(rng, 0.25) and started > (case.applied_on or started):
            held = started - dt.timedelta(days=rng.randint(1, max(1, (started - (case.applied_on or started)).days)))
            panel = rng.randint(7, 11)
            present = rng.randint(-(-2 * panel // 3), panel)
            against = rng.randint(0, 1)
            out.append(record(Appraisal, org_code=case.org_code, case_id=case.id, held_on=held,
                              place="社区居委会会议室", panel_size=panel, present=present,
                              participants=f"社区居委会委员{panel - 4}人、居民代表4人", votes_for=present - against,
                              votes_against=against, result="agree", objections="无", answers="",
                              minutes_ref=f"PY{held:%Y%m%d}{rng.randrange(100):02d}"))
        notice = record(PublicNotice, org_code=case.org_code, case_id=case.id, kind="review", started_on=started,
                        ends_on=notice_end(started, days), place=rng.choice(PLACES), objections=objections,
                        answers=answers)
        out.append(notice)
        case.notice_started_on = started
        case.notice_objections = f"{objections}\n答复：{answers}" if answers else objections
    return out


def _category(person: Person, draft: HouseholdDraft, cases: list[Record]) -> str | None:
    kinds = {c.category for c in cases if isinstance(c, AssistanceCase)}
    if "de_facto_orphan" in kinds:
        return "de_facto_unsupported"
    if person.disabled_grade:
        return "disability"
    if draft.composition == "skipped_generation" and draft.household.org_code and draft.grid.rural:
        return "left_behind"
    if "dibao" in kinds or "tekun_dispersed" in kinds:
        return "poverty"
    return None


def children(rng: random.Random, draft: HouseholdDraft, cases: list[Record], today: dt.date) -> list[Record]:
    out: list[Record] = []
    adults = [p for p in draft.people if p.age >= 18]
    for person in draft.people:
        if person.age >= 18 or person.member is None:
            continue
        category = _category(person, draft, cases)
        if category is None:
            continue
        guardian = adults[0] if adults else None
        relation = {"grandchild": "祖父母"}.get(person.role, "父母")
        guardianship = {"de_facto_unsupported": "relative", "left_behind": "entrusted"}.get(category, "parents")
        living = "with_grandparents" if person.role == "grandchild" else "with_parents"
        tier = pick(rng, [("high", 15), ("key", 45), ("normal", 40)])
        profile = record(ChildProfile, org_code=draft.household.org_code, household_id=draft.household.id,
                         member_id=person.member.id, category=category,
                         identified_on=today - dt.timedelta(days=rng.randint(30, 700)),
                         guardian_name=guardian.name if guardian else None,
                         guardian_relation=relation if guardian else None,
                         guardian_phone=guardian.member.phone if guardian and guardian.member else None,
                         guardianship=guardianship, living_situation=living, risk_tier=tier, notes="")
        out.append(profile)
        for _ in range(rng.randint(1, 3)):
            day = today - dt.timedelta(days=rng.randint(1, 90))
            out.append(record(ChildVisit, org_code=profile.org_code, child_id=profile.id, visited_at=at(day, rng),
                              method=pick(rng, [("in_person", 80), ("phone", 20)]),
                              visitors=rng.choice(draft.grid.workers), findings=rng.choice(FINDINGS),
                              risk=tier, follow_up=""))
    return out


#: (category, weight, monthly amount in yuan): demo figures near recent levels, not official values
VETERANS = (("demobilised", 25, 2100), ("ill_veteran", 15, 1600), ("rural_veteran_60", 20, 600),
            ("disabled_soldier", 20, 0), ("martyr_family", 5, 2500), ("illness_death_family", 5, 1900),
            ("nuclear_test", 10, 900))
#: a disabled serviceman's monthly pension by grade band (一级 highest)
BY_GRADE = {"1": 8500, "2": 7600, "3": 6800, "4": 5300, "5": 4200, "6": 3300, "7": 2600, "8": 1600, "9": 1300,
            "10": 900}
VETERAN_FINDINGS = ("身体状况良好，生活自理", "患慢性病，按时服药", "行动不便，需家人照料", "住房较旧，已反映街道")


def veterans(rng: random.Random, draft: HouseholdDraft, today: dt.date) -> list[Record]:
    out: list[Record] = []
    for person in draft.people:
        if person.age < 45 or person.sex != "M" or person.member is None or not chance(rng, 0.012):
            continue
        category = pick(rng, [(c, w) for c, w, _ in VETERANS])
        grade = rng.choice(list(BY_GRADE)) if category == "disabled_soldier" else None
        amount = BY_GRADE[grade] if grade else next(a for c, _, a in VETERANS if c == category)
        start = today - dt.timedelta(days=rng.randint(200, 4000))
        profile = record(VeteranProfile, org_code=draft.household.org_code, household_id=draft.household.id,
                         member_id=person.member.id, category=category, disability_grade=grade,
                         certificate_no=f"YF{draft.grid.district.code}{rng.randrange(10**7):07d}",
                         monthly_allowance=money(amount), allowance_from=start,
                         service=f"{today.year - person.age + 18}年入伍，服役{rng.randint(2, 16)}年", notes="")
        out.append(profile)
        occasions = [("spring_festival", 45), ("army_day", 35), ("routine", 15), ("hospital", 5)]
        for _ in range(rng.randint(1, 2)):
            day = today - dt.timedelta(days=rng.randint(1, 300))
            occasion = pick(rng, occasions)
            out.append(record(VeteranVisit, org_code=profile.org_code, veteran_id=profile.id, visited_at=at(day, rng),
                              occasion=occasion, method="in_person", visitors=rng.choice(draft.grid.workers),
                              findings=rng.choice(VETERAN_FINDINGS),
                              support_amount=money(500 if occasion in ("spring_festival", "army_day") else 0),
                              follow_up="送慰问品一份" if occasion != "routine" else ""))
    return out
