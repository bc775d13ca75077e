"""Approvals on the screen, in Chinese: every step of an assistance case shows as the office names
it; the ones this user's role cannot take are greyed with the reason; a step is signed in a dialog
(handler, role, date, opinion) before it is taken, and the case lists its signed steps."""

from __future__ import annotations

from caseapp.domain import AssistanceCase, Household
from caseapp.services import records
from tests.core.helpers import approve
from tests.ui.conftest import ORG
from ui.forms.sign_off import SignOffDialog
from ui.window import AppWindow


def open_case(qtbot, window: AppWindow, upto: str, role: str) -> str:
    window.session.settings["sync.role"] = role  # as sign-in to a server leaves it
    ws = window.session.ws
    assert ws is not None
    with ws.write() as db:
        h = records.create(db, Household, {"org_code": ORG, "head_name": "黄淑芬", "address": "小北路 9 号"})
        case = records.create(db, AssistanceCase, {"org_code": ORG, "household_id": h.id, "category": "dibao",
                                                   "monthly_amount": "600", "amount_reason": "按测试设定的金额"})
        approve(db, case, upto)
    window.main_screen.open_household(h.id)
    view = window.main_screen.households.view
    qtbot.waitUntil(lambda: view.bundle is not None, timeout=5_000)
    view.tabs.setCurrentIndex(2)
    view.cases.table.selectRow(0)
    return case.id


def sign(qtbot, window: AppWindow, target: str, text: str) -> SignOffDialog:
    view = window.main_screen.households.view
    bar = view.cases.workflow
    assert bar.buttons[target].isEnabled(), bar.buttons[target].toolTip()
    bar.buttons[target].click()
    dialog = view.cases.sign_off
    assert dialog is not None and dialog.isVisible()
    dialog.opinion.setPlainText(text)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    return dialog


def test_a_caseworker_sees_the_streets_step_greyed_with_why(qtbot, chinese_window: AppWindow) -> None:
    open_case(qtbot, chinese_window, "preliminary_review", "caseworker")
    bar = chinese_window.main_screen.households.view.cases.workflow
    assert bar.caption.text() == "办理："
    passing = bar.buttons["public_notice"]
    assert passing.text() == "审核通过（公示）" and not passing.isEnabled()
    assert passing.toolTip() == "这一步须由街道审核人员办理"
    assert bar.buttons["investigation"].text() == "退回补充"


def test_the_street_signs_its_review_and_the_case_lists_the_step(qtbot, chinese_window: AppWindow) -> None:
    case_id = open_case(qtbot, chinese_window, "preliminary_review", "supervisor")
    dialog = sign(qtbot, chinese_window, "public_notice", "材料齐全，同意公示")
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)
    view = chinese_window.main_screen.households.view
    qtbot.waitUntil(lambda: any(r["id"] == case_id and r["status"] == "public_notice"
                                for r in view.cases.model.rows), timeout=5_000)
    view.cases.table.selectRow(0)
    qtbot.waitUntil(lambda: len(view.steps.model.rows) == 4, timeout=5_000)
    last = view.steps.model.rows[-1]
    signed = (last["action"], last["handler_role"], last["opinion"])
    assert signed == ("pass_review", "supervisor", "材料齐全，同意公示")
    texts = [view.steps.model.data(view.steps.model.index(3, c)) for c in range(view.steps.model.columnCount())]
    assert "审核通过（公示）" in texts and "街道审核人员" in texts  # names, never codes


def test_a_refusal_is_signed_with_its_reasons_or_not_at_all(qtbot, chinese_window: AppWindow) -> None:
    case_id = open_case(qtbot, chinese_window, "approval", "approver")
    dialog = sign(qtbot, chinese_window, "rejected", "")
    assert dialog.isVisible() and dialog.error.isVisibleTo(dialog)  # no reasons: not signed
    assert "审批意见及理由" in dialog.error.text()
    dialog.opinion.setPlainText("家庭人均收入高于本市低保标准")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)
    ws = chinese_window.session.ws
    assert ws is not None

    def refused() -> bool:
        with ws.read() as s:
            case = records.get(s, AssistanceCase, case_id)
            return case.status == "rejected" and case.decision_reason == "家庭人均收入高于本市低保标准"

    qtbot.waitUntil(refused, timeout=5_000)
