"""转介单: a referral of a client from one organisation to another — the client, who refers them
to whom, why and how urgently, the client's consent — and the receipt (回执) the receiving
organisation fills in and returns, each part with its signature and seal."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from caseapp.domain import Household, Referral
from caseapp.services import records
from caseapp.services.forms import layout
from caseapp.services.forms.layout import Box

TITLE = "转介单"
CLIENT_HOUSEHOLD = ("phone", "address")
REFERRAL_FIELDS = ("from_org", "from_worker", "to_org", "to_worker", "urgency", "sent_at", "consent_given",
                   "consent_ref", "status")
RECEIPT_FIELDS = ("feedback_on",)


def referral_form(session: Session, referral_id: str, *, today: dt.date | None = None) -> str:
    today = today or dt.date.today()
    referral = records.get(session, Referral, referral_id)
    client = layout.facts_of(referral, ("client_name",))
    if referral.household_id:
        home = records.get(session, Household, referral.household_id)
        client += layout.facts_of(home, CLIENT_HOUSEHOLD, wide=("address",))
    who = layout.facts(client)
    what = layout.facts(layout.facts_of(referral, REFERRAL_FIELDS))
    reason = layout.text_box(layout.label(Referral, "reason"), layout.said(referral, "reason"), lines=4)
    signs = f"{layout.label(Referral, 'from_worker')}签字："
    sender = layout.boxes([Box(layout.label(Referral, "from_org"), signer=signs, name=referral.from_org, seal=True),
                           Box("服务对象（或监护人）", name=referral.client_name)])
    response = layout.text_box(layout.label(Referral, "response"), layout.said(referral, "response"), lines=4)
    receipt = layout.facts(layout.facts_of(referral, RECEIPT_FIELDS))
    receives = f"{layout.label(Referral, 'to_worker')}签字："
    receiver = layout.boxes([Box("接收机构", signer=receives, name=referral.to_org, seal=True)])
    body = (f"{layout.section('一、服务对象')}{who}{layout.section('二、转介事项')}{what}{reason}"
            f"{layout.section('三、转出方确认', keep=True)}{sender}"
            f"{layout.section('四、接收方回执（由接收机构填写后反馈转出机构）', keep=True)}"
            f"{response}{receipt}{receiver}")
    return layout.page(TITLE, body, unit=layout.issuing_unit(referral.org_code), record=referral, today=today)


def build(session: Session, record_id: str, today: dt.date) -> str:
    return referral_form(session, record_id, today=today)
