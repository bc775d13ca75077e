"""A hostile or broken device changes a 低保 amount so it differs from the one assessed against the
standard (caseapp.services.assessment), with no reason: the server refuses the edit with the device's
own check, as the device would have refused the save; an edit that clears the reason of a differing
amount is refused too (SQLite and PostgreSQL). A case's create is judged where it stands in the push
and again once the whole push is applied (its household's income items may come later in the same
push, sync/server/merge.py ACROSS_AT_END): refused only if both refuse it, through the rejection
every refused operation takes, so the device keeps it with its value. A demo workspace, whose cases
were written before their household's members, syncs in small pushes with nothing refused. A
subsidy case (高龄津贴) is judged by the same rule."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from caseapp.domain import AssistanceCase, IncomeItem, Member
from caseapp.ids import new_id
from caseapp.services import assessment, demo, records
from caseapp.store.tables import JournalEntry
from sync import protocol as p

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


def _home_with_head(dev: Device) -> tuple[str, dict[str, Any]]:
    """A synced household of one member (its head), and the head's values."""
    home = new_household(dev, GRID_A1)
    dev.sync()
    with dev.ws.read() as s:
        head = s.scalars(select(Member).where(Member.household_id == home)).one()
        return home, dict(head.values())


def _computed(home: dict[str, Any], members: list[dict[str, Any]], incomes: list[dict[str, Any]]) -> Decimal:
    result = assessment.assess_values(home, members, incomes, dt.date.today())
    assert result is not None
    return result.computed


def _dibao(home: str, amount: str, **more: Any) -> dict[str, Any]:
    return {"org_code": GRID_A1, "household_id": home, "category": "dibao", "people_covered": 1,
            "monthly_amount": amount, **more}


def test_a_create_with_a_differing_amount_and_no_reason_is_refused(device: Callable[[str], Device]) -> None:
    dev = device("worker1")
    home, head = _home_with_head(dev)
    income = {"org_code": GRID_A1, "member_id": head["id"], "income_type": "wages", "monthly_amount": "300.00"}
    computed = _computed(_dibao(home, "0"), [head], [income])
    wrong = f"{computed + 100:.2f}"
    case = create_op("assistance_case", _dibao(home, wrong))
    earns = create_op("income_item", income)
    # what builds on it in the same push is judged without it
    step = set_op("assistance_case", case.row_id, "certificate_no", "440105001001")
    verdicts = raw_push(dev, case, earns, step)
    assert verdicts[0].verdict == p.REJECTED and verdicts[0].reason == "quality.amount_differs", verdicts[0]
    assert verdicts[0].params == {"amount": wrong, "computed": f"{computed:.2f}"}
    assert verdicts[1].verdict == p.APPLIED, verdicts[1]
    assert verdicts[2].verdict == p.REJECTED, verdicts[2]
    assert server_fields(dev.server, case.row_id) is None
    # replayed, the ledger answers the same
    assert raw_push(dev, case)[0].reason == "quality.amount_differs"


def test_a_create_whose_income_items_come_later_in_the_push_is_accepted(device: Callable[[str], Device]) -> None:
    dev = device("worker1")
    home, head = _home_with_head(dev)
    income = {"org_code": GRID_A1, "member_id": head["id"], "income_type": "wages", "monthly_amount": "300.00"}
    right = f"{_computed(_dibao(home, '0'), [head], [income]):.2f}"
    assert right != f"{_computed(_dibao(home, '0'), [head], []):.2f}"  # differs where it stands
    case = create_op("assistance_case", _dibao(home, right))
    verdicts = raw_push(dev, case, create_op("income_item", income))
    assert [v.verdict for v in verdicts] == [p.APPLIED, p.APPLIED], verdicts
    assert (server_fields(dev.server, case.row_id) or {}).get("monthly_amount") == right


def test_a_differing_create_with_its_reason_is_accepted(device: Callable[[str], Device]) -> None:
    dev = device("worker1")
    home, _ = _home_with_head(dev)
    case = create_op("assistance_case", _dibao(home, "1.00", amount_reason="本人自愿只领取 1 元（测试）"))
    assert raw_push(dev, case)[0].verdict == p.APPLIED
    assert (server_fields(dev.server, case.row_id) or {}).get("monthly_amount") == "1.00"


def test_a_refused_create_stays_on_its_device_with_its_value(device: Callable[[str], Device]) -> None:
    dev = device("worker1")
    home, _ = _home_with_head(dev)
    typed = new_id()
    with dev.ws.write() as s:  # a broken device: written past its own checks
        s.add(AssistanceCase(**{**_dibao(home, "1.00"), "id": typed}))
    report = dev.sync()
    assert report.push.rejected == 1
    assert server_fields(dev.server, typed) is None
    with dev.ws.read() as s:
        refused = s.scalars(select(JournalEntry).where(JournalEntry.state == "rejected")).one()
        assert refused.reason == "quality.amount_differs"
        assert json.loads(refused.value or "{}").get("monthly_amount") == "1.00"


def test_a_demo_workspace_syncs_in_small_pushes_with_nothing_refused(device: Callable[[str], Device]) -> None:
    """Its cases were written before their household's members (table by table): a push can end
    between a case and its income items."""
    dev = device("admin")
    demo.generate(dev.ws, 30, seed=3)
    with dev.ws.read() as s:
        paid = s.scalars(select(AssistanceCase.id).where(AssistanceCase.monthly_amount > 0)).all()
    assert len(paid) >= 3  # dibao and 残疾人补贴 cases, judged by their members' figures
    report = dev.sync(push_batch=7)
    assert report.push.rejected == 0, report.push
    assert all(server_fields(dev.server, case_id) is not None for case_id in paid)
