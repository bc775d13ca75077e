"""Buildings and the actual population of a grid (四标四实, issue 12): a building at its standard
address with its dwellings, households placed at it by 房号, and the people actually living there
(实有人口, registered / floating / from abroad) with their ID numbers checked as a member's are.
The buildings list counts households and residents in SQL; both lists export a ledger that reads
back from the workbook."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from caseapp import refdata
from caseapp.domain import Building, Dwelling, Household, Resident
from caseapp.domain.fields import all_facts
from caseapp.errors import ValidationErrors
from caseapp.services import buildings, list_export, listing, records
from caseapp.services.validate import clean
from caseapp.store.workspace import Workspace
from tests.core.helpers import ORG, household, member

GRID = ORG  # the helpers' org unit (a community): households and buildings live there
OTHER = "440104001002"  # another community


def _building(db: Any, **more: Any) -> Building:
    return records.create(db, Building, {"org_code": GRID, "road": "小北路", "house_no": "100号",
                                         "name": "小北花园3栋", "building_code": "4401040010010001",
                                         "use": "residential", "floors": 9, "units": 2, **more})


def _resident(building: Building, **more: Any) -> dict[str, Any]:
    return {"org_code": GRID, "building_id": building.id, "room_no": "302", "name": "李明",
            "id_number": "360426199101010071", "population_type": "floating", "residence_reason": "work",
            "moved_in_on": dt.date(2024, 3, 1), "phone": "13800138000", **more}


def _codes(err: ValidationErrors) -> set[str]:
    return {e.key for e in err.errors}


def test_a_building_needs_its_standard_address_and_a_floor_and_a_unit(ws: Workspace) -> None:
    with ws.write() as db:
        kept = _building(db)
        assert (kept.org_code, kept.use, kept.floors) == (GRID, "residential", 9)
        with pytest.raises(ValidationErrors) as bare:
            records.create(db, Building, {"org_code": GRID, "use": "castle", "floors": 0})
        assert {e.field for e in bare.value.errors} >= {"road", "house_no", "use"}
        with pytest.raises(ValidationErrors) as flat:
            _building(db, floors=0)
        assert _codes(flat.value) == {"building.no_floors"}
        dwelling = records.create(db, Dwelling, {"org_code": OTHER, "building_id": kept.id, "room_no": "302",
                                                 "occupancy": "rented", "owner_name": "陈房东"})
        assert dwelling.org_code == GRID  # lives where its building does


def test_a_resident_is_checked_like_a_member_and_a_floating_one_says_why(ws: Workspace) -> None:
    with ws.write() as db:
        building = _building(db)
        kept = records.create(db, Resident, _resident(building))
        assert (kept.sex, kept.birth_date) == ("M", dt.date(1991, 1, 1))  # from the ID number
        with pytest.raises(ValidationErrors) as bad_id:
            records.create(db, Resident, _resident(building, id_number="230307196304054513"))
        assert {e.field for e in bad_id.value.errors} == {"id_number"}
        with pytest.raises(ValidationErrors) as why:
            records.create(db, Resident, _resident(building, residence_reason=None))
        assert _codes(why.value) == {"resident.reason_required"}
        with pytest.raises(ValidationErrors) as sex:
            records.create(db, Resident, _resident(building, sex="F"))  # the ID number says male
        assert _codes(sex.value) == {"idnumber.sex_mismatch_male"}
        # someone from abroad without a resident ID, a passport instead
        abroad = records.create(db, Resident, _resident(building, id_number=None, document_no="E12345678",
                                                        population_type="overseas", residence_reason=None))
        assert abroad.id_number is None and abroad.population_type == "overseas"
    facts = all_facts(Resident)
    assert all(facts[name].personal or facts[name].masked
               for name in ("name", "id_number", "document_no", "sex", "birth_date", "phone", "hukou_address",
                            "residence_reason", "notes"))
    assert facts["id_number"].masked and facts["document_no"].masked


@given(st.sampled_from(sorted(refdata.dictionary("population_type"))),
       st.one_of(st.none(), st.sampled_from(sorted(refdata.dictionary("residence_reason")))))
def test_only_a_floating_resident_without_a_reason_is_refused(kind: str, reason: str | None) -> None:
    fields = {"org_code": GRID, "building_id": "01a2346d-737f-7acd-a500-9a171a838b62", "name": "李明",
              "population_type": kind, "residence_reason": reason}
    try:
        clean(Resident, fields)
        refused = False
    except ValidationErrors as err:
        refused = True
        assert _codes(err) == {"resident.reason_required"}
    assert refused == (kind == "floating" and reason is None)


def test_a_household_is_placed_at_a_building_by_room_and_the_building_page_lists_everyone(ws: Workspace) -> None:
    with ws.write() as db:
        building = _building(db)
        other = _building(db, org_code=f"{GRID}002", road="仓边路", house_no="8号", name="")  # a grid of it
        _building(db, org_code=OTHER, road="越华路", house_no="1号")  # another community's
        records.create(db, Dwelling, {"org_code": GRID, "building_id": building.id, "room_no": "302"})
        records.create(db, Dwelling, {"org_code": GRID, "building_id": building.id, "room_no": "101",
                                      "occupancy": "rented"})
        home = household(db, building_id=building.id, room_no="302")
        member(db, home.id)
        records.create(db, Resident, _resident(building, room_no="101"))
        records.create(db, Resident, _resident(building, room_no="101", name="王红", id_number=None,
                                               population_type="registered", residence_reason=None))
        gone = records.create(db, Resident, _resident(building, name="赵走", id_number=None))
        records.archive(db, gone)
        moved = household(db, head_name="刘备")
        records.update(db, moved, {"building_id": other.id, "room_no": "1"})
        records.update(db, moved, {"building_id": None, "room_no": ""})  # moved out again
        building_id, home_id = building.id, home.id
    with ws.read() as db:
        shown = buildings.page(db, building_id)
        assert shown.address == "小北路100号 小北花园3栋"
        assert [d["room_no"] for d in shown.dwellings] == ["101", "302"]
        assert [(h["id"], h["room_no"], h["household_size"]) for h in shown.households] == [(home_id, "302", 1)]
        assert [r["name"] for r in shown.residents] == ["李明", "王红"]
        # the buildings a household can be placed at, in address order: at community level its
        # community's; in a grid the grid's and the community's own, not another grid's
        assert [label for _id, label in buildings.choices(db, GRID)] == ["仓边路8号", "小北路100号 小北花园3栋"]
        assert [label for _id, label in buildings.choices(db, f"{GRID}002")] == ["仓边路8号", "小北路100号 小北花园3栋"]
        assert [label for _id, label in buildings.choices(db, f"{GRID}003")] == ["小北路100号 小北花园3栋"]
        # the one it is placed at is offered whatever its grid (the form keeps it)
        far = [b for b, _label in buildings.choices(db, OTHER)]
        assert building_id not in far and buildings.choices(db, OTHER, building_id)[-1][0] == building_id
        assert db.get(Household, home_id).building_id == building_id


def _sheet_rows(path: Path) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(path.read_bytes())).active
    assert sheet is not None
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_the_buildings_list_counts_in_sql_and_both_lists_export_ledgers_that_read_back(
        ws: Workspace, tmp_path: Path) -> None:
    with ws.write() as db:
        full = _building(db)
        _building(db, road="仓边路", house_no="8号", name="", building_code="")
        for room in ("301", "302"):
            household(db, building_id=full.id, room_no=room)
        household(db)  # placed nowhere
        records.create(db, Resident, _resident(full))
        records.create(db, Resident, _resident(full, name="王红", id_number="11010519491231002X",
                                               population_type="registered", residence_reason=None))
        records.create(db, Resident, _resident(full, name="周八", id_number=None))
    flt = listing.ListFilter(scope=(GRID,))
    with ws.read() as db:
        rows = {row["road"]: row for row in listing.page(db, "buildings", flt)}
        assert (rows["小北路"]["households"], rows["小北路"]["residents"], rows["小北路"]["floating"]) == (2, 3, 2)
        assert (rows["仓边路"]["households"], rows["仓边路"]["residents"]) == (0, 0)
        assert listing.count(db, "residents", flt) == 3
        floating = listing.ListFilter(scope=(GRID,), choices={"population_type": ("floating",)})
        assert sorted(r["name"] for r in listing.page(db, "residents", floating)) == ["周八", "李明"]
        found = listing.page(db, "residents", listing.ListFilter(scope=(GRID,), text="小北"))  # by the road
        assert len(found) == 3
        by_count = listing.page(db, "buildings", flt.with_sort("residents", True))
        assert by_count[0]["road"] == "小北路"
    for name, who, coded in (("buildings", "小北路", "住宅"), ("residents", "李明", "流动人口")):
        path = tmp_path / f"{name}.xlsx"
        ledger = list_export.save_list_ledger(ws, name, flt, path, password=None)
        rows_out = _sheet_rows(path)
        assert rows_out[0][0] == ledger.title and list_export.list_title(name) in ledger.title
        header = rows_out[2]
        extra = list_export.LEDGER_FIELDS.get(name, ())
        assert header[0] == "序号" and len(header) == len(listing.LISTS[name].columns) + 1 + len(extra)
        found = [row for row in rows_out[3:] if who in row]
        assert found and coded in found[0], (name, rows_out)
    header = _sheet_rows(tmp_path / "buildings.xlsx")[2]
    assert {"户数", "实有人口", "其中流动人口", "建筑物编码", "层数"} <= set(header)
    # the 实有人口 ledger carries each person's ID number after the name, headed by the field's label
    # and kept as text (the on-screen list masks it and leaves it out)
    people = _sheet_rows(tmp_path / "residents.xlsx")
    assert people[2][1:3] == ["姓名", "身份证号码"]
    assert "身份证号码" not in [c.label("zh") for c in listing.LISTS["residents"].columns]
    numbers = {row[1]: row[2] for row in people[3:] if row[1] in ("李明", "王红", "周八")}
    assert numbers == {"李明": "360426199101010071", "王红": "11010519491231002X", "周八": None}
    sheet = load_workbook(io.BytesIO((tmp_path / "residents.xlsx").read_bytes())).active
    assert sheet is not None and sheet.cell(4, 3).number_format == "@"


def test_a_floating_residents_reason_is_not_cleared_while_they_stay_floating(ws: Workspace) -> None:
    with ws.write() as db:
        person = records.create(db, Resident, _resident(_building(db)))
        with pytest.raises(ValidationErrors) as cleared:
            records.update(db, person, {"residence_reason": None})
        assert _codes(cleared.value) == {"resident.reason_required"}
        assert person.residence_reason == "work"
        # no longer floating (registered here now): the reason may go with it
        records.update(db, person, {"population_type": "registered", "residence_reason": None})
        assert (person.population_type, person.residence_reason) == ("registered", None)
