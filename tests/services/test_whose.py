"""Whose record it is: the household and person found through the record's links, for any type."""

from __future__ import annotations

import datetime as dt

from caseapp.domain import CareVisit, ElderProfile, Household, IncomeItem, Member
from caseapp.services import records
from caseapp.services.whose import Whose, whose
from caseapp.store.workspace import Workspace

ORG = "440104001007"


def test_each_record_names_its_household_and_person(ws: Workspace) -> None:
    with ws.write() as db:
        home = records.create(db, Household, {"org_code": ORG, "head_name": "王芳", "address": "滨江东路 1 号"})
        head = records.create(db, Member, {"org_code": ORG, "household_id": home.id, "name": "王芳",
                                           "relationship": "02"})
        spouse = records.create(db, Member, {"org_code": ORG, "household_id": home.id, "name": "李强",
                                             "relationship": "10"})
        elder = records.create(db, ElderProfile, {"org_code": ORG, "household_id": home.id, "member_id": spouse.id})
        visit = records.create(db, CareVisit, {"org_code": ORG, "elder_id": elder.id,
                                               "visited_at": dt.datetime.now(dt.UTC), "method": "in_person"})
        income = records.create(db, IncomeItem, {"org_code": ORG, "member_id": spouse.id, "income_type": "wages",
                                                 "monthly_amount": "1200"})
        ids = {"home": home.id, "head": head.id, "spouse": spouse.id, "elder": elder.id, "visit": visit.id,
               "income": income.id}
    family = ("王芳", "滨江东路 1 号")
    with ws.read() as db:
        def seen(entity: str, key: str) -> tuple[str | None, str, str, str]:
            w = whose(db, entity, ids[key])
            return w.household_id, w.head_name, w.address, w.person

        assert seen("household", "home") == (ids["home"], *family, "")
        assert seen("member", "head") == (ids["home"], *family, "王芳")
        assert seen("member", "spouse") == (ids["home"], *family, "李强")
        assert seen("elder_profile", "elder") == (ids["home"], *family, "李强")
        assert seen("care_visit", "visit") == (ids["home"], *family, "李强")  # visit → profile → member
        assert seen("income_item", "income") == (ids["home"], *family, "李强")
        assert whose(db, "member", "00000000-0000-0000-0000-000000000000") == Whose()  # not on this device
        assert whose(db, "no_such_type", ids["home"]) == Whose()
