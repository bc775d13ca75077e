"""(e) Work typed offline on a record that then leaves the device's scope, and (f) a household
moved by two supervisors at once: nothing typed in good faith is lost, and a household moves with
its members and visits as one unit, settled by one conflict."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from caseapp.domain import CareVisit, ElderProfile, Household, Member
from caseapp.services import records
from tests.sync.conftest import COMMUNITY_A, COMMUNITY_B, GRID_A1, GRID_A2, STREET, Server

from . import tally
from .checks import audit_edits, replica_differences, server_conflicts, server_record, value_on_server
from .devices import CliDevice, make_device
from .marks import SQLITE_THEN_POSTGRES_LONG

GRID_B1 = COMMUNITY_B + "01"
TYPED = {"phone": "13855556666", "notes": "入户走访：老人独居，需每周探访"}


def outbox_shows(dev: CliDevice, typed: dict[str, str]) -> list[str]:
    """Problems with what `caseapp outbox` shows: every entry it lists must show the value typed."""
    problems = []
    listed = dev.outbox()
    text = dev.run("outbox").out
    for entry in listed:
        expected = typed.get(entry.get("field") or "")
        if expected is None:
            continue
        if expected not in json.dumps(entry.get("value"), ensure_ascii=False):
            problems.append(f"outbox --format json: {entry['state']} {entry['field']} without its value: {entry}")
        if expected not in text:
            problems.append(f"outbox: {entry['state']} {entry['field']} listed without its value")
    return problems


def typed_offline_then_synced(backend: str, server: Server, tmp_path: Path, *, move: bool) -> None:
    sup = make_device(tmp_path, "supervisor", server.url)
    hid = sup.new_household(GRID_A1)
    sup.in_process_sync()
    laptop = make_device(tmp_path, "worker1", server.url)
    assert laptop.sync().rc == 0
    laptop.edit(hid, **TYPED)  # at the household's door, offline
    if move:  # meanwhile the street office moves the household to community B …
        sup.move(hid, GRID_B1)
        sup.in_process_sync()
    else:  # … or the caseworker is reassigned to community B
        server.set_scopes("worker1", [COMMUNITY_B])
    synced = laptop.sync()
    assert synced.rc == 0, synced
    nowhere = [f"{k}={v}" for k, v in TYPED.items() if not value_on_server(server.db, hid, k, v)]
    edits = audit_edits([laptop], server.db)
    tally.record("scope change with pending work", checked=edits.checked, lost=len(nowhere))
    assert nowhere == [], f"typed offline, now on the server neither in force nor in a conflict: {nowhere}"
    assert outbox_shows(laptop, TYPED) == []


@SQLITE_THEN_POSTGRES_LONG
def test_household_moved_away_keeps_the_work_typed_offline(backend: str, server: Server, tmp_path: Path) -> None:
    typed_offline_then_synced(backend, server, tmp_path, move=True)


@SQLITE_THEN_POSTGRES_LONG
def test_scope_reduced_keeps_the_work_typed_offline(backend: str, server: Server, tmp_path: Path) -> None:
    typed_offline_then_synced(backend, server, tmp_path, move=False)


@SQLITE_THEN_POSTGRES_LONG
def test_a_refused_operation_shows_its_value(backend: str, server: Server, tmp_path: Path) -> None:
    laptop = make_device(tmp_path, "worker3", server.url)  # community B, writing into community A
    laptop.new_household(GRID_A1, phone=TYPED["phone"], notes=TYPED["notes"])
    synced = laptop.sync()
    assert synced.rc == 0 and (synced.counts() or {}).get("rejected") == 2, synced
    listed = laptop.outbox()
    assert [(e["state"], e["reason"]) for e in listed] == [("rejected", "sync.out_of_scope")] * 2
    text = laptop.run("outbox").out
    assert TYPED["phone"] in json.dumps(listed, ensure_ascii=False) and TYPED["phone"] in text, text


def household_with_family(dev: CliDevice, org: str) -> list[str]:
    """A household, two members, an elder profile and a care visit: the unit a move carries."""
    with dev.workspace() as ws, ws.write() as s:
        h = records.create(s, Household, {"org_code": org, "address": "海珠区江南大道 8 号", "head_name": "欧阳明"})
        head = records.create(s, Member, {"org_code": org, "household_id": h.id, "name": "欧阳明"})
        other = records.create(s, Member, {"org_code": org, "household_id": h.id, "name": "欧阳晓",
                                           "relationship": "20"})
        elder = records.create(s, ElderProfile, {"org_code": org, "household_id": h.id, "member_id": head.id,
                                                 "living_arrangement": "alone", "risk_tier": "high"})
        visit = records.create(s, CareVisit, {"org_code": org, "elder_id": elder.id,
                                              "visited_at": dt.datetime.now(dt.UTC) - dt.timedelta(days=1)})
        return [h.id, head.id, other.id, elder.id, visit.id]


def grids_of(server: Server, ids: list[str]) -> dict[str, str]:
    return {i: str((server_record(server.db, i) or {}).get("org_code")) for i in ids}


@SQLITE_THEN_POSTGRES_LONG
def test_concurrent_moves_are_one_conflict_and_move_the_household_whole(backend: str, server: Server,
                                                                      tmp_path: Path) -> None:
    server.add_user("supervisor2", "supervisor", [STREET])
    one = make_device(tmp_path, "supervisor", server.url)
    two = make_device(tmp_path, "supervisor2", server.url)
    unit = household_with_family(one, GRID_A1)
    one.in_process_sync()
    assert two.sync().rc == 0
    one.move(unit[0], GRID_A2)  # both offline, each moving it elsewhere
    two.move(unit[0], GRID_B1)
    for dev in (one, two, one):
        assert dev.sync().rc == 0
    about = [c for c in server_conflicts(server.db) if c["row_id"] in unit]
    tally.record("concurrent household moves", conflicts=len(about))
    assert len(about) == 1, f"{len(about)} conflicts for one move: {sorted(c['field'] for c in about)}"
    (listed,) = [c for c in one.conflicts() if c["row_id"] in unit]
    assert one.run("resolve", listed["id"], "--keep", "theirs").rc == 0
    for dev in (one, two, one):
        assert dev.sync().rc == 0
    grids = grids_of(server, unit)
    assert len(set(grids.values())) == 1, f"the household's records ended in different grids: {grids}"
    assert replica_differences([one, two], server.db) == []


@SQLITE_THEN_POSTGRES_LONG
def test_member_added_offline_follows_its_household(backend: str, server: Server, tmp_path: Path) -> None:
    server.add_user("supervisor2", "supervisor", [STREET])
    one = make_device(tmp_path, "supervisor", server.url)
    two = make_device(tmp_path, "supervisor2", server.url)
    unit = household_with_family(one, GRID_A1)
    one.in_process_sync()
    assert two.sync().rc == 0
    with two.workspace() as ws, ws.write() as s:  # offline, in grid A1 as two last saw it
        unit.append(records.create(s, Member, {"org_code": GRID_A1, "household_id": unit[0], "name": "欧阳小明",
                                               "relationship": "30"}).id)
    one.move(unit[0], COMMUNITY_A + "02")
    assert one.in_process_sync() is not None
    for dev in (two, one, two):
        assert dev.sync().rc == 0
    grids = grids_of(server, unit)
    assert set(grids.values()) == {GRID_A2}, f"not all in the household's new grid: {grids}"
    assert replica_differences([one, two], server.db) == []
