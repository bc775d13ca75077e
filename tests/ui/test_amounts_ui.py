"""The computed amount (核算金额) on the assistance-case form: beside the typed amount, worked out by
caseapp.services.assessment from the household's members and income items, refreshed as the form
changes, read-only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from caseapp.domain import AssistanceCase, Household, IncomeItem, Member
from caseapp.services import assessment, records
from tests.ui.conftest import ORG, type_text
from ui.forms.amount_panel import AmountPanel
from ui.qt import QLineEdit
from ui.window import AppWindow


def test_the_case_form_shows_the_computed_amount_and_follows_the_typed_fields(qtbot, window: AppWindow) -> None:
    ws = window.session.ws
    assert ws is not None
    with ws.write() as db:
        home = records.create(db, Household, {"org_code": ORG, "head_name": "陈伯", "address": "小北路 9 号"})
        elder = records.create(db, Member, {"org_code": ORG, "household_id": home.id, "name": "陈伯",
                                            "relationship": "02", "birth_date": dt.date(1950, 3, 1)})
        records.create(db, Member, {"org_code": ORG, "household_id": home.id, "name": "陈明",
                                    "relationship": "20", "birth_date": dt.date(1985, 3, 1)})
        records.create(db, IncomeItem, {"org_code": ORG, "member_id": elder.id, "income_type": "pension",
                                        "monthly_amount": Decimal("600")})
        records.create(db, AssistanceCase, {"org_code": ORG, "household_id": home.id, "category": "dibao",
                                            "people_covered": 2})
    window.main_screen.open_household(home.id)
    view = window.main_screen.households.view
    qtbot.waitUntil(lambda: view.bundle is not None and bool(view.cases.model.rows), timeout=5_000)
    view.cases.table.selectRow(0)
    view.cases.edit.click()
    dialog = view.open_dialogs()[-1]
    panel = dialog.form.findChild(AmountPanel, "computed_amount")
    assert isinstance(panel, AmountPanel) and panel.isVisibleTo(dialog)
    assert panel.findChildren(QLineEdit) == []  # a figure to read, not a field

    def expected(covered: int) -> assessment.Assessment:
        bundle = view.bundle
        assert bundle is not None
        row = {**bundle.rows("assistance_case")[0], "people_covered": covered}
        result = assessment.assess_values(row, bundle.rows("member"), bundle.rows("income_item"), dt.date.today())
        assert result is not None
        return result

    two = expected(2)
    assert panel.result is not None and panel.result.computed == two.computed
    # the cases' table shows the same 核算金额 before any case is opened
    column = view.cases.model.fields.index("computed_amount")
    assert view.cases.model.display(view.cases.model.rows[0], column) == f"{two.computed:.2f}"
    assert f"{two.per_person_income:.2f}" == "300.00"
    assert f"¥{two.computed:.2f}" in panel.text() and f"¥{two.standard.amount:.2f}" in panel.text()
    assert "陈伯" in panel.text()  # the elder's 分类施保 supplement, by name
    # one person covered: per-person income 600, another top-up, the supplement still the elder's
    covered = dialog.form.editor("people_covered").widget
    covered.clear()
    type_text(covered, "1")
    one = expected(1)
    assert one.computed != two.computed
    assert panel.result is not None and panel.result.computed == one.computed
    assert f"¥{one.computed:.2f}" in panel.text()
    # a typed amount that differs is said to, with the difference
    amount = dialog.form.editor("monthly_amount").widget
    amount.clear()
    type_text(amount, f"{one.computed + 50:.2f}")
    assert "+50.00" in panel.text()
    dialog.reject()


def test_a_new_one_off_category_says_it_is_not_assessed_monthly(qtbot, window: AppWindow) -> None:
    ws = window.session.ws
    assert ws is not None
    with ws.write() as db:
        home = records.create(db, Household, {"org_code": ORG, "head_name": "李梅", "address": "小北路 10 号"})
        records.create(db, Member, {"org_code": ORG, "household_id": home.id, "name": "李梅", "relationship": "02"})
    window.main_screen.open_household(home.id)
    view = window.main_screen.households.view
    qtbot.waitUntil(lambda: view.bundle is not None and bool(view.members.model.rows), timeout=5_000)
    view.cases.add.click()
    dialog = view.open_dialogs()[-1]
    panel = dialog.form.findChild(AmountPanel, "computed_amount")
    assert isinstance(panel, AmountPanel)
    dialog.form.editor("category").set("medical")
    panel.refresh()
    assert panel.result is None and "Not assessed monthly" in panel.text()
    dialog.form.editor("category").set("dibao")
    panel.refresh()
    assert panel.result is not None and "Top-up" in panel.text()
    # 低收入: the line the household is recognised under, and no top-up
    dialog.form.editor("category").set("low_income")
    panel.refresh()
    assert panel.result is not None and panel.result.recognition and panel.result.computed == 0
    assert "Line in force" in panel.text() and "No top-up" in panel.text() and "Top-up:" not in panel.text()
    dialog.reject()


def test_the_reassessment_tab_lists_the_cases_a_new_standard_changes_and_exports_them(
        qtbot, window: AppWindow, tmp_path) -> None:
    import openpyxl
    from sqlalchemy import update

    from caseapp.refdata import install_standards, parse_standards
    from caseapp.refdata._standards import default_raw

    coming = dt.date.today() + dt.timedelta(days=30)
    raw = default_raw()
    raised = [{"kind": "dibao", "effective_from": coming.isoformat(), "amount": "1500", "source": "test",
               "verified": False}]
    install_standards(parse_standards({**raw, "standards": [*raw["standards"], *raised]}))
    try:
        ws = window.session.ws
        assert ws is not None
        with ws.write() as db:
            home = records.create(db, Household, {"org_code": ORG, "head_name": "周红", "address": "小北路 11 号"})
            person = records.create(db, Member, {"org_code": ORG, "household_id": home.id, "name": "周红",
                                                 "relationship": "02", "birth_date": dt.date(1980, 1, 1)})
            case = records.create(db, AssistanceCase, {"org_code": ORG, "household_id": home.id,
                                                       "category": "dibao", "people_covered": 1})
            now = assessment.assess_case(db, case)
            assert now is not None
            db.execute(update(AssistanceCase).where(AssistanceCase.id == case.id)
                       .values(status="active", monthly_amount=str(now.computed)))
            assert person.id
        main = window.main_screen
        page = main.quality
        main.go(page)
        page.tabs.setCurrentWidget(page.reassess)
        panel = page.reassess
        qtbot.waitUntil(lambda: panel.model.ready and len(panel.model.rows) == 1, timeout=10_000)
        assert panel.chosen() == coming
        row = panel.model.rows[0]
        assert (row.head_name, row.amount, row.after) == ("周红", now.computed, Decimal("1500.00"))
        assert panel.model.data(panel.model.index(0, panel.model.CHANGE)) == f"{Decimal('1500.00') - now.computed:+.2f}"
        assert "1" in panel.summary.text()

        dialog = panel.export()
        assert dialog is not None
        dialog.secret.plain.setChecked(True)
        target = tmp_path / "reassess.xlsx"
        with qtbot.waitSignal(dialog.exported, timeout=10_000):
            dialog.save_to(target)
        cells = [c.value for row_ in openpyxl.load_workbook(target).active.iter_rows() for c in row_]
        assert "周红" in cells

        panel.table.selectRow(0)
        panel.table.opened.emit(0)
        qtbot.waitUntil(lambda: main.households.view.household_id == home.id, timeout=5_000)
    finally:
        install_standards(None)


def test_the_reassessment_tab_marks_an_amount_set_by_hand_and_shows_and_exports_it_apart(
        qtbot, window: AppWindow, tmp_path) -> None:
    import openpyxl
    from sqlalchemy import update

    from caseapp.refdata import install_standards, parse_standards
    from caseapp.refdata._standards import default_raw

    coming = dt.date.today() + dt.timedelta(days=30)
    raw = default_raw()
    raised = [{"kind": "dibao", "effective_from": coming.isoformat(), "amount": "1500", "source": "test",
               "verified": False}]
    install_standards(parse_standards({**raw, "standards": [*raw["standards"], *raised]}))
    try:
        ws = window.session.ws
        assert ws is not None
        with ws.write() as db:
            ids = {}
            for head, hand in (("周红", False), ("吴刚", True)):
                home = records.create(db, Household, {"org_code": ORG, "head_name": head, "address": "小北路 11 号"})
                records.create(db, Member, {"org_code": ORG, "household_id": home.id, "name": head,
                                            "relationship": "02", "birth_date": dt.date(1980, 1, 1)})
                case = records.create(db, AssistanceCase, {"org_code": ORG, "household_id": home.id,
                                                           "category": "dibao", "people_covered": 1})
                now = assessment.assess_case(db, case)
                assert now is not None
                amount, reason = (now.computed - 200, "经民主评议减发 200 元") if hand else (now.computed, "")
                db.execute(update(AssistanceCase).where(AssistanceCase.id == case.id)
                           .values(status="active", monthly_amount=str(amount), amount_reason=reason))
                ids[head] = case.id
        main = window.main_screen
        page = main.quality
        main.go(page)
        page.tabs.setCurrentWidget(page.reassess)
        panel = page.reassess
        qtbot.waitUntil(lambda: panel.model.ready and len(panel.model.rows) == 2, timeout=10_000)
        model = panel.model
        how = [model.data(model.index(i, model.HOW)) for i in range(2)]
        assert [r.head_name for r in model.rows] == ["周红", "吴刚"]  # to recompute first, then by hand
        assert how == ["Recompute", "Set by hand: check the reason"]
        assert model.data(model.index(1, model.REASON)) == "经民主评议减发 200 元"
        assert "1 to recompute, 1 set by hand" in panel.summary.text()

        panel.which.setCurrentIndex(panel.which.findData("by_hand"))
        qtbot.waitUntil(lambda: model.ready and [r.head_name for r in model.rows] == ["吴刚"], timeout=10_000)
        dialog = panel.export()
        assert dialog is not None
        dialog.secret.plain.setChecked(True)
        target = tmp_path / "by-hand.xlsx"
        with qtbot.waitSignal(dialog.exported, timeout=10_000):
            dialog.save_to(target)
        cells = [c.value for row_ in openpyxl.load_workbook(target).active.iter_rows() for c in row_]
        assert "吴刚" in cells and "周红" not in cells and "手工核定金额：核实理由是否仍成立" in cells

        panel.which.setCurrentIndex(panel.which.findData("recompute"))
        qtbot.waitUntil(lambda: model.ready and [r.head_name for r in model.rows] == ["周红"], timeout=10_000)
    finally:
        install_standards(None)


def test_a_one_off_payment_is_recorded_and_listed_under_its_case(qtbot, window: AppWindow) -> None:
    from caseapp.services import display
    from ui.forms.specs import ORDER

    ws = window.session.ws
    assert ws is not None
    with ws.write() as db:
        home = records.create(db, Household, {"org_code": ORG, "head_name": "黄勇", "address": "小北路 12 号"})
        records.create(db, Member, {"org_code": ORG, "household_id": home.id, "name": "黄勇", "relationship": "02"})
        records.create(db, AssistanceCase, {"org_code": ORG, "household_id": home.id, "category": "medical",
                                            "people_covered": 1})
    window.main_screen.open_household(home.id)
    view = window.main_screen.households.view
    qtbot.waitUntil(lambda: view.bundle is not None and bool(view.cases.model.rows), timeout=5_000)
    assert not view.payments.add.isEnabled()  # no case chosen yet
    view.cases.table.selectRow(0)
    view.payments.add.click()
    dialog = view.open_dialogs()[-1]
    assert list(dialog.form.editors) == ORDER["case_payment"]
    assert display.field_name("case_payment", "paid_on", "en") == "Date paid"
    for name, value in {"paid_on": dt.date.today().isoformat(), "amount_paid": "0", "kind": "inpatient",
                        "reason": "住院治疗自付部分", "approved_by": "街道社会救助服务中心 李敏"}.items():
        dialog.form.editor(name).set(value)
    dialog.save.click()
    qtbot.waitUntil(lambda: dialog.form.errors["amount_paid"].isVisibleTo(dialog), timeout=5_000)
    assert "more than zero" in dialog.form.errors["amount_paid"].text()
    dialog.form.editor("amount_paid").set("3200.50")
    dialog.save.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)
    view.cases.table.selectRow(0)
    qtbot.waitUntil(lambda: len(view.payments.model.rows) == 1, timeout=5_000)
    row = view.payments.model.rows[0]
    assert (str(row["amount_paid"]), row["approved_by"]) == ("3200.50", "街道社会救助服务中心 李敏")
    assert not view.payments.edit.isVisible()  # a payment made is a fact: never edited


def test_a_subsidy_case_shows_each_covered_members_figure(qtbot, window: AppWindow) -> None:
    ws = window.session.ws
    assert ws is not None
    today = dt.date.today()
    with ws.write() as db:
        home = records.create(db, Household, {"org_code": ORG, "head_name": "何婆", "address": "小北路 11 号"})
        records.create(db, Member, {"org_code": ORG, "household_id": home.id, "name": "何婆", "relationship": "02",
                                    "birth_date": dt.date(today.year - 92, 1, 1)})
        records.create(db, Member, {"org_code": ORG, "household_id": home.id, "name": "何伯", "relationship": "10",
                                    "birth_date": dt.date(today.year - 83, 1, 1)})
        records.create(db, AssistanceCase, {"org_code": ORG, "household_id": home.id, "category": "elderly_subsidy",
                                            "people_covered": 2})
    window.main_screen.open_household(home.id)
    view = window.main_screen.households.view
    qtbot.waitUntil(lambda: view.bundle is not None and bool(view.cases.model.rows), timeout=5_000)
    view.cases.table.selectRow(0)
    view.cases.edit.click()
    dialog = view.open_dialogs()[-1]
    panel = dialog.form.findChild(AmountPanel, "computed_amount")
    assert isinstance(panel, AmountPanel) and panel.result is not None and panel.result.per_member
    assert panel.result.computed == Decimal("300.00")  # 90-99: ¥200, 80-89: ¥100 (the packaged table)
    text = panel.text()
    assert "何婆" in text and "90-99" in text and "何伯" in text and "80-89" in text and "¥300.00" in text
    assert "Top-up" not in text and "Per-person income" not in text
    covered = dialog.form.editor("people_covered").widget
    covered.clear()
    type_text(covered, "1")
    assert panel.result is not None and panel.result.computed == Decimal("200.00")  # the larger one only
    assert "何伯" not in panel.text()
    dialog.reject()


def test_a_disability_subsidy_of_a_dibao_household_shows_the_living_subsidy_beside_the_care_one(
        qtbot, window: AppWindow) -> None:
    ws = window.session.ws
    assert ws is not None
    with ws.write() as db:
        home = records.create(db, Household, {"org_code": ORG, "head_name": "梁姐", "address": "小北路 13 号"})
        records.create(db, Member, {"org_code": ORG, "household_id": home.id, "name": "梁姐", "relationship": "02",
                                    "birth_date": dt.date(1975, 1, 1), "disability_grade": "1"})
        records.create(db, AssistanceCase, {"org_code": ORG, "household_id": home.id, "category": "dibao",
                                            "people_covered": 1})
        subsidy = records.create(db, AssistanceCase, {"org_code": ORG, "household_id": home.id,
                                                      "category": "disability_subsidy", "people_covered": 1})
    window.main_screen.open_household(home.id)
    view = window.main_screen.households.view
    qtbot.waitUntil(lambda: view.bundle is not None and len(view.cases.model.rows) == 2, timeout=5_000)
    view.cases.table.selectRow(next(i for i, r in enumerate(view.cases.model.rows) if r["id"] == subsidy.id))
    view.cases.edit.click()
    dialog = view.open_dialogs()[-1]
    panel = dialog.form.findChild(AmountPanel, "computed_amount")
    assert isinstance(panel, AmountPanel) and panel.result is not None
    with ws.read() as db:
        expected = assessment.assess_case(db, db.get(AssistanceCase, subsidy.id))
    assert expected is not None and panel.result.computed == expected.computed == Decimal("500.00")  # 300 + 200
    text = panel.text()
    assert "Care subsidy for 梁姐" in text and "Living subsidy for 梁姐" in text and "¥500.00" in text
    dialog.reject()
