"""The household registration sheet: real records in, escaped HTML out."""

from __future__ import annotations

import datetime as dt

from caseapp.domain import AssistanceCase, Household, IncomeItem, Member
from caseapp.services import forms, records
from caseapp.store.workspace import Workspace

ORG = "440105001001"
ID = "440105198001011234"


def test_sheet_lists_members_income_and_assistance_and_escapes_text(ws: Workspace) -> None:
    with ws.write() as s:
        h = records.create(s, Household, {"org_code": ORG, "head_name": "王芳", "phone": "13800138000",
                                          "address": "工业大道 <b>1</b> 号 & 2 栋", "register_type": "local_urban"})
        head = records.create(s, Member, {"org_code": ORG, "household_id": h.id, "name": "王芳", "relationship": "02",
                                          "id_number": ID, "health": "healthy"})
        records.create(s, Member, {"org_code": ORG, "household_id": h.id, "name": "李小明", "relationship": "20"})
        records.create(s, IncomeItem, {"org_code": ORG, "member_id": head.id, "income_type": "wages",
                                       "monthly_amount": "1500.5"})
        records.create(s, AssistanceCase, {"org_code": ORG, "household_id": h.id, "category": "dibao",
                                           "people_covered": 2, "monthly_amount": "600"})
    with ws.read() as s:
        html = forms.household_sheet(s, h.id, today=dt.date(2026, 11, 30))
    assert "家庭基本情况登记表" in html and "2026年11月30日" in html and "赤岗街道" in html
    assert ID in html and "李小明" in html and "户主" in html
    assert "1,500.50" in html and "最低生活保障" in html and "申请" in html
    assert "<b>1</b>" not in html and "&lt;b&gt;1&lt;/b&gt;" in html and "&amp; 2 栋" in html
    assert "申请人（户主）" in html and "（盖章）" in html
