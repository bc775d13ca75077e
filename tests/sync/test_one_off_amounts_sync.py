"""A one-off grant typed as a monthly amount becomes its payment on every device that holds the case
(caseapp.services.one_off_amounts), and syncs as one payment (issue 12): two devices of one community
convert the same case offline, each pushes its payment, the server keeps one record and takes the
second push as the same create sent again (no rejection, no conflict), and every device, a third
that converted nothing included, ends holding that one payment (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal

from sqlalchemy import func, select

from caseapp.domain import AssistanceCase, CasePayment
from caseapp.services import one_off_amounts, records
from sync.server import schema

from .conftest import GRID_A1, Device
from .test_end_to_end import new_household

APPROVED = dt.date.today() - dt.timedelta(days=90)


def _payments(dev: Device) -> list[tuple[str, str, dt.date, Decimal]]:
    with dev.ws.read() as s:
        return [(p.id, p.case_id, p.paid_on, p.amount_paid) for p in s.scalars(select(CasePayment))]


def test_two_devices_convert_one_case_and_the_server_holds_one_payment(device: Callable[[str], Device]) -> None:
    one, two, three = device("worker1"), device("worker2"), device("worker2")
    home = new_household(one, GRID_A1, head_name="王强")
    with one.ws.write() as s:  # as written before payments were recorded: the grant as a monthly amount
        case = records.create(s, AssistanceCase, {
            "org_code": GRID_A1, "household_id": home, "category": "medical", "people_covered": 1,
            "approved_on": APPROVED, "monthly_amount": "16500.00", "amount_reason": "住院医疗救助（一次性）"})
        case_id = case.id
    assert one.sync().push.rejected == 0
    two.sync()
    three.sync()
    paid = one_off_amounts.payment_id(case_id)
    # both convert before either syncs again (each opens the new version offline)
    for dev in (one, two):
        with dev.ws.write() as s:
            assert one_off_amounts.convert(s).payments == (paid,)
    first, second = one.sync(), two.sync()
    assert (first.push.applied, first.push.rejected) == (1, 0)
    assert (second.push.applied, second.push.rejected, second.push.conflicts) == (1, 0, 0), second.push
    with one.server.db.read() as conn:
        r = schema.records.c
        held = conn.execute(select(r.fields).where(r.entity == "case_payment")).scalars().all()
        assert conn.execute(select(func.count()).select_from(schema.conflicts)).scalar_one() == 0
    assert len(held) == 1 and json.loads(held[0])["id"] == paid
    one.sync()
    three.sync()
    for dev in (one, two, three):
        assert _payments(dev) == [(paid, case_id, APPROVED, Decimal("16500.00"))]
        with dev.ws.read() as s:  # the amount as typed stays
            assert s.get(AssistanceCase, case_id).monthly_amount == Decimal("16500.00")
            assert one_off_amounts.pending(s) == 0
