"""Workflow moves offered only when allowed, a periodic review, income under a member, and an
encrypted photo shown as a thumbnail."""

from __future__ import annotations

from pathlib import Path

from caseapp.domain import AssistanceCase, GridEvent, Household, Member, Referral
from caseapp.services import records
from tests.core.helpers import approve
from tests.ui.conftest import ORG
from ui.household.view import HouseholdView
from ui.qt import QColor, QImage, Qt
from ui.widgets.workflow_bar import WorkflowBar
from ui.window import AppWindow


def _open(qtbot, window: AppWindow) -> tuple[HouseholdView, dict[str, str]]:
    ws = window.session.ws
    assert ws is not None
    with ws.write() as db:
        household = records.create(db, Household, {"org_code": ORG, "head_name": "黄淑芬", "address": "小北路 9 号"})
        member = records.create(db, Member, {"org_code": ORG, "household_id": household.id, "name": "黄淑芬"})
        normal = records.create(db, GridEvent, {"org_code": ORG, "title": "邻里纠纷", "category": "01",
                                                "occurred_at": "2024-05-02T08:00:00Z", "household_id": household.id})
        minor = records.create(db, GridEvent, {"org_code": ORG, "title": "灯坏了", "category": "02", "scale": "minor",
                                               "occurred_at": "2024-05-01T08:00:00Z", "household_id": household.id})
        referral = records.create(db, Referral, {"org_code": ORG, "client_name": "黄淑芬", "from_org": "居委会",
                                                 "to_org": "家综", "household_id": household.id})
        case = records.create(db, AssistanceCase, {"org_code": ORG, "household_id": household.id,
                                                   "category": "dibao", "monthly_amount": "600",
                                                   "amount_reason": "按测试设定的金额"})
        approve(db, case)
    ids = {"household": household.id, "member": member.id, "normal": normal.id, "minor": minor.id,
           "referral": referral.id, "case": case.id}
    window.main_screen.open_household(household.id)
    view = window.main_screen.households.view
    qtbot.waitUntil(lambda: view.bundle is not None, timeout=5_000)
    return view, ids


def _select(view: HouseholdView, tab_entity: str, record_id: str) -> None:
    tab = next(t for t in view._all_tabs() if t.entity == tab_entity)
    row = next(n for n, r in enumerate(tab.model.rows) if r["id"] == record_id)
    tab.table.selectRow(row)


def enabled(bar: WorkflowBar) -> set[str]:
    return {target for target, button in bar.buttons.items() if button.isEnabled()}


def test_only_allowed_moves_can_be_taken_and_the_others_say_why(qtbot, window: AppWindow) -> None:
    view, ids = _open(qtbot, window)
    view.tabs.setCurrentWidget(view.events)
    bar = view.events.workflow
    _select(view, "grid_event", ids["normal"])
    assert enabled(bar) == {"registered", "voided"}  # not self-resolved: only minor events may be
    assert set(bar.buttons) == {"registered", "voided", "self_resolved"}
    assert "minor" in bar.buttons["self_resolved"].toolTip()
    _select(view, "grid_event", ids["minor"])
    assert enabled(bar) == {"registered", "voided", "self_resolved"}
    assert bar.buttons["self_resolved"].text() == "Resolved by grid officer"
    bar.buttons["registered"].click()
    qtbot.waitUntil(lambda: any(r["id"] == ids["minor"] and r["status"] == "registered"
                                for r in view.events.model.rows), timeout=5_000)
    _select(view, "grid_event", ids["minor"])
    assert enabled(bar) == {"dispatched", "voided"}

    # A referral cannot move on until the client's consent is recorded, and says so.
    _select(view, "referral", ids["referral"])
    assert enabled(view.referrals.workflow) == set()
    assert "consent" in view.referrals.workflow.buttons["consented"].toolTip()
    dialog = view._edit("referral", view.referrals.current() or {})
    dialog.form.editor("consent_given").set(True)
    dialog.form.editor("consent_on").set("2026-01-15")  # consent is explicit: ticked and dated
    dialog.save.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)
    qtbot.waitUntil(lambda: any(r["id"] == ids["referral"] and r["consent_given"]
                                for r in view.referrals.model.rows), timeout=5_000)
    _select(view, "referral", ids["referral"])
    assert enabled(view.referrals.workflow) == {"consented"}


def test_review_income_and_attachment(qtbot, window: AppWindow, tmp_path: Path) -> None:
    view, ids = _open(qtbot, window)

    # A periodic review of the active case: the amount goes up and the review is listed under it.
    view.tabs.setCurrentIndex(2)
    _select(view, "assistance_case", ids["case"])
    assert view.record_review.isEnabled()
    review = view._record_review()
    assert review is not None
    review.form.editor("reviewed_on").set("not a date")
    review.save.click()
    assert review.form.errors["reviewed_on"].isVisibleTo(review)
    review.form.editor("reviewed_on").set("2026-01-15")
    review.form.editor("outcome").set("increase")
    review.form.editor("new_amount").set("800")
    review.save.click()
    qtbot.waitUntil(lambda: not review.isVisible(), timeout=5_000)
    qtbot.waitUntil(lambda: any(str(r["monthly_amount"]) == "800.00" for r in view.cases.model.rows), timeout=5_000)
    _select(view, "assistance_case", ids["case"])
    assert [r["outcome"] for r in view.reviews.model.rows] == ["increase"]

    # Income belongs to the selected member.
    view.tabs.setCurrentIndex(1)
    assert not view.incomes.add.isEnabled() or view.members.current() is not None
    _select(view, "member", ids["member"])
    assert view.incomes.add.isEnabled()
    view.incomes.add.click()
    income = view.open_dialogs()[-1]
    income.form.editor("income_type").set("pension")
    income.form.editor("monthly_amount").set("-5")
    income.save.click()
    qtbot.waitUntil(lambda: income.form.errors["monthly_amount"].isVisibleTo(income), timeout=5_000)
    income.form.editor("monthly_amount").set("1,250.5")
    income.save.click()
    qtbot.waitUntil(lambda: not income.isVisible(), timeout=5_000)
    _select(view, "member", ids["member"])
    qtbot.waitUntil(lambda: len(view.incomes.model.rows) == 1, timeout=5_000)
    assert view.incomes.model.data(view.incomes.model.index(0, 0)) == "Pension"

    # A photo: encrypted at rest, shown as a thumbnail.
    photo = tmp_path / "门牌.png"
    image = QImage(320, 200, QImage.Format.Format_RGB32)
    image.fill(QColor("#3a7"))
    assert image.save(str(photo))
    view.tabs.setCurrentWidget(view.overview)
    strip = view.overview.attachments
    strip.add_file(photo)
    qtbot.waitUntil(lambda: strip.list.count() == 1, timeout=5_000)
    item = strip.list.item(0)
    assert item.text() == "Photo on site\n门牌.png" and not item.icon().isNull()
    assert item.data(Qt.ItemDataRole.UserRole)
    assert window.session.ws is not None
    stored = [p for p in (window.session.ws.path / "attachments").rglob("*") if p.is_file()]
    assert len(stored) == 1 and b"PNG" not in stored[0].read_bytes()[:64]


def test_opening_a_household_is_noted_in_the_trail_but_not_in_its_history(qtbot, window: AppWindow) -> None:
    from caseapp.services import access

    view, ids = _open(qtbot, window)
    ws = window.session.ws
    assert ws is not None
    qtbot.waitUntil(lambda: bool(access.reads(ws, [ids["household"]])), timeout=5_000)
    (entry,) = access.reads(ws, [ids["household"]])
    assert entry["action"] == "view" and entry["entity"] == "household"
    assert all(e["action"] != "view" for e in view.bundle.history)
    view.reload()  # reloading after an edit is not another opening
    qtbot.wait(200)
    assert len(access.reads(ws, [ids["household"]])) == 1
