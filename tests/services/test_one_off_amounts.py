"""One-off grants typed as a monthly amount before payments were recorded become their payment (issue
12): on the approval day, journaled as a device write, once, and only where nothing says otherwise;
the statistics and the household list then count the grant once, and the typed amount stays."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseapp.domain import AssistanceCase, CasePayment, Household
from caseapp.services import list_export, one_off_amounts, quality, statistics
from caseapp.services.statistics import Month
from caseapp.store.tables import JournalEntry
from caseapp.store.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.helpers import ORG, household, member

MARCH = Month(2026, 3)
TODAY = dt.date(2026, 6, 15)


def put(s: Session, cls: type[Any], **values: Any) -> Any:
    record = cls(org_code=values.pop("org_code", ORG), **values)
    s.add(record)
    s.flush()
    return record


def _seeded(s: Session) -> dict[str, str]:
    home = household(s, head_name="王强")
    member(s, home.id)
    legacy = put(s, AssistanceCase, household_id=home.id, category="medical", status="exited",
                 approved_on=dt.date(2026, 3, 1), people_covered=1, monthly_amount=Decimal("16500.00"))
    temporary = put(s, AssistanceCase, household_id=home.id, category="temporary", status="active",
                    approved_on=dt.date(2026, 3, 9), people_covered=2, monthly_amount=Decimal("800.00"))
    # already paid by record (whatever its amount says): left alone, even with its payment archived
    recorded = put(s, AssistanceCase, household_id=home.id, category="temporary", status="exited",
                   approved_on=dt.date(2026, 2, 1), people_covered=1, monthly_amount=Decimal("500.00"))
    put(s, CasePayment, case_id=recorded.id, paid_on=dt.date(2026, 2, 3), amount_paid=Decimal("450.00"),
        kind="emergency", reason="急难", approved_by="李敏", archived=True)
    # never approved: no day to pay it on, and nothing says it was paid
    applying = put(s, AssistanceCase, household_id=home.id, category="temporary", status="applied",
                   people_covered=1, monthly_amount=Decimal("300.00"))
    # archived, a zero amount, a monthly allowance: none is a one-off grant to convert
    put(s, AssistanceCase, household_id=home.id, category="medical", status="exited", archived=True,
        approved_on=dt.date(2026, 1, 5), people_covered=1, monthly_amount=Decimal("700.00"))
    put(s, AssistanceCase, household_id=home.id, category="medical", status="exited",
        approved_on=dt.date(2026, 1, 6), people_covered=1)
    put(s, AssistanceCase, household_id=home.id, category="dibao", status="active",
        approved_on=dt.date(2026, 3, 1), people_covered=1, monthly_amount=Decimal("900.00"))
    return {"home": home.id, "legacy": legacy.id, "temporary": temporary.id, "recorded": recorded.id,
            "applying": applying.id}


def test_each_grant_typed_as_a_monthly_amount_becomes_its_payment_once(ws: Workspace) -> None:
    with ws.write() as s:
        ids = _seeded(s)
    with ws.read() as s:
        before = statistics.compute(s, "caseload", (ORG,), MARCH, TODAY)
        assert one_off_amounts.pending(s) == 2
    assert before.value("medical", "amount") == 0  # the grant was counted nowhere
    with ws.write() as s:
        done = one_off_amounts.convert(s)
    assert set(done.payments) == {one_off_amounts.payment_id(ids[k]) for k in ("legacy", "temporary")}
    assert done.unapproved == (ids["applying"],)
    with ws.read() as s:
        paid = {p.case_id: p for p in s.scalars(select(CasePayment).where(CasePayment.archived.is_(False)))}
        assert set(paid) == {ids["legacy"], ids["temporary"]}
        grant = paid[ids["legacy"]]
        assert (grant.id, grant.paid_on, grant.amount_paid, grant.kind) == (
            one_off_amounts.payment_id(ids["legacy"]), dt.date(2026, 3, 1), Decimal("16500.00"), "other")
        assert "16500.00" in grant.reason and grant.approved_by
        # the amount as typed stays on the case
        assert s.get(AssistanceCase, ids["legacy"]).monthly_amount == Decimal("16500.00")
        # written as the device writes any record: a create in the outbox, by the workspace's user
        (entry,) = s.scalars(select(JournalEntry).where(JournalEntry.row_id == grant.id))
        assert (entry.entity, entry.op) == ("case_payment", "create")
        assert grant.author == "tester"
        after = statistics.compute(s, "caseload", (ORG,), MARCH, TODAY)
        assert after.value("medical", "amount") == Decimal("16500.00")
        assert after.value("temporary", "amount") == Decimal("800.00")
        # the household list counts each grant once: the payments, and the case never approved by its amount
        (home_id,) = s.scalars(select(Household.id))
        assert list_export._amounts(s, [home_id])[home_id] == (Decimal("900.00"), Decimal("17300.00"))
        assert one_off_amounts.pending(s) == 0
    with ws.write() as s:
        again = one_off_amounts.convert(s)
    assert again.payments == () and again.unapproved == (ids["applying"],)
    # the one left is on the data-quality page, and no other: each of the rest has its payment
    with ws.read() as s:
        listed = [f for f in quality.run(s, "", TODAY) if f.check == "one_off_without_payment"]
    assert [(f.record_id, f.params["amount"]) for f in listed] == [(ids["applying"], "300.00")]
    assert "300.00" in quality.said(listed[0].key, listed[0].params, "zh") and "批准日期" in quality.said(
        listed[0].key, listed[0].params, "zh")


def test_a_workspace_converts_as_it_opens(ws: Workspace) -> None:
    with ws.write() as s:
        ids = _seeded(s)
    path = ws.path
    ws.close()
    copy = Workspace.open(path, PASSPHRASE)
    try:
        done = one_off_amounts.on_open(copy)
        assert done is not None and one_off_amounts.payment_id(ids["legacy"]) in done.payments
        assert one_off_amounts.on_open(copy) is None  # nothing left: no write at all
    finally:
        copy.close()
    assert one_off_amounts.payment_id(ids["legacy"]) != one_off_amounts.payment_id(ids["temporary"])
