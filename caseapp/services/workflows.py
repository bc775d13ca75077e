"""The workflows of DOMAIN.md §2 as state machines.

Each machine lists, per state, the states it may move to. The UI offers only the moves
``allowed()`` returns; ``check()`` raises a typed WorkflowError for any other move, so an illegal
transition can never be saved whatever the caller does. Guards express the rules that depend on the
record (a referral needs the client's consent before it is sent; only minor grid events may be
self-resolved by the officer under 采办分离; 临时救助 may be paid first and documented later).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from caseapp.domain.base import Record
from caseapp.domain.fields import all_facts
from caseapp.errors import WorkflowError

Guard = Callable[[Any], str | None]  # returns a message key when the move is not allowed

#: who may take a step (codes of the user_role dictionary); an administrator may take any
CASEWORKER, SUPERVISOR, APPROVER, ADMIN = "caseworker", "supervisor", "approver", "admin"
ANYONE: frozenset[str] = frozenset()
STREET = frozenset({CASEWORKER, SUPERVISOR})


@dataclass(frozen=True)
class Step:
    """A move as the office names it: an action (a code of the case_action dictionary, so 提交审核,
    审核通过, 退回补充, 批准 …) and the roles that may take it (none listed: anyone)."""

    action: str
    roles: frozenset[str] = ANYONE

    def allows(self, role: str | None) -> bool:
        """None is a workspace that has never signed in to a server: a single office's own copy,
        where the person at the keyboard holds every role."""
        return role is None or role == ADMIN or not self.roles or role in self.roles

    def needed(self) -> str:
        """The message key naming who may take it, for a step refused to another role."""
        for role in (CASEWORKER, SUPERVISOR, APPROVER):
            if role in self.roles:
                return f"workflow.needs_{role}"
        return "workflow.needs_admin"


@dataclass(frozen=True)
class StateMachine:
    name: str
    initial: str
    moves: Mapping[str, tuple[str, ...]]
    final: frozenset[str] = frozenset()
    guards: Mapping[tuple[str, str], Guard] = field(default_factory=dict)
    #: (from, to) -> the step's action and roles; a move without one is open to anyone
    steps: Mapping[tuple[str, str], Step] = field(default_factory=dict)
    #: states in which a record waits for the sign-off of a role other than the one that prepared
    #: it (the street's review, the notice's end, the district's approval): a supervisor's queue
    waiting: frozenset[str] = frozenset()

    @property
    def states(self) -> list[str]:
        seen = dict.fromkeys([self.initial, *self.moves])
        for targets in self.moves.values():
            seen.update(dict.fromkeys(targets))
        return list(seen)

    def allowed(self, state: str, record: Any = None, role: str | None = None) -> list[str]:
        targets = [t for t in self.moves.get(state, ()) if self.step(state, t).allows(role)]
        if record is None:
            return targets
        return [t for t in targets if self._blocked(state, t, record) is None]

    def step(self, state: str, target: str) -> Step:
        return self.steps.get((state, target)) or Step("")

    def awaits(self, state: str, role: str | None) -> str | None:
        """The move a record in ``state`` waits for a user of ``role`` to sign (the first of the
        state's moves, in order, whose step names roles and lets this one take it), or None when
        it waits for no one of that role. None as a role is a workspace holding every role."""
        if state not in self.waiting:
            return None
        for target in self.moves.get(state, ()):
            step = self.step(state, target)
            if step.roles and step.allows(role):
                return target
        return None

    def options(self, state: str, record: Any = None, role: str | None = None) -> list[tuple[str, str | None]]:
        """Every move from ``state``, each with the message key saying why it cannot be taken now
        (None when it can): the screen shows them all, the blocked ones greyed with their reason."""
        found: list[tuple[str, str | None]] = []
        for target in self.moves.get(state, ()):
            step = self.step(state, target)
            blocked = self._blocked(state, target, record) if record is not None else None
            found.append((target, blocked or (None if step.allows(role) else step.needed())))
        return found

    def _blocked(self, state: str, target: str, record: Any) -> str | None:
        guard = self.guards.get((state, target)) or self.guards.get(("*", target))
        return guard(record) if guard and record is not None else None

    def check(self, state: str, target: str, record: Any = None, field_name: str = "status",
              role: str | None = None) -> None:
        if state not in self.states:
            raise WorkflowError("workflow.unknown_state", field_name, machine=self.name, state=state)
        if target not in self.moves.get(state, ()):
            raise WorkflowError("workflow.illegal", field_name, machine=self.name, state=state, target=target)
        # what the record lacks first (no one may take the step yet), then who may take it
        reason = self._blocked(state, target, record) or (
            None if self.step(state, target).allows(role) else self.step(state, target).needed())
        if reason:
            raise WorkflowError(reason, field_name, machine=self.name, state=state, target=target)


def _needs_consent(referral: Any) -> str | None:
    """needs `consent_given` ticked and the `consent_on` date"""
    if not getattr(referral, "consent_given", False):
        return "workflow.referral_needs_consent"
    return None if getattr(referral, "consent_on", None) else "workflow.referral_needs_consent_date"


def _ready_to_send(referral: Any) -> str | None:
    """needs the consent (and its date), the client as a household member and the receiving centre's code"""
    missing = _needs_consent(referral)
    if missing:
        return missing
    if not getattr(referral, "client_member_id", None):
        return "workflow.referral_needs_client"
    return None if getattr(referral, "to_org_code", None) else "workflow.referral_needs_receiver"


def _minor_only(event: Any) -> str | None:
    """needs `scale` = `minor`: 采办分离"""
    return None if getattr(event, "scale", "") == "minor" else "workflow.self_resolve_minor_only"


def _fast_track(case: Any) -> str | None:
    """needs `category` = `temporary`: 先行救助, paid first and documented later"""
    return None if getattr(case, "category", "") == "temporary" else "workflow.fast_track_temporary_only"


def _has_reason(record: Any) -> str | None:
    """needs a reason in `exit_reason` or `closure_reason`"""
    text = getattr(record, "exit_reason", None) or getattr(record, "closure_reason", None)
    return None if text else "workflow.reason_required"


def _has_decision_reason(record: Any) -> str | None:
    """needs the reasons in `decision_reason`: a refusal gives the household its reasons in writing
    (DOMAIN.md §2.1)"""
    return None if getattr(record, "decision_reason", "") else "workflow.rejection_reason_required"


def _notice_over(case: Any) -> str | None:
    """needs the 公示 to have run `public_notice_days` days and `notice_objections` recorded"""
    from caseapp import refdata

    started = getattr(case, "notice_started_on", None)
    days = refdata.rules().time_limit("public_notice_days")
    if started is None or dt.date.today() < started + dt.timedelta(days=days):
        return "workflow.notice_not_over"
    return None if getattr(case, "notice_objections", "") else "workflow.objections_required"


def _approval_evidence(case: Any) -> str | None:
    """needs a 核对 conclusion and a home investigation signed by two investigators"""
    facts = getattr(case, "facts", None) or {}
    if not facts.get("verified"):
        return "workflow.needs_verification"
    return None if facts.get("investigators_signed") else "workflow.needs_investigation"


#: guards a person satisfies by writing one field as they take the step (the sign-off asks for it):
#: a refusal's written reasons, the objections raised during the notice, an exit's reason
ASKED: Mapping[str, str] = {"workflow.rejection_reason_required": "decision_reason",
                            "workflow.objections_required": "notice_objections",
                            "workflow.reason_required": "exit_reason"}


# 低保 and other assistance: application (2021 procedure, 民主评议 optional) then dynamic management.
ASSISTANCE = StateMachine(
    name="assistance_case",
    initial="applied",
    moves={
        "applied": ("verification", "withdrawn", "active"),
        "verification": ("investigation", "rejected", "withdrawn"),
        "investigation": ("appraisal", "preliminary_review", "rejected", "withdrawn"),
        "appraisal": ("preliminary_review", "investigation", "rejected"),
        "preliminary_review": ("public_notice", "investigation", "rejected"),
        # an objection during the notice sends the case back to re-investigation
        "public_notice": ("approval", "investigation"),
        "approval": ("active", "rejected", "investigation"),
        "active": ("review_due", "stopped"),
        "review_due": ("active", "taper", "stopped"),
        "taper": ("active", "stopped"),
        "stopped": ("exited", "active"),
    },
    final=frozenset({"rejected", "withdrawn", "exited"}),
    waiting=frozenset({"preliminary_review", "public_notice", "approval"}),
    guards={("applied", "active"): _fast_track, ("stopped", "exited"): _has_reason,
            ("*", "rejected"): _has_decision_reason, ("public_notice", "approval"): _notice_over,
            ("approval", "active"): _approval_evidence},
    # Who signs each step (民发〔2021〕57号): the community accepts and investigates (社区受理),
    # the street reviews and publishes (街道审核), the district approves (区审批).
    steps={
        ("applied", "verification"): Step("accept", STREET),
        ("applied", "withdrawn"): Step("withdraw"),
        ("applied", "active"): Step("fast_track", frozenset({SUPERVISOR})),
        ("verification", "investigation"): Step("start_investigation", STREET),
        ("verification", "rejected"): Step("refuse", frozenset({SUPERVISOR})),
        ("verification", "withdrawn"): Step("withdraw"),
        ("investigation", "appraisal"): Step("appraise", STREET),
        ("investigation", "preliminary_review"): Step("submit", STREET),
        ("investigation", "rejected"): Step("refuse", frozenset({SUPERVISOR})),
        ("investigation", "withdrawn"): Step("withdraw"),
        ("appraisal", "preliminary_review"): Step("submit", STREET),
        ("appraisal", "investigation"): Step("return", STREET),
        ("appraisal", "rejected"): Step("refuse", frozenset({SUPERVISOR})),
        ("preliminary_review", "public_notice"): Step("pass_review", frozenset({SUPERVISOR})),
        ("preliminary_review", "investigation"): Step("return", frozenset({SUPERVISOR})),
        ("preliminary_review", "rejected"): Step("refuse", frozenset({SUPERVISOR})),
        ("public_notice", "approval"): Step("report", frozenset({SUPERVISOR})),
        ("public_notice", "investigation"): Step("objection", frozenset({SUPERVISOR})),
        ("approval", "active"): Step("approve", frozenset({APPROVER})),
        ("approval", "rejected"): Step("refuse", frozenset({APPROVER})),
        ("approval", "investigation"): Step("return", frozenset({APPROVER})),
        ("active", "review_due"): Step("review_due"),
        ("active", "stopped"): Step("stop", frozenset({SUPERVISOR, APPROVER})),
        ("review_due", "active"): Step("continue", STREET),
        ("review_due", "taper"): Step("taper", STREET),
        ("review_due", "stopped"): Step("stop", frozenset({SUPERVISOR, APPROVER})),
        ("taper", "active"): Step("continue", STREET),
        ("taper", "stopped"): Step("stop", frozenset({SUPERVISOR, APPROVER})),
        ("stopped", "exited"): Step("exit", frozenset({SUPERVISOR, APPROVER})),
        ("stopped", "active"): Step("resume", frozenset({SUPERVISOR, APPROVER})),
    },
)

#: steps that send a case back to the community for more (退回补充, or an objection during the 公示):
#: the caseworker who submitted it sees the case and the step's opinion until they act on it
RETURNS = frozenset({"return", "objection"})

GRID_EVENT = StateMachine(
    name="grid_event",
    initial="reported",
    moves={
        "reported": ("registered", "voided", "self_resolved"),
        "registered": ("dispatched", "voided"),
        "dispatched": ("in_progress",),
        "in_progress": ("feedback",),
        # the grid officer verifies the result; a failed check reopens the work
        "feedback": ("verified", "in_progress"),
        "verified": ("closed",),
        "self_resolved": ("closed",),
        "closed": ("evaluated",),
    },
    final=frozenset({"voided", "evaluated"}),
    guards={("reported", "self_resolved"): _minor_only},
)

SOCIAL_WORK_CASE = StateMachine(
    name="social_work_case",
    initial="intake",
    moves={
        "intake": ("assessment", "referred_out"),
        "assessment": ("plan", "referred_out"),
        "plan": ("intervention",),
        "intervention": ("review",),
        "review": ("intervention", "closed"),
        "closed": ("follow_up",),
        "follow_up": ("closed",),
    },
    final=frozenset({"referred_out"}),
    guards={("review", "closed"): _has_reason},
)

REFERRAL = StateMachine(
    name="referral",
    initial="draft",
    moves={
        "draft": ("consented",),
        "consented": ("sent",),
        "sent": ("accepted", "declined"),
        "accepted": ("in_service",),
        "in_service": ("feedback",),
        "feedback": ("closed",),
        "declined": ("closed",),
    },
    final=frozenset({"closed"}),
    guards={("draft", "consented"): _needs_consent, ("consented", "sent"): _ready_to_send},
)

# A disaster report series: 初报, any number of 续报, then one 核报 which closes the series.
DISASTER_SERIES = StateMachine(
    name="disaster_report",
    initial="initial",
    moves={"initial": ("update", "final"), "update": ("update", "final")},
    final=frozenset({"final"}),
)

def _dispatched_to(call: Any) -> str | None:
    """needs `dispatched_to`: whom the call is passed to"""
    return None if str(getattr(call, "dispatched_to", "") or "").strip() else "workflow.call_needs_dispatch_target"


def _has_outcome(call: Any) -> str | None:
    """needs an `outcome`"""
    return None if getattr(call, "outcome", None) else "workflow.call_needs_outcome"


# A 平安通 call: the alarm is checked (a call back to the elder, the emergency contact); a care call or
# a false alarm is resolved there, anything else is dispatched, followed up, then resolved.
EMERGENCY_CALL = StateMachine(
    name="emergency_call",
    initial="alarm",
    moves={"alarm": ("verify",), "verify": ("dispatch", "resolved"), "dispatch": ("follow",),
           "follow": ("resolved",)},
    final=frozenset({"resolved"}),
    guards={("verify", "dispatch"): _dispatched_to, ("*", "resolved"): _has_outcome},
)

def _assessed(application: Any) -> str | None:
    """needs the capacity assessment: `capacity_level` and `assessed_on`"""
    done = getattr(application, "capacity_level", None) and getattr(application, "assessed_on", None)
    return None if done else "workflow.care_needs_assessment"


def _place_named(application: Any) -> str | None:
    """needs `offered_place`: the bed or place offered"""
    return None if str(getattr(application, "offered_place", "") or "").strip() else "workflow.care_needs_place"


def _reason_given(application: Any) -> str | None:
    """needs `closing_reason`"""
    return None if str(getattr(application, "closing_reason", "") or "").strip() else "workflow.care_needs_reason"


def _may_stay(application: Any) -> str | None:
    """a declined place keeps the applicant on the list only within the rules' `declines_kept`"""
    from caseapp.services import waitlist

    return None if waitlist.may_stay_after_decline(application) else "workflow.care_declines_used"


# A care-place application (入住轮候): assessed, it joins its facility's queue; a place is offered
# to it in queue order; an offer declined puts it back on the list (within the rules' declines,
# caseapp.services.waitlist) or off it; it may be withdrawn at any point before admission.
CARE_APPLICATION = StateMachine(
    name="care_application",
    initial="applying",
    moves={"applying": ("waiting", "withdrawn"), "waiting": ("offered", "withdrawn"),
           "offered": ("admitted", "waiting", "declined", "withdrawn")},
    final=frozenset({"admitted", "declined", "withdrawn"}),
    guards={("applying", "waiting"): _assessed, ("waiting", "offered"): _place_named,
            ("offered", "waiting"): _may_stay, ("offered", "declined"): _reason_given,
            ("*", "withdrawn"): _reason_given},
    steps={("applying", "waiting"): Step("care_queue"), ("waiting", "offered"): Step("care_offer"),
           ("offered", "admitted"): Step("care_admit"), ("offered", "waiting"): Step("care_decline_stay"),
           ("offered", "declined"): Step("care_decline"), ("applying", "withdrawn"): Step("withdraw"),
           ("waiting", "withdrawn"): Step("withdraw"), ("offered", "withdrawn"): Step("withdraw")},
)

MACHINES: dict[str, StateMachine] = {
    m.name: m for m in (ASSISTANCE, GRID_EVENT, SOCIAL_WORK_CASE, REFERRAL, DISASTER_SERIES, EMERGENCY_CALL,
                        CARE_APPLICATION)
}


def machine_for(entity: str) -> StateMachine | None:
    return MACHINES.get(entity)


def state_fixed(cls: type[Record]) -> bool:
    """Is the record's state set when it is made and never moved (a disaster report's stage: its
    machine says which report may follow, not how one changes)? Declared on the field (fixed)."""
    return cls.state_field is not None and all_facts(cls)[cls.state_field].fixed
