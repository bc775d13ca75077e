"""A household with two members, validation errors at the field, an elder and a keyboard-only visit."""

from __future__ import annotations

from pathlib import Path

from caseapp.domain import CareVisit, Member
from ui.forms.dialog import RecordDialog
from ui.household.view import HouseholdView
from ui.qt import QApplication, Qt
from ui.window import AppWindow

GOOD_ID = "11010519491231002X"
BAD_ID = "230307196304054513"  # check character wrong (DOMAIN.md test value)


def _current_dialog(view: HouseholdView) -> RecordDialog:
    dialogs = view.open_dialogs()
    assert dialogs, "no dialog open"
    return dialogs[-1]


def _save(qtbot, dialog: RecordDialog) -> None:
    dialog.save.click()
    qtbot.waitUntil(lambda: not dialog.isVisible() or dialog.form.banner.isVisibleTo(dialog)
                    or any(e.isVisibleTo(dialog) for e in dialog.form.errors.values()), timeout=5_000)


def test_household_two_members_and_a_visit(qtbot, window: AppWindow) -> None:
    main = window.main_screen
    main.go(main.households)
    page = main.households

    # A new household: a phone number that cannot be right is reported under the phone field.
    dialog = page.new_household()
    dialog.form.editor("head_name").set("李秀英")
    dialog.form.editor("address").set("越秀北路 12 号 301 房")
    dialog.form.editor("phone").set("1380013")
    _save(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.form.errors["phone"].isVisibleTo(dialog)
    assert not dialog.form.errors["address"].isVisibleTo(dialog)
    dialog.form.editor("phone").set("138 0013 8000")
    _save(qtbot, dialog)
    assert not dialog.isVisible()
    view = page.view
    qtbot.waitUntil(lambda: view.bundle is not None, timeout=5_000)
    assert page.stack.currentWidget() is view
    assert view.title.text() == "李秀英"
    assert view.overview.values["phone"].text() == "13800138000"  # normalised by the core

    # First member: a wrong ID number is reported at the ID field, in the UI language.
    view.tabs.setCurrentWidget(view.members)
    view.members.add.click()
    member = _current_dialog(view)
    member.form.editor("name").set("李秀英")
    member.form.editor("id_number").set(BAD_ID)
    _save(qtbot, member)
    error = member.form.errors["id_number"]
    assert error.isVisibleTo(member) and "check character" in error.text()
    assert not member.form.errors["name"].isVisibleTo(member)
    assert not member.form.banner.isVisibleTo(member)
    member.form.editor("id_number").set(GOOD_ID)
    _save(qtbot, member)
    assert not member.isVisible()
    qtbot.waitUntil(lambda: len(view.members.model.rows) == 1, timeout=5_000)
    row = view.members.model.rows[0]
    assert row["sex"] == "F" and str(row["birth_date"]) == "1949-12-31"  # derived from the ID number

    # Second member, chosen relationship "Spouse".
    view.members.add.click()
    spouse = _current_dialog(view)
    spouse.form.editor("name").set("王建华")
    spouse.form.editor("relationship").set("10")
    _save(qtbot, spouse)
    qtbot.waitUntil(lambda: len(view.members.model.rows) == 2, timeout=5_000)
    assert {r["name"] for r in view.members.model.rows} == {"李秀英", "王建华"}
    assert view.members.model.data(view.members.model.index(1, 1)) in ("Head of household", "Spouse")

    # An elder profile for the first member, then a visit typed with the keyboard alone.
    view.tabs.setCurrentIndex(4)
    view.elders.add.click()
    elder = _current_dialog(view)
    elder.form.editor("member_id").set(row["id"])
    elder.form.editor("risk_tier").set("high")
    _save(qtbot, elder)
    qtbot.waitUntil(lambda: len(view.elders.model.rows) == 1, timeout=5_000)
    view.elders.table.selectRow(0)
    assert view.record_visit.isEnabled()
    view.record_visit.click()
    visit = _current_dialog(view)
    assert visit.objectName() == "quick_visit"
    health = visit.form.editor("health").widget
    visit.activateWindow()
    qtbot.waitUntil(visit.isActiveWindow, timeout=2_000)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is health, timeout=2_000)
    qtbot.keyClicks(health, "BP 130/85")
    qtbot.keyClick(health, Qt.Key.Key_Tab)
    mood = QApplication.focusWidget()
    assert mood is visit.form.editor("mental_state").widget
    qtbot.keyClicks(mood, "cheerful")
    qtbot.keyClick(mood, Qt.Key.Key_Return)  # Enter moves on to the next field
    assert QApplication.focusWidget() is visit.form.editor("safety").widget and visit.isVisible()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # saves
    qtbot.waitUntil(lambda: not visit.isVisible(), timeout=5_000)
    qtbot.waitUntil(lambda: len(view.visits.model.rows) == 1, timeout=5_000)
    saved = view.visits.model.rows[0]
    assert saved["health"] == "BP 130/85" and saved["mental_state"] == "cheerful"
    assert saved["method"] == "in_person" and saved["visitors"] == "tester"

    # The history tab lists what was done.
    assert any(e["entity"] == "care_visit" for e in view.history.model.rows)
    assert window.session.ws is not None
    with window.session.ws.read() as db:
        assert db.query(Member).count() == 2 and db.query(CareVisit).count() == 1


def test_global_search_answers_as_you_type(qtbot, window: AppWindow) -> None:
    from caseapp.domain import Household
    from caseapp.services import records
    from tests.ui.conftest import ORG, type_text

    assert window.session.ws is not None
    with window.session.ws.write() as db:
        for name, address in (("张伟", "东风中路 1 号"), ("李娜", "豪贤路 2 号"), ("张敏", "小北路 3 号")):
            household = records.create(db, Household, {"org_code": ORG, "head_name": name, "address": address})
            records.create(db, Member, {"org_code": ORG, "household_id": household.id, "name": name,
                                        "relationship": "02"})
    main = window.main_screen
    model = main.households.model
    type_text(main.search, "张")
    assert main.search.hasFocus() or not window.isActiveWindow()
    qtbot.waitUntil(lambda: model.query == "张" and not model.loading and len(model.rows) == 2, timeout=5_000)
    assert main.current_page() is main.households
    assert {r.head_name for r in model.rows} == {"张伟", "张敏"}
    main.search.clear()
    type_text(main.search, "豪贤")
    qtbot.waitUntil(lambda: model.query == "豪贤" and not model.loading and len(model.rows) == 1, timeout=5_000)
    main.households.table.selectRow(0)
    qtbot.keyClick(main.households.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: main.households.view.bundle is not None, timeout=5_000)
    assert main.households.view.title.text() == "李娜"


def test_ledger_is_exported_with_the_password_excel_asks_for(qtbot, window: AppWindow, tmp_path) -> None:
    import io

    from openpyxl import load_workbook

    from caseapp.domain import AssistanceCase, Household
    from caseapp.services import records, xlsx
    from tests.core.helpers import approve

    ws = window.session.ws
    assert ws is not None
    with ws.write() as db:
        h = records.create(db, Household, {"org_code": "440105001001", "head_name": "黄淑芬", "address": "小北路 9 号"})
        case = records.create(db, AssistanceCase, {"org_code": "440105001001", "household_id": h.id,
                                                   "category": "dibao", "monthly_amount": "600",
                                                   "amount_reason": "按测试设定的金额"})
        approve(db, case)
    page = window.main_screen.households
    window.main_screen.go(page)
    dialog = page.export_ledger()
    dialog.secret.password.setText("ledger passphrase 2026")
    dialog.secret.again.setText("ledger passphrase 2025")
    target = tmp_path / "台账.xlsx"
    dialog.save_to(target)
    assert dialog.error.isVisible() and not target.exists()  # the two entries differ: nothing written
    dialog.secret.again.setText("ledger passphrase 2026")
    with qtbot.waitSignal(dialog.exported, timeout=10_000):
        dialog.save_to(target)
    book = load_workbook(io.BytesIO(xlsx.open_sealed_workbook(target.read_bytes(), "ledger passphrase 2026")))
    sheet = book.active
    assert sheet is not None and sheet.cell(row=4, column=6).value == "黄淑芬"
    qtbot.waitUntil(lambda: "台账.xlsx" in page.summary.text(), timeout=5_000)


def test_registration_sheet_is_saved_as_a_password_protected_pdf(qtbot, window: AppWindow, tmp_path) -> None:
    import io

    from pypdf import PdfReader

    from caseapp.domain import Household, Member
    from caseapp.services import forms, records
    from ui import printing

    ws = window.session.ws
    assert ws is not None
    with ws.write() as db:
        h = records.create(db, Household, {"org_code": "440105001001", "head_name": "黄淑芬", "address": "小北路 9 号"})
        records.create(db, Member, {"org_code": "440105001001", "household_id": h.id, "name": "黄淑芬",
                                    "relationship": "02", "id_number": "440105198001011234"})
    with ws.read() as db:
        sheet = forms.render(db, "household_sheet", h.id)
    data, pages = printing.pdf_bytes([sheet], sheet.title)
    assert pages >= 1 and data.startswith(b"%PDF") and b"/FontFile" in data  # a font with the glyphs
    # (text extraction may split a run of glyphs with spaces or line breaks)
    assert "黄淑芬" in "".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())

    window.main_screen.open_household(h.id)
    view = window.main_screen.households.view
    qtbot.waitUntil(lambda: view.bundle is not None, timeout=5_000)
    dialog = view.print_sheet()
    assert dialog is not None
    dialog.secret.password.setText("sheet passphrase 2026")
    dialog.secret.again.setText("sheet passphrase 2026")
    target = tmp_path / "sheet.pdf"
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save_to(target)
    sealed = PdfReader(target)
    assert sealed.is_encrypted and b"440105198001011234" not in target.read_bytes()
    assert sealed.decrypt("sheet passphrase 2026")
    assert "440105198001011234" in "".join(sealed.pages[0].extract_text().split())


def test_ledger_import_reports_every_bad_cell_then_imports_the_corrected_file(qtbot, window: AppWindow,
                                                                             tmp_path) -> None:
    from openpyxl import Workbook

    def ledger(id_number: str) -> Path:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["家庭成员台账"])
        sheet.append(["户主姓名", "姓名", "与户主关系", "公民身份号码", "家庭住址", "社区代码"])
        sheet.append(["黄淑芬", "黄淑芬", "户主", id_number, "小北路 9 号", "440104001001"])
        sheet.append(["黄淑芬", "李明", "配偶", None, "小北路 9 号", "440104001001"])
        path = tmp_path / f"{id_number}.xlsx"
        book.save(path)
        return path

    page = window.main_screen.households
    window.main_screen.go(page)
    page.import_ledger_from(ledger("440105198001011235"))  # wrong check digit
    qtbot.waitUntil(lambda: page.problems.isVisible(), timeout=10_000)
    assert "row 3" in page.problems.toPlainText() and "公民身份号码" in page.problems.toPlainText()
    page.import_ledger_from(ledger("440105198001011234"))
    qtbot.waitUntil(lambda: "Imported 1 household(s) and 2 people" in page.problems.toPlainText(), timeout=10_000)
    qtbot.waitUntil(lambda: page.model.total == 1, timeout=10_000)
    window.lock()
    assert not page.problems.toPlainText()  # nothing about people stays on screen behind the lock
