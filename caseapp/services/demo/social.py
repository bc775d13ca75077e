"""Social-work cases (MZ/T 094) with session notes, referrals with consent, and disaster report
series (初报 → 续报 → 核报)."""

from __future__ import annotations

import datetime as dt
import random

from caseapp.domain import CaseNote, DisasterReport, Record, Referral, SocialWorkCase
from caseapp.services.demo import people as pp
from caseapp.services.demo.common import Grid, at, chance, money, pick, record
from caseapp.services.demo.households import HouseholdDraft

# How far each case has got, and the path it took to get there.
CASE_PATH = ("intake", "assessment", "plan", "intervention", "review", "closed", "follow_up")
CASE_STATES: list[tuple[str, float]] = [("intake", 10), ("assessment", 10), ("plan", 10), ("intervention", 30),
                                        ("review", 10), ("closed", 20), ("follow_up", 5), ("referred_out", 5)]
PROBLEMS = ("独居老人社会支持不足，情绪低落", "家庭照顾压力大，照顾者身心疲惫", "青少年厌学，亲子沟通困难",
            "残疾人就业困难，缺乏社会参与", "家庭经济困难，子女教育支出大", "邻里关系紧张，需要调解支持")
REFERRAL_TARGETS = ("区残疾人联合会", "社区卫生服务中心", "区慈善会", "街道司法所", "区精神卫生中心",
                    "街道社区服务中心")
SOURCES = ("社区居委会转介", "网格员发现", "本人求助", "学校转介")
REFERRAL_STATES: list[tuple[str, float]] = [("draft", 5), ("consented", 5), ("sent", 15), ("accepted", 10),
                                            ("declined", 5), ("in_service", 30), ("feedback", 10), ("closed", 20)]
REFERRAL_PATH = ("draft", "consented", "sent", "accepted", "in_service", "feedback", "closed")


def social_work(rng: random.Random, draft: HouseholdDraft, today: dt.date) -> list[Record]:
    grid = draft.grid
    client = rng.choice(draft.people)
    status = pick(rng, CASE_STATES)
    opened = today - dt.timedelta(days=rng.randint(20, 400))
    centre = f"{grid.street.name}家庭综合服务中心"
    case = record(SocialWorkCase, org_code=grid.code, household_id=draft.household.id,
                  client_member_id=client.member.id, client_name=client.name, referral_source=rng.choice(SOURCES),
                  presenting_problem=rng.choice(PROBLEMS), status=status, worker=rng.choice(grid.workers),
                  supervisor=f"{centre}督导", opened_on=opened)
    out: list[Record] = [case]
    steps = CASE_PATH[: CASE_PATH.index(status) + 1] if status in CASE_PATH else ("intake", "referred_out")
    if status != "intake":
        case.assessment = "个人层面：需要情绪支持；家庭层面：照顾资源不足；社会层面：社区支持网络薄弱。"
    if status in CASE_PATH[2:]:
        case.goals = "提升案主社会支持，缓解家庭照顾压力。"
        case.plan = "每两周面谈一次，链接社区志愿者和相关资源。"
    moment = at(opened, rng)
    for step in steps[1:]:
        moment += dt.timedelta(days=rng.randint(7, 30))
        if moment.date() >= today:
            break
        kind = "review" if step == "review" else "session"
        out.append(record(CaseNote, org_code=grid.code, case_id=case.id, at=moment, kind=kind,
                          text=f"{_stage_label(step)}：与案主面谈，记录进展。"))
    if status in ("closed", "follow_up"):
        case.closure_reason = "服务目标基本达成"
        case.closed_on = min(moment.date(), today - dt.timedelta(days=1))
    if status == "referred_out":
        case.closure_reason = "需求超出本中心服务范围，转介"
    if chance(rng, 0.4):
        out += referral(rng, draft, today, case.id, centre)
    return out


def _stage_label(step: str) -> str:
    return {"intake": "接案", "assessment": "预估", "plan": "计划", "intervention": "介入", "review": "评估",
            "closed": "结案", "follow_up": "跟进", "referred_out": "转介"}[step]


def referral(rng: random.Random, draft: HouseholdDraft, today: dt.date, case_id: str | None = None,
             centre: str | None = None) -> list[Record]:
    grid = draft.grid
    status = pick(rng, REFERRAL_STATES)
    client = rng.choice(draft.people)
    consent = status != "draft" or chance(rng, 0.3)
    sent = at(today - dt.timedelta(days=rng.randint(5, 200)), rng)
    reached = REFERRAL_PATH.index(status) if status in REFERRAL_PATH else REFERRAL_PATH.index("sent") + 1
    target = rng.choice(REFERRAL_TARGETS)
    # a district body is reached at the district's code, a street's services at the street's
    to_code = grid.district.code if target.startswith("区") else grid.street.code
    ref = record(Referral, org_code=grid.code, household_id=draft.household.id, case_id=case_id,
                 client_member_id=client.member.id, client_name=client.name,
                 from_org=centre or f"{grid.street.name}家庭综合服务中心", from_worker=rng.choice(grid.workers),
                 to_org=target, to_org_code=to_code, reason=rng.choice(PROBLEMS),
                 urgency=pick(rng, [("normal", 80), ("urgent", 17), ("emergency", 3)]), consent_given=consent,
                 consent_ref=f"TY{grid.district.code}{rng.randrange(10**6):06d}" if consent else None,
                 consent_on=(sent.date() - dt.timedelta(days=rng.randint(0, 3))) if consent else None, status=status)
    if reached >= REFERRAL_PATH.index("sent"):
        ref.sent_at = sent
    if status in ("accepted", "in_service", "feedback", "closed"):
        ref.to_worker = pp.han_name(rng, rng.choice("MF"), rng.randint(1975, 1998))
        ref.response = "已接收，安排跟进服务"
    if status == "declined":
        ref.response = "不属于本机构服务范围"
    if status in ("feedback", "closed"):
        ref.feedback_on = min(sent.date() + dt.timedelta(days=rng.randint(10, 60)), today - dt.timedelta(days=1))
    return [ref]


def disasters(rng: random.Random, grids: list[Grid], today: dt.date) -> list[Record]:
    """A few report series in the streets holding grids: typhoon, rainstorm flooding, a landslide."""
    out: list[Record] = []
    streets = sorted({(g.street.code, g.street.name, g.district.name, g.officer) for g in grids})
    kinds = [("typhoon", "台风"), ("flood", "暴雨洪涝"), ("landslide", "山体滑坡")]
    for index, (kind, label) in enumerate(kinds[: max(1, min(3, len(streets)))]):
        street_code, street_name, district_name, reporter = rng.choice(streets)
        occurred = at(today - dt.timedelta(days=rng.randint(20, 150)), rng, 0, 23)
        affected = rng.randint(50, 3000)
        stages = ["initial", "update", "final"] if index else ["initial", "update"]  # the first is still open
        series_id: str | None = None
        moment = occurred
        for stage in stages:
            moment += dt.timedelta(hours=rng.randint(1, 2) if stage == "initial" else rng.randint(20, 120))
            if moment.date() >= today:
                break
            affected = int(affected * rng.uniform(1.0, 1.3))
            report = record(
                DisasterReport, org_code=street_code, series_id=series_id, stage=stage, disaster_type=kind,
                sub_type=label, occurred_at=occurred, reported_at=moment, place=f"{district_name}{street_name}",
                affected=affected, relocated=affected // rng.randint(5, 20), need_urgent_aid=affected // 30,
                injured=rng.randint(0, 3), crops_affected_ha=round(rng.uniform(0, 40), 1),
                houses_light_households=rng.randint(0, 20), houses_light_rooms=rng.randint(0, 40),
                direct_loss=money(rng.randrange(50_000, 5_000_000, 1000)),
                relief_given="发放救灾物资：棉被、食品、饮用水" if stage != "initial" else "",
                narrative=f"{label}造成{street_name}部分区域受灾，已组织转移安置。", reporter=reporter,
                reviewer=f"{district_name}应急管理局" if stage == "final" else None)
            out.append(report)
            series_id = series_id or report.id
    return out

