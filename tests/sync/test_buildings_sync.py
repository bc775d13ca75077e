"""Buildings and the actual population sync like any other record (issue 12): a building typed on
one device, its dwelling, a household placed at it by 房号 and the people living there reach a
second device in the community and a grid officer's device scoped to that grid (SQLite and
PostgreSQL servers on loopback), never a device of another community or a grid officer of another
grid; the server holds them to the device's rules (a resident's ID number, a floating resident's
reason, a building's floors) and to scope, and an edit that makes a resident floating arrives with
its reason, field by field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from caseapp.domain import Building, Dwelling, Household, Resident
from caseapp.services import records
from sync.server import quality as server_quality

from .conftest import COMMUNITY_A, COMMUNITY_B, GRID_A1, GRID_A2, STREET, Device, Server
from .test_end_to_end import new_household
from .test_server_validates import create_op, raw_push, server_fields, set_op

KINDS = {"building": Building, "dwelling": Dwelling, "household": Household, "resident": Resident,
         "neighbour": Resident}


def _record_everything(dev: Device) -> dict[str, str]:
    with dev.ws.write() as s:
        building = records.create(s, Building, {"org_code": GRID_A1, "road": "滨江东路", "house_no": "1号",
                                                "name": "滨江花园2栋", "building_code": "44010500100101000001",
                                                "floors": 12, "units": 2})
        dwelling = records.create(s, Dwelling, {"org_code": GRID_A1, "building_id": building.id, "room_no": "302",
                                                "occupancy": "rented", "owner_name": "陈房东"})
        resident = records.create(s, Resident, {
            "org_code": GRID_A1, "building_id": building.id, "room_no": "302", "name": "李明",
            "id_number": "360426199101010071", "population_type": "floating", "residence_reason": "work",
            "moved_in_on": dt.date(2024, 3, 1), "phone": "13800138000"})
        neighbour = records.create(s, Resident, {"org_code": GRID_A1, "building_id": building.id, "room_no": "301",
                                                 "name": "王红"})
    home = new_household(dev, GRID_A1, building_id=building.id, room_no="301")
    return {"building": building.id, "dwelling": dwelling.id, "household": home, "resident": resident.id,
            "neighbour": neighbour.id}


def _values(dev: Device, ids: dict[str, str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    with dev.ws.read() as s:
        for key, cls in KINDS.items():
            record = s.get(cls, ids[key])
            found[key] = None if record is None else {k: v for k, v in record.values().items()
                                                      if k not in ("updated_at", "created_at")}
    return found


def test_buildings_and_residents_sync_within_scope_and_nowhere_else(
        device: Callable[[str], Device], server: Server) -> None:
    server.add_user("officer_a1", "caseworker", [GRID_A1])
    server.add_user("officer_a2", "caseworker", [GRID_A2])
    one, two, other = device("worker1"), device("worker2"), device("worker3")
    officer, elsewhere = device("officer_a1"), device("officer_a2")
    ids = _record_everything(one)
    report = one.sync()
    assert report.push.rejected == 0 and report.push.applied > 0
    for dev in (two, other, officer, elsewhere):
        dev.sync()
    mine = _values(one, ids)
    assert _values(two, ids) == mine and _values(officer, ids) == mine
    assert mine["household"]["building_id"] == ids["building"] and mine["household"]["room_no"] == "301"
    assert mine["resident"]["sex"] == "M" and mine["resident"]["birth_date"] == dt.date(1991, 1, 1)
    assert all(value is None for value in _values(other, ids).values())  # another community
    assert all(value is None for value in _values(elsewhere, ids).values())  # another grid's officer
    # the grid officer makes the neighbour floating, with the reason: both fields arrive
    with officer.ws.write() as s:
        records.update(s, records.get(s, Resident, ids["neighbour"]),
                       {"population_type": "floating", "residence_reason": "business"})
    assert officer.sync().push.rejected == 0
    one.sync()
    with one.ws.read() as s:
        moved = s.get(Resident, ids["neighbour"])
        assert moved is not None and (moved.population_type, moved.residence_reason) == ("floating", "business")


def test_the_server_refuses_what_the_device_refuses_and_a_building_outside_scope(
        device: Callable[[str], Device], server: Server) -> None:
    server.add_user("officer_a2", "caseworker", [GRID_A2])
    one, elsewhere = device("worker1"), device("officer_a2")
    ids = _record_everything(one)
    one.sync()
    person = {"org_code": GRID_A1, "building_id": ids["building"], "room_no": "303", "name": "赵六"}
    (bad_id,) = raw_push(one, create_op("resident", {**person, "id_number": "230307196304054513"}))
    assert bad_id.verdict == "rejected" and (bad_id.reason or "").startswith("idnumber."), bad_id
    (no_reason,) = raw_push(one, create_op("resident", {**person, "population_type": "floating"}))
    assert (no_reason.verdict, no_reason.reason) == ("rejected", "resident.reason_required")
    (flat,) = raw_push(one, create_op("building", {"org_code": GRID_A1, "road": "滨江东路", "house_no": "3号",
                                                   "floors": 0, "units": 1}))
    assert (flat.verdict, flat.reason) == ("rejected", "building.no_floors")
    (stray,) = raw_push(elsewhere, create_op("resident", {**person, "name": "钱七"}))
    assert (stray.verdict, stray.reason) == ("rejected", "sync.out_of_scope")
    (outside,) = raw_push(elsewhere, create_op("building", {"org_code": GRID_A1, "road": "滨江东路",
                                                            "house_no": "5号"}))
    assert (outside.verdict, outside.reason) == ("rejected", "sync.out_of_scope")
    # a household placed at a building its device cannot see (another community's)
    far = device("worker3")
    with far.ws.write() as s:
        theirs = records.create(s, Building, {"org_code": COMMUNITY_B, "road": "江南大道", "house_no": "9号"})
    assert far.sync().push.rejected == 0
    (placed,) = raw_push(one, set_op("household", ids["household"], "building_id", theirs.id))
    assert (placed.verdict, placed.reason) == ("rejected", "sync.parent_missing")


def test_the_server_refuses_clearing_a_floating_residents_reason_but_not_with_the_type(
        device: Callable[[str], Device]) -> None:
    one = device("worker1")
    ids = _record_everything(one)
    assert one.sync().push.rejected == 0
    (cleared,) = raw_push(one, set_op("resident", ids["resident"], "residence_reason", None))
    assert (cleared.verdict, cleared.reason) == ("rejected", "resident.reason_required"), cleared
    # a hostile type the rules refuse does not let the reason go first
    bogus = raw_push(one, set_op("resident", ids["resident"], "residence_reason", None),
                     set_op("resident", ids["resident"], "population_type", "nowhere"))
    assert [v.verdict for v in bogus] == ["rejected", "rejected"], bogus
    # the device's save of both, as it pushes it: the reason (declared first), then the type
    with one.ws.write() as s:
        person = s.get(Resident, ids["resident"])
        assert person is not None
        records.update(s, person, {"population_type": "registered", "residence_reason": None})
    report = one.sync()
    assert report.push.rejected == 0, report.push
    fields = server_fields(one.server, ids["resident"]) or {}
    assert (fields.get("population_type"), fields.get("residence_reason")) == ("registered", None)


def test_the_server_holds_a_household_to_a_building_of_its_own_grid_and_its_sweep_lists_the_rest(
        device: Callable[[str], Device], server: Server) -> None:
    """household_outside_community refused on push as on save (a street-level worker's device holds
    both communities, so no scope check stops it first); household_outside_grid, and a building
    moved to another community with its households still placed there, listed by the sweep."""
    server.add_user("street1", "caseworker", [STREET])
    dev = device("street1")
    grid_b1 = COMMUNITY_B + "01"
    with dev.ws.write() as s:
        here, next_door, far = (records.create(s, Building, {"org_code": org, "road": road, "house_no": "1号"})
                                for org, road in ((GRID_A1, "滨江东路"), (GRID_A2, "江湾路"), (grid_b1, "江南大道")))
        here_id, next_id, far_id = here.id, next_door.id, far.id
    home = new_household(dev, GRID_A1, building_id=here_id, room_no="301")
    assert dev.sync().push.rejected == 0
    refusal = ("rejected", "quality.household_outside_community", "building_id", {"building": "江南大道1号",
                                                                                  "grid": grid_b1})
    (placed,) = raw_push(dev, set_op("household", home, "building_id", far_id))
    assert (placed.verdict, placed.reason, placed.field, placed.params) == refusal, placed
    (created,) = raw_push(dev, create_op("household", {"org_code": GRID_A1, "address": "滨江东路1号",
                                                       "head_name": "李雷", "building_id": far_id}))
    assert (created.verdict, created.reason) == refusal[:2], created
    (moved,) = raw_push(dev, set_op("household", home, "org_code", grid_b1))  # moved away, still at its address
    assert (moved.verdict, moved.reason) == refusal[:2], moved
    assert server_fields(server, home)["building_id"] == here_id and server_fields(server, home)["org_code"] == GRID_A1
    # the grid next door, in the same community: taken (a re-draw half done), and listed
    (redraw,) = raw_push(dev, set_op("household", home, "building_id", next_id))
    assert redraw.verdict == "applied", redraw
    with server.db.read() as conn:
        found = [(f.check, f.record_id, f.severity) for f in server_quality.sweep(conn, COMMUNITY_A, dt.date.today())]
    assert found == [("household_outside_grid", home, "warning")]
    (follows,) = raw_push(dev, set_op("household", home, "org_code", GRID_A2))  # the household follows
    assert follows.verdict == "applied", follows
    # a building re-drawn into another community is taken; its households are listed, in their
    # community's sweep too, which holds no building of the other community
    (away,) = raw_push(dev, set_op("building", next_id, "org_code", grid_b1))
    assert away.verdict == "applied", away
    with server.db.read() as conn:
        for scope in (COMMUNITY_A, STREET):
            found = [(f.check, f.record_id, f.params) for f in server_quality.sweep(conn, scope, dt.date.today())]
            assert found == [("household_outside_community", home, {"building": "江湾路1号", "grid": grid_b1})], scope
