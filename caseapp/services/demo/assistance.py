"""Assistance cases (低保, 低收入, 特困, 临时救助, 医疗救助, 孤儿, subsidies) with statuses, amounts,
review classes and dates, their past reviews, home investigations and 核对 verifications."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from caseapp import refdata
from caseapp.domain import AssistanceCase, CasePayment, CaseReview, Investigation, Record, Verification
from caseapp.services import assessment
from caseapp.services.demo.common import at, chance, money, pick, places_data, record
from caseapp.services.demo.households import HouseholdDraft, bank_card
from caseapp.services.schedule import add_months

APPROVED = ("active", "review_due", "taper", "stopped", "exited")
# Where cases of an ongoing category stand; most are being paid.
ONGOING_STATUSES: list[tuple[str, float]] = [
    ("active", 78), ("review_due", 6), ("taper", 2), ("stopped", 2), ("exited", 4), ("applied", 1),
    ("verification", 1.5), ("investigation", 1.5), ("preliminary_review", 1), ("public_notice", 0.5),
    ("approval", 0.5), ("rejected", 1), ("withdrawn", 1),
]
ONE_OFF_STATUSES: dict[str, list[tuple[str, float]]] = {
    # 临时救助 may be paid first and documented later (先行救助): applied → active directly
    "temporary": [("exited", 70), ("active", 20), ("applied", 5), ("rejected", 5)],
    "medical": [("exited", 65), ("active", 20), ("verification", 5), ("investigation", 5), ("rejected", 5)],
}
MEANS_TESTED = ("dibao", "low_income", "tekun_dispersed", "tekun_centralized", "medical")
CERTIFICATE_PREFIX = {"dibao": "DB", "low_income": "DSR", "tekun_dispersed": "TK", "tekun_centralized": "TK",
                      "orphan": "GE", "de_facto_orphan": "SW"}
EXIT_REASONS = {
    "dibao": ("家庭人均收入超过低保标准，渐退期满", "家庭成员就业，收入增加", "户籍迁出本市",
              "家庭成员死亡，户内无保障对象"),
    "tekun_dispersed": ("本人死亡", "转为集中供养", "被赡养人具备赡养能力"),
    "temporary": ("一次性救助已发放",),
    "medical": ("医疗救助已核发",),
}
#: a one-off grant's kinds of payment and what it is paid for
PAYMENTS: dict[str, tuple[tuple[str, str], ...]] = {
    "temporary": (("emergency", "突发火灾，家庭财产受损，生活暂时困难"),
                  ("emergency", "家庭成员意外受伤，医疗支出较大"),
                  ("basic_living", "失业后暂无收入，基本生活困难")),
    "medical": (("inpatient", "住院治疗，医保报销后个人自付部分较大"), ("outpatient", "慢性病门诊治疗费用"),
                ("serious_illness", "重特大疾病住院，自付费用超过家庭承受能力")),
}
APPROVERS = ("街道社会救助服务中心 李敏", "街道社会事务办 陈志强", "区民政局社会救助科 黄丽")
FINDINGS = ("家中陈设简单，无大额资产，情况属实。", "家庭成员患病，医疗支出较大，情况属实。",
            "住房为租住，收入来源以灵活就业为主。", "入户核实家庭人口和收入与申报一致。")


def _interval(case: Any) -> int | None:
    rules = refdata.rules()
    if not rules.has_periodic_review(case.category):
        return None
    return rules.review_interval_months(case.category, case.review_class, case.rural)


def _amount(draft: HouseholdDraft, category: str, covered: int, rng: random.Random) -> Decimal:
    if category in ("orphan", "de_facto_orphan"):
        return money(2300 * covered)
    if category == "temporary":
        return money(rng.choice((500, 800, 1000, 1500, 2000, 3000, 5000)))
    if category == "medical":
        return money(rng.randrange(1000, 30000, 100))
    if category == "disability_subsidy":
        return money(rng.choice((200, 250, 300)) * covered)
    if category == "elderly_subsidy":
        return money(covered * 100)
    return money(0)  # 低保 and 特困 are assessed (see _assessed); low-income households get targeted help


#: what a 低保 household above the line is paid while its allowance tapers off (渐退), and why
TAPER_AMOUNT = Decimal("150.00")
TAPER_REASON = "家庭人均收入已超过低保标准，处于渐退期，按规定继续发放渐退金额"
#: 特困 care allowance by lost self-care ability (the demo's own figures, paid on top of the basic support)
CARE_ALLOWANCE = ((0, ""), (300, "半护理"), (600, "全护理"), (1200, "全护理（重度失能）"))


def _assessed(rng: random.Random, draft: HouseholdDraft, case: Any, today: dt.date,
              others: Sequence[Record]) -> None:
    """The amount of a 低保, 特困 or subsidy case is its computed one (caseapp.services.assessment), and
    where it differs the case says why: a 低保 household above the line is only paid in its taper
    period, a 特困 person's care allowance comes on top of the basic support (``others``: the
    household's cases built before this one)."""
    result = assessment.assess_values(case.values(), [m.values() for m in draft.members],
                                      [i.values() for i in draft.incomes], today,
                                      cases=[c.values() for c in others if isinstance(c, AssistanceCase)])
    if result is None:
        return
    if case.category == "dibao":
        if result.computed > 0:
            case.monthly_amount = result.computed
        else:
            case.monthly_amount, case.amount_reason = TAPER_AMOUNT, TAPER_REASON
    elif case.category.startswith("tekun"):
        care, level = rng.choice(CARE_ALLOWANCE)
        case.monthly_amount = money(result.computed + care)
        if care:
            case.amount_reason = f"基本生活费 {result.computed} 元，另含照料护理补贴 {care} 元（{level}）"
    elif case.category in ("elderly_subsidy", "disability_subsidy"):
        case.monthly_amount = result.computed


def _reviews(rng: random.Random, case: Any, months: int, today: dt.date, final: Decimal) -> list[Record]:
    """Up to three past reviews, ending with the amount (and for taper / stop, the decision) the
    case shows now."""
    dates = []
    k = 1
    while (day := add_months(case.approved_on, k * months)) < today:
        dates.append(day)
        k += 1
    case.next_review_date = add_months(case.approved_on, k * months)
    if case.status == "review_due":
        case.next_review_date = today - dt.timedelta(days=rng.randint(0, 20))
        dates = [d for d in dates if d < case.next_review_date]
    dates = dates[-3:]
    out: list[Record] = []
    # a case paid nothing monthly (低收入: recognised, helped case by case) keeps nothing to adjust;
    # the same draws are made either way, so the rest of the demo is as it was
    paid = final != 0
    amount = money(max(final + rng.choice((-100, 0, 0, 50, 100)), Decimal(100)) if paid else 0)
    for index, day in enumerate(dates):
        last = index == len(dates) - 1
        drawn = final if last else money(max(amount + rng.choice((0, 0, 0, -50, 50)), Decimal(100)))
        new = drawn if paid else money(0)
        outcome = "unchanged" if new == amount else "increase" if new > amount else "decrease"
        if last and case.status == "taper":
            outcome = "taper"
        if last and case.status in ("stopped", "exited"):
            outcome, new = "stop", money(0)
        out.append(record(CaseReview, org_code=case.org_code, case_id=case.id, reviewed_on=day, outcome=outcome,
                          old_amount=amount, new_amount=new, effective_month=f"{day:%Y-%m}",
                          reason={"unchanged": "家庭收入无明显变化", "increase": "家庭成员患病，支出增加",
                                  "decrease": "家庭成员灵活就业收入增加", "taper": "成员就业后收入超标，进入渐退期",
                                  "stop": "家庭收入超过标准，停发"}[outcome]))
        amount = new
    if case.status in ("stopped", "exited"):
        case.monthly_amount = money(0)
        case.next_review_date = None
    return out


def _paperwork(rng: random.Random, draft: HouseholdDraft, case: Any, today: dt.date) -> list[Record]:
    """The 核对 verification (with its consent reference) and the home investigation of an application."""
    out: list[Record] = []
    if case.category not in MEANS_TESTED or case.status == "applied":
        return out
    district = draft.grid.district.code
    year = case.applied_on.year
    consent = f"SQ{district}{year}{rng.randrange(10**6):06d}"
    asked = min(case.applied_on + dt.timedelta(days=rng.randint(1, 3)), today - dt.timedelta(days=1))
    rejected = case.status == "rejected"
    conclusion = "pending" if case.status == "verification" else "ineligible" if rejected and chance(rng, 0.5) \
        else "eligible"
    owns_home = chance(rng, 0.4)
    out.append(record(
        Verification, org_code=case.org_code, household_id=case.household_id, case_id=case.id, consent_ref=consent,
        requested_on=asked, level="district", members_checked=len(draft.people),
        results=json.dumps({"hukou": "一致", "tax": "无纳税记录" if chance(rng, 0.7) else "有少量纳税记录",
                            "social_insurance": "已核对", "real_estate": "名下有住房1套" if owns_home else "名下无房产",
                            "vehicles": "无", "bank": f"存款{rng.randrange(0, 30000, 500)}元"},
                           ensure_ascii=False, sort_keys=True),
        conclusion=conclusion,
        report_ref=None if conclusion == "pending" else f"HDBG{district}{year}{rng.randrange(10**5):05d}"))
    if case.status == "verification":
        return out
    visited = min(case.applied_on + dt.timedelta(days=rng.randint(3, 10)), today - dt.timedelta(days=1))
    lat, lon = places_data()["districts"][district]["centre"]
    workers = "、".join(rng.sample(list(draft.grid.workers), 2))
    out.append(record(
        Investigation, org_code=case.org_code, household_id=case.household_id, case_id=case.id,
        investigated_at=at(visited, rng), investigators=workers,
        housing_type="own" if owns_home else pick(rng, [("rented", 60), ("lodging", 25), ("self_built", 15)]),
        housing_area=float(rng.randint(18, 95)), housing_owner=draft.people[0].name if owns_home else None,
        savings=money(rng.randrange(0, 30000, 500)), monthly_expenses=money(rng.randrange(800, 4000, 50)),
        findings=rng.choice(FINDINGS), applicant_signed=True, investigators_signed=True, consent_ref=consent,
        latitude=round(lat + rng.uniform(-0.03, 0.03), 6), longitude=round(lon + rng.uniform(-0.03, 0.03), 6)))
    return out


def _case(rng: random.Random, draft: HouseholdDraft, category: str, covered: int, today: dt.date,
          others: Sequence[Record] = ()) -> list[Record]:
    one_off = category in ONE_OFF_STATUSES
    statuses = ONE_OFF_STATUSES.get(category) or [s for s in ONGOING_STATUSES
                                                   if category == "dibao" or s[0] != "taper"]
    status = pick(rng, statuses)
    pipeline = status not in APPROVED and status not in ("rejected", "withdrawn")
    applied = today - dt.timedelta(days=rng.randint(2, 40) if pipeline else rng.randint(60, 720 if one_off else 2900))
    rural = draft.register_type == "local_rural"
    grant = _amount(draft, category, covered, rng)
    # a one-off grant is a dated payment (CasePayment), not a monthly amount
    case = record(AssistanceCase, org_code=draft.household.org_code, household_id=draft.household.id,
                  category=category, status=status, applied_on=applied, people_covered=covered, rural=rural,
                  monthly_amount=money(0) if one_off else grant)
    if category in ("dibao", "tekun_dispersed", "tekun_centralized", "elderly_subsidy", "disability_subsidy"):
        _assessed(rng, draft, case, today, others)
    if category == "dibao":
        case.review_class = pick(rng, [("stable", 55), ("irregular", 35), ("A", 4), ("B", 3), ("C", 3)])
    out: list[Record] = [case]
    if status in APPROVED:
        case.approved_on = min(applied + dt.timedelta(days=rng.randint(3 if one_off else 15, 45)),
                               today - dt.timedelta(days=1))
        prefix = CERTIFICATE_PREFIX.get(category)
        if prefix:
            case.certificate_no = f"{prefix}{draft.grid.district.code}{case.approved_on.year}{rng.randrange(10**5):05d}"
        case.decision_reason = "经入户调查和家庭经济状况核对，符合救助条件。"
        months = _interval(case)
        if months:
            out += _reviews(rng, case, months, today, case.monthly_amount)
        elif status in ("stopped", "exited"):
            case.monthly_amount = money(0)
        if status == "exited":
            case.exit_reason = rng.choice(EXIT_REASONS.get(category, EXIT_REASONS["dibao"]))
        if one_off:
            kind, reason = rng.choice(PAYMENTS[category])
            paid_on = min(case.approved_on + dt.timedelta(days=rng.randint(0, 10)), today - dt.timedelta(days=1))
            out.append(record(CasePayment, org_code=case.org_code, case_id=case.id, paid_on=paid_on, amount_paid=grant,
                              kind=kind, reason=reason, approved_by=rng.choice(APPROVERS)))
    elif status == "rejected":
        case.decision_reason = "家庭人均收入或财产超过规定标准，不符合条件。"
        case.monthly_amount = money(0)
    elif status == "withdrawn":
        case.monthly_amount = money(0)
    out += _paperwork(rng, draft, case, today)
    return out


def build(rng: random.Random, draft: HouseholdDraft, today: dt.date) -> list[Record]:
    """The household's assistance cases, in realistic proportions."""
    out: list[Record] = []
    people = draft.people
    if draft.economic == "dibao":
        out += _case(rng, draft, "dibao", len(people), today)
    elif draft.economic == "low_income":
        out += _case(rng, draft, "low_income", len(people), today)
    elif draft.economic == "tekun":
        # institutional care mostly for those who can no longer look after themselves
        centralised = (people[0].severe and chance(rng, 0.5)) or chance(rng, 0.15)
        category = "tekun_centralized" if centralised else "tekun_dispersed"
        out += _case(rng, draft, category, 1, today)
    if draft.composition == "skipped_generation" and draft.register_type != "migrant" and chance(rng, 0.2):
        children = sum(p.role == "grandchild" for p in people)
        out += _case(rng, draft, "orphan" if chance(rng, 0.3) else "de_facto_orphan", children, today)
    if chance(rng, 0.015):
        out += _case(rng, draft, "temporary", len(people), today)
    if chance(rng, 0.05 if any(p.health == "serious" for p in people) else 0.004):
        out += _case(rng, draft, "medical", 1, today)
    if draft.register_type != "migrant":
        disabled = sum(p.disabled_grade in ("1", "2") or (p.disabled_grade is not None and draft.economic == "dibao")
                       for p in people)
        if disabled and chance(rng, 0.6):
            out += _case(rng, draft, "disability_subsidy", disabled, today, out)
        old = sum(p.age >= 80 for p in people)
        if old and chance(rng, 0.9):
            out += _case(rng, draft, "elderly_subsidy", old, today)
    if any(isinstance(r, AssistanceCase) and r.category in CERTIFICATE_PREFIX for r in out):
        draft.household.bank_account = bank_card(rng)
    return out
