"""The server's merge rules, exercised directly (no HTTP): deterministic winners whatever the order
of arrival, base values from the log, insert-only facts, clamping."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from caseapp.store.hlc import pack
from sync import protocol as p
from sync.server import merge, schema
from sync.server.auth import Principal
from sync.server.db import Database

from .server_template import sqlite_at_head

ORG = "44010500100101"
NOW = 1_800_000_000_000


def who(device: str) -> Principal:
    return Principal(f"user-{device}", "admin", device, ("",))


def rid(name: str) -> str:
    """A stable record id (a UUID, as the server requires) for a short name used in a test."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))


def op(seq: int, op_: str, row: str, *, field: str | None = None, value: Any = None, base: int | None = None,
       hlc: int = pack(NOW), entity: str = "household") -> p.PushOp:
    if op_ == "create" and entity == "household":
        value = {"address": "一号", **value}  # required on every household, as on the device's form
    return p.PushOp(seq=seq, entity=entity, row_id=rid(row), op=op_, field=field, value=value, base_pos=base, hlc=hlc)  # type: ignore[arg-type]


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return sqlite_at_head(tmp_path / "s.db")


def push(db: Database, device: str, *ops: p.PushOp) -> list[p.Verdict]:
    with db.write(ordered=True) as conn:
        return merge.push(conn, who(device), list(ops), NOW)


def state(db: Database) -> tuple[dict[str, Any], list[tuple[str, str, str, str]]]:
    with db.read() as conn:
        fields = json.loads(conn.execute(select(schema.records.c.fields)).scalar_one())
        conflicts = [(c.field, c.base_value, c.winner_value, c.loser_value)
                     for c in conn.execute(select(schema.conflicts))]
    return fields, conflicts


@pytest.mark.parametrize("order", ["a-first", "b-first"])
def test_same_field_race_has_the_same_winner_in_any_order(db: Database, order: str) -> None:
    push(db, "dev-a", op(1, "create", "h1", value={"org_code": ORG, "phone": "13700000000"}))
    a = op(2, "set", "h1", field="phone", value="13800000001", base=1, hlc=pack(NOW - 1000))
    b = op(1, "set", "h1", field="phone", value="13900000002", base=1, hlc=pack(NOW - 2000))
    if order == "a-first":
        push(db, "dev-a", a)
        (v,) = push(db, "dev-b", b)
        assert v.verdict == "merged"  # b's stamp is older: it loses, and is kept in the conflict
    else:
        push(db, "dev-b", b)
        (v,) = push(db, "dev-a", a)
        assert v.verdict == "conflict"  # a wins and is applied; the conflict keeps b's value
    fields, conflicts = state(db)
    assert fields["phone"] == "13800000001" and fields["updated_by"] == "user-dev-a"
    assert conflicts == [("phone", '"13700000000"', '"13800000001"', '"13900000002"')]


def test_sequential_edits_and_different_fields_never_conflict(db: Database) -> None:
    push(db, "dev-a", op(1, "create", "h1", value={"org_code": ORG}))
    push(db, "dev-a", op(2, "set", "h1", field="phone", value="13800000001", base=None))  # own record, not pulled
    (v1,) = push(db, "dev-b", op(1, "set", "h1", field="address", value="二号", base=1))
    (v2,) = push(db, "dev-b", op(2, "set", "h1", field="phone", value="13900000002", base=2))  # saw a's edit
    assert (v1.verdict, v2.verdict) == ("applied", "applied")
    fields, conflicts = state(db)
    assert fields["phone"] == "13900000002" and fields["address"] == "二号" and conflicts == []


def test_insert_only_facts_refuse_edits_and_never_conflict(db: Database) -> None:
    push(db, "dev-a", op(1, "create", "h1", value={"org_code": ORG}))
    note = {"org_code": ORG, "started_at": "2026-01-01T08:00:00.000000Z", "ended_at": "2026-01-01T09:00:00.000000Z"}
    push(db, "dev-a", op(2, "create", "p1", value=note, entity="patrol_log"))
    (edit,) = push(db, "dev-a", op(3, "set", "p1", field="problems", value="x", base=2, entity="patrol_log"))
    assert (edit.verdict, edit.reason) == ("rejected", "sync.insert_only")
    (x,) = push(db, "dev-b", op(1, "set", "p1", field="archived", value=True, base=0, entity="patrol_log"))
    (y,) = push(db, "dev-c", op(1, "set", "p1", field="org_code", value=ORG[:-1] + "2", base=0,
                                entity="patrol_log"))
    assert (x.verdict, y.verdict) == ("applied", "applied")
    with db.read() as conn:
        assert conn.execute(select(schema.conflicts)).all() == []


def test_far_future_stamps_are_clamped_and_said_so(db: Database) -> None:
    (v,) = push(db, "dev-a", op(1, "create", "h1", value={"org_code": ORG}, hlc=pack(NOW + 3 * 86_400_000)))
    assert v.verdict == "applied" and v.clamped
    fields, _ = state(db)
    # ordered by the clamped stamp, but stamped no later than the server's own clock
    assert fields["updated_at"] == merge.stamp_time(pack(NOW))


def test_unique_codes_are_kept_unique_within_and_across_batches(db: Database) -> None:
    unit = {"org_code": ORG, "code": ORG, "name": "一网格", "level": "grid"}
    verdicts = push(db, "dev-a", op(1, "create", "u1", value=unit, entity="org_unit"),
                    op(2, "create", "u2", value={**unit, "name": "重复"}, entity="org_unit"),
                    op(3, "create", "u3", value={**unit, "code": ORG + "9"}, entity="org_unit"))
    assert [(v.verdict, v.reason) for v in verdicts] == [("applied", None), ("rejected", "sync.duplicate_value"),
                                                         ("applied", None)]
    # u1 gives its code up and u3 takes it, in one batch; then u1 cannot take u3's old one back.
    verdicts = push(db, "dev-b", op(1, "set", "u1", field="code", value=ORG + "8", base=1, entity="org_unit"),
                    op(2, "set", "u3", field="code", value=ORG, base=3, entity="org_unit"),
                    op(3, "set", "u1", field="code", value=ORG, base=1, entity="org_unit"))
    assert [v.reason for v in verdicts] == [None, None, "sync.duplicate_value"]
