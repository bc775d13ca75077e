"""Org units and grids, grid events (入格事项) with their handling history, and patrol logs."""

from __future__ import annotations

import datetime as dt
import json
import random
from itertools import pairwise
from math import ceil

from caseapp import refdata
from caseapp.domain import GridEvent, GridEventUpdate, OrgUnit, PatrolLog, Record
from caseapp.services.demo import people as pp
from caseapp.services.demo.common import Grid, at, chance, pick, places_data, record
from caseapp.services.demo.households import HouseholdDraft

HOUSEHOLDS_PER_GRID = 200  # Guangzhou's norm for a grid
CITY = "440100"
MAIN_PATH: tuple[str, ...] = ("reported", "registered", "dispatched", "in_progress", "feedback", "verified", "closed",
                               "evaluated")
MINOR_PATH: tuple[str, ...] = ("reported", "self_resolved", "closed")
CATEGORIES: dict[str, tuple[float, tuple[str, ...]]] = {
    "01": (12, ("邻里噪音纠纷", "楼上漏水引发邻里矛盾", "租户与房东押金纠纷", "家庭赡养纠纷", "停车位纠纷")),
    "02": (12, ("楼道电动车充电", "外墙瓷砖松动", "井盖缺失", "房屋墙体开裂", "路灯损坏")),
    "03": (14, ("楼道堆放杂物堵塞消防通道", "出租屋私拉乱接电线", "消防栓损坏", "灭火器过期")),
    "04": (20, ("垃圾未及时清运", "积水蚊虫滋生", "占道堆放建筑垃圾", "餐饮油烟扰民")),
    "05": (5, ("天台违规加建", "首层违规搭建雨棚", "违规改变房屋结构")),
    "06": (12, ("出租屋未登记", "群租房人员密集", "租客信息未申报")),
    "07": (5, ("社区矫正人员走访", "严重精神障碍患者随访", "刑满释放人员帮扶")),
    "08": (10, ("独居老人求助", "困难救助政策咨询", "残疾人证办理咨询", "困难家庭子女就学困难")),
    "09": (8, ("占道经营", "共享单车乱停放", "广告牌破损", "违规张贴小广告")),
    "99": (2, ("流浪人员求助", "走失老人寻找")),
}
DEPARTMENTS = ("街道综治中心", "城管执法队", "住建部门", "派出所", "消防救援站", "市场监管所", "环卫站", "社区居委会")
NOTES = {"registered": "已立案", "dispatched": "已派遣至责任部门", "in_progress": "责任部门处置中",
         "feedback": "处置完毕，已反馈", "verified": "网格员现场核查，已处置到位", "closed": "结案",
         "evaluated": "群众满意", "self_resolved": "网格员现场处置", "voided": "经核实不属实，作废"}
PATROL_FINDINGS = ("", "", "", "发现楼道堆放杂物1处，已劝导清理", "发现出租屋未登记1户", "路灯损坏1处，已上报")


def _short(community: str) -> str:
    for suffix in ("社区居民委员会", "社区居委会", "居民委员会", "居委会", "村民委员会", "村委会"):
        if community.endswith(suffix):
            return community.removesuffix(suffix) + ("村" if "村" in suffix else "社区")
    return community


def plan_grids(households: int, seed: int) -> list[Grid]:
    """Enough grids for ``households`` at about 200 each, in communities of real streets, with
    districts chosen in proportion to their population."""
    rng = random.Random(f"demo:{seed}:grids")
    places = places_data()["districts"]
    districts = [(d, float(places[d.code]["population"])) for d in refdata.districts() if d.code in places]
    per_community: dict[str, int] = {}
    grids: list[Grid] = []
    for _ in range(max(1, ceil(households / HOUSEHOLDS_PER_GRID))):
        district = pick(rng, districts)
        streets = [s for s in refdata.children(district.code) if refdata.children(s.code)]
        street = rng.choice(streets)
        community = rng.choice(refdata.children(street.code))
        seq = per_community[community.code] = per_community.get(community.code, 0) + 1
        rural = community.name.endswith(("村民委员会", "村委会"))
        workers = tuple(pp.han_name(rng, pick(rng, [("F", 70), ("M", 30)]), rng.randint(1970, 1998)) for _ in range(3))
        grids.append(Grid(code=f"{community.code}{seq:03d}", name=f"{_short(community.name)}第{seq}网格", seq=seq,
                          district=district, street=street, community=community, rural=rural,
                          roads=tuple(rng.sample(places[district.code]["roads"], 3)), workers=workers,
                          officer=workers[0]))
    return grids


def org_units(grids: list[Grid]) -> list[Record]:
    """The city, its districts, the streets and communities holding grids, and the grids."""
    out: list[Record] = [record(OrgUnit, org_code=CITY, code=CITY, name="广州市", level="city")]
    seen: set[str] = set()

    def unit(code: str, name: str, level: str, parent: str) -> None:
        if code not in seen:
            seen.add(code)
            out.append(record(OrgUnit, org_code=code, code=code, name=name, level=level, parent_code=parent))

    for d in refdata.districts():
        unit(d.code, d.name, "district", CITY)
    for g in sorted(grids, key=lambda g: g.code):
        unit(g.street.code, g.street.name, "street", g.district.code)
        for c in refdata.children(g.street.code):
            unit(c.code, c.name, "community", g.street.code)
        unit(g.code, g.name, "grid", g.community.code)
    return out


def _point(rng: random.Random, grid: Grid) -> tuple[float, float]:
    lat, lon = places_data()["districts"][grid.district.code]["centre"]
    return round(lat + rng.uniform(-0.04, 0.04), 6), round(lon + rng.uniform(-0.04, 0.04), 6)


def event(rng: random.Random, draft: HouseholdDraft, today: dt.date) -> list[Record]:
    """A grid event raised near a household, and as much of its handling as has happened by now."""
    grid = draft.grid
    category = pick(rng, [(c, w) for c, (w, _) in CATEGORIES.items()])
    title = rng.choice(CATEGORIES[category][1])
    occurred = at(today - dt.timedelta(days=rng.randint(1, 180)), rng, 8, 20)
    scale = pick(rng, [("minor", 40), ("normal", 55), ("major", 5)])
    path = MINOR_PATH if scale == "minor" and chance(rng, 0.6) else MAIN_PATH
    if chance(rng, 0.05):
        path = ("reported", "voided")
    lat, lon = _point(rng, grid)
    head = draft.people[0]
    dispute = category == "01"
    ev = record(GridEvent, org_code=grid.code, title=title, category=category, occurred_at=occurred, status="reported",
                place=draft.household.address, latitude=lat, longitude=lon,
                source=pick(rng, [("patrol", 55), ("hotline", 20), ("video", 5), ("resident", 20)]), scale=scale,
                people_involved=rng.randint(2, 6) if dispute else rng.randint(0, 2),
                party_name=head.name if dispute else None, party_id_number=head.member.id_number if dispute else None,
                party_address=draft.household.address if dispute else None,
                description=f"{draft.household.address}附近{title}，{'居民反映' if chance(rng, 0.5) else '巡查发现'}。",
                household_id=draft.household.id if dispute or category in ("07", "08") else None,
                department=rng.choice(DEPARTMENTS) if path is MAIN_PATH else None,
                deadline=occurred + dt.timedelta(days=7) if path is MAIN_PATH else None)
    out: list[Record] = [ev]
    moment = occurred
    limit = dt.datetime.combine(today, dt.time(0), occurred.tzinfo)
    for previous, status in pairwise(path):
        moment += dt.timedelta(hours=rng.randint(2, 72))
        # recent events are still being handled, and some wait on a department or an evaluation
        waiting = (status != "registered" and chance(rng, 0.06)) or (status == "evaluated" and chance(rng, 0.4))
        if moment >= limit or waiting:
            break
        out.append(record(GridEventUpdate, org_code=grid.code, event_id=ev.id, at=moment, from_status=previous,
                          to_status=status, note=NOTES[status]))
        ev.status = status
    return out


def patrols(rng: random.Random, grid: Grid, today: dt.date) -> list[Record]:
    """Weekly patrols of the grid over the last three months."""
    out: list[Record] = []
    for week in range(13, 0, -1):
        start = at(today - dt.timedelta(days=7 * week - rng.randint(0, 4)), rng, 9, 15)
        end = start + dt.timedelta(minutes=rng.randint(40, 150))
        lat, lon = _point(rng, grid)
        track = [[round(lat + i * 0.0008, 6), round(lon + rng.uniform(-0.0005, 0.0005), 6),
                  (start + dt.timedelta(minutes=10 * i)).isoformat()] for i in range(5)]
        problem = rng.choice(PATROL_FINDINGS)
        out.append(record(PatrolLog, org_code=grid.code, started_at=start, ended_at=end,
                          places_checked="、".join(grid.roads) if not grid.rural else _short(grid.community.name),
                          problems=problem, track=json.dumps(track)))
    return out
