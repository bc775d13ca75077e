"""A hostile or broken device changes a 低保 amount so it differs from the one assessed against the
standard (caseapp.services.assessment), with no reason: the server refuses the edit with the device's
own check, as the device would have refused the save; an edit that clears the reason of a differing
amount is refused too (SQLite and PostgreSQL). A case's create is not judged across records (its
household's income items may come later in the push, sync/server/merge.py ACROSS_ON_CREATE); the
server's quality sweep lists what is left. A subsidy case (高龄津贴) is judged by the same rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from sqlalchemy import select

from caseapp.domain import IncomeItem, Member
from caseapp.services import assessment, records

from .conftest import GRID_A1, Device
from .test_end_to_end import new_household
from .test_server_validates import create_op, raw_push, server_fields, set_op


def test_a_differing_amount_needs_its_reason_on_the_server_too(device: Callable[[str], Device]) -> None:
    dev = device("worker1")
    home = new_household(dev, GRID_A1)
    with dev.ws.write() as s:
        head = s.scalars(select(Member).where(Member.household_id == home)).one()
        records.create(s, IncomeItem, {"org_code": GRID_A1, "member_id": head.id, "income_type": "wages",
                                       "monthly_amount": "300.00"})
    dev.sync()
    case = {"org_code": GRID_A1, "household_id": home, "category": "dibao", "people_covered": 1,
            "monthly_amount": "1.00"}
    bare = create_op("assistance_case", {**case, "monthly_amount": "0"})
    assert raw_push(dev, bare)[0].verdict != "rejected"
    (typed,) = raw_push(dev, set_op("assistance_case", bare.row_id, "monthly_amount", "1.00"))
    assert typed.verdict == "rejected" and (typed.reason or "").startswith("quality.amount"), typed
    assert (server_fields(dev.server, bare.row_id) or {}).get("monthly_amount") in ("0", "0.00")
    reason = "本人自愿只领取 1 元（测试）"
    assert raw_push(dev, set_op("assistance_case", bare.row_id, "amount_reason", reason))[0].verdict != "rejected"
    (reasoned,) = raw_push(dev, set_op("assistance_case", bare.row_id, "monthly_amount", "1.00"))
    assert reasoned.verdict != "rejected", reasoned
    assert (server_fields(dev.server, bare.row_id) or {}).get("monthly_amount") == "1.00"
    (cleared,) = raw_push(dev, set_op("assistance_case", bare.row_id, "amount_reason", ""))
    assert cleared.verdict == "rejected" and (cleared.reason or "").startswith("quality.amount"), cleared
    assert (server_fields(dev.server, bare.row_id) or {}).get("amount_reason") == reason


def test_a_subsidy_amount_is_judged_by_the_same_rule_on_the_server(device: Callable[[str], Device]) -> None:
    dev = device("worker1")
    home = new_household(dev, GRID_A1)
    today = dt.date.today()
    with dev.ws.write() as s:
        records.create(s, Member, {"org_code": GRID_A1, "household_id": home, "name": "高婆", "relationship": "10",
                                   "birth_date": dt.date(today.year - 95, 1, 1)})
    dev.sync()
    bare = create_op("assistance_case", {"org_code": GRID_A1, "household_id": home, "category": "elderly_subsidy",
                                         "people_covered": 1, "monthly_amount": "0"})
    assert raw_push(dev, bare)[0].verdict != "rejected"
    with dev.ws.read() as s:
        mates = [dict(m.values()) for m in s.scalars(select(Member).where(Member.household_id == home))]
    result = assessment.assess_values({"category": "elderly_subsidy", "org_code": GRID_A1, "people_covered": 1},
                                      mates, [], today)
    assert result is not None and result.computed >= Decimal("200.00")  # the 95-year-old's band at least
    (typed,) = raw_push(dev, set_op("assistance_case", bare.row_id, "monthly_amount", "999.00"))
    assert typed.verdict == "rejected" and (typed.reason or "").startswith("quality.amount"), typed
    (right,) = raw_push(dev, set_op("assistance_case", bare.row_id, "monthly_amount", f"{result.computed:.2f}"))
    assert right.verdict != "rejected", right
