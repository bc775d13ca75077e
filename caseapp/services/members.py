"""A household member's lifecycle: moving out (迁出), death (死亡), moving in again (迁入), splitting
off a new household (分户), merging two households (合户) and a change of head (户主变更).

Nothing is deleted. A member who left keeps their record with ``status``, the date and the reason,
and is archived, so household size, members covered and every list of current members leave them
out (they are all counted from ``archived``) while the household still shows them under its past
members. Each change is also a ``MemberEvent``: a fact of the household it happened to, with its
date, its reason, and (as author and created stamp) who recorded it and when.

A move of a member between households is an edit of the member's ``household_id`` alone: the store
and the server carry the member's own records (income items) along (caseapp.domain.tree).

One person, one record: a resident ID number is held by one member record in the workspace,
whatever that member's state. Registering the same person again is refused, and the message says
what to do instead: a current member is already registered; one who moved out is moved in
(``move_in``) from the household they left, so their history follows them; a death is final; an
archived record (entered by mistake) is restored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseapp.domain import Household, Member, MemberEvent, Record, tree
from caseapp.domain.households import DECEASED, HEAD, MOVED_OUT, PRESENT
from caseapp.errors import ValidationError, ValidationErrors
from caseapp.services import records
from caseapp.services.validate import clean, clean_value


def _refuse(key: str, field: str | None = None, **params: Any) -> ValidationErrors:
    error = ValidationError(key, field, **params)
    error.entity = "member"
    return ValidationErrors([error])


# --- one person, one record ----------------------------------------------------------------------

def holder_problem(holder: Member, household: Household | None, number: str) -> ValidationError:
    """Why ``number`` cannot be given to another member: it is ``holder``'s, and what to do."""
    where = household.head_name if household is not None else ""
    params = {"value": number, "name": holder.name, "household": where}
    if holder.status == MOVED_OUT:
        key = "member.id_moved_out"
    elif holder.status == DECEASED:
        key = "member.id_deceased"
    elif holder.archived:
        key = "member.id_archived"
    else:
        key = "member.id_held"
    error = ValidationError(key, "id_number", **params)
    error.entity = "member"
    return error


def holders(session: Session, numbers: Iterable[str]) -> dict[str, list[Member]]:
    """The member records holding each of these ID numbers."""
    wanted = sorted({n for n in numbers if n})
    found: dict[str, list[Member]] = {}
    for start in range(0, len(wanted), 500):
        query = select(Member).where(Member.id_number.in_(wanted[start:start + 500])).order_by(Member.id)
        for holder in session.scalars(query):
            found.setdefault(str(holder.id_number), []).append(holder)
    return found


def id_problems(session: Session, numbers: Iterable[str], *, own_id: str | None = None) -> dict[str, ValidationError]:
    """For each ID number already held by another member record of the workspace, the refusal."""
    found: dict[str, ValidationError] = {}
    for number, held in holders(session, numbers).items():
        other = next((m for m in held if m.id != own_id), None)
        if other is not None:
            found[number] = holder_problem(other, session.get(Household, other.household_id), number)
    return found


def check_id_free(session: Session, data: Mapping[str, Any], own_id: str | None) -> None:
    """Refuse a member's ID number another member record already holds (records.create/update)."""
    number = data.get("id_number")
    if not number:
        return
    problem = id_problems(session, [str(number)], own_id=own_id).get(str(number))
    if problem is not None:
        raise ValidationErrors([problem])


# --- reading -------------------------------------------------------------------------------------

def current_members(session: Session, household_id: str) -> list[Member]:
    return list(session.scalars(select(Member).where(Member.household_id == household_id,
                                                     Member.archived.is_(False)).order_by(Member.id)))


def past_members(session: Session, household_id: str) -> list[Member]:
    """Members who moved out or died (the household's 已迁出/已死亡 members), latest first."""
    query = select(Member).where(Member.household_id == household_id, Member.status != PRESENT)
    return sorted(session.scalars(query), key=lambda m: (m.left_on or dt.date.min, m.id), reverse=True)


def history(session: Session, household_id: str) -> list[MemberEvent]:
    """The household's changes of members, latest first."""
    query = select(MemberEvent).where(MemberEvent.household_id == household_id, MemberEvent.archived.is_(False))
    return sorted(session.scalars(query), key=lambda e: (e.occurred_on, e.created_at, e.id), reverse=True)


# --- the changes ---------------------------------------------------------------------------------

def _event(session: Session, household: Household, kind: str, on: dt.date, reason: str, *,
           member: Member | None = None, other: Household | None = None, detail: str = "") -> MemberEvent:
    return records.create(session, MemberEvent, {
        "org_code": household.org_code, "household_id": household.id, "kind": kind, "occurred_on": on,
        "reason": reason, "member_id": member.id if member is not None else None,
        "other_household_id": other.id if other is not None else None, "detail": detail,
    })


def _checked_date(on: Any, field: str = "occurred_on") -> dt.date:
    """The event's date by the field's own rules (not in the future, a real date); one clear line."""
    if on in (None, ""):
        raise _refuse("member.date_required", field)
    try:
        value = clean_value(MemberEvent, "occurred_on", on)
    except ValidationError as error:
        error.field, error.entity = field, "member_event"
        raise ValidationErrors([error]) from None
    assert isinstance(value, dt.date)
    return value


def _present(member: Member, household: Household | None = None) -> None:
    if member.status != PRESENT or member.archived:
        raise _refuse("member.not_present", None, name=member.name)
    if household is not None and member.household_id != household.id:
        raise _refuse("member.other_household", None, name=member.name)


def _leave(session: Session, member: Member, status: str, kind: str, on: Any, reason: str) -> MemberEvent:
    _present(member)
    household = records.get(session, Household, member.household_id)
    others = [m for m in current_members(session, household.id) if m.id != member.id]
    if member.relationship == HEAD and others:
        raise _refuse("member.head_leaves", None, name=member.name)
    day = _checked_date(on)
    values = clean(Member, {"status": status, "left_on": day, "left_reason": reason}, partial=True, current=member)
    for name, value in values.items():
        setattr(member, name, value)
    member.archived = True
    session.flush()
    return _event(session, household, kind, day, values["left_reason"], member=member)


def move_out(session: Session, member: Member, *, on: Any, reason: str = "") -> MemberEvent:
    """迁出: the member leaves the household (to live elsewhere); a head must hand over first."""
    return _leave(session, member, MOVED_OUT, "moved_out", on, reason)


def record_death(session: Session, member: Member, *, on: Any, reason: str = "") -> MemberEvent:
    """死亡: the member died on ``on``."""
    return _leave(session, member, DECEASED, "deceased", on, reason)


def move_in(session: Session, member: Member, household: Household, *, relationship: str, on: Any,
            reason: str = "") -> MemberEvent:
    """迁入: a member who moved out of one household is registered in ``household`` as the same
    person (the same record, their income items with them), not as a new member with their ID."""
    if member.status != MOVED_OUT:
        key = "member.id_deceased" if member.status == DECEASED else "member.not_moved_out"
        raise _refuse(key, None, name=member.name, value=member.id_number or "", household="")
    if household.archived:
        raise _refuse("member.household_archived", None)
    day = _checked_date(on)
    code = _relationship(household, relationship, session)
    before = records.get(session, Household, member.household_id)
    member.archived = False
    member.status, member.left_on, member.left_reason = PRESENT, None, ""
    member.relationship = code
    _rehome(session, member, household)
    return _event(session, household, "moved_in", day, reason, member=member, other=before)


def move_in_by_id(session: Session, household: Household, id_number: str, *, relationship: str, on: Any,
                  reason: str = "") -> Member:
    """迁入 by the person's ID number: the member who moved out with it comes into ``household``."""
    try:
        number = str(clean_value(Member, "id_number", id_number)) if id_number else ""
    except ValidationError as error:
        error.entity = "member"
        raise ValidationErrors([error]) from None
    if not number:
        raise _refuse("record.required", "id_number")
    holder = session.scalars(select(Member).where(Member.id_number == number).order_by(Member.id)).first()
    if holder is None:
        raise _refuse("member.nobody_moved_out", "id_number", value=number)
    if holder.status != MOVED_OUT:
        raise ValidationErrors([holder_problem(holder, session.get(Household, holder.household_id), number)])
    move_in(session, holder, household, relationship=relationship, on=on, reason=reason)
    return holder


def _relationship(household: Household, code: str, session: Session) -> str:
    if not code:
        raise _refuse("member.relationship_required", "relationship")
    value = str(clean_value(Member, "relationship", code))
    if value == HEAD and any(m.relationship == HEAD for m in current_members(session, household.id)):
        raise _refuse("member.second_head", "relationship")
    return value


def _movable_children() -> list[tuple[type[Record], str]]:
    """Record types a household holds that may change household: not its members (moved on their
    own), and not facts (its history, its attachments), which stay with the household they concern."""
    return [(cls, column) for cls, column in tree.children_of("household")
            if cls is not Member and not cls.insert_only and cls.parent_entity_field is None]


def _about(cls: type[Record]) -> list[str]:
    """The fields of ``cls`` naming a member (an elder profile's elder, a social-work case's client)."""
    return [c.key for c in cls.__table__.columns if any(fk.column.table.name == "members" for fk in c.foreign_keys)]


def _move_record(session: Session, record: Record, column: str, household: Household) -> None:
    records.update(session, record, {column: household.id})
    if record.org_code != household.org_code:
        records.move_tree(session, record, household.org_code)


def _rehome(session: Session, member: Member, household: Household) -> None:
    """The member, what belongs to them (income) and the household's records about them alone (their
    elder profile with its visits, a social-work case of theirs) now belong to ``household``."""
    before = member.household_id
    for cls, column in _movable_children():
        for field in _about(cls):
            query = select(cls).where(getattr(cls, column) == before, getattr(cls, field) == member.id,
                                      cls.archived.is_(False))
            for record in session.scalars(query):
                _move_record(session, record, column, household)
    _move_record(session, member, "household_id", household)


def split(session: Session, household: Household, members: Sequence[Member], *, new_head: Member, on: Any,
          reason: str = "", address: str | None = None, remaining_head: Member | None = None) -> Household:
    """分户: ``members`` leave ``household`` with a new household of their own, headed by
    ``new_head`` (one of them), at ``address`` (the old one unless given), in the same grid. If the
    old head leaves, ``remaining_head`` becomes head of the old household. Relationships on both
    sides are re-expressed relative to each head where the codes allow."""
    if not members:
        raise _refuse("member.split_nobody")
    for m in members:
        _present(m, household)
    moving = {m.id for m in members}
    people = current_members(session, household.id)
    staying = [m for m in people if m.id not in moving]
    if not staying:
        raise _refuse("member.split_everyone")
    if new_head.id not in moving:
        raise _refuse("member.split_head_outside", None, name=new_head.name)
    day = _checked_date(on)
    old_head = next((m for m in people if m.relationship == HEAD), None)
    if old_head is not None and old_head.id in moving and (remaining_head is None or remaining_head.id in moving):
        raise _refuse("member.split_needs_head")
    fresh = records.create(session, Household, {
        "org_code": household.org_code, "address": address or household.address,
        "hukou_address": household.hukou_address, "head_name": new_head.name, "phone": new_head.phone,
        "register_type": household.register_type,
    })
    _event(session, fresh, "split_from", day, reason, other=household)
    moved = [m for m in people if m.id in moving]
    unclear = _reexpress_all(moved, old_head, new_head)
    for m in moved:
        _rehome(session, m, fresh)
        _event(session, household, "split_out", day, reason, member=m, other=fresh)
    fresh.head_name = new_head.name
    if old_head is not None and old_head.id in moving and remaining_head is not None:
        unclear += _reexpress_all(staying, old_head, remaining_head)
        household.head_name = remaining_head.name
        _event(session, household, "head_changed", day, reason, member=remaining_head)
    session.flush()
    if unclear:
        _event(session, fresh, "head_changed", day, reason, member=new_head,
               detail="\n".join(f"{m.name}: ? ({m.relationship})" for m in unclear))
    return fresh


def merge(session: Session, target: Household, source: Household, *, relationships: Mapping[str, str],
          on: Any, reason: str = "") -> list[Member]:
    """合户: ``source``'s current members join ``target`` (two households that are one, typed apart),
    each with their relationship to ``target``'s head from ``relationships`` (member id → code;
    the source's head must be given one; others keep theirs unless given). Its other current records
    (assistance cases, investigations, elder profiles, referrals …) move along; ``source`` is
    archived with its past members, its history and its attachments, never deleted."""
    if target.id == source.id:
        raise _refuse("member.merge_same")
    if target.archived or source.archived:
        raise _refuse("member.household_archived")
    day = _checked_date(on)
    joining = current_members(session, source.id)
    codes: dict[str, str] = {}
    for m in joining:
        given = relationships.get(m.id, "")
        if m.relationship == HEAD and not given:
            raise _refuse("member.merge_head_relationship", "relationship", name=m.name)
        codes[m.id] = _relationship(target, given, session) if given else m.relationship
    for m in joining:
        m.relationship = codes[m.id]
        _rehome(session, m, target)
        _event(session, target, "merged_in", day, reason, member=m, other=source)
    # One family: its cases, investigations, profiles and referrals are the merged household's now.
    for cls, column in _movable_children():
        for record in session.scalars(select(cls).where(getattr(cls, column) == source.id, cls.archived.is_(False))):
            _move_record(session, record, column, target)
    _event(session, source, "merged_away", day, reason, other=target)
    records.archive(session, source)
    return joining


# --- a change of head ----------------------------------------------------------------------------

#: GB/T 4761 codes by kind of kin, as the re-expression below reads them.
SPOUSE = frozenset({"10", "11", "12"})
CHILD = frozenset({"20", "21", "22", "23", "24", "25", "26", "27", "29", "30", "31", "32", "33", "34", "35",
                   "36", "37", "39"})
CHILD_IN_LAW = frozenset({"28", "38"})
GRANDCHILD = frozenset({"40", "41", "42", "43", "44", "49"})
PARENT = frozenset({"50", "51", "52", "57", "58", "59"})
SIBLING = frozenset({"70", "71", "73", "75", "77", "79"})


def _by_sex(member: Member, male: str, female: str, either: str) -> str:
    return male if member.sex == "M" else female if member.sex == "F" else either


def _older(a: Member, b: Member) -> bool | None:
    return None if a.birth_date is None or b.birth_date is None else a.birth_date < b.birth_date


def reexpress(old_head: Member, new_head: Member, member: Member) -> str | None:
    """``member``'s relationship to ``new_head`` (who was ``new_rel`` to ``old_head``), from their
    relationship to the old head; None where GB/T 4761 codes alone cannot say (a grandchild may be
    the new head's child or nephew): left as it was, for the caseworker to check."""
    new_rel, rel = new_head.relationship, member.relationship
    if member.id == new_head.id:
        return HEAD
    if member.id == old_head.id:
        if new_rel in SPOUSE:
            return _by_sex(old_head, "11", "12", "10")
        if new_rel in CHILD:
            return _by_sex(old_head, "51", "52", "50")
        if new_rel in PARENT:
            return _by_sex(old_head, "20", "30", "20" if old_head.sex != "F" else "30")
        if new_rel in SIBLING:
            older = _older(old_head, new_head)
            return _by_sex(old_head, "71" if older else "73", "75" if older else "77", "70") if older is not None \
                else "70"
        return None
    if new_rel in SPOUSE:
        if rel in CHILD | CHILD_IN_LAW | GRANDCHILD:
            return rel  # the head's children are the spouse's: the usual reading, as the household lists them
        if rel in ("51", "52"):
            wife = new_head.sex == "F" or new_rel == "12"
            return {"51": "53" if wife else "55", "52": "54" if wife else "56"}[rel]
        return None
    if new_rel in CHILD:
        if rel in SPOUSE:
            return _by_sex(member, "51", "52", "50")
        if rel in CHILD:
            older = _older(member, new_head)
            if older is None:
                return "70"
            return _by_sex(member, "71" if older else "73", "75" if older else "77", "70")
        if rel in CHILD_IN_LAW and (rel == "38") == (new_head.sex == "M"):
            return _by_sex(member, "11", "12", "10")  # the new head's own spouse
        if rel in ("51", "52"):
            paternal = old_head.sex == "M"
            return {"51": "61" if paternal else "63", "52": "62" if paternal else "64"}[rel]
        return None
    if new_rel in PARENT:
        if rel in SPOUSE:
            return _by_sex(member, "28", "38", "97")
        if rel in CHILD:
            return _by_sex(member, "41", "42", "40") if old_head.sex == "M" else \
                _by_sex(member, "43", "44", "40") if old_head.sex == "F" else "40"
        return None
    return None


def change_head(session: Session, household: Household, new_head: Member, *, on: Any,
                reason: str = "") -> list[Member]:
    """户主变更: ``new_head`` becomes head; every current member's relationship is re-expressed
    relative to them where the codes allow. Returns the members left as they were, to check."""
    _present(new_head, household)
    if new_head.relationship == HEAD:
        raise _refuse("member.already_head", None, name=new_head.name)
    day = _checked_date(on)
    people = current_members(session, household.id)
    old_head = next((m for m in people if m.relationship == HEAD), None)
    before = {m.id: m.relationship for m in people}
    unclear = _reexpress_all(people, old_head, new_head)
    household.head_name = new_head.name
    session.flush()
    lines = [f"{m.name}: {before[m.id]} → {m.relationship}" for m in people if m.relationship != before[m.id]]
    lines += [f"{m.name}: ? ({m.relationship})" for m in unclear]
    _event(session, household, "head_changed", day, reason, member=new_head, detail="\n".join(lines))
    return unclear


def _reexpress_all(people: Sequence[Member], old_head: Member | None, new_head: Member) -> list[Member]:
    """Set each person's relationship relative to ``new_head`` (``old_head`` being whom the codes
    were relative to); the ones the codes cannot re-express keep theirs and are returned. An old
    head whose relationship cannot be said becomes 其他亲属 (97): two heads cannot be."""
    codes = {m.id: (HEAD if m.id == new_head.id else reexpress(old_head, new_head, m) if old_head else None)
             for m in people}
    unclear = []
    for m in people:
        code = codes[m.id]
        if code is None and old_head is not None and m.id == old_head.id:
            code = "97"
            unclear.append(m)
        elif code is None:
            if old_head is not None:
                unclear.append(m)
            continue
        m.relationship = code
    return unclear
