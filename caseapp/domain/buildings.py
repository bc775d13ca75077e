"""Buildings and the people who actually live in a grid (四标四实): a building at its standard address
(标准地址: road, 门牌号, building name) with its standard building code (标准建筑物编码), its
dwellings (实有房屋, one per 房号), and the actual population (实有人口) living there — registered
(户籍), floating (流动) or from abroad (境外) — whether or not they belong to an assistance household.
The building's grid is its ``org_code`` (标准基础网格); a household is placed at a building and 房号
(caseapp.domain.households)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped

from caseapp.domain.base import Record, register
from caseapp.domain.fields import TEXT, field
from caseapp.domain.types import IsoDate
from caseapp.errors import ValidationError
from caseapp.validation.idnumber import person_facts
from caseapp.validation.rules import ID_NUMBER, NON_NEGATIVE, PAST, PERSON_NAME, PHONE

#: the population type (``population_type`` codes) whose 居住事由 must be given: a floating resident's
FLOATING = "floating"

#: a community's code (统计用区划代码) is the first 12 digits of its grids' (community code + sequence)
COMMUNITY_DIGITS = 12
#: where a household's building stands for the household (``placement``)
IN_GRID, OTHER_GRID, OTHER_COMMUNITY = "in_grid", "other_grid", "other_community"


def placement(household_org: str, building_org: str) -> str:
    """Where the building a household is placed at stands, for that household: in its grid
    (IN_GRID: the household's own grid, any grid of the community a household kept at community
    level belongs to, or the community itself, where buildings not yet given a grid are kept), in
    another grid of the same community (OTHER_GRID: a grid re-drawn half way, the building moved and
    not yet its households, or the other way round), or in another community (OTHER_COMMUNITY: the
    household's people and address would be in the wrong community's 实有人口 and ledgers).

    The one statement of the rule: ``in_grid``, ``placement_sql`` (the checks across records,
    caseapp.services.quality) and the buildings a household is offered (caseapp.services.buildings)
    follow from it; a test holds the SQL to the same verdict."""
    if building_org.startswith(household_org) or building_org == household_org[:COMMUNITY_DIGITS]:
        return IN_GRID
    if building_org[:COMMUNITY_DIGITS] == household_org[:COMMUNITY_DIGITS]:
        return OTHER_GRID
    return OTHER_COMMUNITY


def in_grid(household_org: str, building_org: str) -> bool:
    """May a household kept at ``household_org`` be placed at a building kept at ``building_org``?"""
    return placement(household_org, building_org) == IN_GRID


def placement_sql(household_org: str, building_org: str) -> str:
    """``placement`` as an SQLite expression over two org-code columns (or bound parameters)."""
    h, b, n = household_org, building_org, COMMUNITY_DIGITS
    return (f"(CASE WHEN substr({b}, 1, length({h})) = {h} OR {b} = substr({h}, 1, {n}) THEN '{IN_GRID}' "
            f"WHEN substr({b}, 1, {n}) = substr({h}, 1, {n}) THEN '{OTHER_GRID}' ELSE '{OTHER_COMMUNITY}' END)")


@register
class Building(Record):
    """A building at its standard address (标准地址: 街路巷, 门牌号, building name) with its standard
    building code (标准建筑物编码), what it is used for, its floors and units, and who owns or manages
    it. Its grid (标准基础网格) is the record's org unit; dwellings and residents hang from it."""

    __tablename__ = "buildings"
    entity = "building"
    label = ("建筑物", "Building")
    summary = ("road", "house_no", "name")

    road: Mapped[str] = field(
        String(60),
        default="",
        label=("街路巷", "Road or street"),
        required=True,
        headings=("街路巷", "街巷", "道路"),
        help="The road, street or lane of the standard address (标准地址), e.g. 东风中路 or 仓边路北一巷.",
    )
    house_no: Mapped[str] = field(
        String(20),
        default="",
        label=("门牌号", "House number"),
        required=True,
        headings=("门牌号", "门牌"),
        help="The house number on the road (门牌号), e.g. 28号 or 28号之一.",
    )
    name: Mapped[str] = field(
        String(60),
        default="",
        label=("建筑物名称", "Building name"),
        headings=("建筑物名称", "楼宇名称", "小区楼栋"),
        help="The estate and block or the building's own name (e.g. 东风花园3栋), if it has one.",
    )
    building_code: Mapped[str] = field(
        String(32),
        default="",
        index=True,
        label=("标准建筑物编码", "Standard building code"),
        short=("建筑物编码", "Building code"),
        headings=("标准建筑物编码", "建筑物编码"),
        help="The code the 四标四实 survey gave the building (标准建筑物编码); blank until it is surveyed.",
    )
    use: Mapped[str] = field(
        String(16),
        default="residential",
        label=("建筑物用途", "Use"),
        codes="building_use",
        help="What the building is used for: housing, shops below flats, offices, industry, a public building …",
    )
    structure: Mapped[str | None] = field(
        String(16),
        default=None,
        label=("建筑结构", "Structure"),
        codes="building_structure",
        help="How it is built: reinforced concrete, brick and concrete, brick and wood, steel, simple structure.",
    )
    floors: Mapped[int] = field(
        Integer,
        default=1,
        label=("地上层数", "Floors above ground"),
        short=("层数", "Floors"),
        rule=NON_NEGATIVE,
        help="Floors above ground.",
    )
    units: Mapped[int] = field(
        Integer,
        default=1,
        label=("单元数", "Stairwells (units)"),
        short=("单元数", "Units"),
        rule=NON_NEGATIVE,
        help="Stairwells or entrances (单元) the building has.",
    )
    built_year: Mapped[int | None] = field(
        Integer, default=None, label=("建成年份", "Year built"), help="Year the building was completed."
    )
    manager_name: Mapped[str] = field(
        String(60),
        default="",
        label=("产权人或管理人", "Owner or manager"),
        personal=True,
        help="Who owns the building or manages it (产权人, 物业公司, 楼长).",
    )
    manager_phone: Mapped[str | None] = field(
        String(32),
        default=None,
        label=("管理人联系电话", "Manager's phone"),
        rule=PHONE,
        personal=True,
        help="The owner's or manager's contact number.",
    )
    fire_safety: Mapped[str] = field(
        Text,
        default="",
        label=("消防安全情况", "Fire safety"),
        widget=TEXT,
        help="Extinguishers, escape routes, hazards found on the last check (消防安全).",
    )
    notes: Mapped[str] = field(Text, default="", label=("备注", "Notes"), widget=TEXT, help="Free-text remarks.")

    @classmethod
    def check(cls, merged: Mapping[str, Any], out: dict[str, Any]) -> list[ValidationError]:
        floors, units = merged.get("floors"), merged.get("units")
        if floors is not None and floors < 1:
            return [ValidationError("building.no_floors", "floors")]
        if units is not None and units < 1:
            return [ValidationError("building.no_units", "units")]
        return []


@register
class Dwelling(Record):
    """A dwelling in a building (实有房屋), by its 房号: its floor and area, whether the owner lives in
    it, lets it or leaves it empty, and who owns it. Households and residents are placed at the
    building and the same 房号."""

    __tablename__ = "dwellings"
    entity = "dwelling"
    label = ("房屋", "Dwelling")
    summary = ("room_no", "occupancy")
    parent = ("building_id", "building")

    building_id: Mapped[str] = field(
        ForeignKey("buildings.id"),
        index=True,
        label=("所在建筑物", "Building"),
        help="The building the dwelling is in.",
    )
    room_no: Mapped[str] = field(
        String(20),
        default="",
        label=("房号", "Room number"),
        required=True,
        headings=("房号", "房间号", "室"),
        help="The dwelling's number in the building (e.g. 1单元302 or 302).",
    )
    floor: Mapped[int | None] = field(Integer, default=None, label=("所在楼层", "Floor"), help="Floor it is on.")
    area: Mapped[Decimal | None] = field(
        Numeric(8, 2),
        default=None,
        label=("建筑面积（平方米）", "Floor area (m²)"),
        rule=NON_NEGATIVE,
        help="Floor area in square metres.",
    )
    occupancy: Mapped[str] = field(
        String(16),
        default="owner",
        label=("使用情况", "Occupancy"),
        codes="dwelling_occupancy",
        help="Lived in by its owner, let (出租屋), empty, used as a shop or office, or a collective dormitory.",
    )
    owner_name: Mapped[str] = field(
        String(60),
        default="",
        label=("房主姓名", "Owner"),
        personal=True,
        help="The owner (房主) or, for a let dwelling, the landlord.",
    )
    owner_phone: Mapped[str | None] = field(
        String(32),
        default=None,
        label=("房主联系电话", "Owner's phone"),
        rule=PHONE,
        personal=True,
        help="The owner's or landlord's contact number.",
    )
    notes: Mapped[str] = field(
        Text, default="", label=("备注", "Notes"), widget=TEXT, personal=True, help="Free-text remarks."
    )


@register
class Resident(Record):
    """A person actually living at an address in the grid (实有人口): registered there (户籍), floating
    (流动人口: why they came, since when) or from abroad (境外), whether or not they are a member of a
    household the office assists. Sex and birth date follow from the ID number, as a member's do."""

    __tablename__ = "residents"
    entity = "resident"
    label = ("实有人口", "Resident")
    summary = ("name", "room_no")
    parent = ("building_id", "building")

    building_id: Mapped[str] = field(
        ForeignKey("buildings.id"),
        index=True,
        label=("居住建筑物", "Building lived in"),
        help="The building the person lives in.",
    )
    room_no: Mapped[str] = field(
        String(20),
        default="",
        label=("房号", "Room number"),
        headings=("房号", "房间号", "室"),
        help="The dwelling's number in the building.",
    )
    name: Mapped[str] = field(
        String(60),
        label=("姓名", "Name"),
        rule=PERSON_NAME,
        headings=("姓名",),
        personal=True,
        help="The person's name as on their ID card or passport.",
    )
    id_number: Mapped[str | None] = field(
        String(18),
        default=None,
        index=True,
        label=("身份证号码", "ID number"),
        rule=ID_NUMBER,
        masked=True,
        headings=("身份证号码", "公民身份号码", "身份证号"),
        help="18-digit resident ID number (GB 11643), checked like a member's; for a person from abroad, "
        "a residence permit's number, or blank with the passport under document number.",
    )
    document_no: Mapped[str] = field(
        String(30),
        default="",
        label=("其他证件号码", "Other document number"),
        masked=True,
        help="Passport or travel permit number of a person without a resident ID (境外人员).",
    )
    sex: Mapped[str | None] = field(
        String(1),
        default=None,
        label=("性别", "Sex"),
        codes="sex",
        personal=True,
        help="Filled in from the ID number when left empty.",
    )
    birth_date: Mapped[dt.date | None] = field(
        IsoDate,
        default=None,
        label=("出生日期", "Birth date"),
        rule=PAST,
        personal=True,
        help="Filled in from the ID number when left empty.",
    )
    residence_reason: Mapped[str | None] = field(
        String(16),
        default=None,
        label=("居住事由", "Reason for living here"),
        codes="residence_reason",
        personal=True,
        help="Why the person lives here: work, business, joining family, study, marriage …; required for a "
        "floating resident.",
    )
    population_type: Mapped[str] = field(
        String(12),
        default="registered",
        index=True,
        label=("人口类型", "Population type"),
        codes="population_type",
        help="Registered here (户籍人口), floating (流动人口, registered elsewhere in China) or from abroad "
        "(境外人员).",
    )
    moved_in_on: Mapped[dt.date | None] = field(
        IsoDate,
        default=None,
        label=("入住日期", "Moved in"),
        rule=PAST,
        help="Day the person came to live at this address.",
    )
    phone: Mapped[str | None] = field(
        String(32),
        default=None,
        label=("联系电话", "Phone number"),
        rule=PHONE,
        personal=True,
        help="The person's contact number.",
    )
    hukou_address: Mapped[str] = field(
        String(200),
        default="",
        label=("户籍地址", "Registered (hukou) address"),
        personal=True,
        help="Where the person is registered (户籍地), when it is not here.",
    )
    notes: Mapped[str] = field(
        Text, default="", label=("备注", "Notes"), widget=TEXT, personal=True, help="Free-text remarks."
    )

    @classmethod
    def check(cls, merged: Mapping[str, Any], out: dict[str, Any]) -> list[ValidationError]:
        """Someone recorded as floating says why they live here, judged when either is set (the type
        made floating, or the reason cleared while they stay floating). A sync applies an edit field
        by field, in field order: the reason, declared first, arrives before the type it goes with,
        and the server reads a reason's edit with the type the same push gives (sync.server.merge
        ``JUDGED_WITH``); sex and birth date follow from the ID number."""
        if ("population_type" in out or "residence_reason" in out) and merged.get("population_type") == FLOATING \
                and not merged.get("residence_reason"):
            return [ValidationError("resident.reason_required", "residence_reason")]
        return person_facts(merged, out)
