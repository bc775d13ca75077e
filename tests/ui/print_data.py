"""One household with everything the printed forms show, made the way a caseworker makes it
(through ``records``: validated, journaled, audited), with fixed record ids and a fixed clock so
that each form prints the same page on every run and can be compared with its reference render."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from unittest import mock

from caseapp.domain import (
    AssistanceCase,
    CareVisit,
    DisasterReport,
    ElderProfile,
    Household,
    IncomeItem,
    Investigation,
    Member,
    Referral,
    Verification,
)
from caseapp.services import records
from caseapp.store.workspace import Workspace

ORG = "440104001007"  # 广州市越秀区洪桥街道三眼井社区居委会
TODAY = dt.date(2026, 11, 30)
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(first17: str) -> str:
    """A GB 11643 number with its check character."""
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


def rid(n: int) -> str:
    """A fixed record id; the first 8 characters (the number a form prints) differ per record."""
    return f"0190{n:04d}-3a1b-7c2d-8e4f-{n:012d}"


@dataclass(frozen=True)
class Printed:
    household: str
    investigation: str
    case: str
    visit: str
    referral: str
    initial: str
    update: str
    members: tuple[str, ...]


@contextmanager
def clock(at: dt.datetime) -> Iterator[None]:
    """Every audit stamp written meanwhile says ``at`` (the approval form prints its steps' times)."""
    with mock.patch("caseapp.store.journal.utcnow", lambda: at):
        yield


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def fill(ws: Workspace) -> Printed:
    with clock(utc(2026, 11, 2, 1)), ws.write() as s:
        h = records.create(s, Household, {
            "id": rid(1), "org_code": ORG, "head_name": "黄淑芬", "phone": "13800138000",
            "address": "越秀区小北路 9 号 3 栋 502 房", "hukou_address": "越秀区三眼井 12 号",
            "register_type": "local_urban", "poverty_reason": "户主患重病，配偶残疾，无稳定收入"})
        head = records.create(s, Member, {
            "id": rid(2), "org_code": ORG, "household_id": h.id, "name": "黄淑芬", "relationship": "02",
            "id_number": resident_id("44010419680305222"), "marital_status": "20", "health": "serious",
            "employment": "unemployed", "work_capacity": "partial", "phone": "13800138000"})
        spouse = records.create(s, Member, {
            "id": rid(3), "org_code": ORG, "household_id": h.id, "name": "李建国", "relationship": "10",
            "id_number": resident_id("44010419650711103"), "marital_status": "20", "health": "disabled",
            "disability_type": "4", "disability_grade": "2", "employment": "unemployed", "work_capacity": "none"})
        child = records.create(s, Member, {
            "id": rid(4), "org_code": ORG, "household_id": h.id, "name": "李晓明", "relationship": "20",
            "id_number": resident_id("44010420080120101"), "health": "healthy", "employment": "student"})
        mother = records.create(s, Member, {
            "id": rid(5), "org_code": ORG, "household_id": h.id, "name": "陈桂英", "relationship": "52",
            "id_number": resident_id("44010419380912202"), "marital_status": "40", "health": "chronic",
            "employment": "retired", "work_capacity": "none"})
        records.create(s, IncomeItem, {"id": rid(6), "org_code": ORG, "member_id": head.id, "income_type": "wages",
                                       "monthly_amount": "1200", "note": "小区保洁，临时工"})
        records.create(s, IncomeItem, {"id": rid(7), "org_code": ORG, "member_id": mother.id,
                                       "income_type": "pension", "monthly_amount": "1350.5",
                                       "note": "城乡居民养老保险"})
        case = records.create(s, AssistanceCase, {
            "id": rid(8), "org_code": ORG, "household_id": h.id, "category": "dibao",
            "applied_on": dt.date(2026, 11, 2), "people_covered": 4, "monthly_amount": "1680",
            "amount_reason": "含本户重病成员的临时生活补助",
            "review_class": "stable"})
        records.create(s, Verification, {
            "id": rid(9), "org_code": ORG, "household_id": h.id, "case_id": case.id, "consent_ref": "SQ-2026-0381",
            "requested_on": dt.date(2026, 11, 3), "members_checked": 4, "conclusion": "eligible",
            "report_ref": "HD-440104-2026-1102"})
        visit = records.create(s, Investigation, {
            "id": rid(10), "org_code": ORG, "household_id": h.id, "case_id": case.id,
            "investigated_at": utc(2026, 11, 5, 2, 30), "investigators": "张敏、刘志强", "investigators_signed": True,
            "housing_type": "rented", "housing_area": 38.5, "housing_owner": "广州市越秀区房管局",
            "vehicles": "无", "savings": "3200", "securities": "0", "businesses": "无",
            "monthly_expenses": "2100", "consent_ref": "SQ-2026-0381",
            "maintenance_obligors": "户主之兄黄志明，外省务工，月收入约 3000 元，自身负担较重",
            "findings": "家庭人均收入低于本市低保标准，住房为公租房，无车辆，无经营活动。\n建议纳入最低生活保障。"})
        elder = records.create(s, ElderProfile, {
            "id": rid(11), "org_code": ORG, "household_id": h.id, "member_id": mother.id,
            "living_arrangement": "with_family", "capacity_level": "2", "risk_tier": "key",
            "entitlement": "dibao,age80", "emergency_contact_name": "黄淑芬",
            "emergency_contact_phone": "13800138000", "emergency_contact_relation": "女儿",
            "pingantong_device": "PAT-0203-5581"})
        care = records.create(s, CareVisit, {
            "id": rid(12), "org_code": ORG, "elder_id": elder.id, "visited_at": utc(2026, 11, 20, 1, 15),
            "method": "in_person", "visitors": "张敏", "health": "血压偏高，行动需扶，按时服药",
            "mental_state": "情绪稳定，交流正常", "safety": "燃气灶已加装熄火保护，电线完好",
            "hygiene": "居室整洁", "family_care": "女儿照料起居，白天外出务工时独处",
            "services": "测量血压，讲解防跌倒知识，协助预约社区卫生服务中心复诊",
            "needs": "health,daily_care", "risk_change": "none", "outcome": "follow_up",
            "follow_up": "两周内电话回访复诊情况（张敏）", "notes": "平安通设备电量正常"})
        referral = records.create(s, Referral, {
            "id": rid(13), "org_code": ORG, "household_id": h.id, "client_member_id": child.id, "client_name": "李晓明",
            "from_org": "洪桥街家庭综合服务中心", "from_worker": "张敏", "to_org": "越秀区青少年事务社会工作服务站",
            "to_worker": "王丽", "urgency": "urgent", "consent_given": True, "consent_ref": "TY-2026-044",
            "consent_on": dt.date(2026, 11, 20), "to_org_code": ORG[:6],
            "reason": "服务对象父亲残疾、母亲重病，近期学业压力大、情绪低落，申请学业辅导与情绪支持服务。"})
        initial = records.create(s, DisasterReport, {
            "id": rid(14), "org_code": ORG, "stage": "initial", "disaster_type": "typhoon", "sub_type": "强台风",
            "occurred_at": utc(2026, 9, 14, 22), "reported_at": utc(2026, 9, 15, 1),
            "place": "洪桥街三眼井社区、小北社区",
            "affected": 1260, "relocated": 86, "need_urgent_aid": 40, "injured": 2, "crops_affected_ha": 0.0,
            "houses_severe_households": 3, "houses_severe_rooms": 5, "houses_light_households": 17,
            "houses_light_rooms": 26, "direct_loss": "1850000", "reporter": "刘志强",
            "relief_given": "启用三眼井社区避护点 2 个，发放折叠床 60 张、饮用水 300 箱",
            "narrative": "受台风影响，辖区出现强降雨和大风，部分老旧房屋瓦面受损，多处树木倒伏。"})
        update = records.create(s, DisasterReport, {
            "id": rid(15), "org_code": ORG, "stage": "update", "series_id": initial.id, "disaster_type": "typhoon",
            "sub_type": "强台风", "occurred_at": utc(2026, 9, 14, 22), "reported_at": utc(2026, 9, 16, 1),
            "place": "洪桥街三眼井社区、小北社区", "affected": 1530, "relocated": 112, "need_urgent_aid": 58,
            "injured": 3, "houses_collapsed_households": 1, "houses_collapsed_rooms": 2,
            "houses_severe_households": 4, "houses_severe_rooms": 7, "houses_light_households": 25,
            "houses_light_rooms": 38, "direct_loss": "2630000", "reporter": "刘志强", "reviewer": "陈卫东",
            "relief_given": "累计转移安置 112 人，发放救灾物资折合 8.6 万元",
            "narrative": "灾情续报：核实倒塌房屋 1 户 2 间，均已安置。"})
    for target, day in (("verification", 3), ("investigation", 5), ("preliminary_review", 9),
                        ("public_notice", 10), ("approval", 18)):
        extra = {"notice_objections": "公示期间无异议"} if target == "approval" else {}
        with clock(utc(2026, 11, day, 2)), ws.write() as s:
            records.transition(s, records.get(s, AssistanceCase, case.id), target, at=utc(2026, 11, day, 2), **extra)
    with clock(utc(2026, 11, 20, 6)), ws.write() as s:
        records.transition(s, records.get(s, AssistanceCase, case.id), "active", at=utc(2026, 11, 20, 6),
                           decision_reason="经入户调查和家庭经济状况核对，符合最低生活保障条件，公示期满无异议，"
                                           "同意自 2026 年 12 月起按 4 人保障，月保障金额 1,680.00 元。")
    # Two more households for the ledgers: one in payment, one under public notice.
    for n, (name, address, category, target) in enumerate((
            ("周玉兰", "越秀区豪贤路 5 号 201 房", "tekun_dispersed", "active"),
            ("梁志刚", "越秀区东风中路 318 号 1104 房", "dibao", "public_notice")), start=20):
        with clock(utc(2026, 11, 6, 2)), ws.write() as s:
            other = records.create(s, Household, {"id": rid(n), "org_code": ORG, "head_name": name,
                                                  "address": address, "phone": f"1390000{n:04d}"})
            records.create(s, Member, {"id": rid(n + 10), "org_code": ORG, "household_id": other.id, "name": name,
                                       "relationship": "02", "id_number": resident_id(f"4401041950010{n}10")})
            records.create(s, IncomeItem, {"id": rid(n + 20), "org_code": ORG, "member_id": rid(n + 10),
                                           "income_type": "subsidies", "monthly_amount": "300"})
            other_case = records.create(s, AssistanceCase, {
                "id": rid(n + 30), "org_code": ORG, "household_id": other.id, "category": category,
                "applied_on": dt.date(2026, 10, 8), "people_covered": 1, "monthly_amount": "1120",
                "amount_reason": "按审批确定的金额发放",
                "certificate_no": f"YX-2026-{n:04d}" if target == "active" else None})
            if target == "active":  # its 核对 and home investigation, as approval needs
                records.create(s, Verification, {"id": rid(n + 40), "org_code": ORG, "household_id": other.id,
                                                 "case_id": other_case.id, "consent_ref": f"SQ-2026-{n:04d}",
                                                 "requested_on": dt.date(2026, 10, 9), "conclusion": "eligible"})
                records.create(s, Investigation, {"id": rid(n + 50), "org_code": ORG, "household_id": other.id,
                                                  "case_id": other_case.id, "investigated_at": utc(2026, 10, 10, 2),
                                                  "investigators": "张敏、刘志强", "investigators_signed": True})
        path = ("verification", "investigation", "preliminary_review", "public_notice", "approval", "active")
        for step in path[:path.index(target) + 1]:
            extra = {"notice_objections": "无异议"} if step == "approval" else {}
            with clock(utc(2026, 11, 8, 2)), ws.write() as s:
                records.transition(s, records.get(s, AssistanceCase, other_case.id), step, at=utc(2026, 11, 8, 2),
                                   **extra)
    for target, day in (("consented", 21), ("sent", 22)):
        with clock(utc(2026, 11, day, 3)), ws.write() as s:
            records.transition(s, records.get(s, Referral, referral.id), target, at=utc(2026, 11, day, 3))
    return Printed(h.id, visit.id, case.id, care.id, referral.id, initial.id, update.id,
                   (head.id, spouse.id, child.id, mother.id))
