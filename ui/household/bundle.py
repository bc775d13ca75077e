"""Everything the household view shows, read in one go on the read pool as plain values.

Rows are dicts (not ORM objects) because the read session is closed before they reach the GUI
thread. Each stateful record also carries ``_allowed``: the moves its state machine allows now,
so the view offers exactly those.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session as DbSession

from caseapp.domain import Household, Record
from caseapp.services import records
from caseapp.services.lists import grid_events_for
from caseapp.services.workflows import machine_for
from caseapp.store import audit

Row = dict[str, Any]


@dataclass
class Bundle:
    household: Row
    by_entity: dict[str, list[Row]] = field(default_factory=dict)
    history: list[Row] = field(default_factory=list)

    def rows(self, entity: str) -> list[Row]:
        return self.by_entity.get(entity, [])

    def members(self) -> list[tuple[str, str]]:
        """(id, name) of the living members, for choosing an elder or a client."""
        return [(m["id"], m["name"]) for m in self.rows("member") if not m["archived"]]


def as_row(record: Record) -> Row:
    row: Row = record.values()
    row["entity"] = record.entity
    if record.state_field:
        machine = machine_for(record.entity)
        state = getattr(record, record.state_field)
        row["_allowed"] = machine.allowed(state, record) if machine else []
    return row


def load_bundle(db: DbSession, household_id: str) -> Bundle:
    household = records.get(db, Household, household_id)
    found = [*records.household_records(db, household_id), *grid_events_for(db, household_id)]
    grouped: dict[str, list[Row]] = defaultdict(list)
    for record in found:
        if not record.archived:
            grouped[record.entity].append(as_row(record))
    names = {m["id"]: m["name"] for m in grouped["member"]}
    for elder in grouped["elder_profile"]:
        elder["member_id_label"] = names.get(elder["member_id"], "")
    elders = {e["id"]: e["member_id_label"] for e in grouped["elder_profile"]}
    for visit in grouped["care_visit"]:
        visit["elder_name"] = elders.get(visit["elder_id"], "")
    for case in grouped["social_work_case"]:
        case["client_member_id_label"] = names.get(case.get("client_member_id") or "", "")
    grouped["care_visit"].sort(key=lambda v: v["visited_at"], reverse=True)
    ids = [household_id, *(r.id for r in found)]
    history = audit.history(db.connection(), ids)
    for entry in history:
        entry["changes"] = json.loads(entry["changes"]) if entry["changes"] else {}
    return Bundle(as_row(household), dict(grouped), history)
