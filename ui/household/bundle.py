"""Everything the household view shows, read in one go on the read pool as plain values.

Rows are dicts (not ORM objects) because the read session is closed before they reach the GUI
thread. Each stateful record also carries ``_options``: every move its state machine has from its
state, each with its action (as the office names it) and, when it cannot be taken now by this
user's role, the reason (a message key); ``_allowed`` lists the ones that can.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from caseapp.domain import AssistanceCase, Household, Member, Record, Referral
from caseapp.services import assessment, buildings, evidence, listing, members, records, referrals
from caseapp.services.lists import grid_events_for
from caseapp.services.workflows import ASKED, machine_for, state_fixed
from caseapp.store import audit

Row = dict[str, Any]
#: the most households offered to merge with (a grid holds about 200)
NEIGHBOURS = 1000


@dataclass
class Bundle:
    household: Row
    by_entity: dict[str, list[Row]] = field(default_factory=dict)
    history: list[Row] = field(default_factory=list)
    #: (id, "head — address") of the other households in the same grid or community (to merge with)
    neighbours: list[tuple[str, str]] = field(default_factory=list)
    #: (id, standard address) of the buildings the household can be placed at (its grid's community's)
    buildings: list[tuple[str, str]] = field(default_factory=list)

    def rows(self, entity: str) -> list[Row]:
        return self.by_entity.get(entity, [])

    def members(self) -> list[tuple[str, str]]:
        """(id, name) of the living members, for choosing an elder or a client."""
        return [(m["id"], m["name"]) for m in self.rows("member") if not m["archived"]]


def as_row(record: Record, db: DbSession | None = None, role: str | None = None,
           reach: Sequence[str] | None = None) -> Row:
    row: Row = record.values()
    row["entity"] = record.entity
    # (a state fixed when the record is made, a disaster report's stage, has no moves to offer)
    machine = machine_for(record.entity) if record.state_field and not state_fixed(type(record)) else None
    if machine is not None and record.state_field:
        state = getattr(record, record.state_field)
        subject: object = record
        if isinstance(record, AssistanceCase) and db is not None:
            subject = evidence.Evidence(record, evidence.gather(db, record))
        # a reason the signer writes in the sign-off itself does not grey the step: it asks for it
        row["_options"] = [{"target": target, "action": machine.step(state, target).action,
                            "blocked": None if blocked in ASKED else blocked, "asks": ASKED.get(blocked or "")}
                           for target, blocked in machine.options(state, subject, role)]
        if isinstance(record, Referral):
            # a step of the other side is shown, greyed, with whose it is (caseapp.services.referrals)
            side = referrals.sides(reach, row)
            for option in row["_options"]:
                option["blocked"] = option["blocked"] or referrals.move_refusal(side, state, option["target"])
        row["_allowed"] = [o["target"] for o in row["_options"] if o["blocked"] is None]
    return row


def load_bundle(db: DbSession, household_id: str, role: str | None = None) -> Bundle:
    household = records.get(db, Household, household_id)
    found = [*records.household_records(db, household_id), *grid_events_for(db, household_id)]
    grouped: dict[str, list[Row]] = defaultdict(list)
    for record in found:
        if not record.archived:
            grouped[record.entity].append(as_row(record, db, role))
    names = {m["id"]: m["name"] for m in grouped["member"]}
    # Who left (迁出, 死亡) stays on the household as a past member; the changes name whom they concern.
    grouped["past_member"] = [as_row(m) for m in members.past_members(db, household_id)]
    everyone = {**{m["id"]: m["name"] for m in grouped["past_member"]}, **names}
    for event in grouped["member_event"]:
        event["member_id_label"] = everyone.get(event.get("member_id") or "", "")
        if event.get("member_id") and not event["member_id_label"]:  # moved on to another household since
            moved = db.get(Member, event["member_id"])
            event["member_id_label"] = moved.name if moved is not None else ""
    grouped["member_event"].sort(key=lambda e: (e["occurred_on"], e["created_at"]), reverse=True)
    for elder in grouped["elder_profile"]:
        elder["member_id_label"] = names.get(elder["member_id"], "")
    elders = {e["id"]: e["member_id_label"] for e in grouped["elder_profile"]}
    for visit in grouped["care_visit"]:
        visit["elder_name"] = elders.get(visit["elder_id"], "")
    for case in grouped["social_work_case"]:
        case["client_member_id_label"] = names.get(case.get("client_member_id") or "", "")
    grouped["care_visit"].sort(key=lambda v: v["visited_at"], reverse=True)
    for child in grouped["child_profile"]:
        child["member_id_label"] = names.get(child["member_id"], "")
    children = {c["id"]: c["member_id_label"] for c in grouped["child_profile"]}
    for visit in grouped["child_visit"]:
        visit["child_name"] = children.get(visit["child_id"], "")
    grouped["child_visit"].sort(key=lambda v: v["visited_at"], reverse=True)
    for veteran in grouped["veteran_profile"]:
        veteran["member_id_label"] = names.get(veteran["member_id"], "")
    veterans = {v["id"]: v["member_id_label"] for v in grouped["veteran_profile"]}
    for visit in grouped["veteran_visit"]:
        visit["veteran_name"] = veterans.get(visit["veteran_id"], "")
    grouped["veteran_visit"].sort(key=lambda v: v["visited_at"], reverse=True)
    for application in grouped["care_application"]:
        application["member_id_label"] = names.get(application["member_id"], "")
    # the place in the queue is the list's, worked out from the rules in SQL (caseapp.services.waitlist)
    places = {r.id: r["queue_position"] for r in listing.rows_by_id(
        db, "care_waitlist", [a["id"] for a in grouped["care_application"]])}
    for application in grouped["care_application"]:
        application["queue_position"] = places.get(application["id"])
    # 核算金额 in the cases' table, worked out as the case form's panel works it out (amount_panel)
    for case in grouped["assistance_case"]:
        result = assessment.assess_values(case, grouped["member"], grouped["income_item"], dt.date.today())
        case["computed_amount"] = None if result is None else f"{result.computed:.2f}"
    grouped["case_payment"].sort(key=lambda p: (p["paid_on"], p["id"]), reverse=True)
    for kind in ("appraisal", "public_notice"):
        grouped[kind].sort(key=lambda r: (r["held_on" if kind == "appraisal" else "started_on"], r["id"]),
                           reverse=True)
    ids = [household_id, *(r.id for r in found)]
    history = audit.history(db.connection(), ids)
    for entry in history:
        entry["changes"] = json.loads(entry["changes"]) if entry["changes"] else {}
    grouped["case_step"].sort(key=lambda x: (x["taken_at"], x["id"]))
    neighbours = [(h.id, f"{h.head_name} — {h.address}") for h in db.scalars(
        select(Household).where(Household.org_code == household.org_code, Household.archived.is_(False),
                                Household.id != household_id).order_by(Household.head_name).limit(NEIGHBOURS))]
    row = as_row(household)
    row["building_id_label"] = buildings.address_of(db, household.building_id)
    placeable = buildings.choices(db, household.org_code, household.building_id)
    return Bundle(row, dict(grouped), history, neighbours, placeable)
