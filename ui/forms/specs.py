"""Which fields each record type's form shows, in what order, with what kind of input.

Labels are English source strings marked for translation (context "Field"); ``label()`` translates
them at display time. Rules (what is required, what a value must look like) are not here: they live
in caseapp.services.validate, and its errors come back to the field they name.
"""

from __future__ import annotations

from dataclasses import dataclass

from ui.qt import QT_TRANSLATE_NOOP, QCoreApplication

TEXT, MULTILINE, DATE, DATETIME, NOW, INT, MONEY, FLOAT, BOOL, CHOICE, MULTI, MEMBER = (
    "text", "multiline", "date", "datetime", "now", "int", "money", "float", "bool", "choice", "multi", "member")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: str = TEXT
    #: caseapp.refdata dictionary for CHOICE and MULTI
    dictionary: str = ""
    #: marked with an asterisk; the core decides what is really required
    required: bool = False

    def text(self) -> str:
        return label(self.label)


def label(source: str) -> str:
    return QCoreApplication.translate("Field", source)


F = FieldSpec

HOUSEHOLD = [
    F("head_name", QT_TRANSLATE_NOOP("Field", "Head of household")),
    F("address", QT_TRANSLATE_NOOP("Field", "Address")),
    F("phone", QT_TRANSLATE_NOOP("Field", "Phone")),
    F("register_type", QT_TRANSLATE_NOOP("Field", "Household register"), CHOICE, "household_register_type"),
    F("poverty_reason", QT_TRANSLATE_NOOP("Field", "Main cause of hardship")),
    F("bank_account", QT_TRANSLATE_NOOP("Field", "Bank account")),
    F("notes", QT_TRANSLATE_NOOP("Field", "Notes"), MULTILINE),
]

MEMBER_FIELDS = [
    F("name", QT_TRANSLATE_NOOP("Field", "Name"), required=True),
    F("id_number", QT_TRANSLATE_NOOP("Field", "ID number")),
    F("relationship", QT_TRANSLATE_NOOP("Field", "Relationship to head"), CHOICE, "relationship", required=True),
    F("sex", QT_TRANSLATE_NOOP("Field", "Sex"), CHOICE, "sex"),
    F("birth_date", QT_TRANSLATE_NOOP("Field", "Date of birth"), DATE),
    F("ethnicity", QT_TRANSLATE_NOOP("Field", "Ethnicity"), CHOICE, "ethnicity"),
    F("marital_status", QT_TRANSLATE_NOOP("Field", "Marital status"), CHOICE, "marital_status"),
    F("education", QT_TRANSLATE_NOOP("Field", "Education"), CHOICE, "education"),
    F("phone", QT_TRANSLATE_NOOP("Field", "Phone")),
    F("health", QT_TRANSLATE_NOOP("Field", "Health"), CHOICE, "health_status"),
    F("disability_type", QT_TRANSLATE_NOOP("Field", "Disability type"), CHOICE, "disability_type"),
    F("disability_grade", QT_TRANSLATE_NOOP("Field", "Disability grade"), CHOICE, "disability_grade"),
    F("disability_card", QT_TRANSLATE_NOOP("Field", "Disability card number")),
    F("employment", QT_TRANSLATE_NOOP("Field", "Employment"), CHOICE, "employment_status"),
    F("work_capacity", QT_TRANSLATE_NOOP("Field", "Ability to work"), CHOICE, "work_capacity"),
    F("notes", QT_TRANSLATE_NOOP("Field", "Notes"), MULTILINE),
]

INCOME_ITEM = [
    F("income_type", QT_TRANSLATE_NOOP("Field", "Type of income"), CHOICE, "income_type", required=True),
    F("monthly_amount", QT_TRANSLATE_NOOP("Field", "Monthly amount (yuan)"), MONEY, required=True),
    F("people", QT_TRANSLATE_NOOP("Field", "People it supports"), INT),
    F("note", QT_TRANSLATE_NOOP("Field", "Note")),
]

ASSISTANCE_CASE = [
    F("category", QT_TRANSLATE_NOOP("Field", "Kind of assistance"), CHOICE, "assistance_category", required=True),
    F("applied_on", QT_TRANSLATE_NOOP("Field", "Applied on"), DATE),
    F("certificate_no", QT_TRANSLATE_NOOP("Field", "Certificate number")),
    F("people_covered", QT_TRANSLATE_NOOP("Field", "People covered"), INT),
    F("monthly_amount", QT_TRANSLATE_NOOP("Field", "Monthly amount (yuan)"), MONEY),
    F("review_class", QT_TRANSLATE_NOOP("Field", "Review class"), CHOICE, "review_class"),
    F("rural", QT_TRANSLATE_NOOP("Field", "Rural standard"), BOOL),
    F("decision_reason", QT_TRANSLATE_NOOP("Field", "Reasons for the decision"), MULTILINE),
    F("exit_reason", QT_TRANSLATE_NOOP("Field", "Reason for leaving"), TEXT),
]

CASE_REVIEW = [
    F("reviewed_on", QT_TRANSLATE_NOOP("Field", "Reviewed on"), DATE, required=True),
    F("outcome", QT_TRANSLATE_NOOP("Field", "Decision"), CHOICE, "review_decision", required=True),
    F("new_amount", QT_TRANSLATE_NOOP("Field", "New monthly amount (yuan)"), MONEY),
    F("reason", QT_TRANSLATE_NOOP("Field", "Reason"), MULTILINE),
]

INVESTIGATION = [
    F("investigated_at", QT_TRANSLATE_NOOP("Field", "Investigated at"), NOW, required=True),
    F("investigators", QT_TRANSLATE_NOOP("Field", "Investigators (at least two)"), required=True),
    F("housing_type", QT_TRANSLATE_NOOP("Field", "Housing"), CHOICE, "housing_tenure"),
    F("housing_area", QT_TRANSLATE_NOOP("Field", "Floor area (m²)"), FLOAT),
    F("housing_owner", QT_TRANSLATE_NOOP("Field", "Registered owner")),
    F("vehicles", QT_TRANSLATE_NOOP("Field", "Vehicles")),
    F("savings", QT_TRANSLATE_NOOP("Field", "Savings (yuan)"), MONEY),
    F("securities", QT_TRANSLATE_NOOP("Field", "Securities (yuan)"), MONEY),
    F("businesses", QT_TRANSLATE_NOOP("Field", "Businesses")),
    F("monthly_expenses", QT_TRANSLATE_NOOP("Field", "Monthly expenses (yuan)"), MONEY),
    F("maintenance_obligors", QT_TRANSLATE_NOOP("Field", "Relatives obliged to support them"), MULTILINE),
    F("findings", QT_TRANSLATE_NOOP("Field", "Findings"), MULTILINE),
    F("applicant_signed", QT_TRANSLATE_NOOP("Field", "Applicant signed"), BOOL),
    F("investigators_signed", QT_TRANSLATE_NOOP("Field", "Investigators signed"), BOOL),
    F("consent_ref", QT_TRANSLATE_NOOP("Field", "Consent form reference")),
]

VERIFICATION = [
    F("consent_ref", QT_TRANSLATE_NOOP("Field", "Consent form reference"), required=True),
    F("requested_on", QT_TRANSLATE_NOOP("Field", "Requested on"), DATE, required=True),
    F("members_checked", QT_TRANSLATE_NOOP("Field", "Members checked"), INT),
    F("report_ref", QT_TRANSLATE_NOOP("Field", "Report reference")),
]

ELDER_PROFILE = [
    F("member_id", QT_TRANSLATE_NOOP("Field", "Elder"), MEMBER, required=True),
    F("living_arrangement", QT_TRANSLATE_NOOP("Field", "Living arrangement"), CHOICE, "living_arrangement"),
    F("capacity_level", QT_TRANSLATE_NOOP("Field", "Ability level (GB/T 42195)"), CHOICE, "capacity_level"),
    F("risk_tier", QT_TRANSLATE_NOOP("Field", "Risk tier"), CHOICE, "risk_tier"),
    F("entitlement", QT_TRANSLATE_NOOP("Field", "Entitlements"), MULTI, "elder_entitlement"),
    F("emergency_contact_name", QT_TRANSLATE_NOOP("Field", "Emergency contact")),
    F("emergency_contact_phone", QT_TRANSLATE_NOOP("Field", "Emergency contact phone")),
    F("emergency_contact_relation", QT_TRANSLATE_NOOP("Field", "Emergency contact relation")),
    F("pingantong_device", QT_TRANSLATE_NOOP("Field", "Ping'antong device number")),
    F("visit_interval_days", QT_TRANSLATE_NOOP("Field", "Visit every (days)"), INT),
    F("notes", QT_TRANSLATE_NOOP("Field", "Notes"), MULTILINE),
]

CARE_VISIT = [
    F("visited_at", QT_TRANSLATE_NOOP("Field", "Visited at"), NOW, required=True),
    F("method", QT_TRANSLATE_NOOP("Field", "How"), CHOICE, "visit_method", required=True),
    F("visitors", QT_TRANSLATE_NOOP("Field", "Visitors")),
    F("health", QT_TRANSLATE_NOOP("Field", "Health")),
    F("mental_state", QT_TRANSLATE_NOOP("Field", "Mood and mental state")),
    F("safety", QT_TRANSLATE_NOOP("Field", "Safety (gas, power, water)")),
    F("hygiene", QT_TRANSLATE_NOOP("Field", "Hygiene and surroundings")),
    F("family_care", QT_TRANSLATE_NOOP("Field", "Family care")),
    F("services", QT_TRANSLATE_NOOP("Field", "Services given")),
    F("needs", QT_TRANSLATE_NOOP("Field", "Needs"), MULTI, "visit_need"),
    F("follow_up", QT_TRANSLATE_NOOP("Field", "Follow-up")),
    F("notes", QT_TRANSLATE_NOOP("Field", "Notes")),
]

GRID_EVENT = [
    F("title", QT_TRANSLATE_NOOP("Field", "Title"), required=True),
    F("category", QT_TRANSLATE_NOOP("Field", "Category"), CHOICE, "grid_event_category", required=True),
    F("occurred_at", QT_TRANSLATE_NOOP("Field", "Happened at"), NOW, required=True),
    F("place", QT_TRANSLATE_NOOP("Field", "Place")),
    F("source", QT_TRANSLATE_NOOP("Field", "Source"), CHOICE, "event_source"),
    F("scale", QT_TRANSLATE_NOOP("Field", "Scale"), CHOICE, "event_scale"),
    F("people_involved", QT_TRANSLATE_NOOP("Field", "People involved"), INT),
    F("party_name", QT_TRANSLATE_NOOP("Field", "Party's name")),
    F("party_id_number", QT_TRANSLATE_NOOP("Field", "Party's ID number")),
    F("party_address", QT_TRANSLATE_NOOP("Field", "Party's address")),
    F("description", QT_TRANSLATE_NOOP("Field", "Description"), MULTILINE),
    F("department", QT_TRANSLATE_NOOP("Field", "Department handling it")),
    F("deadline", QT_TRANSLATE_NOOP("Field", "Deadline"), DATETIME),
]

PATROL_LOG = [
    F("started_at", QT_TRANSLATE_NOOP("Field", "Started at"), NOW, required=True),
    F("ended_at", QT_TRANSLATE_NOOP("Field", "Ended at"), NOW, required=True),
    F("places_checked", QT_TRANSLATE_NOOP("Field", "Places checked"), MULTILINE),
    F("problems", QT_TRANSLATE_NOOP("Field", "Problems found"), MULTILINE),
]

SOCIAL_WORK_CASE = [
    F("client_name", QT_TRANSLATE_NOOP("Field", "Client"), required=True),
    F("client_member_id", QT_TRANSLATE_NOOP("Field", "Client in this household"), MEMBER),
    F("referral_source", QT_TRANSLATE_NOOP("Field", "Referred by")),
    F("presenting_problem", QT_TRANSLATE_NOOP("Field", "Presenting problem"), MULTILINE),
    F("assessment", QT_TRANSLATE_NOOP("Field", "Assessment"), MULTILINE),
    F("goals", QT_TRANSLATE_NOOP("Field", "Goals"), MULTILINE),
    F("plan", QT_TRANSLATE_NOOP("Field", "Plan"), MULTILINE),
    F("worker", QT_TRANSLATE_NOOP("Field", "Social worker")),
    F("supervisor", QT_TRANSLATE_NOOP("Field", "Supervisor")),
    F("opened_on", QT_TRANSLATE_NOOP("Field", "Opened on"), DATE),
    F("closure_reason", QT_TRANSLATE_NOOP("Field", "Reason for closing")),
]

CASE_NOTE = [
    F("at", QT_TRANSLATE_NOOP("Field", "When"), NOW, required=True),
    F("text", QT_TRANSLATE_NOOP("Field", "Note"), MULTILINE, required=True),
]

REFERRAL = [
    F("client_name", QT_TRANSLATE_NOOP("Field", "Client"), required=True),
    F("from_org", QT_TRANSLATE_NOOP("Field", "From organisation"), required=True),
    F("from_worker", QT_TRANSLATE_NOOP("Field", "From worker")),
    F("to_org", QT_TRANSLATE_NOOP("Field", "To organisation"), required=True),
    F("to_worker", QT_TRANSLATE_NOOP("Field", "To worker")),
    F("reason", QT_TRANSLATE_NOOP("Field", "Reason"), MULTILINE),
    F("urgency", QT_TRANSLATE_NOOP("Field", "Urgency"), CHOICE, "referral_urgency"),
    F("consent_given", QT_TRANSLATE_NOOP("Field", "Client consented"), BOOL),
    F("consent_ref", QT_TRANSLATE_NOOP("Field", "Consent form reference")),
    F("response", QT_TRANSLATE_NOOP("Field", "Response"), MULTILINE),
    F("feedback_on", QT_TRANSLATE_NOOP("Field", "Feedback on"), DATE),
]

DISASTER_REPORT = [
    F("disaster_type", QT_TRANSLATE_NOOP("Field", "Disaster"), CHOICE, "disaster_type", required=True),
    F("sub_type", QT_TRANSLATE_NOOP("Field", "Sub-type")),
    F("occurred_at", QT_TRANSLATE_NOOP("Field", "Happened at"), NOW, required=True),
    F("reported_at", QT_TRANSLATE_NOOP("Field", "Reported at"), NOW, required=True),
    F("place", QT_TRANSLATE_NOOP("Field", "Place")),
    F("affected", QT_TRANSLATE_NOOP("Field", "People affected"), INT),
    F("dead", QT_TRANSLATE_NOOP("Field", "Dead"), INT),
    F("missing", QT_TRANSLATE_NOOP("Field", "Missing"), INT),
    F("injured", QT_TRANSLATE_NOOP("Field", "Injured"), INT),
    F("relocated", QT_TRANSLATE_NOOP("Field", "Relocated"), INT),
    F("need_urgent_aid", QT_TRANSLATE_NOOP("Field", "Needing urgent aid"), INT),
    F("direct_loss", QT_TRANSLATE_NOOP("Field", "Direct loss (yuan)"), MONEY),
    F("relief_given", QT_TRANSLATE_NOOP("Field", "Relief given"), MULTILINE),
    F("narrative", QT_TRANSLATE_NOOP("Field", "Narrative"), MULTILINE),
    F("reporter", QT_TRANSLATE_NOOP("Field", "Reporter")),
]

SPECS: dict[str, list[FieldSpec]] = {
    "household": HOUSEHOLD,
    "member": MEMBER_FIELDS,
    "income_item": INCOME_ITEM,
    "assistance_case": ASSISTANCE_CASE,
    "case_review": CASE_REVIEW,
    "investigation": INVESTIGATION,
    "verification": VERIFICATION,
    "elder_profile": ELDER_PROFILE,
    "care_visit": CARE_VISIT,
    "grid_event": GRID_EVENT,
    "patrol_log": PATROL_LOG,
    "social_work_case": SOCIAL_WORK_CASE,
    "case_note": CASE_NOTE,
    "referral": REFERRAL,
    "disaster_report": DISASTER_REPORT,
}

#: What each record type is called, for dialog titles and the history view.
ENTITY_NAMES: dict[str, str] = {
    "household": QT_TRANSLATE_NOOP("Entity", "Household"),
    "member": QT_TRANSLATE_NOOP("Entity", "Member"),
    "income_item": QT_TRANSLATE_NOOP("Entity", "Income"),
    "assistance_case": QT_TRANSLATE_NOOP("Entity", "Assistance case"),
    "case_review": QT_TRANSLATE_NOOP("Entity", "Review"),
    "investigation": QT_TRANSLATE_NOOP("Entity", "Home investigation"),
    "verification": QT_TRANSLATE_NOOP("Entity", "Economic verification"),
    "elder_profile": QT_TRANSLATE_NOOP("Entity", "Elder profile"),
    "care_visit": QT_TRANSLATE_NOOP("Entity", "Visit"),
    "grid_event": QT_TRANSLATE_NOOP("Entity", "Grid event"),
    "grid_event_update": QT_TRANSLATE_NOOP("Entity", "Grid event step"),
    "patrol_log": QT_TRANSLATE_NOOP("Entity", "Patrol log"),
    "social_work_case": QT_TRANSLATE_NOOP("Entity", "Social-work case"),
    "case_note": QT_TRANSLATE_NOOP("Entity", "Case note"),
    "referral": QT_TRANSLATE_NOOP("Entity", "Referral"),
    "disaster_report": QT_TRANSLATE_NOOP("Entity", "Disaster report"),
    "attachment": QT_TRANSLATE_NOOP("Entity", "Attachment"),
    "org_unit": QT_TRANSLATE_NOOP("Entity", "Organisation unit"),
}


def entity_name(entity: str) -> str:
    source = ENTITY_NAMES.get(entity)
    return QCoreApplication.translate("Entity", source) if source else entity


def spec(entity: str, name: str) -> FieldSpec | None:
    return next((f for f in SPECS.get(entity, []) if f.name == name), None)
