"""A household placed at a building of another grid (四标四实, issue 12): the rule stated once
(caseapp.domain.buildings ``placement``) and its SQL held to one verdict; in another grid of the
same community (a re-draw half done: the building moved, or the household moved still at its old
building) the data-quality page lists it; in another community the save, the move and the import
refuse it, with the field to correct and a message in Chinese."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import create_engine, text

from caseapp.domain import Building, Household
from caseapp.domain.buildings import IN_GRID, OTHER_COMMUNITY, OTHER_GRID, in_grid, placement, placement_sql
from caseapp.errors import ValidationErrors
from caseapp.messages import message
from caseapp.services import buildings, exchange, quality, records
from caseapp.store.workspace import Workspace
from tests.core.helpers import ORG, household

COMMUNITY = ORG  # 440104001001
GRID_1, GRID_2 = f"{COMMUNITY}001", f"{COMMUNITY}002"
ELSEWHERE = "440104001002001"  # a grid of another community of the street
TODAY = dt.date.today()
PLACEMENT = ("household_outside_grid", "household_outside_community")


def _building(db: Any, org: str, **more: Any) -> Building:
    return records.create(db, Building, {"org_code": org, "road": "小北路", "house_no": "100号", "name": "3栋",
                                         "floors": 9, "units": 2, **more})


def _found(db: Any) -> set[tuple[str, str]]:
    checks = [quality.BY_CODE[c] for c in PLACEMENT]
    return {(f.check, f.record_id) for f in quality.run(db, "", TODAY, checks=checks)}


@pytest.mark.parametrize(("household_org", "building_org", "expected"), [
    (GRID_1, GRID_1, IN_GRID),
    (GRID_1, COMMUNITY, IN_GRID),  # a building not yet given a grid is kept at the community
    (COMMUNITY, GRID_2, IN_GRID),  # a household kept at community level: any grid of it
    (GRID_1, GRID_2, OTHER_GRID),
    (GRID_1, ELSEWHERE, OTHER_COMMUNITY),
    (COMMUNITY, "440104001002", OTHER_COMMUNITY),
    ("440104001", GRID_2, IN_GRID),  # kept at the street: every building of it
])
def test_where_a_building_stands_for_a_household(household_org: str, building_org: str, expected: str) -> None:
    assert placement(household_org, building_org) == expected
    assert in_grid(household_org, building_org) == (expected == IN_GRID)


_CODES = st.sampled_from(["440104001", "440104002", COMMUNITY, "440104001002", GRID_1, GRID_2, ELSEWHERE,
                          "440104002001001"])


@given(household_org=_CODES, building_org=_CODES)
def test_the_sql_says_what_the_rule_says(household_org: str, building_org: str) -> None:
    engine = create_engine("sqlite://")
    with engine.connect() as conn:
        said = conn.execute(text(f"SELECT {placement_sql(':h', ':b')}"), {"h": household_org, "b": building_org})
        assert said.scalar_one() == placement(household_org, building_org)
    engine.dispose()


def test_another_grid_of_the_community_is_listed_and_another_community_refused_on_save(ws: Workspace) -> None:
    with ws.write() as db:
        mine, next_door, away = _building(db, GRID_1), _building(db, GRID_2, road="仓边路"), \
            _building(db, ELSEWHERE, road="越华路", house_no="1号", name="")
        home = household(db, org_code=GRID_1, building_id=mine.id, room_no="302")
        assert _found(db) == set()  # in its own grid: clean
        records.update(db, home, {"building_id": next_door.id})  # a re-draw half done: saved, listed
        assert _found(db) == {("household_outside_grid", home.id)}
        (finding,) = [f for f in quality.run(db, "", TODAY) if f.check == "household_outside_grid"]
        assert finding.severity == "warning" and finding.text == "张伟"
        assert finding.params == {"building": "仓边路100号 3栋", "grid": GRID_2}
        assert "属于本社区的另一网格" in quality.said(finding.key, finding.params, "zh")
        with pytest.raises(ValidationErrors) as refused:  # a building of another community: never
            records.update(db, home, {"building_id": away.id})
        (error,) = refused.value.errors
        assert (error.key, error.field, error.params) == ("quality.household_outside_community", "building_id",
                                                          {"building": "越华路1号", "grid": ELSEWHERE})
        assert message(error.key, "zh", **error.params).startswith("本户所在建筑物 越华路1号 属于另一社区")
        assert db.get(Household, home.id).building_id == next_door.id  # the refused save left it as it was
        with pytest.raises(ValidationErrors) as created:
            household(db, org_code=GRID_1, head_name="李四", building_id=away.id)
        assert [e.key for e in created.value.errors] == ["quality.household_outside_community"]
        assert db.query(Household).filter_by(head_name="李四").count() == 0
        records.update(db, home, {"building_id": mine.id})
        assert _found(db) == set()


def test_a_household_moved_still_at_its_old_building_and_a_building_moved(ws: Workspace) -> None:
    with ws.write() as db:
        old, other = _building(db, GRID_1), _building(db, GRID_1, road="仓边路")
        home = household(db, org_code=GRID_1, building_id=old.id, room_no="302")
        neighbour = household(db, org_code=GRID_1, head_name="王五", building_id=other.id)
        # moved to the next grid of its community, still at the old grid's building: listed
        records.move_household(db, home, GRID_2)
        assert _found(db) == {("household_outside_grid", home.id)}
        # moved to another community still at its old address: refused, nothing moved
        with pytest.raises(ValidationErrors) as refused:
            records.move_household(db, home, ELSEWHERE)
        assert [(e.key, e.field) for e in refused.value.errors] == [("quality.household_outside_community",
                                                                     "building_id")]
        assert db.get(Household, home.id).org_code == GRID_2
        records.update(db, home, {"building_id": None, "room_no": ""})
        records.move_household(db, home, ELSEWHERE)  # its address cleared first: the move goes
        # a building re-drawn to the grid next door: its households are listed until they follow
        records.move_tree(db, other, GRID_2)
        assert _found(db) == {("household_outside_grid", neighbour.id)}
        records.move_household(db, neighbour, GRID_2)
        assert _found(db) == set()
        # and one moved to another community: its households are listed as errors to correct, and
        # their own saves refused until they are
        records.move_tree(db, other, ELSEWHERE)
        assert _found(db) == {("household_outside_community", neighbour.id)}
        with pytest.raises(ValidationErrors):
            records.update(db, neighbour, {"phone": "13800138000"})
        # the buildings a household is offered are those the rule keeps in its grid
        assert [b for b, _ in buildings.choices(db, GRID_1)] == [old.id]


def test_an_import_placing_a_household_in_another_community_is_refused_with_its_line(
        ws: Workspace, tmp_path: Path) -> None:
    with ws.write() as db:
        mine, away = _building(db, GRID_1), _building(db, ELSEWHERE, road="越华路")
        household(db, org_code=GRID_1, building_id=mine.id)
        away_id = away.id
    lines = exchange.export_bytes(ws).decode().splitlines()
    before = exchange.export_bytes(ws)
    at = next(n for n, line in enumerate(lines) if '"household"' in line)
    moved = {**json.loads(lines[at]), "building_id": away_id}
    path = tmp_path / "households.jsonl"
    path.write_text("\n".join([*lines[:at], json.dumps(moved, ensure_ascii=False), *lines[at + 1:]]) + "\n",
                    encoding="utf-8")
    with pytest.raises(exchange.ImportRejected) as info:
        exchange.import_file(ws, path, replace_newer=True)
    assert [(p.line, p.field, p.error.key) for p in info.value.problems] == [
        (at + 1, "building_id", "quality.household_outside_community")]
    assert exchange.export_bytes(ws) == before  # all or nothing
