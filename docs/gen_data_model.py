"""Generate docs/data-model.md from the code it documents.

The field lists, types, defaults, labels, validation rules, dictionaries and workflow moves are read
from the domain model (caseapp.domain), the message catalogue (caseapp.messages), the validation
tables (caseapp.services.validate), the state machines (caseapp.services.workflows) and the
reference data (caseapp.refdata). Only the prose (what a record type is for, what a field means) is
written here by hand. Re-run after changing the model::

    .venv/bin/python docs/gen_data_model.py          # rewrite docs/data-model.md
    .venv/bin/python docs/gen_data_model.py --check  # exit 1 if docs/data-model.md is out of date

tests/core/test_labels.py fails when a record field is missing from the document.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Float, Integer, String, Table, Text

from caseapp import refdata
from caseapp.domain import ENTITIES, Base, Household, Record
from caseapp.domain.base import LOCAL_FIELDS, META_FIELDS, SILENT_FIELDS
from caseapp.domain.codec import record_to_wire
from caseapp.domain.types import IsoDate, Money, UtcDateTime
from caseapp.messages import CATALOGUE
from caseapp.services import workflows
from caseapp.services.exchange import EXPORT_ORDER, STAMPS
from caseapp.services.validate import CHOICES, FIELD_RULES

TARGET = Path(__file__).with_name("data-model.md")

# --- hand-written prose ---------------------------------------------------------------------------

PURPOSE: dict[str, str] = {
    "org_unit": (
        "One unit of the administrative tree the office works in: city → district (区) → street or town "
        "(街道/镇) → community or village (社区/村) → grid (网格). Districts, streets and communities carry "
        "their GB/T 2260 / 12-digit statistical codes; grids have no national code and are numbered by the "
        "server as the community code plus a sequence. Every other record's `org_code` names one of these "
        "units, which decides who may see the record and which devices it syncs to."
    ),
    "household": (
        "A household (户) as the assistance and care services see it: the statutory 共同生活的家庭成员, "
        "their address and contact, and the bank account aid is paid into. The household is the root "
        "most other records hang from; moving it to another grid moves everything that belongs to it."
    ),
    "member": (
        "One person in a household, with the identity, family and social facts the 低保 application and "
        "the 核对 need (GB/T 4761 relationship, GB/T 2261.2 marital status, health, disability, work). "
        "Sex and birth date are filled in from the ID number when left empty and checked against it "
        "when typed."
    ),
    "income_item": (
        "One income source of a member (wages, farming, business, property, land transfer, pension, "
        "maintenance received, subsidies), as a monthly amount; the household income the 低保 test "
        "uses is the sum of these items."
    ),
    "assistance_case": (
        "A social-assistance case of a household: one application for, and then the running entitlement "
        "to, 低保, 低收入, 特困供养 (centralised or dispersed), 临时救助, 医疗救助 or another category. It "
        "follows the application procedure (申请 → 核对 → 入户调查 → 民主评议 → 初审 → 公示 → 审批) and then "
        "dynamic management (在保 → 待复核 → 渐退 / 停保 → 退出)."
    ),
    "case_review": (
        "The record of one periodic review (复核) or change decision (维持 / 增发 / 减发 / 渐退 / 停发) on an "
        "assistance case: old and new monthly amount, the month it takes effect and why. A fact: never "
        "edited after it is saved."
    ),
    "investigation": (
        "The 入户调查表: a home investigation by at least two investigators, recording housing, vehicles, "
        "savings and securities, businesses, monthly expenses, persons obliged to support the household, "
        "the findings and the signatures, with the place it was done."
    ),
    "verification": (
        "A 居民家庭经济状况核对 request and its result: the cross-agency check of the household's income and "
        "assets (户籍, tax, social insurance, real estate, business registration, 公积金, vehicles, banks, "
        "insurance, securities). It needs the household's signed consent (授权书)."
    ),
    "elder_profile": (
        "The care file of an older household member (探访关爱): living arrangement (独居 / 空巢 / 留守 …), "
        "capacity level (GB/T 42195), risk tier, entitlement basis, emergency contact and 平安通 device. "
        "The risk tier sets how often the elder must be visited."
    ),
    "care_visit": (
        "One visit to an elder, in person, by phone or by video: health, mental state, home safety, "
        "hygiene, family care, services delivered, needs, change in risk and follow-up. A fact: never "
        "edited; a correction is a new visit whose `corrects_id` points at the visit it corrects."
    ),
    "grid_event": (
        "A grid event (入格事项): a dispute, hazard, complaint or other matter a grid officer found on "
        "patrol or that came in by hotline, video or from a resident, with the party concerned, the "
        "department handling it and its deadline. Minor events may be handled by the officer directly "
        "(采办分离)."
    ),
    "grid_event_update": (
        "One step in a grid event's handling history, written automatically by every status change of "
        "the event (from status, to status, when, note). A fact: never edited."
    ),
    "patrol_log": (
        "A grid officer's patrol: start and end, the places checked, the problems found, the GPS track "
        "and the events raised on the way. A fact: never edited."
    ),
    "social_work_case": (
        "A social-work case (个案, MZ/T 094-2017): the client, where the case came from, the presenting "
        "problem, the assessment (预估), goals and plan, the worker and supervisor, and how it closed."
    ),
    "case_note": (
        "A session, review or supervision note on a social-work case. A fact: never edited."
    ),
    "referral": (
        "A referral (转介) of a client from one organisation to another: the reason and urgency, the "
        "client's consent, the receiving organisation's response and the feedback. A referral cannot be "
        "sent without the client's consent."
    ),
    "disaster_report": (
        "One disaster information report (灾情报告) in the statistical format of the 自然灾害情况统计制度: the "
        "initial report (初报), any number of updates (续报) and one final report (核报) form a series "
        "linked by `series_id`. Figures are the cumulative totals as known at the report time. Disaster "
        "statistics are confidential (Statistics Law Art. 9)."
    ),
    "attachment": (
        "A photo or scanned document (consent form, ID scan, signed form) belonging to any record. The "
        "file itself is stored encrypted outside the database, addressed by the SHA-256 of its content; "
        "this record holds the reference and description. A fact: never edited."
    ),
}

# Meanings of fields shared by name across record types; "entity.field" entries below override them.
COMMON_MEANING: dict[str, str] = {
    "id": "UUIDv7 (time-ordered, 36 characters) given when the record is created on any device; never changes.",
    "org_code": (
        "Code of the org unit (grid, community, street …) the record belongs to. Decides who may see it "
        "and which devices receive it. Required."
    ),
    "author": "User who created the record. Set by the store.",
    "device": "Device the record was created on. Set by the store.",
    "created_at": "When the record was created. Set by the store.",
    "updated_at": "When any field last changed. Set by the store on every edit.",
    "updated_by": "User who made the last change. Set by the store on every edit.",
    "archived": (
        "Records are never deleted: archiving hides a record from everyday lists, is journaled and audited "
        "like any edit, and can be undone. An archived record cannot be edited until it is restored."
    ),
    "household_id": "The household the record belongs to.",
    "member_id": "The household member concerned.",
    "notes": "Free-text remarks.",
    "note": "Free-text explanation.",
    "latitude": "WGS-84 latitude where the record was made (kept internally, stripped before any public use).",
    "longitude": "WGS-84 longitude where the record was made.",
    "consent_ref": "Number or reference of the signed consent form (授权书 / 同意书).",
    "phone": "Contact number; mobiles stored as 11 digits, landlines as `020-12345678[-ext]`.",
    "address": "Address in full, as written on forms.",
    "place": "Where it happened, in words.",
    "status": "Current workflow state; changes only through the workflow (see below).",
    "client_name": "The client's name.",
    "case_id": "The case the record belongs to.",
}

MEANING: dict[str, str] = {
    # org_unit
    "org_unit.code": (
        "The unit's code: 6-digit district, 9-digit street or town, 12-digit community or village, or a grid code."
    ),
    "org_unit.name": "The unit's name, e.g. 洪桥街道.",
    "org_unit.level": "`city`, `district`, `street`, `community` or `grid`.",
    "org_unit.parent_code": "Code of the unit above it; empty for the top of the tree.",
    # household
    "household.address": "Address where the household lives (current address, which may differ from the 户籍 address).",
    "household.phone": "The household's contact number.",
    "household.register_type": "Kind of household registration (户籍): local urban, local rural, migrant, foreign.",
    "household.head_name": "Name of the head of household (户主), as on the household register.",
    "household.poverty_reason": "Main cause of hardship (致贫原因): illness, disability, unemployment, accident …",
    "household.bank_account": "Account the monthly aid is paid into (bank card or passbook number).",
    # member
    "member.name": "Full name; minority and foreign names use the middle dot `·` (U+00B7).",
    "member.id_number": "18-character resident ID number (公民身份号码); old 15-digit numbers are upgraded on input.",
    "member.relationship": "Relationship to the head of household, GB/T 4761 code; `02` is the head.",
    "member.sex": "`M` or `F`; filled in from the ID number when empty, and must agree with it.",
    "member.birth_date": "Date of birth; filled in from the ID number when empty, and must agree with it.",
    "member.ethnicity": ("Ethnic group (民族), GB 3304 code (`01` 汉族 … `56` 基诺族, `97`, `98`); "
                         "the name (汉族, 汉) is accepted and stored as its code."),
    "member.marital_status": "Marital status, GB/T 2261.2 code.",
    "member.education": ("Highest education level (文化程度), GB/T 4658 major code; names offices write "
                         "(本科, 大专, 中专, 文盲或半文盲 …) are accepted and stored as the code."),
    "member.phone": "The member's own contact number.",
    "member.health": "Health: healthy, chronic illness, serious illness (大病), disabled.",
    "member.disability_type": "Disability type 1–7: vision, hearing, speech, physical, intellectual, mental, multiple.",
    "member.disability_grade": "Disability grade 1–4 (一级 is the most severe).",
    "member.disability_card": "Disability certificate number (残疾人证号): ID number, type digit, grade digit (+1–2).",
    "member.employment": "Employment status (employed, flexible, self-employed, farming, unemployed, retired …).",
    "member.work_capacity": "Work capacity: full, partly lost, fully lost.",
    # income_item
    "income_item.member_id": "The member who receives this income.",
    "income_item.income_type": "Kind of income.",
    "income_item.monthly_amount": "Monthly income from this source, in yuan.",
    "income_item.note": "Details: employer, crop, period, how it was established.",
    "income_item.people": (
        "Number of people this income is counted for (default 1). Not used by any calculation yet; the "
        "model does not say more."
    ),
    # assistance_case
    "assistance_case.category": "Kind of assistance: 低保, 低收入, 特困 (centralised / dispersed), 临时, 医疗, 孤儿 …",
    "assistance_case.applied_on": "Date the application was made.",
    "assistance_case.approved_on": "Date of approval; set automatically when the case first becomes active.",
    "assistance_case.certificate_no": "Number of the certificate issued on approval (低保证 / 特困供养证).",
    "assistance_case.people_covered": "Number of household members covered by the allowance (保障人数).",
    "assistance_case.monthly_amount": "Monthly amount paid, in yuan (月保障金额).",
    "assistance_case.review_class": (
        "Review class, which sets how often the case is reviewed: stable / irregular income, or the older "
        "A / B / C scheme."
    ),
    "assistance_case.next_review_date": (
        "Date the next periodic review falls due. Set from the configurable review intervals when the case "
        "becomes active or is reviewed; cleared when it stops, exits, is rejected or withdrawn."
    ),
    "assistance_case.rural": "Rural case (some review intervals differ between urban and rural cases).",
    "assistance_case.decision_reason": "The decision and its reasons (a rejection must be explained in writing).",
    "assistance_case.exit_reason": "Why the household left assistance; required to move from 停保 to 退出.",
    # case_review
    "case_review.case_id": "The assistance case reviewed.",
    "case_review.reviewed_on": "Date of the review.",
    "case_review.outcome": "Decision: unchanged, increase, decrease, taper, stop.",
    "case_review.old_amount": "Monthly amount before the review, in yuan.",
    "case_review.new_amount": "Monthly amount after the review, in yuan.",
    "case_review.effective_month": "Month the change takes effect, `YYYY-MM`.",
    "case_review.reason": "Why the amount changed or the case was stopped.",
    # investigation
    "investigation.case_id": "The assistance case the investigation was made for, if any.",
    "investigation.investigated_at": "When the home visit took place.",
    "investigation.investigators": "Names of the investigators (at least two).",
    "investigation.housing_type": "Housing tenure: own, rented, self-built, lodging.",
    "investigation.housing_area": "Floor area in square metres.",
    "investigation.housing_owner": "Name of the property's title owner.",
    "investigation.vehicles": "Vehicles owned (kind, plate, value).",
    "investigation.savings": "Savings found, in yuan.",
    "investigation.securities": "Securities and bonds held, in yuan.",
    "investigation.businesses": "Businesses owned or run by household members.",
    "investigation.monthly_expenses": "Monthly utilities and fees, in yuan.",
    "investigation.maintenance_obligors": "Persons obliged to support the household (赡养/抚养/扶养) and their income.",
    "investigation.findings": "The investigators' findings and opinion.",
    "investigation.applicant_signed": "The applicant signed the investigation form.",
    "investigation.investigators_signed": "Both investigators signed the investigation form.",
    "investigation.consent_ref": "Reference of the household's signed 核对 consent (授权书), if taken at the visit.",
    # verification
    "verification.case_id": "The assistance case the check was made for, if any.",
    "verification.consent_ref": "Reference of the signed consent (授权书); required.",
    "verification.requested_on": "Date the check was requested.",
    "verification.level": "Verification centre that ran the check: city, district or street.",
    "verification.members_checked": "Number of household members checked.",
    "verification.results": "JSON object: data source (`hukou`, `tax`, `social_insurance`, `real_estate` …) → finding.",
    "verification.conclusion": "`pending`, `eligible`, `ineligible` or `needs_review`.",
    "verification.report_ref": "Number of the 核对报告.",
    # elder_profile
    "elder_profile.member_id": "The household member this profile is about.",
    "elder_profile.living_arrangement": "Living alone, empty nest, left behind, with family, in an institution.",
    "elder_profile.capacity_level": "GB/T 42195-2022 capacity level: 0 intact … 4 complete loss.",
    "elder_profile.risk_tier": "High, key or normal; sets the visit interval (Guangzhou defaults 7 / 30 / 90 days).",
    "elder_profile.entitlement": (
        "Entitlement basis, comma-separated codes: `youfu` 优抚, `dibao` 低保, `age80` 80+. "
        "Dictionary `elder_entitlement` exists but the value is not checked against it."
    ),
    "elder_profile.emergency_contact_name": "Name of the person to call in an emergency.",
    "elder_profile.emergency_contact_phone": "Phone of the emergency contact.",
    "elder_profile.emergency_contact_relation": "How the emergency contact is related to the elder.",
    "elder_profile.pingantong_device": "Number of the elder's 平安通 emergency-call device, if any.",
    "elder_profile.visit_interval_days": "Days between visits; overrides the risk tier's interval when set.",
    # care_visit
    "care_visit.elder_id": "The elder profile visited.",
    "care_visit.visited_at": "When the visit took place; cannot be in the future.",
    "care_visit.method": "In person, by phone, by video.",
    "care_visit.visitors": "Who visited.",
    "care_visit.health": "Physical health observed: speech, mobility, illness.",
    "care_visit.mental_state": "Mood and mental state.",
    "care_visit.safety": "Home safety: gas, electricity, water, heating.",
    "care_visit.hygiene": "Personal hygiene and the state of the home and surroundings.",
    "care_visit.family_care": "How family members care for the elder.",
    "care_visit.services": "Services delivered during the visit.",
    "care_visit.needs": (
        "Needs found, comma-separated codes: `daily_care`, `emotional`, `emergency`, `health`, `legal`, "
        "`leisure`. Dictionary `visit_need` exists but the value is not checked against it."
    ),
    "care_visit.risk_change": "Change in risk since the last visit: `none`, `up`, `down`.",
    "care_visit.outcome": "Result of the visit: `done`, `follow_up`, `referred`, `closed`.",
    "care_visit.follow_up": "What has to be followed up, by whom.",
    "care_visit.corrects_id": "The earlier visit this one corrects, if it is a correction.",
    # grid_event
    "grid_event.title": "Short title of the event.",
    "grid_event.category": "Event category code (矛盾纠纷, 安全隐患, 消防隐患, 环境卫生 …).",
    "grid_event.occurred_at": "When it happened or was found; cannot be in the future.",
    "grid_event.place": "Where it happened.",
    "grid_event.source": "How it came in: officer's patrol, 12345 hotline, video surveillance, a resident.",
    "grid_event.scale": "Minor (the officer may resolve it directly), normal or major.",
    "grid_event.people_involved": "Number of people involved.",
    "grid_event.party_name": "Name of the party concerned (当事人).",
    "grid_event.party_id_number": "ID number of the party concerned.",
    "grid_event.party_address": "Address of the party concerned.",
    "grid_event.description": "What happened, in full.",
    "grid_event.department": "Department the event was dispatched to.",
    "grid_event.deadline": "Time by which the department must finish (办结时限).",
    "grid_event.household_id": "The household concerned, if the event is about one.",
    # grid_event_update
    "grid_event_update.event_id": "The grid event this step belongs to.",
    "grid_event_update.at": "When the step was taken.",
    "grid_event_update.from_status": "The event's status before the step (empty for the first).",
    "grid_event_update.to_status": "The event's status after the step.",
    "grid_event_update.note": "Handling note entered with the status change.",
    # patrol_log
    "patrol_log.started_at": "When the patrol started.",
    "patrol_log.ended_at": "When the patrol ended; not before the start.",
    "patrol_log.places_checked": "Places checked on the patrol.",
    "patrol_log.problems": "Problems found.",
    "patrol_log.track": "GPS track as a JSON list of `[latitude, longitude, ISO time]` points.",
    "patrol_log.event_ids": "Comma-separated ids of the grid events raised during the patrol.",
    # social_work_case
    "social_work_case.household_id": "The client's household, if known.",
    "social_work_case.client_member_id": "The client as a household member, if registered as one.",
    "social_work_case.client_name": "The client's name.",
    "social_work_case.referral_source": "Where the case came from (self, 居委会, school, hospital, another service …).",
    "social_work_case.presenting_problem": "The problem as the client presents it.",
    "social_work_case.assessment": "The worker's assessment (预估) of the client, family and social situation.",
    "social_work_case.goals": "Goals agreed with the client.",
    "social_work_case.plan": "The service plan.",
    "social_work_case.worker": "Social worker responsible for the case.",
    "social_work_case.supervisor": "Supervisor who signs off the case.",
    "social_work_case.closure_reason": "Why the case was closed; required to close it.",
    "social_work_case.opened_on": "Date the case was opened.",
    "social_work_case.closed_on": "Date the case was closed; set automatically on closing.",
    # case_note
    "case_note.case_id": "The social-work case.",
    "case_note.at": "When the session, review or supervision took place.",
    "case_note.kind": "`session`, `review` or `supervision`.",
    "case_note.text": "The note.",
    # referral
    "referral.household_id": "The client's household, if known.",
    "referral.case_id": "The social-work case the referral comes from, if any.",
    "referral.client_name": "The client's name.",
    "referral.from_org": "Organisation making the referral.",
    "referral.from_worker": "Worker making the referral.",
    "referral.to_org": "Organisation the client is referred to.",
    "referral.to_worker": "Contact person at the receiving organisation.",
    "referral.reason": "Why the client is referred and what is asked of the receiving organisation.",
    "referral.urgency": "Normal, urgent, emergency.",
    "referral.consent_given": "The client (or guardian) consented to the referral; required before it is sent.",
    "referral.consent_ref": "Number of the signed consent form.",
    "referral.sent_at": "When the referral was sent; set automatically.",
    "referral.response": "The receiving organisation's answer.",
    "referral.feedback_on": "Date feedback on the service was received.",
    # disaster_report
    "disaster_report.series_id": "The initial report (初报) of the series; empty on the initial report itself.",
    "disaster_report.stage": "`initial` (初报), `update` (续报) or `final` (核报).",
    "disaster_report.disaster_type": "Kind of disaster: flood, typhoon, drought, hail, low temperature, landslide …",
    "disaster_report.sub_type": "Finer kind of disaster, free text.",
    "disaster_report.occurred_at": "When the disaster began.",
    "disaster_report.reported_at": "When this report was made.",
    "disaster_report.place": "Townships and villages affected.",
    "disaster_report.affected": "People affected (受灾人口).",
    "disaster_report.dead": "People dead (死亡人口).",
    "disaster_report.missing": "People missing (失踪人口).",
    "disaster_report.injured": "People injured.",
    "disaster_report.relocated": "People urgently relocated (紧急转移安置人口).",
    "disaster_report.need_urgent_aid": "People in need of urgent living assistance (需紧急生活救助人口).",
    "disaster_report.trapped": "People trapped.",
    "disaster_report.short_of_water": "People short of drinking water and needing help (饮水困难).",
    "disaster_report.crops_affected_ha": "Crop area affected (受灾), hectares.",
    "disaster_report.crops_damaged_ha": "Crop area damaged (成灾), hectares.",
    "disaster_report.crops_lost_ha": "Crop area lost (绝收), hectares.",
    "disaster_report.houses_collapsed_households": "Households whose houses collapsed.",
    "disaster_report.houses_collapsed_rooms": "Rooms collapsed.",
    "disaster_report.houses_severe_households": "Households whose houses were badly damaged.",
    "disaster_report.houses_severe_rooms": "Rooms badly damaged.",
    "disaster_report.houses_light_households": "Households whose houses were lightly damaged.",
    "disaster_report.houses_light_rooms": "Rooms lightly damaged.",
    "disaster_report.direct_loss": "Direct economic loss in yuan (statistical forms use 万元: divide by 10,000).",
    "disaster_report.relief_given": "Relief measures taken and goods or money given.",
    "disaster_report.narrative": "Description of the disaster and its course.",
    "disaster_report.reporter": "Person who filled in the report.",
    "disaster_report.reviewer": "Person who checked the report.",
    # attachment
    "attachment.owner_entity": "Record type of the record the file belongs to.",
    "attachment.owner_id": "Id of the record the file belongs to.",
    "attachment.digest": "SHA-256 of the file's plaintext, hex; also its address in the encrypted store.",
    "attachment.filename": "Original file name.",
    "attachment.mime_type": "File format, e.g. `image/jpeg`.",
    "attachment.size": "Size of the plaintext in bytes.",
    "attachment.kind": "`photo`, `consent`, `id_scan`, `form` or `other`.",
    "attachment.caption": "Caption shown with the file.",
}

RULES: dict[str, str] = {
    "_name": "person name: NFC, look-alike dots → `·`, no digits or control characters, ≤ 50 characters",
    "_optional_name": "person name (when given): NFC, look-alike dots → `·`, no digits or control characters, ≤ 50",
    "_id": "GB 11643 ID number: 18 characters, valid date, MOD 11-2 check; 15-digit numbers upgraded",
    "_phone": "mobile `1[3-9]` + 9 digits, or landline with area code (020 assumed when missing)",
    "_coded": "a code of the dictionary, or its name or a common short form (汉族, 汉 → `01`; 本科 → `20`)",
    "_money": "amount ≥ 0, at most 2 decimals, ≤ 999,999,999,999.99",
    "_count": "whole number ≥ 0",
    "_past": "not in the future (a time: 5 minutes' tolerance; a date: not after today)",
    "_disability_card": "ID number + type 1–7 + grade 1–4 (+1–2 digits), 20–22 characters",
    "_bank": "12–19 digits (spaces and hyphens removed)",
    "_non_negative": "number ≥ 0",
}

GUARDS: dict[str, str] = {
    "_needs_consent": "needs `consent_given` ticked",
    "_minor_only": "needs `scale` = `minor`: 采办分离",
    "_fast_track": "needs `category` = `temporary`: 先行救助, paid first and documented later",
    "_has_reason": "needs a reason in `exit_reason` or `closure_reason`",
}

SIDE_EFFECTS: dict[str, list[str]] = {
    "assistance_case": [
        "Entering `active` sets `approved_on` (if empty) and computes `next_review_date` from the "
        "configurable review intervals (category, review class, urban/rural).",
        "Entering `stopped`, `exited`, `rejected` or `withdrawn` clears `next_review_date`.",
        "A periodic review (`caseapp.services.records.record_review`) moves `active` → `review_due` and "
        "on to `active`, `taper` or `stopped` according to its outcome, and writes a `case_review`.",
    ],
    "grid_event": [
        "Every move writes a `grid_event_update` (from status, to status, time, note).",
    ],
    "social_work_case": ["Entering `closed` sets `closed_on` to the day of the move."],
    "referral": [
        "Entering `sent` sets `sent_at`.",
        "A referral created without consent is always created as `draft`.",
    ],
    "disaster_report": [
        "The stage is a property of each report, not a status that changes: a series is one `initial` "
        "report, then new `update` reports, then one `final` report, each pointing at the initial report "
        "through `series_id`. A new report is checked against the latest report of its series with the "
        "moves in the table above; nothing may follow the final report.",
    ],
}

STORE_TABLES: list[tuple[str, str]] = [
    ("journal", (
        "The change journal and sync outbox. One row per created record (`op` = `create`, `value` holds "
        "every field as a JSON object) or per changed field (`op` = `set`, `field` and its new `value`), "
        "written in the same transaction as the change, in device-sequence order (`seq`). `base_pos` is "
        "the server log position of the record this device had seen, from which the server detects "
        "concurrent edits; `hlc` (hybrid logical clock) orders changes between devices. `state` is "
        "`pending` → `sent` → `applied` / `merged` / `conflict` / `rejected` (with `reason`); entries "
        "leave the outbox only once the server has given its verdict. `updated_at`/`updated_by` are not "
        "journaled as separate changes, nor is `server_pos`."
    )),
    ("audit", (
        "The tamper-evident audit trail: who changed which fields of which record, from what to what. "
        "`action` is `create`, `update`, `archive`, `restore` or `remote` (a change received by sync); "
        "`changes` is a JSON object field → [old, new] in wire form. Each entry's `hash` is SHA-256 over "
        "the previous entry's hash and the entry itself, so editing or removing any entry breaks the chain "
        "(`caseapp audit verify`)."
    )),
    ("device_state", (
        "One row: this device's id, its persisted hybrid logical clock, and the head hash and length of "
        "the audit chain (so that cutting entries off the end of the trail is detected too)."
    )),
    ("settings", (
        "Key/value settings kept inside the encrypted database (user name, server URL, sync token and "
        "cursor …); values are JSON."
    )),
    ("conflicts", (
        "Same-field concurrent edits that the server resolved by its default rule, kept for a person to "
        "confirm or override: the base, winning and losing values with their authors, devices and clocks. "
        "`status` is `open` or `resolved`."
    )),
]

# --- generation -----------------------------------------------------------------------------------


def zh(key: str) -> str:
    return CATALOGUE["zh"].get(key, "")


def en(key: str) -> str:
    return CATALOGUE["en"].get(key, "")


def label(entity: str, field: str, table: Callable[[str], str]) -> str:
    return table(f"field.{entity}.{field}") or table(f"field.{field}")


def cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def row(values: Iterable[object]) -> str:
    return "| " + " | ".join(cell(v) for v in values) + " |"


def type_name(column: Any) -> str:
    t = column.type
    if isinstance(t, UtcDateTime):
        name = "datetime"
    elif isinstance(t, IsoDate):
        name = "date"
    elif isinstance(t, Money):
        name = "money"
    elif isinstance(t, Boolean):
        name = "yes/no"
    elif isinstance(t, Integer):
        name = "integer"
    elif isinstance(t, Float):
        name = "number"
    elif isinstance(t, Text):
        name = "text"
    elif isinstance(t, String):
        name = f"text ≤ {t.length}" if t.length else "text"
    else:
        name = type(t).__name__
    for fk in column.foreign_keys:
        target = fk.target_fullname.split(".")[0]
        entity = next((e for e, c in ENTITIES.items() if c.__tablename__ == target), target)
        name = f"id → `{entity}`"
    return name


def default_text(column: Any) -> str:
    if column.primary_key:
        return "set by store"
    default = column.default
    if default is None:
        return "optional" if column.nullable else "**required**"
    arg = getattr(default, "arg", None)
    if callable(arg):
        return "set by store"
    if arg is None:
        return "empty"
    if isinstance(arg, bool):
        return "no" if not arg else "yes"
    if arg == "":
        return "empty text"
    return f"`{arg}`"


def meaning(entity: str, field: str) -> str:
    return MEANING.get(f"{entity}.{field}") or COMMON_MEANING.get(field, "")


def rule_text(entity: str, field: str) -> str:
    rule = FIELD_RULES.get(entity, {}).get(field)
    if rule is None:
        return ""
    return RULES.get(rule.__name__, rule.__name__)


def field_table(cls: type[Record], fields: list[str]) -> list[str]:
    columns = cls.__table__.columns
    lines = [
        row(["Field", "中文", "English", "Type", "Default", "Meaning", "Validation", "Dictionary"]),
        row(["---"] * 8),
    ]
    choices = CHOICES.get(cls.entity, {})
    for name in fields:
        dictionary = choices.get(name)
        lines.append(row([
            f"`{name}`", label(cls.entity, name, zh), label(cls.entity, name, en), type_name(columns[name]),
            default_text(columns[name]), meaning(cls.entity, name), rule_text(cls.entity, name),
            f"[`{dictionary}`](#dict-{dictionary})" if dictionary else "",
        ]))
    return lines


def state_label(machine: str, state: str) -> str:
    return f"`{state}` {zh(f'state.{machine}.{state}')}"


def workflow_section(cls: type[Record]) -> list[str]:
    machine = workflows.machine_for(cls.entity)
    if machine is None or cls.state_field is None:
        return []
    out = [
        "",
        f"**Workflow** (`{cls.state_field}`, state machine `{machine.name}`). Initial state "
        f"{state_label(machine.name, machine.initial)}; final states: "
        + ", ".join(state_label(machine.name, s) for s in machine.states if s in machine.final) + ".",
        "",
        row(["State", "中文", "English", "May move to"]),
        row(["---"] * 4),
    ]
    for state in machine.states:
        targets = []
        for target in machine.moves.get(state, ()):
            guard = machine.guards.get((state, target)) or machine.guards.get(("*", target))
            text = f"`{target}`"
            if guard is not None:
                text += f" ({GUARDS.get(guard.__name__, guard.__name__)})"
            targets.append(text)
        out.append(row([
            f"`{state}`", zh(f"state.{machine.name}.{state}"), en(f"state.{machine.name}.{state}"),
            ", ".join(targets) or "— (final)",
        ]))
    effects = SIDE_EFFECTS.get(cls.entity, [])
    if effects:
        out += ["", *[f"- {e}" for e in effects]]
    return out


def entity_section(cls: type[Record]) -> list[str]:
    entity = cls.entity
    facts = [f"table `{cls.__tablename__}`"]
    if cls.parent:
        column, parent = cls.parent
        facts.append(f"belongs to `{parent}` through `{column}`")
    else:
        facts.append("no parent record")
    facts.append("**insert-only** (never edited after saving; only `archived` and `org_code` change)"
                 if cls.insert_only else "editable")
    if cls.state_field:
        facts.append(f"state field `{cls.state_field}`")
    own = [f for f in cls.field_names() if f not in META_FIELDS]
    return [
        "",
        f'<a id="{entity}"></a>',
        "",
        f"### `{entity}` {zh('entity.' + entity)} / {en('entity.' + entity)}",
        "",
        PURPOSE[entity],
        "",
        "- " + "; ".join(facts) + ".",
        "",
        *field_table(cls, own),
        *workflow_section(cls),
    ]


def store_table(table: Table) -> list[str]:
    lines = [row(["Column", "Type", "Key"]), row(["---"] * 3)]
    for column in table.columns:
        key = "primary key" if column.primary_key else ("indexed" if column.index else "")
        lines.append(row([f"`{column.key}`", type_name(column), key]))
    return lines


def dictionaries_section() -> list[str]:
    used = sorted({d for fields in CHOICES.values() for d in fields.values()})
    out = [
        "",
        "## Dictionaries",
        "",
        "Code lists a field's value must come from (`caseapp.services.validate.CHOICES`). These are the "
        "Guangzhou defaults shipped in `caseapp/refdata/rules.json`; a deployment can override any of "
        "them with its own rules file, so treat the lists below as the defaults, not as law. The value "
        "stored is the code; the labels are what the forms show.",
    ]
    for name in used:
        entries = refdata.dictionary(name)
        users = [f"`{e}.{f}`" for e, fields in CHOICES.items() for f, d in fields.items() if d == name]
        out += ["", f'<a id="dict-{name}"></a>', "", f"### Dictionary `{name}`", ""]
        out += ["Used by " + ", ".join(users) + "."]
        out += ["", row(["Code", "中文", "English"]), row(["---"] * 3)]
        out += [row([f"`{code}`", v["zh"], v["en"]]) for code, v in entries.items()]
    unused = sorted(refdata.DICTIONARIES - set(used))
    if unused:
        out += ["", "Dictionaries defined in the reference data but not enforced on any field: "
                + ", ".join(f"`{n}`" for n in unused) + "."]
    return out


def missing_meanings() -> list[str]:
    return [f"{e}.{f}" for e, cls in ENTITIES.items() for f in cls.field_names() if not meaning(e, f)]


def generate() -> str:
    lines: list[str] = [
        "# CaseApp data model",
        "",
        "<!-- Generated by docs/gen_data_model.py from the code; edit that script, not this file. -->",
        "",
        "What CaseApp stores, record type by record type: what each record is for, the fields it has (with "
        "the label the forms show, the type, the default, what it means, how it is checked and which code "
        "list it takes its value from), and the workflow its status follows. Then the tables the store "
        "keeps for itself and the JSON Lines export format.",
        "",
        "Terms: a *record type* (entity) is one kind of record, e.g. `household`; its *fields* are columns "
        "of one table in the workspace's encrypted SQLite (SQLCipher) database. Field and record-type "
        "names are the same in the database, the sync protocol and exports. Labels come from the message "
        "catalogue (`caseapp/messages/fields.py`, `validation.py`, `states.py`).",
        "",
        "## How values are stored",
        "",
        "Each type has one canonical text form, used in the database, the journal, sync and export alike, "
        "so the same data always gives the same bytes:",
        "",
        row(["Type", "Stored as", "Example"]),
        row(["---"] * 3),
        row(["datetime", "UTC, ISO 8601 with microseconds and `Z`", "`2024-05-01T01:30:00.000000Z`"]),
        row(["date", "`YYYY-MM-DD`", "`2024-05-01`"]),
        row(["money", "yuan as exact decimal text with two decimals (a string in JSON, never a float)",
             '`"1234.50"`']),
        row(["yes/no", "boolean", "`true`"]),
        row(["integer / number", "JSON number", "`3`, `85.5`"]),
        row(["text ≤ n", "Unicode text of at most n characters", "`张伟`"]),
        row(["id → `x`", "the 36-character id of a record of type `x`", "`0190f3e2-…`"]),
        "",
        "Empty optional values are `null`. A time entered without a time zone is taken as the device's "
        "local time (Beijing time) and converted to UTC when stored.",
        "",
        "In the field tables, *Default* is the value a new record gets when the field is left out: "
        "**required** fields must be given, *optional* ones may stay empty (`null`), *set by store* ones "
        "are filled in by the application. *Validation* is the check `caseapp/services/validate.py` applies "
        "to a non-empty value on every form and import; every field is also converted to its type "
        "and rejected with a message if it cannot be. *Dictionary* names the code list the value must "
        "come from.",
        "",
        "## Fields every record carries",
        "",
        "Every record type has these fields in addition to its own (`caseapp.domain.base.META_FIELDS`). "
        "Apart from `org_code` and `archived`, users do not set them: the store fills them in when a "
        "record is created or changed.",
        "",
        row(["Field", "中文", "English", "Type", "Meaning"]),
        row(["---"] * 5),
    ]
    base_columns = ENTITIES["household"].__table__.columns
    for name in META_FIELDS:
        lines.append(row([f"`{name}`", zh(f"field.{name}"), en(f"field.{name}"), type_name(base_columns[name]),
                          COMMON_MEANING[name]]))
    lines += [
        "",
        f"Each record table also has {', '.join(f'`{f}`' for f in LOCAL_FIELDS)}: the position of the record in "
        "the server's log as this device last saw it. It is local sync bookkeeping: never journaled, "
        "never exported. Changes to "
        f"{' and '.join(f'`{f}`' for f in SILENT_FIELDS)} are merged by clock order and never reported "
        "as conflicts.",
        "",
        "## Record types",
        "",
        row(["Record type", "中文", "Belongs to", "Insert-only", "Workflow", "Table"]),
        row(["---"] * 6),
    ]
    for entity in EXPORT_ORDER:
        cls = ENTITIES[entity]
        lines.append(row([
            f"[`{entity}`](#{entity})", zh(f"entity.{entity}"),
            f"`{cls.parent[1]}`" if cls.parent else "—", "yes" if cls.insert_only else "no",
            f"`{cls.state_field}`" if cls.state_field else "—", f"`{cls.__tablename__}`",
        ]))
    lines += [
        "",
        "Insert-only record types are facts (a visit happened, a note was written): once saved only "
        "`archived` and `org_code` may change, so they can never conflict between devices. A correction is "
        "a new record. Records of the other types are edited field by field; every change is journaled "
        "and audited. A status field changes only through its workflow: the application offers only the "
        "moves listed, and refuses any other.",
    ]
    for entity in EXPORT_ORDER:
        lines += entity_section(ENTITIES[entity])
    lines += dictionaries_section()
    lines += [
        "",
        "## The store's own tables",
        "",
        "Kept in the same encrypted database next to the records (`caseapp/store/tables.py`). They are not "
        "records: they are not journaled, synced as records or exported.",
    ]
    store = {t.name: t for t in Base.metadata.sorted_tables}
    for name, text in STORE_TABLES:
        lines += ["", f"### `{name}`", "", text, "", *store_table(store[name])]
    lines += export_section()
    return "\n".join(lines) + "\n"


def example_line() -> str:
    """One export line for a sample household, made with the same codec and layout as the export."""
    when = dt.datetime(2024, 5, 1, 1, 30, tzinfo=dt.UTC)
    household = Household(
        id="0190f3e2-5c1a-7b3e-9a4d-2f6e8c0b1a23", org_code="440104001001", author="李敏",
        device="0190f3e0-4d2b-7c11-8e5a-6b7c8d9e0f12", created_at=when, updated_at=when, updated_by="李敏",
        archived=False, address="越秀区洪桥街道小北路100号", phone="13812345678", register_type="local_urban",
        head_name="张伟", poverty_reason="因病", bank_account=None, notes="",
    )
    wire = record_to_wire(household)
    line: dict[str, Any] = {"type": household.entity, "id": household.id}
    line.update((k, wire[k]) for k in sorted(wire) if k != "id")
    return json.dumps(line, ensure_ascii=False, separators=(",", ":"))


def export_section() -> list[str]:
    return [
        "",
        "## Export and import: JSON Lines",
        "",
        "`caseapp export [-o FILE]` writes every record of the workspace (archived ones included) as JSON "
        "Lines (`caseapp/services/exchange.py`); `caseapp import FILE` reads the same format back.",
        "",
        "- UTF-8 without BOM, one JSON object per line, each line ending in `\\n`; compact separators, "
        "non-ASCII text written as is (not `\\u` escapes).",
        '- Each object starts with `"type"` (the record type) and `"id"`, followed by every field of the '
        "record type — the common fields included, `server_pos` left out — in alphabetical order of field "
        "name, each value in the stored form described above (`null` when empty).",
        "- Records come in a fixed type order, parents before children, and by id within a type: "
        + ", ".join(f"`{e}`" for e in EXPORT_ORDER) + ".",
        "- Two workspaces holding the same data therefore export byte-identical files.",
        "",
        "Example line:",
        "",
        "```json",
        example_line(),
        "```",
        "",
        "Import:",
        "",
        "- accepts a UTF-8 file with or without BOM and skips blank lines;",
        "- checks every line before writing anything: each must be a JSON object with a known `type` and a "
        "36-character `id`, and its fields go through the same validation as a form (required fields, "
        "types, rules, dictionaries, unknown fields rejected). If any line is bad, nothing is written and "
        "every problem is listed with its line number and field;",
        "- then creates or updates records by id in one transaction, through the ordinary write path, so "
        "imported changes are journaled and audited like typed ones;",
        f"- keeps the stamps the file carries ({', '.join(f'`{s}`' for s in STAMPS)}) instead of "
        "stamping \"now, by me\";",
        "- cannot change an insert-only record other than its `archived` and `org_code`;",
        "- takes workflow state fields (`status`, `stage`) as they are in the file: the workflow moves are not "
        "checked on import (`stage` is only checked against its dictionary).",
        "",
        "An export holds personal and sensitive information (ID numbers, health, bank accounts, special-"
        "group data) in plain text: handle the file like the workspace itself.",
    ]


def main(argv: list[str]) -> int:
    for name in missing_meanings():
        print(f"warning: no meaning written for {name}", file=sys.stderr)
    text = generate()
    if "--check" in argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is out of date: run python docs/gen_data_model.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
