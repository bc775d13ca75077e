"""Demo data for "Open a demo": ``caseapp.services.demo.generate`` when present.

The fallback makes a few fictional households (with members, elders, visits, a grid event and a
referral) through the ordinary record services, so a newcomer sees a populated app.
"""

from __future__ import annotations

import datetime as dt
import importlib
import random
from collections.abc import Callable
from typing import Any

from caseapp.domain import CareVisit, ElderProfile, GridEvent, Household, Member, Referral
from caseapp.services import records
from caseapp.store.workspace import Workspace
from caseapp.validation.idnumber import id_check_char

DEMO_ORG = "440104001007"  # 越秀区洪桥街道三眼井社区
Progress = Callable[[int, int], None]

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁"
_GIVEN = ["秀英", "桂英", "建华", "志强", "丽娟", "国平", "淑珍", "伟", "敏", "海燕", "玉兰", "德明", "晓东", "婷"]
_STREETS = ["越秀北路", "东风中路", "解放北路", "豪贤路", "小北路", "德政北路"]


def generate(ws: Workspace, households: int, seed: int = 0, progress: Progress | None = None) -> Any:
    try:
        demo = importlib.import_module("caseapp.services.demo")
    except ImportError:
        return _fallback(ws, households, seed, progress)
    return demo.generate(ws, households, seed=seed, progress=progress)


def _id_number(rng: random.Random, birth: dt.date, male: bool) -> str:
    seq = rng.randrange(0, 499) * 2 + (1 if male else 0)
    first17 = f"440104{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_char(first17)


def _fallback(ws: Workspace, households: int, seed: int, progress: Progress | None) -> int:
    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    made = 0
    for i in range(households):
        with ws.write() as db:
            surname = rng.choice(_SURNAMES)
            head = surname + rng.choice(_GIVEN)
            flat = f"{rng.randrange(1, 12)}0{rng.randrange(1, 6)}"
            address = f"广州市越秀区{rng.choice(_STREETS)}{rng.randrange(1, 300)}号{flat}房"
            hh = records.create(db, Household, {"org_code": DEMO_ORG, "head_name": head, "address": address,
                                                "phone": f"13{rng.randrange(0, 10)}{rng.randrange(10**7, 10**8)}",
                                                "register_type": "local_urban"})
            birth = dt.date(rng.randrange(1935, 1960), rng.randrange(1, 13), rng.randrange(1, 29))
            male = rng.random() < 0.5
            m = records.create(db, Member, {"org_code": DEMO_ORG, "household_id": hh.id, "name": head,
                                            "relationship": "02", "id_number": _id_number(rng, birth, male)})
            spouse_birth = birth + dt.timedelta(days=rng.randrange(-900, 900))
            records.create(db, Member, {"org_code": DEMO_ORG, "household_id": hh.id,
                                        "name": rng.choice(_SURNAMES) + rng.choice(_GIVEN), "relationship": "10",
                                        "id_number": _id_number(rng, spouse_birth, not male)})
            made += 3
            if i % 2 == 0:
                tier = rng.choice(["high", "key", "normal"])
                elder = records.create(db, ElderProfile, {"org_code": DEMO_ORG, "household_id": hh.id,
                                                          "member_id": m.id, "risk_tier": tier,
                                                          "living_arrangement": rng.choice(["alone", "empty_nest"])})
                records.create(db, CareVisit, {"org_code": DEMO_ORG, "elder_id": elder.id, "method": "in_person",
                                               "visited_at": now - dt.timedelta(days=rng.randrange(1, 60)),
                                               "health": "精神尚可，血压偏高", "services": "测量血压，讲解防诈骗"})
                made += 2
            if i % 4 == 1:
                records.create(db, GridEvent, {"org_code": DEMO_ORG, "title": "楼道堆放杂物", "category": "01",
                                               "occurred_at": now - dt.timedelta(hours=rng.randrange(2, 90)),
                                               "place": address, "household_id": hh.id, "scale": "minor"})
                made += 1
            if i % 5 == 2:
                records.create(db, Referral, {"org_code": DEMO_ORG, "household_id": hh.id, "client_name": head,
                                              "from_org": "三眼井社区居委会", "to_org": "越秀区家庭综合服务中心",
                                              "reason": "独居老人需要定期上门护理", "consent_given": True})
                made += 1
        if progress is not None:
            progress(i + 1, households)
    return made
