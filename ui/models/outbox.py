"""The sync outbox (changes waiting for the server, or refused by it) and open conflicts."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session as DbSession

from caseapp.services import display
from caseapp.store.hlc import physical_ms
from caseapp.store.tables import CONFLICT, HELD, MERGED, PENDING, REJECTED, SENT
from ui.adapters import sync
from ui.format import fmt_datetime
from ui.models.listed import ListTableModel


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


class OutboxModel(ListTableModel[OutboxRow]):
    SEQ, RECORD, CHANGE, VALUE, STATE, REASON = range(6)

    def headers(self) -> list[str]:
        return [self.tr("No."), self.tr("Record"), self.tr("Change"), self.tr("Value"), self.tr("State"),
                self.tr("Reason")]

    def states(self) -> dict[str, str]:
        return {PENDING: self.tr("Waiting"), SENT: self.tr("Sent, awaiting reply"), REJECTED: self.tr("Rejected"),
                MERGED: self.tr("Merged"), CONFLICT: self.tr("Conflict"), HELD: self.tr("Held on this device")}

    def load(self, db: DbSession) -> list[OutboxRow]:
        return [OutboxRow(e.seq, e.entity, e.row_id, e.op, e.field, e.value, e.state, e.reason, e.reason_detail)
                for e in sync.outbox(db)]

    def display(self, row: OutboxRow, column: int) -> Any:
        if column == self.SEQ:
            return row.seq
        lang = self.reader.core_lang
        if column == self.RECORD:
            return display.entity_name(row.entity, lang) if row.entity != "conflict" else self.tr("Conflict")
        if column == self.CHANGE:
            if row.op == "create":
                return self.tr("New record")
            if row.op == "resolve":
                return self.tr("Conflict resolved")
            return display.field_name(row.entity, row.field, lang)
        if column == self.VALUE:
            # What the change carried, so a refused one can be typed again or kept elsewhere.
            return display.change_text(row.entity, row.op, row.field, _decode(row.value), lang,
                                       full=row.state in (REJECTED, HELD))
        if column == self.STATE:
            return self.states().get(row.state, row.state)
        # Refusals arrive as message keys (with the field and parameters) from the server; say them
        # in the UI language.
        return display.refusal(row.entity, row.reason, row.detail, lang)

    def warn(self, row: OutboxRow) -> bool:
        return row.state in (REJECTED, HELD)


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
                                    mine_won))
        return rows

    def display(self, row: ConflictRow, column: int) -> Any:
        lang = self.reader.core_lang
        if column == self.RECORD:
            return display.entity_name(row.entity, lang)
        if column == self.FIELD:
            return display.field_name(row.entity, row.field, lang)
        if column == self.WHEN:
            return fmt_datetime(row.created_at)
        value = (row.base, row.mine, row.theirs)[column - self.BASE]
        return display.value_text(row.entity, row.field, value, lang)
