"""Creating, editing, archiving and moving records, and workflow transitions.

The only way the UI, CLI and import change records: every value is cleaned first (nothing is
written if anything is wrong), state fields change only through the state machines, and the
session's hooks journal and audit each change in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseapp.domain import (
    AssistanceCase,
    CareApplication,
    CaseReview,
    CaseStep,
    ElderProfile,
    EmergencyCall,
    GridEvent,
    GridEventUpdate,
    Household,
    PublicNotice,
    Record,
    Referral,
    SocialWorkCase,
    tree,
)
from caseapp.domain.base import ENTITIES, META_FIELDS
from caseapp.domain.codec import entity_class
from caseapp.errors import NotFoundError, ValidationError, ValidationErrors, WorkflowError
from caseapp.services import evidence, notices, payments, quality, referrals, schedule, waitlist
from caseapp.services.validate import clean
from caseapp.services.workflows import machine_for, state_fixed

R = TypeVar("R", bound=Record)

# Fields a user may not set directly: they are stamped by the store or changed through a workflow.
PROTECTED = frozenset(META_FIELDS) - {"org_code", "archived"}
#: Fields changed only by an action of their own, never by an edit, with the message that says so: a
#: member's departure (caseapp.services.members: 迁出, 死亡 …), a care application's queue stamps
#: (caseapp.services.waitlist.on_move: the queue counts from them, so no one is placed ahead by hand).
BY_ACTION: dict[str, tuple[str, frozenset[str]]] = {
    "member": ("member.by_action", frozenset({"status", "left_on", "left_reason"})),
    "care_application": ("care.stamped", frozenset(waitlist.STAMPS)),
}


def get(session: Session, cls: type[R], record_id: str) -> R:
    record = session.get(cls, record_id)
    if record is None:
        raise NotFoundError("record.not_found", None, id=record_id)
    return record


def create(session: Session, cls: type[R], fields: Mapping[str, Any]) -> R:
    """Validate and add a new record (flushed, so it has its id)."""
    fields = dict(fields)
    stamped = [ValidationError("record.bad_value", name, value=str(fields[name])[:40]) for name in fields
               if name in PROTECTED and name != "id"]
    key, by_action = BY_ACTION.get(cls.entity, ("", frozenset()))
    stamped += [ValidationError(key, name) for name in fields
                if name in by_action and cls.entity != "member" and fields[name] not in (None, "", 0)]
    if stamped:
        raise ValidationErrors(stamped)
    machine = machine_for(cls.entity)
    if machine and cls.state_field and not state_fixed(cls):
        state = fields.setdefault(cls.state_field, machine.initial)
        if state != machine.initial:
            raise WorkflowError("workflow.illegal", cls.state_field, machine=machine.name,
                                state="", target=str(state))
    data = clean(cls, fields)
    _check_parent(session, cls, data)
    _check_unique(session, cls, data, None)
    _place_with_parent(session, cls, data)
    if cls.entity == "referral":
        referrals.name_client(session, data)
        referrals.check(session, data)
    record = cls(**data)
    if isinstance(record, Referral) and record.consent_given is False:
        record.status = "draft"
    if cls.entity == "disaster_report":
        _check_disaster_series(session, data)
    if cls.entity == "case_payment":
        _check_one_off(session, data)
    if isinstance(record, EmergencyCall) and not record.device_no:
        elder = session.get(ElderProfile, record.elder_id)  # the device that called is the elder's own
        record.device_no = (elder.pingantong_device or "") if elder is not None else ""
    if cls.entity in quality.SAVE_CHECKED:
        with session.begin_nested():  # rolled back if the checks across records refuse it
            session.add(record)
            session.flush()
            quality.checked_save(session, record)
        return record
    session.add(record)
    session.flush()
    _derived(session, record)
    return record


def _holds(record: Record, name: str, value: Any) -> bool:
    """Does ``record`` hold ``value`` in ``name`` already (as its field's rules read the value)?"""
    try:
        return bool(clean(type(record), {name: value}, partial=True, current=record).get(name) == getattr(record, name))
    except ValidationErrors:
        return False


def _derived(session: Session, record: Record) -> None:
    """Fields of other records kept from this one (a case's notice fields from its notices)."""
    if isinstance(record, PublicNotice):
        notices.derive_case(session, record.case_id)


def update(session: Session, record: Record, fields: Mapping[str, Any]) -> Record:
    """Validate and apply an edit. State fields go through ``transition`` instead."""
    fields = dict(fields)
    protected = PROTECTED | ({record.state_field} if record.state_field else set())
    bad = [ValidationError("record.bad_value", name, value=str(fields[name])[:40]) for name in fields
           if name in protected]
    key, by_action = BY_ACTION.get(record.entity, ("", frozenset()))
    bad += [ValidationError(key, name) for name in fields
            if name in by_action and not _holds(record, name, fields[name])]
    if fields.get("archived") is False:
        bad += _left(record)
    if bad:
        raise ValidationErrors(bad)
    if record.archived and fields.get("archived") is not False:
        raise ValidationErrors([ValidationError("record.archived", None)])
    if record.insert_only and set(fields) - {"archived", "org_code"}:
        raise WorkflowError("record.insert_only", next(iter(fields)), type=record.entity)
    data = clean(type(record), fields, partial=True, current=record)
    _check_unique(session, type(record), data, record.id)
    if record.entity == "referral":
        refused = [name for name in referrals.RECEIVER_NAMED if name in data and data[name] != getattr(record, name)]
        if refused and getattr(record, "status", "") in referrals.SENT_STATES:
            raise ValidationErrors([ValidationError("referral.receiver_fixed", refused[0])])
        if "client_member_id" in data and data["client_member_id"] != record.values().get("client_member_id"):
            referrals.name_client(session, data)
        referrals.check(session, {**record.values(), **data})
    if record.entity in quality.SAVE_CHECKED:
        # rolled back if the checks across records refuse it (the record is expired: it reads as stored)
        with session.begin_nested():
            for name, value in data.items():
                setattr(record, name, value)
            session.flush()
            quality.checked_save(session, record)
        return record
    for name, value in data.items():
        setattr(record, name, value)
    session.flush()
    _derived(session, record)
    return record


def _check_unique(session: Session, cls: type[Record], data: Mapping[str, Any], own_id: str | None) -> None:
    """A value another record of this type already holds (an org unit's code) is refused with
    the field named, before the database's unique index would refuse it without one."""
    taken = []
    for name in cls.unique_fields():
        if data.get(name) is None:
            continue
        column = getattr(cls, name)
        holder = session.scalar(select(cls.id).where(column == data[name], cls.id != (own_id or "")))
        if holder is not None:
            taken.append(ValidationError("record.duplicate", name, value=str(data[name])))
    if taken:
        raise ValidationErrors(taken)
    if cls.entity == "member":
        from caseapp.services import members  # members builds on this module

        members.check_id_free(session, data, own_id)


def archive(session: Session, record: Record) -> None:
    record.archived = True
    session.flush()
    _derived(session, record)


def _left(record: Record) -> list[ValidationError]:
    """A member who moved out or died comes back only by moving in (caseapp.services.members)."""
    if record.entity == "member" and getattr(record, "status", "present") != "present":
        return [ValidationError("member.restore_left", None, name=str(getattr(record, "name", "")))]
    return []


def restore(session: Session, record: Record) -> None:
    left = _left(record)
    if left:
        raise ValidationErrors(left)
    record.archived = False
    session.flush()
    _derived(session, record)


def transition(session: Session, record: Record, target: str, *, note: str = "",
               at: dt.datetime | None = None, role: str | None = None, **fields: Any) -> Record:
    """Move a record's workflow to ``target`` if its state machine allows it, to a user of
    ``role`` (None: a workspace that never signed in to a server, where one office holds every
    role), with any fields the move needs (an exit reason, a decision date …). A step on an
    assistance case is signed: a CaseStep keeps its action, role, ``note`` (the opinion) and time."""
    machine = machine_for(record.entity)
    if state_fixed(type(record)):
        raise WorkflowError("workflow.stage_fixed", record.state_field)
    if machine is None or record.state_field is None:
        raise WorkflowError("workflow.illegal", None, machine=record.entity, state="", target=target)
    if fields:
        data = clean(type(record), fields, partial=True, current=record)
        for name, value in data.items():
            setattr(record, name, value)
    current = getattr(record, record.state_field)
    subject: Any = evidence.Evidence(record, evidence.gather(session, record)) \
        if isinstance(record, AssistanceCase) else record
    machine.check(current, target, subject, record.state_field, role=role)
    if isinstance(record, CareApplication) and target == "offered":
        refused = waitlist.out_of_turn(waitlist.place_in_queue(session, record), record)
        if refused is not None:
            raise refused
    setattr(record, record.state_field, target)
    now = at or dt.datetime.now(dt.UTC)
    if isinstance(record, AssistanceCase):
        _on_assistance_move(record, target, _day(now))
        notices.on_case_move(session, record, current, target, _day(now))
        session.add(CaseStep(org_code=record.org_code, case_id=record.id, action=machine.step(current, target).action,
                             from_state=current, to_state=target, handler_role=role or "", opinion=note,
                             taken_at=now))
    if isinstance(record, GridEvent):
        session.add(GridEventUpdate(org_code=record.org_code, event_id=record.id, at=now,
                                    from_status=current, to_status=target, note=note))
    if isinstance(record, SocialWorkCase) and target == "closed":
        record.closed_on = _day(now)
    if isinstance(record, CareApplication):
        waitlist.on_move(record, current, target, _day(now))
    if isinstance(record, EmergencyCall) and target == "dispatch":
        record.dispatched_at = now
    if isinstance(record, EmergencyCall) and target == "resolved":
        record.resolved_at = now
    if isinstance(record, Referral) and target == "sent":
        record.sent_at = now
    if isinstance(record, Referral) and target == "feedback" and record.feedback_on is None:
        record.feedback_on = _day(now)
    session.flush()
    return record


def _day(now: dt.datetime) -> dt.date:
    """The day a step is stamped with: this device's calendar day (a laptop in the city runs on
    China Standard Time; the UTC date is yesterday's there until 08:00)."""
    return now.astimezone().date()


def _on_assistance_move(case: AssistanceCase, target: str, today: dt.date) -> None:
    if target == "public_notice":
        case.notice_started_on = today
    if target == "active":
        case.approved_on = case.approved_on or today
        case.next_review_date = schedule.next_review_date(case, today)
    elif target in ("stopped", "exited", "rejected", "withdrawn"):
        case.next_review_date = None


def record_review(session: Session, case: AssistanceCase, outcome: str, *, new_amount: Any = None,
                  reason: str = "", on: dt.date | None = None) -> CaseReview:
    """A periodic review (复核) of an active case: records the decision and schedules the next one."""
    today = on or dt.date.today()
    if case.status == "active":
        transition(session, case, "review_due")
    targets = {"unchanged": "active", "increase": "active", "decrease": "active", "taper": "taper",
               "stop": "stopped"}
    if outcome not in targets:
        raise ValidationErrors([ValidationError("record.not_in_list", "outcome", value=outcome)])
    amount = case.monthly_amount if new_amount is None else new_amount
    review = create(session, CaseReview, {
        "org_code": case.org_code, "case_id": case.id, "reviewed_on": today, "outcome": outcome,
        "old_amount": case.monthly_amount, "new_amount": amount, "reason": reason,
        "effective_month": f"{today:%Y-%m}",
    })
    case.monthly_amount = review.new_amount
    transition(session, case, targets[outcome], at=dt.datetime.combine(today, dt.time(12), dt.UTC))
    if targets[outcome] in ("active", "taper"):
        case.next_review_date = schedule.next_review_date(case, today)
    session.flush()
    return review


def _check_parent(session: Session, cls: type[Record], data: Mapping[str, Any]) -> None:
    if cls.parent is None:
        return
    column, parent_entity = cls.parent
    parent_id = data.get(column)
    if parent_id and parent_entity and session.get(entity_class(parent_entity), parent_id) is None:
        raise ValidationErrors([ValidationError("record.parent_missing", column, id=parent_id)])


def _place_with_parent(session: Session, cls: type[Record], data: dict[str, Any]) -> None:
    """A record that belongs to another lives where it does (caseapp.domain.tree), as the server
    would place it anyway."""
    ref = tree.parent_ref(cls, data)
    parent_cls = ENTITIES.get(ref[0]) if ref is not None else None
    parent = session.get(parent_cls, ref[1]) if parent_cls is not None and ref is not None else None
    if parent is not None:
        data["org_code"] = parent.org_code


def _check_one_off(session: Session, data: Mapping[str, Any]) -> None:
    """A payment record belongs to a one-off case (临时救助, 医疗救助): a monthly allowance is the
    case's monthly amount, not a payment a month."""
    case = session.get(AssistanceCase, data.get("case_id"))
    refused = payments.refusal(case.category) if case is not None else None
    if refused is not None:
        raise ValidationErrors([ValidationError(refused, "case_id")])


def _check_disaster_series(session: Session, data: Mapping[str, Any]) -> None:
    from caseapp.domain import DisasterReport
    from caseapp.services import disaster

    series_id = data.get("series_id")
    filed = None
    if series_id:
        rows = session.execute(select(DisasterReport.id, DisasterReport.series_id, DisasterReport.stage,
                                      DisasterReport.reported_at, DisasterReport.archived)
                               .where((DisasterReport.id == series_id) | (DisasterReport.series_id == series_id)))
        filed = disaster.filed_stages([{**r._mapping, "reported_at": str(r.reported_at)} for r in rows], series_id)
    disaster.check_series(str(data.get("stage", "initial")), series_id, filed)


# --- households ------------------------------------------------------------------------------

def household_records(session: Session, household_id: str) -> list[Record]:
    """Every record that belongs to a household (members, cases, visits, …), for moves and views."""
    household = session.get(Household, household_id)
    return subtree(session, household) if household is not None else []


def subtree(session: Session, root: Record) -> list[Record]:
    """Every record that belongs, directly or through others, to ``root`` (caseapp.domain.tree)."""
    found: list[Record] = []
    frontier: dict[str, list[str]] = {root.entity: [root.id]}
    while frontier:
        reached: dict[str, list[str]] = {}
        for entity, ids in frontier.items():
            for cls, column in tree.children_of(entity):
                query = select(cls).where(getattr(cls, column).in_(ids))
                if cls.parent_entity_field is not None:
                    query = query.where(getattr(cls, cls.parent_entity_field) == entity)
                for record in session.scalars(query):
                    found.append(record)
                    reached.setdefault(record.entity, []).append(record.id)
        frontier = reached
    return found


def move_household(session: Session, household: Household, org_code: str) -> None:
    """Move a household (and everything belonging to it) to another grid or community. A move that
    would leave it placed at a building of another community is refused, as its save is
    (caseapp.services.quality ``household_outside_community``); one to another grid of its community,
    still at its old building, is listed on the data-quality page until the grid's re-draw is done."""
    clean(Household, {"org_code": org_code}, partial=True, current=household)
    with session.begin_nested():  # rolled back if the checks across records refuse it
        move_tree(session, household, org_code)
        quality.checked_save(session, household)


def move_tree(session: Session, root: Record, org_code: str) -> None:
    """Give a root and everything in its tree ``org_code``. Only the root's edit is journaled
    (the journal leaves out the org_code of records that follow a parent): the server moves the
    tree itself, so a move is one operation and two moves at once are one conflict."""
    root.org_code = org_code
    for record in subtree(session, root):
        record.org_code = org_code
    session.flush()
