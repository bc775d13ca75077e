"""Applying one pushed batch: field-level three-way merge, conflict records and the push ledger.

Runs inside one write transaction that holds the push lock (``Database.write(ordered=True)``), so
positions are handed out in commit order and the batch is applied all at once or not at all.

Concurrency is decided from positions, never from clocks: a 'set' of field f based on position b is
concurrent with the stored value when f was last written at a position after b by another device.
Then the higher (HLC, device id) wins deterministically, the winner's value is stored, and a
conflict record keeps base, winner and loser values, authors, devices and stamps for a person to
confirm. Edits to different fields never conflict. Insert-only facts never conflict (their only
settable fields, archived and org_code, take the later stamp). Archiving a record that another
device edited concurrently, or editing one another device archived, also opens a conflict.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from caseapp.domain import ENTITIES, tree
from caseapp.domain.base import SILENT_FIELDS, Record
from caseapp.domain.codec import JsonValue, dumps, from_wire, to_wire
from caseapp.domain.types import format_datetime, parse_datetime
from caseapp.errors import WorkflowError
from caseapp.ids import new_id
from caseapp.services import disaster, evidence, payments, quality, referrals, tasks, waitlist
from caseapp.services.workflows import REFERRAL, machine_for, state_fixed
from caseapp.store.hlc import pack, physical_ms, stamp_time
from caseapp.validation.rules import EARLIEST_YEAR
from caseapp.validation.times import CITY_TZ, city_today
from sync import protocol as p
from sync.replay import op_hash
from sync.server import attachments, schema
from sync.server.auth import Principal, prefixes_at, reach_of
from sync.server.errors import ApiError, Rejected
from sync.server.values import (
    STAMPED,
    checked,
    defaults,
    entity_class,
    field_set,
    judged_on_create,
    references,
    unique_fields,
)
from sync.server.verdicts import verdict_of

#: Refusals that say this server does not know a field or record type (a newer client): not kept in
#: the ledger, so the same operation, sent again after an upgrade, is judged afresh.
NOT_KNOWN_HERE = frozenset({"record.unknown_field", "sync.unknown_entity"})

#: the fields of an assistance case whose change each check judges (a restore reopens a case).
#: A case's create is not judged against the household's members: a push can carry a case
#: before its household's members (a first sync spans several pushes); the server's sweep lists
#: what is left.
ACROSS_CHECKED: dict[str, frozenset[str]] = {
    "people_covered": frozenset({"covered_exceeds_members"}), "category": frozenset({"two_open_cases"}),
    "archived": frozenset({"two_open_cases"}), "household_id": frozenset({"two_open_cases"}),
    "monthly_amount": frozenset({"amount_without_reason"}), "amount_reason": frozenset({"amount_without_reason"})}
ACROSS_ON_CREATE = frozenset({"two_open_cases"})
#: (type, field) -> fields its edit is judged with as the same push leaves them: a device writes one
#: save as one set per field in field order, so a resident no longer floating has its reason
#: cleared before its type changes (caseapp.domain.buildings.Resident.check)
JUDGED_WITH: dict[tuple[str, str], tuple[str, ...]] = {("resident", "residence_reason"): ("population_type",)}
#: the fields of a care-place application whose change can make it an elder's second open one
APPLICATION_CHECKED = frozenset({"member_id", "household_id", "archived", "status"})
#: the fields of a household whose change can place it at a building of another community (a
#: building's own move is not judged: its households move after it, and the sweep lists them meanwhile)
PLACEMENT_CHECKED = frozenset({"building_id", "org_code", "archived"})
#: judged on a create both where it stands in the push and once the whole push is applied, and
#: refused only if both refuse it: the household's income items may come later in the same push
#: (devices write a case after its household's members and income items, caseapp.domain.tree
#: ``parents_first``, but older workspaces and files may not), and a device may have changed them
#: after the case's save, which the device's rule does not refuse either
ACROSS_AT_END = frozenset({"amount_without_reason"})
#: the record types a case's checks read from its household's tree
CASE_FAMILY = ("member", "assistance_case", "income_item")

# meta entry: [pos, hlc, device, author] of the write that set a field. Fields still as created
# share the "*" entry (the create's), which keeps the stored meta small.
POS, HLC, DEVICE, AUTHOR = 0, 1, 2, 3
CREATED = "*"


@dataclass
class Row:
    id: str
    entity: str
    org_code: str
    fields: dict[str, JsonValue]
    meta: dict[str, list[Any]]
    pos: int
    created_pos: int
    origin_device: str
    new: bool = False
    dirty: bool = False
    #: the root of its tree (caseapp.domain.tree); its own id for a root
    root_id: str | None = None
    #: the org unit this one record is shared with (a sent referral's receiving centre)
    shared_org: str | None = None
    #: ``dumps(fields)`` as its create logged it: still the record's text while ``pos`` is the
    #: create's (every later change of its fields is logged, which moves ``pos``)
    created_text: str | None = None

    @property
    def archived(self) -> bool:
        return bool(self.fields.get("archived"))


@dataclass
class Op:
    """A pushed operation with its stamp after clamping and the authenticated author."""

    src: p.PushOp
    hlc: int
    #: its stamp, or a time it carried, was ahead of the server's clock and brought back
    clamped: bool
    device: str
    author: str


class RowView:
    """A stored record's fields as attributes of Python values, for the workflow guards."""

    def __init__(self, cls: type[Record], fields: dict[str, JsonValue]) -> None:
        self._cls, self._fields = cls, fields

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name not in self._fields:
            raise AttributeError(name)
        return from_wire(self._cls, name, self._fields[name])


@dataclass
class Outcome:
    verdict: p.VerdictName
    pos: int | None = None
    conflict_id: str | None = None


@dataclass
class Batch:
    conn: Connection
    who: Principal
    now_ms: int
    now: dt.datetime = field(init=False)
    today: dt.date = field(init=False)
    rows: dict[str, Row | None] = field(default_factory=dict)
    changes: list[dict[str, Any]] = field(default_factory=list)
    new_conflicts: list[dict[str, Any]] = field(default_factory=list)
    resolved: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: (entity, field) -> value -> record id, for fields kept unique; loaded when first needed
    holders: dict[tuple[str, str], dict[JsonValue, str]] = field(default_factory=dict)
    #: resident ID number -> members given it in this batch (created, or edited to hold it)
    people: dict[str, set[str]] = field(default_factory=dict)
    #: resident ID number -> stored member records holding it (id -> org code), as the store held
    #: them when the batch began (the batch writes nothing until ``flush``); read when first needed
    stored_people: dict[str, dict[str, str]] = field(default_factory=dict)
    #: (record id, field) -> the value the batch's last set of it gives, for JUDGED_WITH (``look_ahead``)
    later: dict[tuple[str, str], Any] = field(default_factory=dict)
    #: (root id, entity) whose stored records are loaded into ``rows`` (``_family_fields``)
    family_loaded: set[tuple[str, str]] = field(default_factory=set)
    #: cases created in this batch that ACROSS_AT_END refused where they stood: id -> their
    #: operation's sequence number, judged again over the batch as it ends (``late_refusals``)
    awaiting: dict[str, int] = field(default_factory=dict)
    #: sequence number of a care application's queue stamp -> the step it comes with (the step's
    #: own sequence number and target state): the next step of that record in the stamp's
    #: transaction, which the device journals just after what it stamped (``look_ahead``)
    steps: dict[int, tuple[int, str]] = field(default_factory=dict)
    #: a step's sequence number -> the application's fields as they stood before it stamped them
    before_step: dict[int, dict[str, JsonValue]] = field(default_factory=dict)
    #: a step's sequence number -> the stamps it brought, or None once one of them was refused
    step_stamps: dict[int, set[str] | None] = field(default_factory=dict)
    _next_pos: int = 0

    def __post_init__(self) -> None:
        self.now = dt.datetime.fromtimestamp(self.now_ms / 1000, dt.UTC)
        #: the server's today in the city's calendar, as a device there counts days
        self.today = city_today(self.now)

    # -- positions and loading ----------------------------------------------------------------
    def next_pos(self) -> int:
        if not self._next_pos:
            top = self.conn.execute(schema.LOG_TOP).scalar_one()
            self._next_pos = (top or 0) + 1
        pos = self._next_pos
        self._next_pos += 1
        return pos

    def preload(self, ids: Sequence[str]) -> None:
        wanted = [i for i in set(ids) if i not in self.rows]
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            for r in self.conn.execute(_BY_ID, {"ids": chunk}):
                self.rows[r.id] = Row(r.id, r.entity, r.org_code, json.loads(r.fields), json.loads(r.meta),
                                      r.pos, r.created_pos, r.origin_device, root_id=r.root_id or r.id,
                                      shared_org=r.shared_org)
            for i in chunk:
                self.rows.setdefault(i, None)

    def row(self, row_id: str) -> Row | None:
        if row_id not in self.rows:
            self.preload([row_id])
        return self.rows.get(row_id)

    # -- the log ------------------------------------------------------------------------------
    def _log(self, row: Row, fields: dict[str, JsonValue], old_org: str | None = None) -> int:
        pos = self.next_pos()
        row.pos = pos
        row.dirty = True
        if row.entity == "referral" and row.shared_org is None:
            # shared from the moment it is sent, and for good (its receiver cannot change after that)
            row.shared_org = referrals.shared_org(row.fields)
        self.changes.append({"pos": pos, "entity": row.entity, "row_id": row.id, "org_code": row.org_code,
                             "old_org_code": old_org, "fields": dumps(fields), "shared_org": row.shared_org,
                             "echo_device": None, "echo_seq": None})
        return pos

    def value_at(self, row: Row, name: str, pos: int) -> JsonValue:
        """The field's value as of log position ``pos`` (the base of a concurrent edit)."""
        for change in reversed(self.changes):
            if change["row_id"] == row.id and change["pos"] <= pos:
                fields = json.loads(change["fields"])
                if name in fields:
                    return fields[name]
        query = (select(schema.changes.c.fields)
                 .where(schema.changes.c.row_id == row.id, schema.changes.c.pos <= pos)
                 .order_by(schema.changes.c.pos.desc()))
        for text in self.conn.execute(query).scalars():
            fields = json.loads(text)
            if name in fields:
                return fields[name]
        return None

    # -- operations ---------------------------------------------------------------------------
    def apply(self, op: Op) -> Outcome:
        src = op.src
        if src.op == "resolve":
            return self._resolve(op)
        cls = entity_class(src.entity)
        row = self.row(src.row_id)
        if row is not None and row.entity == src.entity and self._receives_only(row):
            return self._answer(op, row)
        if row is not None and row.entity == src.entity and not self.who.covers(row.org_code) \
                and src.op == "set" and src.field not in (None, "org_code", *STAMPED) \
                and self._typed_in_scope(row, src.base_pos):
            # Typed while the record was the user's (it moved away, or their scope changed since):
            # kept for whoever holds it now, as a conflict they settle, never applied unseen.
            return self._propose(op, row, str(src.field), src.value)
        if row is not None and (row.entity != src.entity or not self.who.covers(row.org_code)):
            # The same answer whatever the record is: a device learns nothing of what it cannot see.
            raise Rejected("sync.id_unavailable")
        if src.op == "create":
            if not isinstance(src.value, dict):
                raise Rejected("sync.bad_value")
            if row is None:
                return self._create(op, cls.entity, src.value)
            return self._create_existing(op, row, src.value)
        if src.field is None or src.field in STAMPED:
            raise Rejected("sync.bad_field", src.field)
        if row is None:
            raise Rejected("sync.unknown_record")
        value = self._checked(op, row, src.field, src.value)
        return self._set(op, row, src.field, value)

    def _checked(self, op: Op, row: Row, name: str, value: Any, *, again: bool = False) -> JsonValue:
        """A value set on a stored record, by the device's rules, against the record as stored.
        ``again``: the value comes with a create of a record the server has (``_create_existing``)."""
        cls = entity_class(row.entity)
        if name not in field_set(cls):
            raise Rejected("record.unknown_field", name, type=row.entity, name=name)
        current = row.fields
        together = JUDGED_WITH.get((row.entity, name), ())
        if together:
            current = {**row.fields, **{k: self.later[(row.id, k)] for k in together if (row.id, k) in self.later}}
        out, clamped = checked(cls, {name: value}, now=self.now, partial=True, current=current)
        op.clamped = op.clamped or clamped
        if row.entity == "task":
            self._task_edit(row, name, out[name])
        if row.entity == "referral":
            self._referral_edit(row, name, out[name])
        if row.entity == "care_application" and name in APPLICATION_CHECKED \
                and dumps(out[name]) != dumps(row.fields.get(name)):
            self._application_allows({**row.fields, name: out[name], "id": row.id})
        if row.entity == "household" and name in PLACEMENT_CHECKED \
                and dumps(out[name]) != dumps(row.fields.get(name)):
            self._placement_allows({**row.fields, name: out[name], "id": row.id})
        if row.entity == "assistance_case" and name in ACROSS_CHECKED \
                and dumps(out[name]) != dumps(row.fields.get(name)):
            merged = {**row.fields, name: out[name]}
            home = self.row(str(merged.get("household_id") or ""))
            self._across_allows(merged, home if home is not None and home.entity == "household" else None,
                                ACROSS_CHECKED[name])
        if again and cls.insert_only and dumps(out[name]) == dumps(row.fields.get(name)):
            # A fact created again as it is stored (two devices deriving the same record,
            # caseapp.services.one_off_amounts; a restored backup) edits nothing of it.
            return out[name]
        return self._allowed(row.entity, row.id, name, out[name])

    # -- disaster report series (caseapp.services.disaster: the device's own rule) ---------------
    def _series_allows(self, fields: dict[str, JsonValue], initial: Row | None) -> None:
        """A 续报 or 核报 joins a series that has its 初报 and no 核报 yet; an 初报 names none."""
        series_id = fields.get("series_id")
        filed = None
        if initial is not None:
            reports = [f for _, f in self._family_fields(initial, ("disaster_report",))]
            filed = disaster.filed_stages(reports, initial.id)
        try:
            disaster.check_series(str(fields.get("stage") or ""), str(series_id) if series_id else None, filed)
        except WorkflowError as refused:
            raise Rejected(refused.key, refused.field, **refused.params) from None

    # -- checks across records (caseapp.services.quality: the device's own error checks) ---------

    def _across_allows(self, fields: dict[str, JsonValue], household: Row | None, checks: frozenset[str]) -> None:
        """More people covered than the household's members, or a second open case of a category,
        is refused as the device refuses it, judged over the household as this batch leaves it."""
        refused = self._across_refusal(fields, household, checks)
        if refused is not None:
            raise refused

    def _across_refusal(self, fields: dict[str, JsonValue], household: Row | None, checks: frozenset[str],
                        family: Sequence[tuple[str, dict[str, Any]]] | None = None) -> Rejected | None:
        if household is None:
            return None
        if family is None:
            family = self._family_fields(household, CASE_FAMILY)
        members = [f for entity, f in family if entity == "member" and f.get("household_id") == household.id]
        cases = [f for entity, f in family if entity == "assistance_case" and f.get("household_id") == household.id]
        incomes = [f for entity, f in family if entity == "income_item"] if "amount_without_reason" in checks else None
        found = [f for f in quality.case_findings(fields, members, cases, incomes, self.today)
                 if f.check in checks]
        if not found:
            return None
        refused = quality.refusal(found).errors[0]
        return Rejected(refused.key, refused.field, **refused.params)

    def late_refusals(self) -> dict[int, Rejected]:
        """The creates ``awaiting`` that ACROSS_AT_END still refuses over the batch as it ends (with
        the figures it ends with), by sequence number. The trees are indexed once, not once per case."""
        if not self.awaiting:
            return {}
        trees: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        for x in self.rows.values():
            if x is not None and x.entity in CASE_FAMILY:
                trees.setdefault(x.root_id or x.id, []).append((x.entity, x.fields))
        refused: dict[int, Rejected] = {}
        for row_id, seq in self.awaiting.items():
            case = self.rows.get(row_id)
            if case is None or not case.new:
                continue
            home = self.rows.get(str(case.fields.get("household_id") or ""))
            if home is None or home.entity != "household":
                continue
            family = trees.get(home.root_id or home.id, [])
            late = self._across_refusal({**case.fields, "id": row_id}, home, ACROSS_AT_END, family)
            if late is not None:
                refused[seq] = late
        return refused

    def _application_allows(self, fields: dict[str, JsonValue]) -> None:
        """A second open care-place application of one elder is refused as the device refuses it,
        judged over the applications of the elder's household as this batch leaves them."""
        home = self.row(str(fields.get("household_id") or ""))
        if home is None or home.entity != "household":
            return  # refused as a missing parent
        others = [f for _, f in self._family_fields(home, ("care_application",))]
        found = quality.application_findings(fields, others)
        if found:
            refused = quality.refusal(found).errors[0]
            raise Rejected(refused.key, refused.field, **refused.params)

    def _placement_allows(self, fields: dict[str, JsonValue]) -> None:
        """A household placed at a building of another community is refused as the device refuses it,
        judged with the building as this batch leaves it (caseapp.domain.buildings ``placement``)."""
        building_id = fields.get("building_id")
        if not building_id:
            return
        building = self.row(str(building_id))
        if building is None or building.entity != "building" or not self.who.covers(building.org_code):
            return  # refused as a missing reference: a device learns nothing of buildings it cannot see
        found = quality.placement_findings(fields, {**building.fields, "org_code": building.org_code})
        if found:
            refused = quality.refusal(found).errors[0]
            raise Rejected(refused.key, refused.field, **refused.params)

    # -- referrals (caseapp.services.referrals: the device's own rules) ------------------------
    def _receives_only(self, row: Row) -> bool:
        """Is the pusher the receiving side of this shared record, and not the side that holds it?"""
        return (row.entity == "referral" and row.shared_org is not None and not self.who.covers(row.org_code)
                and self.who.covers(row.shared_org))

    def _answer(self, op: Op, row: Row) -> Outcome:
        """The receiving centre's edit of a referral it was sent: its steps and its response, judged
        by the same rules as any edit; anything else of the referral (or a create under its id)
        gets the answer a record out of scope gets."""
        src = op.src
        if src.op != "set" or src.field is None or src.field in STAMPED:
            raise Rejected("sync.id_unavailable")
        name = str(src.field)
        if name in referrals.HIDDEN or name not in field_set(entity_class(row.entity)):
            raise Rejected("sync.id_unavailable")
        return self._set(op, row, name, self._checked(op, row, name, src.value))

    def _referral_edit(self, row: Row, name: str, value: JsonValue) -> None:
        """Who may change what of a referral: the sender its content, the receiver its answer; the
        receiving centre is fixed once sent; the client is a member of the referral's household."""
        if dumps(value) == dumps(row.fields.get(name)):
            return  # no change (a create sent again carries every field)
        refused = referrals.may_change(referrals.sides(self.who.prefixes, row.fields), row.fields, name, value)
        if refused:
            raise Rejected(refused, name)
        merged = {**row.fields, name: value}
        if name in ("to_org_code", "household_id", "client_member_id"):
            self._referral_facts(merged)

    def _referral_facts(self, fields: dict[str, JsonValue]) -> None:
        wrong = referrals.check_receiver(_text(fields.get("to_org_code")), _text(fields.get("org_code")))
        if wrong is not None:
            raise Rejected(wrong.key, wrong.field, **wrong.params)
        member_id = fields.get("client_member_id")
        if member_id:
            member = self.row(str(member_id))
            found = member.fields if member is not None and member.entity == "member" else None
            if referrals.client_refusal(found, fields.get("household_id")) is not None:
                raise Rejected("referral.client_not_member", "client_member_id")

    def _referral_create(self, fields: dict[str, JsonValue]) -> None:
        """A referral arrives as the device writes it (a draft); one created further along (an import,
        a copy) must hold what that state needs, and only the receiver writes the answer."""
        side = referrals.sides(self.who.prefixes, fields)
        if referrals.SENDER not in side:
            raise Rejected("referral.sender_only", "org_code")
        status = str(fields.get("status") or "draft")
        answered = any(fields.get(k) not in (None, "") for k in referrals.RECEIVER_FIELDS)
        if (answered or status in referrals.SENT_STATES - {"sent"}) and referrals.RECEIVER not in side:
            raise Rejected("referral.receiver_only", "status" if not answered else "response")
        guard = REFERRAL.guards[("consented", "sent")] if status in referrals.SENT_STATES else (
            REFERRAL.guards[("draft", "consented")] if status == "consented" else None)
        subject = RowView(entity_class("referral"), fields)
        missing = guard(subject) if guard is not None else None
        if missing:
            raise Rejected(missing, "status")
        self._referral_facts(fields)

    # -- assigned tasks (caseapp.services.tasks: the device's own rules) -----------------------
    def _task_edit(self, row: Row, name: str, value: JsonValue) -> None:
        """Only supervisors and administrators edit a task; its worker only finishes it; a task
        given to someone else must reach them. The value it holds already is no change (a
        create sent again by a device restored from a backup carries every field)."""
        if dumps(value) == dumps(row.fields.get(name)):
            return
        refused = tasks.may_change(self.who.role, self.who.user, row.fields, name, value)
        if refused:
            raise Rejected(refused, name)
        if name == "assignee":
            self._task_reaches(str(value), row.org_code)

    def _task_reaches(self, assignee: str, org_code: str) -> None:
        """The server knows every user's scope: a task its worker could never receive is refused."""
        reach = reach_of(self.conn, assignee)
        if reach is None:
            raise Rejected("task.assignee_unknown", "assignee", assignee=assignee)
        if not tasks.reaches(reach, org_code):
            raise Rejected("task.out_of_reach", "assignee", assignee=assignee)

    def _allowed(self, entity: str, row_id: str, name: str, result: JsonValue, *, edit: bool = True) -> JsonValue:
        """Scope, insert-only, uniqueness and reference checks of an already canonical value."""
        cls = entity_class(entity)
        if name in unique_fields(cls):
            holder = self._holders(entity, name).get(result)
            if holder is not None and holder != row_id:
                raise Rejected("sync.duplicate_value", name)
        if entity == "member" and name == "id_number" and isinstance(result, str) and result \
                and self._id_holder(result, row_id) is not None:
            # One person, one record (caseapp.services.members), judged in the pusher's scope: a
            # device learns nothing of people it cannot see.
            raise Rejected("sync.duplicate_id", name, value=result)
        if name == "org_code" and not self.who.covers(str(result)):
            raise Rejected("sync.out_of_scope", name)
        if edit and cls.insert_only and name not in ("archived", "org_code"):
            raise Rejected("sync.insert_only", name)
        target = references(cls).get(name)
        if target is not None and result is not None:
            parent = self.row(str(result))
            if parent is None or parent.entity != target or not self.who.covers(parent.org_code):
                raise Rejected("sync.parent_missing", name)
        return result

    def _create(self, op: Op, entity: str, value: dict[str, Any]) -> Outcome:
        cls = entity_class(entity)
        if entity == "task" and (refused := tasks.may_assign(self.who.role)):
            raise Rejected(refused)  # the role the server knows, as for a case's steps
        given = {k: v for k, v in value.items() if k not in STAMPED}
        out, clamped = checked(cls, {**given, "id": op.src.row_id}, now=self.now, partial=False)
        op.clamped = op.clamped or clamped
        fields: dict[str, JsonValue] = {**defaults(cls), **out}
        root_id = op.src.row_id
        moved_from: str | None = None
        ref = tree.parent_ref(cls, fields)
        parent_column = tree.parent_field(cls)
        if ref is not None:
            # It lives where the record it belongs to lives now (a member added offline to a
            # household that moved meanwhile follows it), if that record is this user's to add to.
            parent = self.row(ref[1])
            if parent is None or parent.entity != ref[0] or not (
                    self.who.covers(parent.org_code) or self._typed_in_scope(parent, op.src.base_pos)):
                claimed = fields.get("org_code")
                if isinstance(claimed, str) and not self.who.covers(claimed):
                    raise Rejected("sync.out_of_scope", "org_code")
                raise Rejected("sync.parent_missing", parent_column)
            claimed = fields.get("org_code")
            fields["org_code"] = parent.org_code
            root_id = parent.root_id or parent.id
            if isinstance(claimed, str) and claimed != parent.org_code:
                moved_from = claimed  # devices there hold it as created: they are told it left
        org = fields.get("org_code")
        if not isinstance(org, str) or (ref is None and not self.who.covers(org)):
            raise Rejected("sync.out_of_scope", "org_code")
        judged = judged_on_create(cls)  # the fields _allowed can refuse in a create: the rest pass as they are
        for name in given:
            if name not in judged or (ref is not None and name in (parent_column, "org_code")):
                continue
            self._allowed(entity, op.src.row_id, name, fields[name], edit=False)
        if entity == "task":
            self._task_reaches(str(fields.get("assignee") or ""), org)
        if entity == "disaster_report":
            self._series_allows(fields, parent if ref is not None else None)
        if entity == "case_payment" and ref is not None and parent is not None and (
                refused := payments.refusal(str(parent.fields.get("category") or ""))):
            raise Rejected(refused, parent_column)  # only a one-off case records payments
        if entity == "care_application":
            self._application_allows({**fields, "id": op.src.row_id})
        if entity == "household":
            self._placement_allows({**fields, "id": op.src.row_id})
        if entity == "assistance_case":
            home = parent if ref is not None else None
            self._across_allows({**fields, "id": op.src.row_id}, home, ACROSS_ON_CREATE)
            if self._across_refusal({**fields, "id": op.src.row_id}, home, ACROSS_AT_END) is not None:
                self.awaiting[op.src.row_id] = op.src.seq
        if entity == "referral":
            self._referral_create(fields)
        attachments.check_create(self.conn, self.who, entity, fields)  # content first, then the record
        row = Row(op.src.row_id, entity, org, {}, {}, 0, 0, op.device, new=True, root_id=root_id)
        # The server decides the stamps: who pushed it, from which device, and when: the time the
        # device gives, as far as the server trusts it (never ahead of the server's own clock, nor of
        # the operation's clamped stamp; a year no record can have is no time at all).
        stamp = self._stamp(op)
        if entity == "case_step":
            fields["handler_role"] = self.who.role  # the role the server knows, not the one claimed
        fields.update(id=row.id, author=op.author, device=op.device,
                      created_at=self._created_at(cls, value.get("created_at"), op), updated_at=stamp,
                      updated_by=op.author)
        row.fields = fields
        pos = self._log(row, fields, moved_from)
        row.created_pos = pos
        row.created_text = self.changes[-1]["fields"]  # a first push is mostly creates: dumped once
        row.meta = {CREATED: [pos, op.hlc, op.device, op.author]}
        self.rows[row.id] = row
        for name in unique_fields(cls):
            self._holders(entity, name)[fields.get(name)] = row.id
        self._hold(row)
        return Outcome(p.APPLIED, pos)

    def _stamp(self, op: Op) -> str:
        """``updated_at`` of a write: its stamp's time, never ahead of the server's clock."""
        return stamp_time(min(op.hlc, pack(self.now_ms)))

    def _created_at(self, cls: type[Record], claimed: Any, op: Op) -> str:
        latest = dt.datetime.fromtimestamp(min(physical_ms(op.hlc), self.now_ms) / 1000, dt.UTC)
        try:
            moment = parse_datetime(claimed) if isinstance(claimed, str) else None
        except (ValueError, OverflowError):
            moment = None
        if moment is None or moment.year < EARLIEST_YEAR or moment > latest:
            if moment is not None and moment > latest:
                op.clamped = True
            moment = latest
        return format_datetime(moment)

    def _holders(self, entity: str, name: str) -> dict[JsonValue, str]:
        """Which record holds each value of a unique field. Only reference data has unique fields
        (org units: a few thousand at most), so reading them all once per batch is cheap."""
        key = (entity, name)
        if key not in self.holders:
            r = schema.records.c
            found: dict[JsonValue, str] = {}
            for row_id, text in self.conn.execute(select(r.id, r.fields).where(r.entity == entity)):
                loaded = self.rows.get(row_id)
                value = loaded.fields.get(name) if loaded is not None else json.loads(text).get(name)
                found[value] = row_id
            for row in self.rows.values():  # created earlier in this batch, not yet flushed
                if row is not None and row.new and row.entity == entity:
                    found[row.fields.get(name)] = row.id
            self.holders[key] = found
        return self.holders[key]

    def _id_holder(self, number: str, own_id: str) -> str | None:
        """Another member record in the pusher's scope that holds this ID number, as this batch
        leaves them: stored ones by their indexed ``person_id`` column, those written in this batch
        by ``people`` (a first sync pushes thousands of members in one batch)."""
        if number not in self.stored_people:
            self.preload_people([number])
        stored = self.stored_people[number]
        for row_id in sorted({*stored, *self.people.get(number, ())} - {own_id}):
            row = self.rows.get(row_id)
            if row is not None and row.fields.get("id_number") != number:
                continue  # given another number in this batch
            if self.who.covers(row.org_code if row is not None else stored[row_id]):
                return row_id
        return None

    def preload_people(self, numbers: Sequence[str]) -> None:
        """The stored members holding these ID numbers, in a few queries rather than one per member."""
        wanted = sorted({n for n in numbers if n not in self.stored_people})
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            for number in chunk:
                self.stored_people[number] = {}
            for row_id, org, number in self.conn.execute(_PEOPLE, {"numbers": chunk}):
                self.stored_people[str(number)][str(row_id)] = str(org)

    def _hold(self, row: Row) -> None:
        number = row.fields.get("id_number") if row.entity == "member" else None
        if isinstance(number, str) and number:
            self.people.setdefault(number, set()).add(row.id)

    def _create_existing(self, op: Op, row: Row, value: dict[str, Any]) -> Outcome:
        """A create of a record the server already has (a device restored from a backup, say):
        its fields are treated as edits, so nothing written since is silently overwritten."""
        if not self.who.covers(row.org_code):
            raise Rejected("sync.id_unavailable")
        # the queue stamps are the server's as its steps left them (a restored copy's are older)
        kept = STAMPED | (frozenset(waitlist.STAMPS) if row.entity == "care_application" else frozenset())
        values = {k: self._checked(op, row, k, v, again=True) for k, v in value.items() if k not in kept}
        outcomes = [self._set(op, row, k, v) for k, v in values.items()]
        for verdict in (p.CONFLICT, p.MERGED):
            hit = next((o for o in outcomes if o.verdict == verdict), None)
            if hit is not None:
                return Outcome(verdict, row.pos, hit.conflict_id)
        return Outcome(p.APPLIED, row.pos)

    def _base(self, op: Op, row: Row) -> int:
        # A create's base is its parent's position (caseapp.store.journal), not the record's own.
        if op.src.base_pos is not None and op.src.op != "create":
            return op.src.base_pos
        # Never pulled: the device knows the record only if it created it itself.
        return row.created_pos if row.origin_device == op.device else 0

    def _set(self, op: Op, row: Row, name: str, value: JsonValue) -> Outcome:
        base = self._base(op, row)
        stored = row.fields.get(name)
        if dumps(stored) == dumps(value):
            return Outcome(p.APPLIED, row.pos)
        cls = entity_class(row.entity)
        if name == "org_code" and tree.follows_parent(cls, row.fields):
            raise Rejected("sync.moves_with_parent", name)
        if name == cls.state_field:
            self._check_move(cls, row, name, stored, value)
            if row.entity == "care_application" and self.step_stamps.get(op.src.seq, set()) is None:
                raise Rejected("care.stamped", name)  # a step whose stamps were refused
        if row.entity == "care_application" and name in waitlist.STAMPS:
            self._stamp_allows(op, row, name, value)
        meta = row.meta.get(name) or row.meta.get(CREATED) or [row.created_pos, 0, row.origin_device, ""]
        concurrent = meta[POS] > base and meta[DEVICE] != op.device
        if concurrent:
            wins = (op.hlc, op.device) > (meta[HLC], meta[DEVICE])
            if cls.insert_only:
                # Facts never conflict: the later stamp takes archived/org_code, nothing else changes.
                return Outcome(p.APPLIED, self._write(op, row, name, value)) if wins else Outcome(p.MERGED)
            base_value = self.value_at(row, name, base)
            mine = (value, op.author, op.device, op.hlc)
            theirs = (stored, meta[AUTHOR], meta[DEVICE], meta[HLC])
            winner, loser = (mine, theirs) if wins else (theirs, mine)
            conflict_id = self._conflict(row, name, base_value, winner, loser)
            if wins:
                self._stamp_step(op, row, name, stored, value)
                return Outcome(p.CONFLICT, self._write(op, row, name, value), conflict_id)
            self._log(row, {})  # the record moves on, so every device re-reads it with its conflict
            return Outcome(p.MERGED, row.pos, conflict_id)
        archived_meta = row.meta.get("archived")
        self._stamp_step(op, row, name, stored, value)
        pos = self._write(op, row, name, value)
        if cls.insert_only:
            return Outcome(p.APPLIED, pos)
        if name == "archived" and value is True:
            raced = [m for k, m in row.meta.items()
                     if k not in ("archived", CREATED, *SILENT_FIELDS) and m[POS] > base and m[DEVICE] != op.device
                     and m[POS] != row.created_pos]
            if raced:
                latest = max(raced, key=lambda m: m[POS])
                cid = self._conflict(row, "archived", False, (True, op.author, op.device, op.hlc),
                                     (False, latest[AUTHOR], latest[DEVICE], latest[HLC]))
                return Outcome(p.CONFLICT, pos, cid)
        elif (name != "archived" and row.archived and archived_meta is not None
              and archived_meta[POS] > base and archived_meta[DEVICE] != op.device):
            cid = self._conflict(row, "archived", False,
                                 (True, archived_meta[AUTHOR], archived_meta[DEVICE], archived_meta[HLC]),
                                 (False, op.author, op.device, op.hlc))
            return Outcome(p.CONFLICT, pos, cid)
        return Outcome(p.APPLIED, pos)

    def _check_move(self, cls: type[Record], row: Row, name: str, stored: JsonValue, target: JsonValue) -> None:
        """A state changes only by a move its workflow allows from the state the server holds, with
        the same guards the device applies; a move two devices raced into, refused here, stays on
        the device with its reason. A value one side of an open conflict on this field held is a
        resolution, and may be restored whatever the workflow says."""
        machine = machine_for(cls.entity)
        if machine is None:
            return
        if state_fixed(cls):
            raise Rejected("workflow.stage_fixed", name)
        subject: Any = RowView(cls, row.fields)
        if cls.entity == "assistance_case":
            subject = evidence.Evidence(subject, evidence.facts_of(row.id, self._family_fields(
                row, ("verification", "investigation"))))
        try:
            machine.check(str(stored), str(target), subject, name, role=self.who.role)
            if cls.entity == "care_application" and target == "offered":
                turn = waitlist.out_of_turn(self._queue_place(row), subject)
                if turn is not None:
                    raise turn
        except WorkflowError as refused:
            if not self._resolving(row, name, target):
                raise Rejected(refused.key, name, **refused.params) from None

    def _stamp_allows(self, op: Op, row: Row, name: str, value: JsonValue) -> None:
        """A queue stamp is written only by the step it comes with (the device journals a step's
        stamps in the step's transaction, just before the step), and only as that step stamps it
        (``waitlist.stamps``) on a day between the application's last stamp and the server's today:
        a stamp typed, or stamped otherwise (a queue date moved back to jump the queue), is refused
        as the device refuses it, and so is every stamp of a step the server refuses."""
        cls = entity_class(row.entity)
        state = str(cls.state_field)
        step = self.steps.get(op.src.seq)
        if step is None:
            raise Rejected("care.stamped", name)
        key, target = step
        current = row.fields.get(state)
        written = self.step_stamps.setdefault(key, set())
        try:
            self._check_move(cls, row, state, current, target)
            before = RowView(cls, self.before_step.setdefault(key, dict(row.fields)))
            if not waitlist.stamp_allowed(before, str(current), target, name, from_wire(cls, name, value),
                                          earliest=self._step_floor(before), latest=self.today):
                raise Rejected("care.stamped", name)
        except Rejected:
            self.step_stamps[key] = None
            raise
        if written is not None:
            written.add(name)

    def _stamp_step(self, op: Op, row: Row, name: str, current: JsonValue, target: JsonValue) -> None:
        """As a care application's step is written: the stamps it makes that its transaction did
        not bring are stamped here, as the device would have (a step pushed without its queue date
        keeps no place it has lost), on the step's own day as far as the server trusts it."""
        cls = entity_class(row.entity)
        if row.entity != "care_application" or name != cls.state_field:
            return
        key = op.src.seq
        written = self.step_stamps.get(key) or set()
        before = RowView(cls, self.before_step.get(key) or dict(row.fields))
        floor = self._step_floor(before)
        day = min(max(dt.datetime.fromtimestamp(physical_ms(op.hlc) / 1000, CITY_TZ).date(), floor), self.today)
        for stamp, value in waitlist.stamps(before, str(current), str(target), day).items():
            wire = to_wire(cls, stamp, value)
            if stamp not in written and dumps(row.fields.get(stamp)) != dumps(wire):
                self._write(op, row, stamp, wire)

    @staticmethod
    def _step_floor(application: Any) -> dt.date:
        """No step of an application is taken before its last stamp, nor before it was made."""
        days = [d for d in (waitlist.last_stamped(application), getattr(application, "applied_on", None))
                if isinstance(d, dt.date)]
        return max(days, default=dt.date.min)

    def _queue_place(self, row: Row) -> int | None:
        """The application's place in its facility's queue over every device's applications (a
        device sees only its own scope's), as this batch leaves them."""
        r = schema.records.c
        self.preload(self.conn.execute(select(r.id).where(r.entity == "care_application", r.archived.is_(False)))
                     .scalars().all())
        found = [x for x in self.rows.values() if x is not None and x.entity == "care_application"]
        self.preload([str(x.fields.get("member_id") or "") for x in found])  # their elders' birth dates
        applications = [{**x.fields, "id": x.id, "archived": x.archived, "born": waitlist.born_of(
            elder.fields if (elder := self.rows.get(str(x.fields.get("member_id") or ""))) is not None else None)}
            for x in found]
        return waitlist.queue(applications, on=self.today).get(row.id)

    def _resolving(self, row: Row, name: str, value: JsonValue) -> bool:
        wanted = dumps(value)
        c = schema.conflicts.c
        pending = [x for x in self.new_conflicts if x["row_id"] == row.id and x["field"] == name]
        stored = self.conn.execute(select(c.winner_value, c.loser_value).where(
            c.row_id == row.id, c.field == name, c.status == "open")).all()
        return any(wanted in (x["winner_value"], x["loser_value"]) for x in pending) or any(
            wanted in (w, lo) for w, lo in stored)

    def _write(self, op: Op, row: Row, name: str, value: JsonValue) -> int:
        old_org = row.org_code if name == "org_code" and value != row.org_code else None
        if name in unique_fields(entity_class(row.entity)):
            held = self._holders(row.entity, name)
            if held.get(row.fields.get(name)) == row.id:
                del held[row.fields.get(name)]
            held[value] = row.id
        row.fields[name] = value
        if name == "id_number":
            self._hold(row)
        if name == "org_code":
            row.org_code = str(value)
        row.fields["updated_at"] = self._stamp(op)
        row.fields["updated_by"] = op.author
        pos = self._log(row, {name: value}, old_org)
        row.meta[name] = [pos, op.hlc, op.device, op.author]
        if name == "org_code" and old_org is not None:
            for member in self._subtree(row):
                self._follow(op, member, row.org_code, row.root_id or row.id)
        elif name == tree.parent_field(entity_class(row.entity)):
            self._rehome(op, row)
        return pos

    # -- trees (caseapp.domain.tree) ----------------------------------------------------------
    def _subtree(self, top: Row) -> list[Row]:
        """Every record below ``top`` in its tree, from the store and this batch."""
        root_id = top.root_id or top.id
        r = schema.records.c
        self.preload(self.conn.execute(select(r.id).where(r.root_id == root_id)).scalars().all())
        family = {x.id: x for x in self.rows.values() if x is not None and (x.root_id or x.id) == root_id}
        below: dict[str, list[Row]] = {}
        for x in family.values():
            ref = tree.parent_ref(entity_class(x.entity), x.fields)
            if ref is not None and x.id != top.id:
                below.setdefault(ref[1], []).append(x)
        found: list[Row] = []
        frontier = [top.id]
        while frontier:
            reached = [x for i in frontier for x in below.get(i, []) if x not in found]
            found += reached
            frontier = [x.id for x in reached]
        return found

    def _family_fields(self, row: Row, entities: tuple[str, ...]) -> list[tuple[str, dict[str, Any]]]:
        """(entity, fields) of the records of these types in ``row``'s tree, as this batch leaves them."""
        root_id = row.root_id or row.id
        wanted = [e for e in entities if (root_id, e) not in self.family_loaded]
        if wanted:
            self.preload_families([root_id], wanted)
        return [(x.entity, x.fields) for x in self.rows.values()
                if x is not None and x.entity in entities and (x.root_id or x.id) == root_id]

    def look_ahead(self, ops: Sequence[p.PushOp]) -> None:
        """The values this batch's sets give the fields JUDGED_WITH names, those the field's own
        rules accept (each is judged again, whole, when its own operation is applied)."""
        wanted = {(entity, f) for (entity, _), names in JUDGED_WITH.items() for f in names}
        stamped: dict[tuple[str, str], list[int]] = {}
        for o in sorted(ops, key=lambda o: o.seq):
            if o.op == "set" and o.entity == "care_application" and o.field in waitlist.STAMPS:
                stamped.setdefault((o.row_id, o.tx_id), []).append(o.seq)
            elif o.op == "set" and o.entity == "care_application" and o.field == "status":
                for seq in stamped.pop((o.row_id, o.tx_id), []):
                    self.steps[seq] = (o.seq, str(o.value))
            if o.op != "set" or (o.entity, o.field) not in wanted:
                continue
            name = str(o.field)
            try:
                out, _ = checked(entity_class(o.entity), {name: o.value}, now=self.now, partial=True)
            except Rejected:
                continue
            self.later[(o.row_id, name)] = out[name]

    def preload_families(self, roots: Sequence[str], entities: Sequence[str]) -> None:
        """The stored records of these types in these trees, in a few queries rather than one per tree."""
        wanted = sorted({root for root in roots if any((root, e) not in self.family_loaded for e in entities)})
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            self.preload(self.conn.execute(_FAMILIES, {"roots": chunk, "entities": list(entities)}).scalars().all())
            self.family_loaded.update((root, e) for root in chunk for e in entities)

    def _follow(self, op: Op, row: Row, org: str, root_id: str) -> None:
        """A record moves with the tree it belongs to: the same place, logged as this operation's."""
        row.root_id = root_id
        if row.org_code == org:
            row.dirty = True
            return
        old_org = row.org_code
        row.fields["org_code"] = row.org_code = org
        row.fields["updated_at"] = self._stamp(op)
        row.fields["updated_by"] = op.author
        pos = self._log(row, {"org_code": org}, old_org)
        row.meta["org_code"] = [pos, op.hlc, op.device, op.author]

    def _rehome(self, op: Op, row: Row) -> None:
        """A record given another parent (a member moving to another household) joins that tree,
        with everything below it; with no parent it becomes a root where it is."""
        below = self._subtree(row)
        ref = tree.parent_ref(entity_class(row.entity), row.fields)
        parent = self.row(ref[1]) if ref is not None else None
        org, root_id = (parent.org_code, parent.root_id or parent.id) if parent is not None else (row.org_code, row.id)
        for member in (row, *below):
            self._follow(op, member, org, root_id)

    def _typed_in_scope(self, row: Row, base: int | None) -> bool:
        """Was ``row`` this user's when the device last read it (at log position ``base``): in the
        reach the user had then, where the record was then? Evidence only the device that read it
        holds, so an edit typed in good faith offline is recognised after a move or a scope change."""
        if base is None or base <= 0 or base > row.pos:
            return False
        org = self.value_at(row, "org_code", base)
        if not isinstance(org, str):
            return False
        then = prefixes_at(self.conn, self.who.user, base)
        reach = then if then is not None else self.who.prefixes
        return any(org.startswith(prefix) for prefix in reach)

    def _propose(self, op: Op, row: Row, name: str, value: Any) -> Outcome:
        """An edit of a record now out of the pusher's scope, typed while it was theirs: judged by
        the same rules, then kept as a conflict for the record's holder to settle (never applied
        unseen: the pusher no longer answers for the record). The device learns nothing new."""
        cls = entity_class(row.entity)
        if cls.insert_only or name in unique_fields(cls) or name in references(cls):
            raise Rejected("sync.id_unavailable")
        value = self._checked(op, row, name, value)
        stored = row.fields.get(name)
        if dumps(stored) == dumps(value):
            return Outcome(p.APPLIED, row.pos)
        if name == cls.state_field:
            self._check_move(cls, row, name, stored, value)
        meta = row.meta.get(name) or row.meta.get(CREATED) or [row.created_pos, 0, row.origin_device, ""]
        cid = self._conflict(row, name, self.value_at(row, name, op.src.base_pos or 0),
                             (stored, meta[AUTHOR], meta[DEVICE], meta[HLC]), (value, op.author, op.device, op.hlc))
        self._log(row, {})  # the holders re-read the record with its conflict
        return Outcome(p.MERGED, row.pos, cid)

    def _conflict(self, row: Row, name: str, base: JsonValue, winner: tuple[Any, ...],
                  loser: tuple[Any, ...]) -> str:
        cid = new_id()
        self.new_conflicts.append({
            "id": cid, "entity": row.entity, "row_id": row.id, "field": name, "org_code": row.org_code,
            "base_value": dumps(base), "winner_value": dumps(winner[0]), "loser_value": dumps(loser[0]),
            "winner_author": winner[1], "loser_author": loser[1], "winner_device": winner[2],
            "loser_device": loser[2], "winner_hlc": winner[3], "loser_hlc": loser[3],
            "created_ms": self.now_ms, "status": "open", "resolved_by": None, "resolution": None,
        })
        return cid

    def _resolve(self, op: Op) -> Outcome:
        cid = op.src.row_id
        found = next((c for c in self.new_conflicts if c["id"] == cid), None)
        if found is None:
            record = self.conn.execute(select(schema.conflicts).where(schema.conflicts.c.id == cid)).first()
            found = dict(record._mapping) if record is not None else None
        if found is None:
            raise Rejected("sync.unknown_conflict")
        row = self.row(found["row_id"])
        answering = row is not None and self._receives_only(row) and found["field"] in referrals.ANSWERED
        if row is None or not (self.who.covers(row.org_code) or answering):
            raise Rejected("sync.unknown_conflict")
        # The value chosen is a value of the conflict's field: the device's rules judge it like any.
        cls = entity_class(found["entity"])
        field_name = str(found["field"])
        out, _ = checked(cls, {field_name: op.src.value}, now=self.now, partial=True, current=row.fields)
        change = {"status": "resolved", "resolved_by": op.author, "resolution": dumps(out[field_name])}
        found.update(change)
        if not any(c is found for c in self.new_conflicts):
            self.resolved[cid] = change
        return Outcome(p.APPLIED, self._log(row, {}))

    # -- writing it all -----------------------------------------------------------------------
    def flush(self) -> None:
        dirty = [r for r in self.rows.values() if r is not None and r.dirty]
        fresh = [_record_values(r) for r in dirty if r.new]
        if fresh:
            self.conn.execute(_INSERT_RECORDS, fresh)
        old = [{**_record_values(r), "b_id": r.id} for r in dirty if not r.new]
        if old:
            names = ("b_id", *UPDATED)
            self.conn.execute(_UPDATE_RECORDS, [{k: o[k] for k in names} for o in old])
        if self.changes:
            self.conn.execute(_INSERT_CHANGES, self.changes)
        if self.new_conflicts:
            self.conn.execute(_INSERT_CONFLICTS, self.new_conflicts)
        for cid, change in self.resolved.items():
            self.conn.execute(update(schema.conflicts).where(schema.conflicts.c.id == cid).values(**change))
        for r in dirty:
            r.new = r.dirty = False
        self.changes, self.new_conflicts, self.resolved = [], [], {}


UPDATED = ("org_code", "fields", "meta", "pos", "archived", "root_id", "person_id", "shared_org")

# The statements every push runs, built once (building one and working out its cache key cost about
# as much CPU as running it: a one-field push ran a dozen).
_R = schema.records.c
_BY_ID = select(schema.records).where(_R.id.in_(bindparam("ids", expanding=True)))
_PEOPLE = select(_R.id, _R.org_code, _R.person_id).where(_R.person_id.in_(bindparam("numbers", expanding=True)),
                                                         _R.entity == "member")
_FAMILIES = select(_R.id).where(_R.root_id.in_(bindparam("roots", expanding=True)),
                                _R.entity.in_(bindparam("entities", expanding=True)))
_LEDGER = select(schema.ledger).where(schema.ledger.c.device_id == bindparam("device"),
                                      schema.ledger.c.seq.in_(bindparam("seqs", expanding=True)))
_INSERT_RECORDS = insert(schema.records)
_UPDATE_RECORDS = update(schema.records).where(_R.id == bindparam("b_id")).values({k: bindparam(k) for k in UPDATED})
_INSERT_CHANGES = insert(schema.changes)
_INSERT_CONFLICTS = insert(schema.conflicts)
_INSERT_LEDGER = insert(schema.ledger)


def _record_values(row: Row) -> dict[str, Any]:
    number = row.fields.get("id_number") if row.entity == "member" else None
    text = row.created_text if row.created_text is not None and row.pos == row.created_pos else dumps(row.fields)
    return {"id": row.id, "entity": row.entity, "org_code": row.org_code, "fields": text,
            "meta": json.dumps(row.meta, separators=(",", ":")), "pos": row.pos, "created_pos": row.created_pos,
            "origin_device": row.origin_device, "archived": row.archived, "root_id": row.root_id or row.id,
            "person_id": number if isinstance(number, str) and number else None, "shared_org": row.shared_org}


def _text(value: JsonValue) -> str | None:
    return value if isinstance(value, str) else None


#: what a looked-ahead value must look like to be looked up at all: the values are as sent, not yet
#: judged (a hostile device's may hold NUL, which PostgreSQL refuses in a query); any other value is
#: judged, and refused, when its operation is applied
_AN_ID = re.compile(r"[A-Za-z0-9_-]{1,36}")
_A_NUMBER = re.compile(r"[0-9]{17}[0-9Xx]")


def _records_named(ops: Sequence[p.PushOp]) -> list[str]:
    """Records these creates and edits point at: their references (checked by ``_allowed``) and
    a create's parent (its tree, which may be any record type: an attachment's owner)."""
    found = []
    for o in ops:
        cls = ENTITIES.get(o.entity)
        if cls is None:
            continue
        targets = references(cls)
        if o.op == "create" and isinstance(o.value, dict):
            found += [v for k, v in o.value.items() if k in targets and isinstance(v, str)]
            ref = tree.parent_ref(cls, o.value)
            if ref is not None and isinstance(ref[1], str):
                found.append(ref[1])
        elif o.op == "set" and o.field in targets and isinstance(o.value, str):
            found.append(o.value)
    return [v for v in found if _AN_ID.fullmatch(v)]


def _case_homes(batch: Batch, ops: Sequence[p.PushOp]) -> list[str]:
    """The trees of the households these operations create cases in (one created in the same push
    is a tree with nothing stored)."""
    named = [str(o.value.get("household_id")) for o in ops
             if o.entity == "assistance_case" and o.op == "create" and isinstance(o.value, dict)]
    found = []
    for home_id in named:
        if _AN_ID.fullmatch(home_id):
            home = batch.rows.get(home_id)
            found.append(home.root_id or home.id if home is not None else home_id)
    return found


def _numbers_named(ops: Sequence[p.PushOp]) -> list[str]:
    """ID numbers that members created or edited in these operations claim, as sent (a number the
    rules rewrite is read when it is judged)."""
    found = []
    for o in ops:
        if o.entity != "member":
            continue
        number = o.value.get("id_number") if o.op == "create" and isinstance(o.value, dict) else (
            o.value if o.op == "set" and o.field == "id_number" else None)
        if isinstance(number, str) and _A_NUMBER.fullmatch(number):
            found.append(number)
    return found


#: what the device writes itself when it takes an echo's verdict (``sync.outbox.record_verdicts``)
ECHO_STAMPED = frozenset({"updated_at"})


def echo(batch: Batch, op: Op, outcome: Outcome, logged: Sequence[dict[str, Any]]) -> bool:
    """Did the server take this operation exactly as the device sent it, so that the device, once it
    writes the verdict's position and the operation's own stamp, holds the record as the server does?

    Only one change logged, of this record, at the verdict's position; no conflict; no clamped
    clock; the server's stamps those the device computes (its author, the operation's time); and
    the change's fields the operation's own value: for a set, the one field as sent; for a create,
    every field of the record as the device wrote it, compared as the canonical text the create
    logged (none the server filled in, moved or re-stamped). Anything else, a move that takes a
    tree along, a stamp the server added, a value the rules normalised, is not an echo, and the
    pull sends the record back as it always did."""
    src = op.src
    if outcome.verdict != p.APPLIED or outcome.pos is None or op.clamped or src.author != op.author:
        return False
    if len(logged) != 1 or logged[0]["pos"] != outcome.pos or logged[0]["row_id"] != src.row_id \
            or logged[0]["old_org_code"] is not None:
        return False
    row = batch.rows.get(src.row_id)
    if row is None or row.pos != outcome.pos or row.fields.get("updated_at") != stamp_time(src.hlc) \
            or row.fields.get("updated_by") != src.author:
        return False
    if not batch.who.covers(row.org_code):
        return False  # held only as shared (a referral's receiving centre): its copy is the shared view
    if src.op == "set":
        return logged[0]["fields"] == dumps({src.field: src.value})
    if src.op != "create" or not isinstance(src.value, dict):
        return False
    # one canonical text against the one the create logged (the record's whole state)
    return logged[0]["fields"] == dumps({**src.value, **{k: row.fields.get(k) for k in ECHO_STAMPED}})


def clamp(hlc: int, now_ms: int) -> tuple[int, bool]:
    limit = pack(now_ms + p.MAX_CLOCK_AHEAD_MS)
    return (limit, True) if hlc > limit else (hlc, False)


def _apply(conn: Connection, who: Principal, ops: Sequence[p.PushOp], stored: dict[int, p.Verdict],
           hashes: dict[int, str], now_ms: int, forced: dict[int, Rejected],
           ) -> tuple[Batch, list[p.Verdict], list[dict[str, Any]]]:
    """One pass over a batch, ``forced`` refused as they are: the batch, its verdicts and ledger rows."""
    batch = Batch(conn, who, now_ms)
    fresh = [o for o in ops if o.op != "resolve" and o.seq not in stored]
    # The records these operations touch and the parents their creates name, in a few queries
    # rather than one per create (a first push is mostly creates of children).
    batch.preload([o.row_id for o in fresh] + _records_named(fresh))
    batch.preload_people(_numbers_named(fresh))
    batch.preload_families(_case_homes(batch, fresh), CASE_FAMILY)  # what a case's checks read
    batch.look_ahead(fresh)
    ledger_rows: list[dict[str, Any]] = []
    verdicts: list[p.Verdict] = []
    for src in sorted(ops, key=lambda o: o.seq):
        if src.seq in stored:
            verdicts.append(stored[src.seq])
            continue
        hlc, clamped = clamp(src.hlc, now_ms)
        op = Op(src, hlc, clamped, who.device_id, who.user)
        logged, conflicted = len(batch.changes), len(batch.new_conflicts)
        try:
            if src.seq in forced:
                raise forced[src.seq]
            outcome = batch.apply(op)
            verdict = p.Verdict(seq=src.seq, verdict=outcome.verdict, pos=outcome.pos, clamped=clamped,
                                conflict_id=outcome.conflict_id)
            if len(batch.new_conflicts) == conflicted and echo(batch, op, outcome, batch.changes[logged:]):
                batch.changes[-1].update(echo_device=who.device_id, echo_seq=src.seq)
                verdict.echo = True
        except Rejected as refused:
            verdict = p.Verdict(seq=src.seq, verdict=p.REJECTED, reason=refused.reason, field=refused.field,
                                params=refused.params, clamped=op.clamped)
        else:
            verdict.clamped = op.clamped
        verdicts.append(verdict)
        if verdict.reason in NOT_KNOWN_HERE:
            continue  # not a verdict on the operation: sent again once this server knows the field
        stored[src.seq] = verdict
        detail = {"field": verdict.field, "params": verdict.params} if verdict.field or verdict.params else None
        ledger_rows.append({"device_id": who.device_id, "seq": src.seq, "verdict": verdict.verdict,
                            "reason": verdict.reason, "pos": verdict.pos, "clamped": verdict.clamped,
                            "conflict_id": verdict.conflict_id, "at_ms": now_ms,
                            "detail": json.dumps(detail, ensure_ascii=False) if detail else None,
                            "op_hash": hashes[src.seq], "echo": verdict.echo})
    return batch, verdicts, ledger_rows


def push(conn: Connection, who: Principal, ops: Sequence[p.PushOp], now_ms: int) -> list[p.Verdict]:
    """Apply a batch (caller holds the ordered write transaction); replays get their stored verdicts.

    A replay is the same operation under the same (device, sequence number). A different one under
    a number the ledger holds comes from an older copy of this device (a workspace restored from a
    backup or a folder copy) whose numbers have parted from the ones the server saw: answering it
    with the stored verdicts would tell the copy its new edits were applied when they exist nowhere.
    The whole batch is refused (409 ``sync.device_diverged``) and the copy carries on as a device
    of its own (``auth.fork_device``)."""
    seqs = sorted({o.seq for o in ops})
    hashes = {o.seq: op_hash(o) for o in ops}
    stored: dict[int, p.Verdict] = {}
    for start in range(0, len(seqs), 500):
        chunk = seqs[start:start + 500]
        for r in conn.execute(_LEDGER, {"device": who.device_id, "seqs": chunk}):
            if r.op_hash is not None and r.op_hash != hashes[r.seq]:
                raise ApiError(409, "sync.device_diverged")
            stored[r.seq] = verdict_of(r)  # as /push/verdicts answers it
    # A create that ACROSS_AT_END still refuses once the whole batch is applied is refused as any
    # operation is: the batch (nothing of it written yet) is applied again with it refused, so what
    # builds on it is judged without it. Only a hostile or broken push takes a second pass.
    forced: dict[int, Rejected] = {}
    while True:
        batch, verdicts, ledger_rows = _apply(conn, who, ops, dict(stored), hashes, now_ms, forced)
        late = {seq: refused for seq, refused in batch.late_refusals().items() if seq not in forced}
        if not late:
            break
        forced.update(late)
    batch.flush()
    if ledger_rows:
        conn.execute(_INSERT_LEDGER, ledger_rows)
    return verdicts
