"""家庭经济状况核对授权书: the consent every adult member signs before the 核对 centre may query
their household register, tax, social insurance, property, business, housing fund, vehicle, bank,
insurance and securities records (the sources are the ``verification_source`` dictionary, so the
form names what the 核对 actually queries). Each member signs on their own line."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseapp import refdata
from caseapp.domain import AssistanceCase, Member
from caseapp.services import display
from caseapp.services.forms import layout
from caseapp.services.forms.family import family
from caseapp.services.forms.layout import Box

TITLE = "家庭经济状况核对授权书"
MEMBER_COLUMNS = ("name", "relationship", "id_number")


def consent_form(session: Session, household_id: str, *, today: dt.date | None = None) -> str:
    today = today or dt.date.today()
    fam = family(session, household_id)
    home = fam.household
    latest = session.scalars(select(AssistanceCase).where(AssistanceCase.household_id == household_id,
                                                          AssistanceCase.archived.is_(False))
                             .order_by(AssistanceCase.created_at.desc(), AssistanceCase.id.desc())).first()
    applying = layout.said(latest, "category") if latest is not None else "社会救助"
    sources = "、".join(display.code_name("verification_source", code, layout.ZH)
                        for code in refdata.dictionary("verification_source"))
    paragraphs = [
        f"本人及共同生活的家庭成员因申请{applying}，自愿授权民政部门及居民家庭经济状况核对机构，依法向有关部门和"
        "机构查询、核对本人及家庭成员的户籍、收入和财产等信息。",
        f"授权查询、核对的事项：{sources}。",
        "查询所得信息仅用于社会救助的审核确认和动态管理，核对机构依法保密。本授权自签字之日起生效，至救助终止之日止。",
        "家庭成员逐一签字（捺印）；未成年人或无民事行为能力人由其监护人代签。",
    ]
    text = "".join(f"<p>{layout.text(p)}</p>" for p in paragraphs)
    members = layout.grid(["序号", *(layout.label(Member, f) for f in MEMBER_COLUMNS), "本人签字（捺印）"],
                          [[str(n), *(layout.said(m, f) for f in MEMBER_COLUMNS), "\n"]
                           for n, m in enumerate(fam.members, start=1)], nowrap=(1, 3))
    signatures = layout.boxes([Box("授权人（户主）", name=home.head_name),
                               Box("社区（村）经办", signer="经办人：", seal=True)])
    body = f"{text}{members}<br>{signatures}"
    return layout.page(TITLE, body, unit=layout.issuing_unit(home.org_code), record=home, today=today)


def build(session: Session, record_id: str, today: dt.date) -> str:
    return consent_form(session, record_id, today=today)
