"""Referrals between organisations (转介): who answers them, what the receiving side sees, and who may
change what. The one set of rules the device and the server (sync/server/merge.py, pull.py) share.

A referral belongs to its client's household (its ``org_code`` is the household's: the referring
side's) and names the receiving centre by a division code, ``to_org_code``. Reach rule: the code is
a district (6 digits), street (9) or community (12) code of the same city as the referral (its first
four digits): a 家综 serves a street, a 社工服务站 a community, district bodies (残联, 慈善会, 精神卫生
中心) a district; a referral to another city goes through that city's own system. Once the
referral is *sent* the receiving side is every user whose reach holds that code (a street's centre
worker with scope 440105001 receives referrals to 440105001 and to its communities; a district
approver all of the district's); the code and the centre's name cannot change after sending, so a
referral cannot be redirected to someone the client did not consent to.

What the receiver sees (PIPL Art. 6 minimum necessary, Art. 23 providing to another handler with
the person's separate consent, which is the consent the referral records; DOMAIN.md §5): the
referral's own fields only — the client's name, from/to, reason and urgency, the consent and its
date, the status, the response and feedback date — which is what the receiving service needs to
contact the client and answer. Not the household, its members (ID numbers, health, income), its
assistance cases, the social-work case or attachments: the server never sends them, and the ids
linking the referral to them (``HIDDEN``) are blank in the receiver's copy.

Who does what: the referring side writes the referral, obtains consent, sends it and closes it
(after feedback, or after a decline); the receiving side accepts or declines it, starts the
service and gives feedback, and writes the response. A user whose reach holds both codes is both
sides (a street supervisor for a referral between two of the street's units).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from caseapp.errors import ValidationError, ValidationErrors
from caseapp.validation.division import validate_division_code

SENDER, RECEIVER = "sender", "receiver"
Sides = frozenset[str]
BOTH: Sides = frozenset({SENDER, RECEIVER})

#: the states in which the receiving side holds the referral (everything from sending on)
SENT_STATES = frozenset({"sent", "accepted", "declined", "in_service", "feedback", "closed"})
#: the receiving side's steps: accept or decline, start the service, give feedback
RECEIVER_MOVES = frozenset({("sent", "accepted"), ("sent", "declined"), ("accepted", "in_service"),
                            ("in_service", "feedback")})
#: the referring side's steps: consent, send, close
SENDER_MOVES = frozenset({("draft", "consented"), ("consented", "sent"), ("feedback", "closed"),
                          ("declined", "closed")})
#: what the receiving side writes
RECEIVER_FIELDS = frozenset({"response", "feedback_on"})
#: what either side may write: the contact person at the receiving centre (the referrer may know
#: whom they spoke to; the centre names who took the case)
SHARED_FIELDS = frozenset({"to_worker"})
#: who receives it: fixed once sent
RECEIVER_NAMED = frozenset({"to_org_code", "to_org"})
#: links into the household, blank in the receiver's copy
HIDDEN = ("household_id", "case_id", "client_member_id")
#: the fields the receiving side writes or moves: the conflicts it is shown and may settle
ANSWERED = RECEIVER_FIELDS | SHARED_FIELDS | {"status"}
CITY_DIGITS = 4


def shared_org(fields: Mapping[str, Any]) -> str | None:
    """The receiving centre's code when the referral is in its hands (sent or later), else None."""
    code = fields.get("to_org_code")
    if fields.get("status") in SENT_STATES and isinstance(code, str) and code:
        return code
    return None


def covers(prefixes: Sequence[str] | None, code: str | None) -> bool:
    """Does a reach of org-code prefixes ("" is everything; None: a workspace never signed in to a
    server, which holds every role) hold ``code``?"""
    if prefixes is None:
        return True
    return bool(code) and any(str(code).startswith(p) for p in prefixes)


def sides(prefixes: Sequence[str] | None, fields: Mapping[str, Any]) -> Sides:
    """Which sides of this referral a user of this reach is on."""
    found = set()
    if covers(prefixes, fields.get("org_code")):
        found.add(SENDER)
    if covers(prefixes, fields.get("to_org_code")):
        found.add(RECEIVER)
    return frozenset(found)


def may_change(side: Sides, stored: Mapping[str, Any], name: str, value: Any) -> str | None:
    """None when a user on ``side`` may set the referral's field ``name`` to ``value``; else the
    message key saying why not. ``stored`` is the referral as it is (its status before the move)."""
    status = stored.get("status")
    if name == "status":
        move = (status, value)
        if move in RECEIVER_MOVES:
            return None if RECEIVER in side else "referral.receiver_only"
        if move in SENDER_MOVES:
            return None if SENDER in side else "referral.sender_only"
        return None  # not a step of the workflow: the workflow says why not
    if name in RECEIVER_FIELDS:
        return None if RECEIVER in side else "referral.receiver_only"
    if name in SHARED_FIELDS and side:
        return None
    if SENDER not in side:
        return "referral.sender_only"
    if name in RECEIVER_NAMED and status in SENT_STATES:
        return "referral.receiver_fixed"
    return None


def move_refusal(side: Sides, state: str, target: str) -> str | None:
    """Why a user on ``side`` cannot take the step ``state`` → ``target`` (None: they may)."""
    return may_change(side, {"status": state}, "status", target)


def check_receiver(code: str | None, org_code: str | None, field: str = "to_org_code") -> ValidationError | None:
    """The reach rule: a valid division code of a district, street or community in the referral's
    city. None when it holds (or no code is given yet)."""
    if not code:
        return None
    try:
        value = validate_division_code(code, field)
    except ValidationError as error:
        return error
    if org_code and value[:CITY_DIGITS] != str(org_code)[:CITY_DIGITS]:
        return ValidationError("referral.other_city", field, code=value)
    return None


def view(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The receiving side's copy: the referral's own fields, without the links into the household."""
    return {k: (None if k in HIDDEN else v) for k, v in fields.items()}


def client_refusal(client: Mapping[str, Any] | None, household_id: Any) -> ValidationError | None:
    """The client must be a member of the referral's household (``client`` is the member's fields,
    None when no such member is held)."""
    if client is None or not household_id or client.get("household_id") != household_id:
        return ValidationError("referral.client_not_member", "client_member_id")
    return None


def name_client(db: Session, data: dict[str, Any]) -> None:
    """A client chosen among the household's members is named as that member is (the name the
    receiving centre sees is the person's, not whatever the form held before the choice)."""
    from caseapp.domain import Member

    member = db.get(Member, data["client_member_id"]) if data.get("client_member_id") else None
    if member is not None and member.name:
        data["client_name"] = member.name


def check(db: Session, merged: Mapping[str, Any]) -> None:
    """The device's checks of a referral as it would be saved (the server's are in merge.py)."""
    from caseapp.domain import Member

    found = [check_receiver(merged.get("to_org_code"), merged.get("org_code"))]
    member_id = merged.get("client_member_id")
    if member_id:
        member = db.get(Member, member_id)
        found.append(client_refusal({"household_id": member.household_id} if member is not None else None,
                                    merged.get("household_id")))
    errors = [e for e in found if e is not None]
    if errors:
        raise ValidationErrors(errors)
