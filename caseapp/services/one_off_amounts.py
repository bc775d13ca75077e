"""One-off grants typed as a monthly amount, before payments were recorded: each becomes the payment
record it stood for.

Before CasePayment, a 临时救助 or 医疗救助 grant (the rules' ``one_off_categories``) was typed as
its case's ``monthly_amount``; the statistics count a one-off grant only by its payments
(caseapp.services.statistics), so such a grant was reported nowhere. ``convert`` gives each such
case — one-off, not archived, a non-zero monthly amount, approved, and no payment record at all,
archived or not — the payment of that amount on its approval day (``approved_on``: the day the
grant was decided, and for these one-off cases the day it was paid as far as the record tells).
The case keeps its monthly amount as typed (nothing typed is lost; the statistics count it nowhere,
so nothing is counted twice) and the payment's reason says where it came from.

Where it runs: on the device, through ``records.create``, so the payment is journaled and pushed
like any record a worker types, and a workspace that never syncs is converted too. Several devices
hold copies of one case and each converts it on its own; the payment's id is derived from the case's
(``payment_id``) and every field from what the devices share (the case as synced), so each device
writes the same record: the server keeps the first push and takes the others as the same create sent
again (sync.server.merge ``_create_existing``), and no case is paid twice. A case with no approval
day is left as it is: there is no day to pay it on, and nothing says it was paid.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import Float, cast, exists, select
from sqlalchemy.orm import Session

from caseapp import refdata
from caseapp.domain import AssistanceCase, CasePayment
from caseapp.messages import message
from caseapp.services import records
from caseapp.store.workspace import Workspace

#: the namespace of the payment ids this conversion derives (uuid5 of the case id): fixed for good,
#: since every device must derive the same id for the same case
NAMESPACE = uuid.UUID("6a0c1f9e-2f55-5d3c-9a57-0b7e6f3c1d21")
#: what the payment was for is not known from a monthly amount
KIND = "other"


def payment_id(case_id: str) -> str:
    """The id of the payment converted from this case's monthly amount, the same on every device."""
    return str(uuid.uuid5(NAMESPACE, f"one_off_amount:{case_id}"))


@dataclass(frozen=True)
class Converted:
    """What ``convert`` did: the payments written, and the cases left for want of an approval day."""

    payments: tuple[str, ...]
    unapproved: tuple[str, ...]


def _candidates(session: Session) -> list[AssistanceCase]:
    once = sorted(refdata.rules().one_off_categories)
    if not once:
        return []
    paid = exists().where(CasePayment.case_id == AssistanceCase.id)
    query = (select(AssistanceCase)
             .where(AssistanceCase.category.in_(once), AssistanceCase.archived.is_(False),
                    cast(AssistanceCase.monthly_amount, Float) != 0, ~paid)
             .order_by(AssistanceCase.id))
    return list(session.scalars(query))


def pending(session: Session) -> int:
    """How many cases ``convert`` would convert (a read: the write lock is taken only when there are)."""
    return sum(1 for case in _candidates(session) if case.approved_on is not None)


def convert(session: Session) -> Converted:
    """Give each one-off case whose grant is only its monthly amount the payment that grant was
    (a write session: each payment is journaled and synced like any record)."""
    written: list[str] = []
    unapproved: list[str] = []
    for case in _candidates(session):
        if case.approved_on is None:
            unapproved.append(case.id)
            continue
        amount = f"{case.monthly_amount:.2f}"
        payment = records.create(session, CasePayment, {
            "id": payment_id(case.id), "org_code": case.org_code, "case_id": case.id,
            "paid_on": case.approved_on, "amount_paid": case.monthly_amount, "kind": KIND,
            # stored text, the same on every device whatever its language: Chinese, as the office files it
            "reason": message("payment.converted_reason", "zh", amount=amount),
            "approved_by": message("payment.converted_approver", "zh"),
        })
        written.append(payment.id)
    return Converted(tuple(written), tuple(unapproved))


def on_open(ws: Workspace) -> Converted | None:
    """``convert`` as a workspace opens (the app and the command line): the write lock only when a
    case is left to convert, so opening beside a writer in another process does not wait for it."""
    with ws.read() as session:
        if not pending(session):
            return None
    with ws.write() as session:
        return convert(session)
