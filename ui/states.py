"""Workflow states as words, per state machine (the same code can read differently: a closed case
is 结案, a closed grid event 办结)."""

from __future__ import annotations

from ui.qt import QT_TRANSLATE_NOOP, QCoreApplication

STATES: dict[str, dict[str, str]] = {
    "assistance_case": {
        "applied": QT_TRANSLATE_NOOP("AssistanceState", "Applied"),
        "verification": QT_TRANSLATE_NOOP("AssistanceState", "Economic verification"),
        "investigation": QT_TRANSLATE_NOOP("AssistanceState", "Home investigation"),
        "appraisal": QT_TRANSLATE_NOOP("AssistanceState", "Democratic appraisal"),
        "preliminary_review": QT_TRANSLATE_NOOP("AssistanceState", "Preliminary review"),
        "public_notice": QT_TRANSLATE_NOOP("AssistanceState", "Public notice"),
        "approval": QT_TRANSLATE_NOOP("AssistanceState", "Awaiting approval"),
        "active": QT_TRANSLATE_NOOP("AssistanceState", "Active"),
        "review_due": QT_TRANSLATE_NOOP("AssistanceState", "Review due"),
        "taper": QT_TRANSLATE_NOOP("AssistanceState", "Tapering off"),
        "stopped": QT_TRANSLATE_NOOP("AssistanceState", "Stopped"),
        "exited": QT_TRANSLATE_NOOP("AssistanceState", "Exited"),
        "rejected": QT_TRANSLATE_NOOP("AssistanceState", "Rejected"),
        "withdrawn": QT_TRANSLATE_NOOP("AssistanceState", "Withdrawn"),
    },
    "grid_event": {
        "reported": QT_TRANSLATE_NOOP("GridEventState", "Reported"),
        "registered": QT_TRANSLATE_NOOP("GridEventState", "Registered"),
        "voided": QT_TRANSLATE_NOOP("GridEventState", "Voided"),
        "dispatched": QT_TRANSLATE_NOOP("GridEventState", "Dispatched"),
        "in_progress": QT_TRANSLATE_NOOP("GridEventState", "In progress"),
        "feedback": QT_TRANSLATE_NOOP("GridEventState", "Feedback given"),
        "verified": QT_TRANSLATE_NOOP("GridEventState", "Verified"),
        "self_resolved": QT_TRANSLATE_NOOP("GridEventState", "Resolved on the spot"),
        "closed": QT_TRANSLATE_NOOP("GridEventState", "Closed"),
        "evaluated": QT_TRANSLATE_NOOP("GridEventState", "Evaluated"),
    },
    "social_work_case": {
        "intake": QT_TRANSLATE_NOOP("SocialCaseState", "Intake"),
        "assessment": QT_TRANSLATE_NOOP("SocialCaseState", "Assessment"),
        "plan": QT_TRANSLATE_NOOP("SocialCaseState", "Planning"),
        "intervention": QT_TRANSLATE_NOOP("SocialCaseState", "Intervention"),
        "review": QT_TRANSLATE_NOOP("SocialCaseState", "Review"),
        "closed": QT_TRANSLATE_NOOP("SocialCaseState", "Closed"),
        "follow_up": QT_TRANSLATE_NOOP("SocialCaseState", "Follow-up"),
        "referred_out": QT_TRANSLATE_NOOP("SocialCaseState", "Referred out"),
    },
    "referral": {
        "draft": QT_TRANSLATE_NOOP("ReferralState", "Draft"),
        "consented": QT_TRANSLATE_NOOP("ReferralState", "Consent given"),
        "sent": QT_TRANSLATE_NOOP("ReferralState", "Sent"),
        "accepted": QT_TRANSLATE_NOOP("ReferralState", "Accepted"),
        "declined": QT_TRANSLATE_NOOP("ReferralState", "Declined"),
        "in_service": QT_TRANSLATE_NOOP("ReferralState", "In service"),
        "feedback": QT_TRANSLATE_NOOP("ReferralState", "Feedback received"),
        "closed": QT_TRANSLATE_NOOP("ReferralState", "Closed"),
    },
    "disaster_report": {
        "initial": QT_TRANSLATE_NOOP("DisasterStage", "Initial report"),
        "update": QT_TRANSLATE_NOOP("DisasterStage", "Update report"),
        "final": QT_TRANSLATE_NOOP("DisasterStage", "Final report"),
    },
}

_CONTEXTS = {"assistance_case": "AssistanceState", "grid_event": "GridEventState",
             "social_work_case": "SocialCaseState", "referral": "ReferralState", "disaster_report": "DisasterStage"}


def state_label(entity: str, state: str | None) -> str:
    if not state:
        return ""
    source = STATES.get(entity, {}).get(state)
    return QCoreApplication.translate(_CONTEXTS[entity], source) if source else state
