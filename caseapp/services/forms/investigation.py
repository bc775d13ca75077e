"""入户调查表: a home investigation as the two investigators fill it in at the visit: the
household and its members, housing, vehicles, savings and securities, businesses, expenses, those
obliged to support the household, the household's income, the findings, and the signatures of
both investigators and the applicant."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from caseapp.domain import IncomeItem, Investigation, Member
from caseapp.services import records
from caseapp.services.forms import layout
from caseapp.services.forms.family import family, people, yuan
from caseapp.services.forms.layout import Box, Fact

TITLE = "入户调查表"
HOUSEHOLD_FIELDS = ("head_name", "phone", "address")
MEMBER_COLUMNS = ("name", "relationship", "id_number", "health", "disability_type", "work_capacity", "employment")
VISIT_FIELDS = ("investigated_at", "investigators")
FINDINGS_FIELDS = ("housing_type", "housing_area", "housing_owner", "vehicles", "savings", "securities",
                   "businesses", "monthly_expenses", "consent_ref", "maintenance_obligors")
INCOME_COLUMNS = ("member_id", "income_type", "monthly_amount", "note")


def investigation_form(session: Session, investigation_id: str, *, today: dt.date | None = None) -> str:
    today = today or dt.date.today()
    visit = records.get(session, Investigation, investigation_id)
    fam = family(session, visit.household_id)
    home = fam.household
    household = layout.facts([*layout.facts_of(home, HOUSEHOLD_FIELDS, wide=("address",)),
                              Fact("家庭人口", people(len(fam.members)))])
    members = layout.grid([layout.label(Member, f) for f in MEMBER_COLUMNS],
                          [[layout.said(m, f) for f in MEMBER_COLUMNS] for m in fam.members], nowrap=(0, 2))
    found = layout.facts(layout.facts_of(visit, (*VISIT_FIELDS, *FINDINGS_FIELDS),
                                         wide=("investigators", "vehicles", "businesses", "maintenance_obligors")))
    incomes = layout.grid([layout.label(IncomeItem, f) for f in INCOME_COLUMNS],
                          [[fam.name_of(i.member_id), *(layout.said(i, f) for f in INCOME_COLUMNS[1:])]
                           for i in fam.incomes], nowrap=(0,), totals=["合计", "", yuan(fam.income), ""])
    findings = layout.text_box("", layout.said(visit, "findings"), lines=4)
    investigator = layout.label(Investigation, "investigators")
    signatures = layout.boxes([Box(f"{investigator}（一）"), Box(f"{investigator}（二）"),
                               Box("被调查人（申请人）", name=home.head_name)])
    body = (f"{layout.section('一、家庭基本情况')}{household}{members}"
            f"{layout.section('二、调查情况')}{found}{layout.section('三、家庭收入（月）')}{incomes}"
            f"{layout.section('四、' + layout.label(Investigation, 'findings'))}{findings}"
            f"{layout.section('五、签字', keep=True)}"
            f"<p>{layout.text('以上情况经入户核实，调查人员与被调查人确认无误。')}</p>{signatures}")
    return layout.page(TITLE, body, unit=layout.issuing_unit(visit.org_code), record=visit, today=today)


def build(session: Session, record_id: str, today: dt.date) -> str:
    return investigation_form(session, record_id, today=today)

