"""One-off payments sync like any record (issue 12): a 医疗救助 payment typed on one device reaches
another device of the community through a real server on loopback (SQLite and PostgreSQL); the
server holds a pushed payment to the device's rules: dated not in the future, more than zero, and
only on a one-off case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from caseapp.domain import AssistanceCase, CasePayment
from caseapp.services import records

from .conftest import GRID_A1, Device
from .test_end_to_end import new_household
from .test_server_validates import create_op, raw_push

TODAY = dt.date.today()


def test_a_payment_syncs_and_the_server_refuses_a_bad_one(device: Callable[[str], Device]) -> None:
    one, two = device("worker1"), device("worker2")
    home = new_household(one, GRID_A1, head_name="王芳")
    with one.ws.write() as s:
        medical = records.create(s, AssistanceCase, {"org_code": GRID_A1, "household_id": home,
                                                     "category": "medical", "people_covered": 1})
        dibao = records.create(s, AssistanceCase, {"org_code": GRID_A1, "household_id": home,
                                                   "category": "dibao", "people_covered": 1})
        paid = records.create(s, CasePayment, {"org_code": GRID_A1, "case_id": medical.id, "paid_on": TODAY,
                                               "amount_paid": "4200.00", "kind": "inpatient", "reason": "住院自付",
                                               "approved_by": "街道社会救助服务中心 李敏"})
        ids = {"medical": medical.id, "dibao": dibao.id, "paid": paid.id}
    report = one.sync()
    assert report.push.rejected == 0
    two.sync()
    with two.ws.read() as s:
        got = s.get(CasePayment, ids["paid"])
        assert got is not None
        assert (got.case_id, got.paid_on, got.amount_paid, got.kind, got.approved_by) == (
            ids["medical"], TODAY, Decimal("4200.00"), "inpatient", "街道社会救助服务中心 李敏")

    good = {"org_code": GRID_A1, "case_id": ids["medical"], "paid_on": TODAY.isoformat(), "amount_paid": "100.00",
            "kind": "outpatient", "reason": "门诊", "approved_by": "李敏"}
    (ok,) = raw_push(one, create_op("case_payment", good))
    assert ok.verdict == "applied", ok
    (zero,) = raw_push(one, create_op("case_payment", {**good, "amount_paid": "0"}))
    assert (zero.verdict, zero.reason) == ("rejected", "payment.amount_not_positive")
    # a day ahead of the server's is a device clock ahead: the server clamps it, as for any past-only date
    (ahead,) = raw_push(one, create_op("case_payment", {**good, "paid_on": (TODAY + dt.timedelta(days=3)).isoformat()}))
    assert ahead.verdict == "applied" and ahead.clamped, ahead
    (monthly,) = raw_push(one, create_op("case_payment", {**good, "case_id": ids["dibao"]}))
    assert (monthly.verdict, monthly.reason) == ("rejected", "payment.not_one_off")
    (unapproved,) = raw_push(one, create_op("case_payment", {**good, "approved_by": ""}))
    assert unapproved.verdict == "rejected" and unapproved.field == "approved_by", unapproved
