"""Buildings and who lives in them (四标四实): a building's standard address as one line, the
buildings a household in a grid can be placed at, and one building's page: its dwellings, the
households placed there and its actual population (实有人口), each by 房号."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseapp.domain import Building, Dwelling, Household, Member, Resident
from caseapp.domain.buildings import COMMUNITY_DIGITS, in_grid
from caseapp.services import records


def address(road: str, house_no: str, name: str = "") -> str:
    """The standard address (标准地址) as one line: road and house number, then the building's name."""
    line = f"{road}{house_no}"
    return f"{line} {name}" if name else line


def choices(db: Session, org_code: str, current: str | None = None) -> list[tuple[str, str]]:
    """(id, address) of the current buildings a household kept at ``org_code`` can be placed at,
    in address order: its grid's (every grid's, for a household kept at community level) and those
    kept at the community itself. The grid's officer holds them all. The building it is placed at
    now (``current``) is always offered, so that a form shows it and saving keeps it."""
    community = org_code[:COMMUNITY_DIGITS]  # every building in the grid is one of its community's
    rows = db.execute(select(Building.id, Building.org_code, Building.road, Building.house_no, Building.name)
                      .where(Building.archived.is_(False), Building.org_code.startswith(community))
                      .order_by(Building.road, Building.house_no, Building.name)).all()
    found = [(row.id, address(row.road, row.house_no, row.name)) for row in rows if in_grid(org_code, row.org_code)]
    if current and all(building_id != current for building_id, _label in found):
        found.append((current, address_of(db, current) or current))
    return found


def address_of(db: Session, building_id: str | None) -> str:
    if not building_id:
        return ""
    building = db.get(Building, building_id)
    return "" if building is None else address(building.road, building.house_no, building.name)


@dataclass(frozen=True)
class BuildingPage:
    building: dict[str, Any]
    dwellings: list[dict[str, Any]]
    #: the households placed at the building, with their 户主, 房号 and members present
    households: list[dict[str, Any]]
    residents: list[dict[str, Any]]

    @property
    def address(self) -> str:
        return address(self.building["road"], self.building["house_no"], self.building["name"])


def page(db: Session, building_id: str) -> BuildingPage:
    """One building with its dwellings, households and residents (current ones only), by 房号."""
    building = records.get(db, Building, building_id)
    dwellings = db.scalars(select(Dwelling).where(Dwelling.building_id == building_id, Dwelling.archived.is_(False))
                           .order_by(Dwelling.room_no)).all()
    size = (select(func.count()).select_from(Member)
            .where(Member.household_id == Household.id, Member.archived.is_(False), Member.status == "present")
            .scalar_subquery())
    households = db.execute(select(Household, size.label("size"))
                            .where(Household.building_id == building_id, Household.archived.is_(False))
                            .order_by(Household.room_no, Household.head_name)).all()
    residents = db.scalars(select(Resident).where(Resident.building_id == building_id, Resident.archived.is_(False))
                           .order_by(Resident.room_no, Resident.name)).all()
    return BuildingPage(building.values(), sorted((d.values() for d in dwellings), key=_by_room),
                        sorted(({**h.values(), "household_size": n} for h, n in households), key=_by_room),
                        sorted((r.values() for r in residents), key=_by_room))


def _by_room(row: dict[str, Any]) -> tuple[int, str, str]:
    """房号 in number order (302 before 1002), then by name."""
    room = str(row.get("room_no") or "")
    return len(room), room, str(row.get("head_name") or row.get("name") or "")
