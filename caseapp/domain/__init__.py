"""The domain model: every record type caseworkers keep, registered by entity name."""

from caseapp.domain.appraisal import Appraisal, PublicNotice
from caseapp.domain.assistance import (
    AssistanceCase,
    CasePayment,
    CaseReview,
    CaseStep,
    Investigation,
    Verification,
)
from caseapp.domain.attachments import Attachment
from caseapp.domain.base import ENTITIES, Base, Record
from caseapp.domain.buildings import Building, Dwelling, Resident
from caseapp.domain.children import ChildProfile, ChildVisit
from caseapp.domain.disaster import DisasterReport
from caseapp.domain.elders import CareVisit, ElderProfile
from caseapp.domain.grid import GridEvent, GridEventUpdate, PatrolLog
from caseapp.domain.households import Household, IncomeItem, Member, MemberEvent
from caseapp.domain.orgs import OrgUnit
from caseapp.domain.pingantong import EmergencyCall
from caseapp.domain.social import CaseNote, Referral, SocialWorkCase
from caseapp.domain.tasks import Task
from caseapp.domain.veterans import VeteranProfile, VeteranVisit
from caseapp.domain.waitlist import CareApplication

__all__ = [
    "ENTITIES",
    "Appraisal",
    "AssistanceCase",
    "Attachment",
    "Base",
    "Building",
    "CareApplication",
    "CareVisit",
    "CaseNote",
    "CasePayment",
    "CaseReview",
    "CaseStep",
    "ChildProfile",
    "ChildVisit",
    "DisasterReport",
    "Dwelling",
    "ElderProfile",
    "EmergencyCall",
    "GridEvent",
    "GridEventUpdate",
    "Household",
    "IncomeItem",
    "Investigation",
    "Member",
    "MemberEvent",
    "OrgUnit",
    "PatrolLog",
    "PublicNotice",
    "Record",
    "Referral",
    "Resident",
    "SocialWorkCase",
    "Task",
    "Verification",
    "VeteranProfile",
    "VeteranVisit",
]
