"""The buildings of each grid (四标四实) with their dwellings and the people actually living there
(实有人口): tenants who came to work or trade (流动人口), people registered here, now and then
someone from abroad; and some of the grid's households placed at a building and 房号, their
address rewritten to the building's standard address."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from caseapp.domain import Building, Dwelling, Household, Record, Resident
from caseapp.services.demo import people as pp
from caseapp.services.demo.common import Grid, chance, days_before, people_data, pick, places_data, record

#: buildings surveyed in each grid (the demo keeps a few; a real grid has dozens)
PER_GRID = 4
#: the share of a grid's households placed at one of them
PLACED = 0.3
REASONS: list[tuple[str, float]] = [("work", 60), ("business", 15), ("family", 10), ("study", 5), ("marriage", 4),
                                    ("care", 4), ("other", 2)]
ESTATES = ("花园", "新村", "小区", "大厦", "苑")
LANDLORD_NOTES = ("出租屋已签订治安责任书", "出租屋已登记", "")


@dataclass
class GridBuildings:
    """A grid's buildings and the dwellings in them their owners live in with no household placed
    there yet, to place households at, one household a dwelling. (The dwellings are written with
    the grid's first household: a household placed later, perhaps in a later batch, changes none.)"""

    buildings: dict[str, Building] = field(default_factory=dict)
    free: list[Dwelling] = field(default_factory=list)


def _code(grid: Grid, n: int) -> str:
    """A demo standard building code: the grid's code and the building's number in it."""
    return f"{grid.code}{n:04d}"


def build(rng: random.Random, grid: Grid, registry: pp.Registry, today: dt.date) -> tuple[GridBuildings, list[Record]]:
    """A grid's buildings with their dwellings and residents."""
    placed = GridBuildings()
    out: list[Record] = []
    for n in range(1, PER_GRID + 1):
        if grid.rural:
            village = grid.community.name
            for suffix in ("村民委员会", "村委会", "居民委员会", "居委会"):
                village = village.removesuffix(suffix)
            lane = rng.choice(places_data()["village_lanes"])
            building = record(Building, org_code=grid.code, road=f"{village}{lane}",
                              house_no=f"{rng.randint(1, 120)}号", name="",
                              building_code=_code(grid, n), use=pick(rng, [("residential", 80), ("mixed", 20)]),
                              structure="brick_concrete", floors=rng.randint(2, 5), units=1,
                              built_year=rng.randint(1985, 2015), manager_name=pp.han_name(rng, "M", 1960),
                              manager_phone=pp.mobile(rng, registry), fire_safety="配有灭火器，楼梯通道畅通")
            rooms = [f"{floor}0{room}" for floor in range(1, building.floors + 1) for room in (1, 2)]
        else:
            road = rng.choice(grid.roads)
            block = rng.randint(1, 12)
            building = record(Building, org_code=grid.code, road=road, house_no=f"{rng.randint(1, 400)}号",
                              name=f"{road[:2]}{rng.choice(ESTATES)}{block}栋", building_code=_code(grid, n),
                              use=pick(rng, [("residential", 75), ("mixed", 20), ("dormitory", 5)]),
                              structure=pick(rng, [("concrete", 70), ("brick_concrete", 30)]),
                              floors=rng.randint(6, 18), units=rng.randint(1, 3), built_year=rng.randint(1980, 2020),
                              manager_name=f"{road[:2]}物业管理有限公司", manager_phone=pp.landline(rng, registry),
                              fire_safety="消防栓、灭火器配置齐全；楼道无堆放杂物")
            rooms = [f"{floor}{room:02d}" for floor in rng.sample(range(1, building.floors + 1), 4)
                     for room in (1, 2, 3)]
        out.append(building)
        placed.buildings[building.id] = building
        for room in sorted(rooms, key=lambda r: (len(r), r)):
            rented = chance(rng, 0.4)
            floor = int(room[:-2])
            dwelling = record(Dwelling, org_code=grid.code, building_id=building.id, room_no=room, floor=floor,
                              occupancy="rented" if rented else pick(rng, [("owner", 85), ("vacant", 15)]),
                              owner_name=pp.han_name(rng, pick(rng, [("M", 55), ("F", 45)]), rng.randint(1950, 1985)),
                              owner_phone=pp.mobile(rng, registry),
                              notes=rng.choice(LANDLORD_NOTES) if rented else "")
            out.append(dwelling)
            if rented:
                out += _tenants(rng, grid, building, room, registry, today)
            elif dwelling.occupancy == "owner":
                placed.free.append(dwelling)
    return placed, out


def _tenants(rng: random.Random, grid: Grid, building: Building, room: str, registry: pp.Registry,
             today: dt.date) -> list[Record]:
    out: list[Record] = []
    origins = [(o, o["weight"]) for o in people_data()["origins"]]
    for _ in range(rng.randint(1, 3)):
        sex = pick(rng, [("M", 55), ("F", 45)])
        age = rng.randint(18, 55)
        born = pp.birth_date(rng, today, age)
        name = pp.han_name(rng, sex, born.year)
        moved_in = days_before(today, rng, 20, 2000)
        if chance(rng, 0.03):  # from abroad: a passport, no resident ID
            out.append(record(Resident, org_code=grid.code, building_id=building.id, room_no=room, name=name,
                              id_number=None, document_no=f"E{rng.randrange(10**8):08d}", sex=sex, birth_date=born,
                              population_type="overseas", residence_reason="work", moved_in_on=moved_in,
                              phone=pp.mobile(rng, registry)))
            continue
        floating = chance(rng, 0.8)
        area = pick(rng, origins)["code"] if floating else pp.id_area(rng, grid.district.code, born)
        out.append(record(Resident, org_code=grid.code, building_id=building.id, room_no=room, name=name,
                          id_number=pp.id_number(rng, registry, area, born, sex), sex=sex, birth_date=born,
                          population_type="floating" if floating else "registered",
                          residence_reason=pick(rng, REASONS) if floating else None, moved_in_on=moved_in,
                          phone=pp.mobile(rng, registry)))
    return out


def place(rng: random.Random, household: Household, grid: Grid, placed: GridBuildings) -> None:
    """Perhaps place ``household`` in one of its grid's owner-occupied dwellings with no household
    placed there yet, its address then the building's standard address and 房号."""
    if not placed.free or not chance(rng, PLACED):
        return
    dwelling = placed.free.pop(rng.randrange(len(placed.free)))
    building = placed.buildings[dwelling.building_id]
    room = dwelling.room_no
    household.building_id = building.id
    household.room_no = room
    base = grid.district.name + grid.street.name
    household.address = f"{base}{building.road}{building.house_no}{building.name}{room}{'房' if grid.rural else '室'}"
