"""The sync outbox (changes waiting for the server, or refused by it) and open conflicts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session as DbSession

from caseapp.services import display
from caseapp.services.whose import Whose, whose
from caseapp.store.hlc import physical_ms
from caseapp.store.tables import CONFLICT, HELD, MERGED, PENDING, REJECTED, SENT
from ui.adapters import sync
from ui.format import fmt_datetime
from ui.models.listed import ListTableModel
from ui.qt import QCoreApplication


@dataclass(frozen=True)
class OutboxRow:
    seq: int
    entity: str
    row_id: str
    op: str
    field: str | None
    value: str
    state: str
    reason: str | None
    detail: str | None = None


#: Which state a record's row shows when its changes are in several: what needs the user first.
_SHOWN_FIRST = (REJECTED, HELD, CONFLICT, SENT, PENDING, MERGED)


@dataclass(frozen=True)
class OutboxGroup:
    """The changes waiting for one record, in the order they were made."""

    entity: str
    row_id: str
    changes: tuple[OutboxRow, ...]
    whose: Whose = dataclasses.field(default_factory=Whose)

    @property
    def state(self) -> str:
        states = {c.state for c in self.changes}
        return next((s for s in _SHOWN_FIRST if s in states), self.changes[0].state)

    @property
    def seq(self) -> int:
        return self.changes[0].seq


def group_by_record(changes: list[OutboxRow]) -> list[tuple[str, str, list[OutboxRow]]]:
    """(entity, id, its changes) for each record, in the order each record was first changed."""
    groups: dict[tuple[str, str], list[OutboxRow]] = {}
    for change in changes:
        groups.setdefault((change.entity, change.row_id), []).append(change)
    return [(entity, row_id, rows) for (entity, row_id), rows in groups.items()]


class OutboxModel(ListTableModel[OutboxGroup]):
    """One row per record, however many of its fields changed: a new household typed with its
    twelve fields and then corrected twice is one line saying what is waiting for it."""

    RECORD, CHANGE, VALUE, STATE, REASON = range(5)

    def headers(self) -> list[str]:
        return [self.tr("Record"), self.tr("Changes"), self.tr("Values"), self.tr("State"), self.tr("Reason")]

    def states(self) -> dict[str, str]:
        return {PENDING: self.tr("Waiting"), SENT: self.tr("Sent, awaiting reply"), REJECTED: self.tr("Rejected"),
                MERGED: self.tr("Merged"), CONFLICT: self.tr("Conflict"), HELD: self.tr("Held on this device")}

    def load(self, db: DbSession) -> list[OutboxGroup]:
        changes = [OutboxRow(e.seq, e.entity, e.row_id, e.op, e.field, e.value, e.state, e.reason, e.reason_detail)
                   for e in sync.outbox(db)]
        return [OutboxGroup(entity, row_id, tuple(rows), whose(db, entity, row_id) if entity != "conflict"
                            else Whose())
                for entity, row_id, rows in group_by_record(changes)]

    def change_name(self, row: OutboxRow) -> str:
        if row.op == "create":
            return self.tr("New record")
        if row.op == "resolve":
            return self.tr("Conflict resolved")
        return display.field_name(row.entity, row.field, self.reader.core_lang)

    def display(self, group: OutboxGroup, column: int) -> Any:
        lang = self.reader.core_lang
        sep = "、" if lang == "zh" else ", "
        if column == self.RECORD:
            if group.entity == "conflict":
                return self.tr("Conflict")
            return record_words(group.entity, group.whose, lang)
        if column == self.CHANGE:
            return sep.join(dict.fromkeys(self.change_name(c) for c in group.changes))
        if column == self.VALUE:
            # What each change carried, so a refused one can be typed again or kept elsewhere.
            return "; ".join(
                display.change_text(c.entity, c.op, c.field, _decode(c.value), lang, full=c.state in (REJECTED, HELD))
                for c in group.changes)
        if column == self.STATE:
            return self.states().get(group.state, group.state)
        # Refusals arrive as message keys (with the field and parameters) from the server; say them
        # in the UI language.
        reasons = (display.refusal(c.entity, c.reason, c.detail, lang) for c in group.changes if c.reason)
        return "; ".join(dict.fromkeys(r for r in reasons if r))

    def warn(self, group: OutboxGroup) -> bool:
        return group.state in (REJECTED, HELD)


@dataclass(frozen=True)
class ConflictRow:
    id: str
    entity: str
    row_id: str
    field: str
    base: Any
    mine: Any
    theirs: Any
    my_author: str
    their_author: str
    my_time: dt.datetime
    their_time: dt.datetime
    created_at: dt.datetime
    #: whether the value in force now (the server's default pick) is mine
    mine_won: bool
    #: whose record it is: the household (to open it) and the person it is about
    whose: Whose = dataclasses.field(default_factory=Whose)


def record_words(entity: str, who: Whose, lang: str) -> str:
    """A record as people know it: whose household, which person, what kind (王芳户 · 李强 · 家庭成员)."""
    parts = []
    if who.head_name:
        parts.append(QCoreApplication.translate("Conflicts", "%1's household").replace("%1", who.head_name))
    if who.person and (who.person != who.head_name or entity == "member"):
        parts.append(who.person)
    if entity != "household" or not who.head_name:  # 王芳户 says enough for the household itself
        parts.append(display.entity_name(entity, lang))
    return " · ".join(parts)


def _when(hlc: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(physical_ms(hlc) / 1000, dt.UTC)


def _decode(value: str | None) -> Any:
    if value is None:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return value


class ConflictsModel(ListTableModel[ConflictRow]):
    RECORD, FIELD, BASE, MINE, THEIRS, WHEN = range(6)

    def __init__(self, reader: Any, device_id: str = "", parent: Any = None) -> None:
        super().__init__(reader, parent)
        self.device_id = device_id

    def headers(self) -> list[str]:
        return [self.tr("Record"), self.tr("Field"), self.tr("Before"), self.tr("Mine"), self.tr("Theirs"),
                self.tr("When")]

    def load(self, db: DbSession) -> list[ConflictRow]:
        rows = []
        for c in sync.open_conflicts(db):
            # As sync.conflicts decides: "mine" is this device's side when it was one of the two,
            # otherwise the value in force.
            mine_won = c.loser_device != self.device_id
            winner = (c.winner_value, c.winner_author, _when(c.winner_hlc))
            loser = (c.loser_value, c.loser_author, _when(c.loser_hlc))
            mine, theirs = (winner, loser) if mine_won else (loser, winner)
            rows.append(ConflictRow(c.id, c.entity, c.row_id, c.field, _decode(c.base_value), _decode(mine[0]),
                                    _decode(theirs[0]), mine[1], theirs[1], mine[2], theirs[2], c.created_at,
                                    mine_won, whose(db, c.entity, c.row_id)))
        return rows

    def display(self, row: ConflictRow, column: int) -> Any:
        lang = self.reader.core_lang
        if column == self.RECORD:
            return record_words(row.entity, row.whose, lang)
        if column == self.FIELD:
            return display.field_name(row.entity, row.field, lang)
        if column == self.WHEN:
            return fmt_datetime(row.created_at)
        value = (row.base, row.mine, row.theirs)[column - self.BASE]
        return display.value_text(row.entity, row.field, value, lang)
