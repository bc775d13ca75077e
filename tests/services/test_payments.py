"""One-off payments (临时救助, 医疗救助) are dated payment records of their case, not monthly amounts:
the rules a payment keeps, the monthly statistics counting them in the month paid (hand-counted),
the household list's one-off column, and the demo storing no one-off grant as a monthly amount."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import AssistanceCase, CasePayment, Household
from caseapp.errors import ValidationErrors
from caseapp.services import demo, list_export, records, statistics
from caseapp.services.statistics import Month
from caseapp.store.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.helpers import ORG, household, member

MAY = Month(2026, 5)
TODAY = dt.date(2026, 6, 15)


def put(s: Session, cls: type[Any], **values: Any) -> Any:
    record = cls(org_code=values.pop("org_code", ORG), **values)
    s.add(record)
    s.flush()
    return record


def pay(s: Session, case: AssistanceCase, day: str, amount: str, **extra: Any) -> CasePayment:
    return put(s, CasePayment, case_id=case.id, paid_on=dt.date.fromisoformat(day), amount_paid=Decimal(amount),
               kind=extra.pop("kind", "inpatient"), reason="住院自付", approved_by="李敏", **extra)


def test_a_payment_is_dated_positive_approved_and_only_on_a_one_off_case(ws: Workspace) -> None:
    with ws.write() as s:
        home = household(s)
        member(s, home.id)
        medical = records.create(s, AssistanceCase, {"org_code": ORG, "household_id": home.id,
                                                     "category": "medical", "people_covered": 1})
        dibao = records.create(s, AssistanceCase, {"org_code": ORG, "household_id": home.id,
                                                   "category": "dibao", "people_covered": 1})
        good = {"org_code": ORG, "case_id": medical.id, "paid_on": dt.date.today(), "amount_paid": "3200.50",
                "kind": "inpatient", "reason": "住院治疗自付部分", "approved_by": "街道社会救助服务中心 李敏"}
        made = records.create(s, CasePayment, good)
        assert made.amount_paid == Decimal("3200.50") and made.paid_on == dt.date.today()
        for change, field in ((dict(amount_paid="0"), "amount_paid"), (dict(amount_paid="-5"), "amount_paid"),
                              (dict(paid_on=dt.date.today() + dt.timedelta(days=2)), "paid_on"),
                              (dict(approved_by=""), "approved_by"), (dict(kind="monthly"), "kind"),
                              (dict(case_id=dibao.id), "case_id")):
            with pytest.raises(ValidationErrors) as info:
                records.create(s, CasePayment, {**good, **change})
            assert field in {e.field for e in info.value.errors}, (change, info.value.errors)
        with pytest.raises(ValidationErrors) as info:
            records.create(s, CasePayment, {**good, "case_id": dibao.id})
        assert [e.key for e in info.value.errors] == ["payment.not_one_off"]
        assert CasePayment.insert_only  # a fact: a correction is a new record
        assert made in records.household_records(s, home.id)


def _seeded(s: Session) -> None:
    homes = [household(s, head_name=n) for n in ("张伟", "李娜", "王强")]
    for home in homes:
        member(s, home.id)
    # a medical grant paid twice in May and once in April; a temporary grant paid in May; one in June
    medical = put(s, AssistanceCase, household_id=homes[0].id, category="medical", status="exited",
                  approved_on=dt.date(2026, 4, 20), people_covered=1)
    pay(s, medical, "2026-04-28", "2000.00")
    pay(s, medical, "2026-05-03", "1000.00")
    pay(s, medical, "2026-05-31", "500.50")
    pay(s, medical, "2026-05-10", "9999.00", archived=True)  # archived: a wrong entry, not counted
    temporary = put(s, AssistanceCase, household_id=homes[1].id, category="temporary", status="active",
                    approved_on=dt.date(2026, 5, 2), people_covered=3)
    pay(s, temporary, "2026-05-06", "1500.00", kind="emergency")
    later = put(s, AssistanceCase, household_id=homes[2].id, category="temporary", status="active",
                approved_on=dt.date(2026, 6, 1), people_covered=2)
    pay(s, later, "2026-06-02", "800.00", kind="emergency")
    # a legacy one-off grant written as a monthly amount is no monthly allowance
    put(s, AssistanceCase, household_id=homes[2].id, category="medical", status="active",
        approved_on=dt.date(2026, 3, 1), people_covered=1, monthly_amount=Decimal("16500.00"))
    # and a monthly allowance in payment, for contrast
    put(s, AssistanceCase, household_id=homes[2].id, category="dibao", status="active",
        approved_on=dt.date(2026, 3, 1), people_covered=1, monthly_amount=Decimal("900.00"))


def test_the_statistics_count_one_off_payments_in_the_month_paid(ws: Workspace) -> None:
    with ws.write() as s:
        _seeded(s)
    with ws.read() as s:
        load = statistics.compute(s, "caseload", (ORG,), MAY, TODAY)
        changes = statistics.compute(s, "changes", (ORG,), MAY, TODAY)
        june = statistics.compute(s, "caseload", (ORG,), MAY.shift(1), TODAY)
    assert [load.value("medical", k) for k in ("households", "people", "amount")] == [1, 1, Decimal("1500.50")]
    assert [load.value("temporary", k) for k in ("households", "people", "amount")] == [1, 3, Decimal("1500.00")]
    assert load.value("dibao", "amount") == Decimal("900.00")
    assert load.totals[load.index("amount")] == Decimal("3900.50")
    medical = dict(zip([c.key for c in changes.columns], changes.rows[changes.codes.index("medical")], strict=True))
    assert medical["amount"] == Decimal("1500.50")
    assert (medical["opening"], medical["added"], medical["stopped"], medical["closing"]) == (0, 0, 0, 0)
    assert changes.value("temporary", "amount") == Decimal("1500.00")
    assert changes.value("dibao", "amount") == Decimal("900.00")
    assert june.value("temporary", "amount") == Decimal("800.00") and june.value("medical", "amount") == 0


def test_the_household_list_totals_the_payments_as_one_off_aid(ws: Workspace) -> None:
    with ws.write() as s:
        _seeded(s)
    with ws.read() as s:
        ids = list(s.scalars(select(Household.id).order_by(Household.head_name)))
        amounts = list_export._amounts(s, ids)
        names = {hid: name for hid, name in s.execute(select(Household.id, Household.head_name))}
    by_name = {names[k]: v for k, v in amounts.items()}
    assert by_name["张伟"] == (Decimal("0"), Decimal("3500.50"))
    assert by_name["李娜"] == (Decimal("0"), Decimal("1500.00"))
    assert by_name["王强"] == (Decimal("900.00"), Decimal("17300.00"))  # 800 paid + the legacy 16,500


def test_the_demo_pays_one_off_grants_as_dated_payments(tmp_path: Path) -> None:
    today = dt.date(2026, 6, 1)
    ws, _ = Workspace.create(tmp_path / "demo", PASSPHRASE, kdf=TEST_KDF, actor="tester")
    try:
        demo.generate(ws, 400, seed=11, today=today)
        with ws.read() as s:
            one_off = s.scalars(select(AssistanceCase).where(AssistanceCase.category.in_(("temporary", "medical"))))
            cases = {c.id: c for c in one_off}
            payments = s.scalars(select(CasePayment)).all()
        assert cases and payments
        assert all(c.monthly_amount == 0 for c in cases.values())
        for payment in payments:
            case = cases[payment.case_id]
            assert case.approved_on is not None and case.approved_on <= payment.paid_on < today
            assert payment.amount_paid > 0 and payment.reason and payment.approved_by
        paid = {p.case_id for p in payments}
        assert paid == {c.id for c in cases.values() if c.approved_on is not None}
    finally:
        ws.close()
