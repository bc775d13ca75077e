"""Elder profiles for members aged 60 and over (living arrangement, capacity, risk tier, emergency
contact, 平安通 device), their care visits over the past three months, at the tier's rhythm, and the
calls from their 平安通 devices, each at the stage its handling has reached."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from caseapp import refdata
from caseapp.domain import AssistanceCase, CareVisit, ElderProfile, EmergencyCall, Record
from caseapp.services.demo import people as pp
from caseapp.services.demo.common import CST, at, chance, pick, record
from caseapp.services.demo.households import HouseholdDraft, Person

HISTORY_DAYS = 90
PAID = ("active", "review_due", "taper")
NEEDS = ("daily_care", "emotional", "emergency", "health", "legal", "leisure")
FOLLOW_UP = {"follow_up": "下周电话回访", "referred": "已转介社区卫生服务中心"}
HEALTH = ("身体状况良好", "血压偏高，按时服药", "腿脚不便，行动需搀扶", "患糖尿病，血糖控制尚可", "近期感冒已痊愈",
          "听力下降，交流需大声", "卧床，由家人照料")
MENTAL = ("精神状态良好", "情绪稳定", "略感孤独，希望多来探望", "情绪低落，需持续关注")
SAFETY = ("燃气、用电安全，无隐患", "燃气软管老化，已提醒更换", "电线老化，已报社区跟进", "居家安全无异常",
          "已检查平安通呼叫器，使用正常")
HYGIENE = ("居室整洁", "居室较乱，已协助整理", "卫生一般")
FAMILY = ("子女每周探望", "子女在外地，电话联系", "与配偶相互照顾", "由保姆照料", "无子女，由邻居帮忙照看")
SERVICES = ("测量血压", "送米油慰问品", "协助预约社区医院", "代办高龄津贴申领", "陪同聊天", "讲解防诈骗知识",
            "协助缴纳水电费")


def _arrangement(person: Person, draft: HouseholdDraft, cases: list[Record]) -> str:
    if any(isinstance(c, AssistanceCase) and c.category == "tekun_centralized" for c in cases):
        return "institution"
    if len(draft.people) == 1:
        return "alone"
    if all(p.age >= 60 for p in draft.people):
        return "empty_nest"
    if draft.composition == "skipped_generation":
        return "left_behind"
    return "with_family"


def _capacity(rng: random.Random, person: Person) -> str:
    if person.disabled_grade in ("1", "2") or person.health == "serious":
        return pick(rng, [("2", 30), ("3", 45), ("4", 25)])
    if person.age < 80:
        return pick(rng, [("0", 80), ("1", 15), ("2", 5)])
    return pick(rng, [("0", 45), ("1", 30), ("2", 15), ("3", 7), ("4", 3)])


def _tier(person: Person, arrangement: str, capacity: str, entitlement: list[str]) -> str:
    """High risk: 80+ living alone or left behind (or empty-nest and no longer fully capable), severe
    loss of capacity or a life-threatening illness; key group: any loss of capacity, disability,
    低保, living alone; everyone else: normal (DOMAIN.md 2.2)."""
    alone = arrangement in ("alone", "left_behind") or (arrangement == "empty_nest" and capacity != "0")
    if (person.age >= 80 and alone) or capacity in ("3", "4") or person.health == "serious":
        return "high"
    if capacity != "0" or person.disabled_grade or "dibao" in entitlement or arrangement == "alone":
        return "key"
    return "normal"


def _contact(rng: random.Random, person: Person, draft: HouseholdDraft, registry: pp.Registry,
             today: dt.date) -> tuple[str, str, str]:
    """(name, phone, relation): a co-resident younger member, else a child living elsewhere."""
    for p in draft.people:
        if p is not person and 18 <= p.age < 60 and p.member.phone:
            relation = {"child": "子女", "spouse": "配偶", "child_in_law": "儿媳"}.get(p.role, "亲属")
            return p.name, p.member.phone, relation
    sex = rng.choice("MF")
    if "·" in person.name:  # a Uyghur child carries the parent's own name after the dot
        father = person.name.split("·")[0] if person.sex == "M" else pp.uyghur_given(rng, "M")
        name = pp.uyghur_name(rng, sex, father)
    else:
        family = pp.family_of(person.name) if sex == "M" else None
        name = pp.han_name(rng, sex, today.year - max(person.age - 28, 20), family)
    return name, pp.mobile(rng, registry), "儿子" if sex == "M" else "女儿"


def _visits(rng: random.Random, profile: Any, draft: HouseholdDraft, today: dt.date) -> list[Record]:
    """Visits over the last HISTORY_DAYS days at the tier's interval, with a few missed."""
    interval = refdata.rules().visit_interval_days(profile.risk_tier)
    out: list[Record] = []
    day = today - dt.timedelta(days=HISTORY_DAYS - rng.randrange(max(1, min(interval, HISTORY_DAYS))))
    while day < today:
        if not chance(rng, 0.1):  # about one visit in ten slips
            outcome = pick(rng, [("done", 85), ("follow_up", 10), ("referred", 5)])
            needs = rng.sample(NEEDS, rng.randint(0, 2))
            out.append(record(
                CareVisit, org_code=profile.org_code, elder_id=profile.id, visited_at=at(day, rng),
                method=pick(rng, [("in_person", 70), ("phone", 25), ("video", 5)]),
                visitors=rng.choice(draft.grid.workers), health=rng.choice(HEALTH), mental_state=rng.choice(MENTAL),
                safety=rng.choice(SAFETY), hygiene=rng.choice(HYGIENE), family_care=rng.choice(FAMILY),
                services="、".join(rng.sample(SERVICES, 2)), needs=",".join(sorted(needs)),
                risk_change=pick(rng, [("none", 92), ("up", 5), ("down", 3)]), outcome=outcome,
                follow_up=FOLLOW_UP.get(outcome, "")))
        jitter = rng.randint(-2, 2) if interval < 30 else rng.randint(-5, 5)
        day += dt.timedelta(days=max(1, interval + jitter))
    return out


def build(rng: random.Random, draft: HouseholdDraft, cases: list[Record], registry: pp.Registry,
          today: dt.date) -> list[Record]:
    out: list[Record] = []
    dibao = any(isinstance(c, AssistanceCase) and c.category == "dibao" and c.status in PAID
                for c in cases)
    for person in draft.people:
        if person.age < 60:
            continue
        arrangement = _arrangement(person, draft, cases)
        capacity = _capacity(rng, person)
        grounds = (("youfu", chance(rng, 0.02)), ("dibao", dibao), ("age80", person.age >= 80))
        entitlement = [name for name, applies in grounds if applies]
        tier = _tier(person, arrangement, capacity, entitlement)
        name, phone, relation = _contact(rng, person, draft, registry, today)
        profile = record(
            ElderProfile, org_code=draft.household.org_code, household_id=draft.household.id,
            member_id=person.member.id,
            living_arrangement=arrangement, capacity_level=capacity, risk_tier=tier, entitlement=",".join(entitlement),
            emergency_contact_name=name, emergency_contact_phone=phone, emergency_contact_relation=relation,
            pingantong_device=f"PAT{rng.randrange(10**9):09d}" if tier != "normal" and chance(rng, 0.6) else None)
        out.append(profile)
        out += _visits(rng, profile, draft, today)
        if profile.pingantong_device:
            out += _calls(random.Random(f"{profile.pingantong_device}:calls"), profile, name, today)
    return out


#: where a call's handling stops, with the fields each stage has by then
CALL_STAGES = (("resolved", 80), ("follow", 8), ("dispatch", 5), ("verify", 4), ("alarm", 3))


def _calls(rng: random.Random, profile: Any, contact: str, today: dt.date) -> list[Record]:
    """A few calls over the last three months; care calls resolved on checking, alarms dispatched."""
    out: list[Record] = []
    for _ in range(rng.randint(0, 2)):
        called = at(today - dt.timedelta(days=rng.randint(2, HISTORY_DAYS)), rng, 0, 22)
        kind = pick(rng, [("alarm", 40), ("care", 60)])
        stage = pick(rng, list(CALL_STAGES))
        call = record(EmergencyCall, org_code=profile.org_code, elder_id=profile.id,
                      device_no=profile.pingantong_device, called_at=called, call_type=kind, status=stage,
                      response="" if stage == "alarm" else "已回拨老人并联系紧急联系人", dispatched_to="",
                      outcome=None, follow_up="")
        dispatched = kind == "alarm" and stage != "alarm" and stage != "verify"
        if dispatched:
            call.dispatched_to = f"紧急联系人{contact}、社区工作人员"
            call.dispatched_at = called + dt.timedelta(minutes=rng.randint(3, 15))
        if stage == "resolved":
            call.outcome = pick(rng, [("family", 40), ("safe", 30), ("hospital", 20), ("service", 10)]) \
                if dispatched else pick(rng, [("safe", 60), ("false_alarm", 40)])
            # never later than the day before today (the call may have come in late yesterday)
            call.resolved_at = min(called + dt.timedelta(hours=rng.randint(1, 30)),
                                   dt.datetime.combine(today, dt.time(), CST) - dt.timedelta(minutes=1))
            call.follow_up = "次日电话回访，老人情况稳定" if dispatched else ""
        if kind == "care" and stage in ("dispatch", "follow"):
            call.call_type = "alarm"  # a care call is never dispatched: this one was an alarm after all
            call.dispatched_to = "社区工作人员"
            call.dispatched_at = called + dt.timedelta(minutes=10)
        out.append(call)
    return out
