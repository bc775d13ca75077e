"""家庭基本情况登记表: a household, its members (ID numbers in full: the applicant's own record,
signed by them), their income and the household's assistance, with the declaration the applicant
signs and the boxes the investigators and the community sign and seal."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseapp.domain import AssistanceCase, IncomeItem, Investigation, Member
from caseapp.domain.fields import entity_label
from caseapp.services.forms import layout
from caseapp.services.forms.family import family, people, yuan
from caseapp.services.forms.layout import Box, Fact

TITLE = "家庭基本情况登记表"
HOUSEHOLD_FIELDS = ("head_name", "phone", "register_type", "poverty_reason", "address", "hukou_address")
MEMBER_COLUMNS = ("name", "relationship", "id_number", "sex", "birth_date", "marital_status", "health",
                  "employment", "work_capacity")
INCOME_COLUMNS = ("member_id", "income_type", "monthly_amount", "note")
CASE_COLUMNS = ("category", "status", "people_covered", "monthly_amount", "approved_on", "next_review_date")
DECLARATION = "本人承诺以上情况真实、完整，并授权民政部门核对家庭经济状况。如有虚报、隐瞒，愿承担相应责任。"


def household_sheet(session: Session, household_id: str, *, today: dt.date | None = None) -> str:
    """The registration sheet of one household, as an HTML document."""
    today = today or dt.date.today()
    fam = family(session, household_id)
    home = fam.household
    cases = list(session.scalars(select(AssistanceCase).where(AssistanceCase.household_id == household_id,
                                                              AssistanceCase.archived.is_(False))
                                 .order_by(AssistanceCase.created_at, AssistanceCase.id)))
    head = layout.facts([
        *layout.facts_of(home, HOUSEHOLD_FIELDS, wide=("address", "hukou_address")),
        Fact("家庭人口", people(len(fam.members))), Fact("家庭月收入合计", yuan(fam.income)),
    ])
    members = layout.grid([layout.label(Member, f) for f in MEMBER_COLUMNS],
                          [[layout.said(m, f) for f in MEMBER_COLUMNS] for m in fam.members], nowrap=(0, 2, 4))
    incomes = layout.grid([layout.label(IncomeItem, f) for f in INCOME_COLUMNS],
                          [[fam.name_of(i.member_id), *(layout.said(i, f) for f in INCOME_COLUMNS[1:])]
                           for i in fam.incomes], nowrap=(0,))
    assistance = layout.grid([layout.label(AssistanceCase, f) for f in CASE_COLUMNS],
                             [[layout.said(c, f) for f in CASE_COLUMNS] for c in cases], nowrap=(4, 5))
    signatures = layout.boxes([Box("申请人（户主）", name=home.head_name),
                               Box(layout.label(Investigation, "investigators")),
                               Box("社区（村）意见", signer="经办人：", seal=True)])
    body = (f"{head}{layout.section('一、' + entity_label(Member, layout.ZH))}{members}"
            f"{layout.section('二、家庭收入（月）')}{incomes}"
            f"{layout.section('三、社会救助')}{assistance}{layout.section('四、声明与签字', keep=True)}"
            f"<p>{layout.text(DECLARATION)}</p>{signatures}")
    return layout.page(TITLE, body, unit=layout.issuing_unit(home.org_code), record=home, today=today)


def build(session: Session, record_id: str, today: dt.date) -> str:
    return household_sheet(session, record_id, today=today)

