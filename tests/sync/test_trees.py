"""A household moves with everything that belongs to it, as one operation, and work typed while a
record was in a user's scope is kept after it leaves (caseapp.domain.tree, sync/server/merge.py).

Exercised against the server's merge directly, on SQLite and PostgreSQL, plus the device's side:
the journal carries a move as the root's one edit, and a create names its parent's position."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import select, text

from caseapp.domain import Household, Member
from caseapp.domain.tree import children_of, parent_ref
from caseapp.services import records
from caseapp.store.hlc import pack
from caseapp.store.tables import JournalEntry
from caseapp.store.workspace import Workspace
from sync import protocol as p
from sync.server import auth, merge, pull, schema
from sync.server.auth import Principal
from sync.server.db import Database, _alembic_config
from tests.core.helpers import elder_with_visit, household, member

from .conftest import GRID_A1, Device, fresh_database

A1, A2, B1 = "44010500100101", "44010500100102", "44010500200101"
COMMUNITY_A, COMMUNITY_B = A1[:12], B1[:12]
NOW = 1_800_000_000_000
ADMIN = Principal("admin", "admin", "dev-admin", ("",))


def rid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))


def create(seq: int, entity: str, key: str, base: int | None = None, **value: Any) -> p.PushOp:
    return p.PushOp(seq=seq, entity=entity, row_id=rid(key), op="create", value=value, base_pos=base,
                    hlc=pack(NOW - 10_000 + seq))


def put(seq: int, entity: str, name: str, field: str, value: Any, base: int | None, *, hlc: int = 0) -> p.PushOp:
    return p.PushOp(seq=seq, entity=entity, row_id=rid(name), op="set", field=field, value=value, base_pos=base,
                    hlc=hlc or pack(NOW - 5_000 + seq))


def push(db: Database, who: Principal, *ops: p.PushOp) -> list[p.Verdict]:
    with db.write(ordered=True) as conn:
        return merge.push(conn, who, list(ops), NOW)


def stored(db: Database) -> dict[str, dict[str, Any]]:
    with db.read() as conn:
        return {r.id: {"org": r.org_code, "root": r.root_id, **json.loads(r.fields)}
                for r in conn.execute(select(schema.records))}


def conflicts(db: Database) -> list[dict[str, Any]]:
    with db.read() as conn:
        return [dict(c._mapping) for c in conn.execute(select(schema.conflicts))]


def family(db: Database, org: str = A1) -> list[str]:
    """A household with a member, the member's income, an elder profile and a visit; a grid event
    about the household (the grid's, not the household's: it stays where it happened)."""
    verdicts = push(db, ADMIN,
                    create(1, "household", "h", org_code=org, address="江南大道 8 号", head_name="欧阳明"),
                    create(2, "member", "m", org_code=org, household_id=rid("h"), name="欧阳明"),
                    create(3, "income_item", "i", org_code=org, member_id=rid("m"), income_type="wages",
                           monthly_amount="1800.00"),
                    create(4, "elder_profile", "e", org_code=org, household_id=rid("h"), member_id=rid("m")),
                    create(5, "care_visit", "v", org_code=org, elder_id=rid("e"),
                           visited_at="2026-11-30T02:00:00Z"),
                    create(6, "grid_event", "g", org_code=org, household_id=rid("h"), category="01",
                           title="楼道堆放杂物", occurred_at="2026-11-29T02:00:00Z", description="楼道堆放杂物"))
    assert [v.verdict for v in verdicts] == ["applied"] * 6, verdicts
    return [rid(n) for n in "hmiev"]


def test_the_tree_is_declared_once_on_the_models() -> None:
    assert {cls.entity for cls, _ in children_of("household")} >= {
        "member", "assistance_case", "elder_profile", "investigation", "verification", "social_work_case",
        "referral", "attachment"}
    assert parent_ref(Member, {"household_id": "x"}) == ("household", "x")
    assert parent_ref(Household, {}) is None


def test_a_move_carries_the_household_and_everything_in_it(backend: str, tmp_path: Path) -> None:
    with fresh_database(backend, tmp_path) as db:
        unit = family(db)
        (v,) = push(db, ADMIN, put(10, "household", "h", "org_code", A2, base=1))
        assert v.verdict == "applied"
        rows = stored(db)
        assert {i: rows[i]["org"] for i in unit} == dict.fromkeys(unit, A2)
        assert all(rows[i]["org_code"] == A2 and rows[i]["root"] == rid("h") for i in unit)
        assert rows[rid("g")]["org"] == A1, "a grid event stays in the grid where it happened"
        with db.read() as conn:
            moved = {c.row_id: c.old_org_code for c in conn.execute(
                select(schema.changes).where(schema.changes.c.old_org_code.is_not(None)))}
        assert moved == dict.fromkeys(unit, A1), "devices of the old grid are told each record left"


def test_a_record_that_belongs_to_another_never_moves_alone(backend: str, tmp_path: Path) -> None:
    with fresh_database(backend, tmp_path) as db:
        family(db)
        (v,) = push(db, ADMIN, put(10, "member", "m", "org_code", B1, base=2))
        assert (v.verdict, v.reason, v.field) == ("rejected", "sync.moves_with_parent", "org_code")
        (same,) = push(db, ADMIN, put(11, "member", "m", "org_code", A1, base=2))
        assert same.verdict == "applied"  # its place, restated: nothing to do
        assert stored(db)[rid("m")]["org"] == A1


def test_two_moves_at_once_are_one_conflict_and_the_tree_follows_its_settlement(backend: str,
                                                                              tmp_path: Path) -> None:
    with fresh_database(backend, tmp_path) as db:
        unit = family(db)
        one, two = Principal("sup1", "admin", "dev-1", ("",)), Principal("sup2", "admin", "dev-2", ("",))
        push(db, one, put(1, "household", "h", "org_code", A2, base=6, hlc=pack(NOW - 2000)))
        (v,) = push(db, two, put(1, "household", "h", "org_code", B1, base=6, hlc=pack(NOW - 1000)))
        assert v.verdict == "conflict"  # two's stamp is later: it wins and the loser's place is kept
        (c,) = conflicts(db)
        assert (c["row_id"], c["field"], json.loads(c["loser_value"])) == (rid("h"), "org_code", A2)
        assert {stored(db)[i]["org"] for i in unit} == {B1}
        resolve = p.PushOp(seq=2, entity="conflict", row_id=c["id"], op="resolve", value=A2, hlc=pack(NOW))
        with db.read() as conn:
            pos = conn.execute(select(schema.records.c.pos).where(schema.records.c.id == rid("h"))).scalar_one()
        push(db, one, resolve, put(3, "household", "h", "org_code", A2, base=pos, hlc=pack(NOW)))
        assert {stored(db)[i]["org"] for i in unit} == {A2}
        assert len(conflicts(db)) == 1


def test_a_record_added_in_the_old_place_follows_its_moved_household(backend: str, tmp_path: Path) -> None:
    with fresh_database(backend, tmp_path) as db:
        family(db)
        push(db, ADMIN, put(10, "household", "h", "org_code", A2, base=1))
        (v,) = push(db, ADMIN, create(11, "member", "late", base=1, org_code=A1, household_id=rid("h"),
                                      name="欧阳小明"))
        assert v.verdict == "applied"
        assert (stored(db)[rid("late")]["org"], stored(db)[rid("late")]["root"]) == (A2, rid("h"))


def test_a_member_given_another_household_takes_its_income_along(backend: str, tmp_path: Path) -> None:
    with fresh_database(backend, tmp_path) as db:
        family(db)
        push(db, ADMIN, create(20, "household", "h2", org_code=B1, address="昌岗路 1 号", head_name="李明"))
        (v,) = push(db, ADMIN, put(21, "member", "m", "household_id", rid("h2"), base=2))
        assert v.verdict == "applied"
        rows = stored(db)
        assert {(rows[i]["org"], rows[i]["root"]) for i in (rid("m"), rid("i"))} == {(B1, rid("h2"))}


def worker(scopes: list[str], db: Database, name: str = "worker1") -> Principal:
    with db.write() as conn:
        if conn.execute(select(schema.users.c.name).where(schema.users.c.name == name)).first() is None:
            auth.add_user(conn, name, "long enough passphrase 9", "caseworker", scopes)
        else:
            auth.set_scopes(conn, name, scopes)
    return Principal(name, "caseworker", f"dev-{name}", tuple(scopes))


def test_work_typed_before_a_move_away_is_kept_for_the_new_holder(backend: str, tmp_path: Path) -> None:
    with fresh_database(backend, tmp_path) as db:
        family(db)
        me = worker([COMMUNITY_A], db)
        push(db, ADMIN, put(10, "household", "h", "org_code", B1, base=1))
        (v,) = push(db, me, put(1, "household", "h", "phone", "13855556666", base=1))
        assert (v.verdict, v.conflict_id is not None) == ("merged", True)
        (c,) = conflicts(db)
        assert (json.loads(c["loser_value"]), c["loser_author"], c["org_code"]) == ("13855556666", "worker1", B1)
        assert stored(db)[rid("h")].get("phone") in (None, ""), "kept for the holder to settle, not applied unseen"
        # read after the move (its base is the move), or never: nothing of the record is reachable
        with db.read() as conn:
            moved_at = conn.execute(select(schema.records.c.pos).where(schema.records.c.id == rid("h"))).scalar_one()
        for seq, base in ((2, moved_at), (3, None)):
            (refused,) = push(db, me, put(seq, "household", "h", "phone", "13900000000", base=base))
            assert (refused.verdict, refused.reason) == ("rejected", "sync.id_unavailable")
        (org,) = push(db, me, put(4, "household", "h", "org_code", A1, base=1))
        assert (org.verdict, org.reason) == ("rejected", "sync.id_unavailable")


def test_work_typed_before_a_scope_change_is_kept(backend: str, tmp_path: Path) -> None:
    with fresh_database(backend, tmp_path) as db:
        family(db)
        worker([COMMUNITY_A], db)
        me = worker([COMMUNITY_B], db)  # reassigned while the laptop was offline
        (v,) = push(db, me, put(1, "household", "h", "notes", "老人独居", base=1))
        assert v.verdict == "merged"
        (late,) = push(db, me, create(2, "member", "late", base=1, org_code=A1, household_id=rid("h"), name="欧阳晓"))
        assert late.verdict == "applied" and stored(db)[rid("late")]["org"] == A1


def test_a_device_never_in_scope_gets_nothing_in(backend: str, tmp_path: Path) -> None:
    with fresh_database(backend, tmp_path) as db:
        family(db)
        stranger = worker([COMMUNITY_B], db, "worker3")
        (v,) = push(db, stranger, put(1, "household", "h", "phone", "13855556666", base=1))
        assert (v.verdict, v.reason) == ("rejected", "sync.id_unavailable")
        (c,) = push(db, stranger, create(2, "member", "x", base=1, org_code=B1, household_id=rid("h"), name="某"))
        assert (c.verdict, c.reason) == ("rejected", "sync.parent_missing")
        assert conflicts(db) == [] and rid("x") not in stored(db)


def test_an_org_unit_code_cannot_be_squatted_from_another_scope(backend: str, tmp_path: Path) -> None:
    with fresh_database(backend, tmp_path) as db:
        stranger = worker([COMMUNITY_B], db, "worker3")
        (v,) = push(db, stranger, create(1, "org_unit", "u", org_code=B1, code=A2, name="某网格", level="grid",
                                        parent_code=COMMUNITY_A))
        assert (v.verdict, v.reason, v.field) == ("rejected", "record.org_unit_place", "org_code")
        (w,) = push(db, stranger, create(2, "org_unit", "u2", org_code=A2, code=A2, name="某网格", level="grid",
                                        parent_code=COMMUNITY_A))
        assert (w.verdict, w.reason) == ("rejected", "sync.out_of_scope")
        (mine,) = push(db, ADMIN, create(1, "org_unit", "u3", org_code=A2, code=A2, name="二网格", level="grid",
                                        parent_code=COMMUNITY_A))
        assert mine.verdict == "applied"


def test_a_refetch_tells_nothing_of_what_a_foreign_record_is(backend: str, tmp_path: Path) -> None:
    with fresh_database(backend, tmp_path) as db:
        family(db)
        stranger = worker([COMMUNITY_B], db, "worker3")
        asked = [p.RecordRef(entity="household", id=rid("v")), p.RecordRef(entity="member", id=rid("nothing"))]
        with db.read() as conn:
            page = pull.pull(conn, stranger, p.PullIn(refetch=asked))
        assert page.rows == []
        assert sorted(page.removals) == sorted([("household", rid("v")), ("member", rid("nothing"))])


def test_the_upgrade_gives_stored_records_their_roots(backend: str, tmp_path: Path) -> None:
    with fresh_database(backend, tmp_path) as db:
        with db.engine.begin() as conn:
            command.downgrade(_alembic_config(conn), "s0006")
        with db.engine.begin() as conn:
            for i, (name, entity, fields) in enumerate([
                    ("h", "household", {}), ("m", "member", {"household_id": rid("h")}),
                    ("i", "income_item", {"member_id": rid("m")}), ("o", "member", {"household_id": None})]):
                conn.execute(text("INSERT INTO records (id, entity, org_code, fields, meta, pos, created_pos, "
                                  "origin_device, archived) VALUES (:id, :e, :o, :f, '{}', :p, :p, 'd', false)"),
                             {"id": rid(name), "e": entity, "o": A1, "f": json.dumps(fields), "p": i + 1})
        db.migrate()
        roots = {i: r["root"] for i, r in stored(db).items()}
        assert roots == {rid("h"): rid("h"), rid("m"): rid("h"), rid("i"): rid("h"), rid("o"): rid("o")}


def test_the_device_journals_a_move_as_the_root_s_one_edit(ws: Workspace) -> None:
    with ws.write() as s:
        h = household(s)
        m = member(s, h.id)
        elder_with_visit(s, h.id, m.id)
        h.server_pos = 41  # as if pulled at position 41
    with ws.write() as s:
        late = member(s, h.id, name="张晓")
        records.move_household(s, s.get(Household, h.id), "440104001002")
    with ws.read() as s:
        entries = list(s.scalars(select(JournalEntry).order_by(JournalEntry.seq)))
        assert {r.org_code for r in records.household_records(s, h.id)} == {"440104001002"}
    moves = [(e.entity, e.row_id) for e in entries if e.field == "org_code"]
    assert moves == [("household", h.id)]
    (created,) = [e for e in entries if e.op == "create" and e.row_id == late.id]
    assert created.base_pos == 41, "a create names the position of the record it belongs to"


def test_a_move_the_server_refuses_brings_the_whole_household_back(device: Callable[[str], Device]) -> None:
    worker = device("worker1")  # community A only
    with worker.ws.write() as s:
        h = household(s, org_code=GRID_A1)
        m = member(s, h.id, org_code=GRID_A1)
        elder_with_visit(s, h.id, m.id)
    worker.sync()
    with worker.ws.write() as s:
        records.move_household(s, records.get(s, Household, h.id), B1)  # out of her reach
    report = worker.sync()
    assert report.push.rejected == 1  # one move, one refusal
    worker.sync()
    with worker.ws.read() as s:
        places = {r.org_code for r in [records.get(s, Household, h.id), *records.household_records(s, h.id)]}
    assert places == {GRID_A1}, "the household and everything in it are back where the server keeps them"
