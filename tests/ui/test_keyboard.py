"""The keyboard paths the scripted day relies on, each on its own: no screen gives one Alt+letter to
two controls, Ctrl+1 … Ctrl+9 and Ctrl+0 bring each page with the focus on it, and Tab leaves a list for the
buttons that act on its selected record, the workflow's steps included."""

from __future__ import annotations

from caseapp.domain import AssistanceCase, Household
from caseapp.services import records
from tests.ui import keys
from tests.ui.conftest import ORG
from ui.qt import QAbstractButton, QKeySequence, QLabel, QTabWidget, QWidget
from ui.window import AppWindow


def _household_with_a_case(window: AppWindow) -> tuple[str, str]:
    assert window.session.ws is not None
    with window.session.ws.write() as db:
        home = records.create(db, Household, {"org_code": ORG, "head_name": "张伟", "address": "小北路 100 号"})
        case = records.create(db, AssistanceCase, {"org_code": ORG, "household_id": home.id, "category": "dibao"})
        return home.id, case.id


def _mnemonics(window: AppWindow) -> list[tuple[str, str]]:
    """(Alt+letter, what it is) for every control shown that has one."""
    found: list[tuple[str, str]] = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        texts: list[str] = []
        if isinstance(widget, QAbstractButton) or (isinstance(widget, QLabel) and widget.buddy() is not None):
            texts = [widget.text()]
        elif isinstance(widget, QTabWidget):  # its tab bar's letters
            texts = [widget.tabText(i) for i in range(widget.count()) if widget.isTabVisible(i)]
        for text in texts:
            sequence = QKeySequence.mnemonic(text)
            if not sequence.isEmpty():
                found.append((sequence.toString(), text))
    return found


def _clashes(window: AppWindow) -> list[tuple[str, str]]:
    shown = _mnemonics(window)
    keys_seen = [k for k, _t in shown]
    return [(k, t) for k, t in shown if keys_seen.count(k) > 1]


def _each_tab(qtbot, window: AppWindow, tabs: QTabWidget, where: str, seen: dict[str, list]) -> None:
    for n in range(tabs.count()):
        tabs.setCurrentIndex(n)
        qtbot.wait(0)
        seen[f"{where} / {tabs.tabText(n)}"] = _clashes(window)


def test_no_screen_gives_one_alt_letter_to_two_controls(qtbot, chinese_window: AppWindow) -> None:
    window = chinese_window
    household_id, _case_id = _household_with_a_case(window)
    main = window.main_screen
    keys.activate(qtbot, window)
    clashes: dict[str, list] = {}
    for n, page in enumerate(main.pages, start=1):
        keys.ctrl(qtbot, str(n % 10))  # Ctrl+n (the tenth page: Ctrl+0): the page, the focus on it
        assert main.current_page() is page
        keys.expect_focus(qtbot, page)
        clashes[page.title()] = _clashes(window)
        for tabs in page.findChildren(QTabWidget):
            if tabs.isVisible():
                _each_tab(qtbot, window, tabs, page.title(), clashes)
    main.open_household(household_id)
    view = main.households.view
    qtbot.waitUntil(lambda: view.bundle is not None and bool(view.cases.model.rows), timeout=5_000)
    view.cases.table.selectRow(0)  # a case chosen: its step buttons shown
    _each_tab(qtbot, window, view.tabs, "household", clashes)
    assert len(clashes) > len(main.pages) + view.tabs.count()  # every page and tab was looked at
    assert {where: found for where, found in clashes.items() if found} == {}


def test_tab_leaves_a_list_for_the_buttons_and_steps_of_its_record(qtbot, chinese_window: AppWindow) -> None:
    window = chinese_window
    household_id, case_id = _household_with_a_case(window)
    main = window.main_screen
    main.open_household(household_id)
    view = main.households.view
    qtbot.waitUntil(lambda: view.bundle is not None and bool(view.cases.model.rows), timeout=5_000)
    keys.activate(qtbot, window)
    keys.alt(qtbot, "A")  # 社会救助(&A)
    keys.tab_to(qtbot, view.cases.table)
    keys.arrow_to_row(qtbot, view.cases.table, lambda n: view.cases.model.rows[n]["id"] == case_id)
    bar = view.cases.workflow
    qtbot.waitUntil(lambda: bool(bar.buttons) and any(b.isEnabled() for b in bar.buttons.values()), timeout=5_000)
    steps = [b for b in bar.buttons.values() if b.isEnabled()]
    keys.press(qtbot, keys.Key.Key_Tab)
    assert keys.focused() is not view.cases.table  # one Tab leaves the list, not its next cell
    # and, through the case's own buttons, on to its steps: made after the screen, yet in order
    passed = []
    while keys.focused() is not steps[0] and len(passed) < 10:
        passed.append(keys.focused())
        assert view.cases.isAncestorOf(passed[-1]), f"Tab left the cases for {passed[-1].objectName()!r}"
        keys.press(qtbot, keys.Key.Key_Tab)
    assert keys.focused() is steps[0]


def test_a_new_household_starts_at_its_area_and_tabs_on_into_the_form(qtbot, chinese_window: AppWindow) -> None:
    window = chinese_window
    main = window.main_screen
    keys.activate(qtbot, window)
    keys.ctrl(qtbot, str(main.pages.index(main.households) + 1))
    keys.alt(qtbot, "N")  # 新建家庭(&N)
    qtbot.waitUntil(lambda: main.households.dialog is not None and main.households.dialog.isVisible(), timeout=5_000)
    dialog = main.households.dialog
    keys.activate(qtbot, dialog)
    keys.expect_focus(qtbot, dialog.area)  # type: ignore[attr-defined]
    keys.press(qtbot, keys.Key.Key_Tab)
    first = next(iter(dialog.form.editors.values())).widget
    assert keys.focused() is first or first.isAncestorOf(keys.focused())


def test_the_step_the_keyboard_is_on_keeps_the_focus_when_the_case_reloads(qtbot, chinese_window: AppWindow) -> None:
    window = chinese_window
    household_id, case_id = _household_with_a_case(window)
    main = window.main_screen
    main.open_household(household_id)
    view = main.households.view
    qtbot.waitUntil(lambda: view.bundle is not None and bool(view.cases.model.rows), timeout=5_000)
    keys.activate(qtbot, window)
    keys.alt(qtbot, "A")
    keys.tab_to(qtbot, view.cases.table)
    keys.arrow_to_row(qtbot, view.cases.table, lambda n: view.cases.model.rows[n]["id"] == case_id)
    bar = view.cases.workflow
    qtbot.waitUntil(lambda: any(b.isEnabled() for b in bar.buttons.values()), timeout=5_000)
    target = next(t for t, b in bar.buttons.items() if b.isEnabled())
    keys.tab_to(qtbot, bar.buttons[target])
    before = bar.buttons[target]
    with qtbot.waitSignal(view.loaded, timeout=5_000):
        view.reload()  # a sync or a change elsewhere: the case is read again, its buttons made again
    qtbot.waitUntil(lambda: bar.buttons.get(target) is not before, timeout=5_000)
    keys.expect_focus(qtbot, lambda: bar.buttons.get(target))


def test_a_step_signed_hands_the_focus_to_the_next_step(qtbot, chinese_window: AppWindow) -> None:
    window = chinese_window
    household_id, case_id = _household_with_a_case(window)
    main = window.main_screen
    main.open_household(household_id)
    view = main.households.view
    qtbot.waitUntil(lambda: view.bundle is not None and bool(view.cases.model.rows), timeout=5_000)
    keys.activate(qtbot, window)
    keys.alt(qtbot, "A")
    keys.tab_to(qtbot, view.cases.table)
    keys.arrow_to_row(qtbot, view.cases.table, lambda n: view.cases.model.rows[n]["id"] == case_id)
    bar = view.cases.workflow
    qtbot.waitUntil(lambda: "verification" in bar.buttons and bar.buttons["verification"].isEnabled(), timeout=5_000)
    keys.tab_to(qtbot, bar.buttons["verification"])  # 受理
    keys.press(qtbot, keys.Key.Key_Space)
    qtbot.waitUntil(lambda: view.cases.sign_off is not None and view.cases.sign_off.isVisible(), timeout=5_000)
    dialog = view.cases.sign_off
    keys.activate(qtbot, dialog)
    keys.type_zh("材料齐全，予以受理")
    keys.save(qtbot)  # Ctrl+Enter signs
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)
    keys.activate(qtbot, window)
    qtbot.waitUntil(lambda: view.cases.current() is not None and "verification" not in bar.buttons,
                    timeout=5_000)
    keys.expect_focus(qtbot, lambda: next((b for b in bar.buttons.values() if b.isEnabled()), None))
