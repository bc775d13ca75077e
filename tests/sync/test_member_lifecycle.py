"""A member's lifecycle across devices and the server, on SQLite and PostgreSQL: a member who moves
out, dies or splits off arrives as such on a colleague's device with the household's history, a
split moves members between households by the tree rules, and the server refuses a second record
of a person (the same resident ID number) in the pusher's scope, a refusal that stays on the device
with its value."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from caseapp.domain import Household, Member
from caseapp.services import listing, members, records
from caseapp.store.tables import JournalEntry
from sync.server.auth import Principal
from tests.services.test_members import person_id

from .conftest import GRID_A1, Device, fresh_database
from .test_end_to_end import new_household
from .test_trees import A1, ADMIN, B1, create, push, put, rid, stored

YESTERDAY = dt.date.today() - dt.timedelta(days=1)
WORKER_A = Principal("worker1", "caseworker", "dev-w1", (A1[:12],))
ID_1, ID_2 = person_id("19800101", 11), person_id("19850505", 22)


def _three_households(backend: str, tmp_path: Path) -> Any:
    db_cm = fresh_database(backend, tmp_path)
    db = db_cm.__enter__()
    verdicts = push(db, ADMIN,
                    create(1, "household", "h1", org_code=A1, address="江南大道 8 号", head_name="欧阳明"),
                    create(2, "household", "h2", org_code=A1, address="江南大道 9 号", head_name="陈芳"),
                    create(3, "household", "hb", org_code=B1, address="赤岗路 1 号", head_name="李强"),
                    create(4, "member", "m1", org_code=A1, household_id=rid("h1"), name="欧阳明", id_number=ID_1),
                    create(5, "member", "mb", org_code=B1, household_id=rid("hb"), name="李强", id_number=ID_2))
    assert [v.verdict for v in verdicts] == ["applied"] * 5
    return db_cm, db


def test_the_server_refuses_a_second_record_of_a_person_in_the_pushers_scope(backend: str, tmp_path: Path) -> None:
    db_cm, db = _three_households(backend, tmp_path)
    try:
        again = push(db, WORKER_A, create(10, "member", "twice", org_code=A1, household_id=rid("h2"),
                                          name="欧阳明", id_number=ID_1))
        assert [(v.verdict, v.reason, v.field, v.params) for v in again] == [
            ("rejected", "sync.duplicate_id", "id_number", {"value": ID_1})]
        # an edit cannot give another member the number either, nor two creates in one batch share one
        batch = push(db, WORKER_A,
                     create(11, "member", "m2", org_code=A1, household_id=rid("h2"), name="陈芳"),
                     put(12, "member", "m2", "id_number", ID_1, 100),
                     create(13, "member", "n1", org_code=A1, household_id=rid("h2"), name="陈小芳",
                            id_number=person_id("20100303", 42)),
                     create(14, "member", "n2", org_code=A1, household_id=rid("h1"), name="陈小芳",
                            id_number=person_id("20100303", 42)))
        assert [(v.verdict, v.reason) for v in batch] == [("applied", None), ("rejected", "sync.duplicate_id"),
                                                          ("applied", None), ("rejected", "sync.duplicate_id")]
        # the member's own record keeps its number; a person only another area holds is not this
        # pusher's to know about (the device could not see the holder)
        own = push(db, WORKER_A, put(15, "member", "m1", "id_number", ID_1, 100),
                   create(16, "member", "elsewhere", org_code=A1, household_id=rid("h2"), name="李强",
                          id_number=ID_2))
        assert [v.verdict for v in own] == ["applied", "applied"]
        assert push(db, ADMIN, create(17, "member", "wide", org_code=B1, household_id=rid("hb"), name="李强",
                                      id_number=ID_2))[0].reason == "sync.duplicate_id"
        assert rid("twice") not in stored(db) and rid("n2") not in stored(db)
    finally:
        db_cm.__exit__(None, None, None)


def test_a_member_split_off_moves_to_the_new_household_by_the_tree_rules(backend: str, tmp_path: Path) -> None:
    db_cm, db = _three_households(backend, tmp_path)
    try:
        verdicts = push(db, WORKER_A,
                        create(20, "income_item", "i1", org_code=A1, member_id=rid("m1"), income_type="wages",
                               monthly_amount="1800.00"),
                        put(21, "member", "m1", "household_id", rid("h2"), 100),
                        create(22, "member_event", "e1", org_code=A1, household_id=rid("h1"), kind="split_out",
                               member_id=rid("m1"), other_household_id=rid("h2"), occurred_on=str(YESTERDAY)))
        assert [v.verdict for v in verdicts] == ["applied"] * 3
        rows = stored(db)
        assert rows[rid("m1")]["root"] == rows[rid("i1")]["root"] == rid("h2")
        # into a household outside the pusher's scope it may not go
        (refused,) = push(db, WORKER_A, put(23, "member", "m1", "household_id", rid("hb"), 100))
        assert (refused.verdict, refused.reason) == ("rejected", "sync.parent_missing")
    finally:
        db_cm.__exit__(None, None, None)


def test_a_colleague_sees_who_left_and_a_second_registration_stays_refused_on_the_device(
        device: Callable[[str], Device]) -> None:
    a, b = device("worker1"), device("worker2")
    hid = new_household(a)
    with a.ws.write() as s:
        home = records.get(s, Household, hid)
        son = records.create(s, Member, {"org_code": GRID_A1, "household_id": hid, "name": "李明",
                                         "relationship": "20", "id_number": ID_1})
        daughter = records.create(s, Member, {"org_code": GRID_A1, "household_id": hid, "name": "李丽",
                                              "relationship": "30"})
        members.move_out(s, son, on=YESTERDAY, reason="迁往天河区")
        fresh = members.split(s, home, [daughter], new_head=daughter, on=YESTERDAY, reason="成年分户")
        son_id, daughter_id, fresh_id = son.id, daughter.id, fresh.id
    a.sync()
    # b, offline all along, registers the same person in another household: its device cannot know
    other = new_household(b, head_name="陈芳")
    with b.ws.write() as s:
        again_id = records.create(s, Member, {"org_code": GRID_A1, "household_id": other, "name": "李明",
                                              "relationship": "20", "id_number": ID_1}).id
    b.sync()
    with b.ws.read() as s:
        refused = s.scalars(select(JournalEntry).where(JournalEntry.row_id == again_id)).one()
        assert (refused.state, refused.reason) == ("rejected", "sync.duplicate_id")
        assert json.loads(refused.value)["id_number"] == ID_1  # what was typed stays on the device
        sizes = {r.id: r.values["household_size"] for r in listing.rows_by_id(s, "households", [hid, fresh_id])}
        assert sizes == {hid: 1, fresh_id: 1}
        assert [m.id for m in members.past_members(s, hid)] == [son_id]
        assert sorted(e.kind for e in members.history(s, hid)) == ["moved_out", "split_out"]
        moved = s.get(Member, daughter_id)
        assert moved is not None and (moved.household_id, moved.relationship) == (fresh_id, "02")



def test_references_and_id_numbers_held_by_earlier_pushes_are_judged_in_a_later_batch(
        backend: str, tmp_path: Path) -> None:
    """The server reads what a batch's creates point at, and the members holding the ID numbers
    they claim, once per batch: a record from an earlier push, out of scope or missing, is still
    refused by name, and a number sent in another form (full-width digits) still finds its holder."""
    db_cm, db = _three_households(backend, tmp_path)
    wide = str.maketrans("0123456789", "０１２３４５６７８９")
    try:
        def event(seq: int, name: str, other: str) -> Any:
            return create(seq, "member_event", name, org_code=A1, household_id=rid("h1"), kind="split_out",
                          member_id=rid("m1"), other_household_id=other, occurred_on=str(YESTERDAY))

        batch = push(db, WORKER_A,
                     event(30, "out_of_scope", rid("hb")),
                     event(31, "nowhere", rid("no-such-household")),
                     create(32, "member", "fullwidth", org_code=A1, household_id=rid("h2"), name="欧阳明",
                            id_number=ID_1.translate(wide)),
                     create(33, "member", "other_area", org_code=A1, household_id=rid("h2"), name="李强",
                            id_number=ID_2.translate(wide)),
                     event(34, "in_scope", rid("h2")))
        assert [(v.verdict, v.reason, v.field, v.params) for v in batch] == [
            ("rejected", "sync.parent_missing", "other_household_id", {}),
            ("rejected", "sync.parent_missing", "other_household_id", {}),
            ("rejected", "sync.duplicate_id", "id_number", {"value": ID_1}),
            ("applied", None, None, {}),
            ("applied", None, None, {})]
        rows = stored(db)
        assert rid("in_scope") in rows and rid("other_area") in rows
        assert not {rid("out_of_scope"), rid("nowhere"), rid("fullwidth")} & set(rows)
    finally:
        db_cm.__exit__(None, None, None)
