"""Which fields each record type's form shows, and in what order: nothing else.

What each field is (its label in both languages, its input, its code list, whether it must be
filled) is declared once on the model (``caseapp.domain.fields``) and read from there, so a form can
never word a field differently from its error messages, the history or the ledgers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from caseapp.domain.base import ENTITIES, Record
from caseapp.domain.fields import (
    BOOL,
    CHOICE,
    DATE,
    DATETIME,
    FLOAT,
    INT,
    LINK,
    MEMBER,
    MONEY,
    MULTI,
    MULTILINE,
    NOW,
    TEXT,
    all_facts,
    widget_of,
)
from caseapp.services import display
from caseapp.services.validate import required_fields

__all__ = [
    "BOOL", "CHOICE", "DATE", "DATETIME", "FLOAT", "INT", "LINK", "MEMBER", "MONEY", "MULTI", "MULTILINE", "NOW",
    "ORDER", "SPECS", "TEXT", "FieldSpec", "entity_name", "field_label", "spec", "specs",
]  # fmt: skip


@dataclass(frozen=True)
class FieldSpec:
    entity: str
    name: str
    kind: str
    #: caseapp.refdata dictionary for CHOICE and MULTI
    dictionary: str
    #: marked with an asterisk: the core refuses the record without it
    required: bool

    def text(self, lang: str) -> str:
        return display.field_name(self.entity, self.name, lang)


#: The fields of each record type's form, in the order a caseworker fills them in.
ORDER: dict[str, list[str]] = {
    "household": ["head_name", "address", "building_id", "room_no", "hukou_address", "phone", "register_type",
                  "poverty_reason", "bank_account", "notes"],
    "building": ["road", "house_no", "name", "building_code", "use", "structure", "floors", "units", "built_year",
                 "manager_name", "manager_phone", "fire_safety", "notes"],
    "dwelling": ["room_no", "floor", "area", "occupancy", "owner_name", "owner_phone", "notes"],
    "resident": ["name", "id_number", "document_no", "sex", "birth_date", "population_type", "residence_reason",
                 "moved_in_on", "room_no", "phone", "hukou_address", "notes"],
    "member": ["name", "id_number", "relationship", "sex", "birth_date", "ethnicity", "marital_status", "education",
               "phone", "health", "disability_type", "disability_grade", "disability_card", "employment",
               "work_capacity", "self_care_assessed_on", "self_care_eating", "self_care_dressing",
               "self_care_transfer", "self_care_toilet", "self_care_walking", "self_care_bathing",
               "self_care_result", "notes"],
    "income_item": ["income_type", "monthly_amount", "people", "note"],
    "assistance_case": ["category", "applied_on", "certificate_no", "people_covered", "monthly_amount",
                        "amount_reason", "review_class", "rural", "decision_reason", "exit_reason"],
    "case_payment": ["paid_on", "amount_paid", "kind", "reason", "approved_by"],
    "case_review": ["reviewed_on", "outcome", "new_amount", "reason"],
    "appraisal": ["held_on", "place", "panel_size", "present", "participants", "votes_for", "votes_against",
                  "result", "objections", "answers", "minutes_ref"],
    "public_notice": ["kind", "started_on", "ends_on", "place", "objections", "answers"],
    "investigation": ["investigated_at", "investigators", "housing_type", "housing_area", "housing_owner", "vehicles",
                      "savings", "securities", "businesses", "monthly_expenses", "maintenance_obligors", "findings",
                      "applicant_signed", "investigators_signed", "consent_ref"],
    "verification": ["consent_ref", "requested_on", "members_checked", "report_ref", "conclusion"],
    "elder_profile": ["member_id", "living_arrangement", "capacity_level", "risk_tier", "entitlement",
                      "emergency_contact_name", "emergency_contact_phone", "emergency_contact_relation",
                      "pingantong_device", "visit_interval_days", "notes"],
    "care_visit": ["visited_at", "method", "visitors", "health", "mental_state", "safety", "hygiene", "family_care",
                   "services", "needs", "follow_up", "notes"],
    "child_profile": ["member_id", "category", "identified_on", "guardian_name", "guardian_relation",
                      "guardian_phone", "guardianship", "living_situation", "risk_tier", "notes"],
    "child_visit": ["visited_at", "method", "visitors", "findings", "risk", "follow_up"],
    "veteran_profile": ["member_id", "category", "disability_grade", "certificate_no", "monthly_allowance",
                        "allowance_from", "service", "notes"],
    "veteran_visit": ["visited_at", "occasion", "method", "visitors", "findings", "support_amount", "follow_up"],
    "emergency_call": ["called_at", "call_type", "device_no", "response", "dispatched_to", "outcome", "follow_up"],
    "care_application": ["member_id", "facility_type", "facility_name", "applicant", "applicant_name", "applied_on",
                         "capacity_level", "assessed_on", "priorities", "offered_place", "offer_reason",
                         "closing_reason", "notes"],
    "grid_event": ["title", "category", "occurred_at", "place", "source", "scale", "people_involved", "party_name",
                   "party_id_number", "party_address", "description", "department", "deadline"],
    "patrol_log": ["started_at", "ended_at", "places_checked", "problems"],
    "social_work_case": ["client_name", "client_member_id", "referral_source", "presenting_problem", "assessment",
                         "goals", "plan", "worker", "supervisor", "opened_on", "closure_reason"],
    "case_note": ["at", "text"],
    "referral": ["client_member_id", "client_name", "from_org", "from_worker", "to_org", "to_org_code", "to_worker",
                 "reason", "urgency", "consent_given", "consent_ref", "consent_on", "response", "feedback_on"],
    "disaster_report": ["disaster_type", "sub_type", "occurred_at", "reported_at", "place", "affected", "dead",
                        "missing", "injured", "trapped", "relocated", "need_urgent_aid", "short_of_water",
                        "houses_collapsed_households", "houses_collapsed_rooms", "houses_severe_households",
                        "houses_severe_rooms", "houses_light_households", "houses_light_rooms",
                        "crops_affected_ha", "crops_damaged_ha", "crops_lost_ha", "direct_loss", "relief_given",
                        "narrative", "reporter", "reviewer"],
}


def _spec(cls: type[Record], name: str) -> FieldSpec:
    facts = all_facts(cls)[name]
    return FieldSpec(cls.entity, name, widget_of(cls, name), facts.codes or "", name in required_fields(cls))


@cache
def specs(entity: str) -> tuple[FieldSpec, ...]:
    cls = ENTITIES[entity]
    return tuple(_spec(cls, name) for name in ORDER[entity])


SPECS: dict[str, tuple[FieldSpec, ...]] = {entity: specs(entity) for entity in ORDER}


def spec(entity: str, name: str) -> FieldSpec | None:
    cls = ENTITIES.get(entity)
    if cls is None or name not in all_facts(cls):
        return None
    return _spec(cls, name)


def entity_name(entity: str, lang: str) -> str:
    return display.entity_name(entity, lang)


def field_label(entity: str, name: str, lang: str) -> str:
    return display.field_name(entity, name, lang)
