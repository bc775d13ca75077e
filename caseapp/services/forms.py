"""Printed forms: a household's registration sheet (家庭基本情况登记表) as HTML for the desktop
client to render as PDF, and the PDF sealed with a password (AES-256, which every PDF viewer asks
for) before it is written anywhere.

Official forms are filed on paper and signed, so the sheet is in Chinese whatever the UI language,
with every member's ID number in full (it is the applicant's own record, signed by them), the
household's income and assistance, and the lines the investigators and the applicant sign on.
The text is escaped: a name or an address can never inject markup into the page.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from html import escape
from typing import Any

from pypdf import PdfReader, PdfWriter
from sqlalchemy import select
from sqlalchemy.orm import Session

from caseapp import refdata
from caseapp.crypto.keyfile import check_passphrase
from caseapp.domain import AssistanceCase, Household, IncomeItem, Member
from caseapp.messages import field_label, message
from caseapp.services import records

ZH = "zh"
# The sheet's tables: each column a field, headed with the field's own label.
MEMBER_COLUMNS = ("name", "relationship", "sex", "birth_date", "id_number", "health", "employment")
INCOME_COLUMNS = ("member_id", "income_type", "monthly_amount", "note")
CASE_COLUMNS = ("category", "status", "people_covered", "monthly_amount", "approved_on", "next_review_date")


def _code(dictionary: str, value: Any) -> str:
    if value in (None, ""):
        return ""
    try:
        return refdata.label(dictionary, str(value), ZH)
    except KeyError:
        return str(value)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f"{value:%Y.%m.%d}"  # as forms write it: 1980.01.01
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(value)


def _table(headers: list[str], rows: list[list[Any]], empty: str = "无", nowrap: frozenset[int] = frozenset()) -> str:
    """A bordered table; columns in ``nowrap`` (ID numbers, dates) never break across lines."""
    keep = ' style="white-space: nowrap"'
    head = "".join(f"<th{keep if n in nowrap else ''}>{escape(h)}</th>" for n, h in enumerate(headers))
    if not rows:
        body = f'<tr><td colspan="{len(headers)}" align="center">{escape(empty)}</td></tr>'
    else:
        body = "".join("<tr>" + "".join(f"<td{keep if n in nowrap else ''}>{escape(_text(v))}</td>"
                                        for n, v in enumerate(row)) + "</tr>" for row in rows)
    return f'<table width="100%" border="1" cellspacing="0" cellpadding="4"><tr>{head}</tr>{body}</table>'


def household_sheet(session: Session, household_id: str, *, today: dt.date | None = None) -> str:
    """The registration sheet of one household, as an HTML document."""
    today = today or dt.date.today()
    home = records.get(session, Household, household_id)
    members = list(session.scalars(select(Member).where(Member.household_id == household_id,
                                                        Member.archived.is_(False)).order_by(Member.created_at)))
    names = {m.id: m.name for m in members}
    incomes = list(session.scalars(select(IncomeItem).where(IncomeItem.member_id.in_(list(names)),
                                                            IncomeItem.archived.is_(False))))
    cases = list(session.scalars(select(AssistanceCase).where(AssistanceCase.household_id == household_id,
                                                              AssistanceCase.archived.is_(False))))
    total = sum((i.monthly_amount for i in incomes), Decimal(0))
    known = next((home.org_code[:n] for n in (12, 9, 6) if refdata.division(home.org_code[:n])), "")
    area = f"{refdata.full_name(known)}（{home.org_code}）" if known else home.org_code

    def label(field: str, entity: str) -> str:
        return field_label(field, ZH, entity)

    facts = [
        (label("head_name", "household"), home.head_name), (label("phone", "household"), home.phone or ""),
        (label("address", "household"), home.address),
        (label("register_type", "household"), _code("household_register_type", home.register_type)),
        ("家庭人口", f"{len(members)} 人"), ("家庭月收入合计", f"{total:,.2f} 元"),
    ]
    fact_rows = "".join(f"<tr><th width=\"22%\" align=\"left\">{escape(k)}</th><td>{escape(str(v))}</td></tr>"
                        for k, v in facts)
    member_rows = [[m.name, _code("relationship", m.relationship), _code("sex", m.sex), m.birth_date,
                    m.id_number or "", _code("health_status", m.health), _code("employment_status", m.employment)]
                   for m in members]
    income_rows = [[names.get(i.member_id, ""), _code("income_type", i.income_type), i.monthly_amount, i.note]
                   for i in incomes]
    case_rows = [[_code("assistance_category", c.category), message(f"state.assistance_case.{c.status}", ZH),
                  c.people_covered, c.monthly_amount, c.approved_on, c.next_review_date] for c in cases]
    return f"""<html><head><meta charset="utf-8"><style>
body {{ font-size: 10.5pt; }}
h1 {{ font-size: 16pt; text-align: center; margin-bottom: 2pt; }}
h2 {{ font-size: 11pt; margin-top: 10pt; margin-bottom: 4pt; }}
th {{ background-color: #eeeeee; font-weight: bold; font-size: 9pt; }}
td {{ font-size: 9.5pt; }}
p.meta {{ text-align: center; font-size: 9pt; }}
</style></head><body>
<h1>家庭基本情况登记表</h1>
<p class="meta">{escape(area)}　　填表日期：{today:%Y年%m月%d日}</p>
<table width="100%" border="1" cellspacing="0" cellpadding="4">{fact_rows}</table>
<h2>一、家庭成员</h2>
{_table([label(f, "member") for f in MEMBER_COLUMNS], member_rows, nowrap=frozenset({0, 3, 4}))}
<h2>二、家庭收入（月）</h2>
{_table([label(f, "income_item") for f in INCOME_COLUMNS], income_rows)}
<h2>三、社会救助</h2>
{_table([label(f, "assistance_case") for f in CASE_COLUMNS], case_rows, nowrap=frozenset({4, 5}))}
<h2>四、声明与签字</h2>
<p>本人承诺以上情况真实、完整，并授权民政部门核对家庭经济状况。如有虚报、隐瞒，愿承担相应责任。</p>
<table width="100%" cellspacing="0" cellpadding="10">
<tr><td>申请人（户主）签字：</td><td>日期：　　年　　月　　日</td></tr>
<tr><td>调查人签字：</td><td>调查人签字：</td></tr>
<tr><td>社区（村）意见（盖章）：</td><td>日期：　　年　　月　　日</td></tr>
</table>
</body></html>"""


def seal_pdf(data: bytes, password: str) -> bytes:
    """The PDF encrypted with ``password`` (AES-256): viewers ask for it before showing a page."""
    check_passphrase(password)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=password, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
